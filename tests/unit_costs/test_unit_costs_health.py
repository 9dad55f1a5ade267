"""Health values in the shipped data (issue 21): the QALY values of the GMCA database are
flagged, with their reason, so that a value looked up by code is discounted at the
Green Book health rate."""

from __future__ import annotations

import pytest

import cba
from cba.core._errors import CBAError
from cba.unit_costs._datasets import load
from cba.unit_costs._health_flags import HEALTH_VALUES, apply_health_flags
from cba.unit_costs._record_types import UnitCost, UnitCostValue
from cba.unit_costs._tidy_csv import read_csv_text, to_csv_text


def test_the_shipped_qaly_values_are_flagged_with_their_reason():
    db = load("gmca_v1_4")
    flagged = sorted((c.code, v.value_type) for c in db for v in c.values if v.health)
    assert flagged == [("HE1.0", "social"), ("HE2.0", "social"), ("HE2.0.1", "social"),
                       ("HE2.0.2", "social"), ("HE2.1", "social")]
    for code, _ in flagged:
        cost = db[code]
        assert "QALY" in cost.comment                        # the workbook's own words
        assert "QALY" in cost.social.health_basis and code in cost.social.health_basis
        assert not cost.fiscal.health                        # cash to the NHS or the courts stays cash
    assert set(HEALTH_VALUES["1.4"]) == {c for c, _ in flagged}


def test_a_qaly_value_looked_up_by_code_is_discounted_at_the_health_rate():
    model = cba.Intervention.from_dict({
        "name": "Alcohol brief interventions", "price_base": "2024/25", "horizon": 2,
        "costs": [{"name": "Service", "agency": "nhs", "amounts": [1000.0]}],
        "outcomes": [{"name": "Dependent drinker treated", "cohort": [1, 0], "success": 1, "duration": 2,
                      "value": {"unit_cost": "HE1.0"}}]})
    a = cba.appraise(model)
    # HE1.0: social 1,398 and fiscal 1,800 at 2009/10 prices; HM Treasury deflator (March 2026):
    # 2009/10 = 67.7042, 2024/25 = 100. Social: 1398 x 100 / 67.7042 = 2,064.8645 a year, on the
    # health schedule: x (1 + 1/1.015) = 4,099.2138 (at the standard rate it would be 4,059.9027).
    assert a.metrics["pv_social"] == pytest.approx(4099.213788033582, rel=1e-12)
    # the fiscal value (a cash saving to the NHS) stays at 3.5%: 1800 x 100 / 67.7042 x (1 + 1/1.035)
    assert a.metrics["pv_fiscal"] == pytest.approx(5227.342520526952, rel=1e-12)
    led = a.ledger
    social = led[led["value_type"] == "social"].sort_values("year")
    assert social["discount_factor"].tolist() == pytest.approx([1.0, 1 / 1.015], rel=1e-12)


def test_the_flags_check_the_workbooks_own_words():
    qaly = UnitCost("HE9.0", "Treatment", (UnitCostValue("social", 600.0, "2009/10"),
                                           UnitCostValue("fiscal", 50.0, "2009/10", transfer="no")),
                    agency="nhs", comment="0.01 QALYs at £60,000 per QALY")
    plain = UnitCost("HE9.1", "Visit", (UnitCostValue("social", 10.0, "2009/10"),), comment="a visit")
    costs, notes = apply_health_flags([qaly, plain], {"HE9.0": {"social": "why", "fiscal": "no"},
                                                      "HE9.1": {"social": "why"}, "HE9.9": {"social": "why"}})
    assert costs[0].social.health and costs[0].social.health_basis == "why"
    assert not costs[0].fiscal.health and not costs[1].social.health
    kinds = sorted(n.message.split(",")[0] for n in notes)
    assert len(notes) == 3 and all(n.kind == "health_list" for n in notes), kinds


def test_the_reason_round_trips_through_the_tidy_csv():
    cost = UnitCost("HE9.0", "Treatment", (UnitCostValue("social", 600.0, "2009/10", health=True,
                                                         health_basis="its comment values QALYs"),))
    back = read_csv_text(to_csv_text([cost]), "x.csv")
    assert back[0].social.health and back[0].social.health_basis == "its comment values QALYs"
    text = "code,value_type,value,price_year,health,health_basis\nX1,social,5,2019/20,no,because\n"
    with pytest.raises(CBAError, match=r"health_basis.*a reason is given but health is not yes"):
        read_csv_text(text, "mine.csv")
