"""The break-even price per outcome, and each payer's value ceiling.

See :func:`break_even_price`; :mod:`cba.partnership._solvers` lists every solver.
All money is present values in pounds at the price base.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._errors import CBAError
from cba.model._deal_terms import Partnership
from cba.model._outcome_terms import OutcomePayment
from cba.partnership._compile import compile_deal
from cba.partnership._evaluate import DealFlows, evaluate_deal
from cba.partnership._positions import net_positions
from cba.partnership._solution import (
    Solution,
    _flows,
    _index,
    _money,
    _name,
    _partner_arg,
    _root,
    _target,
    _terms,
    answers,
)

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal

_PRICE, _FEE, _THRESHOLD = ("deal.outcome_payments.price", "deal.outcome_payments.attachment_fee",
                            "deal.outcome_payments.threshold")
_CAPS = ("deal.outcome_payments.cap_per_year", "deal.outcome_payments.cap")
#: Candidate prices tried at once while the bracket grows, each twice the last.
_BATCH = 16


def _priced(appraisal: Appraisal, deal, flows, m: int, prices, **without) -> DealFlows:
    """The deal with agreement ``m`` at each of ``prices`` (one draw each).

    ``fee``, ``caps`` or ``threshold`` in ``without``, a boolean per price, leave that
    term of agreement ``m`` out for the price: no attachment fee, no caps, no threshold.
    """
    prices = np.asarray(prices, dtype=float)
    over = {n: np.repeat(deal.params[n][None], len(prices), axis=0) for n in (_PRICE, _FEE, _THRESHOLD, *_CAPS)}
    over[_PRICE][:, m, :] = prices[:, None]
    for what, rows in without.items():
        rows = np.asarray(rows, dtype=bool)
        if what == "fee":
            over[_FEE][rows, m, :] = 0.0
        elif what == "caps":
            for name in _CAPS:
                over[name][rows, m] = np.inf
        else:
            over[_THRESHOLD][rows, m] = np.nan
    return evaluate_deal(appraisal.compiled, deal, flows, deal_overrides=over)


def _agreement_rows(f: DealFlows, deal, m: int, payer: int | None = None) -> list[int]:
    """Flow rows of outcome-payment agreement ``m`` (its payments and top-ups), of ``payer`` only if given."""
    name = deal.names["outcome_payments"][m]
    return [i for i, r in enumerate(f.rows) if r["agreement"] == name and r["kind"] in ("outcome_payment", "top_up")
            and (payer is None or r["from"] == payer)]


@answers
def break_even_price(appraisal: Appraisal, outcome: str, payee: str, payer: str | None = None,
                     target: float = 0.0, basis: str | None = None,
                     terms: Partnership | dict | None = None) -> Solution:
    """The price per outcome at which ``payee`` reaches ``target`` (break-even by default).

    Uses the deal's outcome-payment agreement for ``outcome`` and ``payee``
    (``payer`` picks one when there are several); with none, a new agreement from
    ``payer`` (required then) counting outcomes on ``basis`` (default ``gross``)
    is added. Attachment fees, caps, thresholds and top-ups of the agreement
    apply. The payer's value ceiling is also given: the price at which the
    payer's results payments under the agreement, before caps, equal the savings
    it banks from the outcome (present values).

    Below its caps the agreement pays ``p`` times the results payments of a price of
    £1, so the payee's net is linear in the price ``p`` and the answer is in closed
    form, whatever its size. The search brackets it between 0 and the first power of
    two at which the payee reaches the target, trying powers of two from the linear
    answer up (caps can only raise the price), and stops when every year that pays
    for results is held at a cap: then no price is enough. Brent's method finds the
    price in the bracket where a cap binds. When no price is enough the message says
    why: the caps (and what they limit the payments to), the success threshold, or no
    outcome paid for within the horizon.
    """
    if not isinstance(outcome, str):
        raise CBAError(f"--outcome: name the outcome paid for, got {outcome!r}")
    payee = _partner_arg(payee, "--payee")
    payer = None if payer is None else _partner_arg(payer, "--payer")
    target = _target(target)
    if basis is not None and basis not in ("gross", "net"):
        raise CBAError(f"--basis: a price counts outcomes gross or net, got {basis!r}")
    base = _terms(appraisal, terms)
    names = [o.name for o in appraisal.intervention.outcomes]
    if outcome not in names:
        raise CBAError(f"--outcome: no outcome is called {outcome!r} (outcomes: {', '.join(map(repr, names))})")
    cards = [m for m, o in enumerate(base.outcome_payments)
             if o.tariffs is not None and outcome in o.outcomes and o.payee == payee]
    if cards:
        raise CBAError(f"partnership.outcome_payments[{cards[0]}] pays {_name(appraisal, payee)} for {outcome!r} "
                       "under a rate card: "
                       "the break-even price solves one price for one outcome; vary the card's tariffs in a "
                       "scenario or switching value instead")
    matches = [m for m, o in enumerate(base.outcome_payments)
               if o.outcome == outcome and o.payee == payee and (payer is None or o.payer == payer)]
    if len(matches) > 1:
        raise CBAError(f"several agreements pay {_name(appraisal, payee)} for {outcome!r}: name the payer (--payer)")
    if matches:
        m = matches[0]
        trial = base
    else:
        if payer is None:
            raise CBAError(f"no agreement pays {_name(appraisal, payee)} for {outcome!r}: name the payer (--payer) "
                           "to price a new one")
        m = len(base.outcome_payments)
        new = OutcomePayment(payer=payer, payee=payee, outcome=outcome, basis=basis or "gross",
                             name=f"Outcome payments for {outcome} (solved)")
        trial = base.model_copy(update={"outcome_payments": [*base.outcome_payments, new]})
    deal = compile_deal(appraisal.compiled, trial)
    j = _index(deal, payee, "--payee", appraisal.intervention.agency_names)
    agreement = trial.outcome_payments[m]
    flows = _flows(appraisal)
    whom = _name(appraisal, payee)
    path = f"partnership.outcome_payments[{m}].price"

    def at_price(price: float) -> tuple[Partnership, dict[str, str]]:
        """The deal with agreement ``m`` at ``price``, and the term held there."""
        compiled = appraisal.compiled
        factor = (float(compiled.deflator.factor(agreement.price_year, compiled.intervention.price_base))
                  if agreement.price_year and compiled.deflator else 1.0)   # the terms hold prices at their year
        update = agreement.model_copy(update={"price": price / factor})
        words = _money(price) if price >= 1 or price == 0 else f"£{price:,.2f}"
        return (trial.model_copy(update={"outcome_payments": [*trial.outcome_payments[:m], update,
                                                              *trial.outcome_payments[m + 1:]]}),
                {path: f"the price per outcome of {outcome!r} paid to {whom}, {words}"})

    def priced(prices, **without) -> DealFlows:
        return _priced(appraisal, deal, flows, m, prices, **without)

    def net(f: DealFlows) -> np.ndarray:
        return net_positions(f)["net_after"][:, j] - target

    # the deal at a price of 0, and at £1 without fee or caps: the results payments per pound of price
    f = priced([0.0, 1.0], fee=[False, True], caps=[False, True])
    at0 = float(net(f)[0])
    rows = _agreement_rows(f, deal, m)
    df = f.discount_factors[1]
    per_pound = f.transfers[1, rows].sum(axis=0)                     # (H,) real, by year
    slope = float((per_pound * df).sum())
    payer_per_pound = float((f.transfers[1, _agreement_rows(f, deal, m, int(deal.pay_payer[m]))] * df).sum())
    details: dict[str, Any] = {"agreement": agreement.name or f"Outcome payments for {outcome}", "outcome": outcome,
                               "target": target,
                               "payer": agreement.payer, "payee": payee, "basis": agreement.basis,
                               "value_ceiling": _value_ceiling(appraisal, deal, m, payer_per_pound)}
    if at0 >= 0:
        return Solution("price", True, 0.0, f"{whom} reaches the target with no payment per outcome "
                        f"(net {_money(at0 + target)}).", *at_price(0.0)[:1], details, "closed form",
                        at_price(0.0)[1])

    def no_price(why: str, short: float, reason: str, method: str = "closed form") -> Solution:
        return Solution("price", False, None, f"No price per outcome is enough: {why}, and {whom} stays "
                        f"{_money(short)} short.", None, {**details, "shortfall": short, "reason": reason}, method)

    if slope <= 0:
        # no results payment at any price: the success threshold, or no outcome paid for in the horizon
        if agreement.threshold is not None:
            g = priced([1.0], fee=[True], caps=[True], threshold=[True])
            if float((g.transfers[0, rows].sum(axis=0) * df).sum()) > 0:
                o = int(deal.pay_outcome[m])
                params = appraisal.compiled.params
                rate = float(params["success"][o]) * (1.0 - float(params["deadweight"][o])
                                                      if agreement.basis == "net" else 1.0)
                return no_price(f"the outcome's success rate counted {agreement.basis} ({rate:.2%}) is below the "
                                f"agreement's success threshold ({agreement.threshold:.2%}), so no results payment "
                                "is made at any price", -at0, "threshold")
        return no_price(f"the agreement pays for no outcome achieved within the appraisal's "
                        f"{appraisal.compiled.horizon} years", -at0, "no outcomes")
    # linear below the caps, the payee's net reaches the target at -at0 / slope (caps can only raise it): the
    # bracket's top is the first power of two from there at which it does, unless every year paying results is
    # capped first (each power below that price leaves the payee short)
    caps = [float(deal.params[name][m]) for name in _CAPS]
    capped = any(np.isfinite(caps))
    paying = per_pound > 0
    start, n = max(0, math.frexp(-at0 / slope)[1] - 1), 2
    while True:
        powers = np.arange(start, start + n)
        prices = np.ldexp(1.0, powers[powers < 1024])                # 2^1024 is beyond a double
        k = len(prices)
        if not k:
            return no_price("the price it needs is beyond the largest number the arithmetic holds (about "
                            "1.8e308 pounds)", -at0, "no finite price", "search")
        f = priced(np.concatenate([prices, prices]), caps=np.arange(2 * k) >= k) if capped else priced(prices)
        y = net(f)[:k]
        pay = f.transfers[:, rows].sum(axis=1)                       # (D, H) real
        hit = np.nonzero(y >= 0)[0]
        end = int(hit[0]) if hit.size else k
        if capped:
            paid, free = pay[:k], pay[k:]
            held = (free - paid) > 1e-9 * free.sum(axis=-1, keepdims=True)
            full = np.nonzero(held[:end][:, paying].all(axis=1))[0]
            if full.size:
                i = int(full[0])
                binding = []
                if np.isfinite(caps[0]) and np.any(free[i] > caps[0]):
                    binding.append(f"cap of {_money(caps[0])} a year")
                if np.isfinite(caps[1]) and paid[i].sum() >= caps[1] * (1 - 1e-9):
                    binding.append(f"cap of {_money(caps[1])} over the contract")
                held_to = float((paid[i] * df).sum())
                return no_price(f"the agreement's {' and its '.join(binding) or 'caps'} "
                                f"{'limit' if len(binding) > 1 else 'limits'} what {whom} can be paid under it to "
                                f"{_money(held_to)} in present value, whatever the price", float(-y[i]),
                                "cap", "search")
        if hit.size:
            break
        start, n = start + n, _BATCH
    price, method = _root(lambda p: net(priced(p)), 0.0, float(prices[end]))
    reaches = "breaks even" if target == 0 else f"reaches {_money(target)}"
    msg = (f"{whom} {reaches} at {_money(price) if price >= 1 else f'£{price:,.2f}'} per outcome "
           f"({outcome!r}, counted {agreement.basis})")
    if details["value_ceiling"] is not None and agreement.payer:
        msg += (f"; {_name(appraisal, agreement.payer)}'s value ceiling is {_money(details['value_ceiling'])} "
                "per outcome")
    solved, held = at_price(price)
    return Solution("price", True, price, msg + ".", solved, {**details, "price": price}, method, held)


def _value_ceiling(appraisal: Appraisal, deal, m: int, per_pound: float) -> float | None:
    """Price at which the payer's payments under agreement ``m`` equal its savings from the outcome.

    ``per_pound`` is the present value of the payer's results payments under the
    agreement per pound of price, before caps.
    """
    compiled = appraisal.compiled
    payer = int(deal.pay_payer[m])
    outcome = int(deal.pay_outcome[m])
    flows = _flows(appraisal)
    ks: np.ndarray | list[int] = []
    if payer < len(compiled.agencies):
        ks = np.nonzero((compiled.component_outcome == outcome) & (compiled.component_type == 0)
                        & (compiled.component_agency == payer))[0]
    if len(ks) == 0:
        return None
    df = flows.discount_factors[0]
    comp_df = getattr(flows, "component_discount_factors", None)
    weights = df if comp_df is None else np.broadcast_to(comp_df, flows.benefits.shape)[0, ks]
    savings = float((flows.benefits[0, ks] * weights).sum())
    if per_pound <= 0 or savings <= 0:
        return None
    return savings / per_pound


