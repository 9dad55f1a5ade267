"""The MILP's optimum equals exhaustive search over every subset, on small random portfolios.

Brute force is an independent check: it enumerates all ``2**N`` sets, keeps those
that meet every budget in every year, the structure (exclusive groups, dependencies,
include, exclude, count) and the floors, and takes the best value. With side
payments a set is acceptable exactly when its partners' nets add up to at least the
sum of their floors (payments can move any surplus to any partner); without them each
named floor must hold on its own.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cba.portfolios._analysis import runners_up
from cba.portfolios._milp import Problem, settle, solve


def brute_force(pb: Problem) -> float | None:
    N = len(pb.names)
    best = None
    floors = pb.floor_of()
    for bits in itertools.product([False, True], repeat=N):
        x = np.array(bits)
        if any(x[i] for i in pb.exclude) or not all(x[i] for i in pb.include):
            continue
        if any(x[g].sum() > 1 for g in pb.exclusive) or any(x[a] and not x[b] for a, b in pb.requires):
            continue
        n = int(x.sum())
        if (pb.min_count is not None and n < pb.min_count) or (pb.max_count is not None and n > pb.max_count):
            continue
        used = pb.spend[x].sum(axis=0)
        if np.any(np.where(np.isnan(pb.budgets), False, used > pb.budgets)):
            continue
        net = pb.net[x].sum(axis=0)
        named = ~np.isnan(floors)
        if pb.side_payments:
            if net.sum() < floors.sum():
                continue
        elif np.any(net[named] < floors[named]):
            continue
        v = float(pb.objective[x].sum())
        best = v if best is None or v > best else best
    return best


@st.composite
def problems(draw, side_payments=None):
    N = draw(st.integers(2, 9))
    P = draw(st.integers(1, 3))
    Y = draw(st.integers(1, 3))
    ints = st.integers(-50, 100)
    objective = np.array(draw(st.lists(ints, min_size=N, max_size=N)), float)
    spend = np.array(draw(st.lists(st.integers(0, 60), min_size=N * P * Y, max_size=N * P * Y)),
                     float).reshape(N, P, Y)
    net = np.array(draw(st.lists(st.integers(-60, 60), min_size=N * P, max_size=N * P)), float).reshape(N, P)
    budgets = np.array(draw(st.lists(st.one_of(st.none(), st.integers(0, 150)), min_size=P * Y, max_size=P * Y)),
                       dtype=float).reshape(P, Y)
    floors = np.array(draw(st.lists(st.one_of(st.none(), st.integers(-80, 20)), min_size=P, max_size=P)),
                      dtype=float)
    names = tuple(f"c{i}" for i in range(N))
    pool = list(range(N))
    exclusive = [g for g in draw(st.lists(st.lists(st.sampled_from(pool), min_size=2, max_size=3, unique=True),
                                          max_size=2))]
    requires = [(a, b) for a, b in draw(st.lists(st.tuples(st.sampled_from(pool), st.sampled_from(pool)),
                                                 max_size=2)) if a != b]
    include = draw(st.lists(st.sampled_from(pool), max_size=1, unique=True))
    exclude = [i for i in draw(st.lists(st.sampled_from(pool), max_size=2, unique=True)) if i not in include]
    lo = draw(st.one_of(st.none(), st.integers(0, min(3, N))))
    hi = draw(st.one_of(st.none(), st.integers(lo or 0, N)))
    sp = draw(st.booleans()) if side_payments is None else side_payments
    return Problem(names, tuple(f"p{j}" for j in range(P)), tuple(f"y{t}" for t in range(Y)), objective, spend,
                   net, budgets, floors, sp, exclusive, requires, include, exclude, lo, hi)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_milp_optimum_equals_brute_force(pb):
    want = brute_force(pb)
    got = solve(pb)
    if want is None:
        assert not got.feasible
        return
    assert got.feasible and got.status == "optimal"
    assert got.value == want                # integer data: exact
    assert got.gap == 0.0


@settings(max_examples=60, deadline=None)
@given(problems(side_payments=True))
def test_side_payments_conserve_money_and_meet_every_floor(pb):
    got = solve(pb)
    if not got.feasible:
        return
    y = settle(pb, got.chosen)
    assert abs(y.sum()) <= 1e-9 * max(1.0, np.abs(y).max())
    after = pb.net[got.chosen].sum(axis=0) + y
    assert np.all(after >= pb.floor_of() - 1e-9)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_runners_up_are_distinct_and_no_better_than_the_choice(pb):
    got = solve(pb)
    if not got.feasible:
        return
    seen = {tuple(got.chosen)}
    for r in runners_up(pb, got.chosen, 3):
        assert tuple(r.chosen) not in seen and r.value <= got.value
        seen.add(tuple(r.chosen))
