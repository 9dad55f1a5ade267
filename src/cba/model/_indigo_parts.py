"""The parts of an INDIGO project the deal terms are built from, read and checked field by field.

:class:`Parts` reads, from one project's data, the outcome metrics, the pricings, the
final results, the outcome payment commitments, the maximum potential outcome payment,
the investments and the total investment commitment, the organisations' names, every
currency stated, and who may be the payee. A malformed field the terms need raises
:class:`~cba.core._errors.CBAError` naming the file and the field
(:class:`~cba.model._indigo_values.Values`); everything else the standard holds is not
read. How the terms are built from the parts is in :mod:`cba.model._indigo`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cba.model._indigo_values import Values, money


@dataclass
class Commitment:
    """An organisation's commitment to pay for outcomes, up to its maximum (none: not stated)."""

    path: str
    organisation: str
    maximum: float | None


@dataclass
class Pricing:
    """A price per unit of an outcome metric, with the pricing's maximum if all targets are achieved."""

    path: str
    metric: str
    price: float | None
    maximum_price: float | None


@dataclass
class Stake:
    """An investment: the organisation, its commitment (none: no amount) and its maximum potential return."""

    path: str
    id: str | None
    organisation: str
    commitment: float | None
    maximum_return: float | None


class Parts:
    """The parts of one project's data (see the module)."""

    def __init__(self, v: Values, data: Mapping[str, Any]) -> None:
        self.v, self.data = v, data
        self.currencies: list[tuple[str, str]] = []     # (path, code) of every currency stated
        self.name = v.text(data, "", "name")
        self.names = self._organisation_names()
        self.metrics = self._metrics()
        self.pricings = self._pricings()
        self.achieved = self._achieved()
        self.commitments = self._commitments()
        self.maximum = self._maximum()
        self.stakes = self._investments()
        self.total_investment = self._total_investment()

    def _currency(self, node: Any, path: str, *keys: str) -> None:
        code = self.v.text(node, path, *keys)
        if code is not None:
            self.currencies.append(((f"{path}." if path else "") + ".".join(keys), code.upper()))

    def _organisation(self, record: Mapping[str, Any], path: str, what: str) -> str:
        org = self.v.text(record, path, "organisation_id", required=f"the organisation that {what}")
        assert org is not None
        return org

    def _organisation_names(self) -> dict[str, str]:
        names = {}
        for path, org in self.v.records(self.data, "organisations"):
            org_id = self.v.text(org, path, "id", required="an organisation needs its id")
            name = self.v.text(org, path, "name")
            if org_id is not None and name:
                names[org_id] = name
        return names

    def _metrics(self) -> dict[str, dict[str, Any]]:
        v = self.v
        metrics: dict[str, dict[str, Any]] = {}
        for path, m in v.records(self.data, "outcome_metrics"):
            metric_id = v.text(m, path, "id", required="every outcome metric needs its id (pricings and results "
                               "refer to it)")
            assert metric_id is not None
            if metric_id in metrics:
                raise v.error(f"{path}.id", f"{metric_id!r} is the id of an earlier outcome metric too; ids are "
                              "unique within a project")
            metrics[metric_id] = {
                "path": path, "definition": v.text(m, path, "definition"),
                "target": v.number(m, path, "targeted_number_of_service_users_or_beneficiaries_total"),
                "target_text": v.description(m, path, "outcome_metric_target")}
        return metrics

    def _pricings(self) -> list[Pricing]:
        v = self.v
        out = []
        for path, p in v.records(self.data, "outcome_pricings"):
            metric = v.text(p, path, "outcome_metric_id", required="the id of the outcome metric priced")
            assert metric is not None
            self._currency(p, path, "currency")
            out.append(Pricing(path, metric, v.number(p, path, "price_per_unit", "amount"),
                               v.number(p, path, "maximum_price_if_all_targets_achieved", "amount", strict=False)))
        return out

    def _achieved(self) -> dict[str, float]:
        achieved: dict[str, float] = {}
        for path, r in self.v.records(self.data, "results"):
            metric = self.v.text(r, path, "outcome_metric_id")
            kind = self.v.text(r, path, "result_type")
            if metric is None or (kind or "").lower() != "final":
                continue                # a result of the project as a whole, or an interim one
            count = self.v.number(r, path, "outcomes_achieved", strict=False)
            if count is not None:
                achieved[metric] = achieved.get(metric, 0.0) + count
        return achieved

    def _commitments(self) -> list[Commitment]:
        v = self.v
        out: list[Commitment] = []
        for path, c in v.records(self.data, "outcome_payment_commitments"):
            org = self._organisation(c, path, "commits to pay for outcomes")
            self._currency(c, path, "maximum_potential_outcome_payment", "currency")
            maximum = v.number(c, path, "maximum_potential_outcome_payment", "amount")
            earlier = next((e for e in out if e.organisation == org), None)
            if earlier is None:
                out.append(Commitment(path, org, maximum))
                continue
            total = None if earlier.maximum is None or maximum is None else earlier.maximum + maximum
            v.note(path, f"{org} commits again (also {earlier.path}); its maxima are added"
                   + ("" if total is not None else ", and one is not stated, so it has none"))
            earlier.maximum = total
        return out

    def _maximum(self) -> float | None:
        finance, path = self.v.at(self.data, "", "overall_project_finance")
        for key in ("maximum_potential_outcome_payment_v2", "maximum_potential_outcome_payment"):
            node, where = self.v.at(finance, path, key)
            if node is not None:
                self._currency(node, where, "currency")
                return self.v.number(node, where, "amount")
        return None

    def _total_investment(self) -> float | None:
        node, path = self.v.at(self.data, "", "overall_project_finance", "total_investment_commitment")
        self._currency(node, path, "currency")
        amounts = [self.v.number(node, path, "amount", k) for k in ("exact", "max", "min")]
        return next((a for a in amounts if a is not None), None)

    def _investments(self) -> list[Stake]:
        v = self.v
        out = []
        for path, i in v.records(self.data, "investments"):
            org = self._organisation(i, path, "invests")
            self._currency(i, path, "investment_commitment", "currency")
            exact, low, high = (v.number(i, path, "investment_commitment", "amount", k)
                                for k in ("exact", "min", "max"))
            commitment = exact if exact is not None else high if high is not None else low
            if exact is None and high is not None:
                v.note(f"{path}.investment_commitment.amount", f"a range ({money(low) if low is not None else '?'} "
                       f"to {money(high)}); the commitment is its top, {money(high)}")
            elif exact is None and low is not None:
                v.note(f"{path}.investment_commitment.amount", f"only a minimum, {money(low)}; read as the "
                       "commitment")
            out.append(Stake(path, v.text(i, path, "id"), org, commitment,
                             v.number(i, path, "maximum_potential_return", strict=False)))
        return out

    def payee(self) -> tuple[str | None, list[str]]:
        """The organisation paid for outcomes: the single recipient of the project's outcome payments,
        else its single service provider; else none, with the organisations that could be it."""
        found: list[str] = []
        for key, field in (("outcome_payments", "recipient_organisation_id"),
                           ("service_provisions", "organisation_id")):
            orgs: list[str] = []
            for path, record in self.v.records(self.data, key):
                org = self.v.text(record, path, field)
                if org and org not in orgs:
                    orgs.append(org)
            if len(orgs) == 1:
                return orgs[0], orgs
            found = found or orgs
        return None, found

    def main_currency(self) -> str | None:
        """The currency stated most often (the first of those stated as often)."""
        codes = [c for _, c in self.currencies]
        return max(dict.fromkeys(codes), key=codes.count) if codes else None
