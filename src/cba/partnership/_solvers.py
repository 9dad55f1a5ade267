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

Every sentence names partners by their display names. An answer records the deal terms
it sets (:attr:`Solution.solved`) so that a risk analysis of the solved deal holds them at
the answer (``cba partnership --solve ... --spec FILE``).

All money is present values in pounds at the price base. :class:`Solution` and the
helpers every solver shares are in :mod:`cba.partnership._solution`; the break-even
price in :mod:`cba.partnership._price_solver`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import CBAError
from cba.model._deal_terms import Funding, GainShare, Partnership
from cba.partnership._compile import compile_deal
from cba.partnership._evaluate import evaluate_deal
from cba.partnership._positions import net_positions
from cba.partnership._price_solver import break_even_price
from cba.partnership._solution import (
    TOLERANCE,
    Solution,
    _flows,
    _index,
    _money,
    _name,
    _names,
    _partner_arg,
    _positions,
    _root,
    _target,
    _terms,
    answers,
)

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal

__all__ = ["SOLVERS", "TOLERANCE", "Solution", "any_split", "break_even_price", "fair_shares", "gain_share"]


# ---------------------------------------------------------------- fair shares
@answers
def fair_shares(appraisal: Appraisal, terms: Partnership | dict | None = None, basis: str = "fiscal") -> Solution:
    """Contributions in proportion to what each partner gets back.

    Every cost line is funded by the partners in proportion to ``g[p]``, the
    present value each banks (its savings on ``basis``: ``fiscal`` or
    ``cashable``) plus what it receives less what it pays under the deal's other
    agreements. Then each partner's net after the deal is ``g[p] x (1 - C / G)``,
    the same fraction of what it gets back (``C`` the present value of all costs,
    ``G`` the sum of ``g`` over partners with ``g > 0``; partners with none fund
    nothing, and the sentence names any of them left short).

    On the ``cashable`` basis no partner is asked for cash beyond what it gets
    back in cash: each puts in the same fraction ``C / G`` of it, and when that
    fraction would exceed 1 there is no answer (the sentence says by how much the
    cash falls short of the costs). The table's net positions count all fiscal
    savings, so on this basis the sentence states the cash fraction, not a net.

    Examples
    --------
    >>> import cba
    >>> s = fair_shares(cba.appraise("examples/worked_example.yaml"))
    >>> round(s.value, 6), s.details["shares"]
    (0.320289, {'local_authority': 1.0})
    """
    if not isinstance(basis, str) or basis not in ("fiscal", "cashable"):
        raise CBAError(f"basis: fair shares are in proportion to 'fiscal' or 'cashable' savings, got {basis!r}")
    base = _terms(appraisal, terms)
    others = base.model_copy(update={"funding": [], "pooled_budget": None})
    deal, pos = _positions(appraisal, others)
    cash = basis == "cashable"
    gets = pos["savings_cashable" if cash else "savings"][0] + pos["received"][0] - pos["paid"][0]
    cost = float(pos["costs_before"][0].sum())
    keep = gets > 0
    total = float(gets[keep].sum())
    if total <= 0:
        return Solution("fair-shares", False, None,
                        f"No fair shares: no partner gets anything back on the {basis} basis, so there is nothing "
                        "to share costs in proportion to.", None, {"cost": cost, "basis": basis}, "closed form")
    if cash and cost > total * (1 + TOLERANCE):
        # in proportion, every partner would put in more cash than it gets back in cash
        return Solution("fair-shares", False, None,
                        f"No fair shares on the cashable basis: the cash the partners get back ({_money(total)} in "
                        f"present value) covers {total / cost:.2%} of the costs ({_money(cost)}), so a split in "
                        "proportion to it would ask every partner for cash beyond its cashable savings; fair shares "
                        "on the fiscal basis or a gain-share may answer.", None,
                        {"cost": cost, "gets_back": total, "basis": basis, "shortfall": cost - total},
                        "closed form")
    shares = {p: float(g / total) for p, g, k in zip(deal.partners, gets, keep) if k}
    fraction = 1.0 - cost / total
    funding = [Funding(cost=c.name, shares=dict(shares)) for c in appraisal.intervention.costs]
    solved = others.model_copy(update={"funding": funding})
    after = _positions(appraisal, solved)[1]["net_after"][0]   # the table's figures, for the sentence
    split = ", ".join(f"{_name(appraisal, p)} {v:.2%}" for p, v in shares.items())
    every = "every partner" if keep.all() else "every partner that gets something back"
    if cash:
        verdict = (f"{every} puts in {cost / total:.2%} of the cash it gets back (its cashable savings, with what "
                   "the deal's other agreements pass to and from it), so none is asked for cash beyond its "
                   "cashable savings")
    else:
        verdict = (f"{every} ends ahead by {fraction:.2%} of it" if fraction > 0 else
                   f"{every} ends behind by {-fraction:.2%} of it" if fraction < 0 else f"{every} breaks even")
    short = {p: float(-n) for p, n, k in zip(deal.partners, after, keep) if not k and round(float(n)) < 0}
    for p, n, k in zip(deal.partners, after, keep):
        if k or round(float(n)) == 0:
            continue
        verdict += (f"; {_name(appraisal, p)} gets nothing back on the {basis} basis, funds nothing and ends "
                    f"{_money(short[p])} short" if p in short else
                    f"; {_name(appraisal, p)} gets no cash back and funds nothing" if cash else "")
    msg = (f"Fair shares: fund every cost line in proportion to what each partner gets back on the {basis} basis "
           f"({split}); {verdict}.")
    return Solution("fair-shares", True, fraction, msg, solved,
                    {"shares": shares, "cost": cost, "gets_back": total, "basis": basis,
                     "short": short}, "closed form")


# ---------------------------------------------------------------- gain-share
@answers
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
    if isinstance(sources, str):
        sources = [sources]
    elif not isinstance(sources, Sequence):
        raise CBAError(f"--from: name the partners that pass on savings, got {sources!r}")
    sources = [_partner_arg(p, "--from") for p in sources]
    to = _partner_arg(to, "--to")
    target = _target(target)
    if not sources:
        raise CBAError("gain-share: name at least one partner to pass on savings (--from)")
    if to in sources:
        raise CBAError(f"gain-share: {_name(appraisal, to)} cannot pass a share of its savings to itself (--from "
                       f"and --to both name {to!r})")
    if basis is not None and (not isinstance(basis, str)
                              or basis not in ("cashable", "fiscal", "fiscal_excluding_transfers")):
        raise CBAError(f"basis: use cashable, fiscal or fiscal_excluding_transfers, got {basis!r}")
    base = _terms(appraisal, terms)
    known = appraisal.intervention.agency_names
    for p in [*sources, to]:
        if p not in known:
            raise CBAError(f"gain-share: unknown partner {p!r}; use one of "
                           + ", ".join(f"{k} ({n})" if k != n else k for k, n in sorted(known.items())))
    existing = [g for g, t in enumerate(base.gain_share) if t.from_ in sources and t.to == to]
    covered = {base.gain_share[g].from_ for g in existing}
    added = [GainShare(**{"from": s, "to": to, "share": 0.0, "basis": basis or "fiscal",
                          "name": f"Gain-share {_name(appraisal, s)} to {_name(appraisal, to)} (solved)"})
             for s in sources if s not in covered]
    trial = base.model_copy(update={"gain_share": [*base.gain_share, *added]})
    deal = compile_deal(appraisal.compiled, trial)
    j = _index(deal, to, "--to", appraisal.intervention.agency_names)
    varied = existing + list(range(len(base.gain_share), len(trial.gain_share)))
    share0 = deal.params["deal.gain_share.share"]

    def net(rates: np.ndarray) -> np.ndarray:
        s = np.repeat(share0[None], len(rates), axis=0)
        s[:, varied] = rates[:, None]
        pos = net_positions(evaluate_deal(appraisal.compiled, deal, _flows(appraisal),
                                          deal_overrides={"deal.gain_share.share": s}))
        return pos["net_after"][:, j] - target

    def held(rate: float) -> dict[str, str]:
        return {f"partnership.gain_share[{g}].share": f"the share passed on under {deal.names['gain_share'][g]!r}, "
                f"{rate:.2%}" for g in varied}

    def solved_terms(rate: float) -> Partnership:
        shares = [g.model_copy(update={"share": rate}) if i in varied else g
                  for i, g in enumerate(trial.gain_share)]
        return trial.model_copy(update={"gain_share": shares})

    ends = net(np.array([0.0, 1.0]))
    who, whom = _names(appraisal, sources), _name(appraisal, to)
    what = "the share of " + ", ".join(repr(deal.names["gain_share"][g]) for g in existing) if existing else \
        f"a share of {'their' if len(sources) > 1 else 'its'} {(basis or 'fiscal').replace('_', ' ')} savings"
    details = {"from": sources, "to": to, "target": target,
               "agreements": [deal.names["gain_share"][g] for g in varied]}
    if ends[0] >= 0:
        return Solution("gain-share", True, 0.0, f"{whom} reaches the target with no gain-share from {who} "
                        f"(net after the deal {_money(ends[0] + target)}).", solved_terms(0.0),
                        {**details, "rate": 0.0}, "closed form")
    if ends[1] < 0:
        return Solution("gain-share", False, None,
                        f"No gain-share from {who} is enough: even at 100% ({what}) {whom} stays "
                        f"{_money(-ends[1])} short of the target.", None,
                        {**details, "shortfall": float(-ends[1]), "net_at_full_share": float(ends[1] + target)},
                        "closed form")
    rate, method = _root(net, 0.0, 1.0)
    msg = (f"{who} must pass on at least {rate:.2%} ({what}) for {whom} to "
           + ("break even." if target == 0 else f"reach {_money(target)}."))
    return Solution("gain-share", True, rate, msg, solved_terms(rate), {**details, "rate": rate}, method,
                    held(rate))


# ---------------------------------------------------------------- any split
@answers
def any_split(appraisal: Appraisal, terms: Partnership | dict | None = None) -> Solution:
    """Whether some split of the costs leaves every partner at least even.

    A deal moves money between partners, so the partners' nets always sum to the
    partnership's: ``sum(savings) - sum(costs)`` (present values). Some split
    leaves every partner at least even if, and only if, that sum is not negative (the
    fair-shares split then does); otherwise the partnership falls short by its
    deficit, whatever the split. A partner whose savings are negative (with what the
    deal's other agreements pass to and from it) funds nothing under fair shares and
    is still short: the answer is then yes with payments, and the sentence names the
    partner and the payment it needs from the partners ahead (``payments_needed``).

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
    if margin < 0:
        return Solution("any-split", False, margin,
                        f"No: whatever the split, the partnership as a whole is {_money(-margin)} short in present "
                        "value, so at least one partner loses money.", None, {"shortfall": -margin}, "closed form")
    fair = fair_shares(appraisal, base)
    details = {"margin": margin, "shares": fair.details.get("shares")}
    short = fair.details.get("short") or {}
    if not short:
        return Solution("any-split", True, margin,
                        f"Yes: the partnership is {_money(margin)} ahead in present value, so a split exists that "
                        "leaves every partner at least even (the fair-shares split is one).",
                        fair.terms, details, "closed form")
    # a partner whose savings (with the deal's other agreements) are negative funds nothing under fair shares and
    # is still short: no split of the costs alone lifts it, but the partners ahead can pay it what it lacks
    need = " and ".join(f"{_money(v)} to {_name(appraisal, p)}" for p, v in short.items())
    left = " and ".join(f"{_name(appraisal, p)} {_money(v)} short" for p, v in short.items())
    return Solution("any-split", True, margin,
                    f"Yes, with payments: the partnership is {_money(margin)} ahead in present value, but "
                    f"{_names(appraisal, short)} {'loses' if len(short) == 1 else 'lose'} money whatever share of "
                    f"the costs {'it funds' if len(short) == 1 else 'they fund'}, so no split of the costs alone "
                    f"leaves every partner even (the fair-shares split below leaves {left}); the fair-shares "
                    f"split with payments of {need} from the partners ahead does.",
                    fair.terms, {**details, "payments_needed": dict(short)}, "closed form")


#: Solvers by the name the command line uses.
SOLVERS = {"fair-shares": fair_shares, "gain-share": gain_share, "price": break_even_price, "any-split": any_split}
