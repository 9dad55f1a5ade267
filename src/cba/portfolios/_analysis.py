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
  partner's every budget multiplied by the same factor), each an exact MILP.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cba.portfolios._milp import Problem, Solution, bounds, matrices, quiet_solver, rows, solve


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
    return [FrontierPoint(f, total * f, solve(pb, budget_scale=f)) for f in sorted(set(scalings))]
