"""Fuzzing deals (issue 19, items 1 and 10): every mechanism, including outcomes contracts
(rate cards, ladders, several payers, top-up awards) and social investors, with amounts up to
the largest float. A deal either raises only CBAError, or appraises with every output finite
and money conserved: funding equals costs, what is paid is received, and the partners' net
positions add up to the same total before and after."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings

import cba
from cba.core._errors import CBAError

from ..support.partnership_strategies import extreme_money, models_with_deals

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
MONEY = ("costs_before", "funding", "funding_cash", "funding_in_kind", "savings", "savings_cashable", "received",
         "paid", "net_before", "net_after", "peak_deficit_before", "peak_deficit_after")


def _finite_json(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite_json(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite_json(v) for v in value)
    return True


@FUZZ
@given(models_with_deals(max_horizon=4, money=extreme_money))
def test_deals_with_extreme_amounts_raise_only_cba_errors_or_stay_finite_and_conserve_money(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            r = cba.appraise(data).partnership()
        except CBAError as exc:
            assert str(exc)
            return
        for name in MONEY:
            assert np.isfinite(np.asarray(r.positions[name], dtype=float)).all(), name
        assert r.check().empty
        # money conserved by hand, to half a penny or a part in a billion of the deal's own money
        pos = r.positions
        scale = max(0.005, 1e-9 * (np.abs(pos["costs_before"]).sum() + np.abs(pos["savings"]).sum()))
        assert abs(pos["net_after"].sum() - pos["net_before"].sum()) <= scale
        assert abs(pos["funding"].sum() - pos["costs_before"].sum()) <= scale
        flows = r.flows_between()
        assert np.isfinite(flows[["real", "pv"]].to_numpy(dtype=float)).all()
        for frame in (r.contracts(), r.investors()):
            if frame is not None:
                numbers = frame.select_dtypes("number").drop(columns=["irr", "money_multiple"], errors="ignore")
                assert np.isfinite(numbers.to_numpy(dtype=float)).all()
        out = json.loads(r.to_json())          # allow_nan=False: no NaN or inf reaches the JSON
        assert _finite_json(out)
        text = r.summary()
        assert "inf" not in text.lower().replace("info", "") and "nan" not in text.lower().split()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(models_with_deals(max_horizon=3, money=extreme_money))
def test_monte_carlo_over_every_deal_term_raises_only_cba_errors_or_stays_finite(data):
    """The deal's fixed payments scaled by draws up to 1e300: overflow is a CBAError naming the
    agreement (and the draw), never an inf in the summary."""
    if not data["partnership"].get("payments"):
        data["partnership"]["payments"] = [{"from": "nhs", "to": "dwp", "amounts": [1000.0]}]
    dists = {"partnership.payments[0].amounts": {"dist": "uniform", "low": 0.0, "high": 1e300}}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            result = cba.uncertainty.montecarlo(cba.Intervention.from_dict(data), dists, draws=64, seed=1,
                                                progress=False, workers=1)
        except CBAError as exc:
            assert str(exc)
            return
    summary = result.summary.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(summary).any()
