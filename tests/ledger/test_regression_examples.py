"""Unchanged models give exactly the numbers they gave before the method-fidelity work.

``tests/data/example_metrics_before_issue9.json`` holds every metric and every
agency's present values of each shipped example model, as the engine computed them
before discounting by value type, timing by component, cashability by year and the
double-counting checks were added (written once by running ``cba.appraise`` on each
model). Every unchanged example must still give them to 1e-12 relative.

Two examples were corrected on purpose against their sources (Swindon LIFE, GM
Working Well; see their READMEs): their new figures are pinned by hand arithmetic in
``tests/ledger/test_examples.py``, and here the models as they were (copies in
``tests/data/before_issue9/``) must still give the old numbers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import cba
from cba.engine._metrics import METRIC_NAMES

REPO = Path(__file__).resolve().parents[2]
PINNED = json.loads((REPO / "tests" / "data" / "example_metrics_before_issue9.json").read_text())
#: Examples whose model was corrected on purpose (issue 9, item 7).
CORRECTED = {"examples/swindon_life/model.yaml", "examples/gm_working_well/model.yaml"}


def _close(got, want) -> bool:
    if want is None:
        return got is None
    if got is None:
        return False
    return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-9)


def _model_file(path: str) -> Path:
    if path in CORRECTED:
        return REPO / "tests" / "data" / "before_issue9" / f"{Path(path).parent.name}.yaml"
    return REPO / path


@pytest.mark.parametrize("path", sorted(PINNED))
def test_unchanged_models_give_todays_numbers(path):
    a = cba.appraise(_model_file(path))
    want = PINNED[path]
    bad = {k: (a.metrics[k], want["metrics"][k]) for k in METRIC_NAMES
           if not _close(a.metrics[k], want["metrics"][k])}
    assert not bad, bad
    ag = a.by_agency().set_index("agency")
    assert sorted(ag.index) == sorted(want["by_agency"])
    for agency, values in want["by_agency"].items():
        row = ag.loc[agency]
        got = [row.pv_costs, row.pv_fiscal, row.pv_cashable, row.pv_transfer]
        assert all(_close(float(g), w) for g, w in zip(got, values)), (agency, got, values)


def test_every_shipped_model_is_pinned_or_corrected():
    models = {str(p.relative_to(REPO)) for p in (REPO / "examples").rglob("*.yaml")
              if "price_base" in p.read_text(encoding="utf-8") and p.parent.name != "portfolio"}  # tests/portfolios
    assert models <= set(PINNED) | {m for m in models if m.startswith("examples/partnership/")}
    assert set(PINNED) >= CORRECTED
