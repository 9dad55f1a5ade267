"""A partnership deal's tables for people: frames with titles, labels and number kinds.

Like :mod:`cba.outputs.tables._tables`, each function returns a pandas DataFrame of unrounded
numbers whose ``attrs`` tell :mod:`cba.outputs._format` how to show it (text,
Markdown, HTML) and :mod:`cba.outputs.export._formats` how to write it (an Excel sheet). Nothing here
computes a result: the numbers come from
:class:`~cba.partnership._results.PartnershipResult`.

======================  =====================================================
``deal_terms``          every agreement in one plain sentence (:mod:`._terms`)
``deal_positions``      each partner without and with the deal, side by side
``deal_partners``       what every partner puts in and gets back
``deal_flows``          every flow between partners, by agreement
``deal_years``          each partner's net position by year with the deal
``deal_pool``           the pooled budget by year (when there is one)
``deal_risk``           each partner's chance of losing money (:func:`risk_table`)
======================  =====================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cba.outputs._arguments import takes
from cba.outputs.tables._frame import _table
from cba.outputs.tables._headline import TOTAL
from cba.outputs.tables._terms import terms_table

if TYPE_CHECKING:  # pragma: no cover
    from cba.partnership._results import PartnershipResult

#: Labels of the partner table's columns.
PARTNER_LABELS = {
    "agency_name": "Partner", "costs_before": "Bears without the deal", "funding": "Funds with the deal",
    "savings": "Banks (savings)", "received": "Receives", "paid": "Pays", "net_before": "Net without the deal",
    "net_after": "Net with the deal", "change": "Change",
}
#: Labels of the before-and-after table's columns.
POSITION_LABELS = {"agency_name": "Partner", "deal": "Deal", "net": "Net position", "roi": "Return per £1 put in",
                   "breaks_even": "Breaks even", "peak_deficit": "Peak deficit"}
#: The two rows of each partner in the before-and-after table.
WITHOUT, WITH = "without the deal", "with the deal"
FLOW_KIND_NAMES = {"gain_share": "Gain-share", "outcome_payment": "Outcome payment", "top_up": "Top-up",
                   "payment": "Fixed payment", "investment": "Investment drawn",
                   "investor_repayment": "Investor repaid", "pool_contribution": "Pooled budget contribution"}
#: How a partner's break-even state reads (:data:`cba.partnership._results.BREAK_EVEN_STATES`).
BREAK_EVEN_WORDS = {"nothing_in": "puts nothing in", "never_in_deficit": "never in deficit",
                    "not_within_horizon": "not by {last}"}


def breaks_even(state: str, year: str | None, last: str) -> str:
    """How a partner stands on breaking even, in words (the one definition: docs/partnership.md).

    >>> breaks_even("year", "2027/28", "2028/29"), breaks_even("not_within_horizon", None, "2028/29")
    ('2027/28', 'not by 2028/29')
    >>> breaks_even("never_in_deficit", None, "2028/29"), breaks_even("nothing_in", None, "2028/29")
    ('never in deficit', 'puts nothing in')
    """
    if state == "year" and year is not None:
        return year
    return BREAK_EVEN_WORDS.get(state, "not by {last}").format(last=last)


def _units(result: PartnershipResult) -> str:
    return f"present values, pounds at {result.appraisal.intervention.price_base} prices"


def _how_to_read(result: PartnershipResult) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = [
        {"label": "How to read it", "kind": "text",
         "value": "net without the deal = savings banked - costs borne; net with the deal = savings - funding + "
                  "received - paid. A deal moves money between partners, so the totals do not change."}]
    if result.shortfall() > 0:
        notes.append({"label": "The partnership as a whole does not break even: no split of the costs leaves "
                               "every partner ahead. Shortfall", "value": result.shortfall(), "kind": "money"})
    return notes


def position_sentences(result: PartnershipResult) -> list[str]:
    """Each partner's net position without and with the deal in words, then who is still short.

    A net position within half a penny of zero (:data:`~cba.partnership._positions.BREAK_EVEN_TOLERANCE`)
    reads "breaks even".

    Examples
    --------
    >>> import cba
    >>> r = cba.appraise("examples/partnership/back_to_work/model.yaml").partnership()
    >>> position_sentences(r)[0]
    'Local authority: -£516,123 without the deal, -£64,483 with it (behind by £64,483).'
    """
    from cba.outputs._format import fmt
    from cba.partnership._positions import BREAK_EVEN_TOLERANCE

    def where(x: float) -> str:
        if abs(x) <= BREAK_EVEN_TOLERANCE:
            return "breaks even"
        return f"behind by {fmt(-x)}" if x < 0 else f"ahead by {fmt(x)}"

    p = result.partners()
    out = [f"{name}: {fmt(b)} without the deal, {fmt(a)} with it ({where(a)})."
           for name, b, a in zip(p["agency_name"], p["net_before"], p["net_after"])]
    short = [(n, -a) for n, a in zip(p["agency_name"], p["net_after"]) if a < -BREAK_EVEN_TOLERANCE]
    out.append("Still short with the deal: " + ", ".join(f"{n} by {fmt(x)}" for n, x in short) + "." if short
               else "With the deal no partner is short: each breaks even or is ahead.")
    return out


@takes(result="deal")
def partner_table(result: PartnershipResult) -> pd.DataFrame:
    """What every partner puts in and gets back without and with the deal, with a total row (present values).

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
    money = ["costs_before", "funding", "savings", "received", "paid", "net_before", "net_after", "change"]
    p = p[["agency", "agency_name", *money]]
    total: dict[str, Any] = {"agency": TOTAL, "agency_name": "All partners", **{c: float(p[c].sum()) for c in money}}
    frame = pd.concat([p, pd.DataFrame([total])], ignore_index=True)
    kinds = {**dict.fromkeys(money, "money"), "agency": "text", "agency_name": "text"}
    return _table(frame, f"Who puts in and who gets back, without and with the deal ({_units(result)})",
                  kinds=kinds, labels=PARTNER_LABELS, hidden=("agency",), notes=_how_to_read(result))


@takes(result="deal")
def position_table(result: PartnershipResult) -> pd.DataFrame:
    """Each partner without and with the deal, side by side: net position, return per pound put in,
    the year it breaks even and its peak deficit (present values).

    Two rows per partner, ``deal`` saying which: "without the deal", then "with the deal".

    Examples
    --------
    >>> import cba
    >>> r = cba.appraise("examples/partnership/back_to_work/model.yaml").partnership()
    >>> position_table(r)[["agency", "deal", "breaks_even"]].head(4)
                agency              deal     breaks_even
    0  local_authority  without the deal  not by 2028/29
    1  local_authority     with the deal  not by 2028/29
    2              dwp  without the deal         2026/27
    3              dwp     with the deal         2027/28
    """
    p = result.partners()
    last = result.appraisal.compiled.year_labels[-1]
    rows = []
    for r in p.to_dict(orient="records"):
        for deal, when in ((WITHOUT, "before"), (WITH, "after")):
            rows.append({"agency": r["agency"], "agency_name": r["agency_name"], "deal": deal,
                         "net": r[f"net_{when}"], "roi": r[f"roi_{when}"],
                         "breaks_even": breaks_even(r[f"break_even_{when}"], r[f"payback_year_{when}"], last),
                         "peak_deficit": r[f"peak_deficit_{when}"]})
    frame = pd.DataFrame(rows, columns=["agency", "agency_name", "deal", "net", "roi", "breaks_even", "peak_deficit"])
    kinds = {"agency": "text", "agency_name": "text", "deal": "text", "net": "money", "roi": "ratio",
             "breaks_even": "text", "peak_deficit": "money"}
    notes = [{"label": "Breaks even", "kind": "text",
              "value": "the year by whose end what the partner has got back (savings banked and payments received) "
                       "covers what it has put in (funding and payments made), discounted, and it ends the "
                       "horizon no worse off; within half a penny counts as even. 'never in deficit': never "
                       "behind at a year's end; 'puts nothing in': it funds and pays nothing"},
             {"label": "Peak deficit", "kind": "text",
              "value": "the largest cumulative discounted shortfall over the years: the double running the partner "
                       "must fund"}]
    return _table(frame, f"Each partner without and with the deal ({_units(result)})", kinds=kinds,
                  labels=POSITION_LABELS, hidden=("agency",), notes=notes)


@takes(result="deal")
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


@takes(result="deal")
def year_table(result: PartnershipResult) -> pd.DataFrame:
    """Each partner's net position with the deal, by year (real pounds), and cumulative discounted."""
    by = result.by_year()
    labels = list(result.appraisal.compiled.year_labels)
    rows = []
    for (agency, name), g in by.groupby(["agency", "agency_name"], sort=False):
        rows.append({"agency": agency, "agency_name": name, "measure": "Net with the deal (real)",
                     **dict(zip(labels, g["net_after"].to_numpy(dtype=float)))})
        rows.append({"agency": agency, "agency_name": name, "measure": "Cumulative, discounted",
                     **dict(zip(labels, g["cumulative_discounted_net_after"].to_numpy(dtype=float)))})
    frame = pd.DataFrame(rows, columns=["agency", "agency_name", "measure", *labels])
    return _table(frame, "Each partner's net position with the deal by year (pounds at "
                  f"{result.appraisal.intervention.price_base} prices)",
                  kinds={**{y: "money" for y in labels}, "agency": "text", "agency_name": "text", "measure": "text"},
                  labels={"agency_name": "Partner", "measure": "Measure"}, hidden=("agency",))


@takes(result="deal")
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


@takes(result="deal")
def deal_tables(result: PartnershipResult) -> dict[str, pd.DataFrame]:
    """Every table of a deal, by name, in the order a report shows them."""
    out = {"deal_terms": terms_table(result), "deal_positions": position_table(result),
           "deal_partners": partner_table(result), "deal_flows": flow_table(result), "deal_years": year_table(result)}
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


@takes(table="frame", price_base="text")
def risk_table(table: pd.DataFrame, price_base: str) -> pd.DataFrame:
    """:func:`cba.uncertainty._deal_risk.deal_risk`'s table with a title, labels and number kinds; under it,
    each term held at a solver's value (``attrs["held"]``: a solved term is the answer, not a range)."""
    notes = [{"label": "Held at the solved value", "value": words} for words in table.attrs.get("held", ())]
    return _table(table.copy(), f"Risk under the deal: each partner's net position with the deal over "
                  f"{table.attrs.get('draws', 0):,} Monte Carlo draws (seed {table.attrs.get('seed')}; present "
                  f"values, pounds at {price_base} prices)",
                  kinds={"agency": "text", "agency_name": "text", "net_after": "money", "mean": "money",
                         "p5": "money", "median": "money", "p95": "money", "probability_of_loss": "share"},
                  labels={"agency_name": "Partner", "net_after": "Central estimate", "mean": "Mean",
                          "p5": "5th percentile", "median": "Median", "p95": "95th percentile",
                          "probability_of_loss": "Chance of losing money"},
                  hidden=("agency",), notes=notes)
