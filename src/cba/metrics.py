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
#: Metrics computed only for models that class savings as cost reduction or avoidance.
SAVING_METRIC_NAMES = ("pv_cost_reduction", "pv_cost_avoidance")
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
    npv = xs @ (u[:, None] ** -t[None, :]).T                       # (d, G)
    sign = np.sign(npv)
    flips = sign[:, :-1] * sign[:, 1:] <= 0
    mid = np.sqrt(u[:-1] * u[1:]) - 1.0
    closeness = np.where(flips, np.abs(mid)[None, :], np.inf)
    j = np.argmin(closeness, axis=1)
    ok = np.isfinite(closeness[np.arange(len(j)), j])
    lo, hi = u[j].copy(), u[j + 1].copy()

    def f(v):
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


def value_for_money(ratio_value, names, edges):
    """The value for money category of a benefit-cost ratio.

    Band ``i`` runs from ``edges[i-1]`` (inclusive) up to ``edges[i]``; the first
    band has no lower bound and the last no upper bound. A ratio that is none
    (NaN or None: no costs) has no category.

    Parameters
    ----------
    ratio_value : float, None or array_like
        Benefit-cost ratio(s).
    names : sequence of str
        Band names, lowest first (one more than ``edges``).
    edges : sequence of float
        Increasing lower edges of the second and later bands.

    Returns
    -------
    str or None, or numpy.ndarray of object for an array

    Examples
    --------
    DfT's categories (Value for Money Framework): poor below 1, low from 1, medium
    from 1.5, high from 2, very high from 4.

    >>> names, edges = ["poor", "low", "medium", "high", "very high"], [1.0, 1.5, 2.0, 4.0]
    >>> [value_for_money(x, names, edges) for x in (0.99, 1.0, 1.5, 2.0, 3.99, 4.0, None)]
    ['poor', 'low', 'medium', 'high', 'high', 'very high', None]
    """
    if len(names) != len(edges) + 1:
        raise ValueError("value_for_money: one more band name than band edges is needed")
    scalar = ratio_value is None or np.ndim(ratio_value) == 0
    r = np.atleast_1d(np.asarray(np.nan if ratio_value is None else ratio_value, dtype=float))
    idx = np.searchsorted(np.asarray(edges, dtype=float), r, side="right")
    out = np.array([None if np.isnan(x) else names[i] for x, i in zip(r, idx)], dtype=object)
    return out[0] if scalar else out


def _pv(flows, factors, health=None, health_factors=None):
    """Present value over the last axis; the ``health`` part of ``flows`` on ``health_factors``."""
    pv = np.sum(flows * factors, axis=-1)
    if health is not None:
        pv = pv + np.sum(health * (health_factors - factors), axis=-1)
    return pv


def compute(totals: Totals, include_irr: bool = True) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every result of the method, per draw.

    Returns
    -------
    metrics : dict of str to numpy.ndarray
        :data:`METRIC_NAMES`, each ``(D,)``; and :data:`SAVING_METRIC_NAMES`
        when the totals class savings.

    Notes
    -----
    Economic and social values from health components are discounted on
    ``totals.health_discount_factors``, everything else on
    ``totals.discount_factors``: ``PV = sum(x * DF) + sum(x_health * (DF_health -
    DF))``. Without health components the first term alone is computed, exactly
    as before health discounting existed.
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
    hdf = totals.health_discount_factors
    pv_economic = _pv(totals.economic, df, totals.economic_health, hdf)
    pv_social = _pv(totals.social, df, totals.social_health, hdf)
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
    if totals.reduction is not None:
        metrics["pv_cost_reduction"] = np.sum(totals.reduction * dfa, axis=(-2, -1))
        metrics["pv_cost_avoidance"] = np.sum(totals.avoidance * dfa, axis=(-2, -1))
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
