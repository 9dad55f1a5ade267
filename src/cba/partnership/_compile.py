"""A deal's terms as arrays beside the compiled model.

:func:`compile_deal` resolves every name in a :class:`~cba.model._deal_terms.Partnership`
(cost lines, outcomes, partners) to an index and every amount to pounds at the
price base, so that :func:`cba.partnership._evaluate.evaluate_deal` is array
arithmetic only. The terms an uncertainty analysis may vary (a gain-share rate, a
tariff, a cap) are kept in :attr:`CompiledDeal.params` under the names of
:data:`DEAL_PARAMETER_SHAPES`, like the engine's own parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cba.core._errors import CBAError, ModelError
from cba.engine._compiled import FISCAL, CompiledModel
from cba.model._deal_terms import Partnership
from cba.partnership._contracts import CONTRACT_PARAMETER_SHAPES, CompiledContract, compile_contracts

#: Deal terms an analysis may vary, with their base shape (``G`` gain-shares,
#: ``M`` outcome-payment agreements, ``F`` fixed payments, ``H`` years).
DEAL_PARAMETER_SHAPES = {
    "deal.gain_share.share": ("G",),
    "deal.gain_share.cap": ("G",),
    "deal.outcome_payments.price": ("M", "H"),
    "deal.outcome_payments.attachment_fee": ("M", "H"),
    "deal.outcome_payments.funded_share": ("M",),
    "deal.outcome_payments.threshold": ("M",),
    "deal.outcome_payments.cap_per_year": ("M",),
    "deal.outcome_payments.cap": ("M",),
    "deal.outcome_payments.top_up_share": ("M",),
    "deal.payments.amounts": ("F", "H"),
    **CONTRACT_PARAMETER_SHAPES,
    "deal.investments.commitment": ("I",),
    "deal.investments.return_cap": ("I",),
    "deal.investments.surplus_share": ("I",),
}
_INF = float("inf")
#: Gain-share bases, in the order of their codes.
BASES = ("cashable", "fiscal", "fiscal_excluding_transfers")


@dataclass(frozen=True)
class CompiledDeal:
    """A deal's terms as index arrays and amounts at the price base.

    Attributes
    ----------
    partners : tuple of str
        Partner ids: the model's agencies (in ledger order), then partners only
        the deal names.
    funding_cash, funding_in_kind : numpy.ndarray
        ``(L, P)`` share of each cost line each partner funds, in cash and in kind
        (rows of pooled lines are zero).
    pool_lines : numpy.ndarray of bool
        ``(L,)`` lines paid from the pooled budget.
    pool_in_kind : numpy.ndarray of bool
        ``(L,)`` pooled lines of kind ``in_kind``: the partners' contributions for
        their spend are in kind.
    pool_host : int
        Partner index of the pool's host (``-1`` with no pool).
    pool_shares : numpy.ndarray or None
        ``(P,)`` shares of the pool's spend, when contributions are shares.
    pool_amounts : numpy.ndarray or None
        ``(P, H)`` fixed contributions (pounds at the price base), when given so.
    pool_variance_host : bool
        Over- and underspends fall on the host (else in proportion to contributions).
    gain_from, gain_to : numpy.ndarray of int
        ``(G,)`` partner indices.
    gain_weights : numpy.ndarray
        ``(G, K)`` 1 for each value component whose savings count towards the
        gain-share (the ``from`` partner's fiscal components, of the named
        outcomes, excluding transfers when the basis says so).
    gain_cashable : numpy.ndarray of bool
        ``(G,)`` the basis is the cashable part only.
    gain_window : numpy.ndarray
        ``(G, H)`` 1 in the years the agreement runs.
    pay_payer, pay_payee, pay_top_up_payer, pay_outcome : numpy.ndarray of int
        ``(M,)`` indices (``-1`` for no top-up payer); for a contract, its first payer
        and its first tariff's outcome.
    pay_net, pay_optimism_bias : numpy.ndarray of bool
        ``(M,)`` count outcomes net of deadweight; apply the outcome's optimism bias.
    fixed_from, fixed_to : numpy.ndarray of int
        ``(F,)`` partner indices.
    params : dict of str to numpy.ndarray
        Base values of :data:`DEAL_PARAMETER_SHAPES` (caps with no limit are
        ``inf``, thresholds none are ``NaN``).
    agreements : list of dict
        One record per flow row: ``name``, ``kind``, the agreement's index.
    """

    terms: Partnership
    partners: tuple[str, ...]
    horizon: int
    funding_cash: np.ndarray
    funding_in_kind: np.ndarray
    pool_lines: np.ndarray
    pool_in_kind: np.ndarray
    pool_host: int
    pool_shares: np.ndarray | None
    pool_amounts: np.ndarray | None
    pool_variance_host: bool
    gain_from: np.ndarray
    gain_to: np.ndarray
    gain_weights: np.ndarray
    gain_cashable: np.ndarray
    gain_window: np.ndarray
    pay_payer: np.ndarray
    pay_payee: np.ndarray
    pay_top_up_payer: np.ndarray
    pay_outcome: np.ndarray
    pay_net: np.ndarray
    pay_optimism_bias: np.ndarray
    fixed_from: np.ndarray
    fixed_to: np.ndarray
    params: dict[str, np.ndarray] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    #: Agreements written as contracts (rate cards, several payers, ...), by index.
    contracts: dict[int, CompiledContract] = field(default_factory=dict)
    #: Social investments: (investor, provider) partner indices; their terms are in ``params``.
    investments: list[tuple[int, int]] = field(default_factory=list)
    #: ``(M, H)`` each outcome-payment agreement's divisor from pounds of the year paid to the price
    #: base: the year's cash factor for an agreement in cash terms, else 1; None when none is in cash.
    pay_cash_factor: np.ndarray | None = None

    @property
    def n_partners(self) -> int:
        return len(self.partners)


def _by_year(value, H: int, pad_last: bool) -> np.ndarray:
    """A number for every year, or a list by year padded to the horizon.

    Prices and fees stay in force (padded with the last value); amounts paid are
    zero after the list ends, like a cost line's amounts.
    """
    if not isinstance(value, list):
        return np.full(H, float(value))
    out = np.zeros(H)
    if value:
        out[: len(value)] = value
        if pad_last:
            out[len(value):] = value[-1]
    return out


def empty_deal() -> Partnership:
    """The deal with no agreements: every partner funds what it bears, nothing passes."""
    return Partnership()


def compile_deal(model: CompiledModel, terms: Partnership | None = None) -> CompiledDeal:
    """Resolve a deal against its compiled model.

    Parameters
    ----------
    model : CompiledModel
        From :func:`cba.engine._compiled.compile_model`.
    terms : Partnership, optional
        The deal; by default the model's own ``partnership`` section (or no deal).

    Raises
    ------
    ModelError
        For a name the model does not have or a price year outside the deflator,
        naming the field.
    """
    iv = model.intervention
    if terms is None:
        terms = getattr(iv, "partnership", None) or empty_deal()
    known = iv.agency_names
    problems = list(terms.problems(iv, known))
    if problems:
        raise ModelError(problems)
    H, L, K = model.horizon, model.n_costs, model.n_components
    partners = list(model.agencies) + [p for p in terms.partners() if p not in model.agencies]
    index = {p: i for i, p in enumerate(partners)}
    P = len(partners)
    cost_names = [c["name"] for c in model.cost_info]
    outcome_names = [o.name for o in iv.outcomes]

    def uplift(path: str, price_year: str | None) -> float:
        try:
            return float(model.deflator.factor(price_year, iv.price_base)) if model.deflator else 1.0
        except CBAError as exc:
            raise ModelError([(path, str(exc))]) from None

    # ---- funding of each cost line (default: the bearer, in cash unless in kind)
    cash = np.zeros((L, P))
    kind = np.zeros((L, P))
    for l, info in enumerate(model.cost_info):
        target = kind if info["kind"] == "in_kind" else cash
        target[l, index[info["agency"]]] = 1.0
    for f in terms.funding:
        l = cost_names.index(f.cost)
        in_kind = f.in_kind if f.in_kind is not None else model.cost_info[l]["kind"] == "in_kind"
        cash[l] = kind[l] = 0.0
        for a, s in f.shares.items():
            (kind if in_kind else cash)[l, index[a]] = s

    # ---- the pooled budget
    pool_lines = np.zeros(L, dtype=bool)
    pool_host, pool_shares, pool_amounts, variance_host = -1, None, None, False
    if (pool := terms.pooled_budget) is not None:
        funded = {f.cost for f in terms.funding}
        lines = pool.costs if pool.costs is not None else [n for n in cost_names if n not in funded]
        for name in lines:
            pool_lines[cost_names.index(name)] = True
        cash[pool_lines] = 0.0
        kind[pool_lines] = 0.0
        pool_host = index[pool.host]
        variance_host = pool.variance == "host"
        if pool.shares is not None:
            pool_shares = np.zeros(P)
            for a, s in pool.shares.items():
                pool_shares[index[a]] = s
        else:
            f = uplift("partnership.pooled_budget.price_year", pool.price_year)
            pool_amounts = np.zeros((P, H))
            for a, v in pool.contributions.items():
                pool_amounts[index[a]] = _by_year(v, H, pad_last=False) * f
    # the contributions for the spend on in-kind lines are in kind, as a line funded in kind
    pool_in_kind = pool_lines & np.array([info["kind"] == "in_kind" for info in model.cost_info], dtype=bool)

    # ---- gain-shares
    G = len(terms.gain_share)
    weights = np.zeros((G, K))
    window = np.zeros((G, H))
    is_fiscal = model.component_type == FISCAL
    agency_of = np.array([index.get(model.agencies[a], -1) if a >= 0 else -1 for a in model.component_agency],
                         dtype=int).reshape(K)
    for g, term in enumerate(terms.gain_share):
        keep = is_fiscal & (agency_of == index[term.from_])
        if term.basis == "fiscal_excluding_transfers":
            keep &= ~model.component_transfer
        if term.outcomes is not None:
            wanted = [outcome_names.index(n) for n in term.outcomes]
            keep &= np.isin(model.component_outcome, wanted)
        weights[g] = keep
        start = term.start_year if term.start_year is not None else 0
        end = term.end_year if term.end_year is not None else H - 1
        window[g, start:end + 1] = 1.0

    # ---- outcome payments
    M = len(terms.outcome_payments)
    price = np.zeros((M, H))
    fee = np.zeros((M, H))
    factors = []
    pay_cash = np.ones((M, H))
    for m, term in enumerate(terms.outcome_payments):
        # in cash terms every amount stays in pounds of the year paid, and the evaluation divides each
        # year's payments by that year's cash factor (so caps bind on cash, as the contract says)
        if term.terms == "cash":
            pay_cash[m] = _cash_factors(model, f"partnership.outcome_payments[{m}]")
        f = 1.0 if term.terms == "cash" else uplift(f"partnership.outcome_payments[{m}].price_year", term.price_year)
        factors.append(f)
        fee[m] = _by_year(term.attachment_fee, H, pad_last=True) * f
        if term.is_simple:  # a contract's prices are its tariffs' (cba.partnership._contracts)
            price[m] = _by_year(term.price, H, pad_last=True) * f
    contracts, contract_params = compile_contracts(terms.outcome_payments, index, outcome_names,
                                                   lambda v: _by_year(v, H, pad_last=True), factors, H)
    ops = terms.outcome_payments

    # ---- fixed payments
    F = len(terms.payments)
    amounts = np.zeros((F, H))
    for j, term in enumerate(terms.payments):
        if term.terms == "cash":   # pounds of the year paid: at the price base, year by year
            amounts[j] = _by_year(term.amounts, H, pad_last=False) / _cash_factors(model, f"partnership.payments[{j}]")
            continue
        f = uplift(f"partnership.payments[{j}].price_year", term.price_year)
        amounts[j] = _by_year(term.amounts, H, pad_last=False) * f

    inf = float("inf")
    investments = terms.investments or []
    params = {
        "deal.gain_share.share": np.array([g.share for g in terms.gain_share], dtype=float).reshape(G),
        "deal.gain_share.cap": np.array([inf if g.cap is None else g.cap for g in terms.gain_share],
                                        dtype=float).reshape(G),
        "deal.outcome_payments.price": price,
        "deal.outcome_payments.attachment_fee": fee,
        "deal.outcome_payments.funded_share": np.array([o.funded_share for o in ops], dtype=float).reshape(M),
        "deal.outcome_payments.threshold": np.array([np.nan if o.threshold is None else o.threshold
                                                     for o in ops], dtype=float).reshape(M),
        # every amount of an agreement is in its price year (caps included)
        "deal.outcome_payments.cap_per_year": np.array([inf if o.cap_per_year is None else o.cap_per_year * f
                                                        for o, f in zip(ops, factors)], dtype=float).reshape(M),
        "deal.outcome_payments.cap": np.array([inf if o.cap is None else o.cap * f for o, f in zip(ops, factors)],
                                              dtype=float).reshape(M),
        "deal.outcome_payments.top_up_share": np.array([o.top_up.share if o.top_up else 0.0 for o in ops],
                                                       dtype=float).reshape(M),
        "deal.payments.amounts": amounts,
        **contract_params,
        "deal.investments.commitment": np.array(
            [v.commitment * uplift(f"partnership.investments[{i}].price_year", v.price_year)
             for i, v in enumerate(investments)], dtype=float).reshape(len(investments)),
        "deal.investments.return_cap": np.array([_INF if v.return_cap is None else v.return_cap
                                                 for v in investments], dtype=float).reshape(len(investments)),
        "deal.investments.surplus_share": np.array([v.surplus_share for v in investments],
                                                   dtype=float).reshape(len(investments)),
    }
    names = terms.agreement_names(model.intervention.agency_names)

    def ints(xs: list[int], n: int) -> np.ndarray:
        return np.array(xs, dtype=int).reshape(n)

    return CompiledDeal(
        terms=terms, partners=tuple(partners), horizon=H,
        funding_cash=cash, funding_in_kind=kind, pool_lines=pool_lines, pool_in_kind=pool_in_kind,
        pool_host=pool_host,
        pool_shares=pool_shares, pool_amounts=pool_amounts, pool_variance_host=variance_host,
        gain_from=ints([index[g.from_] for g in terms.gain_share], G),
        gain_to=ints([index[g.to] for g in terms.gain_share], G),
        gain_weights=weights,
        gain_cashable=np.array([g.basis == "cashable" for g in terms.gain_share], dtype=bool).reshape(G),
        gain_window=window,
        pay_payer=ints([index[o.payer_ids[0]] for o in ops], M),
        pay_payee=ints([index[o.payee] for o in ops], M),
        pay_top_up_payer=ints([index[o.top_up.payer] if o.top_up else -1 for o in ops], M),
        pay_outcome=ints([outcome_names.index(o.outcomes[0]) for o in ops], M),
        pay_net=np.array([o.basis == "net" for o in ops], dtype=bool).reshape(M),
        pay_optimism_bias=np.array([o.optimism_bias for o in ops], dtype=bool).reshape(M),
        fixed_from=ints([index[p.from_] for p in terms.payments], F),
        fixed_to=ints([index[p.to] for p in terms.payments], F),
        params=params,
        names={"gain_share": names[:G], "outcome_payments": names[G:G + M], "payments": names[G + M:G + M + F],
               "investments": names[G + M + F:]},
        investments=[(index[v.investor], index[v.provider]) for v in terms.investments or []],
        contracts=contracts,
        pay_cash_factor=pay_cash if any(o.terms == "cash" for o in ops) else None,
    )


def _cash_factors(model: CompiledModel, path: str) -> np.ndarray:
    """The cash factor of each appraisal year (:func:`cba.method._cash.cash_factors`), or an error naming ``path``."""
    from cba.method._cash import cash_factors

    iv = model.intervention
    if model.deflator is None:
        raise ModelError([(f"{path}.terms", "cash amounts need the model's deflator series")])
    try:
        return cash_factors(model.deflator, iv.price_base, iv.start_year or iv.price_base, model.horizon)
    except CBAError as exc:
        raise ModelError([(f"{path}.terms", f"cash amounts: {exc}")]) from None
