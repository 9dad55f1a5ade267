"""Scenarios, one-way sensitivity (tornado) and switching values against hand arithmetic.

The worked example of the method spec (section 6) is linear in its success rate,
so its answers can be worked out by hand:

- costs: local authority 40,000 in year 0, NHS 10,000 in year 1 -> PV 40,000 + 10,000/1.035;
- benefit-years per unit of success: 100 x 0.8 x (1 - 0.2) = 64 in year 1, then x 0.9 a year;
  fiscal value 1,000 per benefit-year less 10% optimism bias -> 57,600 s, 51,840 s and
  46,656 s in years 1-3, discounted at 3.5%;
- public value per benefit-year is 3.5 times the fiscal value (1,000 + 2,000 + 500, no transfers).
"""

import math

import numpy as np
import numpy_financial as npf
import pytest

import cba
from cba.core._errors import CBAError
from cba.uncertainty import one_way, scenarios, switching_value, switching_values, tornado_data

PV_COSTS = 40_000 + 10_000 / 1.035
PV_COSTS_LA = 40_000.0
FISCAL_PER_SUCCESS = 57_600 / 1.035 + 51_840 / 1.035 ** 2 + 46_656 / 1.035 ** 3   # PV of fiscal at s = 1


@pytest.fixture(scope="module")
def worked():
    from ..conftest import EXAMPLES

    return cba.load_intervention(EXAMPLES / "worked_example.yaml")


def roi_at(success, cost_multiplier=1.0):
    return FISCAL_PER_SUCCESS * success / (PV_COSTS_LA * cost_multiplier + 10_000 / 1.035)


# ---------------------------------------------------------------- scenarios
def test_scenarios_side_by_side(worked):
    s = scenarios(worked, {"low": {"outcomes[0].success": 0.4, "costs[0].amounts": 1.25},
                           "central": {},
                           "high": {"outcomes[0].success": 0.6}})
    assert s.names == ["base", "low", "central", "high"]
    t = s.table
    assert t.loc["financial_roi", "base"] == pytest.approx(1.471214, abs=1e-6)
    assert t.loc["financial_roi", "central"] == t.loc["financial_roi", "base"]
    assert t.loc["financial_roi", "low"] == pytest.approx(roi_at(0.4, 1.25), rel=1e-12)
    assert t.loc["financial_roi", "high"] == pytest.approx(roi_at(0.6), rel=1e-12)
    # DWP-style agency rows: the local authority's net position in each scenario
    assert t.loc["net[local_authority]", "high"] == pytest.approx(FISCAL_PER_SUCCESS * 0.6 - 40_000, rel=1e-12)
    assert t.loc["net[nhs]", "low"] == pytest.approx(-10_000 / 1.035, rel=1e-12)
    a = s.assumptions
    assert a.loc["outcomes[0].success", "central"] == 0.5 and a.loc["costs[0].amounts", "high"] == 1.0
    assert s.to_dict()["metrics"]["payback_period"]["low"] is None     # no payback when ROI < 1


def test_scenario_errors_name_scenario_and_parameter(worked):
    with pytest.raises(CBAError, match=r"scenarios\.bad: outcomes\[0\]\.success: must be between 0 and 1, got 1\.5"):
        scenarios(worked, {"bad": {"outcomes[0].success": 1.5}})
    with pytest.raises(CBAError, match=r"scenarios: outcomes\[3\]\.success"):
        scenarios(worked, {"bad": {"outcomes[3].success": 0.5}})
    with pytest.raises(CBAError, match="expected a number"):
        scenarios(worked, {"bad": {"outcomes[0].success": "high"}})


# ---------------------------------------------------------------- one-way and tornado
def test_tornado_sorted_by_swing(worked):
    s = one_way(worked, {"costs[0].amounts": (0.8, 1.2), "outcomes[0].success": (0.4, 0.6),
                         "outcomes[0].engagement": (0.79, 0.81)})
    t = s.tornado("financial_roi")
    assert list(t["parameter"]) == ["outcomes[0].success", "costs[0].amounts", "outcomes[0].engagement"]
    row = t.iloc[0]
    assert row["metric_low"] == pytest.approx(roi_at(0.4), rel=1e-12)
    assert row["metric_high"] == pytest.approx(roi_at(0.6), rel=1e-12)
    assert row["swing"] == pytest.approx(roi_at(0.2), rel=1e-12)
    cost = t.iloc[1]
    assert cost["metric_low"] == pytest.approx(roi_at(0.5, 0.8), rel=1e-12)
    assert cost["metric_high"] == pytest.approx(roi_at(0.5, 1.2), rel=1e-12)
    assert cost["swing"] == pytest.approx(roi_at(0.5, 0.8) - roi_at(0.5, 1.2), rel=1e-12)
    assert list(t["metric_base"]) == pytest.approx([1.471214] * 3, abs=1e-6)


def test_tornado_for_an_agency(worked):
    t = tornado_data(worked, {"outcomes[0].success": (0.4, 0.6), "costs[1].amounts": (0.5, 2.0)},
                     metric="net[nhs]")
    # success does not touch the NHS; its own cost line does
    assert list(t["parameter"]) == ["costs[1].amounts", "outcomes[0].success"]
    assert t.iloc[0]["swing"] == pytest.approx(1.5 * 10_000 / 1.035, rel=1e-12)
    assert t.iloc[1]["swing"] == 0.0


def test_relative_ranges_stay_in_bounds(worked):
    s = one_way(worked, ["outcomes[0].success", "outcomes[0].engagement", "outcomes[0].duration"], relative=0.5)
    t = s.tornado("pv_fiscal").set_index("parameter")
    assert tuple(t.loc["outcomes[0].success", ["low_value", "high_value"]]) == (0.25, 0.75)
    assert tuple(t.loc["outcomes[0].engagement", ["low_value", "high_value"]]) == (0.4, 1.0)   # capped at 1
    assert tuple(t.loc["outcomes[0].duration", ["low_value", "high_value"]]) == (1.0, 5.0)     # 1.5 -> 1, 4.5 -> 5
    with pytest.raises(CBAError, match="give its \\(low, high\\)"):
        one_way(worked, ["outcomes[0].success"])
    with pytest.raises(CBAError, match="unknown metric"):
        s.tornado("benefit")


# ---------------------------------------------------------------- switching values
def test_switching_success_for_financial_roi(worked):
    sv = switching_value(worked, "outcomes[0].success", "financial_roi")
    assert sv.found and sv.value == pytest.approx(PV_COSTS / FISCAL_PER_SUCCESS, abs=1e-12)
    assert round(sv.value, 6) == 0.339855
    assert "reaches 1 at outcomes[0].success = 0.339855" in str(sv)


def test_switching_success_for_public_value_and_agencies(worked):
    sv = switching_value(worked, "outcomes[0].success", "net_present_public_value")
    assert sv.value == pytest.approx(PV_COSTS / (3.5 * FISCAL_PER_SUCCESS), abs=1e-12)
    sv = switching_value(worked, "outcomes[0].success", "net[local_authority]")
    assert sv.value == pytest.approx(PV_COSTS_LA / FISCAL_PER_SUCCESS, abs=1e-12)
    # the NHS pays and never saves: no success rate rescues its position
    sv = switching_value(worked, "outcomes[0].success", "net[nhs]")
    assert not sv.found and sv.value is None and sv.crossings == ()
    assert "net[nhs] stays below 0 for every outcomes[0].success in [0, 1]" in sv.message
    assert "no switching value" in sv.message


def test_switching_deadweight_and_cost_overrun(worked):
    sv = switching_value(worked, "outcomes[0].deadweight", "financial_roi")
    assert sv.value == pytest.approx(1 - 0.8 * PV_COSTS / (0.5 * FISCAL_PER_SUCCESS), abs=1e-12)
    sv = switching_value(worked, "costs[0].amounts", "financial_roi", within=(0, 5))
    assert sv.value == pytest.approx((0.5 * FISCAL_PER_SUCCESS - 10_000 / 1.035) / 40_000, abs=1e-12)
    with pytest.raises(CBAError, match=r"costs\[0\]\.amounts: can be 0 or more; give the range to search"):
        switching_value(worked, "costs[0].amounts", "financial_roi")


def test_switching_discount_rate_is_the_irr(worked):
    """Financial ROI = 1 exactly where the fiscal net flow's NPV is 0: at its IRR."""
    sv = switching_value(worked, "discount_rate", "financial_roi")
    flows = [-40_000, 28_800 - 10_000, 25_920, 23_328]
    assert sv.value == pytest.approx(npf.irr(flows), abs=1e-10)


def test_switching_whole_number_duration(worked):
    # duration 1: only year 1 counts, ROI = 28,800/1.035 / PV costs = 0.56 < 1; duration 2: 1.05 > 1
    sv = switching_value(worked, "outcomes[0].duration", "financial_roi", within=(1, 6))
    assert sv.value == 1.0 and sv.found
    assert "financial_roi is 0.560311 at outcomes[0].duration = 1" in sv.message
    assert roi_at(0.5) > 1 and pytest.approx(0.560311, abs=1e-6) == 28_800 / 1.035 / PV_COSTS


def test_switching_answers_without_crossing_and_errors(worked):
    sv = switching_value(worked, "outcomes[0].success", "financial_roi", within=(0.4, 0.6))
    assert not sv.found and "stays above 1" in sv.message
    assert sv.metric_range == pytest.approx((roi_at(0.4), roi_at(0.6)), rel=1e-12)
    with pytest.raises(CBAError, match="has no default threshold"):
        switching_value(worked, "outcomes[0].success", "pv_fiscal")
    sv = switching_value(worked, "outcomes[0].success", "pv_fiscal", threshold=50_000)
    assert sv.value == pytest.approx(50_000 / FISCAL_PER_SUCCESS, abs=1e-12)
    with pytest.raises(CBAError, match=r"must be between 0 and 1, got 1\.5"):
        switching_value(worked, "outcomes[0].success", within=(0.2, 1.5))
    with pytest.raises(CBAError, match="unknown metric"):
        switching_value(worked, "outcomes[0].success", "happiness")
    with pytest.raises(CBAError, match="agency 'dwp' neither bears a cost nor banks a saving"):
        switching_value(worked, "outcomes[0].success", "net[dwp]")


def _two_root_model(rate):
    # fiscal net flow -100, +230, -132: NPV = 0 where 1 + r = 1.1 or 1.2 (two IRRs)
    return {"name": "Two roots", "price_base": "2024/25", "horizon": 3, "discounting": {"rate": rate},
            "costs": [{"name": "Build and decommission", "agency": "local_authority", "amounts": [100, 0, 132]}],
            "outcomes": [{"name": "Saving", "cohort": 1, "success": 1.0, "lag": 1,
                          "value": {"components": [{"type": "fiscal", "agency": "local_authority",
                                                    "amount": 230}]}}]}


def test_switching_several_crossings_nearest_to_base():
    sv = switching_value(_two_root_model(0.035), "discount_rate", "net_present_budget_impact")
    assert sv.crossings == pytest.approx((0.1, 0.2), abs=1e-10)
    assert sv.value == pytest.approx(0.1, abs=1e-10)
    assert "crosses 2 times" in sv.message
    sv = switching_value(_two_root_model(0.3), "discount_rate", "net_present_budget_impact")
    assert sv.value == pytest.approx(0.2, abs=1e-10)


def test_switching_on_a_step_metric():
    """Payback jumps from 2 to 3 years; the switching value is where it jumps."""
    model = {"name": "Step", "price_base": "2024/25", "horizon": 3, "discounting": {"rate": 0.0},
             "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
             "outcomes": [{"name": "Calls", "cohort": 1, "success": 1.0, "duration": 3,
                           "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 400}]}}]}
    # cumulative savings 400, 800, 1200: payback in year 2 while costs <= 800, in year 3 up to 1200
    sv = switching_value(model, "costs[0].amounts", "payback_period", threshold=2.5, within=(0.5, 1.1))
    assert sv.value == pytest.approx(0.8, abs=1e-9)


def test_switching_values_table(worked):
    t = switching_values(worked, ["outcomes[0].success", "outcomes[0].deadweight"], "financial_roi")
    assert list(t["parameter"]) == ["outcomes[0].success", "outcomes[0].deadweight"]
    assert t["found"].all() and math.isclose(t.loc[0, "value"], PV_COSTS / FISCAL_PER_SUCCESS, abs_tol=1e-12)
    t = switching_values(worked, {"outcomes[0].success": None, "costs[0].amounts": (0, 10)}, "net[nhs]")
    assert not t["found"].any() and np.isnan(t["value"]).all()
