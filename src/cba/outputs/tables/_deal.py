"""A partnership deal's tables for people: frames with titles, labels and number kinds.

Like :mod:`cba.outputs.tables._tables`, each function returns a pandas DataFrame of unrounded
numbers whose ``attrs`` tell :mod:`cba.outputs._format` how to show it (text,
Markdown, HTML) and :mod:`cba.outputs.export._formats` how to write it (an Excel sheet). Nothing here
computes a result: the numbers come from
:class:`~cba.partnership._results.PartnershipResult`.

======================  =====================================================
``deal_partners``       every partner before and after the deal
``deal_flows``          every flow between partners, by agreement
``deal_years``          each partner's net position by year after the deal
``deal_pool``           the pooled budget by year (when there is one)
``deal_risk``           each partner's chance of losing money (:func:`risk_table`)
======================  =====================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cba.outputs.tables._frame import _table
from cba.outputs.tables._headline import TOTAL

if TYPE_CHECKING:  # pragma: no cover
    from cba.partnership._results import PartnershipResult

#: Labels of the partner table's columns.
PARTNER_LABELS = {
    "agency_name": "Partner", "costs_before": "Bears today", "funding": "Funds under the deal",
    "savings": "Banks (savings)", "received": "Receives", "paid": "Pays", "net_before": "Net today",
    "net_after": "Net after the deal", "change": "Change", "roi_after": "Return per £1 put in",
    "payback_year_after": "Breaks even in", "peak_deficit_after": "Peak deficit",
}
FLOW_KIND_NAMES = {"gain_share": "Gain-share", "outcome_payment": "Outcome payment", "top_up": "Top-up",
                   "payment": "Fixed payment", "investment": "Investment drawn",
                   "investor_repayment": "Investor repaid"}


def _units(result: PartnershipResult) -> str:
    return f"present values, pounds at {result.appraisal.intervention.price_base} prices"


def partner_table(result: PartnershipResult) -> pd.DataFrame:
    """Every partner before and after the deal, with a total row (present values).

    Examples
    --------
    >>> import cba
    >>> r = cba.appraise("examples/worked_example.yaml").partnership()
    >>> partner_table(r)[["agency", "net_before", "net_after"]].round(2)
                agency  net_before  net_after
    0  local_authority    33063.20   33063.20
    1              nhs    -9661.84   -9661.84
    2            total    23401.37   23401.37
    """
    p = result.partners()
    cols = ["agency", "agency_name", "costs_before", "funding", "savings", "received", "paid", "net_before",
            "net_after", "change", "roi_after", "payback_year_after", "peak_deficit_after"]
    p = p[cols]
    money = ["costs_before", "funding", "savings", "received", "paid", "net_before", "net_after", "change"]
    never = f"not by {result.appraisal.compiled.year_labels[-1]}"
    p = p.assign(payback_year_after=[
        y if isinstance(y, str) else ("never in deficit" if not deficit > 0 else never)
        for y, deficit in zip(p["payback_year_after"], p["peak_deficit_after"])])
    total: dict[str, Any] = {"agency": TOTAL, "agency_name": "All partners",
                             **{c: float(p[c].sum()) for c in money},
                             "roi_after": np.nan, "payback_year_after": None, "peak_deficit_after": np.nan}
    frame = pd.concat([p, pd.DataFrame([total])], ignore_index=True)
    kinds = {c: "money" for c in [*money, "peak_deficit_after"]}
    kinds.update(agency="text", agency_name="text", roi_after="ratio", payback_year_after="text")
    notes: list[dict[str, Any]] = [
        {"label": "How to read it", "kind": "text",
         "value": "net today = savings banked - costs borne; net after the deal = savings - funding + "
                  "received - paid. A deal moves money between partners, so the totals do not change."}]
    if result.shortfall() > 0:
        notes.append({"label": "The partnership as a whole does not break even: no split of the costs leaves "
                               "every partner ahead. Shortfall", "value": result.shortfall(), "kind": "money"})
    return _table(frame, f"Who puts in and who gets back, before and after the deal ({_units(result)})",
                  kinds=kinds, labels=PARTNER_LABELS, hidden=("agency",), notes=notes,
                  blank=("roi_after", "payback_year_after", "peak_deficit_after"))


def flow_table(result: PartnershipResult) -> pd.DataFrame:
    """Every flow between partners under the deal, with its present value."""
    f = result.flows_between()
    f.insert(2, "kind_name", [FLOW_KIND_NAMES.get(k, k) for k in f["kind"]])
    notes = [] if len(f) else [{"label": "Flows", "value": "the deal has no payments between partners",
                                "kind": "text"}]
    return _table(f, f"Flows between partners ({_units(result)}; undiscounted totals beside them)",
                  kinds={"agreement": "text", "kind": "text", "kind_name": "text", "from": "text",
                         "from_name": "text", "to": "text", "to_name": "text", "real": "money", "pv": "money"},
                  labels={"agreement": "Agreement", "kind_name": "Kind", "from_name": "From", "to_name": "To",
                          "real": "Undiscounted", "pv": "Present value"},
                  hidden=("kind", "from", "to"), notes=notes)


def year_table(result: PartnershipResult) -> pd.DataFrame:
    """Each partner's net position after the deal, by year (real pounds), and cumulative discounted."""
    by = result.by_year()
    labels = list(result.appraisal.compiled.year_labels)
    rows = []
    for (agency, name), g in by.groupby(["agency", "agency_name"], sort=False):
        rows.append({"agency": agency, "agency_name": name, "measure": "Net after the deal (real)",
                     **dict(zip(labels, g["net_after"].to_numpy(dtype=float)))})
        rows.append({"agency": agency, "agency_name": name, "measure": "Cumulative, discounted",
                     **dict(zip(labels, g["cumulative_discounted_net_after"].to_numpy(dtype=float)))})
    frame = pd.DataFrame(rows, columns=["agency", "agency_name", "measure", *labels])
    return _table(frame, "Each partner's net position after the deal by year (pounds at "
                  f"{result.appraisal.intervention.price_base} prices)",
                  kinds={**{y: "money" for y in labels}, "agency": "text", "agency_name": "text", "measure": "text"},
                  labels={"agency_name": "Partner", "measure": "Measure"}, hidden=("agency",))


def pool_table(result: PartnershipResult) -> pd.DataFrame | None:
    """The pooled budget by year: spend and each partner's contribution (real pounds)."""
    pool = result.pool()
    if pool is None:
        return None
    terms = result.terms.pooled_budget
    assert terms is not None  # the pool is None without one
    names = {p: result._name(p) for p in result.partner_ids}
    labels = {"year": "Year", "spend": "Spend", **names}
    kinds = {c: "money" for c in pool.columns if c != "year"}
    kinds["year"] = "text"
    host = result._name(terms.host)
    return _table(pool, f"{terms.name}: spend and contributions by year (pounds at "
                  f"{result.appraisal.intervention.price_base} prices; host {host})",
                  kinds=kinds, labels=labels)


def contract_table(result: PartnershipResult) -> pd.DataFrame | None:
    """Each agreement written as a contract: earned, due after its maximum, paid, and unfunded."""
    contracts = result.contracts()
    if contracts is None:
        return None
    notes = [{"label": "unfunded", "kind": "text",
              "value": "due under the contract but beyond every payer's committed maximum: the payee is not "
                       "paid it"}]
    return _table(contracts, f"Outcomes contracts: earned, due and paid (undiscounted, pounds at "
                  f"{result.appraisal.intervention.price_base} prices)",
                  kinds={**{c: "money" for c in contracts.columns if c != "agreement"}, "agreement": "text"},
                  labels={"agreement": "Agreement", "earned": "Earned", "due": "Due after the maximum",
                          "payers": "Paid by the payers", "top_up": "Paid by the top-up", "unfunded": "Unfunded",
                          "unfunded_pv": "Unfunded (present value)"}, notes=notes)


def investor_table(result: PartnershipResult) -> pd.DataFrame | None:
    """Each social investment: drawn, repaid, return, net, money multiple, IRR and maximum loss."""
    investors = result.investors()
    if investors is None:
        return None
    names = {p: result._name(p) for p in result.partner_ids}
    frame = investors.assign(investor_name=investors["investor"].map(names),
                             provider_name=investors["provider"].map(names))
    first = ["agreement", "investor", "provider", "investor_name", "provider_name"]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    money = ("commitment", "drawn", "repaid_capital", "return_paid", "surplus_paid", "net", "net_pv",
             "maximum_loss")
    return _table(frame, f"Social investment (undiscounted unless stated, pounds at "
                  f"{result.appraisal.intervention.price_base} prices)",
                  kinds={**dict.fromkeys(money, "money"), "money_multiple": "ratio", "irr": "rate",
                         **dict.fromkeys(("agreement", "investor", "provider", "investor_name", "provider_name"),
                                         "text")},
                  labels={"agreement": "Agreement", "investor_name": "Investor", "provider_name": "Provider",
                          "commitment": "Committed", "drawn": "Drawn", "repaid_capital": "Capital repaid",
                          "return_paid": "Return", "surplus_paid": "Surplus share", "net": "Net",
                          "net_pv": "Net (present value)", "money_multiple": "Money multiple", "irr": "IRR",
                          "maximum_loss": "Loss if no outcome"},
                  hidden=("investor", "provider"))


def deal_tables(result: PartnershipResult) -> dict[str, pd.DataFrame]:
    """Every table of a deal, by name, in the order a report shows them."""
    out = {"deal_partners": partner_table(result), "deal_flows": flow_table(result),
           "deal_years": year_table(result)}
    pool = pool_table(result)
    if pool is not None:
        out["deal_pool"] = pool
    contracts = contract_table(result)
    if contracts is not None:
        out["deal_contracts"] = contracts
    investors = investor_table(result)
    if investors is not None:
        out["deal_investors"] = investors
    return out


def risk_table(table: pd.DataFrame, price_base: str) -> pd.DataFrame:
    """:func:`cba.uncertainty._deal_risk.deal_risk`'s table with a title, labels and number kinds."""
    return _table(table.copy(), f"Risk under the deal: each partner's net position after the deal over "
                  f"{table.attrs.get('draws', 0):,} Monte Carlo draws (seed {table.attrs.get('seed')}; present "
                  f"values, pounds at {price_base} prices)",
                  kinds={"agency": "text", "agency_name": "text", "net_after": "money", "mean": "money",
                         "p5": "money", "median": "money", "p95": "money", "probability_of_loss": "share"},
                  labels={"agency_name": "Partner", "net_after": "Central estimate", "mean": "Mean",
                          "p5": "5th percentile", "median": "Median", "p95": "95th percentile",
                          "probability_of_loss": "Chance of losing money"},
                  hidden=("agency",))
