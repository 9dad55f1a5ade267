"""Tables in cash terms: an appraisal's and a deal's money by year in pounds of each year.

Built from :func:`cba.ledger._cash.by_year_in`, :func:`cba.partnership._cash.deal_by_year_in`
and :func:`cba.partnership._cash.flows_by_year_in`; present values are never shown in
cash (they are at the price base).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.outputs.tables._frame import _MONEY, _table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal
    from cba.partnership._results import PartnershipResult

_YEAR_COLUMNS = ("costs", "fiscal", "economic", "social", "public_value", "fiscal_net")
_LABELS = {"year_label": "Year", "cash_factor": "Cash factor", "costs": "Costs", "fiscal": "Fiscal benefits",
           "economic": "Economic benefits", "social": "Social benefits", "public_value": "Public value",
           "fiscal_net": "Fiscal net"}


def cash_year_table(appraisal: Appraisal) -> pd.DataFrame:
    """Costs and benefits by year in cash terms (pounds of each year), with each year's cash factor.

    >>> import cba
    >>> t = cash_year_table(cba.appraise("examples/worked_example.yaml"))
    >>> list(t.columns)[:3], bool((t["cash_factor"] >= 1).all())
    (['year_label', 'cash_factor', 'costs'], True)
    """
    from cba.ledger._cash import by_year_in

    frame = by_year_in(appraisal, "cash")[["year_label", "cash_factor", *_YEAR_COLUMNS]]
    kinds = {c: _MONEY for c in _YEAR_COLUMNS}
    kinds.update(year_label="text", cash_factor="factor")
    return _table(frame, "Costs and benefits by year in cash terms (pounds of each year, undiscounted)",
                  kinds=kinds, labels=_LABELS)


def deal_cash_year_table(result: PartnershipResult) -> pd.DataFrame:
    """Each partner's money by year in cash terms (pounds of each year, undiscounted)."""
    from cba.outputs.tables._deal import PARTNER_LABELS  # the words of the partner table, for the same columns
    from cba.partnership._cash import deal_by_year_in
    from cba.partnership._results import YEAR_MEASURES

    frame = deal_by_year_in(result, "cash")[["agency_name", "year_label", "cash_factor", *YEAR_MEASURES]]
    kinds = {c: _MONEY for c in YEAR_MEASURES}
    kinds.update(agency_name="text", year_label="text", cash_factor="factor")
    return _table(frame, "Each partner's money by year in cash terms (pounds of each year, undiscounted)", kinds=kinds,
                  labels={**_LABELS, **PARTNER_LABELS})


def deal_cash_flow_table(result: PartnershipResult) -> pd.DataFrame:
    """Every payment between partners by year in cash terms (pounds of each year), with its total.

    One row per flow (agreement and payer, as in the flows table), one column per year.
    """
    import pandas as pd

    from cba.outputs.tables._deal import FLOW_KIND_NAMES

    long = result.flows_by_year("cash")
    labels = list(result.appraisal.compiled.year_labels)
    rows, H = [], len(labels)
    for start in range(0, len(long), H):  # flow by flow: each flow has one row per year, in order
        first, amounts = long.iloc[start], long["amount"].to_numpy(dtype=float)[start:start + H]
        rows.append({"agreement": first["agreement"], "kind_name": FLOW_KIND_NAMES.get(first["kind"], first["kind"]),
                     "from_name": first["from_name"], "to_name": first["to_name"],
                     **dict(zip(labels, amounts)), "total": float(amounts.sum())})
    frame = pd.DataFrame(rows, columns=["agreement", "kind_name", "from_name", "to_name", *labels, "total"])
    notes = [] if len(frame) else [{"label": "Payments", "value": "the deal has no payments between partners",
                                    "kind": "text"}]
    kinds = {**dict.fromkeys(("agreement", "kind_name", "from_name", "to_name"), "text"),
             **dict.fromkeys((*labels, "total"), _MONEY)}
    return _table(frame, "Payments between partners by year in cash terms (pounds of each year, undiscounted)",
                  kinds=kinds, labels={"agreement": "Agreement", "kind_name": "Kind", "from_name": "From",
                                       "to_name": "To", "total": "Total"}, notes=notes)
