import numpy as np
import pytest

from cba.method._additionality import benefit_kernel, benefit_years, net_success_rate
from cba.method._optimism_bias import reduce_benefits, uplift_costs


def test_net_success_rate_by_hand():
    # 0.8 * 0.5 * 0.8 * 0.9 * 0.95 * 0.5 * 0.75 = 0.10260
    got = net_success_rate(0.8, 0.5, deadweight=0.2, displacement=0.1, leakage=0.05,
                           substitution=0.5, attribution=0.25)
    assert got == pytest.approx(0.1026, rel=1e-12)


def test_net_success_rate_vectorised():
    got = net_success_rate(np.array([1.0, 0.5]), 0.5, deadweight=np.array([0.0, 1.0]))
    assert got.tolist() == [0.5, 0.0]


def test_kernel_lag_duration_drop_off():
    k = benefit_kernel(5, 1, 2, 0.5)
    # intake 0: benefit in years 1, 2 (1, 0.5); intake 3: year 4 only (truncated)
    assert k[0].tolist() == [0, 1, 0.5, 0, 0]
    assert k[3].tolist() == [0, 0, 0, 0, 1]
    assert k[4].tolist() == [0, 0, 0, 0, 0]


def test_benefit_years_multiple_intakes():
    # intakes 10 and 20, no lag, duration 2, drop-off 0.1:
    # year 0: 10; year 1: 10*0.9 + 20 = 29; year 2: 20*0.9 = 18
    b = benefit_years([10.0, 20.0, 0.0], benefit_kernel(3, 0, 2, 0.1))
    assert b.tolist() == pytest.approx([10.0, 29.0, 18.0])


def test_full_drop_off_keeps_only_first_year():
    b = benefit_years([10.0, 0, 0], benefit_kernel(3, 0, 3, 1.0))
    assert b.tolist() == [10.0, 0.0, 0.0]


def test_draws_axis_broadcasts():
    kernel = benefit_kernel(3, np.array([[0], [1]]), 3, np.array([[0.0], [0.5]]))
    assert kernel.shape == (2, 1, 3, 3)
    b = benefit_years(np.ones((2, 1, 3)) * [1.0, 0, 0], kernel)
    assert b[0, 0].tolist() == [1, 1, 1]
    assert b[1, 0].tolist() == [0, 1, 0.5]


def test_optimism_bias():
    assert uplift_costs(200.0, 0.4) == pytest.approx(280.0)
    assert reduce_benefits(200.0, 0.4) == pytest.approx(120.0)
