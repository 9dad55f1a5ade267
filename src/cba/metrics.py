"""Results of an appraisal (method spec section 5), vectorised over draws.

Every function takes arrays with a leading draws axis and returns one value per
draw. "None" results (a ratio with no costs, no payback, no IRR) are NaN here and
become ``None`` only at the presentation edge.
"""

from __future__ import annotations

import numpy as np

from .engine import Totals

#: Metric names, in the order of the method spec.
METRIC_NAMES = (
    "pv_costs", "pv_fiscal", "pv_cashable", "pv_economic", "pv_social", "pv_public_value",
    "net_present_budget_impact", "net_present_public_value", "financial_roi", "cashable_roi",
    "economic_roi", "social_roi", "public_value_roi", "payback_period", "irr", "wrong_pocket_index",
)
#: Per-agency ledger columns.
AGENCY_METRIC_NAMES = ("pv_costs", "pv_fiscal", "pv_cashable", "pv_transfer", "net",
                       "cost_share", "fiscal_share", "roi")


def ratio(numerator, denominator):
    """``numerator / denominator``, NaN (none) where the denominator is 0.

    >>> ratio(np.array([3.0, 1.0]), np.array([2.0, 0.0]))
    array([1.5, nan])
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    with np.errstate(over="ignore"):
        np.divide(num, den, out=out, where=den != 0)
    # a denominator so small that the ratio overflows is treated like zero: none
    out[~np.isfinite(out)] = np.nan
    return out


def payback_period(costs, fiscal, discount_factors):
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
    c = np.cumsum(np.asarray(costs, float) * discount_factors, axis=-1)
    f = np.cumsum(np.asarray(fiscal, float) * discount_factors, axis=-1)
    hit = (f >= c) & (c > 0)
    first = np.argmax(hit, axis=-1)
    found = hit.any(axis=-1) & (ratio(f[..., -1], c[..., -1]) > 1)
    return np.where(found, first + 1.0, np.nan)


def irr(flows, low: float = -0.99, high: float = 10.0, grid: int = 96, iterations: int = 100):
    """Internal rate of return of yearly net flows, one per draw.

    The rate ``r`` with ``sum_t x[t] / (1+r)**t = 0``. Flows that never change sign
    have none (NaN). Where several rates solve it, the one nearest 0 among the sign
    changes found on a grid over ``(low, high]`` is taken (the convention of
    numpy-financial's polynomial-root IRR), then refined by bisection.

    Parameters
    ----------
    flows : array_like
        ``(D, H)`` undiscounted net flows (pounds).

    Examples
    --------
    >>> round(float(irr([[-100.0, 110.0]])[0]), 12)
    0.1
    """
    x = np.atleast_2d(np.asarray(flows, dtype=float))
    D, H = x.shape
    t = np.arange(H)
    out = np.full(D, np.nan)
    changes = (x.max(axis=1) > 0) & (x.min(axis=1) < 0)
    if not changes.any() or H < 2:
        return out
    xs = x[changes]
    u = np.geomspace(1.0 + low, 1.0 + high, grid)
    with np.errstate(over="ignore", invalid="ignore"):  # long horizons: far grid points overflow, never flip
        npv = xs @ (u[:, None] ** -t[None, :]).T                   # (d, G)
    sign = np.sign(npv)
    flips = sign[:, :-1] * sign[:, 1:] <= 0
    mid = np.sqrt(u[:-1] * u[1:]) - 1.0
    closeness = np.where(flips, np.abs(mid)[None, :], np.inf)
    j = np.argmin(closeness, axis=1)
    ok = np.isfinite(closeness[np.arange(len(j)), j])
    lo, hi = u[j].copy(), u[j + 1].copy()

    def f(v):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.sum(xs * v[:, None] ** -t[None, :], axis=1)

    f_lo = f(lo)
    for _ in range(iterations):  # bisection: a fixed count, vectorised over draws
        m = 0.5 * (lo + hi)
        f_m = f(m)
        left = np.sign(f_m) == np.sign(f_lo)
        lo = np.where(left, m, lo)
        f_lo = np.where(left, f_m, f_lo)
        hi = np.where(left, hi, m)
    root = 0.5 * (lo + hi) - 1.0
    # exact zeros on the grid: take the grid point itself
    exact_lo = npv[np.arange(len(j)), j] == 0
    root = np.where(exact_lo, u[j] - 1.0, root)
    out[np.nonzero(changes)[0]] = np.where(ok, root, np.nan)
    return out


def compute(totals: Totals, include_irr: bool = True) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every result of the method, per draw.

    Returns
    -------
    metrics : dict of str to numpy.ndarray
        :data:`METRIC_NAMES`, each ``(D,)``.
    by_agency : dict of str to numpy.ndarray
        :data:`AGENCY_METRIC_NAMES`, each ``(D, A)`` in ``totals.agencies`` order.
    """
    df = totals.discount_factors                                   # (D, H)
    dfa = df[:, None, :]
    a_costs = np.sum(totals.costs * dfa, axis=-1)                  # (D, A)
    a_fiscal = np.sum(totals.fiscal * dfa, axis=-1)
    a_cash = np.sum(totals.cashable * dfa, axis=-1)
    a_transfer = np.sum(totals.transfer * dfa, axis=-1)

    pv_costs = a_costs.sum(axis=1)
    pv_fiscal = a_fiscal.sum(axis=1)
    pv_cashable = a_cash.sum(axis=1)
    pv_transfer = a_transfer.sum(axis=1)
    pv_economic = np.sum(totals.economic * df, axis=-1)
    pv_social = np.sum(totals.social * df, axis=-1)
    pv_public_value = pv_fiscal - pv_transfer + pv_economic + pv_social

    yearly_costs = totals.costs.sum(axis=1)                        # (D, H)
    yearly_fiscal = totals.fiscal.sum(axis=1)
    cost_share = ratio(a_costs, pv_costs[:, None])
    fiscal_share = ratio(a_fiscal, pv_fiscal[:, None])
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
        "financial_roi": ratio(pv_fiscal, pv_costs),
        "cashable_roi": ratio(pv_cashable, pv_costs),
        "economic_roi": ratio(pv_economic, pv_costs),
        "social_roi": ratio(pv_social, pv_costs),
        "public_value_roi": ratio(pv_public_value, pv_costs),
        "payback_period": payback_period(yearly_costs, yearly_fiscal, df),
        "irr": irr(yearly_fiscal - yearly_costs) if include_irr else np.full(len(pv_costs), np.nan),
        "wrong_pocket_index": wpi,
    }
    by_agency = {
        "pv_costs": a_costs,
        "pv_fiscal": a_fiscal,
        "pv_cashable": a_cash,
        "pv_transfer": a_transfer,
        "net": a_fiscal - a_costs,
        "cost_share": cost_share,
        "fiscal_share": fiscal_share,
        "roi": ratio(a_fiscal, a_costs),
    }
    return metrics, by_agency
