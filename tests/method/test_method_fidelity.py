"""Method fidelity (issue 9): discounting by value type, timing by component,
cashability over time, saving classes, double counting and value for money.

Every expected number below is hand arithmetic from the published rates, written
out here independently of the engine.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba
from cba.core._errors import CBAError, ModelError
from cba.engine import compile_model
from cba.engine._evaluate import evaluate, evaluate_totals, reduce_flows
from cba.engine._metrics import compute
from cba.ledger._ledger import totals_from_ledger

BASE = {"name": "Fidelity", "price_base": "2024/25"}


def model(**fields) -> cba.Intervention:
    return cba.Intervention.from_dict({**BASE, **fields})


def outcome(components, **fields):
    return {"name": fields.pop("name", "Outcome"), "cohort": fields.pop("cohort", 1),
            "success": fields.pop("success", 1), **fields, "value": {"components": components}}


def gb_factors(horizon, first, later):
    """Green Book style factors by hand: ``first`` for years 0-30, ``later`` from year 31."""
    out, df = [], 1.0
    for t in range(horizon):
        if t > 0:
            df /= 1 + (first if t <= 30 else later)
        out.append(df)
    return np.array(out)


# ---------------------------------------------------------------- 1. discounting by value type
def health_model(**extra):
    return model(horizon=40, costs=[{"name": "Service", "agency": "nhs", "amounts": [1000.0] * 40}],
                 outcomes=[outcome([{"type": "social", "amount": 100.0, "health": True},
                                    {"type": "economic", "amount": 10.0}], duration=40)], **extra)


def test_a_health_value_on_the_health_schedule_beside_a_cost_on_the_standard_one_over_40_years():
    a = cba.appraise(health_model())
    standard = gb_factors(40, 0.035, 0.030)          # Green Book STPR: 3.5% to year 30, then 3.0%
    health = gb_factors(40, 0.015, 0.0129)           # Green Book health rate: 1.5%, then 1.29%
    assert standard[31] == pytest.approx(1 / (1.035 ** 30 * 1.03))
    assert health[31] == pytest.approx(1 / (1.015 ** 30 * 1.0129))
    assert a.metrics["pv_costs"] == pytest.approx(1000 * standard.sum(), rel=1e-12)
    assert a.metrics["pv_social"] == pytest.approx(100 * health.sum(), rel=1e-12)
    assert a.metrics["pv_economic"] == pytest.approx(10 * standard.sum(), rel=1e-12)   # not a health value
    assert a.metrics["pv_public_value"] == pytest.approx(100 * health.sum() + 10 * standard.sum(), rel=1e-12)
    # the ledger shows each row's own factor
    led = a.ledger
    social = led[led["value_type"] == "social"].sort_values("year")
    np.testing.assert_allclose(social["discount_factor"], health, rtol=1e-12)
    assert "health rate" in a.provenance["health_discounting"]


def test_every_path_gives_the_same_health_discounted_present_values():
    m = compile_model(health_model())
    flows = evaluate(m)
    want, _ = compute(reduce_flows(m, flows))
    fast, _ = compute(evaluate_totals(m))
    a = cba.appraise(health_model())
    for k in ("pv_costs", "pv_social", "pv_economic", "pv_public_value"):
        assert fast[k][0] == pytest.approx(want[k][0], rel=1e-12)
        assert a.metrics[k] == pytest.approx(want[k][0], rel=1e-12)
    # a consumer of Flows: per-component present values from component_discount_factors
    per_component = (flows.benefits * flows.component_discount_factors).sum(axis=-1)[0]
    assert per_component[0] == pytest.approx(want["pv_social"][0], rel=1e-12)
    assert per_component[1] == pytest.approx(want["pv_economic"][0], rel=1e-12)
    assert flows.component_discount_factors.shape == flows.benefits.shape


def test_health_discounting_names_another_schedule_and_green_book_health_keeps_its_meaning():
    a = cba.appraise(health_model(health_discounting={"rate": 0.02}))
    assert a.metrics["pv_social"] == pytest.approx(100 * sum(1.02 ** -t for t in range(40)), rel=1e-12)
    whole = cba.appraise(health_model(discounting="green_book_health"))
    health = gb_factors(40, 0.015, 0.0129)
    assert whole.metrics["pv_costs"] == pytest.approx(1000 * health.sum(), rel=1e-12)
    assert whole.metrics["pv_economic"] == pytest.approx(10 * health.sum(), rel=1e-12)
    assert whole.metrics["pv_social"] == pytest.approx(100 * health.sum(), rel=1e-12)


def test_the_lower_rate_sensitivity_schedule():
    sched = cba.model.DiscountSchedule.from_dict("green_book_lower")
    rates = sched.rates(302)
    assert [rates[t] for t in (0, 30, 31, 75, 76, 125, 126, 200, 201, 300, 301)] == [
        0.03, 0.03, 0.0257, 0.0257, 0.0214, 0.0214, 0.0171, 0.0171, 0.0129, 0.0129, 0.0086]
    np.testing.assert_allclose(sched.factors(40), gb_factors(40, 0.03, 0.0257), rtol=1e-12)
    assert sched.to_dict() if hasattr(sched, "to_dict") else True
    # issue 21: health components follow the lower-rate test's own health schedule
    # (Green Book Annex A6 Table 8, pure STP = 0: 1.00% for years 0-30, 0.86% for 31-75)
    a = cba.appraise(health_model(discounting="green_book_lower"))
    lower_health = gb_factors(40, 0.010, 0.0086)
    assert lower_health[31] == pytest.approx(1 / (1.01 ** 30 * 1.0086))
    assert a.metrics["pv_social"] == pytest.approx(100 * lower_health.sum(), rel=1e-12)
    assert a.metrics["pv_costs"] == pytest.approx(1000 * gb_factors(40, 0.03, 0.0257).sum(), rel=1e-12)
    assert "health rate of the lower-rate test" in a.provenance["health_discounting"]


def test_a_fiscal_saving_cannot_be_a_health_value():
    with pytest.raises(ModelError, match=r"health: a fiscal saving is cash"):
        model(outcomes=[outcome([{"type": "fiscal", "agency": "nhs", "amount": 1, "health": True}])])


# ---------------------------------------------------------------- 2. timing by component
def timed_model():
    return model(horizon=6, outcomes=[outcome([
        {"type": "fiscal", "agency": "police", "amount": 100.0},
        {"type": "economic", "amount": 50.0, "lag": 3, "duration": 2, "drop_off": 0.1},
    ], cohort=[10, 10], success=0.5, lag=1, duration=1)], discounting={"rate": 0.0})


def test_a_component_lagged_beyond_its_outcomes_lag():
    by_year = cba.appraise(timed_model()).by_year()
    # 5 net successes in years 0 and 1; the outcome's timing: one year, a year later
    assert by_year["fiscal"].tolist() == pytest.approx([0, 500, 500, 0, 0, 0])
    # the component's own: from 3 years after intake, two years, 10% drop-off
    # intake 0 -> 5 in year 3, 4.5 in year 4; intake 1 -> 5 in year 4, 4.5 in year 5
    assert by_year["economic"].tolist() == pytest.approx([0, 0, 0, 250, 475, 225])


def test_component_timing_agrees_on_every_path_and_follows_outcome_draws_it_does_not_set():
    m = compile_model(model(horizon=8, outcomes=[outcome([
        {"type": "fiscal", "agency": "police", "amount": 100.0},
        {"type": "social", "amount": 40.0, "lag": 4},              # own lag; duration from the outcome
    ], cohort=[10, 5, 3], success=0.5, lag=1, duration=2, drop_off=0.2)]))
    over = {"duration": np.array([[1], [3], [2]]), "lag": np.array([[0], [2], [1]])}
    slow = reduce_flows(m, evaluate(m, over))
    fast = evaluate_totals(m, over)
    np.testing.assert_allclose(fast.social, slow.social, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(fast.fiscal, slow.fiscal, rtol=1e-12, atol=1e-9)
    # draw 1: duration 3 from the outcome, lag 4 of its own, drop-off 0.2
    s = np.array([5.0, 2.5, 1.5, 0, 0, 0, 0, 0])
    w = [1.0, 0.8, 0.64]
    expected = np.zeros(8)
    for c in range(8):
        for k, wk in enumerate(w):
            if c + 4 + k < 8:
                expected[c + 4 + k] += s[c] * wk
    np.testing.assert_allclose(fast.social[1], 40 * expected, rtol=1e-12)


# ---------------------------------------------------------------- 3. cashability over time
def cashable_model(**comp):
    return model(horizon=5, discounting={"rate": 0.0}, costs=[{"name": "Team", "agency": "local_authority",
                                                                "amounts": [1000.0]}],
                 outcomes=[outcome([{"type": "fiscal", "agency": "local_authority", "amount": 1000.0,
                                     "cashable": [0, 0.5, 1], **comp}], duration=5)])


def test_a_cashable_share_by_year_is_padded_with_its_last_value():
    a = cba.appraise(cashable_model())
    y = a.by_year()
    assert y["fiscal"].tolist() == pytest.approx([1000] * 5)
    assert y["cashable"].tolist() == pytest.approx([0, 500, 1000, 1000, 1000])
    assert a.metrics["pv_cashable"] == pytest.approx(3500)
    m = compile_model(cashable_model())
    flows = evaluate(m)
    assert flows.cashable.shape == (1, 1, 5)
    np.testing.assert_allclose(evaluate_totals(m).cashable, reduce_flows(m, flows).cashable)
    # the Monte Carlo path: a share drawn per draw replaces every year's
    over = {"component_cashable": np.array([[[0.2] * 5], [[0, 0, 0, 1, 1]]])}
    np.testing.assert_allclose(evaluate_totals(m, over).cashable, reduce_flows(m, evaluate(m, over)).cashable)
    assert evaluate_totals(m, over).cashable[:, 0].sum(axis=-1).tolist() == pytest.approx([1000, 2000])


def test_cashable_by_year_longer_than_the_horizon_is_an_error():
    with pytest.raises(ModelError, match=r"value\.components\[0\]\.cashable: 6 years given"):
        model(horizon=5, outcomes=[outcome([{"type": "fiscal", "agency": "nhs", "amount": 1,
                                             "cashable": [0, 0, 0, 0, 0, 1]}])])


def test_cost_reduction_and_cost_avoidance_are_reported_in_the_financial_case():
    a = cba.appraise(model(horizon=2, discounting={"rate": 0.0}, outcomes=[
        outcome([{"type": "fiscal", "agency": "local_authority", "amount": 300.0, "saving": "reduction"},
                 {"type": "fiscal", "agency": "nhs", "amount": 200.0, "saving": "avoidance"},
                 {"type": "fiscal", "agency": "police", "amount": 50.0}], duration=2)]))
    assert a.metrics["pv_cost_reduction"] == pytest.approx(600)
    assert a.metrics["pv_cost_avoidance"] == pytest.approx(400)
    assert a.metrics["pv_fiscal"] == pytest.approx(1100)
    rows = a.table("summary").set_index("metric")
    assert rows.loc["pv_cost_reduction", "value"] == pytest.approx(600)
    m = compile_model(a.intervention)
    fast = evaluate_totals(m)
    np.testing.assert_allclose(fast.reduction, reduce_flows(m, evaluate(m)).reduction)
    # models that class nothing report neither
    assert "pv_cost_reduction" not in cba.appraise(cashable_model()).metrics
    with pytest.raises(ModelError, match="saving"):
        model(outcomes=[outcome([{"type": "social", "amount": 1, "saving": "reduction"}])])


# ---------------------------------------------------------------- 4. double counting
def by_code_model(exclude=("fiscal",), **extra):
    return model(horizon=2, costs=[{"name": "Team", "agency": "local_authority", "amounts": [1000.0]}], outcomes=[
        {"name": "Back in school", "cohort": 10, "success": 0.5,
         "value": {"unit_cost": "E&S1.0", **({"exclude": list(exclude)} if exclude else {})}},
        outcome([{"type": "fiscal", "agency": "local_authority", "amount": 327.83, "price_year": "2005/06",
                  "unit_cost": "E&S1.0.4"}], name="Fewer care costs", cohort=10, success=0.2),
    ], **extra)


def test_the_overlap_warning_for_a_headline_and_its_constituent():
    a = cba.appraise(by_code_model())
    assert len(a.warnings) == 1
    w = a.warnings[0]
    assert "'Back in school'" in w and "'Fewer care costs'" in w
    assert "headline E&S1.0" in w and "E&S1.0.4" in w
    # shown in every output
    assert w in " ".join(a.summary().split())  # wrapped to the screen's width (issue 12, item 5)
    assert w in a.to_markdown()
    for text in (a.to_markdown(), " ".join(a.summary().split())):   # once: no second copy in a table
        assert text.count(w) == 1
    assert "value_for_money not given" in a.provenance["value_for_money_bands"]   # no category unless asked
    provenance = cba.appraise(by_code_model(value_for_money="dft")).provenance["value_for_money_bands"]
    assert provenance.count("poor below 1") == 1                      # the bands said once
    assert json.loads(a.to_json())["warnings"] == [w]
    from html import escape

    from cba.outputs.report._report import render_report
    assert escape(w) in render_report(a, charts=False)
    import io

    import openpyxl

    from cba.outputs.export._formats import to_xlsx
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(a)))
    assert w in [c.value for row in book["Warnings"].iter_rows() for c in row]
    assert "Warnings" not in openpyxl.load_workbook(io.BytesIO(to_xlsx(cba.appraise(by_code_model(
        mutually_exclusive=[["Back in school", "Fewer care costs"]]))))).sheetnames
    # valued by code in full, the first outcome uses the constituent row itself
    full = cba.appraise(by_code_model(exclude=None))
    assert len(full.warnings) == 1
    assert "'Back in school', 'Fewer care costs' are each valued with unit cost E&S1.0.4;" in full.warnings[0]
    # the same entry by code in two outcomes: one warning naming every shared row
    twice = cba.appraise(model(outcomes=[
        {"name": "A", "cohort": 1, "success": 1, "value": {"unit_cost": "E&E1.0"}},
        {"name": "B", "cohort": 1, "success": 1, "value": {"unit_cost": "E&E1.0"}}]))
    assert twice.warnings == ["possible double counting: outcomes 'A', 'B' are each valued with unit costs "
                              "E&E1.0, E&E1.0.1, E&E1.0.2; count the value once, or declare the outcomes "
                              "mutually_exclusive if no person can have both"]


def test_the_same_unit_cost_in_two_outcomes_and_the_database_overlap_rules():
    same = cba.appraise(model(outcomes=[
        {"name": "A", "cohort": 1, "success": 1, "value": {"unit_cost": "CR1.0"}},
        {"name": "B", "cohort": 1, "success": 1, "value": {"unit_cost": "CR1.0"}}]))
    assert len(same.warnings) == 1 and "'A', 'B'" in same.warnings[0] and "CR1.0" in same.warnings[0]
    overlap = cba.appraise(model(outcomes=[
        {"name": "Crime", "cohort": 1, "success": 1, "value": {"unit_cost": "CR8.0"}},
        {"name": "Domestic abuse", "cohort": 1, "success": 1, "value": {"unit_cost": "CR2.0"}}]))
    assert any("CR8.0" in w and "CR2.0" in w and "specific crime types" in w for w in overlap.warnings)
    clean = cba.appraise(model(outcomes=[
        {"name": "Into work", "cohort": 1, "success": 1, "value": {"unit_cost": "E&E1.0"}}]))
    assert clean.warnings == []


def test_mutually_exclusive_outcomes_count_each_person_once():
    groups = [["Back in school", "Fewer care costs"]]
    a = cba.appraise(by_code_model(mutually_exclusive=groups))
    assert a.warnings == []
    with pytest.raises(ModelError, match=r"mutually_exclusive\[0\].*'Nobody'"):
        by_code_model(mutually_exclusive=[["Back in school", "Nobody"]])
    too_many = by_code_model().to_dict()
    too_many["outcomes"][1]["success"] = 0.6
    too_many["mutually_exclusive"] = groups
    with pytest.raises(ModelError, match=r"adds up to 1\.1"):
        cba.Intervention.from_dict(too_many)
    other_cohort = by_code_model().to_dict()
    other_cohort["outcomes"][1]["cohort"] = 11
    other_cohort["mutually_exclusive"] = groups
    with pytest.raises(ModelError, match="different cohorts"):
        cba.Intervention.from_dict(other_cohort)


@pytest.mark.parametrize("command", ["appraise", "report"])
def test_strict_turns_warnings_into_an_error(tmp_path, command):
    path = tmp_path / "model.yaml"
    path.write_text(by_code_model().to_yaml())
    args = [sys.executable, "-m", "cba", command, str(path)] + (["-o", str(tmp_path / "r.html")]
                                                                 if command == "report" else [])
    loose = subprocess.run(args, capture_output=True, text=True)
    assert loose.returncode == 0, loose.stderr
    assert "possible double counting" in loose.stderr
    strict = subprocess.run([*args, "--strict", "--force"], capture_output=True, text=True)
    assert strict.returncode == 2
    assert "--strict" in strict.stderr and "E&S1.0.4" in strict.stderr
    assert "Traceback" not in strict.stderr


# ---------------------------------------------------------------- 5. value for money
@pytest.mark.parametrize("bcr, category", [
    (-0.5, "poor"), (0.0, "poor"), (0.999999, "poor"), (1.0, "low"), (1.499999, "low"), (1.5, "medium"),
    (1.999999, "medium"), (2.0, "high"), (3.999999, "high"), (4.0, "very high"), (40.0, "very high"),
])
def test_each_value_for_money_band_edge(bcr, category):
    # a cost of 1000 and a social value of 1000 * bcr give a public value ROI of bcr
    a = cba.appraise(model(horizon=1, costs=[{"name": "x", "agency": "local_authority", "amounts": [1000.0]}],
                           outcomes=[outcome([{"type": "social", "amount": 1000.0 * bcr}])], value_for_money="dft"))
    assert a.metrics["public_value_roi"] == pytest.approx(bcr, abs=1e-12)
    assert a.value_for_money == category


def test_no_costs_means_no_category_and_bands_are_configurable():
    free = cba.appraise(model(outcomes=[outcome([{"type": "social", "amount": 5.0}])]))
    assert free.value_for_money is None and json.loads(free.to_json())["metrics"]["value_for_money"] is None
    bands = {"metric": "financial_roi", "source": "Our board's bands",
             "bands": [{"name": "negative"}, {"name": "weak", "from": 0}, {"name": "good", "from": 1.2}]}
    a = cba.appraise(model(horizon=1, value_for_money=bands,
                           costs=[{"name": "x", "agency": "local_authority", "amounts": [1000.0]}],
                           outcomes=[outcome([{"type": "fiscal", "agency": "nhs", "amount": 1200.0}])]))
    assert a.value_for_money == "good" and json.loads(a.to_json())["metrics"]["value_for_money"] == "good"
    assert "Our board's bands" in a.provenance["value_for_money_bands"]
    assert "negative below 0" in a.provenance["value_for_money_bands"]
    dft = cba.appraise(model(horizon=1, value_for_money="dft"))
    assert "Department for Transport" in dft.provenance["value_for_money_bands"]
    assert a.value_for_money_bands.label() == "value for money category (the model's own bands) of the " \
                                              "financial return (financial_roi)"
    for bad, msg in (({"bands": [{"name": "a", "from": 0}]}, "first band has no lower bound"),
                     ({"bands": [{"name": "a"}, {"name": "b", "from": 2}, {"name": "c", "from": 1}]}, "increase"),
                     ("treasury", "unknown value for money bands")):
        with pytest.raises(CBAError, match=msg):
            model(value_for_money=bad)


# ---------------------------------------------------------------- every path agrees, for every new feature
@st.composite
def fidelity_models(draw):
    H = draw(st.integers(2, 8))
    comps = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["fiscal", "economic", "social"]))
        c = {"type": kind, "amount": draw(st.floats(-500, 5000, allow_nan=False))}
        if kind == "fiscal":
            c["agency"] = draw(st.sampled_from(["nhs", "police", "local_authority"]))
            if draw(st.booleans()):
                c["cashable"] = draw(st.lists(st.floats(0, 1), min_size=1, max_size=H))
            c["saving"] = draw(st.sampled_from([None, "reduction", "avoidance"]))
        elif draw(st.booleans()):
            c["health"] = True
        if draw(st.booleans()):
            c["lag"] = draw(st.integers(0, H))
        if draw(st.booleans()):
            c["duration"] = draw(st.integers(1, H))
        comps.append({k: v for k, v in c.items() if v is not None})
    return model(horizon=H, costs=[{"name": "c", "agency": "local_authority",
                                    "amounts": draw(st.lists(st.floats(0, 1e4), min_size=1, max_size=H))}],
                 outcomes=[outcome(comps, cohort=draw(st.lists(st.floats(0, 100), min_size=1, max_size=H)),
                                   success=draw(st.floats(0, 1)), lag=draw(st.integers(0, 2)),
                                   duration=draw(st.integers(1, 3)), drop_off=draw(st.floats(0, 0.5)))])


@settings(max_examples=40, deadline=None)
@given(fidelity_models())
def test_engine_paths_and_the_ledger_agree(m):
    compiled = compile_model(m)
    slow = reduce_flows(compiled, evaluate(compiled))
    fast = evaluate_totals(compiled)
    a = cba.appraise(m)
    led = totals_from_ledger(a.ledger, compiled.agencies, compiled.horizon,
                             compiled.params["discount_factors"], model=compiled)
    ms, _ = compute(slow)
    mf, _ = compute(fast)
    ml, _ = compute(led)
    for k in ms:
        for other in (mf, ml):
            assert np.allclose(other[k], ms[k], rtol=1e-9, atol=1e-6, equal_nan=True), k
    # discounted ledger rows add up to the present values
    pv = a.ledger.groupby("value_type")["discounted"].sum()
    for vt in ("economic", "social"):
        assert pv.get(vt, 0.0) == pytest.approx(a.metrics[f"pv_{vt}"], rel=1e-9, abs=1e-6)


def test_a_local_unit_cost_row_may_be_a_health_value(tmp_path):
    (tmp_path / "ours.csv").write_text(
        "code,description,unit,agency,value_type,value,price_year,transfer,health\n"
        "LOC9.0,Better health (illustrative),Per person,nhs,fiscal,100,2024/25,no,\n"
        "LOC9.0,Better health (illustrative),Per person,,social,1000,2024/25,,yes\n", encoding="utf-8")
    (tmp_path / "model.yaml").write_text(model(horizon=40, unit_costs={"local": ["ours.csv"]}, outcomes=[
        {"name": "Healthier", "cohort": 1, "success": 1, "duration": 40, "value": {"unit_cost": "LOC9.0"}}
    ]).to_yaml(), encoding="utf-8")
    a = cba.appraise(tmp_path / "model.yaml")
    assert a.metrics["pv_social"] == pytest.approx(1000 * gb_factors(40, 0.015, 0.0129).sum(), rel=1e-12)
    assert a.metrics["pv_fiscal"] == pytest.approx(100 * gb_factors(40, 0.035, 0.030).sum(), rel=1e-12)
    (tmp_path / "bad.csv").write_text(
        "code,description,agency,value_type,value,price_year,health\n"
        "LOC9.1,Cash,nhs,fiscal,100,2024/25,yes\n", encoding="utf-8")
    from cba.unit_costs import read_csv
    with pytest.raises(CBAError, match=r"bad\.csv, row 2, column 'health': only economic and social"):
        read_csv(tmp_path / "bad.csv")


def test_uncertainty_varies_a_cashable_share_given_by_year():
    from cba.uncertainty import montecarlo

    m = cashable_model()
    r = montecarlo(m, {"outcomes[0].value.components[0].cashable": {"dist": "uniform", "low": 0.4, "high": 0.6}},
                   draws=2000, seed=1, progress=False, keep_draws=True)
    # a drawn share replaces every year's: share x 1,000 in each of 5 years, undiscounted
    col = r.metrics.index("pv_cashable")
    np.testing.assert_allclose(r.values[:, col], 5000 * r.samples[:, 0], rtol=1e-12)
    assert r.base["pv_cashable"] == pytest.approx(3500)


def test_no_category_unless_the_model_asks_and_then_named_for_its_basis_with_the_guidance():
    # issue 21: the GM method gives no categories, and HM Treasury says a ratio is not a verdict
    costs = [{"name": "x", "agency": "local_authority", "amounts": [1000.0]}]
    plain = cba.appraise(model(horizon=1, costs=costs, outcomes=[outcome([{"type": "social", "amount": 500.0}])]))
    assert plain.value_for_money is None and plain.value_for_money_bands is None
    assert json.loads(plain.to_json())["metrics"]["value_for_money"] is None
    assert plain.provenance["value_for_money_bands"].startswith("none")
    text = str(plain)
    assert "poor" not in text and "Value for money category" not in text
    asked = cba.appraise(model(horizon=1, costs=costs, outcomes=[outcome([{"type": "social", "amount": 500.0}])],
                               value_for_money="dft"))
    assert asked.value_for_money == "poor"
    text = " ".join(str(asked).split())   # the text output wraps long lines
    # named for its basis (whose categories, which ratio) and shown with what the guidance says
    assert "DfT value for money category (transport schemes) of the benefit-cost ratio" in text
    assert "does not automatically constitute poor value" in text
    md = asked.to_markdown()
    assert "DfT value for money category (transport schemes)" in md and "not a verdict" in md
