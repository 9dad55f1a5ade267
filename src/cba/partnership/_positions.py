"""Each partner's present values before and after a deal, from its yearly money.

:func:`net_positions` turns :class:`~cba.partnership._evaluate.DealFlows` into present
values per partner (what it bears today, funds, banks, receives and pays; its net
position before and after; its return on what it puts in, break-even year and peak
deficit), for every draw at once. :func:`positions_without_savings` gives a risk run's
figures for partners that bank no savings from a deal worked out without the benefit
flows, the same to the last digit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from cba.engine._metrics import unchecked_ratio as ratio
from cba.partnership._arrays import same_every_draw

if TYPE_CHECKING:  # pragma: no cover
    from cba.partnership._evaluate import DealFlows

#: Per-partner results an uncertainty analysis reports for a deal, written ``net_after[dwp]``.
DEAL_METRIC_NAMES = ("net_after", "funding", "received", "paid", "peak_deficit_after")
#: Present-value results per partner, in the order of :func:`net_positions`.
POSITION_NAMES = ("costs_before", "funding", "funding_cash", "funding_in_kind", "savings", "savings_cashable",
                  "received", "paid", "net_before", "net_after", "roi_before", "roi_after",
                  "payback_before", "payback_after", "peak_deficit_before", "peak_deficit_after")


#: Pounds of present value within which a partner counts as breaking even: half a penny, so that a
#: partner a solver brings to zero (to the last digit of floating point, not exactly) breaks even.
BREAK_EVEN_TOLERANCE = 0.005


def break_even_year(puts: np.ndarray, gets: np.ndarray, tolerance: float = BREAK_EVEN_TOLERANCE) -> np.ndarray:
    """Whole years until a partner breaks even: what it has got back covers what it has put in.

    ``puts`` and ``gets`` are discounted yearly amounts, ``(..., H)``. The answer is
    ``t + 1`` for the first year ``t`` by whose end the cumulative amount got back is
    at least the cumulative amount put in less ``tolerance`` (some put in by then),
    provided the partner is not behind at the end of the horizon (its net position
    is at least ``-tolerance``); NaN otherwise, and NaN for a partner that puts
    nothing in (the outputs say why: nothing put in, never in deficit, or not within
    the horizon). With no tolerance and a net position above zero it is the method's
    payback rule (:func:`cba.engine._metrics.payback_period`).

    Examples
    --------
    >>> break_even_year(np.array([[40.0, 10.0, 0.0]]), np.array([[0.0, 30.0, 20.0]]))
    array([3.])
    >>> break_even_year(np.array([[40.0, 10.0, 0.0]]), np.array([[0.0, 30.0, 19.999]]))  # 0.1p short: even
    array([3.])
    >>> break_even_year(np.array([[40.0, 10.0, 0.0]]), np.array([[0.0, 30.0, 19.99]]))   # a penny short
    array([nan])
    """
    c = np.cumsum(puts, axis=-1)
    f = np.cumsum(gets, axis=-1)
    hit = (f >= c - tolerance) & (c > tolerance)
    found = hit.any(axis=-1) & (f[..., -1] >= c[..., -1] - tolerance)
    return np.where(found, np.argmax(hit, axis=-1) + 1.0, np.nan)


def _peak_deficit(gets: np.ndarray, puts: np.ndarray) -> np.ndarray:
    """Largest cumulative discounted shortfall of ``gets`` against ``puts`` (0 when never short)."""
    cum = np.cumsum(gets - puts, axis=-1)
    return np.maximum(-cum.min(axis=-1), 0.0)


def net_positions(f: DealFlows, risk: bool = False) -> dict[str, np.ndarray]:
    """Present values per partner, before and after the deal, ``(D, P)`` each.

    ``net_before = savings - costs_before``; ``net_after = savings - funding +
    received - paid``. What a partner "puts in" is what it funds plus what it
    pays; what it "gets back" is what it banks plus what it receives:
    ``roi_after`` is their ratio (none when it puts nothing in) and
    ``payback_after`` the whole years until the cumulative discounted amount it
    gets back covers what it has put in (:func:`break_even_year`, the method's payback
    rule within :data:`BREAK_EVEN_TOLERANCE`). The peak
    deficit is the largest cumulative discounted shortfall over the years: the
    double running a finance officer must fund. ``risk=True`` leaves out what a risk
    run of the deal neither reports (:data:`DEAL_METRIC_NAMES`) nor checks
    (:func:`cba.partnership._finite.check_deal`): the two payback years (the slowest
    measures), the two returns on investment, the peak deficit before the deal and
    ``savings_cashable``. What it keeps is computed exactly as without it.
    """
    df = f.discount_factors[:, None, :]
    disc = {k: getattr(f, k) * df for k in ("costs_before", "funding_cash", "funding_in_kind", "received", "paid")}
    pv = {k: v.sum(axis=-1) for k, v in disc.items()}
    if f.savings_discounted is None:
        raise ValueError("net_positions: the deal was worked out without the benefit flows; use "
                         "positions_without_savings")
    savings_d = f.savings_discounted
    pv["savings"] = savings_d.sum(axis=-1)
    if not risk:
        pv["savings_cashable"] = f.savings_cashable_discounted.sum(axis=-1)
    pv["funding"] = pv["funding_cash"] + pv["funding_in_kind"]
    pv["net_before"] = pv["savings"] - pv["costs_before"]
    pv["net_after"] = pv["savings"] - pv["funding"] + pv["received"] - pv["paid"]
    gets_before, puts_before = savings_d, disc["costs_before"]
    gets_after = savings_d + disc["received"]
    puts_after = disc["funding_cash"] + disc["funding_in_kind"] + disc["paid"]
    if not risk:
        pv["roi_before"] = ratio(pv["savings"], pv["costs_before"])
        pv["roi_after"] = ratio(gets_after.sum(axis=-1), puts_after.sum(axis=-1))
        pv["payback_before"] = break_even_year(puts_before, gets_before)
        pv["payback_after"] = break_even_year(puts_after, gets_after)
        pv["peak_deficit_before"] = _peak_deficit(gets_before, puts_before)
    pv["peak_deficit_after"] = _peak_deficit(gets_after, puts_after)
    return {k: pv[k] for k in POSITION_NAMES if k in pv}


def positions_without_savings(f: DealFlows, partners: Sequence[int]) -> dict[str, np.ndarray]:
    """:data:`DEAL_METRIC_NAMES` of partners that bank no savings, from a deal worked out from the
    engine's costs alone (:func:`~cba.engine._evaluate.evaluate_costs`), ``(D, len(partners))`` each.

    A risk run that reports only such partners (an investor, a provider, an outcomes fund)
    needs none of the benefit flows, which are most of a run's time. Each figure is the
    one :func:`net_positions` ``(risk=True)`` gives on the whole deal, to the last digit:
    the same products and sums by row, the partners picked out after them, and savings
    of zero (what the whole deal's sum of no savings comes to).
    """
    assert f.sums_from is not None
    idx = np.asarray(partners, dtype=int)
    if np.asarray(f.sums_from.saver.any(axis=0))[idx].any():
        raise ValueError("positions_without_savings: a partner asked for banks savings")
    df = f.discount_factors[:, None, :]

    def discounted(x: np.ndarray) -> np.ndarray:
        # worked out once when neither varies by draw: each row the numbers, in the layout, of the whole product
        if same_every_draw(x) and same_every_draw(df):
            return (x[:1] * df[:1])[:, idx]                 # (1, n, H)
        return (x * df)[:, idx]

    disc = {k: discounted(getattr(f, k)) for k in ("funding_cash", "funding_in_kind", "received", "paid")}
    pv = {k: v.sum(axis=-1) for k, v in disc.items()}
    funding = pv["funding_cash"] + pv["funding_in_kind"]
    gets = disc["received"] + 0.0       # no savings: what the whole deal adds to them, nothing
    puts = disc["funding_cash"] + disc["funding_in_kind"] + disc["paid"]
    out = {"net_after": 0.0 - funding + pv["received"] - pv["paid"], "funding": funding,
           "received": pv["received"], "paid": pv["paid"], "peak_deficit_after": _peak_deficit(gets, puts)}
    shape = (f.draws, len(idx))
    return {k: np.broadcast_to(out[k], shape) for k in DEAL_METRIC_NAMES}
