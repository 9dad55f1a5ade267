"""Exports of a partnership deal: text, Markdown, JSON, CSV, an Excel workbook and a Word document.

Each writer takes a :class:`~cba.partnership._results.PartnershipResult` and, as
keywords, the :class:`~cba.partnership._solvers.Solution` it answers (or ``None``)
and a risk table from :func:`cba.uncertainty._deal_risk.deal_risk` (or ``None``), and
returns text or bytes for :func:`cba.cli._io.write_output`.

The JSON is the contract other tools read (see :mod:`cba.partnership._results`);
with a solution it is ``{"solution": {...}, "partnership": {...}}``, and with a
risk analysis the partnership gains ``"risk"``. The CSV is one row per partner
(present values without the deal, ``_before``, and with it, ``_after``; with the risk columns when
there are any).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from cba.core._escaping import markdown_text
from cba.core._plain import plain
from cba.outputs._arguments import takes
from cba.outputs._format import render_table_markdown, render_table_text, units_text

if TYPE_CHECKING:  # pragma: no cover
    from cba.partnership._results import PartnershipResult

#: Sheet names of the deal's tables in a workbook.
SHEET_NAMES = {"deal_terms": "Terms", "deal_positions": "Without and with",
               "deal_partners": "Partners", "deal_flows": "Flows", "deal_years": "Partners by year",
               "deal_pool": "Pooled budget", "deal_contracts": "Contracts", "deal_investors": "Investors",
               "deal_risk": "Risk", "deal_programme": "Interventions"}


def _frames(result: PartnershipResult, risk: pd.DataFrame | None, solution=None) -> dict[str, pd.DataFrame]:
    frames = dict(result.tables)
    if solution is not None and "deal_terms" in frames:  # the terms the solver set, marked
        from cba.outputs.tables._terms import terms_table

        frames["deal_terms"] = terms_table(result, solution)
    if risk is not None:
        from cba.outputs.tables._deal import risk_table

        frames["deal_risk"] = risk_table(risk, result.appraisal.intervention.price_base)
    return frames


def _heading(result: PartnershipResult, solution) -> list[str]:
    model = result.appraisal.intervention
    lines = [result.name, "", f"Price base {model.price_base}, horizon {model.horizon} years, discounting: "
             f"{model.discounting.describe()}. {units_text(model.price_base)}"]
    if result.terms.is_empty and solution is None:
        lines += ["", "The model has no partnership deal: every partner funds what it bears and nothing passes "
                      "between partners. Add a 'partnership' section, or try --solve fair-shares."]
    for w in getattr(result.appraisal, "warnings", []):
        lines += ["", f"Warning: {w}"]
    if solution is not None:
        from cba.outputs.tables._terms import answered

        lines += ["", *answered(solution)]
    return lines


def _positions(result: PartnershipResult) -> list[str]:
    """Each partner's net position without and with the deal, then who is still short (none without a deal)."""
    if result.terms.is_empty:
        return []
    from cba.outputs.tables._deal import position_sentences

    return position_sentences(result)


def to_text(result: PartnershipResult, solution=None, risk=None) -> str:
    from cba.outputs._format import wrap_lines

    head = _heading(result, solution)
    parts = ["\n".join(line for para in head for line in (wrap_lines(para) if para else [""]))]
    if positions := _positions(result):
        parts.append("\n".join(["Each partner's net position (present values):",
                                *(line for p in positions[:-1] for line in wrap_lines(f"- {p}")),
                                *wrap_lines(positions[-1])]))
    parts += [render_table_text(t) for t in _frames(result, risk, solution).values()]
    return "\n\n".join(parts)


@takes(result="deal")
def to_markdown(result: PartnershipResult, solution=None, risk=None) -> str:
    head = _heading(result, solution)
    lines = [f"# {markdown_text(head[0], cell=True)}", "", *(markdown_text(h) for h in head[2:]), ""]
    if positions := _positions(result):
        lines += ["Each partner's net position (present values):", "",
                  *(f"- {markdown_text(p)}" for p in positions[:-1]), "", markdown_text(positions[-1]), ""]
    for t in _frames(result, risk, solution).values():
        lines += [render_table_markdown(t), ""]
    return "\n".join(lines)


def to_dict(result: PartnershipResult, solution=None, risk=None) -> dict[str, Any]:
    data = result.to_dict()
    data["warnings"] = list(getattr(result.appraisal, "warnings", []))
    if risk is not None:
        data["risk"] = {"draws": risk.attrs.get("draws"), "seed": risk.attrs.get("seed"),
                        "held_at_solved_value": list(risk.attrs.get("held", ())),
                        "partners": [{k: plain(v) for k, v in row.items()}
                                     for row in risk.to_dict(orient="records")]}
    if solution is not None:
        return {"solution": solution.to_dict(), "partnership": data}
    return data


@takes(result="deal")
def to_json(result: PartnershipResult, solution=None, risk=None) -> str:
    return json.dumps(to_dict(result, solution, risk), indent=2, ensure_ascii=False, allow_nan=False)


@takes(result="deal")
def to_csv(result: PartnershipResult, solution=None, risk=None) -> str:
    frame = result.partners()
    if risk is not None:
        extra = risk.drop(columns=["agency_name", "net_after"]).rename(
            columns={c: f"risk_{c}" for c in risk.columns if c not in ("agency",)})
        frame = frame.merge(extra, on="agency", how="left")
    from cba.core._escaping import csv_text

    return csv_text(frame)


#: The sheets of a deal's workbook in cash terms (``cba partnership --terms cash -o deal.xlsx``), after
#: "Partners by year".
CASH_SHEETS = {"deal_years_cash": "Cash by year", "deal_payments_cash": "Payments in cash"}


def _with_cash(result: PartnershipResult, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    from cba.outputs.tables._cash import deal_cash_flow_table, deal_cash_year_table

    cash = {"deal_years_cash": deal_cash_year_table(result), "deal_payments_cash": deal_cash_flow_table(result)}
    out: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        out[name] = frame
        if name == "deal_years":
            out.update(cash)
    return out


@takes(result="deal", cash="flag")
def to_xlsx(result: PartnershipResult, solution=None, risk=None, cash: bool = False) -> bytes:
    """The deal's tables, one sheet each, and its charts: titled with the intervention and
    what the figures are, set up to print on A4 (see :mod:`.xlsx`). ``cash=True`` adds, after
    "Partners by year", the sheets of :data:`CASH_SHEETS`: each partner's money and the
    payments between partners by year in pounds of each year."""
    from cba.outputs.export._cover import cover_sheet
    from cba.outputs.export._workbook import appraisal_figures, charts_figures, cover_rows, deal_charts, deal_figures
    from cba.outputs.export._xlsx import workbook_bytes

    about = deal_figures(result.appraisal)
    frames = _frames(result, risk, solution)
    if cash:
        frames = _with_cash(result, frames)
    names = {**SHEET_NAMES, **CASH_SHEETS}
    sheets = {names[name]: frame for name, frame in frames.items()}
    figures = {names[name]: about.get(name, "") for name in frames}
    cover = cover_rows(result.appraisal)
    if solution is not None:  # the board's question and its answer, in its own words
        from cba.outputs.tables._terms import question

        cover[:0] = [("Question", question(solution), "text"), ("Answer", solution.message, "text")]
    title = result.appraisal.intervention.name
    charts = deal_charts(result)
    return workbook_bytes(sheets, title=title, figures=figures, charts=charts,
                          charts_figures=charts_figures(result.appraisal), one_page=("Partners",),
                          finish=cover_sheet(title, cover, sheets, bool(charts),
                                             appraisal_figures(result.appraisal)["cover"]))


@takes(result="deal")
def to_docx(result: PartnershipResult, solution=None, risk=None) -> bytes:
    """A Word document of the appraisal with this deal (and the solver's question, and the risk):
    see :func:`cba.outputs.export._docx_case.appraisal_docx`."""
    from cba.outputs.export._docx_case import appraisal_docx

    return appraisal_docx(result.appraisal, deal=result, solution=solution, risk=risk)


#: Writers by format name.
FORMAT_WRITERS: dict[str, Callable[..., str | bytes]] = {
    "table": to_text, "markdown": to_markdown, "json": to_json, "csv": to_csv, "xlsx": to_xlsx, "docx": to_docx}
