"""The discount rate and health values (issue 21): every way of setting the rate treats
health values alike.

A value ``r`` of the ``discount_rate`` parameter (scenarios, one-way sensitivity,
switching values, Monte Carlo) means what ``discounting: {rate: r}`` means in the
model file: health values follow ``r``, unless the model gives
``health_discounting``, which then keeps them on its own schedule.
"""

from __future__ import annotations

import numpy as np
import pytest

import cba
from cba.engine import compile_model
from cba.uncertainty import Fixed, montecarlo, one_way, resolve, scenarios

# Two years; 1,000 of cost in year 0; a health value of 100 a year in years 0 and 1.
BASE = {"name": "Health", "price_base": "2024/25", "horizon": 2,
        "costs": [{"name": "Service", "agency": "nhs", "amounts": [1000.0]}],
        "outcomes": [{"name": "Better health", "cohort": [1, 0], "success": 1, "duration": 2,
                      "value": {"components": [{"type": "social", "amount": 100.0, "health": True}]}}]}

# By hand at 5%: 100 + 100 / 1.05 = 195.238095; at 2%: 100 + 100 / 1.02 = 198.039216
AT_5 = 100 + 100 / 1.05
AT_2 = 100 + 100 / 1.02
# The Green Book schedules of the model as given: health at 1.5%
AT_HEALTH = 100 + 100 / 1.015


def model(**extra):
    return cba.Intervention.from_dict({**BASE, **extra})


def test_the_model_file_rate_moves_health_values():
    assert pytest.approx(195.2380952, abs=1e-6) == AT_5
    assert cba.appraise(model()).metrics["pv_social"] == pytest.approx(AT_HEALTH, rel=1e-12)
    assert cba.appraise(model(discounting={"rate": 0.05})).metrics["pv_social"] == pytest.approx(AT_5, rel=1e-12)


def test_a_scenario_rate_moves_health_values_as_the_model_file_does():
    s = scenarios(model(), {"five": {"discount_rate": 0.05}})
    assert s.table.loc["pv_social", "five"] == pytest.approx(AT_5, rel=1e-12)
    assert s.table.loc["pv_social", "base"] == pytest.approx(AT_HEALTH, rel=1e-12)
    assert s.table.loc["pv_costs", "five"] == pytest.approx(1000.0, rel=1e-12)


def test_one_way_sensitivity_and_monte_carlo_agree_with_the_model_file():
    table = one_way(model(), {"discount_rate": (0.02, 0.05)}).table
    row = table[(table["metric"] == "pv_social") & (table["parameter"] == "discount_rate")].iloc[0]
    assert row["metric_low"] == pytest.approx(AT_2, rel=1e-12)
    assert row["metric_high"] == pytest.approx(AT_5, rel=1e-12)
    # the model's discounting is two schedules (standard and health): no one rate is its base
    assert np.isnan(row["base_value"])
    mc = montecarlo(model(), {"discount_rate": Fixed(0.05)}, draws=8, seed=1)
    assert mc.summary.loc["pv_social", "mean"] == pytest.approx(AT_5, rel=1e-12)


def test_health_discounting_in_the_model_keeps_health_values_on_their_schedule():
    m = model(health_discounting={"rate": 0.02})
    assert cba.appraise(m).metrics["pv_social"] == pytest.approx(AT_2, rel=1e-12)
    s = scenarios(m, {"five": {"discount_rate": 0.05}})
    assert s.table.loc["pv_social", "five"] == pytest.approx(AT_2, rel=1e-12)     # health: still 2%
    assert not resolve(compile_model(m), "discount_rate").health_follows
    # the same model file with discounting {rate: 0.05}: the same numbers
    assert cba.appraise(model(health_discounting={"rate": 0.02}, discounting={"rate": 0.05})
                        ).metrics["pv_social"] == pytest.approx(AT_2, rel=1e-12)


def test_a_model_without_health_values_keeps_its_one_rate_as_the_base():
    plain = model(outcomes=[{**BASE["outcomes"][0], "value": {"components": [{"type": "social", "amount": 100.0}]}}])
    p = resolve(compile_model(plain), "discount_rate")
    assert p.base == 0.035 and p.health_follows
