"""Breaking even: the method's payback rule, with a partner at zero (to half a penny) breaking even."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cba.engine._metrics import payback_period
from cba.partnership._positions import BREAK_EVEN_TOLERANCE, break_even_year

years = st.integers(min_value=1, max_value=8)


@st.composite
def flows(draw):
    h = draw(years)
    pounds = st.lists(st.integers(min_value=0, max_value=1_000), min_size=h, max_size=h)
    return np.array(draw(pounds), float), np.array(draw(pounds), float)


@settings(max_examples=300, deadline=None)
@given(flows())
def test_it_is_the_payback_rule_except_at_zero(pair):
    # whole pounds: a cumulative difference is never within half a penny of zero unless it is zero
    puts, gets = pair
    net = gets.sum() - puts.sum()
    ours = break_even_year(puts, gets)
    theirs = payback_period(puts[None], gets[None], np.ones(len(puts)))[0]
    if net != 0:
        assert (np.isnan(ours) and np.isnan(theirs)) or ours == theirs
    elif puts.sum() > 0:
        # exactly even at the horizon: the payback rule (a return above 1) says never; we say the year it gets there
        assert np.isnan(theirs) and 1 <= ours <= len(puts)
        assert np.cumsum(gets)[int(ours) - 1] >= np.cumsum(puts)[int(ours) - 1]


@settings(max_examples=200, deadline=None)
@given(flows(), st.floats(min_value=-BREAK_EVEN_TOLERANCE, max_value=BREAK_EVEN_TOLERANCE))
def test_float_noise_within_half_a_penny_does_not_change_the_answer(pair, noise):
    puts, gets = pair
    if puts.sum() == 0:
        return
    gets = gets.copy()
    gets[-1] += puts.sum() - gets.sum()           # brought to exactly zero, as a solver would
    exact = break_even_year(puts, gets)
    gets[-1] += noise
    assert break_even_year(puts, gets) == exact or (np.isnan(exact) and np.isnan(break_even_year(puts, gets)))
    assert not np.isnan(exact)                    # a partner that puts something in and ends at zero breaks even
