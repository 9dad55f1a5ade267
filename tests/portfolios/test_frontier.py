"""The frontier's points tighten one another: sets flow up to larger budgets, bounds down to smaller.

The hand-checked knapsack of :func:`knapsack` (one partner, one year), worked by hand:
values 10, 7, 6, 1; spend 5, 4, 3, 1; budget 8. At scaling 0.5 (budget 4) the best is
{1} or {2, 3}, value 7; at 1.0 (budget 8) {0, 2}, 16; at 1.1 (8.8) still {0, 2}, 16
({0, 2, 3} spends 9); at 1.5 (12) {0, 1, 2}, 23.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cba.portfolios._analysis import frontier, tighten
from cba.portfolios._milp import Problem, Solution, solve


def knapsack(**fields) -> Problem:
    return Problem(("c0", "c1", "c2", "c3"), ("council",), ("2025/26",), np.array([10.0, 7.0, 6.0, 1.0]),
                   np.array([5.0, 4.0, 3.0, 1.0]).reshape(4, 1, 1), np.zeros((4, 1)), np.array([[8.0]]),
                   np.array([np.nan]), **fields)


def answer(status, members, value, bound) -> Solution:
    chosen = None if members is None else np.isin(np.arange(4), members)
    gap = None if value is None else (0.0 if bound == value else (bound - value) / abs(value))
    return Solution(status, chosen, value, bound, gap, 1.0, "solver")


def test_a_point_stopped_short_takes_the_lower_bound_of_a_larger_budget():
    pb = knapsack()
    given = [answer("optimal", [1], 7.0, 7.0), answer("time_limit", [1, 3], 8.0, 30.0),
             answer("time_limit", [0, 1, 2], 23.0, 25.0)]
    out = tighten(pb, [0.5, 1.0, 1.5], given)
    assert out[0] is given[0]                                        # proven: unchanged
    assert out[1].value == 8.0 and out[1].bound == 25.0             # 25 < 30, from scaling 1.5
    assert out[1].gap == (25.0 - 8.0) / 8.0 and out[1].status == "time_limit"
    assert out[1].chosen is not None and out[1].chosen.tolist() == [False, True, False, True]
    assert out[1].message.endswith("Tightened by the frontier's neighbouring points.")
    assert out[2] is given[2]                                        # its own bound is the lowest: unchanged


def test_a_point_without_a_set_takes_a_smaller_budgets_set():
    pb = knapsack()
    out = tighten(pb, [0.5, 1.0, 1.5], [answer("optimal", [2, 3], 7.0, 7.0),
                                         answer("time_limit", None, None, None),
                                         answer("time_limit", [0, 1, 2], 23.0, 25.0)])
    assert out[1].chosen is not None and out[1].chosen.tolist() == [False, False, True, True]
    assert out[1].value == 7.0 and out[1].bound == 25.0 and out[1].gap == (25.0 - 7.0) / 7.0


def test_a_larger_budgets_proof_proves_a_smaller_one_with_the_same_value():
    pb = knapsack()
    out = tighten(pb, [1.0, 1.1], [answer("time_limit", [0, 2], 16.0, 20.0), answer("optimal", [0, 2], 16.0, 16.0)])
    assert out[0].status == "optimal" and out[0].bound == 16.0 and out[0].gap == 0.0


def test_a_worse_set_is_replaced_by_a_smaller_budgets_better_one():
    # stopped at 1.1 with {1, 3} (8) while 1.0 proved {0, 2} (16): 1.1 takes {0, 2}
    pb = knapsack()
    out = tighten(pb, [1.0, 1.1], [answer("optimal", [0, 2], 16.0, 16.0), answer("time_limit", [1, 3], 8.0, 18.0)])
    assert out[1].chosen is not None and out[1].chosen.tolist() == [True, False, True, False]
    assert out[1].value == 16.0 and out[1].gap == (18.0 - 16.0) / 16.0


def test_infeasible_and_proven_points_are_left_alone():
    pb = knapsack(include=[0, 1, 2])                                # spends 12: infeasible below 1.5
    out = tighten(pb, [1.0, 1.5], [answer("infeasible", None, None, None), answer("optimal", [0, 1, 2], 23.0, 23.0)])
    assert out[0].status == "infeasible" and out[0].chosen is None and out[0].bound is None


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(25, 45), limit=st.sampled_from([0.002, 0.01, 0.05]))
def test_a_frontier_stopped_short_is_monotone_and_every_point_honest(seed, n, limit):
    # every point's set fits its budgets, and its value and bound bracket the point's proven optimum
    rng = np.random.default_rng(seed)
    spend = rng.gamma(2.0, 50_000.0, size=(n, 2, 2)) * (rng.random((n, 2, 2)) < 0.7)
    values = spend.sum(axis=(1, 2)) * rng.normal(1.3, 0.6, size=n)
    pb = Problem(tuple(f"c{i}" for i in range(n)), ("p0", "p1"), ("y0", "y1"), values, spend, np.zeros((n, 2)),
                 spend.sum(axis=0) / 2.0, np.full(2, np.nan), exclusive=[[0, 1]], requires=[(2, 3)],
                 gap=0.0, time_limit=limit)
    scalings = [0.25, 0.5, 0.75, 1.0, 1.5]
    points = frontier(pb, scalings)
    pb.time_limit = 60.0
    found = [p.solution.value for p in points if p.solution.value is not None]
    assert found == sorted(found)
    for p in points:
        s = p.solution
        best = solve(pb, budget_scale=p.scaling)
        assert best.status == "optimal" and best.value is not None
        if s.value is None:
            continue
        assert s.chosen is not None and s.bound is not None and s.gap is not None
        tol = 1e-7 * max(abs(best.value), 1.0)
        assert s.value == float(values[s.chosen].sum())
        assert (spend[s.chosen].sum(axis=0) <= p.scaling * pb.budgets * (1 + 1e-6)).all()
        assert s.value - tol <= best.value <= s.bound + tol
        assert (s.status == "optimal") == (s.gap <= 1e-9)


def test_a_proven_point_worth_less_than_a_smaller_budgets_takes_its_set():
    # within the solver's absolute tolerance a larger budget's "optimal" set may be worth a
    # little less than a smaller budget's; the frontier then shows the better set, still optimal
    pb = knapsack()
    out = tighten(pb, [1.0, 1.1], [answer("optimal", [0, 2], 16.0, 16.0), answer("optimal", [1, 2, 3], 14.0, 14.0)])
    assert out[1].chosen is not None and out[1].chosen.tolist() == [True, False, True, False]
    assert out[1].value == 16.0 and out[1].bound == 16.0 and out[1].status == "optimal" and out[1].gap == 0.0
