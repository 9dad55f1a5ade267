"""What the solver call returns: each status, the bound and gap it states, its limits honoured.

The MILP goes to HiGHS through ``scipy.optimize.milp``; these tests pin the translation
of its answer into a :class:`~cba.portfolios._milp.Solution`, so that a change of solver
interface (``highspy`` was measured, ``benchmarks/README.md``) keeps every status.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cba.portfolios._milp import Problem, solve


def knapsack(values, spend, budget, **fields) -> Problem:
    """One partner, one year: ``spend`` against one ``budget``."""
    n = len(values)
    return Problem(tuple(f"c{i}" for i in range(n)), ("council",), ("2025/26",), np.array(values, float),
                   np.array(spend, float).reshape(n, 1, 1), np.zeros((n, 1)), np.array([[budget]], float),
                   np.array([np.nan]), **fields)


def test_hand_checked_knapsack_is_proven_optimal():
    # values 10, 7, 6, 1; spend 5, 4, 3, 1; budget 8. By hand: {0, 2} spends 8, value 16;
    # {1, 2, 3} spends 8, value 14; {0, 3} 11; {0, 1} spends 9 > 8. Best: {0, 2}, 16.
    s = solve(knapsack([10, 7, 6, 1], [5, 4, 3, 1], 8))
    assert s.status == "optimal"
    assert s.chosen is not None and s.chosen.tolist() == [True, False, True, False]
    assert s.value == 16.0 and s.bound == 16.0 and s.gap == 0.0


def test_infeasible_is_reported_with_no_choice():
    # both candidates must be included, but they spend 5 + 4 = 9 > 8
    s = solve(knapsack([10, 7], [5, 4], 8, include=[0, 1]))
    assert s.status == "infeasible"
    assert s.chosen is None and s.value is None and s.bound is None and s.gap is None
    assert not s.feasible


def test_side_payments_are_continuous_and_the_choice_whole():
    # two partners; candidate 0 (value 5) leaves the council at -3 and the NHS at +4:
    # with side payments the floors of 0 hold together (-3 + 4 >= 0), so it is chosen;
    # candidate 1 (value 2) nets -5 and 0 (-5 < 0), so it is not.
    pb = Problem(("a", "b"), ("council", "nhs"), ("2025/26",), np.array([5.0, 2.0]), np.zeros((2, 2, 1)),
                 np.array([[-3.0, 4.0], [-5.0, 0.0]]), np.full((2, 1), np.nan), np.array([np.nan, np.nan]),
                 side_payments=True)
    s = solve(pb)
    assert s.status == "optimal" and s.chosen is not None
    assert s.chosen.tolist() == [True, False] and s.value == 5.0


def test_time_limit_is_honoured_and_the_gap_stated():
    # a correlated 150-candidate knapsack with 12 binding rows, given a tenth of a second
    rng = np.random.default_rng(7)
    n, P, Y = 150, 3, 4
    spend = rng.gamma(2.0, 50_000.0, size=(n, P, Y))
    values = spend.sum(axis=(1, 2)) * rng.normal(1.3, 0.2, size=n)
    pb = Problem(tuple(f"c{i}" for i in range(n)), tuple(f"p{j}" for j in range(P)),
                 tuple(f"y{t}" for t in range(Y)), values, spend, np.zeros((n, P)), spend.sum(axis=0) / 3.0,
                 np.full(P, np.nan), gap=0.0, time_limit=0.1)
    s = solve(pb)
    assert s.seconds < 5.0                   # 0.1 s asked; the rest is building the model
    assert s.status in ("optimal", "time_limit")
    if s.feasible:
        assert s.value is not None and s.bound is not None and s.gap is not None
        assert s.bound >= s.value
        assert s.gap == (0.0 if s.bound == s.value else (s.bound - s.value) / abs(s.value))
        assert s.status != "optimal" or s.gap == 0.0


def test_gap_tolerance_is_passed_and_a_stop_within_it_is_called_gap():
    # the same kind of knapsack with a tolerance of 5%: any answer states a gap within it
    rng = np.random.default_rng(11)
    n = 60
    spend = rng.gamma(2.0, 50_000.0, size=(n, 2, 2))
    values = spend.sum(axis=(1, 2)) * rng.normal(1.3, 0.2, size=n)
    pb = Problem(tuple(f"c{i}" for i in range(n)), ("p0", "p1"), ("y0", "y1"), values, spend, np.zeros((n, 2)),
                 spend.sum(axis=0) / 3.0, np.full(2, np.nan), gap=0.05, time_limit=30.0)
    s = solve(pb)
    assert s.status in ("optimal", "gap")
    assert s.gap is not None and s.gap <= 0.05 + 1e-12
    assert (s.status == "optimal") == (s.gap <= 1e-9)


def test_a_fresh_process_prints_only_its_own_output():
    # the solver's own lines (a banner, HiGHS's debugging line) must never reach standard output
    import subprocess
    import sys

    code = ("import numpy as np\n"
            "from cba.portfolios._milp import Problem, solve\n"
            "pb = Problem(('a', 'b'), ('c',), ('y',), np.array([1.0, 2.0]), np.ones((2, 1, 1)), np.zeros((2, 1)),\n"
            "             np.array([[1.0]]), np.array([np.nan]))\n"
            "print(solve(pb).status)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout == "optimal\n"
    assert "Running HiGHS" not in out.stderr


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(30, 60), partners=st.integers(1, 2),
       years=st.integers(1, 3), limit=st.sampled_from([0.002, 0.01, 0.05]))
def test_a_stop_at_the_time_limit_states_an_honest_gap(seed, n, partners, years, limit):
    # Larger than brute force reaches: stopped early, the answer must still be true. Its set
    # fits every budget, its value is its candidates' sum, its bound lies between the proven
    # optimum (the same problem solved to the end) and the linear relaxation's, and its gap
    # is (bound - value) / |value|, so the optimum is within the stated gap of the value.
    from cba.portfolios._analysis import marginal_values

    rng = np.random.default_rng(seed)
    spend = rng.gamma(2.0, 50_000.0, size=(n, partners, years)) * (rng.random((n, partners, years)) < 0.7)
    values = spend.sum(axis=(1, 2)) * rng.normal(1.3, 0.6, size=n)
    pb = Problem(tuple(f"c{i}" for i in range(n)), tuple(f"p{j}" for j in range(partners)),
                 tuple(f"y{t}" for t in range(years)), values, spend, np.zeros((n, partners)),
                 spend.sum(axis=0) / 2.0, np.full(partners, np.nan), exclusive=[[0, 1], [2, 3]],
                 requires=[(4, 5)], gap=0.0, time_limit=limit)
    early = solve(pb)
    pb.time_limit = 60.0
    best = solve(pb)
    assert best.status == "optimal" and best.value is not None
    relaxed = marginal_values(pb).value
    assert relaxed is not None
    if not early.feasible:
        assert early.status == "time_limit" and early.value is None and early.gap is None
        return
    assert early.chosen is not None and early.value is not None and early.bound is not None
    assert early.gap is not None
    assert early.value == float(values[early.chosen].sum())
    assert (spend[early.chosen].sum(axis=0) <= pb.budgets * (1 + 1e-6)).all()
    tol = 1e-7 * max(abs(best.value), 1.0)
    assert early.value <= best.value + tol
    assert best.value - tol <= early.bound <= relaxed + tol
    assert early.gap == (0.0 if early.bound == early.value else (early.bound - early.value) / abs(early.value))
    assert best.value <= early.value + early.gap * abs(early.value) + tol
    assert (early.status == "optimal") == (early.gap <= 1e-9)


def test_a_stop_with_no_bound_from_the_solver_or_the_relaxation_states_the_simplest_bound(monkeypatch):
    # values 10, 7, 6, 1 and -2, candidate 4 included: stopped with {0, 4} (value 8) and no bound
    # from either solve, the bound is every positive value plus the included one: 10+7+6+1-2 = 22
    import types

    import scipy.optimize

    def stopped(c, integrality, **kwargs):
        if integrality.any():
            return types.SimpleNamespace(x=np.array([1.0, 0, 0, 0, 1]), status=1, fun=None, mip_dual_bound=np.nan,
                                         message="Time limit reached")
        return types.SimpleNamespace(x=None, status=1, fun=None, message="Time limit reached")

    monkeypatch.setattr(scipy.optimize, "milp", stopped)
    s = solve(knapsack([10, 7, 6, 1, -2], [5, 4, 3, 1, 0], 8, include=[4], time_limit=1.0))
    assert s.status == "time_limit" and s.value == 8.0 and s.bound == 22.0
    assert s.gap == (22.0 - 8.0) / 8.0
