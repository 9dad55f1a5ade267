"""Exports in cash terms: ``cba appraise --terms cash`` and ``cba partnership --terms cash``.

Every format keeps what it shows in real terms (present values are at the price
base) and adds the money by year in cash terms (pounds of each year): a table in
text and Markdown, ``by_year_cash`` in JSON, and the cash columns in CSV (the
ledger with ``cash_factor`` and ``cash``, or the deal by year), and a "Cash by year"
sheet in an appraisal's workbook (:func:`appraisal_workbook_in_cash`). A Word document
in cash terms, and a deal's workbook in cash terms, are not offered: the document is
the business case at the price base, and the deal's workbook has no by-year sheet in
cash yet.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cba.core._errors import CBAError
from cba.core._escaping import csv_text
from cba.core._plain import plain
from cba.outputs._format import render_table_markdown, render_table_text
from cba.outputs.tables._cash import cash_year_table, deal_cash_year_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal
    from cba.partnership._results import PartnershipResult

#: The formats that can show cash terms.
CASH_FORMATS = ("table", "markdown", "json", "csv")


def _check(fmt: str) -> None:
    if fmt not in CASH_FORMATS:
        raise CBAError(f"--terms cash is for the {', '.join(CASH_FORMATS)} formats, not {fmt}")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def appraisal_in_cash(appraisal: Appraisal, fmt: str) -> str:
    """An appraisal in format ``fmt`` with its money by year in cash terms added."""
    from cba.outputs.export._formats import FORMATS

    _check(fmt)
    if fmt == "csv":
        return csv_text(appraisal.cash_ledger())
    if fmt == "json":
        data = appraisal.to_dict()
        data["by_year_cash"] = _records(appraisal.by_year("cash"))
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    table = cash_year_table(appraisal)
    base = str(FORMATS[fmt](appraisal))
    extra = render_table_text(table) if fmt == "table" else render_table_markdown(table)
    return base.rstrip("\n") + "\n\n" + extra + "\n"


def appraisal_workbook_in_cash(appraisal: Appraisal) -> bytes:
    """An appraisal's workbook with its costs and benefits by year in cash terms as a sheet."""
    from cba.outputs.export._formats import to_xlsx

    return to_xlsx(appraisal, cash=True)


def deal_in_cash(result: PartnershipResult, fmt: str, solution: Any = None, risk: Any = None) -> str:
    """A deal in format ``fmt`` with each partner's money by year in cash terms added."""
    from cba.outputs.export._partnership import to_dict, to_markdown, to_text
    from cba.partnership._cash import deal_by_year_in

    _check(fmt)
    if fmt == "csv":
        return csv_text(deal_by_year_in(result, "cash"))
    if fmt == "json":
        data = to_dict(result, solution, risk)
        target = data["partnership"] if solution is not None else data
        target["by_year_cash"] = _records(deal_by_year_in(result, "cash"))
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    table = deal_cash_year_table(result)
    if fmt == "table":
        return to_text(result, solution, risk).rstrip("\n") + "\n\n" + render_table_text(table) + "\n"
    return to_markdown(result, solution, risk).rstrip("\n") + "\n\n" + render_table_markdown(table) + "\n"
