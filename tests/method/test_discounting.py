import numpy as np
import pytest

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
