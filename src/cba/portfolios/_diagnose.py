"""When no portfolio meets the constraints: which constraint binds, and by how much.

The structure (exclusive groups, dependencies, include and exclude, the count) is
checked first on its own: if no set meets it whatever the budgets, each structural
constraint that alone makes it feasible when dropped is named. Otherwise each money
constraint (a budget in a year, a partner's floor, and the minimum count) is relaxed
in turn, with a slack variable ``s >= 0`` and every other constraint kept: the MILP
``min s`` gives the **smallest shortfall** that constraint alone must give up for any
portfolio to exist (none, when relaxing it alone cannot help). Then all of them are
relaxed together, minimising the sum of slacks each divided by its row's scale, which
shows one least relaxation of all at once.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from cba.portfolios._milp import Problem, Row, bounds, matrices, quiet_solver, rows, solve

#: Most money constraints relaxed one at a time (each is a MILP); beyond it only the joint relaxation runs.
MAX_ONE_BY_ONE = 200
#: Kinds of row a slack may relax.
SOFT = ("budget", "floor", "count")


@dataclass
class Binding:
    """One constraint that binds an infeasible portfolio."""

    kind: str
    label: str
    partner: str | None
    year: str | None
    limit: float
    alone: float | None      # the smallest shortfall when only this one is relaxed (None: that alone cannot help)
    jointly: float           # its shortfall in the joint least relaxation


def _structure_only(pb: Problem) -> Problem:
    q = copy.copy(pb)
    q.budgets = np.full_like(pb.budgets, np.nan)
    q.floors = np.full_like(pb.floors, np.nan)
    q.side_payments = False
    q.min_count = pb.min_count
    return q


def _structural_culprits(pb: Problem) -> list[str]:
    """Each structural constraint whose removal alone makes the structure feasible."""
    q = _structure_only(pb)
    found = []
    trials: list[tuple[str, Problem]] = []
    for g in range(len(q.exclusive)):
        r = copy.copy(q)
        r.exclusive = [m for h, m in enumerate(q.exclusive) if h != g]
        trials.append((f"exclusive group: at most one of {', '.join(q.names[i] for i in q.exclusive[g])}", r))
    for d in range(len(q.requires)):
        r = copy.copy(q)
        r.requires = [x for e, x in enumerate(q.requires) if e != d]
        i, j = q.requires[d]
        trials.append((f"requires: {q.names[i]} requires {q.names[j]}", r))
    for i in q.include:
        r = copy.copy(q)
        r.include = [x for x in q.include if x != i]
        trials.append((f"include: {q.names[i]}", r))
    for i in q.exclude:
        r = copy.copy(q)
        r.exclude = [x for x in q.exclude if x != i]
        trials.append((f"exclude: {q.names[i]}", r))
    if q.min_count is not None:
        r = copy.copy(q)
        r.min_count = None
        trials.append((f"min_count: {q.min_count}", r))
    if q.max_count is not None:
        r = copy.copy(q)
        r.max_count = None
        trials.append((f"max_count: {q.max_count}", r))
    for label, r in trials:
        if solve(r).feasible:
            found.append(label)
    return found


def _relaxed(pb: Problem, soft: list[int], rs: list[Row], weights: np.ndarray) -> tuple[bool, np.ndarray, bool]:
    """Minimise the weighted slacks of rows ``soft``; (feasible, slack of each soft row in its units,
    whether the least was proven: a time limit leaves slacks that suffice but may not be the least)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    N, P = pb.size
    k = P if pb.side_payments else 0
    A, lo, hi = matrices(pb, rs)
    S = len(soft)
    A2 = np.hstack([A, np.zeros((len(rs), S))])
    for j, r in enumerate(soft):
        # a <= row gains -s, a >= row gains +s: the slack always loosens the row
        A2[r, N + k + j] = -1.0 if np.isfinite(hi[r]) else 1.0
    xlo, xhi = bounds(pb)
    c = np.concatenate([np.zeros(N + k), weights])
    with quiet_solver():
        res = milp(c, integrality=np.concatenate([np.ones(N), np.zeros(k + S)]),
                   bounds=Bounds(np.concatenate([xlo, np.full(k, -np.inf), np.zeros(S)]),
                                 np.concatenate([xhi, np.full(k, np.inf), np.full(S, np.inf)])),
                   constraints=[LinearConstraint(A2, lo, hi)],
                   options={"mip_rel_gap": pb.gap, "time_limit": pb.time_limit, "presolve": True, "disp": False})
    if res.x is None:
        return False, np.full(S, np.nan), res.status == 2
    return True, np.array([res.x[N + k + j] * rs[r].scale for j, r in enumerate(soft)]), res.status == 0


def diagnose(pb: Problem) -> tuple[str, list[Binding]]:
    """Why no portfolio meets the constraints: a sentence, and the binding constraints.

    Returns
    -------
    message : str
        What binds and by how much, for people.
    binding : list of Binding
        Each constraint that needs relaxing, most needed first.
    """
    if not solve(_structure_only(pb)).feasible:
        culprits = _structural_culprits(pb)
        if culprits:
            return ("no set of candidates meets the structure, whatever the budgets; dropping any one of these "
                    f"would allow one: {'; '.join(culprits)}", [])
        return "no set of candidates meets the structure, whatever the budgets: its constraints conflict", []
    rs = rows(pb)
    soft = [r for r, row in enumerate(rs) if row.kind in SOFT and not (row.kind == "count" and np.isinf(row.lo))]
    weights = np.array([1.0 / rs[r].scale for r in soft])
    ok, joint, proven = _relaxed(pb, soft, rs, weights)
    alone: list[float | None] = [None] * len(soft)
    if len(soft) <= MAX_ONE_BY_ONE:
        for j, r in enumerate(soft):
            ok1, s, proven1 = _relaxed(pb, [r], rs, np.ones(1))  # every other row kept
            alone[j] = float(s[0]) if ok1 else None
            proven = proven and proven1
    out = []
    for j, r in enumerate(soft):
        row = rs[r]
        need_joint = float(joint[j]) if ok else float("nan")
        small = TOL_POUNDS if row.kind != "count" else 1e-6
        a = alone[j]
        if (a is not None and a > small) or need_joint > small:
            limit = row.hi if np.isfinite(row.hi) else row.lo
            out.append(Binding(row.kind, row.label, row.partner, row.year, float(limit),
                               a if a is None or a > small else 0.0, need_joint))
    out.sort(key=lambda b: (b.kind == "count", b.alone is None, b.alone if b.alone is not None else 0.0, -b.jointly))
    if not out:
        return "no portfolio meets the constraints, and relaxing the budgets, floors and count does not help", []
    first = out[0]
    unit = "candidate" if first.kind == "count" else "£"
    amount = f"{first.alone:,.0f}" if first.alone is not None else f"{first.jointly:,.0f}"
    how = f"{unit}{amount}" if unit == "£" else f"{amount} {unit}(s)"
    unproven = ("" if proven else f"; the solver's time limit ({pb.time_limit:g} s) stopped the search for the "
                "least shortfalls, so each shortfall shown suffices but may be more than is needed")
    return (f"no portfolio meets the constraints; the {first.label} binds: it must give up {how} for any "
            "portfolio to exist" + ("" if first.alone is not None else " (with the others relaxed as shown)")
            + unproven, out)


#: Shortfalls below a penny are the solver's tolerance, not a binding constraint.
TOL_POUNDS = 0.01
