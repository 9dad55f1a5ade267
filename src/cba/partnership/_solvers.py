"""Answers to a partnership board's questions about a deal.

Each solver starts from an appraisal and a deal (the model's own by default) and
returns a :class:`Solution`: whether the question has an answer, the answer, the
deal that realises it, and a sentence saying so, or saying by how much it falls
short. Where the partners' positions are linear in the term solved for, the
answer is in closed form; where caps bind, it is found by root
finding (Brent's method) on the deal evaluated over many candidate values at once
(the engine's draws axis).

=====================  ==========================================================
:func:`fair_shares`    contributions in proportion to savings: every partner's
                       net is the same fraction of what it banks
:func:`gain_share`     the smallest share of one or several partners' savings
                       that brings a partner to break even (or to a target)
:func:`break_even_price`  the price per outcome at which a payee recovers its
                       costs, and each payer's value ceiling
:func:`any_split`      whether any split of the costs leaves every partner
                       ahead, and by how much the partnership falls short if not
=====================  ==========================================================

All money is present values in pounds at the price base.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._accessors import accessor
from cba.core._errors import CBAError
from cba.model._deal_terms import Funding, GainShare, Partnership
from cba.model._outcome_terms import OutcomePayment
from cba.partnership._compile import compile_deal
from cba.partnership._evaluate import DealFlows, evaluate_deal, net_positions

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal
    from cba.partnership._results import PartnershipResult

#: Relative tolerance of a root (and of the linearity check).
TOLERANCE = 1e-12


@dataclass
class Solution:
    """The answer to one of a board's questions.

    Attributes
    ----------
    question : str
        ``fair-shares``, ``gain-share``, ``price`` or ``any-split``.
    feasible : bool
        Whether the question has an answer.
    value : float or None
        The answer: the net fraction of savings (fair shares), the gain-share
        rate, the price per outcome (pounds), or the partnership's margin
        (pounds; negative when it falls short).
    message : str
        One sentence a board can read.
    terms : Partnership or None
        The deal that realises the answer.
    details : dict
        Further figures (shares by partner, the payer's value ceiling, ...).
    """

    question: str
    feasible: bool
    value: float | None
    message: str
    terms: Partnership | None = None
    details: dict[str, Any] = field(default_factory=dict)
    method: str = "closed form"

    def result(self, appraisal: Appraisal) -> PartnershipResult:
        """The deal appraised (today's deal when the question has no answer)."""
        return appraisal.partnership(self.terms)

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "feasible": self.feasible, "value": self.value,
                "message": self.message, "method": self.method, "details": self.details,
                "terms": None if self.terms is None else self.terms.to_dict()}

    def __str__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("result.html")(self))


def _terms(appraisal: Appraisal, terms: Partnership | dict | None) -> Partnership:
    if isinstance(terms, dict):
        return Partnership.from_dict(terms, path_prefix=("partnership",))
    if terms is not None:
        return terms
    return appraisal.intervention.partnership or Partnership()


def _flows(appraisal: Appraisal):
    from cba.engine._evaluate import evaluate

    return getattr(appraisal, "flows", None) or evaluate(appraisal.compiled)


def _positions(appraisal: Appraisal, terms: Partnership, overrides: dict | None = None):
    """Present values per partner for the deal, one row per candidate value in ``overrides``."""
    compiled = appraisal.compiled
    deal = compile_deal(compiled, terms)
    pos = net_positions(evaluate_deal(compiled, deal, _flows(appraisal), deal_overrides=overrides))
    return deal, pos


def _index(deal, partner: str, what: str) -> int:
    if partner not in deal.partners:
        raise CBAError(f"{what}: {partner!r} is not a partner of this deal (partners: {', '.join(deal.partners)})")
    return deal.partners.index(partner)


def _money(x: float) -> str:
    return f"-£{-x:,.0f}" if round(x) < 0 else f"£{x:,.0f}"


def _root(f: Callable[[np.ndarray], np.ndarray], low: float, high: float) -> tuple[float, str]:
    """Root of an increasing ``f`` on ``[low, high]`` with ``f(low) < 0 <= f(high)``.

    Closed form when ``f`` is linear there (checked at the midpoint and quarter
    points); Brent's method otherwise.
    """
    xs = np.array([low, high, 0.5 * (low + high), 0.25 * low + 0.75 * high])
    ys = f(xs)
    line = ys[0] + (ys[1] - ys[0]) * (xs - low) / (high - low)
    scale = max(1.0, float(np.max(np.abs(ys))))
    if np.all(np.abs(ys - line) <= 1e-9 * scale):
        x = low - ys[0] * (high - low) / (ys[1] - ys[0])
        return float(x), "closed form"
    from scipy.optimize import brentq

    x = brentq(lambda v: float(f(np.array([v]))[0]), low, high, xtol=TOLERANCE * max(1.0, abs(high)),
               rtol=4 * np.finfo(float).eps, maxiter=200)
    return float(x), "root finding (Brent's method)"


# ---------------------------------------------------------------- fair shares
def fair_shares(appraisal: Appraisal, terms: Partnership | dict | None = None, basis: str = "fiscal") -> Solution:
    """Contributions in proportion to what each partner gets back.

    Every cost line is funded by the partners in proportion to ``g[p]``, the
    present value each banks (its savings on ``basis``: ``fiscal`` or
    ``cashable``) plus what it receives less what it pays under the deal's other
    agreements. Then each partner's net after the deal is ``g[p] x (1 - C / G)``,
    the same fraction of what it gets back (``C`` the present value of all costs,
    ``G`` the sum of ``g`` over partners with ``g > 0``; partners with none fund
    nothing).

    Examples
    --------
    >>> import cba
    >>> s = fair_shares(cba.appraise("examples/worked_example.yaml"))
    >>> round(s.value, 6), s.details["shares"]
    (0.320289, {'local_authority': 1.0})
    """
    if basis not in ("fiscal", "cashable"):
        raise CBAError(f"basis: fair shares are in proportion to 'fiscal' or 'cashable' savings, got {basis!r}")
    base = _terms(appraisal, terms)
    others = base.model_copy(update={"funding": [], "pooled_budget": None})
    deal, pos = _positions(appraisal, others)
    savings = pos["savings_cashable" if basis == "cashable" else "savings"][0]
    gets = savings + pos["received"][0] - pos["paid"][0]
    cost = float(pos["costs_before"][0].sum())
    keep = gets > 0
    total = float(gets[keep].sum())
    if total <= 0:
        return Solution("fair-shares", False, None,
                        f"No fair shares: no partner gets anything back on the {basis} basis, so there is nothing "
                        "to share costs in proportion to.", None, {"cost": cost}, "closed form")
    shares = {p: float(g / total) for p, g, k in zip(deal.partners, gets, keep) if k}
    fraction = 1.0 - cost / total
    lines = [c.name for c in appraisal.intervention.costs]
    funding = [Funding(cost=name, shares=dict(shares)) for name in lines]
    solved = others.model_copy(update={"funding": funding})
    verdict = ("every partner ends ahead by" if fraction > 0 else "every partner ends behind by" if fraction < 0
               else "every partner breaks even:")
    msg = (f"Fair shares: fund every cost line in proportion to what each partner gets back "
           f"({', '.join(f'{p} {s:.2%}' for p, s in shares.items())}); {verdict} {abs(fraction):.2%} of what it "
           f"gets back.")
    return Solution("fair-shares", True, fraction, msg, solved,
                    {"shares": shares, "cost": cost, "gets_back": total, "basis": basis}, "closed form")


# ---------------------------------------------------------------- gain-share
def gain_share(appraisal: Appraisal, sources: str | Sequence[str], to: str, target: float = 0.0,
               basis: str | None = None, terms: Partnership | dict | None = None) -> Solution:
    """The smallest gain-share rate from ``sources`` that brings ``to`` to ``target``.

    Each source partner passes the same share ``r`` of its savings to ``to``
    every year. Where the deal already has a gain-share from a source to ``to``,
    ``r`` is that agreement's share (its basis, years, outcomes and cap kept);
    otherwise a new agreement on ``basis`` (default ``fiscal``) is added beside
    the deal's others. The answer is the smallest ``r`` in ``[0, 1]`` at which
    ``to``'s net after the deal reaches ``target`` (pounds, present value; 0 is
    break-even).

    Examples
    --------
    >>> import cba
    >>> a = cba.appraise("examples/worked_example.yaml")
    >>> s = gain_share(a, "local_authority", "nhs")
    >>> round(s.value, 6), s.method
    (0.132239, 'closed form')
    """
    sources = [sources] if isinstance(sources, str) else list(sources)
    if not sources:
        raise CBAError("gain-share: name at least one partner to pass on savings (--from)")
    if to in sources:
        raise CBAError(f"gain-share: {to!r} cannot pass a share of its savings to itself")
    if basis is not None and basis not in ("cashable", "fiscal", "fiscal_excluding_transfers"):
        raise CBAError(f"basis: use cashable, fiscal or fiscal_excluding_transfers, got {basis!r}")
    base = _terms(appraisal, terms)
    known = appraisal.intervention.agency_names
    for p in [*sources, to]:
        if p not in known:
            raise CBAError(f"gain-share: unknown partner {p!r}; use one of {', '.join(sorted(known))}")
    existing = [g for g, t in enumerate(base.gain_share) if t.from_ in sources and t.to == to]
    covered = {base.gain_share[g].from_ for g in existing}
    added = [GainShare(**{"from": s, "to": to, "share": 0.0, "basis": basis or "fiscal",
                          "name": f"Gain-share {s} to {to} (solved)"}) for s in sources if s not in covered]
    trial = base.model_copy(update={"gain_share": [*base.gain_share, *added]})
    deal = compile_deal(appraisal.compiled, trial)
    j = _index(deal, to, "--to")
    varied = existing + list(range(len(base.gain_share), len(trial.gain_share)))
    share0 = deal.params["deal.gain_share.share"]

    def net(rates: np.ndarray) -> np.ndarray:
        s = np.repeat(share0[None], len(rates), axis=0)
        s[:, varied] = rates[:, None]
        pos = net_positions(evaluate_deal(appraisal.compiled, deal, _flows(appraisal),
                                          deal_overrides={"deal.gain_share.share": s}))
        return pos["net_after"][:, j] - target

    def solved_terms(rate: float) -> Partnership:
        shares = [g.model_copy(update={"share": rate}) if i in varied else g
                  for i, g in enumerate(trial.gain_share)]
        return trial.model_copy(update={"gain_share": shares})

    ends = net(np.array([0.0, 1.0]))
    who = ", ".join(sources)
    what = "the share of " + ", ".join(repr(deal.names["gain_share"][g]) for g in existing) if existing else \
        f"a share of {'their' if len(sources) > 1 else 'its'} {(basis or 'fiscal').replace('_', ' ')} savings"
    details = {"from": sources, "to": to, "agreements": [deal.names["gain_share"][g] for g in varied]}
    if ends[0] >= 0:
        return Solution("gain-share", True, 0.0, f"{to} reaches the target with no gain-share from {who} "
                        f"(net after the deal {_money(ends[0] + target)}).", solved_terms(0.0),
                        {**details, "rate": 0.0}, "closed form")
    if ends[1] < 0:
        return Solution("gain-share", False, None,
                        f"No gain-share from {who} is enough: even at 100% ({what}) {to} stays "
                        f"{_money(-ends[1])} short of the target.", None,
                        {**details, "shortfall": float(-ends[1]), "net_at_full_share": float(ends[1] + target)},
                        "closed form")
    rate, method = _root(net, 0.0, 1.0)
    msg = (f"{who} must pass on at least {rate:.2%} ({what}) for {to} to "
           + ("break even." if target == 0 else f"reach {_money(target)}."))
    return Solution("gain-share", True, rate, msg, solved_terms(rate), {**details, "rate": rate}, method)


# ---------------------------------------------------------------- break-even price
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
    base = _terms(appraisal, terms)
    names = [o.name for o in appraisal.intervention.outcomes]
    if outcome not in names:
        raise CBAError(f"--outcome: no outcome is called {outcome!r} (outcomes: {', '.join(map(repr, names))})")
    cards = [m for m, o in enumerate(base.outcome_payments)
             if o.tariffs is not None and outcome in o.outcomes and o.payee == payee]
    if cards:
        raise CBAError(f"partnership.outcome_payments[{cards[0]}] pays {payee!r} for {outcome!r} under a rate card: "
                       "the break-even price solves one price for one outcome; vary the card's tariffs in a "
                       "scenario or switching value instead")
    matches = [m for m, o in enumerate(base.outcome_payments)
               if o.outcome == outcome and o.payee == payee and (payer is None or o.payer == payer)]
    if len(matches) > 1:
        raise CBAError(f"several agreements pay {payee!r} for {outcome!r}: name the payer (--payer)")
    if matches:
        m = matches[0]
        trial = base
    else:
        if payer is None:
            raise CBAError(f"no agreement pays {payee!r} for {outcome!r}: name the payer (--payer) to price a new one")
        m = len(base.outcome_payments)
        new = OutcomePayment(payer=payer, payee=payee, outcome=outcome, basis=basis or "gross",
                             name=f"Outcome payments for {outcome} (solved)")
        trial = base.model_copy(update={"outcome_payments": [*base.outcome_payments, new]})
    deal = compile_deal(appraisal.compiled, trial)
    j = _index(deal, payee, "--payee")
    agreement = trial.outcome_payments[m]
    flows = _flows(appraisal)

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
    details: dict[str, Any] = {"agreement": agreement.name or f"Outcome payments for {outcome}",
                               "payer": agreement.payer, "payee": payee, "basis": agreement.basis,
                               "value_ceiling": _value_ceiling(appraisal, deal, m, payer_per_pound)}
    if at0 >= 0:
        return Solution("price", True, 0.0, f"{payee} reaches the target with no payment per outcome "
                        f"(net {_money(at0 + target)}).", trial, details, "closed form")

    def no_price(why: str, short: float, reason: str, method: str = "closed form") -> Solution:
        return Solution("price", False, None, f"No price per outcome is enough: {why}, and {payee} stays "
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
                                f"{'limit' if len(binding) > 1 else 'limits'} what {payee} can be paid under it to "
                                f"{_money(held_to)} in present value, whatever the price", float(-y[i]),
                                "cap", "search")
        if hit.size:
            break
        start, n = start + n, _BATCH
    price, method = _root(lambda p: net(priced(p)), 0.0, float(prices[end]))
    update = agreement.model_copy(update={"price": price})
    solved = trial.model_copy(update={"outcome_payments": [*trial.outcome_payments[:m], update,
                                                           *trial.outcome_payments[m + 1:]]})
    msg = (f"{payee} breaks even at {_money(price) if price >= 1 else f'£{price:,.2f}'} per outcome "
           f"({outcome!r}, counted {agreement.basis})")
    if details["value_ceiling"] is not None:
        msg += f"; {agreement.payer}'s value ceiling is {_money(details['value_ceiling'])} per outcome"
    return Solution("price", True, price, msg + ".", solved, {**details, "price": price}, method)


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


# ---------------------------------------------------------------- any split
def any_split(appraisal: Appraisal, terms: Partnership | dict | None = None) -> Solution:
    """Whether some split of the costs leaves every partner at least even.

    A deal moves money between partners, so the partners' nets always sum to the
    partnership's: ``sum(savings) - sum(costs)`` (present values). Some split
    leaves every partner at least even if, and only if, that sum is not negative (the
    fair-shares split then does); otherwise the partnership falls short by its
    deficit, whatever the split.

    Examples
    --------
    >>> import cba
    >>> s = any_split(cba.appraise("examples/worked_example.yaml"))
    >>> s.feasible, round(s.value, 2)
    (True, 23401.37)
    """
    base = _terms(appraisal, terms)
    _, pos = _positions(appraisal, base)
    margin = float(pos["net_before"][0].sum())
    if margin >= 0:
        fair = fair_shares(appraisal, base)
        return Solution("any-split", True, margin,
                        f"Yes: the partnership is {_money(margin)} ahead in present value, so a split exists that "
                        "leaves every partner at least even (the fair-shares split is one).",
                        fair.terms, {"margin": margin, "shares": fair.details.get("shares")}, "closed form")
    return Solution("any-split", False, margin,
                    f"No: whatever the split, the partnership as a whole is {_money(-margin)} short in present "
                    "value, so at least one partner loses money.", None, {"shortfall": -margin}, "closed form")


#: Solvers by the name the command line uses.
SOLVERS = {"fair-shares": fair_shares, "gain-share": gain_share, "price": break_even_price, "any-split": any_split}
