"""Values counted in WELLBYs: priced at the model's value of a WELLBY, uprated and discounted like any social value."""

import pytest

import cba
from cba.core._errors import CBAError, ModelError
from cba.uncertainty import montecarlo
from cba.uncertainty._sensitivity import one_way

# The value of a WELLBY the HM Treasury Wellbeing Guidance for Appraisal (July 2021) is
# reported to give: 13,000 pounds, range 10,000 to 16,000 (What Works Centre for Wellbeing,
# "Converting the WELLBY", 2023). The library ships no value (its price year is unchecked);
# these tests give it in the model, as a user would.
WELLBEING = {"value": 13000, "low": 10000, "high": 16000, "price_year": "2024/25",
             "source": "HM Treasury Wellbeing Guidance for Appraisal (2021), as quoted"}


def model(**changes):
    data = {
        "name": "Wellbeing", "price_base": "2024/25", "horizon": 3, "wellbeing": dict(WELLBEING),
        "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [10000]}],
        "outcomes": [{"name": "Better lives", "cohort": 10, "success": 0.5, "duration": 3,
                      "value": {"components": [{"type": "social", "unit": "wellby", "amount": 0.1}]}}],
    }
    data.update(changes)
    return cba.Intervention.from_dict(data)


def test_wellby_outcome_against_a_hand_calculation():
    # 10 x 0.5 = 5 successes, each 0.1 WELLBY a year for 3 years at 13,000 pounds:
    # 6,500 pounds a year, discounted at 3.5%: 6,500 x (1 + 1/1.035 + 1/1.035^2)
    # = 6,500 x (1 + 0.966183575 + 0.933510700) = 6,500 x 2.899694275 = 18,848.0128
    a = cba.appraise(model())
    assert a.metrics["pv_social"] == pytest.approx(18848.0128, abs=1e-3)
    assert a.metrics["pv_public_value"] == pytest.approx(18848.0128, abs=1e-3)
    info = a.compiled.component_info[0]
    assert info["unit"] == "wellby" and info["value_per_wellby"] == 13000 and info["uplift"] == 1.0


def test_wellby_value_is_uprated_from_its_price_year_like_any_value():
    # the same social value entered in pounds at 2019/20 prices is uprated by the same factor
    wb = {**WELLBEING, "price_year": "2019/20"}
    a = cba.appraise(model(wellbeing=wb))
    pounds = model(outcomes=[{"name": "Better lives", "cohort": 10, "success": 0.5, "duration": 3,
                              "value": {"components": [{"type": "social", "amount": 1300,
                                                        "price_year": "2019/20"}]}}])
    b = cba.appraise(pounds)
    assert a.metrics["pv_social"] == pytest.approx(b.metrics["pv_social"], rel=1e-12)
    assert a.metrics["pv_social"] > 18848.0128   # prices rose from 2019/20 to 2024/25


def test_wellby_component_may_be_discounted_on_the_health_schedule():
    comp = {"type": "social", "unit": "wellby", "amount": 0.1, "health": True}
    a = cba.appraise(model(outcomes=[{"name": "Better lives", "cohort": 10, "success": 0.5, "duration": 3,
                                      "value": {"components": [comp]}}]))
    # 6,500 x (1 + 1/1.015 + 1/1.015^2) = 6,500 x 2.955883424 = 19,213.2423
    assert a.metrics["pv_social"] == pytest.approx(19213.2423, abs=1e-3)


def test_mistakes_are_named_by_their_field():
    with pytest.raises(ModelError, match=r"outcomes\[0\]\.value\.components\[0\]\.unit.*wellbeing"):
        model(wellbeing=None)
    bad = {"type": "fiscal", "agency": "police", "unit": "wellby", "amount": 0.1}
    with pytest.raises(ModelError, match="social value"):
        model(outcomes=[{"name": "x", "cohort": 1, "success": 1, "value": {"components": [bad]}}])
    with pytest.raises(ModelError, match="within low"):
        model(wellbeing={**WELLBEING, "value": 20000})
    with pytest.raises(ModelError, match="price_year"):
        model(outcomes=[{"name": "x", "cohort": 1, "success": 1, "value": {"components": [
            {"type": "social", "unit": "wellby", "amount": 0.1, "price_year": "2019/20"}]}}])


def test_sensitivity_uses_the_published_range_of_the_value_of_a_wellby():
    s = one_way(model(), ["wellbeing.value"], metrics=["pv_social"])
    row = s.table.iloc[0]
    assert (row["low_value"], row["high_value"]) == (10000.0, 16000.0)
    # pv_social is linear in the value: 18,848.0128 x 10/13 and x 16/13
    assert row["metric_low"] == pytest.approx(18848.0128 * 10 / 13, abs=1e-3)
    assert row["metric_high"] == pytest.approx(18848.0128 * 16 / 13, abs=1e-3)


def test_amount_in_wellbys_is_a_parameter_in_wellbys():
    s = one_way(model(), {"outcomes[0].value.components[0].amount": (0.05, 0.2)}, metrics=["pv_social"])
    assert s.table.iloc[0]["metric_high"] == pytest.approx(18848.0128 * 2, abs=1e-3)


def test_monte_carlo_draws_the_value_of_a_wellby():
    r = montecarlo(model(), {"wellbeing.value": {"dist": "triangular", "low": 10000, "mode": 13000,
                                                 "high": 16000}}, draws=500, seed=1, progress=False)
    # costs 10,000; benefits 18,848 x v/13,000 > 10,000 whenever v > 6,897: always
    assert r.probability("net_present_public_value") == 1.0
    acc = cba.appraise(model()).accounts(r)
    assert acc["total"]["chance_benefits_exceed_costs"] == 1.0
    assert acc["per_participant"]["chance_benefits_exceed_costs"] == 1.0


def test_wellbeing_value_needs_wellby_components():
    plain = model(outcomes=[{"name": "x", "cohort": 1, "success": 1,
                             "value": {"components": [{"type": "social", "amount": 5}]}}])
    with pytest.raises(CBAError, match="values nothing in WELLBYs"):
        one_way(plain, ["wellbeing.value"])


def test_switching_value_of_the_value_of_a_wellby():
    from cba.uncertainty._switching import switching_value

    # NPV = 18,848.0128 x v / 13,000 - 10,000 = 0 at v = 10,000 x 13,000 / 18,848.0128 = 6,897.2788
    r = switching_value(model(), "wellbeing.value", "net_present_public_value", 0.0, within=(0, 20000))
    assert r.found and r.value == pytest.approx(6897.2788, abs=1e-3)


def test_monte_carlo_takes_the_published_range_when_given_none():
    from cba.engine._compiled import compile_model
    from cba.uncertainty._sampling import Sampler

    s = Sampler(compile_model(model()), {"wellbeing.value": {"dist": "triangular"}}, seed=3)
    v = s.sample(0, 4000)["wellbeing.value"]
    assert v.min() >= 10000 and v.max() <= 16000
    # the mean of a triangular (10,000, 13,000, 16,000) is 13,000
    assert abs(v.mean() - 13000) < 100
