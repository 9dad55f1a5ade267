"""Optimism bias (issue 21): the Green Book's bounds by project type, and corrections above 100%."""

from __future__ import annotations

import pytest

import cba
from cba.core._errors import ModelError
from cba.engine import compile_model
from cba.method._optimism_bias import GREEN_BOOK_CAPITAL_UPPER_BOUNDS, GREEN_BOOK_OPTIMISM_BIAS
from cba.model import ProjectTypeOptimismBias
from cba.uncertainty import resolve

BASE = {"name": "Optimism", "price_base": "2024/25", "horizon": 1}


def model(costs, **extra):
    return cba.Intervention.from_dict({**BASE, "costs": costs, **extra})


def test_the_green_book_table_as_published():
    # HM Treasury (2003) Supplementary Green Book Guidance: Optimism Bias, Table 2 (capital expenditure U, L;
    # outsourcing: operating expenditure)
    assert GREEN_BOOK_OPTIMISM_BIAS == {
        "standard_buildings": (0.24, 0.02), "non_standard_buildings": (0.51, 0.04),
        "standard_civil_engineering": (0.44, 0.03), "non_standard_civil_engineering": (0.66, 0.06),
        "equipment_development": (2.00, 0.10), "outsourcing": (0.41, 0.00)}
    assert GREEN_BOOK_CAPITAL_UPPER_BOUNDS["non_standard_buildings"] == 0.51
    # the guidance's worked example: 30% non-standard and 70% standard building -> 32.1%
    assert pytest.approx(0.321) == 0.3 * 0.51 + 0.7 * 0.24


def test_a_capital_line_with_the_equipment_bound_of_200_percent():
    m = model([{"name": "Kit", "agency": "nhs", "kind": "capital", "amounts": [1000.0],
                "optimism_bias": "equipment_development"}])
    # 1000 x (1 + 2.00) = 3000
    assert cba.appraise(m).metrics["pv_costs"] == pytest.approx(3000.0, rel=1e-15)
    lower = model([{"name": "Kit", "agency": "nhs", "kind": "capital", "amounts": [1000.0],
                    "optimism_bias": {"project_type": "standard_buildings", "bound": "lower"}}])
    assert cba.appraise(lower).metrics["pv_costs"] == pytest.approx(1020.0, rel=1e-15)   # 1000 x 1.02
    assert ProjectTypeOptimismBias.from_dict("outsourcing").correction() == 0.41


@pytest.mark.parametrize("line, message", [
    ({"kind": "capital", "optimism_bias": "outsourcing"}, "for outsourcing are for operating costs"),
    ({"kind": "revenue", "optimism_bias": "standard_buildings"}, "are for capital costs"),
    ({"kind": "capital", "optimism_bias": "standard_buildings", "confidence": 2}, "not both"),
    ({"kind": "capital", "optimism_bias": "castles"}, "project_type"),
])
def test_a_project_type_where_it_does_not_apply_is_refused(line, message):
    with pytest.raises(ModelError, match=message):
        model([{"name": "x", "agency": "nhs", "amounts": [1.0], **line}])


def test_a_grade_above_100_percent_raises_costs_but_may_not_cut_benefits():
    table = {"name": "ours", "grades": {1: 0.0, 2: 1.5}}
    m = model([{"name": "Build", "agency": "local_authority", "amounts": [1000.0], "confidence": 2}],
              optimism_bias=table,
              outcomes=[{"name": "o", "cohort": 1, "success": 1, "confidence": 1,
                         "value": {"components": [{"type": "social", "amount": 10.0}]}}])
    assert cba.appraise(m).metrics["pv_costs"] == pytest.approx(2500.0, rel=1e-15)   # 1000 x (1 + 1.5)
    # as an uncertain grade of the outcome, a grade above 100% is not on offer
    p = resolve(compile_model(m), "outcomes[0].confidence")
    assert (p.lower, p.upper) == (1.0, 1.0)
    with pytest.raises(ModelError, match=r"outcomes\[0\]\.confidence.*above 100% raises costs only"):
        model([], optimism_bias=table, outcomes=[{"name": "o", "cohort": 1, "success": 1, "confidence": 2,
                                                  "value": {"components": [{"type": "social", "amount": 1.0}]}}])
