"""Exports of a portfolio: text, Markdown, JSON, CSV, an Excel workbook and a Word document.

Each writer takes a :class:`~cba.portfolios._result.PortfolioResult` and returns text
or bytes for :func:`cba.cli._io.write_output`. The JSON is the contract of
:func:`cba.outputs.export._schema_portfolio.portfolio_schema`; the CSV is one row per
candidate (chosen or not, its values, spend and each partner's net).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cba.outputs._format import render_table_markdown, render_table_text, wrap_lines
from cba.outputs.tables._portfolio import heading, portfolio_tables

if TYPE_CHECKING:  # pragma: no cover
    from cba.portfolios._result import PortfolioResult

#: Sheet names of the tables in a workbook.
SHEET_NAMES = {"portfolio_runners_up": "Choice and runners-up", "portfolio_positions": "Positions",
               "portfolio_budgets": "Budgets", "portfolio_candidates": "Candidates",
               "portfolio_frontier": "Frontier", "portfolio_binding": "What binds", "portfolio_risk": "Risk"}


def to_text(result: PortfolioResult) -> str:
    """The choice in words, then every table, for a terminal."""
    head = [result.name, "", *heading(result)]
    parts = ["\n".join(line for para in head for line in (wrap_lines(para) if para else [""]))]
    parts += [render_table_text(t) for t in portfolio_tables(result).values()]
    return "\n\n".join(parts)


def to_markdown(result: PortfolioResult) -> str:
    """The choice in words, then every table, as Markdown."""
    from cba.core._escaping import markdown_text

    lines = [f"# {markdown_text(result.name)}", ""]
    lines += [f"{markdown_text(x)}\n" for x in heading(result)]
    for t in portfolio_tables(result).values():
        lines += [render_table_markdown(t), ""]
    return "\n".join(lines)


def to_dict(result: PortfolioResult) -> dict[str, Any]:
    """The JSON contract."""
    return result.to_dict()


def to_json(result: PortfolioResult) -> str:
    """The JSON contract as text."""
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False, allow_nan=False)


def to_csv(result: PortfolioResult) -> str:
    """One row per candidate."""
    from cba.core._escaping import csv_text

    return csv_text(result.candidate_table())


def to_xlsx(result: PortfolioResult) -> bytes:
    """Every table on its own sheet, titled with the portfolio's name."""
    from cba.outputs.export._xlsx import workbook_bytes

    frames = portfolio_tables(result)
    sheets = {SHEET_NAMES[name]: frame for name, frame in frames.items()}
    return workbook_bytes(sheets, title=result.name)


def html(result: PortfolioResult) -> str:
    """The notebook display: the choice in words, then every table."""
    from cba.outputs._notebook import block

    return block(result.name, heading(result), portfolio_tables(result).values())


def to_docx(result: PortfolioResult) -> bytes:
    """A Word document for the partnership board (:mod:`cba.outputs.export._docx_portfolio`)."""
    from cba.outputs.export._docx_portfolio import portfolio_docx

    return portfolio_docx(result)


#: Writers by format name.
FORMAT_WRITERS: dict[str, Callable[[PortfolioResult], str | bytes]] = {
    "table": to_text, "markdown": to_markdown, "json": to_json, "csv": to_csv, "xlsx": to_xlsx, "docx": to_docx}
