import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cba.method._discounting import (
    GREEN_BOOK_BAND_STARTS,
    GREEN_BOOK_RATES,
    banded_rates,
    discount_factors,
    green_book_factors,
    present_value,
)
from cba.model import DiscountSchedule

# Regression values printed in the method spec (Green Book standard schedule).
SPEC_DF = {1: 0.966184, 5: 0.841973, 10: 0.708919, 30: 0.356278, 31: 0.345901,
           50: 0.197263, 75: 0.094214, 100: 0.050818}


@pytest.mark.parametrize("year,expected", sorted(SPEC_DF.items()))
def test_green_book_regression_values(year, expected):
    assert green_book_factors(101)[year] == pytest.approx(expected, abs=5e-7)


def test_band_boundaries_by_hand():
    df = green_book_factors(202)
    assert df[30] == pytest.approx(1.035**-30, rel=1e-12)
    assert df[31] == pytest.approx(df[30] / 1.030, rel=1e-12)
    assert df[76] == pytest.approx(df[75] / 1.025, rel=1e-12)
    assert df[126] == pytest.approx(df[125] / 1.020, rel=1e-12)
    assert df[201] == pytest.approx(df[200] / 1.015, rel=1e-12)


def test_health_schedule():
    df = green_book_factors(33, health=True)
    assert df[1] == pytest.approx(1 / 1.015, rel=1e-12)
    assert df[31] == pytest.approx(df[30] / 1.0129, rel=1e-12)


def test_first_year_discounted():
    assert discount_factors([0.05, 0.05], first_year_discounted=True) == pytest.approx([1 / 1.05, 1 / 1.05**2])
    assert discount_factors([0.05, 0.05]) == pytest.approx([1.0, 1 / 1.05])


def test_custom_and_constant_schedules():
    custom = DiscountSchedule.from_dict({"bands": [{"start_year": 0, "rate": 0.04}, {"start_year": 2, "rate": 0.01}]})
    assert custom.factors(4) == pytest.approx([1, 1 / 1.04, 1 / (1.04 * 1.01), 1 / (1.04 * 1.01**2)])
    assert DiscountSchedule.from_dict({"rate": 0.1}).factors(3) == pytest.approx([1, 1 / 1.1, 1 / 1.21])


def test_scalar_list_and_array_inputs_agree():
    rates = [0.035, 0.035, 0.03]
    expected = discount_factors(np.array(rates))
    assert discount_factors(rates) == pytest.approx(expected)
    stacked = discount_factors(np.array([rates, rates]))
    assert stacked.shape == (2, 3)
    assert stacked[1] == pytest.approx(expected)


def test_banded_rates_picks_band():
    r = banded_rates(80, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_RATES)
    assert r[0] == r[30] == 0.035 and r[31] == r[75] == 0.03 and r[76] == 0.025


def test_present_value():
    assert present_value([100.0, 100.0], [1.0, 0.5]) == 150.0


# ---------------------------------------------------------------- issue 21: corrections and schedules
def test_first_year_discounted_bands_follow_the_years_from_the_present():
    # Appraisal year 30 with the first year discounted lies 31 years from the present:
    # thirty steps at 3.5% (years 1-30) and one at 3.0% (year 31, the second band).
    # By hand: 1.035^-30 = 0.356278, / 1.03 = 0.345901 (before the correction
    # cba gave 1.035^-31 = 0.344230, the year-31 step taken at 3.5%).
    want = 1.035 ** -30 / 1.03
    assert want == pytest.approx(0.3459013695, abs=1e-10)
    assert green_book_factors(31, first_year_discounted=True)[30] == pytest.approx(want, rel=1e-12)
    assert DiscountSchedule.from_dict("green_book").factors(31, first_year_discounted=True)[30] == \
        pytest.approx(want, rel=1e-12)
    # year 29 is 30 years away: all at 3.5%; year 0 is one year away
    df = green_book_factors(31, first_year_discounted=True)
    assert df[29] == pytest.approx(1.035 ** -30, rel=1e-12) and df[0] == pytest.approx(1 / 1.035, rel=1e-12)
    # a custom band starting in year 2 (from the present) applies from appraisal year 1
    custom = DiscountSchedule.from_dict({"bands": [{"start_year": 0, "rate": 0.04}, {"start_year": 2, "rate": 0.01}]})
    assert custom.factors(3, first_year_discounted=True) == pytest.approx(
        [1 / 1.04, 1 / (1.04 * 1.01), 1 / (1.04 * 1.01 ** 2)], rel=1e-12)
    # without the option nothing moves: year 30 is 30 years away
    assert green_book_factors(31)[30] == pytest.approx(1.035 ** -30, rel=1e-12)


def test_a_cost_in_year_30_with_the_first_year_discounted():
    import cba

    model = cba.Intervention.from_dict({
        "name": "Year 30", "price_base": "2024/25", "horizon": 31, "first_year_discounted": True,
        "costs": [{"name": "Late cost", "agency": "local_authority", "amounts": [0.0] * 30 + [1000.0]}]})
    # 1000 x 1.035^-30 / 1.03 = 345.90137 (was 1000 x 1.035^-31 = 344.23035)
    assert cba.appraise(model).metrics["pv_costs"] == pytest.approx(345.9013695167984, rel=1e-12)


def test_the_lower_rate_tests_health_schedule():
    from cba.core._errors import CBAError
    from cba.method._discounting import GREEN_BOOK_LOWER_HEALTH_RATES

    # Green Book Annex A6 Table 8, health, reduced rate where pure STP = 0
    assert GREEN_BOOK_LOWER_HEALTH_RATES == (0.010, 0.0086, 0.0071)
    sched = DiscountSchedule.from_dict("green_book_lower_health")
    rates = sched.rates(126)
    assert [rates[t] for t in (0, 30, 31, 75, 76, 125)] == [0.01, 0.01, 0.0086, 0.0086, 0.0071, 0.0071]
    df = sched.factors(32)
    assert df[31] == pytest.approx(1.01 ** -30 / 1.0086, rel=1e-12)        # 0.735597 by hand
    assert df[31] == pytest.approx(0.7355967854, abs=1e-10)
    with pytest.raises(CBAError, match=r"years 0-125 only"):
        sched.factors(127)
    with pytest.raises(CBAError, match=r"years 0-125 only"):
        sched.factors(126, first_year_discounted=True)   # year 125 lies 126 years away


def test_a_model_beyond_year_125_on_the_lower_rate_test_needs_no_health_schedule_without_health_values():
    import cba

    base = {"name": "Long", "price_base": "2024/25", "horizon": 130, "discounting": "green_book_lower",
            "costs": [{"name": "Upkeep", "agency": "local_authority", "amounts": [10.0] * 130}]}
    a = cba.appraise(cba.Intervention.from_dict(base))
    assert a.metrics["pv_costs"] == pytest.approx(
        10 * DiscountSchedule.from_dict("green_book_lower").factors(130).sum(), rel=1e-12)
    with_health = {**base, "outcomes": [{"name": "Better health", "cohort": 1, "success": 1, "duration": 130,
                                         "value": {"components": [{"type": "social", "amount": 5.0,
                                                                   "health": True}]}}]}
    with pytest.raises(cba.CBAError, match=r"green_book_lower_health.*years 0-125 only"):
        cba.appraise(cba.Intervention.from_dict(with_health))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.floats(0.0, 0.2)), max_size=4), st.floats(0.0, 0.2),
       st.integers(1, 80))
def test_with_the_first_year_discounted_year_t_is_year_t_plus_1_from_the_present(later, first, horizon):
    # any banded schedule: appraisal year t with the first year discounted is discounted exactly
    # as year t + 1 is without the option (both lie t + 1 years from the present)
    starts = sorted({s for s, _ in later})
    bands = [{"start_year": 0, "rate": first}] + [{"start_year": s, "rate": dict(later)[s]} for s in starts]
    sched = DiscountSchedule.from_dict({"bands": bands})
    np.testing.assert_allclose(sched.factors(horizon, first_year_discounted=True),
                               sched.factors(horizon + 1)[1:], rtol=1e-13)
