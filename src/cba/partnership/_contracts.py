"""Outcomes contracts as signed: rate cards, ladders, per-person caps, several payers, a top-up award.

An outcome-payment agreement in its simplest form (one outcome, one price, one
payer) is evaluated for all such agreements at once by
:func:`cba.partnership._evaluate.outcome_payment_amounts`. An agreement written as a
contract is signed (:class:`cba.model.OutcomePayment` with ``tariffs``, ``payers``,
``payment_lag``, ``funded_count``, ``threshold_overall`` or a top-up ``award``) is
compiled here by :func:`compile_contracts` and evaluated by :func:`contract_payments`,
vectorised over draws; the loop is over its tariffs and rungs only.

How the money is counted, for participants starting in intake year ``c``:

1. participants: the cohort of the agreement's first outcome times its engagement
   rate times ``funded_share``; with ``funded_count``, the first participants in
   intake order up to that number (each intake year's participants of every
   outcome are scaled by the same funded fraction);
2. each tariff's outcome is achieved by its own outcome's participants times its
   success rate (on ``basis``, after optimism bias), times ``1 - rate`` of the tariff it
   is an alternative to (``unless``: as if the outcomes were independent), unless a
   threshold fails: a
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
    if M == 1 and D and lag[0, 0] >= 0 and (lag == lag[0, 0]).all():   # one lag for every draw: a slice
        out1 = np.zeros((D, 1, H))
        k = int(lag[0, 0])
        if k < H:
            out1[..., k:] = by_intake[..., :H - k]
        return out1
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


@dataclass(frozen=True)
class CompiledContract:
    """One contract-form agreement: where its terms are in the deal's parameters.

    Its numbers are kept in :attr:`cba.partnership._compile.CompiledDeal.params`, so
    that an uncertainty analysis can vary them like any deal term: the agreement's own
    row ``index`` of the ``deal.outcome_payments.*`` arrays, and its slices of the rows
    of every contract's tariffs (``tariffs``), rungs (``rungs``) and payers
    (``payers``).

    Attributes
    ----------
    index : int
        The agreement's position among the deal's outcome payments.
    cohort : int
        Outcome index of the agreement's participants (its first tariff's outcome).
    tariff_names : list of str
        Names of the rate card's tariffs.
    tariff_outcome : numpy.ndarray of int
        ``(T,)`` outcome index of each tariff.
    rung_tariff, rung_lag : numpy.ndarray of int
        ``(R,)`` each rung's tariff (within the card) and its lag after the outcome
        is achieved.
    payers : numpy.ndarray of int
        Partner index of each payer, in the order listed.
    """

    index: int
    cohort: int
    net: bool
    optimism_bias: bool
    payment_lag: int
    tariff_names: list[str]
    tariff_outcome: np.ndarray
    tariffs: slice
    tariff_unless: np.ndarray
    rung_tariff: np.ndarray
    rung_lag: np.ndarray
    rungs: slice
    payers: np.ndarray
    payer_rows: slice
    in_order: bool
    top_up_payer: int


#: The contract terms kept as deal parameters, with their base shape (``R`` rungs and
#: ``T`` tariffs of every contract, ``J`` payers of every contract, ``M`` agreements).
CONTRACT_PARAMETER_SHAPES = {
    "deal.outcome_payments.rung_price": ("R", "H"),
    "deal.outcome_payments.rung_reach": ("R",),
    "deal.outcome_payments.per_person_cap": ("T",),
    "deal.outcome_payments.payer_share": ("J",),
    "deal.outcome_payments.payer_maximum": ("J",),
    "deal.outcome_payments.top_up_award": ("M",),
    "deal.outcome_payments.funded_count": ("M",),
    "deal.outcome_payments.threshold_overall": ("M",),
}


def compile_contracts(terms: list[OutcomePayment], index: Mapping[str, int], outcome_names: list[str],
                      by_year: Callable[[Amounts], np.ndarray], factors: list[float], H: int
                      ) -> tuple[dict[int, CompiledContract], dict[str, np.ndarray]]:
    """Compile every contract-form agreement of a deal: the contracts, and the base values of
    :data:`CONTRACT_PARAMETER_SHAPES` (``by_year`` turns a price into ``(H,)`` by intake year;
    ``factors[m]`` uplifts agreement ``m``'s prices to the price base)."""
    contracts: dict[int, CompiledContract] = {}
    prices: list[np.ndarray] = []
    reaches: list[float] = []
    caps: list[float] = []
    shares: list[float] = []
    maxima: list[float] = []
    M = len(terms)
    award, count, overall = np.full(M, _INF), np.full(M, _INF), np.full(M, np.nan)
    for m, term in enumerate(terms):
        if term.is_simple:
            continue
        f = factors[m]
        card = term.card
        t0, r0, j0 = len(caps), len(reaches), len(shares)
        rung_tariff, rung_lag = [], []
        for j, tariff in enumerate(card):
            caps.append(_INF if tariff.per_person_cap is None else tariff.per_person_cap * f)
            lag = 0
            for rung in tariff.ladder():
                lag += rung.lag
                rung_tariff.append(j)
                rung_lag.append(lag)
                prices.append(by_year(rung.price) * f)
                reaches.append(float(rung.reach))
        payers = term.payers or []
        if payers:
            shares += [np.nan if p.share is None else float(p.share) for p in payers]
            maxima += [_INF if p.maximum is None else float(p.maximum) * f for p in payers]
            ids = [index[p.payer] for p in payers]
        else:
            shares.append(1.0)
            maxima.append(_INF)
            ids = [index[str(term.payer)]]
        if term.top_up is not None and term.top_up.award is not None:
            award[m] = float(term.top_up.award) * f
        if term.funded_count is not None:
            count[m] = float(term.funded_count)
        if term.threshold_overall is not None:
            overall[m] = float(term.threshold_overall)
        contracts[m] = CompiledContract(
            index=m, cohort=outcome_names.index(card[0].outcome), net=term.basis == "net",
            optimism_bias=term.optimism_bias, payment_lag=int(term.payment_lag or 0),
            tariff_names=[t.name or t.outcome for t in card],
            tariff_outcome=np.array([outcome_names.index(t.outcome) for t in card], dtype=int),
            tariffs=slice(t0, len(caps)),
            tariff_unless=np.array([[t.name or t.outcome for t in card].index(t.unless) if t.unless else -1
                                    for t in card], dtype=int),
            rung_tariff=np.array(rung_tariff, dtype=int),
            rung_lag=np.array(rung_lag, dtype=int), rungs=slice(r0, len(reaches)),
            payers=np.array(ids, dtype=int), payer_rows=slice(j0, len(shares)),
            in_order=term.split == "in_order",
            top_up_payer=index[term.top_up.payer] if term.top_up is not None else -1)
    params = {
        "deal.outcome_payments.rung_price": np.array(prices, dtype=float).reshape(len(prices), H),
        "deal.outcome_payments.rung_reach": np.array(reaches, dtype=float),
        "deal.outcome_payments.per_person_cap": np.array(caps, dtype=float),
        "deal.outcome_payments.payer_share": np.array(shares, dtype=float),
        "deal.outcome_payments.payer_maximum": np.array(maxima, dtype=float),
        "deal.outcome_payments.top_up_award": award,
        "deal.outcome_payments.funded_count": count,
        "deal.outcome_payments.threshold_overall": overall,
    }
    return contracts, params


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


def _cumulative_caps(amounts: np.ndarray, most: np.ndarray) -> np.ndarray:
    """``(D, H)`` amounts paid in year order until ``most`` (``(D,)``, ``inf`` for none) in all
    (the amounts themselves, untouched by rounding, where there is no limit)."""
    if not np.isfinite(most).any():
        return amounts
    capped_ = np.diff(np.minimum(np.cumsum(amounts, axis=-1), most[:, None]), axis=-1, prepend=0.0)
    return np.where(np.isfinite(most)[:, None], capped_, amounts)


def _add_shifted(into: np.ndarray, due: np.ndarray, when: np.ndarray) -> None:
    """Add ``due`` ``(D, H)`` by year of intake to ``into`` ``(D, H)`` in year ``c + when``
    (``(D,)`` whole years; dropped past the horizon): :func:`shift_by_lag`, added in place."""
    H = due.shape[-1]
    k = int(when[0]) if len(when) else 0
    if k >= 0 and (when == k).all():   # one lag for every draw: a slice
        if k < H:
            into[:, k:] += due[:, :H - k]
        return
    into += shift_by_lag(due[:, None, :], when[:, None])[:, 0, :]


def contract_payments(model: CompiledModel, c: CompiledContract, engine_overrides: Mapping[str, np.ndarray],
                      term: Callable[[str], np.ndarray], D: int) -> ContractMoney:
    """The money of one contract-form agreement for every draw (see the module docstring).

    ``term(name)`` gives the deal parameter ``name`` per draw, ``(D|1, ...)`` (its base
    value, or an uncertainty analysis's draws of it).
    """
    H, m = model.horizon, c.index

    def own(name: str) -> np.ndarray:                   # the agreement's value of an (M,) term, (D,)
        return np.broadcast_to(term(f"deal.outcome_payments.{name}")[:, m], (D,))

    def outcome_param(name: str) -> np.ndarray:
        return np.broadcast_to(engine_parameter(model, engine_overrides, name), (D, model.n_outcomes))

    # participants of the card's outcomes only (U of them; ``at`` gives each outcome's place)
    used = np.unique(np.append(c.tariff_outcome, c.cohort))
    at = {int(o): i for i, o in enumerate(used)}
    cohort = np.broadcast_to(engine_parameter(model, engine_overrides, "cohort")[:, used, :], (D, len(used), H))
    success, deadweight = outcome_param("success"), outcome_param("deadweight")
    ob, lag = outcome_param("outcome_ob"), outcome_param("lag")
    rate = success * (1.0 - deadweight) if c.net else success                       # (D, O)
    participants = cohort * (outcome_param("engagement")[:, used] * own("funded_share")[:, None])[..., None]
    count = own("funded_count")
    if np.isfinite(count).any():  # the first participants, in intake order, up to the count
        base = participants[:, at[c.cohort], :]
        funded = _cumulative_caps(base, count)
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(base > 0, funded / np.where(base > 0, base, 1.0), 0.0)
        participants = participants * fraction[:, None, :]

    # which tariffs pay: their own outcome's rate, or the card's participant-weighted rate
    outcome_of = c.tariff_outcome
    tariff_rate = rate[:, outcome_of]                                               # (D, T)
    threshold, overall = own("threshold"), own("threshold_overall")
    has_own, has_all = ~np.isnan(threshold)[:, None], ~np.isnan(overall)[:, None]
    with np.errstate(invalid="ignore"):
        passes_own = tariff_rate >= threshold[:, None]
        passes_all = np.zeros((1, 1), dtype=bool)
        if has_all.any():   # the card's rate, weighted by participants, only where an overall threshold is set
            unique = np.unique(outcome_of)
            weights = participants[:, [at[int(o)] for o in unique], :].sum(axis=-1)     # (D, U)
            with np.errstate(divide="ignore"):
                card_rate = (weights * rate[:, unique]).sum(axis=-1) / weights.sum(axis=-1)
            passes_all = (card_rate >= overall)[:, None]
    pays = np.where(has_own & has_all, passes_own | passes_all,
                    np.where(has_own, passes_own, np.where(has_all, passes_all, True)))

    achieved_rate = tariff_rate * np.where(c.optimism_bias, 1.0 - ob[:, outcome_of], 1.0) * pays   # (D, T)
    for j, other in enumerate(c.tariff_unless.tolist()):
        if other >= 0:  # an alternative: only those who do not achieve the other tariff's outcome
            achieved_rate[:, j] = achieved_rate[:, j] * (1.0 - np.clip(tariff_rate[:, other], 0.0, 1.0))
    # (D|1, ...): a term that is not varied is worked on once, not once per draw
    price = term("deal.outcome_payments.rung_price")[:, c.rungs]                   # (D|1, R, H)
    reach = term("deal.outcome_payments.rung_reach")[:, c.rungs]                   # (D|1, R)
    per_person = term("deal.outcome_payments.per_person_cap")[:, c.tariffs]        # (D|1, T)
    T = len(c.tariff_names)
    by_tariff = np.zeros((D, T, H))
    for j in range(T):
        rows = np.nonzero(c.rung_tariff == j)[0]
        o = int(outcome_of[j])
        reached = np.cumprod(reach[:, rows], axis=1)                                # (D, K)
        earned_by = np.minimum(np.cumsum(price[:, rows, :], axis=1), per_person[:, j, None, None])
        marginal = np.diff(earned_by, axis=1, prepend=0.0)                         # (D, K, H): capped per person
        for k, r in enumerate(rows):
            due = participants[:, at[o], :] * (achieved_rate[:, j] * reached[:, k])[:, None] * marginal[:, k, :]
            when = lag[:, o].astype(int) + int(c.rung_lag[r]) + c.payment_lag
            _add_shifted(by_tariff[:, j, :], due, when)
    fee = np.broadcast_to(term("deal.outcome_payments.attachment_fee")[:, m, :], (D, H))
    fees = shift_by_lag((participants[:, at[c.cohort], :] * fee)[:, None, :], np.full((D, 1), c.payment_lag))[:, 0, :]
    earned = fees + by_tariff.sum(axis=1)
    paid = capped(earned[:, None, :], own("cap_per_year")[:, None], own("cap")[:, None])[:, 0, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        kept = np.where(earned > 0, paid / np.where(earned > 0, earned, 1.0), 0.0)   # pro rata in a cut year
    by_tariff = by_tariff * kept[:, None, :]

    if c.top_up_payer >= 0:
        top = _cumulative_caps(paid * own("top_up_share")[:, None], own("top_up_award"))
    else:
        top = np.zeros_like(paid)
    rest = paid - top
    shares = np.broadcast_to(term("deal.outcome_payments.payer_share")[:, c.payer_rows], (D, len(c.payers)))
    maxima = np.broadcast_to(term("deal.outcome_payments.payer_maximum")[:, c.payer_rows], (D, len(c.payers)))
    by_payer = np.zeros((D, len(c.payers), H))
    if c.in_order:  # payer j covers the slice of the cumulative bill between the maxima before it and its own
        bill = np.cumsum(rest, axis=-1)
        before = np.zeros(D)
        for j in range(len(c.payers)):
            if np.isinf(maxima[:, j]).all() and not before.any():
                by_payer[:, j, :] = rest                      # the first payer with no maximum pays it all
                before = maxima[:, j].copy()
                continue
            covered = np.clip(bill - before[:, None], 0.0, maxima[:, j, None])
            by_payer[:, j, :] = np.diff(covered, axis=-1, prepend=0.0)
            before = before + maxima[:, j]
        beyond = np.maximum(bill - before[:, None], 0.0)     # past every payer's maximum
        unfunded = np.diff(np.where(np.isfinite(before)[:, None], beyond, 0.0), axis=-1, prepend=0.0)
    else:
        unfunded = np.zeros((D, H))
        for j in range(len(c.payers)):
            due = rest * shares[:, j, None]
            by_payer[:, j, :] = _cumulative_caps(due, maxima[:, j])
            unfunded = unfunded + (due - by_payer[:, j, :])   # what this payer's maximum leaves unpaid
    return ContractMoney(earned=earned, paid=paid, by_tariff=by_tariff, by_payer=by_payer, top_up=top,
                         unfunded=unfunded)
