"""Deal terms written back in the INDIGO data standard: a project JSON fragment.

:func:`to_indigo` writes an outcomes contract (an
:class:`~cba.model._outcome_terms.OutcomePayment`), its investors
(:class:`~cba.model._investment_terms.Investment`) and the agencies they name as the
parts of an INDIGO project that hold them (schema ``schema/project.json`` of
github.com/INDIGO-Initiative/indigo-data-standard, release 4.1.0): ``outcome_metrics``
and ``outcome_pricings`` (one of each per tariff, the metric's id being the tariff's
outcome and its definition the tariff's name), ``outcome_payment_commitments`` (each
payer, and a top-up payer, with its maximum), ``investments`` (each commitment as an
exact amount), ``service_provisions`` (the payee),
``overall_project_finance.maximum_potential_outcome_payment_v2`` (the contract
maximum) and ``organisations`` (the agencies' names), every value wrapped as
``{"value": ...}`` and every amount in pounds (``GBP``).

Reading the fragment back (:func:`cba.model._indigo.indigo_from_dict`) gives the same
terms exactly for terms the standard can hold, which are the terms reading a project
gives. The standard has no field for the rest (the basis, a payment lag, thresholds,
an attachment fee, a share of each payment that is not pro rata to the maxima, a
top-up's share, an investor's return cap and surplus share, ...): they are listed in
``overall_project_finance.notes`` (:func:`unwritten`), so that nothing is lost
silently, but are not read back. A price by year of intake and a ladder of rungs
cannot be written as one price per metric and are refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cba.core._errors import CBAError
from cba.model._agencies import display_name
from cba.model._indigo_values import PENNY
from cba.model._investment_terms import Investment
from cba.model._outcome_terms import OutcomePayment, Payer
from cba.model._settings import Agency

#: The currency of every amount cba writes: pounds.
CURRENCY = "GBP"
#: Fields of an outcomes contract with no place in the INDIGO standard, noted when not at their defaults.
_CONTRACT_ONLY = ("attachment_fee", "funded_share", "funded_count", "threshold", "threshold_overall", "cap_per_year",
                  "payment_lag", "optimism_bias", "price_year")


def _wrapped(value: Any) -> dict[str, Any]:
    return {"value": value}


def _amount(value: float) -> dict[str, Any]:
    return {"currency": _wrapped(CURRENCY), "amount": _wrapped(value)}


def _payers(payment: OutcomePayment) -> list[Payer]:
    return list(payment.payers) if payment.payers is not None else [Payer(payer=payment.payer)]


def _derived_shares(payers: list[Payer], cap: float | None) -> list[float] | None:
    """The shares reading the fragment back gives: each maximum over their sum, when the maxima sum to the cap."""
    maxima = [p.maximum for p in payers]
    if cap is None or any(m is None for m in maxima):
        return None
    total = sum(m for m in maxima if m is not None)
    if abs(total - cap) > PENNY or total <= 0:
        return None
    return [(m or 0.0) / total for m in maxima]


def unwritten(payment: OutcomePayment | None, investments: Sequence[Investment] = ()) -> list[tuple[str, str]]:
    """The terms the INDIGO standard has no field for, as ``(field path, value)``; not read back.

    >>> terms = OutcomePayment(payer="dclg", payee="provider", outcome="Into work", price=500, basis="net")
    >>> unwritten(terms)
    [('basis', 'net')]
    """
    out: list[tuple[str, str]] = []
    if payment is not None:
        if payment.basis != "gross":
            out.append(("basis", payment.basis))
        for name in _CONTRACT_ONLY:
            value = getattr(payment, name)
            if value != OutcomePayment.model_fields[name].default:
                out.append((name, str(value).lower() if isinstance(value, bool) else str(value)))
        payers = _payers(payment)
        derived = _derived_shares(payers, payment.cap)
        if payment.payers is not None and payment.split == "in_order":
            if derived is not None:
                out.append(("split", "in_order"))
            seen_unlimited = False
            for p in payers:
                seen_unlimited = seen_unlimited or p.maximum is None
                if seen_unlimited and p.maximum is not None:
                    out.append(("payers", "in order, a payer without a maximum before one with a maximum"))
                    break
        elif payment.payers is not None:
            for i, p in enumerate(payers):
                if derived is None or p.share != derived[i]:
                    out.append((f"payers[{i}].share", f"{p.share}"))
        if payment.top_up is not None:
            out.append(("top_up.share", f"{payment.top_up.share}"))
        for i, t in enumerate(payment.card):
            if t.per_person_cap is not None:
                out.append((f"tariffs[{i}].per_person_cap", f"{t.per_person_cap}"))
    for i, inv in enumerate(investments):
        for name in ("return_cap", "surplus_share", "price_year"):
            value = getattr(inv, name)
            if value != Investment.model_fields[name].default:
                out.append((f"investments[{i}].{name}", f"{value}"))
        if payment is not None and inv.provider != payment.payee:
            out.append((f"investments[{i}].provider", inv.provider))
    return out


def to_indigo(payment: OutcomePayment | None, investments: Sequence[Investment] = (),
              agencies: Sequence[Agency] = (), *, organisation_ids: Mapping[str, str] | None = None,
              project_id: str | None = None) -> dict[str, Any]:
    """Deal terms as an INDIGO project JSON fragment (plain data); see the module.

    Parameters
    ----------
    payment : OutcomePayment or None
        The outcomes contract (its rate card, payers, payee and maximum).
    investments : sequence of Investment
        The social investors' agreements.
    agencies : sequence of Agency
        Names of the agencies the terms name (others are named by :func:`~cba.model._agencies.display_name`).
    organisation_ids : mapping of str to str, optional
        Agency id -> INDIGO organisation id (:attr:`cba.model._indigo.IndigoProject.organisation_ids`);
        an agency not in it is written under its own id.
    project_id : str, optional
        The INDIGO project id (``INDIGO-POJ-...``).

    Raises
    ------
    CBAError
        A tariff priced by year of intake or as a ladder, or two tariffs for one
        outcome: the standard holds one price per outcome metric.

    Examples
    --------
    >>> terms = OutcomePayment(payer="dclg", payee="provider", outcome="Into work", price=500, basis="gross")
    >>> fragment = to_indigo(terms)
    >>> fragment["outcome_metrics"], fragment["outcome_pricings"][0]["price_per_unit"]
    ([{'id': 'Into work'}], {'amount': {'value': 500.0}})
    """
    ids = dict(organisation_ids or {})

    def org(agency: str) -> str:
        return ids.get(agency, agency)

    out: dict[str, Any] = {}
    if project_id:
        out["id"] = project_id
    referenced: list[str] = []
    if payment is not None:
        if payment.name:
            out["name"] = _wrapped(payment.name)
        out["outcome_metrics"], out["outcome_pricings"] = _rate_card(payment)
        commitments = []
        for p in _payers(payment):
            commitment: dict[str, Any] = {"organisation_id": _wrapped(org(p.payer))}
            if p.maximum is not None:
                commitment["maximum_potential_outcome_payment"] = _amount(p.maximum)
            commitments.append(commitment)
            referenced.append(p.payer)
        if payment.top_up is not None:
            top_up: dict[str, Any] = {"organisation_id": _wrapped(org(payment.top_up.payer))}
            if payment.top_up.award is not None:
                top_up["maximum_potential_outcome_payment"] = _amount(payment.top_up.award)
            commitments.append(top_up)
            referenced.append(payment.top_up.payer)
        out["outcome_payment_commitments"] = commitments
        out["service_provisions"] = [{"id": "serviceprovision1", "organisation_id": _wrapped(org(payment.payee))}]
        referenced.append(payment.payee)
    if investments:
        out["investments"] = []
        for inv in investments:
            record: dict[str, Any] = {}
            if inv.name:
                record["id"] = inv.name
            record["organisation_id"] = _wrapped(org(inv.investor))
            record["investment_commitment"] = {"currency": _wrapped(CURRENCY),
                                               "amount": {"exact": _wrapped(inv.commitment)}}
            out["investments"].append(record)
            referenced.append(inv.investor)
    finance: dict[str, Any] = {}
    if payment is not None and payment.cap is not None:
        finance["maximum_potential_outcome_payment_v2"] = _amount(payment.cap)
    missing = unwritten(payment, investments)
    if missing:
        finance["notes"] = ("Terms of the deal with no field in the INDIGO standard (written by cba, not read "
                            "back): " + "; ".join(f"{p}: {v}" for p, v in missing) + ".")
    if finance:
        out["overall_project_finance"] = finance
    names = {a.id: a.name for a in agencies}
    out["organisations"] = [{"id": org(a), "name": _wrapped(names.get(a, display_name(a)))}
                            for a in dict.fromkeys([*referenced, *names])]
    return out


def _rate_card(payment: OutcomePayment) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    metrics: list[dict[str, Any]] = []
    pricings: list[dict[str, Any]] = []
    single = payment.tariffs is None
    for i, t in enumerate(payment.card):
        where = "" if single else f"tariffs[{i}]."
        if t.rungs is not None:
            raise CBAError(f"{where}rungs: a ladder cannot be written in the INDIGO standard, which prices each "
                           "outcome metric once; give each rung as a tariff of its own")
        if isinstance(t.price, list):
            raise CBAError(f"{where}price: a price by year of intake cannot be written in the INDIGO standard, "
                           "which has one price per unit; give one price")
        if any(m["id"] == t.outcome for m in metrics):
            raise CBAError(f"{where}outcome: {t.outcome!r} has a tariff already; the INDIGO standard prices an "
                           "outcome metric once")
        metric: dict[str, Any] = {"id": t.outcome}
        if t.name:
            metric["definition"] = _wrapped(t.name)
        metrics.append(metric)
        pricings.append({"outcome_metric_id": _wrapped(t.outcome), "currency": _wrapped(CURRENCY),
                         "price_per_unit": {"amount": _wrapped(t.price)}})
    return metrics, pricings
