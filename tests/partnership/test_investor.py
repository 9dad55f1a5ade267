"""The social investor of a social impact bond: hand-checked waterfalls and their invariants."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cba.core._errors import CBAError
from cba.engine._metrics import irr as engine_irr
from cba.partnership._investor import InvestorFlows, investor_flows, irr, maximum_loss, money_multiple

SETTINGS = settings(max_examples=200, deadline=None)


def _close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, float), np.asarray(expected, float), rtol=1e-12, atol=1e-6)


# ------------------------------------------------------------------ hand-checked waterfalls
def test_the_capped_waterfall_year_by_year():
    # commitment 1,000,000; the provider's costs 400,000 a year for 3 years; outcome
    # payments 0, 500,000, 1,000,000; return at most 50% of the capital drawn; no surplus share.
    #
    # year 0: costs 400,000, no cash kept      -> draw 400,000 (commitment left 600,000)
    #         receipts 0                        -> nothing repaid; outstanding 400,000
    # year 1: costs 400,000, no cash kept      -> draw 400,000 (left 200,000; drawn so far 800,000)
    #         receipts 500,000                  -> repay 500,000 of the 800,000 outstanding;
    #                                              outstanding 300,000, nothing left for a return
    # year 2: costs 400,000, no cash kept      -> draw the last 200,000 (drawn so far 1,000,000);
    #                                              the other 200,000 is the provider's own (unfunded)
    #         receipts 1,000,000                -> repay the 300,000 + 200,000 = 500,000 outstanding;
    #                                              return: at most 0.5 x 1,000,000 = 500,000, and
    #                                              500,000 is left, so 500,000; surplus 0; kept 0
    # investor: drawn 1,000,000, received 1,500,000, net -400,000, +100,000, +800,000.
    f = investor_flows([[400_000.0] * 3], [[0.0, 500_000.0, 1_000_000.0]], 1_000_000.0, 0.5)
    assert isinstance(f, InvestorFlows)
    _close(f.drawn, [[400_000, 400_000, 200_000]])
    _close(f.unfunded, [[0, 0, 200_000]])
    _close(f.from_provider_cash, [[0, 0, 0]])
    _close(f.repaid_capital, [[0, 500_000, 500_000]])
    _close(f.outstanding, [[400_000, 300_000, 0]])
    _close(f.return_paid, [[0, 0, 500_000]])
    _close(f.surplus_paid, [[0, 0, 0]])
    _close(f.provider_kept, [[0, 0, 0]])
    _close(f.to_investor, [[0, 500_000, 1_000_000]])
    _close(f.investor_net, [[-400_000, 100_000, 800_000]])
    _close(money_multiple(f), [1.5])
    # IRR: -400,000 + 100,000 / y + 800,000 / y^2 = 0 with y = 1 + r, so 4y^2 - y - 8 = 0,
    # y = (1 + sqrt(129)) / 8 = 1.544727...
    expected = (1 + math.sqrt(129)) / 8 - 1
    assert abs(irr(f.investor_net)[0] - expected) <= 1e-9
    assert abs(expected - 0.5447270) < 1e-7


def test_kept_outcome_payments_pay_later_costs_and_the_surplus_is_shared():
    # commitment 1,000,000; costs 300,000 a year for 3 years; receipts 0, 900,000, 300,000;
    # return at most 20% of capital drawn; the investor takes 25% of any surplus.
    #
    # year 0: draw 300,000; outstanding 300,000.
    # year 1: no cash kept, draw 300,000 (drawn so far 600,000; outstanding 600,000).
    #         receipts 900,000: repay 600,000; return at most 0.2 x 600,000 = 120,000 -> 120,000;
    #         left 180,000: surplus 0.25 x 180,000 = 45,000 to the investor, 135,000 kept.
    # year 2: costs 300,000: 135,000 from the provider's kept cash, draw 165,000
    #         (drawn so far 765,000; outstanding 165,000).
    #         receipts 300,000: repay 165,000; return room 0.2 x 765,000 - 120,000 = 33,000 -> 33,000;
    #         left 102,000: surplus 25,500 to the investor, 76,500 kept.
    # investor: drawn 765,000, received 765,000 + 223,500 = 988,500; the return paid is
    # 153,000 = 20% of 765,000 exactly.
    f = investor_flows([[300_000.0] * 3], [[0.0, 900_000.0, 300_000.0]], 1_000_000.0, 0.2, 0.25)
    _close(f.drawn, [[300_000, 300_000, 165_000]])
    _close(f.from_provider_cash, [[0, 0, 135_000]])
    _close(f.unfunded, [[0, 0, 0]])
    _close(f.repaid_capital, [[0, 600_000, 165_000]])
    _close(f.return_paid, [[0, 120_000, 33_000]])
    _close(f.surplus_paid, [[0, 45_000, 25_500]])
    _close(f.provider_kept, [[0, 135_000, 76_500]])
    _close(f.to_investor, [[0, 765_000, 223_500]])
    _close(f.investor_net, [[-300_000, 465_000, 58_500]])
    _close(money_multiple(f), [988_500 / 765_000])
    assert f.return_paid.sum() == pytest.approx(0.2 * f.drawn.sum(), rel=1e-12)


def test_an_investor_whose_contract_achieves_nothing_loses_exactly_its_capital_drawn():
    # costs 400,000 a year for 3 years (1,200,000): a commitment of 1,000,000 is drawn in full
    # (400,000, 400,000, 200,000) and lost; one of 2,000,000 loses the 1,200,000 it draws.
    costs = np.array([[400_000.0] * 3, [400_000.0] * 3])
    f = investor_flows(costs, np.zeros_like(costs), [1_000_000.0, 2_000_000.0], 0.5, 0.3)
    _close(f.drawn, [[400_000, 400_000, 200_000], [400_000, 400_000, 400_000]])
    _close(f.to_investor, np.zeros((2, 3)))
    _close(f.investor_net.sum(axis=1), [-1_000_000, -1_200_000])
    _close(maximum_loss(costs, [1_000_000.0, 2_000_000.0]), [1_000_000, 1_200_000])
    _close(maximum_loss([[400_000.0] * 3], 1_000_000.0), [1_000_000])
    assert np.isnan(irr(f.investor_net)).all()           # money only ever goes out: no rate


def test_no_cap_gives_the_investor_every_pound_after_its_capital():
    # draw 100 in year 0, receipts 250 in year 1: 100 capital, 150 return, nothing kept
    f = investor_flows([[100.0, 0.0]], [[0.0, 250.0]], 500.0, None, 0.5)
    _close(f.repaid_capital, [[0, 100]])
    _close(f.return_paid, [[0, 150]])
    _close(f.surplus_paid, [[0, 0]])
    _close(f.provider_kept, [[0, 0]])
    assert f.to_investor.tolist() == [[0.0, 250.0]]          # every pound after the capital
    same = investor_flows([[100.0, 0.0]], [[0.0, 250.0]], 500.0, np.inf, 0.5)
    assert np.array_equal(same.to_investor, f.to_investor)   # an infinite cap is no cap


def test_with_nothing_drawn_there_is_no_return_only_the_surplus_share():
    # a commitment of 0 draws nothing; the provider's costs are its own; of receipts of 1,000
    # no return is due (0 x anything), and the surplus share 0.1 gives the investor 100.
    for cap in (None, 0.5):
        f = investor_flows([[200.0, 200.0]], [[0.0, 1_000.0]], 0.0, cap, 0.1)
        _close(f.drawn, [[0, 0]])
        _close(f.unfunded, [[200, 200]])
        _close(f.return_paid, [[0, 0]])
        _close(f.surplus_paid, [[0, 100]])
        _close(f.provider_kept, [[0, 900]])
        assert np.isnan(money_multiple(f)).all()


def test_zero_cap_repays_capital_only():
    f = investor_flows([[100.0, 0.0]], [[0.0, 250.0]], 500.0, 0.0)
    # a cap of 0: the 100 drawn comes back and no more; the provider keeps the other 150
    assert f.to_investor.tolist() == [[0.0, 100.0]]
    assert f.return_paid.sum() == 0.0
    assert f.provider_kept.tolist() == [[0.0, 150.0]]
    assert money_multiple(f).tolist() == [1.0]


def test_terms_by_draw():
    # one draw per commitment, cap and share: each draw is the one-draw waterfall with its terms
    costs, receipts = [[300_000.0] * 3] * 3, [[0.0, 900_000.0, 300_000.0]] * 3
    f = investor_flows(costs, receipts, [1_000_000.0, 400_000.0, 1_000_000.0], [0.2, 0.2, np.inf],
                       [0.25, 0.0, 0.25])
    for d, (k, cap, s) in enumerate([(1_000_000.0, 0.2, 0.25), (400_000.0, 0.2, 0.0), (1_000_000.0, None, 0.25)]):
        one = investor_flows(costs[d], receipts[d], k, cap, s)
        np.testing.assert_array_equal(f.to_investor[d], one.to_investor[0])
        np.testing.assert_array_equal(f.drawn[d], one.drawn[0])


# ------------------------------------------------------------------ IRR
def test_irr_matches_numpy_financial_on_hand_built_flows():
    for flows in ([-400_000.0, 100_000.0, 800_000.0], [-300_000.0, 465_000.0, 58_500.0],
                  [-1_000.0, -500.0, 0.0, 700.0, 1_200.0], [-100.0, 0.0, 121.0]):
        assert abs(irr([flows])[0] - npf.irr(flows)) <= 1e-9, flows
    np.testing.assert_array_equal(irr([[-100.0, 110.0]]), engine_irr([[-100.0, 110.0]]))


def test_irr_of_the_waterfall_matches_numpy_financial():
    f = investor_flows([[300_000.0] * 3], [[0.0, 900_000.0, 300_000.0]], 1_000_000.0, 0.2, 0.25)
    assert abs(irr(f.investor_net)[0] - npf.irr(f.investor_net[0])) <= 1e-9


# ------------------------------------------------------------------ errors name the argument
@pytest.mark.parametrize(("kwargs", "field"), [
    ({"provider_costs": [[-1.0, 0.0]]}, "provider_costs"),
    ({"provider_costs": [[np.nan, 0.0]]}, "provider_costs"),
    ({"provider_costs": np.zeros((1, 2, 2))}, "provider_costs"),
    ({"provider_costs": [[True, False]]}, "provider_costs"),
    ({"outcome_receipts": [[0.0, 1.0, 2.0]]}, "outcome_receipts"),
    ({"outcome_receipts": [["a", 1.0]]}, "outcome_receipts"),
    ({"commitment": -5.0}, "commitment"),
    ({"commitment": [1.0, 2.0, 3.0]}, "commitment"),
    ({"commitment": True}, "commitment"),
    ({"return_cap": np.nan}, "return_cap"),
    ({"return_cap": -0.1}, "return_cap"),
    ({"surplus_share": 1.5}, "surplus_share"),
    ({"surplus_share": np.inf}, "surplus_share"),
])
def test_a_bad_argument_is_a_cba_error_naming_it(kwargs, field):
    args = {"provider_costs": [[1.0, 1.0]], "outcome_receipts": [[0.0, 3.0]], "commitment": 1.0,
            "return_cap": 0.5, "surplus_share": 0.0, **kwargs}
    with pytest.raises(CBAError, match=f"^{field}: "):
        investor_flows(**args)


def test_maximum_loss_names_a_bad_argument():
    with pytest.raises(CBAError, match=r"^provider_costs: "):
        maximum_loss([[-1.0]], 1.0)
    with pytest.raises(CBAError, match=r"^commitment: "):
        maximum_loss([[1.0]], -1.0)


# ------------------------------------------------------------------ properties
amount = st.one_of(st.just(0.0), st.floats(0, 1e7, allow_nan=False, allow_infinity=False))


@st.composite
def waterfalls(draw):
    D = draw(st.integers(1, 4))
    H = draw(st.integers(1, 8))
    costs = np.array(draw(st.lists(st.lists(amount, min_size=H, max_size=H), min_size=D, max_size=D)))
    receipts = np.array(draw(st.lists(st.lists(amount, min_size=H, max_size=H), min_size=D, max_size=D)))
    commitment = np.array(draw(st.lists(st.floats(0, 3e7), min_size=D, max_size=D)))
    cap = np.array(draw(st.lists(st.one_of(st.floats(0, 3), st.just(np.inf)), min_size=D, max_size=D)))
    share = np.array(draw(st.lists(st.floats(0, 1), min_size=D, max_size=D)))
    return costs, receipts, commitment, cap, share


def _tol(*arrays):
    return 1e-9 * max(1.0, *(float(np.max(np.abs(a))) * a.shape[-1] for a in arrays))


@SETTINGS
@given(waterfalls())
def test_money_is_conserved_year_by_year(case):
    costs, receipts, commitment, cap, share = case
    f = investor_flows(costs, receipts, commitment, cap, share)
    tol = _tol(costs, receipts)
    # every outcome payment goes to the investor or stays with the provider
    np.testing.assert_allclose(f.to_investor + f.provider_kept, receipts, rtol=0, atol=tol)
    # every cost is paid from the provider's kept cash, the capital, or its own money
    np.testing.assert_allclose(f.from_provider_cash + f.drawn + f.unfunded, costs, rtol=0, atol=tol)
    # the provider spends no more of its kept cash than it has kept
    assert (np.cumsum(f.from_provider_cash, axis=1) <= np.cumsum(f.provider_kept, axis=1) + tol).all()
    for a in (f.drawn, f.repaid_capital, f.return_paid, f.surplus_paid, f.provider_kept, f.from_provider_cash,
              f.unfunded, f.outstanding):
        assert (a >= -tol).all()


@SETTINGS
@given(waterfalls())
def test_the_investor_receives_no_more_than_its_terms_allow(case):
    costs, receipts, commitment, cap, share = case
    f = investor_flows(costs, receipts, commitment, cap, share)
    tol = _tol(costs, receipts)
    assert (f.to_investor <= receipts + tol).all()
    drawn = f.drawn.sum(axis=1)
    assert (drawn <= commitment + tol).all()
    # capital repaid never exceeds capital drawn, year by year; what is outstanding is the difference
    np.testing.assert_allclose(np.cumsum(f.drawn - f.repaid_capital, axis=1), f.outstanding, rtol=0, atol=tol)
    # the return so far is at most return_cap x the capital drawn so far
    finite = np.isfinite(cap)
    so_far = np.cumsum(f.return_paid, axis=1)
    assert (so_far[finite] <= cap[finite, None] * np.cumsum(f.drawn, axis=1)[finite] + tol).all()
    # in all: at most drawn x (1 + return_cap) + surplus_share x receipts
    bound = drawn * (1 + np.where(finite, cap, 0.0)) + share * receipts.sum(axis=1)
    assert (f.to_investor.sum(axis=1)[finite] <= bound[finite] + tol).all()


@SETTINGS
@given(waterfalls())
def test_with_no_outcome_payments_the_investor_loses_its_capital_drawn(case):
    costs, _, commitment, cap, share = case
    f = investor_flows(costs, np.zeros_like(costs), commitment, cap, share)
    loss = maximum_loss(costs, commitment)
    np.testing.assert_allclose(loss, np.minimum(commitment, costs.sum(axis=1)), rtol=1e-12, atol=_tol(costs))
    np.testing.assert_array_equal(f.investor_net.sum(axis=1), -f.drawn.sum(axis=1))
    np.testing.assert_array_equal(f.drawn.sum(axis=1), loss)
    # and no outcome payments is the most it can lose
    g = investor_flows(costs, case[1], commitment, cap, share)
    assert (-g.investor_net.sum(axis=1) <= loss + _tol(costs, case[1])).all()


@SETTINGS
@given(waterfalls())
def test_each_draw_is_the_waterfall_of_that_draw_alone(case):
    costs, receipts, commitment, cap, share = case
    f = investor_flows(costs, receipts, commitment, cap, share)
    for d in range(costs.shape[0]):
        one = investor_flows(costs[d], receipts[d], commitment[d], cap[d], share[d])
        for name in ("drawn", "repaid_capital", "return_paid", "surplus_paid", "provider_kept", "unfunded"):
            np.testing.assert_array_equal(getattr(f, name)[d], getattr(one, name)[0])
