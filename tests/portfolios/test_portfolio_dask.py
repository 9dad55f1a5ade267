"""Appraising a portfolio's candidates, and drawing its risk, on a Dask cluster: identical to this machine.

Issue 22: "Appraising the candidates uses the batched machinery (no per-programme Python
loop over years or draws) and, where given a Dask client, runs there with identical
results." Every array is compared exactly (``assert_array_equal``), not approximately.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

import cba
from cba.core._errors import CBAError, ModelError
from cba.portfolios import _candidates
from cba.portfolios._candidates import appraise_batch, appraise_candidate, load_candidates
from cba.portfolios._spec import load_portfolio

from ..conftest import EXAMPLES

distributed = pytest.importorskip("distributed")

EXAMPLE = EXAMPLES / "portfolio" / "portfolio.yaml"


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def same_candidates(a, b) -> None:
    assert (a.names, a.partners, a.partner_names, a.years, a.price_base, a.files, a.uncertainty, a.warnings) == (
        b.names, b.partners, b.partner_names, b.years, b.price_base, b.files, b.uncertainty, b.warnings)
    assert set(a.values) == set(b.values)
    for k in a.values:
        np.testing.assert_array_equal(a.values[k], b.values[k])
    for what in ("spend", "net", "net_before"):
        np.testing.assert_array_equal(getattr(a, what), getattr(b, what))


def test_candidates_on_dask_equal_local(client):
    spec = load_portfolio(EXAMPLE)
    local = load_candidates(spec)
    assert len(local.names) == 7 and local.spend.shape == (7, len(local.partners), len(local.years))
    for batch_size in (1, 3, 16):          # one task a candidate, uneven batches, all in one task
        same_candidates(local, load_candidates(spec, client=client, batch_size=batch_size))


def test_the_portfolio_and_its_risk_on_dask_equal_local(client):
    kw = {"frontier_points": True, "draws": 600, "seed": 7}
    local = cba.portfolio(EXAMPLE, **kw)
    remote = cba.portfolio(EXAMPLE, client=client, **kw)
    same_candidates(local.candidates, remote.candidates)
    assert remote.chosen == local.chosen and local.risk is not None and remote.risk is not None
    assert remote.risk.drawn == local.risk.drawn and len(local.risk.drawn) >= 1
    np.testing.assert_array_equal(remote.risk.net, local.risk.net)
    np.testing.assert_array_equal(remote.risk.central, local.risk.central)
    for name in ("positions", "budgets", "risk_table", "frontier", "candidate_table", "runners_up"):
        a, b = getattr(local, name)(), getattr(remote, name)()
        assert a.equals(b), name


def test_a_model_sent_to_another_process_gives_the_same_arrays():
    # a cluster of processes receives each model pickled: the arrays must not move by a bit
    cands = load_candidates(load_portfolio(EXAMPLE))
    assert cands.models is not None
    here = appraise_batch(list(cands.models))
    there = appraise_batch(pickle.loads(pickle.dumps(list(cands.models))))
    for a, b in zip(here, there, strict=True):
        assert not isinstance(a, tuple) and not isinstance(b, tuple)
        for what in ("spend", "net", "net_before"):
            np.testing.assert_array_equal(getattr(a, what), getattr(b, what))
        assert a.values == b.values and a.years == b.years and a.partners == b.partners


@pytest.mark.parametrize("error", [CBAError("flows are not finite"),
                                   ModelError([("costs[0].amounts", "not a number")])])
def test_a_mistake_found_while_appraising_reads_the_same_on_dask(client, monkeypatch, error):
    real = appraise_candidate

    def failing(model):
        if "Swindon" in model.name:          # the fifth candidate, candidates[4]
            raise error
        return real(model)

    monkeypatch.setattr(_candidates, "appraise_candidate", failing)
    spec = load_portfolio(EXAMPLE)
    messages = []
    for kw in ({}, {"client": client, "batch_size": 2}):
        with pytest.raises(CBAError) as info:
            load_candidates(spec, **kw)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert "portfolio.yaml" in messages[0] and "candidates[4]" in messages[0]
    assert ("flows are not finite" if not isinstance(error, ModelError) else "not a number") in messages[0]


@pytest.mark.parametrize("wrong", ["localhost:8786", 42, True, object()])
def test_a_client_that_is_not_one_is_refused(wrong):
    with pytest.raises(CBAError, match=r"^client: expected a dask.distributed.Client"):
        cba.portfolio(EXAMPLE, frontier_points=False, client=wrong)
    with pytest.raises(CBAError, match=r"^client: expected a dask.distributed.Client"):
        load_candidates(load_portfolio(EXAMPLE), client=wrong)


@pytest.mark.parametrize("size", [0, -1, 1.5, True, "2"])
def test_a_batch_size_that_is_not_a_whole_number_is_refused(size):
    with pytest.raises(CBAError, match=r"^batch_size: must be a whole number 1 or more"):
        load_candidates(load_portfolio(EXAMPLE), batch_size=size)


# ---------------------------------------------------------------- no Python loop over years
def _model(tmp_path: Path, horizon: int):
    """A candidate of ``horizon`` years: a council cost each year, savings to the police, a gain-share."""
    from cba.engine._loading import build_programme

    cost = ", ".join(["1000"] * horizon)
    cohort = ", ".join(["10"] * horizon)
    (tmp_path / f"m{horizon}.yaml").write_text(
        f"name: M\nprice_base: 2024/25\nhorizon: {horizon}\n"
        f"costs: [{{name: Staff, agency: local_authority, amounts: [{cost}]}}]\n"
        f"outcomes: [{{name: Fewer call-outs, cohort: [{cohort}], success: 0.5, duration: 3, drop_off: 0.2,\n"
        f"  value: {{components: [{{type: fiscal, agency: police, amount: 300}}]}}}}]\n")
    deal = {"gain_share": [{"from": "police", "to": "local_authority", "share": 0.4, "basis": "cashable"}]}
    return build_programme({"name": "M", "interventions": [{"path": str(tmp_path / f"m{horizon}.yaml"), "name": "M"}],
                            "start_year": "2025/26", "partnership": deal}, tmp_path, "m.yaml")


def _calls(model) -> int:
    """Python and C calls made by the appraisal's arithmetic: everything but reading the model's
    lists of amounts into arrays (cba.model's checks, cba.engine._compiled's conversion) and
    writing the years' labels ("2025/26", ...), which are one per year by nature."""
    count = [0]
    skip = (f"cba{'/'}model{'/'}", f"engine{'/'}_compiled.py")

    def labelling(frame) -> bool:
        while frame is not None:
            if frame.f_code.co_name in ("year_label", "year_labels"):
                return True
            frame = frame.f_back
        return False

    def profile(frame, event, arg):
        if event not in ("call", "c_call"):
            return
        if any(s in frame.f_code.co_filename.replace("\\", "/") for s in skip) or labelling(frame):
            return
        count[0] += 1

    sys.setprofile(profile)
    try:
        appraise_candidate(model)
    finally:
        sys.setprofile(None)
    return count[0]


def test_a_candidates_appraisal_makes_as_many_calls_for_5_years_as_for_60(tmp_path):
    # a Python loop over years would make more calls the longer the horizon; the engine's and the
    # deal's arrays make the same number whatever it is
    short, long = _model(tmp_path, 5), _model(tmp_path, 60)
    appraise_candidate(short), appraise_candidate(long)          # first-use imports out of the count
    assert appraise_candidate(long).spend.shape[-1] == 60
    assert _calls(short) == _calls(long)
