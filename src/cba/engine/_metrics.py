"""Results of an appraisal (method spec section 5), vectorised over draws.

Every function takes arrays with a leading draws axis and returns one value per
draw. "None" results (a ratio with no costs, no payback, no IRR) are NaN here and
become ``None`` only at the presentation edge.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cba.core._arguments import flag, instance_argument
from cba.core._errors import CBAError
from cba.core._numbers import number, numbers, whole
from cba.engine._evaluate import Totals

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

#: Metric names, in the order of the method spec.
METRIC_NAMES = (
    "pv_costs", "pv_fiscal", "pv_cashable", "pv_economic", "pv_social", "pv_public_value",
    "net_present_budget_impact", "net_present_public_value", "financial_roi", "cashable_roi",
    "economic_roi", "social_roi", "public_value_roi", "payback_period", "irr", "wrong_pocket_index",
)
#: Metrics computed only for models that class savings as cost reduction or avoidance.
SAVING_METRIC_NAMES = ("pv_cost_reduction", "pv_cost_avoidance")
#: Per-agency ledger columns.
AGENCY_METRIC_NAMES = ("pv_costs", "pv_fiscal", "pv_cashable", "pv_transfer", "net",
                       "cost_share", "fiscal_share", "roi")


def ratio(numerator: ArrayLike, denominator: ArrayLike) -> np.ndarray:
    """``numerator / denominator``, NaN (none) where the denominator is 0.

    >>> ratio(np.array([3.0, 1.0]), np.array([2.0, 0.0]))
    array([1.5, nan])
    """
    return unchecked_ratio(numbers(numerator, "ratio: numerator", missing=True),
                           numbers(denominator, "ratio: denominator", missing=True))


def unchecked_ratio(numerator: ArrayLike, denominator: ArrayLike) -> np.ndarray:
    """:func:`ratio` without the checks of its arguments, for the engine and the layers above it,
    whose overflows are named by their own checks (:mod:`cba.engine._finite`)."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    with np.errstate(over="ignore"):
        np.divide(num, den, out=out, where=den != 0)
    # a denominator so small that the ratio overflows is treated like zero: none
    out[~np.isfinite(out)] = np.nan
    return out


def payback_period(costs: ArrayLike, fiscal: ArrayLike, discount_factors: ArrayLike) -> np.ndarray:
    """Whole years until cumulative discounted fiscal benefit covers cumulative cost.

    The first year ``t`` with some cost so far and ``cumsum(fiscal*DF) >=
    cumsum(cost*DF)`` gives ``t + 1``; NaN when the financial ROI is not above 1 or
    no year qualifies within the horizon.

    Parameters
    ----------
    costs, fiscal : array_like
        ``(D, H)`` real yearly totals (pounds).
    discount_factors : array_like
        ``(D, H)`` or ``(H,)``.

    Examples
    --------
    >>> payback_period([[40000.0, 10000.0, 0.0]], [[0.0, 30000.0, 30000.0]], [1.0, 1.0, 1.0])
    array([3.])
    """
    return unchecked_payback_period(*(numbers(x, f"payback_period: {name}", missing=True) for name, x in
                                      (("costs", costs), ("fiscal", fiscal), ("discount_factors", discount_factors))))


def unchecked_payback_period(costs: ArrayLike, fiscal: ArrayLike, discount_factors: ArrayLike) -> np.ndarray:
    """:func:`payback_period` without the checks of its arguments, for the engine."""
    c = np.cumsum(np.asarray(costs, float) * discount_factors, axis=-1)
    f = np.cumsum(np.asarray(fiscal, float) * discount_factors, axis=-1)
    hit = (f >= c) & (c > 0)
    first = np.argmax(hit, axis=-1)
    found = hit.any(axis=-1) & (unchecked_ratio(f[..., -1], c[..., -1]) > 1)
    return np.where(found, first + 1.0, np.nan)


def irr(flows: ArrayLike, low: float = -0.99, high: float = 10.0, grid: int = 96, iterations: int = 100) -> np.ndarray:
    """Internal rate of return of yearly net flows, one per draw.

    The rate ``r`` with ``sum_t x[t] / (1+r)**t = 0``. Flows that never change sign
    have none (NaN). Where several rates solve it, the one nearest 0 among the sign
    changes found on a grid over ``(low, high]`` is taken (the convention of
    numpy-financial's polynomial-root IRR), then refined inside that grid interval
    by Newton's method safeguarded by bisection (:func:`_refine_root`), vectorised
    over draws: a few steps where a bisection would take a hundred.

    Parameters
    ----------
    flows : array_like
        ``(D, H)`` undiscounted net flows (pounds).
    low, high : float
        The range of rates searched.
    grid : int
        Points of the grid of ``1 + r`` (geometric) on which sign changes are found.
    iterations : int
        Most refinement steps (each at least halves the interval when Newton's
        step would leave it).

    Examples
    --------
    >>> round(float(irr([[-100.0, 110.0]])[0]), 12)
    0.1
    """
    flows = numbers(flows, "irr: flows", missing=True)
    low, high = number(low, "irr: low"), number(high, "irr: high")
    grid, iterations = whole(grid, "irr: grid", minimum=2), whole(iterations, "irr: iterations", minimum=1)
    if not -1 < low < high:
        raise CBAError(f"irr: expected -1 < low < high, got low={low:g}, high={high:g}")
    return unchecked_irr(flows, low, high, grid, iterations)


def unchecked_irr(flows: ArrayLike, low: float = -0.99, high: float = 10.0, grid: int = 96,
                  iterations: int = 100) -> np.ndarray:
    """:func:`irr` without the checks of its arguments, for the engine and the partnership layer."""
    x = np.atleast_2d(np.asarray(flows, dtype=float))
    D, H = x.shape
    out = np.full(D, np.nan)
    changes = (x.max(axis=1) > 0) & (x.min(axis=1) < 0)
    if not changes.any() or H < 2:
        return out
    xs = x[changes]
    u, discount, distance = _rate_grid(float(low), float(high), int(grid), H)
    with np.errstate(over="ignore", invalid="ignore"):  # long horizons: far grid points overflow, never flip
        npv = xs @ discount                                        # (d, G)
    sign = np.sign(npv)
    flips = sign[:, :-1] * sign[:, 1:] <= 0
    closeness = np.where(flips, distance, np.inf)
    j = np.argmin(closeness, axis=1)
    rows = np.arange(len(j))
    ok = np.isfinite(closeness[rows, j])
    lo = u[j]
    with np.errstate(over="ignore", invalid="ignore"):
        f_lo = np.sum(xs * discount.T[j], axis=1)                 # f(lo), from the grid's powers
    root = _refine_root(xs, lo, u[j + 1], f_lo, iterations) - 1.0
    # exact zeros on the grid: take the grid point itself
    exact_lo = npv[rows, j] == 0
    root = np.where(exact_lo, u[j] - 1.0, root)
    out[np.nonzero(changes)[0]] = np.where(ok, root, np.nan)
    return out


def _pv(flows, factors, health=None, health_factors=None):
    """Present value over the last axis; the ``health`` part of ``flows`` on ``health_factors``."""
    pv = np.sum(flows * factors, axis=-1)
    if health is not None:
        pv = pv + np.sum(health * (health_factors - factors), axis=-1)
    return pv


@functools.lru_cache(maxsize=32)
def _rate_grid(low: float, high: float, grid: int, H: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid of :func:`irr`: ``1 + r`` (``(G,)``), its discount factors ``(H, G)``
    and the distance of each interval's middle rate from 0 (``(G - 1,)``); read-only."""
    u = np.geomspace(1.0 + low, 1.0 + high, grid)
    t = np.arange(H)
    with np.errstate(over="ignore", invalid="ignore"):  # long horizons: far grid points overflow, never flip
        discount = (u[:, None] ** -t[None, :]).T
    distance = np.abs(np.sqrt(u[:-1] * u[1:]) - 1.0)
    for a in (u, discount, distance):
        a.flags.writeable = False
    return u, discount, distance


def _refine_root(x, lo, hi, f_lo, iterations: int = 100) -> np.ndarray:
    """Roots ``v`` of ``f(v) = sum_t x[t] * v**-t`` inside ``[lo, hi]``, one per row.

    Newton steps from the middle of each interval; a step that would leave the
    interval (or a zero derivative) is replaced by bisection, and the interval
    shrinks to the side where ``f`` keeps the sign of ``f(lo)`` after every step.
    A row stops when ``f`` is within the rounding error of its own sum (the root
    is then ``v``), its step falls below four units in the last place, or the
    interval is that narrow; it is then left alone, so each row's result depends
    only on its own flows, not on the other rows of the call.

    Parameters
    ----------
    x : numpy.ndarray
        ``(n, H)`` flows.
    lo, hi : numpy.ndarray
        ``(n,)`` ends of intervals of ``v = 1 + r``, ``0 < lo < hi``.
    f_lo : numpy.ndarray
        ``(n,)`` ``f(lo)`` (only its sign is used).
    iterations : int
        Most steps.

    Examples
    --------
    >>> _refine_root(np.array([[-100.0, 0.0, 121.0]]), np.array([1.0]), np.array([2.0]),
    ...              np.array([21.0]))
    array([1.1])
    """
    H = x.shape[1]
    t = np.arange(H)
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    s_lo = np.sign(f_lo)
    v = 0.5 * (lo + hi)
    out = v.copy()
    idx = np.arange(len(v))
    eps = 4.0 * np.finfo(float).eps
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(iterations):
            # x[t] * v**-t, the powers by repeated multiplication: exactly rounded steps, so a
            # row's numbers do not depend on how numpy's power loop treats the others
            powers = np.empty((len(idx), H))
            powers[:, 0] = 1.0
            if H > 1:
                powers[:, 1:] = (1.0 / v)[:, None]
                np.cumprod(powers[:, 1:], axis=1, out=powers[:, 1:])
            terms = x[idx] * powers
            f = terms.sum(axis=1)
            slope = -(terms * t).sum(axis=1) / v                    # f'(v)
            same = np.sign(f) == s_lo
            lo = np.where(same, v, lo)
            hi = np.where(same, hi, v)
            step = v - f / slope
            inside = (step > lo) & (step < hi)                       # False for NaN
            new = np.where(inside, step, 0.5 * (lo + hi))
            # converged: a step below rounding, f within the rounding of its own sum,
            # or an interval a few units in the last place wide
            level = np.abs(f) <= eps * np.abs(terms).sum(axis=1)
            done = level | (np.abs(new - v) <= eps * v) | (hi - lo <= eps * hi)
            out[idx[done]] = np.where(level, v, new)[done]
            keep = ~done
            if not keep.any():
                return out
            idx, v, lo, hi, s_lo = idx[keep], new[keep], lo[keep], hi[keep], s_lo[keep]
    out[idx] = v
    return out


@dataclass(frozen=True)
class PresentValues:
    """What the metrics are made of: present values, and the yearly totals that
    payback and the internal rate of return need.

    :func:`present_values` makes them from :class:`~cba.engine._evaluate.Totals`;
    :func:`cba.engine._profiles.present_values` makes them directly from a compiled model
    and parameter draws (Monte Carlo's fast path). ``D`` draws, ``A`` agencies.

    Attributes
    ----------
    agencies : tuple of str
    costs, fiscal, cashable, transfer : numpy.ndarray
        ``(D, A)`` present values by agency (pounds).
    economic, social : numpy.ndarray
        ``(D,)`` present values, health values discounted on the health schedule.
    yearly_costs, yearly_fiscal : numpy.ndarray
        ``(D, H)`` real totals by year (all agencies), for payback and IRR.
    discount_factors : numpy.ndarray
        ``(D, H)``: the standard schedule.
    reduction, avoidance : numpy.ndarray or None
        ``(D,)`` present values of fiscal savings classed as cost reduction and
        cost avoidance; None when the model classes no saving.
    """

    agencies: tuple[str, ...]
    costs: np.ndarray
    fiscal: np.ndarray
    cashable: np.ndarray
    transfer: np.ndarray
    economic: np.ndarray
    social: np.ndarray
    yearly_costs: np.ndarray
    yearly_fiscal: np.ndarray
    discount_factors: np.ndarray
    reduction: np.ndarray | None = None
    avoidance: np.ndarray | None = None


def present_values(totals: Totals) -> PresentValues:
    """Discount :class:`~cba.engine._evaluate.Totals` into :class:`PresentValues`.

    Economic and social values from health components are discounted on
    ``totals.health_discount_factors``, everything else on
    ``totals.discount_factors``: ``PV = sum(x * DF) + sum(x_health * (DF_health -
    DF))``. Without health components the first term alone is computed, exactly
    as before health discounting existed.
    """
    instance_argument(totals, Totals, "present_values: totals", "Totals (cba.engine.evaluate_totals)")
    df = totals.discount_factors                                   # (D, H)
    dfa = df[:, None, :]
    hdf = totals.health_discount_factors
    reduction = avoidance = None
    if totals.reduction is not None:
        reduction = np.sum(totals.reduction * dfa, axis=(-2, -1))
        avoidance = np.sum(totals.avoidance * dfa, axis=(-2, -1))
    return PresentValues(
        agencies=totals.agencies,
        costs=np.sum(totals.costs * dfa, axis=-1),                 # (D, A)
        fiscal=np.sum(totals.fiscal * dfa, axis=-1),
        cashable=np.sum(totals.cashable * dfa, axis=-1),
        transfer=np.sum(totals.transfer * dfa, axis=-1),
        economic=_pv(totals.economic, df, totals.economic_health, hdf),
        social=_pv(totals.social, df, totals.social_health, hdf),
        yearly_costs=totals.costs.sum(axis=1),                     # (D, H)
        yearly_fiscal=totals.fiscal.sum(axis=1),
        discount_factors=df,
        reduction=reduction,
        avoidance=avoidance,
    )


def compute(totals: Totals | PresentValues, include_irr: bool = True
            ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every result of the method, per draw.

    Parameters
    ----------
    totals : Totals or PresentValues
        The engine's totals (discounted first by :func:`present_values`), or
        present values made directly (:func:`cba.engine._profiles.present_values`).
    include_irr : bool
        Compute the internal rate of return (NaN when not).

    Returns
    -------
    metrics : dict of str to numpy.ndarray
        :data:`METRIC_NAMES`, each ``(D,)``; and :data:`SAVING_METRIC_NAMES`
        when the totals class savings.
    by_agency : dict of str to numpy.ndarray
        :data:`AGENCY_METRIC_NAMES`, each ``(D, A)`` in ``totals.agencies`` order.
    """
    instance_argument(totals, (Totals, PresentValues), "compute: totals", "Totals or PresentValues")
    include_irr = flag(include_irr, "compute: include_irr")
    pv = totals if isinstance(totals, PresentValues) else present_values(totals)
    df = pv.discount_factors                                       # (D, H)
    a_costs, a_fiscal, a_cash, a_transfer = pv.costs, pv.fiscal, pv.cashable, pv.transfer   # (D, A)

    pv_costs = a_costs.sum(axis=1)
    pv_fiscal = a_fiscal.sum(axis=1)
    pv_cashable = a_cash.sum(axis=1)
    pv_transfer = a_transfer.sum(axis=1)
    pv_economic = pv.economic
    pv_social = pv.social
    pv_public_value = pv_fiscal - pv_transfer + pv_economic + pv_social

    yearly_costs = pv.yearly_costs                                 # (D, H)
    yearly_fiscal = pv.yearly_fiscal
    cost_share = unchecked_ratio(a_costs, pv_costs[:, None])
    fiscal_share = unchecked_ratio(a_fiscal, pv_fiscal[:, None])
    wpi = 0.5 * np.sum(np.abs(cost_share - fiscal_share), axis=1)
    wpi = np.where((pv_costs != 0) & (pv_fiscal != 0), wpi, np.nan)

    metrics = {
        "pv_costs": pv_costs,
        "pv_fiscal": pv_fiscal,
        "pv_cashable": pv_cashable,
        "pv_economic": pv_economic,
        "pv_social": pv_social,
        "pv_public_value": pv_public_value,
        "net_present_budget_impact": pv_fiscal - pv_costs,
        "net_present_public_value": pv_public_value - pv_costs,
        "financial_roi": unchecked_ratio(pv_fiscal, pv_costs),
        "cashable_roi": unchecked_ratio(pv_cashable, pv_costs),
        "economic_roi": unchecked_ratio(pv_economic, pv_costs),
        "social_roi": unchecked_ratio(pv_social, pv_costs),
        "public_value_roi": unchecked_ratio(pv_public_value, pv_costs),
        "payback_period": unchecked_payback_period(yearly_costs, yearly_fiscal, df),
        "irr": unchecked_irr(yearly_fiscal - yearly_costs) if include_irr else np.full(len(pv_costs), np.nan),
        "wrong_pocket_index": wpi,
    }
    if pv.reduction is not None:
        metrics["pv_cost_reduction"] = pv.reduction
        metrics["pv_cost_avoidance"] = pv.avoidance
    by_agency = {
        "pv_costs": a_costs,
        "pv_fiscal": a_fiscal,
        "pv_cashable": a_cash,
        "pv_transfer": a_transfer,
        "net": a_fiscal - a_costs,
        "cost_share": cost_share,
        "fiscal_share": fiscal_share,
        "roi": unchecked_ratio(a_fiscal, a_costs),
    }
    return metrics, by_agency
