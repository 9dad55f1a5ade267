"""Monte Carlo under seed scheme 2 gives the results it gave before the engine's
per-timing profiles and segment sums: the draws bit for bit, every metric to 1e-12
relative (the engine's arithmetic is re-associated, so the last bit may move).

``tests/data/seed_scheme_2_before_lean_engine.json`` was written by the code of
commit 2e34741 (before that engine work): for each case, the SHA-256 of the
parameter draws (float64, little-endian, draws x parameters), five draws' metric
values and the summary table, as float hex strings.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

import cba
from cba.uncertainty import montecarlo

from .test_seed_schemes import CORR, DISTS

REPO = Path(__file__).resolve().parents[2]
PINNED = json.loads((REPO / "tests" / "data" / "seed_scheme_2_before_lean_engine.json").read_text())
REL = 1e-12


def _synthetic():
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    import bench_montecarlo as b

    model = b.synthetic_model()
    return model, b.synthetic_distributions(model), None


def _case(name):
    if name.startswith("worked"):
        worked = cba.load_intervention(REPO / "examples" / "worked_example.yaml")
        dists = DISTS if name == "worked_all" else {k: v for k, v in DISTS.items() if "drop_off" not in k}
        return worked, dists, CORR
    if name == "synthetic":
        return _synthetic()
    model = cba.load_intervention(REPO / "examples" / "partnership" / "back_to_work" / "model.yaml")
    dists = {"outcomes[0].success": {"dist": "pert", "low": 0.15, "mode": 0.3, "high": 0.4},
             "outcomes[0].deadweight": {"dist": "uniform", "low": 0.3, "high": 0.6},
             "outcomes[1].success": {"dist": "pert", "low": 0.05, "mode": 0.15, "high": 0.25},
             "outcomes[0].duration": {"dist": "discrete", "values": [1, 2, 3]},
             "costs[0].amounts": {"dist": "triangular", "low": 0.95, "mode": 1.0, "high": 1.3},
             "partnership.gain_share[0].share": {"dist": "uniform", "low": 0.4, "high": 0.6}}
    return model, dists, None


def _close(a: float | None, b: float | None, scale: float) -> bool:
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return abs(a - b) <= REL * max(abs(a), abs(b), scale)


@pytest.mark.parametrize("name", sorted(PINNED))
def test_scheme_2_results_as_pinned(name):
    model, dists, corr = _case(name)
    pinned = PINNED[name]
    r = montecarlo(model, dists, draws=5100, seed=20240401, correlation=corr, keep_draws=True, progress=False,
                   chunk_size=1000, seed_scheme=2)
    assert r.parameters == pinned["parameters"] and r.metrics == pinned["metrics"]
    assert hashlib.sha256(np.ascontiguousarray(r.samples, dtype="<f8").tobytes()).hexdigest() == pinned["draws_sha256"]
    summary = pinned["summary"]
    unhex = lambda h: None if h is None else float.fromhex(h)  # noqa: E731
    for j, m in enumerate(r.metrics):
        row = {c: unhex(v) for c, v in summary[m].items()}
        scale = max(abs(row["min"] or 0.0), abs(row["max"] or 0.0))
        for c, want in row.items():
            got = float(r.summary.loc[m, c])
            assert _close(got, want, scale), (m, c, got, want)
        for i, vals in pinned["values_sample"].items():
            assert _close(float(r.values[int(i), j]), unhex(vals[j]), scale), (m, i)
