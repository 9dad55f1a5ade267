"""The choice as a mixed-integer linear programme, solved exactly by HiGHS (``scipy.optimize.milp``).

Variables: ``x[i]`` in {0, 1}, whether candidate ``i`` is chosen; with side payments,
also ``y[p]`` (free, pounds, present value), what partner ``p`` receives from the
others (negative: pays). The objective is ``max sum_i c[i] x[i]``, ``c`` the weighted
values of the candidates (:meth:`cba.portfolios._candidates.Candidates.value`).
Constraints, each a row with a name (:class:`Row`):

- **budget** of partner ``p`` in year ``t``: ``sum_i spend[i, p, t] x[i] <= B[p, t]``
  (real pounds at the price base), for every budget the file gives;
- **floor** of partner ``p``: ``sum_i net[i, p] x[i] (+ y[p]) >= F[p]``; without
  side payments for the partners that name a floor, with them for every partner
  (floor 0 unless it names one), and then **conservation** ``sum_p y[p] = 0``;
- **exclusive** group ``g``: ``sum_{i in g} x[i] <= 1``;
- **requires**: ``x[a] <= x[b]`` when ``a`` needs ``b``;
- **count**: ``min_count <= sum_i x[i] <= max_count``;
- **include** and **exclude**: the bounds of ``x[i]`` are fixed at 1 or 0.

Money rows are divided by their largest coefficient or limit, and the objective by its
largest coefficient, before the solver sees them, so that its tolerances are relative;
every answer is then checked against the rows in pounds. The relative gap and the time
limit are passed explicitly, and each answer states the gap proven and the bound. A
solve stopped by its time limit also solves the linear relaxation (``x`` between 0 and 1;
0.02 s at a thousand candidates, under a limit of its own of a tenth of the solver's, at
least half a second) and states the lower of its bound and the solver's, so that an early
stop never states a gap wider than the relaxation's (and, should neither give a bound,
the sum of every candidate's value that is above 0, a bound too).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from cba.core._errors import CBAError

#: Rows in pounds are met when within this share of their scale (the solver's feasibility tolerance is 1e-7).
TOLERANCE = 1e-6


@contextmanager
def quiet_solver() -> Iterator[None]:
    """Send what the solver prints to standard error while it runs.

    The HiGHS bundled with scipy prints a debugging line of its own
    (``HighsMipSolverData::transformNewIntegerFeasibleSolution ...``) to the process's
    standard output on some hard problems, which would corrupt JSON written there;
    file descriptor 1 points at 2 until the solver returns.
    """
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):  # no real standard output (an embedding host): nothing to protect
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass
class Problem:
    """A portfolio choice, in indices and arrays (built by :func:`cba.portfolios._choose.problem`).

    ``budgets`` is ``(P, Y)`` with NaN where no budget is given; ``floors`` is
    ``(P,)`` with NaN where none is named.
    """

    names: tuple[str, ...]
    partners: tuple[str, ...]
    years: tuple[str, ...]
    objective: np.ndarray
    spend: np.ndarray
    net: np.ndarray
    budgets: np.ndarray
    floors: np.ndarray
    side_payments: bool = False
    exclusive: list[list[int]] = field(default_factory=list)
    requires: list[tuple[int, int]] = field(default_factory=list)
    include: list[int] = field(default_factory=list)
    exclude: list[int] = field(default_factory=list)
    min_count: int | None = None
    max_count: int | None = None
    gap: float = 0.0
    time_limit: float = 60.0

    @property
    def size(self) -> tuple[int, int]:
        return len(self.names), len(self.partners)

    def floor_of(self) -> np.ndarray:
        """``(P,)`` the floor each partner's net position must reach (NaN: none)."""
        if self.side_payments:
            return np.where(np.isnan(self.floors), 0.0, self.floors)
        return self.floors


@dataclass
class Row:
    """One constraint ``lo <= a @ x + b @ y <= hi``, named for people."""

    kind: str                   # budget, floor, conservation, exclusive, requires, count
    label: str
    a: np.ndarray
    b: np.ndarray | None
    lo: float
    hi: float
    scale: float = 1.0          # the row is divided by this before solving
    partner: str | None = None
    year: str | None = None


def rows(pb: Problem, budget_scale: float = 1.0) -> list[Row]:
    """Every constraint of the problem, budgets multiplied by ``budget_scale``."""
    N, P = pb.size
    out: list[Row] = []
    for p in range(P):
        for t in range(len(pb.years)):
            B = pb.budgets[p, t]
            if np.isnan(B):
                continue
            a = pb.spend[:, p, t]
            limit = float(B) * budget_scale
            out.append(Row("budget", f"budget of {pb.partners[p]} in {pb.years[t]}", a, None, -np.inf, limit,
                           max(float(np.abs(a).max(initial=0.0)), abs(limit), 1.0), pb.partners[p], pb.years[t]))
    floors = pb.floor_of()
    for p in range(P):
        if np.isnan(floors[p]):
            continue
        a = pb.net[:, p]
        b = np.eye(P)[p] if pb.side_payments else None
        scale = max(float(np.abs(a).max(initial=0.0)), abs(float(floors[p])), 1.0)
        out.append(Row("floor", f"floor of {pb.partners[p]}'s net position", a, b, float(floors[p]), np.inf, scale,
                       pb.partners[p]))
    if pb.side_payments:
        scale = max(float(np.abs(pb.net).max(initial=0.0)), 1.0)
        out.append(Row("conservation", "side payments sum to zero", np.zeros(N), np.ones(P), 0.0, 0.0, scale))
    for members in pb.exclusive:
        a = np.zeros(N)
        a[members] = 1.0
        out.append(Row("exclusive", f"at most one of {', '.join(pb.names[i] for i in members)}", a, None,
                       -np.inf, 1.0))
    for i, j in pb.requires:
        a = np.zeros(N)
        a[i], a[j] = 1.0, -1.0
        out.append(Row("requires", f"{pb.names[i]} requires {pb.names[j]}", a, None, -np.inf, 0.0))
    if pb.min_count is not None or pb.max_count is not None:
        lo = -np.inf if pb.min_count is None else float(pb.min_count)
        hi = np.inf if pb.max_count is None else float(pb.max_count)
        out.append(Row("count", "number chosen", np.ones(N), None, lo, hi))
    return out


def bounds(pb: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of ``x`` (include and exclude fix them)."""
    N = len(pb.names)
    lo, hi = np.zeros(N), np.ones(N)
    lo[pb.include] = 1.0
    hi[pb.exclude] = 0.0
    return lo, hi


def matrices(pb: Problem, rs: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(A, lo, hi)`` of the rows over ``[x, y]``, each row divided by its scale."""
    N, P = pb.size
    k = P if pb.side_payments else 0
    A = np.zeros((len(rs), N + k))
    lo, hi = np.empty(len(rs)), np.empty(len(rs))
    for r, row in enumerate(rs):
        A[r, :N] = row.a / row.scale
        if row.b is not None and k:
            A[r, N:] = row.b / row.scale
        lo[r], hi[r] = row.lo / row.scale, row.hi / row.scale
    return A, lo, hi


@dataclass
class Solution:
    """One MILP's answer."""

    status: str                         # optimal, gap (stopped within the gap), time_limit, infeasible
    chosen: np.ndarray | None           # (N,) bool
    value: float | None                 # the objective at the choice (pounds)
    bound: float | None                 # the solver's proven upper bound on the objective
    gap: float | None                   # (bound - value) / |value|, the proven relative gap
    seconds: float
    message: str = ""

    @property
    def feasible(self) -> bool:
        return self.chosen is not None


def solve(pb: Problem, budget_scale: float = 1.0, cuts: list[np.ndarray] | None = None) -> Solution:
    """Solve the MILP (budgets times ``budget_scale``; ``cuts``: chosen sets to exclude).

    A no-good cut for the set ``S`` keeps any other set:
    ``sum_{i not in S} x[i] - sum_{i in S} x[i] >= 1 - |S|``.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    N, P = pb.size
    k = P if pb.side_payments else 0
    rs = rows(pb, budget_scale)
    for s in cuts or []:
        a = np.where(s, -1.0, 1.0)
        rs.append(Row("cut", "not a set already listed", a, None, 1.0 - float(s.sum()), np.inf))
    A, lo, hi = matrices(pb, rs)
    xlo, xhi = bounds(pb)
    # the objective in units of its largest coefficient: HiGHS's absolute tolerances then suit every
    # portfolio's pounds (on 1,000 synthetic candidates the gap proven in 10 s fell from 28% to 1%)
    c_scale = float(np.abs(pb.objective).max(initial=0.0)) or 1.0
    c = np.concatenate([-pb.objective / c_scale, np.zeros(k)])
    integrality = np.concatenate([np.ones(N), np.zeros(k)])
    lb = np.concatenate([xlo, np.full(k, -np.inf)])
    ub = np.concatenate([xhi, np.full(k, np.inf)])
    cons = [LinearConstraint(A, lo, hi)] if len(rs) else []
    start = time.perf_counter()
    with quiet_solver():
        res = milp(c, integrality=integrality, bounds=Bounds(lb, ub), constraints=cons,
                   options={"mip_rel_gap": pb.gap, "time_limit": pb.time_limit, "presolve": True, "disp": False})
    seconds = time.perf_counter() - start
    if res.x is None:
        status = "infeasible" if res.status == 2 else ("time_limit" if res.status == 1 else "failed")
        if status == "failed":
            raise CBAError(f"the solver failed: {res.message}")
        return Solution(status, None, None, None, None, seconds, str(res.message))
    chosen = np.round(res.x[:N]).astype(bool)
    check(pb, chosen, budget_scale)
    value = float(pb.objective[chosen].sum())
    bound = getattr(res, "mip_dual_bound", None)
    bound = np.inf if bound is None or not np.isfinite(bound) else -float(bound) * c_scale
    if res.status != 0:
        # stopped early, perhaps before the root's relaxation, so its bound may be looser than the
        # relaxation's: solve that too (0.02 s at a thousand candidates; its own limit a tenth of the
        # solver's, at least half a second)
        with quiet_solver():
            lp = milp(c, integrality=np.zeros(N + k), bounds=Bounds(lb, ub), constraints=cons,
                      options={"time_limit": max(pb.time_limit / 10, 0.5), "presolve": True, "disp": False})
        if lp.status == 0 and lp.fun is not None:
            bound = min(bound, -float(lp.fun) * c_scale)
        # and when neither gives one, every candidate worth something chosen, whatever it spends
        bound = min(bound, float(np.maximum(pb.objective * xlo, pb.objective * xhi).sum()))
    bound, gap = stated_gap(value, bound if np.isfinite(bound) else value)
    status = "optimal" if res.status == 0 and gap <= 1e-9 else ("gap" if res.status == 0 else "time_limit")
    return Solution(status, chosen, value, bound, gap, seconds, str(res.message))


def stated_gap(value: float, bound: float) -> tuple[float, float]:
    """The bound as an answer states it (never below the value, and equal to it within the last
    digit of undoing the objective's scaling) and the relative gap ``(bound - value) / |value|``."""
    bound = max(bound, value)
    if bound - value <= 1e-12 * max(abs(value), 1.0):
        bound = value
    return bound, 0.0 if bound == value else (bound - value) / max(abs(value), 1e-9)


def check(pb: Problem, chosen: np.ndarray, budget_scale: float = 1.0) -> None:
    """Check a choice against every row in pounds (a programming error if it fails: the solver's tolerance)."""
    P = len(pb.partners)
    y = settle(pb, chosen) if pb.side_payments else np.zeros(P)
    xlo, xhi = bounds(pb)
    x = chosen.astype(float)
    if (x < xlo).any() or (x > xhi).any():
        raise AssertionError("the solver's choice breaks an include or exclude")
    for row in rows(pb, budget_scale):
        v = row.a @ x + (row.b @ y if row.b is not None else 0.0)
        if v < row.lo - TOLERANCE * row.scale or v > row.hi + TOLERANCE * row.scale:
            raise AssertionError(f"the solver's choice breaks {row.label}: {v} not in [{row.lo}, {row.hi}]")


def settle(pb: Problem, chosen: np.ndarray) -> np.ndarray:
    """``(P,)`` the side payments that settle a choice: what each partner receives (negative: pays).

    Partners below their floor receive exactly their shortfall; partners above it
    pay the total shortfall between them in proportion to how far above it they are,
    so none falls below its own floor and the payments sum to zero. Any feasible
    choice has total excess at least the total shortfall (the sum of the floor rows
    with conservation), so the shares are at most 1.
    """
    floors = pb.floor_of()
    net = pb.net[chosen].sum(axis=0)
    short = np.maximum(floors - net, 0.0)
    excess = np.maximum(net - floors, 0.0)
    S, E = float(short.sum()), float(excess.sum())
    if S == 0.0:
        return np.zeros(len(net))
    return short - S * (excess / E if E > 0 else 0.0 * excess)
