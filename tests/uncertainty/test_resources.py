"""Issue 19, item 7: the number of threads is bounded by the machine, and the chunks in memory
by a budget, not by the number of workers asked for."""

from __future__ import annotations

import numpy as np
import pytest

import cba
import cba.uncertainty._montecarlo as mc
from cba.uncertainty._core import MAX_THREADS, max_threads

from ..conftest import EXAMPLES

DISTS = {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7}}


@pytest.fixture(scope="module")
def worked():
    return cba.load_intervention(EXAMPLES / "worked_example.yaml")


def test_max_threads_is_the_cpus_this_process_may_use(monkeypatch):
    monkeypatch.setattr(mc.core.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert max_threads() == 3
    monkeypatch.setattr(mc.core.os, "sched_getaffinity", lambda pid: set(range(500)), raising=False)
    assert max_threads() == MAX_THREADS == 64


def _spy(monkeypatch):
    seen = {}
    real = mc._map_local

    def spy(fn, model, sampler, spans, args, n, ahead=None):
        seen.update(n=n, ahead=ahead)
        return real(fn, model, sampler, spans, args, n, ahead)

    monkeypatch.setattr(mc, "_map_local", spy)
    return seen


def test_a_thousand_workers_start_no_more_threads_than_cpus(worked, monkeypatch):
    monkeypatch.setattr(mc.core.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    seen = _spy(monkeypatch)
    many = cba.uncertainty.montecarlo(worked, DISTS, draws=20_000, seed=5, workers=1000, chunk_size=2048,
                                      progress=False, keep_draws=True)
    assert seen["n"] == 2 and seen["ahead"] == 4
    one = cba.uncertainty.montecarlo(worked, DISTS, draws=20_000, seed=5, workers=1, chunk_size=2048,
                                     progress=False, keep_draws=True)
    assert np.array_equal(many.values, one.values, equal_nan=True)   # the same draws, whatever the threads


def test_chunks_in_flight_fit_the_memory_budget_whatever_the_workers(worked, monkeypatch):
    """A chunk of 2,048 draws at a pretended 64 KB a draw is 128 MB: two fit the 256 MB budget, so
    at most two threads work and two chunks are in memory at once, even with 64 CPUs and workers."""
    monkeypatch.setattr(mc.core.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.setattr(mc, "bytes_per_draw", lambda model, sampler, columns=None: 64 * 1024)
    seen = _spy(monkeypatch)
    cba.uncertainty.montecarlo(worked, DISTS, draws=20_000, seed=5, workers=64, chunk_size=2048, progress=False)
    assert seen["n"] * 2048 * 64 * 1024 <= mc.IN_FLIGHT_MEMORY
    assert seen["ahead"] * 2048 * 64 * 1024 <= mc.IN_FLIGHT_MEMORY


# ---------------------------------------------------------------- large models and per-line exports
def _many_lines(n: int) -> dict:
    """Synthetic: ``n`` one-year cost lines of made-up round amounts, one outcome."""
    return {"name": "synthetic", "price_base": "2024/25", "horizon": 1,
            "costs": [{"name": f"cost {i}", "agency": "nhs", "amounts": [1000]} for i in range(n)],
            "outcomes": [{"name": "o", "cohort": 10, "success": 0.5,
                          "value": {"components": [{"type": "fiscal", "agency": "nhs", "amount": 300}]}}]}


def test_per_line_exports_of_a_huge_model_are_refused_quickly_and_csv_is_not(tmp_path, capsys):
    """With export_rows at 500 (its default is 50,000), 600 lines + 1 component over one year are
    601 ledger rows: the CSV ledger is written; JSON, Markdown, the workbook and the report are
    refused before they are built, naming the limit; raising the limit lets them through."""
    import json

    from cba.cli._main import main
    from cba.core import _limits

    assert _limits.get("export_rows") == 50_000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_many_lines(600)))
    with _limits.override(export_rows=500):
        for fmt, suffix in (("json", "json"), ("markdown", "md"), ("xlsx", "xlsx")):
            assert main(["appraise", str(path), "--format", fmt, "-o", str(tmp_path / f"out.{suffix}")]) == 2
            err = capsys.readouterr().err
            assert "601 ledger rows" in err and "CBA_MAX_EXPORT_ROWS" in err
        assert main(["report", str(path), "-o", str(tmp_path / "r.html")]) == 2
        assert main(["appraise", str(path), "--format", "csv", "-o", str(tmp_path / "out.csv")]) == 0
        assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json", "out.csv"]
    # 600 lines of 1,000 in year 0 (not discounted): 600,000
    assert json.loads(cba.appraise(path).to_json())["metrics"]["pv_costs"] == pytest.approx(600_000.0)
