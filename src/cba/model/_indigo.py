"""An impact bond from the INDIGO data standard, read as deal terms.

The Government Outcomes Lab's INDIGO data standard (https://indigo-data-standard.readthedocs.io;
the schema ``schema/project.json`` of github.com/INDIGO-Initiative/indigo-data-standard,
release 4.1.0) describes a project (an impact bond or outcomes contract) as a JSON object.
:func:`read_indigo` reads one project file into an :class:`IndigoProject`: its rate card
as an :class:`~cba.model._outcome_terms.OutcomePayment`, its investors as
:class:`~cba.model._investment_terms.Investment` terms, the agencies a model must declare
for them, and a report of what does not add up. A project file is either the project's
data (as the INDIGO data store publishes it, with its ``id`` and its ``organisations``) or
the data store's API answer ``{"project": {"id": ..., "data": {...}}}``.

What is read, and the choices made where the standard says nothing:

- **The rate card.** One :class:`~cba.model._outcome_terms.Tariff` per entry of
  ``outcome_pricings`` with a price (``price_per_unit.amount``), in their order. Its
  ``outcome`` is the **id** of the outcome metric it prices (``outcome_metric_id``):
  ids are unique within a project and never change, where definitions are long
  sentences that may repeat. Rename the outcomes to the model's own. Its ``name`` is
  the first line of the metric's ``definition``, for tables.
- **The contract maximum.** ``cap`` is the project's maximum potential outcome payment
  (``overall_project_finance.maximum_potential_outcome_payment_v2.amount``, which the
  standard says "should be equal to contract cap").
- **The payers.** One :class:`~cba.model._outcome_terms.Payer` per organisation in
  ``outcome_payment_commitments``, up to its ``maximum_potential_outcome_payment``
  (the commitments of one organisation are added). The standard does not say how a
  payment is split between payers. When every payer states a maximum and the maxima
  sum to the contract maximum, each payer's ``share`` is its maximum over their sum
  (``split: shares``): paying every outcome pro rata, each reaches its commitment
  exactly at the contract maximum, as a co-commissioned contract with a central top-up
  fund does. Otherwise nothing supports a share and the payers pay ``in_order``, those
  with a maximum first, as listed, each until its maximum, then those without one.
- **The payee.** The standard names no party to be paid for outcomes. The payee is the
  single recipient of the project's ``outcome_payments`` if there is one, else its single
  service provider (``service_provisions``), else the agency ``provider`` (reported);
  ``payee=`` chooses it.
- **The basis.** Outcomes are counted ``gross``: a rate card pays for outcomes validated
  one by one, not against a comparison group. Change it for a contract that pays on
  outcomes net of a comparison group.
- **The investors.** One :class:`~cba.model._investment_terms.Investment` per entry of
  ``investments`` that states an amount: ``commitment`` is its exact amount, else the
  top of its range. The standard's maximum potential return is a rate of return (IRR or
  average annual), not the multiple of capital ``return_cap`` is, so ``return_cap`` is
  left unset; ``surplus_share`` is 0. Their provider is the payee.
- **The agencies.** Every organisation the terms name, as a declared agency: its INDIGO
  id made a cba id (:func:`~cba.model._indigo_values.agency_slug`: ``INDIGO-ORG-0171`` is
  ``indigo_org_0171``), named as in the project's ``organisations``. An organisation
  whose id is exactly a canonical agency's (``local_authority``, as cba writes one) is
  that agency, and is not declared.

Nothing is invented: a price, maximum or commitment the file does not give is left out
and reported. :attr:`IndigoProject.problems` lists, as ``(field path, message)``, what
does not add up (commitments that do not sum to the maximum, with both figures and the
difference; a metric with no price; a price for no metric; no maximum; no payer;
amounts in a currency other than pounds); a message starting ``note:`` is information
(the prices times the targets above the maximum is what a rate card under one maximum
is). Writing terms back in the standard is :func:`cba.model._indigo_write.to_indigo`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from cba.core._errors import CBAError, ModelError, in_file
from cba.core._files import parse_data, read_text
from cba.model._agencies import CANONICAL_AGENCIES, display_name
from cba.model._indigo_parts import Parts
from cba.model._indigo_values import PENNY, Values, agency_slug, money
from cba.model._investment_terms import Investment
from cba.model._outcome_terms import OutcomePayment, Payer, Tariff
from cba.model._settings import Agency

#: The agency paid for outcomes when the project names no single recipient or provider.
GENERIC_PAYEE = Agency(id="provider", name="Service provider")
T = TypeVar("T")


@dataclass(frozen=True)
class IndigoMetric:
    """An outcome metric of an INDIGO project, with its price and results where the file gives them."""

    id: str
    definition: str | None = None
    #: The targeted number of service users or beneficiaries for the metric (``targeted_number_...``).
    target: float | None = None
    #: What meets the metric (``outcome_metric_target``, text).
    target_text: str | None = None
    #: Its price per unit (``outcome_pricings[].price_per_unit.amount``); none when not priced.
    price: float | None = None
    #: Its pricing's "maximum price if all targets achieved".
    maximum_price: float | None = None
    #: Outcomes achieved: the sum of its ``Final`` results (interim results are progress, not added).
    achieved: float | None = None


@dataclass(frozen=True)
class IndigoProject:
    """An INDIGO project read as deal terms (see :mod:`cba.model._indigo`)."""

    source: str
    id: str | None
    name: str | None
    currency: str | None
    #: The maximum potential outcome payment (the contract cap).
    maximum: float | None
    metrics: list[IndigoMetric]
    #: The rate card; none when no metric is priced or no payer is named.
    payment: OutcomePayment | None
    payers: list[Payer]
    investments: list[Investment]
    #: The total investment commitment of ``overall_project_finance`` (exact, else the top of its range).
    total_investment: float | None
    agencies: list[Agency]
    #: cba agency id -> INDIGO organisation id, for writing the terms back.
    organisation_ids: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def deal(self) -> dict[str, Any]:
        """The ``agencies`` and ``partnership`` sections of a model file for these terms (plain data).

        The investments are in the ``partnership`` section only when the model's deal terms
        accept them (:class:`~cba.model._deal_terms.Partnership` has ``investments``).
        """
        from cba.model._deal_terms import Partnership

        section: dict[str, Any] = {}
        if self.name:
            section["name"] = self.name
        if self.payment is not None:
            section["outcome_payments"] = [_plain(self.payment)]
        agencies = [a.to_dict() for a in self.agencies]
        if self.investments and "investments" in Partnership.model_fields:
            section["investments"] = [_plain(i) for i in _one_per_provider(self.investments, agencies)]
        with_source(self.source, lambda: Partnership.from_dict(section))
        return {"agencies": agencies, "partnership": section}

    def to_dict(self) -> dict[str, Any]:
        """Everything read, as plain data (JSON types): the terms as in a model file."""
        return {
            "source": self.source, "id": self.id, "name": self.name, "currency": self.currency,
            "maximum": self.maximum, "total_investment": self.total_investment,
            "metrics": [vars(m).copy() for m in self.metrics],
            "payment": None if self.payment is None else self.payment.to_dict(),
            "payers": [p.to_dict() for p in self.payers],
            "investments": [i.to_dict() for i in self.investments],
            "agencies": [{**a.to_dict(), "indigo_id": self.organisation_ids.get(a.id)} for a in self.agencies],
            "problems": [{"path": p, "message": m} for p, m in self.problems],
        }


def _one_per_provider(investments: list[Investment], agencies: list[dict[str, Any]]) -> list[Investment]:
    """The investments as a deal takes them: several investors in one provider are one syndicate,
    repaid pari passu, so each keeps its own investment when their return caps agree (an investor
    listed twice is one investment of its combined commitment); when their caps differ, which a
    pari passu waterfall cannot hold, they are pooled in one investor, ``investors``, with their
    combined commitment and no return cap, declared in ``agencies`` with its members named."""
    by_provider: dict[str, list[Investment]] = {}
    for inv in investments:
        by_provider.setdefault(inv.provider, []).append(inv)
    out: list[Investment] = []
    names = {a["id"]: a["name"] for a in agencies}
    for provider, group in by_provider.items():
        if len({inv.return_cap for inv in group}) == 1:
            merged: dict[str, Investment] = {}
            for inv in group:
                if inv.investor in merged:
                    first = merged[inv.investor]
                    inv = first.model_copy(update={"commitment": first.commitment + inv.commitment})
                merged[inv.investor] = inv
            out.extend(merged.values())
            continue
        syndicate = f"investors_{provider}" if len(by_provider) > 1 else "investors"
        members = ", ".join(names.get(inv.investor, inv.investor) for inv in group)
        agencies.append({"id": syndicate, "name": f"Investors ({members})"})
        out.append(Investment(name=f"Investment in {provider} ({len(group)} investors)", investor=syndicate,
                              provider=provider, commitment=sum(inv.commitment for inv in group)))
    return out


def _plain(terms: OutcomePayment | Investment) -> dict[str, Any]:
    """Terms as a model file writes them: set fields only, defaults left out."""
    return terms.model_dump(mode="json", exclude_none=True, exclude_defaults=True, by_alias=True)


def with_source(source: str, build: Callable[[], T]) -> T:
    """``build()``, with the file named in any mistake of the terms it builds."""
    try:
        return build()
    except ModelError as exc:
        raise in_file(source, exc) from None


# ---------------------------------------------------------------- reading
def read_indigo(path: str | Path, *, payee: str | None = None) -> IndigoProject:
    """Read an INDIGO project file (JSON) as deal terms.

    The file is checked and bounded before it is read (a regular file within the
    ``file_bytes`` limit, :func:`cba.core._files.read_text`) and parsed strictly as JSON.

    Parameters
    ----------
    path : str or Path
        The project's JSON file.
    payee : str, optional
        The agency id paid for outcomes (default: see :mod:`cba.model._indigo`).

    Raises
    ------
    CBAError
        The file cannot be read, is not JSON or not an object, or a field the terms
        need is malformed (a price that is text or a yes/no value, a metric without
        an id); the message names the file and the field.
    """
    p = Path(path)
    text = read_text(p, "INDIGO project file")
    return indigo_from_dict(parse_data(text, "INDIGO project file", source=str(p), format="json"), str(p),
                            payee=payee)


def indigo_from_dict(data: Any, source: str = "<INDIGO data>", *, payee: str | None = None) -> IndigoProject:
    """An INDIGO project's data (plain JSON data) as deal terms; ``source`` names it in messages.

    See :func:`read_indigo`.
    """
    if not isinstance(data, Mapping):
        raise CBAError(f"{source}: an INDIGO project file holds a JSON object (a mapping), got "
                       f"{'a list' if isinstance(data, list) else type(data).__name__}")
    project_id = None
    prefix = ""
    wrapped = data.get("project")
    if isinstance(wrapped, Mapping) and "data" in wrapped:     # the data store's API answer
        project_id, data, prefix = wrapped.get("id"), wrapped["data"], "project.data."
        if not isinstance(data, Mapping):
            raise CBAError(f"{source}: project.data: expected an object (a mapping)")
    v = Values(source, prefix)
    if project_id is None:
        project_id = v.text(data, "", "id")
    elif not isinstance(project_id, str):
        raise CBAError(f"{source}: project.id: expected text")
    return _Build(v, data, project_id, payee).project()


class _Build:
    """The terms of one project, built from its parts, with the problems found on the way."""

    def __init__(self, v: Values, data: Mapping[str, Any], project_id: str | None, payee: str | None) -> None:
        self.v, self.id = v, project_id
        self.parts = Parts(v, data)
        self.requested_payee = payee

    def project(self) -> IndigoProject:
        v, parts = self.v, self.parts
        payee_org, candidates = parts.payee() if self.requested_payee is None else (None, [])
        orgs = sorted({c.organisation for c in parts.commitments} | {s.organisation for s in parts.stakes}
                      | ({payee_org} if payee_org else set()))
        generic = self.requested_payee is None and payee_org is None
        slugs = _slugs(orgs, reserved={GENERIC_PAYEE.id} if generic else set())
        payee = self.requested_payee or (slugs[payee_org] if payee_org else GENERIC_PAYEE.id)
        if generic:
            v.note("service_provisions", (f"{len(candidates)} organisations ({', '.join(candidates)})" if candidates
                                          else "no organisation") + f" could be the payee; the payee is "
                   f"{GENERIC_PAYEE.id!r}: rename it to the partner paid for outcomes")
        payers, split = self._payers(slugs)
        tariffs = self._tariffs()
        payment = None
        if tariffs and payers:
            payment = with_source(v.source, lambda: OutcomePayment(
                name=parts.name, payers=payers, split=split, payee=payee, tariffs=tariffs, basis="gross",
                cap=parts.maximum))
        investments = [with_source(v.source, partial(Investment, name=s.id, investor=slugs[s.organisation],
                                                     provider=payee, commitment=s.commitment))
                       for s in parts.stakes if s.commitment is not None]
        self._check_investments(payee, slugs)
        self._check_card()
        self._check_currencies()
        if self.id is None:
            v.note("id", "the project has no INDIGO id")
        used = [*(p.payer for p in payers), *([payee] if payment or investments else []),
                *(i.investor for i in investments)]
        agencies = self._agencies(used, slugs)
        by_slug = {s: o for o, s in slugs.items()}
        priced = {p.metric: p for p in parts.pricings if p.price is not None}
        return IndigoProject(
            source=v.source, id=self.id, name=parts.name, currency=parts.main_currency(), maximum=parts.maximum,
            metrics=[IndigoMetric(id=k, definition=m["definition"], target=m["target"],
                                  target_text=m["target_text"], price=priced[k].price if k in priced else None,
                                  maximum_price=priced[k].maximum_price if k in priced else None,
                                  achieved=parts.achieved.get(k)) for k, m in parts.metrics.items()],
            payment=payment, payers=payers, investments=investments, total_investment=parts.total_investment,
            agencies=agencies, organisation_ids={a.id: by_slug[a.id] for a in agencies if a.id in by_slug},
            problems=list(v.problems))

    def _agencies(self, used: list[str], slugs: dict[str, str]) -> list[Agency]:
        by_slug = {s: o for o, s in slugs.items()}
        out: list[Agency] = []
        nameless = []
        for agency in dict.fromkeys(used):
            if agency in CANONICAL_AGENCIES:
                continue
            if agency == GENERIC_PAYEE.id and agency not in by_slug and self.requested_payee is None:
                out.append(GENERIC_PAYEE)
            elif agency in by_slug:
                org = by_slug[agency]
                if org not in self.parts.names:
                    nameless.append(org)
                out.append(Agency(id=agency, name=self.parts.names.get(org, org)))
            else:                                           # a payee chosen by its agency id
                out.append(Agency(id=agency, name=display_name(agency)))
        if nameless:
            self.v.note("organisations", f"no name for {', '.join(nameless)}; named by the INDIGO id")
        return out

    def _payers(self, slugs: dict[str, str]) -> tuple[list[Payer], str]:
        v, commitments, maximum = self.v, self.parts.commitments, self.parts.maximum
        if not commitments:
            v.note("outcome_payment_commitments", "no outcome payer is named; the rate card has no payer")
            return [], "in_order"
        stated = [c.maximum for c in commitments if c.maximum is not None]
        total = sum(stated)
        missing = [c for c in commitments if c.maximum is None]
        for c in missing:
            v.note(f"{c.path}.maximum_potential_outcome_payment", f"{c.organisation} states no maximum; it pays "
                   "after the payers with a maximum, without limit")
        if maximum is not None and stated and ((missing and total > maximum + PENNY)
                                               or (not missing and abs(total - maximum) > PENNY)):
            gap = total - maximum
            v.note("outcome_payment_commitments",
                   f"the payers' maximum potential outcome payments sum to {money(total)}, the project's maximum "
                   f"potential outcome payment is {money(maximum)}: {money(abs(gap))} "
                   f"{'more' if gap > 0 else 'less'} than the maximum")
        if maximum is not None and not missing and abs(total - maximum) <= PENNY and total > 0:
            return [Payer(payer=slugs[c.organisation], share=(c.maximum or 0.0) / total, maximum=c.maximum)
                    for c in commitments], "shares"
        ordered = [c for c in commitments if c.maximum is not None] + missing
        return [Payer(payer=slugs[c.organisation], maximum=c.maximum) for c in ordered], "in_order"

    def _tariffs(self) -> list[Tariff]:
        v, pricings, metrics = self.v, self.parts.pricings, self.parts.metrics
        tariffs, priced = [], []
        for p in pricings:
            if p.metric not in metrics:
                v.note(f"{p.path}.outcome_metric_id", f"{p.metric!r} is not an outcome metric of the project; "
                       "its tariff pays for an outcome of that name")
            if p.price is None:
                v.note(f"{p.path}.price_per_unit", f"no price per unit for {p.metric!r}; not on the rate card")
                continue
            if p.metric in priced:
                v.note(f"{p.path}.outcome_metric_id", f"{p.metric!r} is priced twice; the first price is on the "
                       "rate card, this one is not")
                continue
            priced.append(p.metric)
            definition = metrics.get(p.metric, {}).get("definition")
            tariffs.append(Tariff(name=definition.splitlines()[0].strip() if definition else None,
                                  outcome=p.metric, price=p.price))
        for metric_id, m in metrics.items():
            if metric_id not in priced:
                v.note(m["path"], f"outcome metric {metric_id!r} has no price; not on the rate card")
        if not tariffs:
            v.note("outcome_pricings", "no outcome metric is priced; there is no rate card")
        return tariffs

    def _check_card(self) -> None:
        v, parts = self.v, self.parts
        pricings, metrics, achieved, maximum = parts.pricings, parts.metrics, parts.achieved, parts.maximum
        if maximum is None:
            v.note("overall_project_finance.maximum_potential_outcome_payment_v2",
                   "no maximum potential outcome payment; the rate card has no contract maximum (cap)")
        most, counted, worth = 0.0, 0, 0.0
        for p in pricings:
            if p.price is None:
                continue
            target = metrics.get(p.metric, {}).get("target")
            if p.maximum_price is not None and target is not None and abs(p.price * target - p.maximum_price) > PENNY:
                v.note(f"{p.path}.maximum_price_if_all_targets_achieved",
                       f"{money(p.maximum_price)} is not the price {money(p.price)} times the target {target:g} "
                       f"({money(p.price * target)})")
            if p.maximum_price is not None:
                most, counted = most + p.maximum_price, counted + 1
            elif target is not None:
                most, counted = most + p.price * target, counted + 1
            worth += p.price * achieved.get(p.metric, 0.0)
        if maximum is not None and counted and most > maximum + PENNY:
            v.note("outcome_pricings", f"note: at the prices, every target met comes to {money(most)} ({counted} "
                   f"metrics), {money(most - maximum)} above the contract maximum of {money(maximum)}: normal for "
                   "a rate card under one maximum; payments stop at the maximum")
        if maximum is not None and achieved and any(p.price is not None for p in pricings):
            where = "above" if worth > maximum + PENNY else "within"
            v.note("results", f"note: at the prices, the outcomes achieved (final results) come to {money(worth)}, "
                   f"{where} the contract maximum of {money(maximum)}"
                   + (f" by {money(worth - maximum)}: payments stop at the maximum" if where == "above" else ""))

    def _check_investments(self, payee: str, slugs: dict[str, str]) -> None:
        v, stakes, total = self.v, self.parts.stakes, self.parts.total_investment
        unstated = [s for s in stakes if s.commitment is None]
        if unstated:
            v.note("investments", f"{len(unstated)} of {len(stakes)} investments state no amount; not read as terms"
                   + (f" (the project's total investment commitment is {money(total)})" if total is not None else ""))
        stated = [s.commitment for s in stakes if s.commitment is not None]
        if stated and not unstated and total is not None and abs(sum(stated) - total) > PENNY:
            v.note("overall_project_finance.total_investment_commitment",
                   f"the investments sum to {money(sum(stated))}, the total investment commitment is {money(total)}: "
                   f"{money(abs(sum(stated) - total))} {'more' if sum(stated) > total else 'less'}")
        for s in stakes:
            if s.commitment is not None and slugs[s.organisation] == payee:
                v.note(s.path, f"{s.organisation} invests in itself (it is also the payee)")
        returns = [s.maximum_return for s in stakes if s.maximum_return is not None and s.commitment is not None]
        if returns:
            v.note("investments", f"note: {len(returns)} investments state a maximum potential return "
                   f"({min(returns) * 100:.4g}% to {max(returns) * 100:.4g}%), a rate of return, not the multiple "
                   "of capital return_cap is; return_cap is left unset (no cap: every pound after the capital "
                   "goes to the investor)")

    def _check_currencies(self) -> None:
        v = self.v
        if not self.parts.currencies:
            v.note("currency", "the project states no currency; its amounts are read as pounds")
        others: dict[str, list[str]] = {}
        for path, code in self.parts.currencies:
            if code != "GBP":
                others.setdefault(code, []).append(path)
        for code, paths in others.items():
            more = f" (and {len(paths) - 1} other fields)" if len(paths) > 1 else ""
            v.note(paths[0], f"amounts in {code}, not pounds (GBP){more}: convert them before using them in a model")


def _slugs(organisations: list[str], reserved: set[str]) -> dict[str, str]:
    """Each INDIGO organisation id's agency id; ids that would meet (each other or a ``reserved`` id) get
    ``_2``, ``_3``, ... in sorted order."""
    out: dict[str, str] = {}
    taken = set(reserved)
    for org in sorted(organisations):
        if org in CANONICAL_AGENCIES:     # a canonical agency written under its own id
            out[org] = org
            continue
        slug = base = agency_slug(org)
        k = 1
        while slug in taken:
            k += 1
            slug = f"{base}_{k}"
        taken.add(slug)
        out[org] = slug
    return out
