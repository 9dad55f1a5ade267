"""What goes in a workbook: each sheet's statement of what its figures are, the ledger
as people read it, and the charts.

:mod:`cba.outputs.export._xlsx` writes sheets; this module says, for the appraisal, the
partnership and the comparison workbooks, what each sheet's figures are (real or
discounted, present values, the price base, optimism bias) for its title block,
and which charts go on the "Charts" sheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal
    from cba.partnership._results import PartnershipResult


def _basis(model) -> dict[str, str]:
    pb = model.price_base
    disc = model.discounting.describe()
    return {
        "pv": f"Present values: pounds at {pb} prices, discounted to year 0 ({disc}); after optimism bias.",
        "by_year": f"By year, in two blocks: real terms (pounds at {pb} prices, undiscounted) and discounted "
                   f"({disc}); the discounted block's total is the present value. After optimism bias.",
        "real": f"Real terms: pounds at {pb} prices, undiscounted, by year.",
        "pb": pb,
        "disc": disc,
    }


def appraisal_figures(appraisal: Appraisal) -> dict[str, str]:
    """What the figures of each table of an appraisal are, by table name (:data:`cba.outputs.tables._tables.TABLES`)."""
    b = _basis(appraisal.intervention)
    pb = b["pb"]
    return {
        "summary": b["pv"],
        "cover": f"Price base {pb}. " + b["pv"] + " Each sheet's title block says what its figures are.",
        "agencies": b["pv"] + " Net position = fiscal savings banked minus costs borne.",
        "accounts": b["pv"] + " Benefits by who gains them: taxpayers through each agency (fiscal savings), "
                    "participants, others and society; a transfer is a gain to taxpayers and the same loss to "
                    "participants. Per participant: each figure divided by the participants counted.",
        "costs": b["by_year"],
        "benefits": b["by_year"],
        "cash_by_year": f"Cash terms: pounds of each year, undiscounted, after optimism bias; each year's figure "
                        f"is the real-terms figure (pounds at {pb} prices) times the year's cash factor, the "
                        "deflator's index for the year over its index for the price base (outturn, then the "
                        "forecast). Every other sheet is at the price base.",
        "cost_lines": f"Amounts as entered, in pounds at each line's own price year, before optimism bias; the "
                      f"uplift takes them to {pb} prices; the last column is the present value after the uplift "
                      "and optimism bias.",
        "outcomes": f"Parameters as entered (rates as percentages); present values in pounds at {pb} prices, "
                    f"discounted to year 0 ({b['disc']}), after optimism bias.",
        "unit_values": f"Per unit of each outcome: as entered at its price year, and uplifted to {pb} prices "
                       "(real terms, undiscounted), before optimism bias.",
        "provenance": f"Price base {pb}. Where the numbers come from: library, model file, deflator, "
                      "discounting, unit cost databases, run time.",
        "ledger": f"Every flow: one row per cost line or outcome value, agency and year; real terms (pounds at "
                  f"{pb} prices, undiscounted) and discounted ({b['disc']}); after optimism bias.",
        "warnings": f"Price base {pb}. Read these beside the results: possible double counting.",
        **deal_figures(appraisal),
    }


def deal_figures(appraisal: Appraisal) -> dict[str, str]:
    """What the figures of each table of a partnership deal are, by table name."""
    b = _basis(appraisal.intervention)
    return {
        "deal_terms": f"The deal's agreements as entered, in words: amounts in pounds at {b['pb']} prices "
                      "(undiscounted) unless an agreement states its own price year.",
        "deal_positions": b["pv"] + " Each partner without and with the deal, side by side: net position, return "
                                    "per pound put in, the year it breaks even and its peak deficit.",
        "deal_partners": b["pv"] + " What each partner puts in and gets back without and with the deal; a deal "
                                   "moves money between partners, so the totals do not change.",
        "deal_flows": f"Payments between partners under the deal: present values and undiscounted totals, pounds "
                      f"at {b['pb']} prices.",
        "deal_years": f"Each partner's net position with the deal: real terms by year (pounds at {b['pb']} "
                      "prices, undiscounted), and cumulative discounted.",
        "deal_years_cash": f"Cash terms: pounds of each year, undiscounted; each year's figure is the real-terms "
                           f"figure (pounds at {b['pb']} prices) times the year's cash factor, the deflator's index "
                           "for the year over its index for the price base (outturn, then the forecast), as in the "
                           "appraisal's cash view. Present values are on the other sheets, at the price base.",
        "deal_payments_cash": f"Cash terms: pounds of each year, undiscounted: every payment between partners, "
                              f"the real-terms figure (pounds at {b['pb']} prices) times the year's cash factor "
                              "(see \"Cash by year\").",
        "deal_pool": b["real"] + " Spend from the pooled budget and each partner's contribution.",
        "deal_contracts": f"Totals over the appraisal in pounds at {b['pb']} prices, undiscounted (the unfunded "
                          "part also as a present value): what each outcomes contract earned, what was due after "
                          "its maximum, who paid, and what no payer covered.",
        "deal_investors": f"Totals over the appraisal in pounds at {b['pb']} prices, undiscounted (the net also as "
                          "a present value): what each social investor drew and got back; the money multiple, IRR "
                          "and the loss if no outcome is achieved.",
        "deal_risk": f"Present values in pounds at {b['pb']} prices over Monte Carlo draws: each partner's net "
                     "position with the deal.",
        "deal_programme": b["pv"],
    }


def comparison_provenance(appraisal: Appraisal) -> str:
    return f"Price base {appraisal.intervention.price_base}. Where each option's numbers come from."


def comparison_figures(appraisal: Appraisal) -> str:
    """What the figures of a comparison of options are (every option is on the same footing)."""
    return _basis(appraisal.intervention)["pv"] + " Differences are each option minus the reference option."


def charts_figures(appraisal: Appraisal) -> str:
    pb = appraisal.intervention.price_base
    return (f"Pounds at {pb} prices; each chart's title says whether it shows present values or real terms. "
            "Each concept and each agency keeps its colour in every chart.")


def ledger_sheet(appraisal: Appraisal) -> pd.DataFrame:
    """The tidy ledger as people read it: agency names, words for kinds, Yes/No, headings.

    The zero-based indices that join it to the model (``line``, ``year``) are not shown:
    the cost line or outcome is named and the year labelled; a value component is
    numbered from 1 within its outcome and the number sits apart from the text beside it.
    """
    from cba.model._agencies import display_name
    from cba.outputs.tables._tables import ledger_table

    frame = ledger_table(appraisal).copy()
    attrs = dict(frame.attrs)
    names = appraisal.intervention.agency_names
    frame["agency"] = [None if a is None else display_name(a, names) for a in frame["agency"]]
    frame["source_type"] = [str(v).capitalize() for v in frame["source_type"]]
    frame["value_type"] = [str(v).capitalize() for v in frame["value_type"]]
    frame["cost_kind"] = [None if v is None else str(v).replace("_", " ").capitalize() for v in frame["cost_kind"]]
    frame["component"] = [None if int(c) < 0 else int(c) + 1 for c in frame["component"]]   # costs have none
    order = ["source_type", "source", "component", "year_label", "agency", "value_type", "cost_kind", "unit_cost",
             "cashable", "transfer", "real", "discount_factor", "discounted"]
    frame = frame[[c for c in order if c in frame.columns] + [c for c in frame.columns if c not in order]]
    frame.attrs.update(attrs)
    frame.attrs["kinds"] = {**attrs.get("kinds", {}), "component": "int"}
    frame.attrs["labels"] = {
        "source_type": "Source type", "source": "Cost line or outcome", "component": "Value component",
        "unit_cost": "Unit cost code", "agency": "Agency", "value_type": "Value type", "cost_kind": "Cost kind",
        "cashable": "Cashable", "transfer": "Transfer", "year_label": "Year",
        "real": "Real terms (£)", "discount_factor": "Discount factor", "discounted": "Discounted (£)"}
    frame.attrs["hidden"] = [*attrs.get("hidden", ()), "line", "year"]
    frame.attrs["blank"] = ["component"]
    return frame


def cover_rows(appraisal: Appraisal) -> list[tuple[str, Any, str]]:
    """The cover sheet's rows for an appraisal: the model, its price base, and the headline figures."""
    from cba.outputs._labels import METRIC_KINDS, METRIC_LABELS

    model = appraisal.intervention
    prov = appraisal.provenance
    rows: list[tuple[str, Any, str]] = [("Model file", prov.get("model_file") or "(built in Python)", "text")]
    if model.description:
        rows.append(("Description", model.description, "text"))
    rows += [("Price base", f"{model.price_base} prices", "text"), ("Horizon (years)", model.horizon, "int"),
             ("Discounting", model.discounting.describe(), "text")]
    metrics = appraisal.metrics
    for name in ("pv_costs", "pv_fiscal", "net_present_budget_impact", "pv_public_value", "net_present_public_value",
                 "public_value_roi"):
        if name in metrics:
            rows.append((METRIC_LABELS[name], metrics[name], METRIC_KINDS[name]))
    vfm, bands = appraisal.value_for_money, appraisal.value_for_money_bands
    if vfm and bands is not None:  # named for its basis, with the guidance's words beside it
        from cba.model._value_for_money import NOT_A_VERDICT

        rows += [(bands.label()[:1].upper() + bands.label()[1:], vfm, "text"), ("", NOT_A_VERDICT, "text")]
    return rows


def appraisal_charts(appraisal: Appraisal) -> list[tuple[str, Any, str]]:
    """The charts of an appraisal (and of its deal, when it has one) with their captions."""
    import cba.outputs.charts._appraisal as charts
    from cba.outputs._palette import CAPTIONS

    out = [(name, fn(appraisal), CAPTIONS[name]) for name, fn in charts.CHARTS.items()]
    if getattr(appraisal.intervention, "partnership", None) is not None:
        out += deal_charts(appraisal.partnership())
    return out


def deal_charts(result: PartnershipResult) -> list[tuple[str, Any, str]]:
    """The charts of a deal with their captions."""
    from cba.outputs._palette import DEAL_CAPTIONS
    from cba.outputs.charts._deal import charts_to_draw

    return [(name, fn(result), DEAL_CAPTIONS[name]) for name, fn in charts_to_draw(result).items()]
