import numpy as np
import numpy_financial as npf
import pytest

from cba.engine._metrics import irr, payback_period, ratio


def test_ratio_none_when_no_denominator():
    assert np.isnan(ratio(5.0, 0.0))
    assert ratio(5.0, 2.0) == 2.5


@pytest.mark.parametrize("flows", [
    [-100, 110],
    [-40000, 18800, 25920, 23328],
    [-1000, 100, 100, 100, 100, 1000],
    [-500, -200, 300, 300, 300],
    [100, -150],
])
def test_irr_matches_numpy_financial(flows):
    assert irr([flows])[0] == pytest.approx(npf.irr(flows), rel=1e-9, abs=1e-12)


def test_irr_none_without_sign_change():
    got = irr([[-1.0, -2.0], [1.0, 2.0], [0.0, 0.0]])
    assert np.isnan(got).all()


def test_irr_vectorised_rows_independent():
    rows = [[-100, 110, 0], [-100, 0, 121]]
    got = irr(rows)
    assert got[0] == pytest.approx(0.1)
    assert got[1] == pytest.approx(0.1)


def test_payback_by_hand():
    # cumulative cost 100, 100, 100; cumulative benefit 0, 60, 120 -> year 2 -> 3 years
    assert payback_period([[100.0, 0, 0]], [[0, 60.0, 60.0]], [1, 1, 1])[0] == 3
    # never covered within the horizon: none
    assert np.isnan(payback_period([[100.0, 0]], [[0, 60.0]], [1, 1])[0])
    # nothing to pay back before costs start: benefits before costs do not count as payback in year 0
    assert payback_period([[0.0, 100.0, 0.0]], [[50.0, 50.0, 50.0]], [1, 1, 1])[0] == 2
