"""A portfolio through the engine in bulk: the table of one-at-a-time appraisals,
each row independent of the others (so identical in any batches, as on Dask)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import cba
from cba.engine import compile_model
from cba.engine._evaluate import evaluate_totals
from cba.engine._metrics import AGENCY_METRIC_NAMES, METRIC_NAMES, compute
from cba.uncertainty import appraise_many
from cba.uncertainty._distributed import _batch_task, appraisal_row
from cba.uncertainty._portfolio import groups, structure

REPO = Path(__file__).resolve().parents[2]


def _is_model(path: Path) -> bool:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and "price_base" in data and "candidates" not in data  # not a portfolio file


EXAMPLES = [cba.load_intervention(p) for p in sorted((REPO / "examples").rglob("*.yaml")) if _is_model(p)]


def variants(model: cba.Intervention, n: int) -> list[cba.Intervention]:
    out = []
    for i in range(n):
        m = model.model_copy(deep=True)
        m.name = f"{model.name} #{i}"
        for o in m.outcomes:
            o.success = min(1.0, o.success * (0.5 + i / n))
        out.append(m)
    return out


def one_at_a_time(models) -> pd.DataFrame:
    """The table as it was computed before: each intervention through the engine alone."""
    rows = []
    for model in models:
        compiled = compile_model(model)
        metrics, agency = compute(evaluate_totals(compiled))
        row = {"name": model.name, **{k: float(metrics[k][0]) for k in METRIC_NAMES}}
        for k in AGENCY_METRIC_NAMES:
            for a, v in zip(compiled.agencies, agency[k][0]):
                row[f"{k}[{a}]"] = float(v)
        rows.append(row)
    frame = pd.DataFrame(rows)
    agencies = list(dict.fromkeys(key[4:-1] for row in rows for key in row if key.startswith("net[")))
    return frame.reindex(columns=["name", *METRIC_NAMES] + [f"{k}[{a}]" for k in AGENCY_METRIC_NAMES
                                                               for a in agencies])


@pytest.fixture(scope="module")
def portfolio():
    models = [m for e in EXAMPLES for m in variants(e, 4)]
    rng = np.random.default_rng(3)
    return [models[i] for i in rng.permutation(len(models))]        # structures interleaved


def test_the_table_is_the_one_at_a_time_table(portfolio):
    new, old = appraise_many(portfolio), one_at_a_time(portfolio)
    assert list(new.columns) == list(old.columns)
    assert list(new.dtypes) == list(old.dtypes)
    assert list(new["name"]) == [m.name for m in portfolio]
    for col in new.columns[1:]:
        a, b = new[col].to_numpy(), old[col].to_numpy()
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=col)
        tol = 1e-9 if col == "irr" else 1e-12
        ok = ~np.isnan(b)
        np.testing.assert_allclose(a[ok], b[ok], rtol=tol, atol=tol * np.abs(b[ok]).max(initial=1.0),
                                   err_msg=col)


def test_each_row_is_the_same_alone_or_in_any_batch(portfolio):
    whole = appraise_many(portfolio)
    for size in (1, 3, 7):
        parts = [_batch_task(portfolio[i:i + size], True) for i in range(0, len(portfolio), size)]
        metrics = np.concatenate([p[2] for p in parts])
        np.testing.assert_array_equal(metrics, whole[list(METRIC_NAMES)].to_numpy())
    for i in (0, 5, len(portfolio) - 1):
        row = appraisal_row(portfolio[i])
        for k, v in row.items():
            if k != "name":
                assert (math.isnan(v) and math.isnan(whole.loc[i, k])) or v == whole.loc[i, k], k


def test_variants_of_a_model_share_one_group_and_other_models_do_not():
    models = [compile_model(m) for e in EXAMPLES[:3] for m in variants(e, 3)]
    assert [sorted(g) for g in groups(models)] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    a, b = EXAMPLES[0].model_copy(deep=True), EXAMPLES[0].model_copy(deep=True)
    b.costs[0].agency = "police" if b.costs[0].agency != "police" else "nhs"
    # the only cost line paid by another agency: the same arithmetic, other names
    assert structure(compile_model(a)) == structure(compile_model(b))
    b.costs = [*b.costs, b.costs[0].model_copy(update={"agency": "dwp"})]
    assert structure(compile_model(a)) != structure(compile_model(b))
    b = EXAMPLES[0].model_copy(deep=True)
    b.horizon = a.horizon + 1
    assert structure(compile_model(a)) != structure(compile_model(b))


def test_an_empty_portfolio_and_one_without_outcomes():
    assert list(appraise_many([]).columns) == ["name", *METRIC_NAMES]
    t = appraise_many([{"name": "costs only", "price_base": "2024/25", "horizon": 2,
                        "costs": [{"name": "c", "agency": "dwp", "amounts": [100, 50]}]}])
    assert t.loc[0, "pv_costs"] == pytest.approx(100 + 50 / 1.035, rel=1e-12)
    assert np.isnan(t.loc[0, "financial_roi"]) or t.loc[0, "financial_roi"] == 0
