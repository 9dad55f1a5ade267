"""What a board wants next to the choice: runners-up, the value of budget, and the frontier.

- **Runners-up** (:func:`runners_up`): the next-best portfolios, found by solving again
  with a no-good cut for every set already listed (so each is the best set not yet
  listed, under every constraint).
- **Marginal value of budget** (:func:`marginal_values`): the duals of the budget rows
  of the linear relaxation (``x`` between 0 and 1; ``scipy.optimize.linprog`` with
  HiGHS, its ``ineqlin.marginals``): the objective gained per extra pound of a
  partner's budget in a year. An approximation: the choice is whole programmes, so a
  pound more changes the chosen set only when it lets a whole programme in, and the
  relaxation's value is an upper bound on the MILP's.
- **Frontier** (:func:`frontier`): the best value at every budget scaling (every
  partner's every budget multiplied by the same factor), each an exact MILP. Budgets
  are never negative, so a set that fits at one scaling fits at every larger one, and
  the bound proven at one scaling bounds every smaller one: each point takes a better set
  from a smaller scaling, and a point stopped by its time limit a lower bound from a
  larger one (:func:`tighten`), so the frontier never falls as the budget grows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cba.portfolios._milp import Problem, Solution, bounds, check, matrices, quiet_solver, rows, solve, stated_gap


def runners_up(pb: Problem, chosen: np.ndarray, count: int) -> list[Solution]:
    """The ``count`` next-best portfolios after ``chosen`` (fewer when no more are feasible)."""
    found: list[Solution] = []
    cuts = [chosen]
    for _ in range(count):
        s = solve(pb, cuts=cuts)
        if not s.feasible:
            break
        assert s.chosen is not None
        found.append(s)
        cuts.append(s.chosen)
    return found


@dataclass
class Relaxation:
    """The linear relaxation: its value (an upper bound) and the budget rows' duals."""

    value: float | None
    #: ``(P, Y)`` objective per extra pound of each budget (NaN where no budget is given).
    per_pound: np.ndarray


def marginal_values(pb: Problem) -> Relaxation:
    """The linear relaxation's value and each budget's dual (objective per pound)."""
    from scipy.optimize import linprog

    _, P = pb.size
    k = P if pb.side_payments else 0
    rs = rows(pb)
    per_pound = np.full((P, len(pb.years)), np.nan)
    A, lo, hi = matrices(pb, rs)
    # linprog takes A_ub x <= b_ub and A_eq x = b_eq: split each two-sided row
    ub_rows, b_ub, eq_rows, b_eq, where = [], [], [], [], []
    for r in range(len(rs)):
        if lo[r] == hi[r]:
            eq_rows.append(A[r])
            b_eq.append(hi[r])
            continue
        if np.isfinite(hi[r]):
            ub_rows.append(A[r])
            b_ub.append(hi[r])
            where.append((r, 1.0))
        if np.isfinite(lo[r]):
            ub_rows.append(-A[r])
            b_ub.append(-lo[r])
            where.append((r, -1.0))
    xlo, xhi = bounds(pb)
    bnds = [(float(a), float(b)) for a, b in zip(xlo, xhi)] + [(None, None)] * k
    c = np.concatenate([-pb.objective, np.zeros(k)])
    with quiet_solver():
        res = linprog(c, A_ub=np.array(ub_rows) if ub_rows else None, b_ub=np.array(b_ub) if b_ub else None,
                      A_eq=np.array(eq_rows) if eq_rows else None, b_eq=np.array(b_eq) if b_eq else None,
                      bounds=bnds, method="highs")
    if res.status != 0:
        return Relaxation(None, per_pound)
    marg = res.ineqlin.marginals if ub_rows else np.zeros(0)
    pi = {p: j for j, p in enumerate(pb.partners)}
    yi = {y: t for t, y in enumerate(pb.years)}
    for m, (r, sign) in zip(marg, where):
        row = rs[r]
        if row.kind == "budget" and sign > 0 and row.partner is not None and row.year is not None:
            # minimising -value: d(-value)/d(b/scale) = marginal, so value per pound = -marginal / scale
            per_pound[pi[row.partner], yi[row.year]] = -float(m) / row.scale + 0.0
    return Relaxation(-float(res.fun or 0.0), per_pound)


@dataclass
class FrontierPoint:
    """The best portfolio at one budget scaling."""

    scaling: float
    total_budget: float
    solution: Solution


def frontier(pb: Problem, scalings: list[float]) -> list[FrontierPoint]:
    """The exact best value at each budget scaling (sorted by scaling)."""
    total = float(np.nansum(pb.budgets))
    fs = sorted(set(scalings))
    solutions = tighten(pb, fs, [solve(pb, budget_scale=f) for f in fs])
    return [FrontierPoint(f, total * f, s) for f, s in zip(fs, solutions)]


def tighten(pb: Problem, scalings: list[float], solutions: list[Solution]) -> list[Solution]:
    """Each point with the best set found at any scaling up to its own and, when stopped short
    (status ``time_limit`` or ``gap``), the lowest bound proven at any scaling from its own up
    (``scalings`` increasing, every budget >= 0).

    An answer proven infeasible is unchanged, and one proven optimal keeps its set unless a
    smaller scaling's is worth more (possible only within the solver's absolute tolerance).
    A changed answer's status follows its new gap (``optimal`` at 0, ``gap`` within the
    tolerance), and a set taken from a smaller scaling is checked against every row again.
    """
    lowest: list[float | None] = [None] * len(solutions)
    cur: float | None = None
    for j in range(len(solutions) - 1, -1, -1):
        b = solutions[j].bound
        cur = b if cur is None else (cur if b is None else min(cur, b))
        lowest[j] = cur
    out = list(solutions)
    best: Solution | None = None
    for j, (f, s) in enumerate(zip(scalings, solutions)):
        if s.status != "infeasible":
            value, chosen = s.value, s.chosen
            bound = s.bound if s.status == "optimal" else lowest[j]
            if best is not None and best.value is not None and (value is None or best.value > value):
                assert best.chosen is not None
                check(pb, best.chosen, f)
                value, chosen = best.value, best.chosen
            if value is not None and bound is not None and (value != s.value or bound != s.bound):
                out[j] = _restated(pb, replace(s, chosen=chosen, value=value, bound=bound))
        t = out[j]
        if t.value is not None and (best is None or best.value is None or t.value > best.value):
            best = t
    return out


def _restated(pb: Problem, s: Solution) -> Solution:
    """A tightened answer's bound, gap and status, by the rule :func:`~cba.portfolios._milp.solve` applies."""
    assert s.value is not None and s.bound is not None
    bound, gap = stated_gap(s.value, s.bound)
    status = "optimal" if gap <= 1e-9 else ("gap" if gap <= pb.gap + 1e-12 else "time_limit")
    return replace(s, bound=bound, gap=gap, status=status,
                   message=s.message + " Tightened by the frontier's neighbouring points.")
