"""Invariants of the method, as hypothesis properties."""

import copy
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cba
from cba.engine import compile_model
from cba.engine._evaluate import evaluate, reduce_flows
from cba.engine._metrics import METRIC_NAMES, compute
from cba.method._discounting import green_book_factors

from ..support.strategies import interventions

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def close(a, b, rel=1e-9, abs_=1e-6):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


@SETTINGS
@given(interventions())
def test_agency_rows_sum_to_totals(data):
    a = cba.appraise(data)
    table = a.by_agency()
    for col in ("pv_costs", "pv_fiscal", "pv_cashable"):
        assert close(float(table[col].sum()), a.metrics[col])
    assert a.check().empty
    # and the ledger sums to the same totals
    led = a.ledger
    assert close(float(led.loc[led.value_type == "cost", "discounted"].sum()), a.metrics["pv_costs"])


BENEFITS = ("pv_fiscal", "pv_cashable", "pv_economic", "pv_social", "pv_public_value")


def scale_cohort(data, k):
    for o in data["outcomes"]:
        o["cohort"] = [c * k for c in o["cohort"]] if isinstance(o["cohort"], list) else o["cohort"] * k


def scale_unit_values(data, k):
    for o in data["outcomes"]:
        for c in o["value"]["components"]:
            c["amount"] *= k


@SETTINGS
@given(interventions(), st.floats(0.1, 10), st.sampled_from([scale_cohort, scale_unit_values]))
def test_benefits_linear_in_cohort_and_unit_values(data, k, scale):
    base = cba.appraise(data).metrics
    scaled = copy.deepcopy(data)
    scale(scaled, k)
    m = cba.appraise(scaled).metrics
    for name in BENEFITS:
        assert close(m[name], base[name] * k, abs_=1e-6 * max(1, k)), name
    assert close(m["pv_costs"], base["pv_costs"])


@SETTINGS
@given(interventions(), st.sampled_from(["deadweight", "success", "engagement"]))
def test_no_benefit_when_nothing_is_additional(data, field):
    data = copy.deepcopy(data)
    for o in data["outcomes"]:
        o[field] = 1.0 if field == "deadweight" else 0.0
    a = cba.appraise(data)
    for name in BENEFITS:
        assert a.metrics[name] == 0.0
    assert (a.ledger.loc[a.ledger.value_type != "cost", "real"] == 0).all()


@SETTINGS
@given(interventions(), st.integers(1, 5))
def test_higher_grade_never_raises_benefits(data, grade):
    def with_grade(g):
        d = copy.deepcopy(data)
        for o in d["outcomes"]:
            o["confidence"] = g
        return cba.appraise(d).metrics

    lower, higher = with_grade(grade), with_grade(grade + 1)
    for name in ("pv_economic", "pv_social"):
        assert higher[name] <= lower[name] + 1e-9
    # with non-negative amounts every benefit total falls or stays
    assert higher["pv_public_value"] <= lower["pv_public_value"] + 1e-6


@given(st.integers(1, 400), st.booleans(), st.booleans())
@settings(max_examples=40, deadline=None)
def test_discount_factors_positive_and_decreasing(horizon, health, first):
    df = green_book_factors(horizon, health=health, first_year_discounted=first)
    assert (df > 0).all()
    assert (np.diff(df) < 0).all()
    assert df[0] <= 1.0


@SETTINGS
@given(interventions())
def test_json_and_yaml_round_trips_are_exact(data):
    model = cba.Intervention.from_dict(data)
    assert cba.Intervention.from_json(model.to_json()) == model
    assert cba.Intervention.from_yaml(model.to_yaml()) == model
    assert cba.Intervention.from_json(model.to_json()).to_json() == model.to_json()


@SETTINGS
@given(interventions(), st.integers(2, 5))
def test_many_identical_draws_equal_one_draw(data, draws):
    model = cba.Intervention.from_dict(data)
    compiled = compile_model(model)
    one_metrics, one_agency = compute(reduce_flows(compiled, evaluate(compiled)))
    overrides = {name: np.repeat(value[None], draws, axis=0) for name, value in compiled.params.items()}
    many_metrics, many_agency = compute(reduce_flows(compiled, evaluate(compiled, overrides)))
    for name in METRIC_NAMES:
        assert many_metrics[name].shape == (draws,)
        np.testing.assert_allclose(many_metrics[name], np.repeat(one_metrics[name], draws), rtol=1e-12, atol=1e-9)
    for name, value in one_agency.items():
        np.testing.assert_allclose(many_agency[name], np.repeat(value, draws, axis=0), rtol=1e-12, atol=1e-9)


@SETTINGS
@given(interventions())
def test_ledger_metrics_equal_engine_metrics(data):
    a = cba.appraise(data)
    engine_metrics, _ = compute(reduce_flows(a.compiled, evaluate(a.compiled)))
    for name in METRIC_NAMES:
        assert close(a.metrics[name], None if np.isnan(engine_metrics[name][0]) else float(engine_metrics[name][0]),
                     rel=1e-9, abs_=1e-6), name


def test_overrides_are_validated():
    model = cba.Intervention.from_dict({"name": "m", "price_base": "2024/25", "horizon": 2})
    compiled = compile_model(model)
    with pytest.raises(cba.CBAError, match="unknown engine parameter"):
        evaluate(compiled, {"nope": np.zeros((2, 0))})
    with pytest.raises(cba.CBAError, match="must have shape"):
        evaluate(compiled, {"discount_factors": np.zeros((2, 3))})
