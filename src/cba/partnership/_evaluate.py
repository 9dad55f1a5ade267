"""A deal's money, partner by partner, for every draw at once.

:func:`evaluate_deal` takes the engine's flows (:class:`cba.engine._evaluate.Flows`, any
number of draws) and a :class:`~cba.partnership._compile.CompiledDeal`, and returns
:class:`DealFlows`: for each draw, partner and year, what the partner bears today,
what it funds under the deal, what it banks, and what it pays and receives under
each agreement. Everything is array arithmetic on a leading draws axis ``D``: no
Python loop over draws or years, so Monte Carlo runs the same function as a
deterministic appraisal.

A deal moves money and creates none: funding sums to the cost of every line, and
what one partner pays another receives. :func:`~cba.partnership._positions.net_positions`
turns the flows into present values per partner, before and after the deal.

All money is in pounds at the price base; yearly flows are real (undiscounted),
present values are discounted with the model's schedule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property

import numpy as np

from cba.engine._compiled import FISCAL, CompiledModel
from cba.engine._evaluate import CostFlows, Flows
from cba.partnership._arrays import by_line, one_hot, pick_rows, sum_by
from cba.partnership._compile import DEAL_PARAMETER_SHAPES, CompiledDeal
from cba.partnership._contracts import ContractMoney, capped, contract_payments, engine_parameter, shift_by_lag
from cba.partnership._investor import InvestorFlows, investor_flows

#: Kinds of flow between partners.
FLOW_KINDS = ("gain_share", "outcome_payment", "top_up", "payment", "investment", "investor_repayment")


@dataclass(frozen=True)
class DealFlows:
    """Yearly money of every partner under a deal, for every draw.

    Every partner array is ``(D, P, H)`` real pounds at the price base.

    Attributes
    ----------
    costs_before : numpy.ndarray
        Costs each partner bears today (after optimism bias).
    funding_cash, funding_in_kind : numpy.ndarray
        What each partner funds under the deal, in cash and in kind.
    savings, savings_cashable : numpy.ndarray
        Fiscal savings each partner banks (gross of the deal), and their cashable part.
    savings_discounted, savings_cashable_discounted : numpy.ndarray
        ``savings`` and ``savings_cashable`` discounted (each value component on
        its own schedule).
    received, paid : numpy.ndarray
        What each partner receives and pays under the deal's agreements.
    transfers : numpy.ndarray
        ``(D, R, H)`` each flow row between partners (see ``rows``).
    rows : list of dict
        One per flow row: ``from``, ``to`` (partner indices), ``agreement``, ``kind``.
    discount_factors : numpy.ndarray
        ``(D, H)`` the standard schedule, for costs and payments.
    """

    partners: tuple[str, ...]
    funding_cash: np.ndarray
    funding_in_kind: np.ndarray
    #: ``(D, P, H)``; None when worked out from the costs alone (a risk run that reports no savings).
    savings_discounted: np.ndarray | None
    received: np.ndarray
    paid: np.ndarray
    transfers: np.ndarray
    rows: list[dict]
    discount_factors: np.ndarray
    pool_spend: np.ndarray
    pool_contributions: np.ndarray
    #: ``(D, M, H)`` what each outcome-payment agreement owes but no payer covers (zero but for contracts).
    unfunded: np.ndarray | None = None
    #: The money of each agreement written as a contract, by its index (cba.partnership._contracts).
    contracts: dict[int, ContractMoney] | None = None
    #: Each social investment's waterfall, by its index (cba.partnership._investor).
    investors: dict[int, InvestorFlows] | None = None
    #: What the sums below are made from; they are added up when first asked for (a
    #: solver's trial deals need none of them).
    sums_from: _SumInputs | None = None

    @property
    def funding(self) -> np.ndarray:
        return self.funding_cash + self.funding_in_kind

    @property
    def draws(self) -> int:
        return self.funding_cash.shape[0]

    def _inputs(self) -> _SumInputs:
        assert self.sums_from is not None  # evaluate_deal always sets it
        return self.sums_from

    @cached_property
    def costs_before(self) -> np.ndarray:
        i = self._inputs()
        return by_line(i.costs, i.bearer)

    @cached_property
    def savings(self) -> np.ndarray:
        return self._inputs().by_saver()

    @cached_property
    def savings_cashable(self) -> np.ndarray:
        i = self._inputs()
        return i.by_saver(i.cashable_share)

    @cached_property
    def savings_cashable_discounted(self) -> np.ndarray:
        i = self._inputs()
        return i.by_saver(i.cashable_share, i.component_discount_factors)


@dataclass(frozen=True)
class _SumInputs:
    """The arrays :class:`DealFlows` adds up on demand."""

    costs: np.ndarray                        # (D, L, H) each cost line
    bearer: np.ndarray                       # (L, P) who bears each line today
    saver: np.ndarray                        # (K, P) who banks each value component
    banked: np.ndarray                       # (B,) the components some partner banks
    # None when the deal was worked out from the costs alone (engine.evaluate_costs)
    benefits: np.ndarray | None = None                     # (D, K, H)
    cashable_share: np.ndarray | None = None               # (D|1, K, H|1)
    component_discount_factors: np.ndarray | None = None   # (D|1, K|1, H)

    @property
    def cashable_benefits(self) -> np.ndarray:
        assert self.benefits is not None and self.cashable_share is not None
        return self.benefits * self.cashable_share

    def by_saver(self, *factors: np.ndarray | None) -> np.ndarray:
        """``(D, P, H)`` each partner's benefits times ``factors`` (each ``(D|1, K|1, H|1)``),
        computed on the banked components only: the others add nothing."""
        if self.benefits is None:
            raise ValueError("the deal was worked out without the benefit flows: its savings are not known")
        rows = np.take(self.benefits.transpose(1, 0, 2), self.banked, axis=0).transpose(1, 0, 2)   # a copy
        for f in factors:
            assert f is not None
            rows = np.multiply(rows, pick_rows(np.asarray(f), self.banked), out=rows)
        return sum_by(self.saver[self.banked], rows)


def _deal_param(deal: CompiledDeal, overrides: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    return np.asarray(overrides[name]) if name in overrides else deal.params[name][None]





def check_deal_overrides(deal: CompiledDeal, overrides: Mapping[str, np.ndarray]) -> int:
    """The number of draws in deal overrides (1 when none), checking their shapes."""
    from cba.core._errors import CBAError

    sizes = set()
    for name, arr in overrides.items():
        if name not in DEAL_PARAMETER_SHAPES:
            raise CBAError(f"unknown deal parameter {name!r} (known: {', '.join(DEAL_PARAMETER_SHAPES)})")
        base = deal.params[name].shape
        if np.shape(arr)[1:] != base:
            raise CBAError(f"override {name!r} must have shape (draws, {', '.join(map(str, base))}), "
                           f"got {np.shape(arr)}")
        sizes.add(np.shape(arr)[0])
    if len(sizes) > 1:
        raise CBAError(f"deal overrides disagree on the number of draws: {sorted(sizes)}")
    return sizes.pop() if sizes else 1



def outcome_payment_amounts(model: CompiledModel, deal: CompiledDeal, engine_overrides: Mapping[str, np.ndarray],
                            deal_overrides: Mapping[str, np.ndarray], D: int) -> np.ndarray:
    """Total payment under each outcome-payment agreement by year, ``(D, M, H)``, after caps.

    For intake year ``c``: participants ``N[c] x engagement x funded_share`` earn the
    attachment fee in year ``c``; outcomes ``participants x success x (1 -
    deadweight if net) x (1 - optimism bias if applied)`` earn the price in year
    ``c + lag``, unless the success rate on the agreement's basis is below its
    threshold.
    """
    M, H = len(deal.pay_outcome), model.horizon
    if M == 0:
        return np.zeros((D, 0, H))
    o = deal.pay_outcome

    def outcome_param(name):
        return engine_parameter(model, engine_overrides, name)[:, o]              # (D|1, M)

    cohort = engine_parameter(model, engine_overrides, "cohort")[:, o, :]        # (D|1, M, H)
    funded = _deal_param(deal, deal_overrides, "deal.outcome_payments.funded_share")
    participants = cohort * (outcome_param("engagement") * funded)[..., None]
    rate = outcome_param("success") * np.where(deal.pay_net, 1.0 - outcome_param("deadweight"), 1.0)
    ob = np.where(deal.pay_optimism_bias, outcome_param("outcome_ob"), 0.0)
    threshold = _deal_param(deal, deal_overrides, "deal.outcome_payments.threshold")
    with np.errstate(invalid="ignore"):
        paid_for = np.where(np.isnan(threshold), True, rate >= threshold)
    achieved = participants * (rate * (1.0 - ob) * paid_for)[..., None]
    price = _deal_param(deal, deal_overrides, "deal.outcome_payments.price")
    fee = _deal_param(deal, deal_overrides, "deal.outcome_payments.attachment_fee")
    results = np.broadcast_to(achieved * price, (D, M, H))
    attachment = participants * fee
    total = attachment + shift_by_lag(results, outcome_param("lag"))
    paid = capped(np.broadcast_to(total, (D, M, H)),
                  _deal_param(deal, deal_overrides, "deal.outcome_payments.cap_per_year"),
                  _deal_param(deal, deal_overrides, "deal.outcome_payments.cap"))
    # an agreement in cash terms: pounds of the year paid, to the price base year by year
    return paid if deal.pay_cash_factor is None else paid / deal.pay_cash_factor[None]


def evaluate_deal(model: CompiledModel, deal: CompiledDeal, flows: Flows | CostFlows,
                  engine_overrides: Mapping[str, np.ndarray] | None = None,
                  deal_overrides: Mapping[str, np.ndarray] | None = None) -> DealFlows:
    """Every partner's money under the deal, by draw and year.

    Parameters
    ----------
    model : CompiledModel
    deal : CompiledDeal
        From :func:`~cba.partnership._compile.compile_deal` on the same model.
    flows : Flows or CostFlows
        From :func:`cba.engine._evaluate.evaluate` with ``engine_overrides``; or
        :func:`~cba.engine._evaluate.evaluate_costs` for a deal without gain-shares whose
        savings are not wanted (then ``savings_discounted`` is None and asking for savings
        raises).
    engine_overrides, deal_overrides : mapping of str to numpy.ndarray, optional
        The parameter draws the flows were computed with, and draws of deal terms
        (:data:`~cba.partnership._compile.DEAL_PARAMETER_SHAPES`).

    Returns
    -------
    DealFlows
    """
    engine_overrides = dict(engine_overrides or {})
    deal_overrides = dict(deal_overrides or {})
    D = max(flows.draws, check_deal_overrides(deal, deal_overrides))
    P, H = deal.n_partners, model.horizon

    def full(a):
        return np.broadcast_to(a, (D, *np.shape(a)[1:]))

    costs = full(flows.costs)                                        # (D, L, H)
    bearer = one_hot(model.cost_agency, P)                          # (L, P)
    funding_cash = by_line(costs, deal.funding_cash)
    funding_in_kind = by_line(costs, deal.funding_in_kind)

    # the pooled budget: the host pays the pooled lines; partners pay in, in kind for the spend on in-kind lines
    spend = costs[:, deal.pool_lines, :].sum(axis=1)                 # (D, H)
    contributions = np.zeros((D, P, H))
    if deal.pool_host >= 0:
        if deal.pool_shares is not None:
            contributions = spend[:, None, :] * deal.pool_shares[None, :, None]
        else:
            fixed = deal.pool_amounts                                # (P, H)
            assert fixed is not None  # a pool without shares has amounts
            total = fixed.sum(axis=0)                                # (H,)
            host = np.zeros(P)
            host[deal.pool_host] = 1.0
            if deal.pool_variance_host:
                weight = np.broadcast_to(host[:, None], (P, H))
            else:  # in proportion to that year's contributions; the host alone when none
                weight = np.where(total > 0, fixed / np.where(total > 0, total, 1.0), host[:, None])
            contributions = fixed[None] + (spend - total[None])[:, None, :] * weight[None]
            if not deal.pool_variance_host:
                # far below the contributions, each partner's share of the spend directly: the
                # form above would subtract nearly equal large numbers and lose the spend
                low = (spend < 0.5 * total[None]) & (total[None] > 0)             # (D, H)
                if low.any():
                    contributions = np.where(low[:, None, :], spend[:, None, :] * weight[None], contributions)
        if deal.pool_in_kind.any():  # each contribution is in kind in the share of the spend on in-kind lines
            on_kind = costs[:, deal.pool_in_kind, :].sum(axis=1)                # (D, H)
            part = np.divide(on_kind, spend, out=np.zeros_like(spend), where=spend > 0)
            in_kind = contributions * part[:, None, :]
            funding_in_kind = funding_in_kind + in_kind
            funding_cash = funding_cash + (contributions - in_kind)
        else:
            funding_cash = funding_cash + contributions

    # savings each partner banks
    K = model.n_components
    is_fiscal = model.component_type == FISCAL
    comp_partner = np.where(is_fiscal, model.component_agency, -1)   # compiled agency index == partner index
    saver = one_hot(comp_partner, P)                                # (K, P)
    df = full(flows.discount_factors)                                # (D, H)
    banked = np.nonzero(saver.any(axis=1))[0]
    if flows.benefits is None:   # the costs alone (engine.evaluate_costs): no partner's savings wanted
        if len(deal.gain_from):
            raise ValueError("evaluate_deal: gain-shares are paid on savings; give the benefit flows")
        sums_from = _SumInputs(costs=costs, bearer=bearer, saver=saver, banked=banked)
        savings_discounted = None
    else:
        benefits = full(flows.benefits)                              # (D, K, H)
        cashable_share = np.asarray(flows.cashable)
        if cashable_share.ndim == 2:                                 # (D, K): the same share every year
            cashable_share = cashable_share[..., None]
        # a value component may have its own schedule (health values); payments and costs do not
        comp_df = getattr(flows, "component_discount_factors", None)
        comp_df = df[:, None, :] if comp_df is None else np.broadcast_to(comp_df, benefits.shape)
        sums_from = _SumInputs(costs=costs, bearer=bearer, saver=saver, banked=banked, benefits=benefits,
                               cashable_share=cashable_share, component_discount_factors=comp_df)
        savings_discounted = sums_from.by_saver(comp_df)

    # flows between partners
    rows: list[dict] = []
    parts: list[np.ndarray] = []
    G = len(deal.gain_from)
    if G:
        whole = sum_by(deal.gain_weights.T, benefits)
        cash = sum_by(deal.gain_weights.T, sums_from.cashable_benefits) if K else whole
        basis = np.where(deal.gain_cashable[None, :, None], cash, whole)
        share = _deal_param(deal, deal_overrides, "deal.gain_share.share")
        cap = _deal_param(deal, deal_overrides, "deal.gain_share.cap")
        gain = np.minimum(share[..., None] * np.maximum(basis, 0.0) * deal.gain_window[None], cap[..., None])
        parts.append(np.broadcast_to(gain, (D, G, H)))
        rows += [{"from": int(deal.gain_from[g]), "to": int(deal.gain_to[g]), "agreement": deal.names["gain_share"][g],
                  "kind": "gain_share"} for g in range(G)]
    M = len(deal.pay_outcome)
    unfunded = np.zeros((D, M, H))
    contract_money = {}
    if M:  # a row per payer in agreement order, then the top-ups (contracts: cba.partnership._contracts)
        # the one-tariff form's payments (a contract works out its own)
        one_tariff = None if len(deal.contracts) == M else outcome_payment_amounts(
            model, deal, engine_overrides, deal_overrides, D)
        top = np.broadcast_to(_deal_param(deal, deal_overrides, "deal.outcome_payments.top_up_share"), (D, M))
        top_parts, top_rows = [], []
        for m in range(M):
            name = deal.names["outcome_payments"][m]
            receiver = int(deal.pay_payee[m])
            if m in deal.contracts:
                c = deal.contracts[m]
                money = contract_payments(model, c, engine_overrides,
                                          lambda key: _deal_param(deal, deal_overrides, key), D)
                if deal.pay_cash_factor is not None:   # pounds of the year paid, to the price base
                    money = ContractMoney(*(getattr(money, f.name) / deal.pay_cash_factor[m]
                                            for f in fields(ContractMoney)))
                contract_money[m] = money
                unfunded[:, m] = money.unfunded
                parts.append(money.by_payer)
                rows += [{"from": int(j), "to": receiver, "agreement": name, "kind": "outcome_payment"}
                         for j in c.payers]
                if c.top_up_payer >= 0:
                    top_parts.append(money.top_up[:, None, :])
                    top_rows.append({"from": c.top_up_payer, "to": receiver, "agreement": name, "kind": "top_up"})
                continue
            assert one_tariff is not None
            parts.append(one_tariff[:, m:m + 1] * (1.0 - top[:, m:m + 1])[..., None])
            rows.append({"from": int(deal.pay_payer[m]), "to": receiver, "agreement": name, "kind": "outcome_payment"})
            if deal.pay_top_up_payer[m] >= 0:
                top_parts.append(one_tariff[:, m:m + 1] * top[:, m:m + 1, None])
                top_rows.append({"from": int(deal.pay_top_up_payer[m]), "to": receiver, "agreement": name,
                                 "kind": "top_up"})
        parts += [np.broadcast_to(x, (D, 1, H)) for x in top_parts]
        rows += top_rows
    F = len(deal.fixed_from)
    if F:
        amounts = _deal_param(deal, deal_overrides, "deal.payments.amounts")
        parts.append(np.broadcast_to(amounts, (D, F, H)))
        rows += [{"from": int(deal.fixed_from[j]), "to": int(deal.fixed_to[j]), "agreement": deal.names["payments"][j],
                  "kind": "payment"} for j in range(F)]
    investor_money: dict[int, InvestorFlows] = {}
    syndicates: dict[int, list[int]] = {}       # provider -> its investments, pari passu in one waterfall
    for i, (_, provider) in enumerate(deal.investments):
        syndicates.setdefault(provider, []).append(i)
    for provider, members in syndicates.items():
        def term(name: str, i: int) -> np.ndarray:
            return np.broadcast_to(_deal_param(deal, deal_overrides, f"deal.investments.{name}")[:, i], (D,))

        # the provider's cash costs (after the pool) ahead of the outcome payments it receives
        so_far = np.concatenate([np.broadcast_to(p, (D, p.shape[1], H)) for p in parts], axis=1) if parts \
            else np.zeros((D, 0, H))
        paid_to = [r for r, row in enumerate(rows) if row["to"] == provider and row["kind"] in ("outcome_payment",
                                                                                                "top_up")]
        receipts = so_far[:, paid_to].sum(axis=1)
        commitments = [term("commitment", i) for i in members]
        with np.errstate(over="ignore"):
            committed = commitments[0] if len(members) == 1 else np.sum(commitments, axis=0)
        if not np.isfinite(committed).all() and all(np.isfinite(c).all() for c in commitments):
            from cba.core._errors import CBAError

            raise CBAError(f"partnership.investments[{members[-1]}].commitment: the investors in "
                           f"{deal.partners[provider]!r} commit more in all than can be computed (beyond 1.8e+308)")
        lead = members[0]   # the syndicate's terms agree (cba.model._deal_terms checks them)
        # a provider that hosts a pool paid in above its spend funds less than nothing that year: it
        # needs no working capital then (what it holds is not carried to later years' costs)
        costs_due = np.maximum(np.broadcast_to(funding_cash[:, provider], (D, H)), 0.0)
        waterfall = investor_flows(costs_due, receipts,
                                   committed, term("return_cap", lead), term("surplus_share", lead))
        for i, commitment in zip(members, commitments):
            w = waterfall if len(members) == 1 else waterfall.share(
                np.divide(commitment, committed, out=np.zeros(D), where=committed > 0))
            investor_money[i] = w
            name = deal.names["investments"][i]
            parts += [w.drawn[:, None, :], w.to_investor[:, None, :]]
            rows += [{"from": deal.investments[i][0], "to": provider, "agreement": name, "kind": "investment"},
                     {"from": provider, "to": deal.investments[i][0], "agreement": name,
                      "kind": "investor_repayment"}]
    transfers = np.concatenate(parts, axis=1) if parts else np.zeros((D, 0, H))
    payer = one_hot(np.array([r["from"] for r in rows], dtype=int), P)
    payee = one_hot(np.array([r["to"] for r in rows], dtype=int), P)
    paid = sum_by(payer, transfers)
    received = sum_by(payee, transfers)

    return DealFlows(
        partners=deal.partners, funding_cash=funding_cash, funding_in_kind=funding_in_kind,
        savings_discounted=savings_discounted, received=received, paid=paid, transfers=transfers,
        rows=rows, discount_factors=df, pool_spend=spend, pool_contributions=contributions,
        unfunded=unfunded, contracts=contract_money, investors=investor_money, sums_from=sums_from,
    )


#: Yearly measures of :meth:`cba.partnership._results.PartnershipResult.by_year` (and of its cash view).
YEAR_MEASURES = ("costs_before", "funding", "savings", "received", "paid", "net_before", "net_after")
