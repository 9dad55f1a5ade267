"""A deal creates no money and prints no infinity: its money checked after the arithmetic.

Every deal term is a finite number, but finite terms can still overflow once
multiplied and added up: a price of 1e308 times a hundred outcomes, two fixed
payments of 1e308 to one partner, pooled contributions of 1e308 summed, the same
under Monte Carlo draws far in a distribution's tail. As the engine does for a
model (:mod:`cba.engine._finite`), a deal is checked once, after
:func:`~cba.partnership._evaluate.evaluate_deal` has run, by :func:`check_deal`:

1. **gain-shares add up to 100% at most**: the gain-shares one partner pays on the
   same savings (the same value component in the same year, on the same basis, or
   cashable and whole savings together in proportion to the cashable part) may not
   pass on more than all of those savings;
2. **every amount is finite**: each agreement's flows, each partner's funding and
   the sums the tables show (present values, nets, deficits);
3. **money is conserved** (:func:`conservation`): what partners fund is what the
   cost lines cost, what is paid is received, and the partners' net positions add
   up to the same total before and after the deal, within one part in a billion of
   the deal's own money (its costs and savings) or half a penny, whichever is larger.
   A deal whose amounts are so large that their rounding exceeds that (a payment
   of 1e300 beside savings of a million) is refused like an overflow.

Only when a check fails is the agreement responsible looked for, so that the
:class:`~cba.core._errors.ModelError` names it (``partnership.payments[0].amounts``)
and, for an analysis of many draws, the draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import ModelError
from cba.core._numbers import _TOO_LARGE
from cba.partnership._arrays import same_every_draw

if TYPE_CHECKING:  # pragma: no cover
    from cba.partnership._compile import CompiledDeal
    from cba.partnership._evaluate import DealFlows

#: Relative tolerance of :func:`conservation`: a part of the deal's costs and savings.
TOLERANCE = 1e-9
#: Absolute tolerance of :func:`conservation`, in pounds: half a penny.
HALF_PENNY = 0.005
#: The part of the model a row's agreement is in, and the field that carries its amounts.
_GROUP = {"gain_share": ("gain_share", "share"), "outcome_payment": ("outcome_payments", "price"),
          "top_up": ("outcome_payments", "price"), "payment": ("payments", "amounts"),
          "investment": ("investments", "commitment"), "investor_repayment": ("investments", "commitment")}
#: Money positions (of :func:`~cba.partnership._positions.net_positions`) that must be finite.
_MONEY = ("costs_before", "funding", "funding_cash", "funding_in_kind", "savings", "savings_cashable",
          "received", "paid", "net_before", "net_after", "peak_deficit_before", "peak_deficit_after")


def _param(deal: CompiledDeal, overrides: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    return np.asarray(overrides[name]) if name in overrides else deal.params[name][None]


def _draw(d: int, draws: int) -> str:
    return f" (in draw {d} of {draws})" if draws > 1 else ""


def _path(deal: CompiledDeal, row: dict) -> tuple[str, str]:
    """The field of the agreement behind a flow row, and the agreement's name."""
    group, field = _GROUP[row["kind"]]
    index = deal.names[group].index(row["agreement"])
    if group == "outcome_payments":
        fee = deal.params["deal.outcome_payments.attachment_fee"][index]
        if index in deal.contracts:
            prices = deal.params["deal.outcome_payments.rung_price"][deal.contracts[index].rungs]
            field = "tariffs"
        else:
            prices = deal.params["deal.outcome_payments.price"][index]
        if np.max(fee, initial=0.0) > np.max(prices, initial=0.0):
            field = "attachment_fee"
    return f"partnership.{group}[{index}].{field}", row["agreement"]


# ------------------------------------------------------------------ 1. gain-shares
def shares_above_whole(deal: CompiledDeal, cashable: np.ndarray | None,
                       overrides: Mapping[str, np.ndarray] | None = None) -> list[tuple[str, str]]:
    """Problems where one partner's gain-shares pass on more than all of the same savings.

    ``cashable`` is the engine's cashable share of each value component, ``(D, K)`` or
    ``(D, K, H)`` (:attr:`cba.engine._evaluate.Flows.cashable`), or None to count
    cashable savings as whole.
    """
    G = len(deal.gain_from)
    if G < 2:
        return []
    share = _param(deal, overrides or {}, "deal.gain_share.share")                    # (D|1, G)
    used = deal.gain_weights.any(axis=0)
    if not used.any():
        return []
    w = deal.gain_weights[:, used]                                                    # (G, K')
    per = share[:, :, None, None] * w[None, :, :, None] * deal.gain_window[None, :, None, :]   # (D, G, K', H)
    cash = deal.gain_cashable[None, :, None, None]
    on_cash = np.where(cash, per, 0.0).sum(axis=1)                                    # (D, K', H)
    on_whole = np.where(cash, 0.0, per).sum(axis=1)
    part = np.ones(1) if cashable is None else np.asarray(cashable, dtype=float)
    if part.ndim == 2:
        part = part[..., None]
    if part.ndim == 3:
        part = part[:, used, :]
    together = on_whole + on_cash * np.clip(part, 0.0, 1.0)
    over = (on_cash > 1.0 + 1e-12) | (on_whole > 1.0 + 1e-12) | (together > 1.0 + 1e-12)
    if not over.any():
        return []
    d, k, t = (int(x[0]) for x in np.nonzero(over))
    column = np.nonzero(used)[0][k]
    who = [g for g in range(G) if deal.gain_weights[g, column] and deal.gain_window[g, t]
           and share[min(d, share.shape[0] - 1), g] > 0]
    total = float(sum(share[min(d, share.shape[0] - 1), g] for g in who))
    partner = deal.partners[int(deal.gain_from[who[0]])]
    names = ", ".join(f"gain_share[{g}] ({deal.names['gain_share'][g]!r}, "
                      f"{'cashable' if deal.gain_cashable[g] else 'whole'} savings)" for g in who)
    return [(f"partnership.gain_share[{who[-1]}].share",
             f"{partner} would pass on more than all of its savings: {names} share the same savings in year "
             f"{t} and add up to {total:.6g} of them{_draw(d, share.shape[0])}; gain-shares one partner pays on "
             "the same savings may add up to 100% (1) at most")]


# ------------------------------------------------------------------ 2. finite amounts
def _not_finite(flows: DealFlows, deal: CompiledDeal, positions: Mapping[str, np.ndarray]) -> list[tuple[str, str]]:
    D = flows.draws
    transfers = flows.transfers
    rows = flows.rows
    if deal.pool_amounts is not None and not np.isfinite(deal.pool_amounts.sum(axis=0)).all():
        return [("partnership.pooled_budget.contributions",
                 f"the contributions, added up, are {_TOO_LARGE}")]
    if transfers.size:
        # a NaN or infinite amount makes its sum NaN or infinite too: the sums alone tell
        bad = ~np.isfinite(transfers.sum(axis=-1))                                   # (D, R)
        bad |= ~np.isfinite((transfers * flows.discount_factors[:, None, :]).sum(axis=-1))
        if bad.any():
            d, r = (int(x[0]) for x in np.nonzero(bad))
            path, name = _path(deal, rows[r])
            return [(path, f"the agreement {name!r} pays {rows[r]['kind'].replace('_', ' ')} amounts that, "
                           f"summed over the years, are {_TOO_LARGE}{_draw(d, D)}")]
    for m, money in (flows.contracts or {}).items():   # what a contract earns, before its caps
        bad = ~np.isfinite(money.earned.sum(axis=-1))
        if bad.any():
            d = int(np.nonzero(bad)[0][0])
            return [(f"partnership.outcome_payments[{m}].tariffs",
                     f"what the outcomes of {deal.names['outcome_payments'][m]!r} earn at its prices is "
                     f"{_TOO_LARGE}{_draw(d, D)}")]
    for x in (flows.pool_contributions, flows.funding_cash, flows.funding_in_kind):
        finite = np.isfinite(x.sum(axis=-1))
        if not finite.all():
            d, p = (int(v[0]) for v in np.nonzero(~finite))
            where = "partnership.pooled_budget.contributions" if deal.pool_host >= 0 else "partnership.funding"
            return [(where, f"what {deal.partners[p]} contributes is {_TOO_LARGE}{_draw(d, D)}")]
    for key in _MONEY:
        if key not in positions:   # a risk run's positions leave out what it does not report
            continue
        x = np.asarray(positions[key])
        if not np.isfinite(x).all():
            d, p = (int(v[0]) for v in np.nonzero(~np.isfinite(x)))
            involved = [_path(deal, row)[0] for row in rows if p in (row["from"], row["to"])]
            if key.startswith("funding") and deal.pool_host >= 0:
                involved.insert(0, "partnership.pooled_budget.contributions")
            paths = list(dict.fromkeys(involved))
            where = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
            return [(where or "partnership", f"{key.replace('_', ' ')} of {deal.partners[p]}, a sum of these "
                                             f"agreements' money, is {_TOO_LARGE}{_draw(d, D)}")]
    return []


# ------------------------------------------------------------------ 3. conservation
def conservation(flows: DealFlows, positions: Mapping[str, np.ndarray], tolerance: float = TOLERANCE,
                 absolute: float = HALF_PENNY) -> list[dict]:
    """Where the deal created or lost money, one record per check and draw (empty when none).

    Checks that what partners fund equals what the cost lines cost (present values
    and real), that what is paid is received, and that the partners' net positions
    add up to the same total before and after the deal. The allowed difference is
    ``max(absolute, tolerance x (costs + savings))``: the deal's own money, not
    the amounts it moves, so that a transfer too large to add up to a penny beside
    them fails. A total that is not a finite number fails (it is never "close").

    Parameters
    ----------
    flows : DealFlows
    positions : mapping of str to numpy.ndarray
        :func:`~cba.partnership._positions.net_positions` of ``flows``, ``(D, P)`` each.
    tolerance : float
        Relative to the sum of the absolute present values of costs and savings.
    absolute : float
        Pounds.

    Returns
    -------
    list of dict
        ``check``, ``draw``, ``value``, ``expected``.
    """
    def total(x) -> np.ndarray:
        return np.asarray(x, dtype=float).reshape(np.shape(x)[0], -1).sum(axis=1)

    def size(x) -> np.ndarray:
        return np.abs(np.asarray(x, dtype=float)).reshape(np.shape(x)[0], -1).sum(axis=1)

    pos = positions
    scale = size(pos["costs_before"]) + size(pos["savings"])
    allowed = np.maximum(absolute, tolerance * scale)
    real_allowed = np.maximum(absolute, tolerance * (size(flows.costs_before) + size(flows.savings)))
    pairs = [("funding", total(pos["funding"]), total(pos["costs_before"]), allowed),
             ("funding, undiscounted", total(flows.funding), total(flows.costs_before), real_allowed),
             ("received", total(pos["received"]), total(pos["paid"]), allowed),
             ("net_after", total(pos["net_after"]), total(pos["net_before"]), allowed)]
    out = []
    for name, value, expected, limit in pairs:
        with np.errstate(invalid="ignore", over="ignore"):
            ok = np.isfinite(value) & np.isfinite(expected) & (np.abs(value - expected) <= limit)
        for d in np.nonzero(~ok)[0][:3]:
            out.append({"check": name, "draw": int(d), "value": float(value[d]), "expected": float(expected[d])})
    return out


def _largest(deal: CompiledDeal, flows: DealFlows, lost: dict) -> str:
    """The field most likely behind money that does not add up: the pool's contributions for
    funding, else the agreement that moves the most money in that draw."""
    if lost["check"].startswith("funding"):
        return "partnership.pooled_budget.contributions" if deal.pool_host >= 0 else "partnership.funding"
    if not flows.rows:
        return "partnership"
    moved = np.abs(flows.transfers[lost["draw"]]).sum(axis=-1)
    return _path(deal, flows.rows[int(np.argmax(moved))])[0]


# ------------------------------------------------------------------ all three
def check_deal(deal: CompiledDeal, flows: DealFlows, positions: Mapping[str, np.ndarray],
               cashable: np.ndarray | None = None, overrides: Mapping[str, np.ndarray] | None = None) -> None:
    """Refuse a deal that passes on more than a partner's savings, overflows, or creates or loses money.

    Parameters
    ----------
    deal : CompiledDeal
    flows : DealFlows
        From :func:`~cba.partnership._evaluate.evaluate_deal`.
    positions : mapping of str to numpy.ndarray
        :func:`~cba.partnership._positions.net_positions` of ``flows``.
    cashable : numpy.ndarray, optional
        The engine's cashable share of each value component (see :func:`shares_above_whole`).
    overrides : mapping of str to numpy.ndarray, optional
        Draws of deal terms (an uncertainty analysis).

    Raises
    ------
    ModelError
        Naming the agreement and its field (and the draw, for many draws).
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        problems = shares_above_whole(deal, cashable, overrides) or _not_finite(flows, deal, positions)
        if problems:
            raise ModelError(problems)
        lost = conservation(flows, positions)
    if lost:
        first = lost[0]
        raise ModelError([(_largest(deal, flows, first), f"the deal does not add up: {first['check']} sums to "
                                          f"{first['value']:.6g} but should be {first['expected']:.6g}"
                                          f"{_draw(first['draw'], flows.draws)}; its amounts are too large to "
                                          "count to a penny beside its costs and savings")])


#: How close to its rounding a deal worked out without its savings may come before :func:`sound_without_savings`
#: sends it through :func:`check_deal` instead: a part of the money it moves.
ROUNDING_MARGIN = 1e-12


def sound_without_savings(deal: CompiledDeal, flows: DealFlows, positions: Mapping[str, np.ndarray]) -> bool:
    """Whether a deal worked out from the engine's costs alone passes :func:`check_deal` beyond doubt.

    A risk run that reports only partners that bank no savings (an investor, a provider)
    works the deal out without the benefit flows (:func:`~cba.engine._evaluate.evaluate_costs`).
    It is sound when every amount is finite, funding adds up to the costs, and the money
    moved is small enough beside the costs
    (:data:`ROUNDING_MARGIN` of it within half the allowance of :func:`conservation`) that
    no partner's savings, whatever their size, could be lost in its rounding: then
    :func:`check_deal` on the whole deal passes too. ``False`` is not a failure: the draws
    go through the whole deal, whose checks decide.
    """
    def rows(x: np.ndarray) -> np.ndarray:      # one row stands for all when no draw differs
        x = np.asarray(x)
        return x[:1] if same_every_draw(x) else x

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        df = rows(flows.discount_factors)[:, None, :]
        costs = rows(flows.costs_before)
        funding = rows(flows.funding_cash) + rows(flows.funding_in_kind)
        moved = [np.abs(rows(flows.transfers)).sum(axis=(1, 2)), np.abs(funding).sum(axis=(1, 2)),
                 np.abs(costs).sum(axis=(1, 2)), np.abs(rows(flows.pool_contributions)).sum(axis=(1, 2))]
        moved += [np.abs(np.asarray(x)).sum(axis=1) for x in positions.values()]
        size = sum(np.broadcast_to(m, (flows.draws,)) for m in moved) * max(1.0, float(np.max(df, initial=1.0)))
        # what a contract's outcomes earn before its caps is checked as the whole deal checks it: finite
        earned = all(np.isfinite(m.earned.sum(axis=-1)).all() for m in (flows.contracts or {}).values())
        allowed = np.maximum(HALF_PENNY, TOLERANCE * np.abs(costs * df).sum(axis=(1, 2)))
        # what is paid is received: the same rows, summed by payer and by payee, which differ by their
        # rounding alone, held below the allowance by the first condition
        ok = (earned & np.isfinite(size) & (ROUNDING_MARGIN * size <= 0.5 * allowed)
              & (np.abs(((funding - costs) * df).sum(axis=(1, 2))) <= allowed)
              & (np.abs((funding - costs).sum(axis=(1, 2))) <= allowed))
    return bool(np.all(ok))


__all__ = ["HALF_PENNY", "ROUNDING_MARGIN", "TOLERANCE", "check_deal", "conservation", "shares_above_whole",
           "sound_without_savings"]
