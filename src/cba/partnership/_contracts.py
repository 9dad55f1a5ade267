"""Outcomes contracts as signed: rate cards, ladders, per-person caps, several payers, a top-up award.

An outcome-payment agreement in its simplest form (one outcome, one price, one
payer) is evaluated for all such agreements at once by
:func:`cba.partnership._evaluate.outcome_payment_amounts`. An agreement written as a
contract is signed (:class:`cba.model.OutcomePayment` with ``tariffs``, ``payers``,
``payment_lag``, ``funded_count``, ``threshold_overall`` or a top-up ``award``) is
compiled here by :func:`compile_contract` and evaluated by :func:`contract_payments`,
vectorised over draws; the loop is over its tariffs and rungs only.

How the money is counted, for participants starting in intake year ``c``:

1. participants: the cohort of the agreement's first outcome times its engagement
   rate times ``funded_share``; with ``funded_count``, the first participants in
   intake order up to that number (each intake year's participants of every
   outcome are scaled by the same funded fraction);
2. each tariff's outcome is achieved by its own outcome's participants times its
   success rate (on ``basis``, after optimism bias), unless a threshold fails: a
   tariff pays when its outcome's rate reaches ``threshold`` (per cohort, that is per
   outcome) or when the participant-weighted rate across the card reaches
   ``threshold_overall``; with only one of them given, that one decides;
3. rung ``k`` of a ladder is reached by the achievers times the product of the
   ``reach`` of rungs ``1..k``, ``lag`` years after rung ``k-1`` (rung 1: in the
   year the outcome is achieved); its price is cut so that no participant is paid
   more than ``per_person_cap`` over the ladder: a participant reaching rung ``k``
   earns ``min(price_1 + ... + price_k, cap)``;
4. the attachment fee is paid per participant in the intake year; every payment
   is made ``payment_lag`` years later (payments beyond the horizon are not counted);
5. payments are capped at ``cap_per_year`` in each year and at ``cap``, the contract
   maximum, in time order; in the year that crosses the maximum every tariff (and
   the attachment fees) is paid the same fraction of what it earned (pro rata);
6. the top-up pays ``share`` of each capped payment until its ``award`` is used up;
   the rest is split between the payers: by their shares, each until its
   ``maximum`` (what a payer past its maximum would have paid is not moved to the
   others), or in the order listed, each paying until its maximum is reached;
   whatever no payer covers is **unfunded**: reported, and not paid to the payee.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from cba.engine._compiled import CompiledModel
from cba.model._outcome_terms import Amounts, OutcomePayment

_INF = float("inf")


def engine_parameter(model: CompiledModel, overrides: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    """An engine parameter per draw (the base value with a draws axis of 1 when not varied)."""
    return np.asarray(overrides[name]) if name in overrides else model.params[name][None]


def shift_by_lag(by_intake: np.ndarray, lag: np.ndarray) -> np.ndarray:
    """Move amounts from the year of intake ``c`` to year ``c + lag`` (dropped past the horizon).

    Parameters
    ----------
    by_intake : numpy.ndarray
        ``(D, M, H)`` amounts by year of intake.
    lag : numpy.ndarray of int
        ``(D|1, M)`` whole years.
    """
    D, M, H = by_intake.shape
    lag = np.broadcast_to(np.asarray(lag, dtype=int), (D, M))
    target = np.arange(H)[None, None, :] + lag[..., None]             # (D, M, H)
    out = np.zeros((D, M, H + 1))
    # every amount landing past the horizon goes to the spare column H and is dropped
    np.put_along_axis(out, np.minimum(target, H), by_intake, axis=-1)
    return out[..., :H]


def capped(amounts: np.ndarray, per_year: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Amounts ``(D, M, H)`` capped at ``per_year`` each year and ``total`` in all, in year order."""
    x = np.minimum(amounts, per_year[..., None])
    if np.isfinite(total).any():
        cum = np.minimum(np.cumsum(x, axis=-1), total[..., None])
        x = np.diff(cum, axis=-1, prepend=0.0)
    return x


def _cumulative_cap(amounts: np.ndarray, most: float) -> np.ndarray:
    """``(D, H)`` amounts paid in year order until ``most`` in all is reached."""
    if not np.isfinite(most):
        return amounts
    return np.diff(np.minimum(np.cumsum(amounts, axis=-1), most), axis=-1, prepend=0.0)


def marginal_prices(prices: np.ndarray, per_person_cap: float) -> np.ndarray:
    """Rung prices ``(K, H)`` cut so that no participant earns more than ``per_person_cap``.

    A participant reaching rung ``k`` earns ``min(p_1 + ... + p_k, cap)``, so rung
    ``k`` pays ``min(P_k, cap) - min(P_(k-1), cap)`` with ``P_k`` the cumulative price.

    >>> marginal_prices(np.array([[4000.0], [4000.0], [4000.0]]), 10000.0)[:, 0]
    array([4000., 4000., 2000.])
    """
    if not np.isfinite(per_person_cap):
        return prices
    cum = np.minimum(np.cumsum(prices, axis=0), per_person_cap)
    return np.diff(cum, axis=0, prepend=0.0)


@dataclass(frozen=True)
class CompiledContract:
    """One contract-form agreement as arrays (see the module docstring).

    Attributes
    ----------
    index : int
        The agreement's position among the deal's outcome payments.
    cohort : int
        Outcome index of the agreement's participants (its first tariff's outcome).
    tariff_names : list of str
        ``(T,)`` names of the rate card's tariffs.
    tariff_outcome : numpy.ndarray of int
        ``(T,)`` outcome index of each tariff.
    rung_tariff, rung_lag : numpy.ndarray of int
        ``(R,)`` each rung's tariff and its lag after the outcome is achieved.
    rung_reach : numpy.ndarray
        ``(R,)`` share of a tariff's achievers that reach each rung.
    rung_price : numpy.ndarray
        ``(R, H)`` price of each rung by intake year, after the per-person cap.
    fee : numpy.ndarray
        ``(H,)`` attachment fee by intake year.
    payers : numpy.ndarray of int
        Partner index of each payer, in the order listed.
    payer_share, payer_maximum : numpy.ndarray
        Each payer's share (``NaN`` when paying in order) and maximum (``inf``: none).
    """

    index: int
    cohort: int
    net: bool
    optimism_bias: bool
    funded_share: float
    funded_count: float
    threshold: float
    threshold_overall: float
    cap_per_year: float
    cap: float
    payment_lag: int
    tariff_names: list[str]
    tariff_outcome: np.ndarray
    rung_tariff: np.ndarray
    rung_lag: np.ndarray
    rung_reach: np.ndarray
    rung_price: np.ndarray
    fee: np.ndarray
    payers: np.ndarray
    payer_share: np.ndarray
    payer_maximum: np.ndarray
    in_order: bool
    top_up_payer: int
    top_up_share: float
    top_up_award: float


def compile_contract(term: OutcomePayment, m: int, index: Mapping[str, int], outcome_names: list[str],
                     by_year: Callable[[Amounts], np.ndarray], factor: float) -> CompiledContract:
    """Compile one contract-form agreement; ``by_year`` turns a price into ``(H,)`` by intake year
    and ``factor`` is the uplift of its price year to the price base."""
    card = term.card
    rung_tariff, rung_lag, rung_reach, prices = [], [], [], []
    for j, tariff in enumerate(card):
        ladder = tariff.ladder()
        raw = np.array([by_year(r.price) * factor for r in ladder])              # (K, H)
        cap = _INF if tariff.per_person_cap is None else tariff.per_person_cap * factor
        prices.append(marginal_prices(raw, cap))
        lag, reach = 0, 1.0
        for r in ladder:
            lag += r.lag
            reach *= r.reach
            rung_tariff.append(j)
            rung_lag.append(lag)
            rung_reach.append(reach)
    payers = term.payers or []

    def number(x: float | None, default: float) -> float:
        return default if x is None else float(x)

    return CompiledContract(
        index=m, cohort=outcome_names.index(card[0].outcome), net=term.basis == "net",
        optimism_bias=term.optimism_bias, funded_share=float(term.funded_share),
        funded_count=number(term.funded_count, _INF), threshold=number(term.threshold, np.nan),
        threshold_overall=number(term.threshold_overall, np.nan),
        cap_per_year=number(term.cap_per_year, _INF), cap=number(term.cap, _INF),
        payment_lag=int(term.payment_lag or 0),
        tariff_names=[t.name or t.outcome for t in card],
        tariff_outcome=np.array([outcome_names.index(t.outcome) for t in card], dtype=int),
        rung_tariff=np.array(rung_tariff, dtype=int), rung_lag=np.array(rung_lag, dtype=int),
        rung_reach=np.array(rung_reach, dtype=float), rung_price=np.concatenate(prices, axis=0),
        fee=by_year(term.attachment_fee) * factor,
        payers=np.array([index[p.payer] for p in payers] if payers else [index[str(term.payer)]], dtype=int),
        payer_share=np.array([number(p.share, np.nan) for p in payers] if payers else [1.0], dtype=float),
        payer_maximum=np.array([number(p.maximum, _INF) for p in payers] if payers else [_INF], dtype=float),
        in_order=term.split == "in_order",
        top_up_payer=index[term.top_up.payer] if term.top_up is not None else -1,
        top_up_share=float(term.top_up.share) if term.top_up is not None else 0.0,
        top_up_award=number(term.top_up.award, _INF) if term.top_up is not None else _INF,
    )


@dataclass(frozen=True)
class ContractMoney:
    """What one contract-form agreement pays, ``(D, H)`` real pounds at the price base.

    Attributes
    ----------
    earned : numpy.ndarray
        What the outcomes and fees earn before any cap.
    paid : numpy.ndarray
        What is due after the caps (the contract maximum and the yearly cap).
    by_tariff : numpy.ndarray
        ``(D, T, H)`` what each tariff is due after the caps (pro rata in a year cut by
        a cap); the attachment fees are ``paid - by_tariff.sum(1)``.
    by_payer : numpy.ndarray
        ``(D, J, H)`` what each payer pays, in the order listed.
    top_up : numpy.ndarray
        What the top-up pays (zero without one).
    unfunded : numpy.ndarray
        What is due but no payer covers (past every maximum); the payee is not paid it.
    """

    earned: np.ndarray
    paid: np.ndarray
    by_tariff: np.ndarray
    by_payer: np.ndarray
    top_up: np.ndarray
    unfunded: np.ndarray


def contract_payments(model: CompiledModel, c: CompiledContract, engine_overrides: Mapping[str, np.ndarray],
                      D: int) -> ContractMoney:
    """The money of one contract-form agreement for every draw (see the module docstring)."""
    H = model.horizon

    def outcome_param(name: str) -> np.ndarray:
        return np.broadcast_to(engine_parameter(model, engine_overrides, name), (D, model.n_outcomes))

    cohort = np.broadcast_to(engine_parameter(model, engine_overrides, "cohort"), (D, model.n_outcomes, H))
    engagement = outcome_param("engagement")
    success, deadweight = outcome_param("success"), outcome_param("deadweight")
    ob, lag = outcome_param("outcome_ob"), outcome_param("lag")
    rate = success * (1.0 - deadweight) if c.net else success                       # (D, O)
    participants = cohort * (engagement * c.funded_share)[..., None]                # (D, O, H)
    if np.isfinite(c.funded_count):  # the first participants, in intake order, up to the count
        base = participants[:, c.cohort, :]
        funded = np.diff(np.minimum(np.cumsum(base, axis=-1), c.funded_count), axis=-1, prepend=0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(base > 0, funded / np.where(base > 0, base, 1.0), 0.0)
        participants = participants * fraction[:, None, :]

    # which tariffs pay: their own outcome's rate, or the card's participant-weighted rate
    outcome_of = c.tariff_outcome
    tariff_rate = rate[:, outcome_of]                                               # (D, T)
    own = tariff_rate >= c.threshold if not np.isnan(c.threshold) else None
    overall = None
    if not np.isnan(c.threshold_overall):
        unique = np.unique(outcome_of)
        weights = participants[:, unique, :].sum(axis=-1)                           # (D, U)
        with np.errstate(invalid="ignore", divide="ignore"):
            card_rate = (weights * rate[:, unique]).sum(axis=-1) / weights.sum(axis=-1)
        overall = np.broadcast_to((card_rate >= c.threshold_overall)[:, None], tariff_rate.shape)
    if own is None and overall is None:
        pays = np.ones(tariff_rate.shape, dtype=bool)
    elif own is None:
        pays = np.asarray(overall)
    elif overall is None:
        pays = own
    else:
        pays = own | overall

    achieved_rate = tariff_rate * np.where(c.optimism_bias, 1.0 - ob[:, outcome_of], 1.0) * pays   # (D, T)
    T = len(c.tariff_names)
    by_tariff = np.zeros((D, T, H))
    for r in range(len(c.rung_tariff)):
        j = int(c.rung_tariff[r])
        o = int(outcome_of[j])
        due = participants[:, o, :] * (achieved_rate[:, j] * c.rung_reach[r])[:, None] * c.rung_price[r][None, :]
        when = lag[:, o].astype(int) + int(c.rung_lag[r]) + c.payment_lag
        by_tariff[:, j, :] += shift_by_lag(due[:, None, :], when[:, None])[:, 0, :]
    fees = shift_by_lag((participants[:, c.cohort, :] * c.fee[None, :])[:, None, :],
                        np.full((D, 1), c.payment_lag))[:, 0, :]
    earned = fees + by_tariff.sum(axis=1)
    paid = capped(earned[:, None, :], np.array([[c.cap_per_year]]), np.array([[c.cap]]))[:, 0, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        kept = np.where(earned > 0, paid / np.where(earned > 0, earned, 1.0), 0.0)   # pro rata in a cut year
    by_tariff = by_tariff * kept[:, None, :]

    top = _cumulative_cap(paid * c.top_up_share, c.top_up_award) if c.top_up_payer >= 0 else np.zeros_like(paid)
    rest = paid - top
    J = len(c.payers)
    by_payer = np.zeros((D, J, H))
    if c.in_order:  # payer j covers the slice of the cumulative bill between the maxima before it and its own
        bill = np.cumsum(rest, axis=-1)
        before = 0.0
        for j in range(J):
            most = c.payer_maximum[j]
            covered = np.clip(bill - before, 0.0, most)
            by_payer[:, j, :] = np.diff(covered, axis=-1, prepend=0.0)
            before += most
    else:
        for j in range(J):
            by_payer[:, j, :] = _cumulative_cap(rest * c.payer_share[j], c.payer_maximum[j])
    unfunded = rest - by_payer.sum(axis=1)
    return ContractMoney(earned=earned, paid=paid, by_tariff=by_tariff, by_payer=by_payer, top_up=top,
                         unfunded=unfunded)
