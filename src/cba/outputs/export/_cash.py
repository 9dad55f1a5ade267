"""Exports in cash terms: ``cba appraise --terms cash`` and ``cba partnership --terms cash``.

Every format keeps what it shows in real terms (present values are at the price
base) and adds the money by year in cash terms (pounds of each year). For an
appraisal: a table in text and Markdown, ``by_year_cash`` in JSON, the ledger with
``cash_factor`` and ``cash`` in CSV, and a "Cash by year" sheet in its workbook
(:func:`appraisal_workbook_in_cash`). For a deal: each partner's money by year and
every payment between partners by year, as two tables in text and Markdown,
``by_year_cash`` and ``payments_by_year_cash`` in JSON, both in one CSV (:func:`deal_cash_csv`),
and two sheets in its workbook (:func:`deal_workbook_in_cash`). A Word document in
cash terms is not offered: the document is the business case at the price base.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cba.core._errors import CBAError
from cba.core._escaping import csv_text
from cba.core._plain import plain
from cba.outputs._format import render_table_markdown, render_table_text
from cba.outputs.tables._cash import cash_year_table, deal_cash_flow_table, deal_cash_year_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal
    from cba.partnership._results import PartnershipResult

#: The formats that can show cash terms.
CASH_FORMATS = ("table", "markdown", "json", "csv", "xlsx")


def _check(fmt: str) -> None:
    if fmt not in CASH_FORMATS:
        raise CBAError(f"--terms cash is for the {', '.join(CASH_FORMATS)} formats, not {fmt}")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def appraisal_in_cash(appraisal: Appraisal, fmt: str) -> str | bytes:
    """An appraisal in format ``fmt`` with its money by year in cash terms added."""
    from cba.outputs.export._formats import FORMATS

    _check(fmt)
    if fmt == "xlsx":
        return appraisal_workbook_in_cash(appraisal)
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


def deal_cash_csv(result: PartnershipResult) -> str:
    """A deal's money by year in cash terms as one CSV: a ``row`` column says which kind of row.

    ``partner`` rows are :func:`~cba.partnership._cash.deal_by_year_in` in cash terms (one
    per partner and year); ``payment`` rows are :func:`~cba.partnership._cash.flows_by_year_in`
    in cash terms (one per payment between partners and year, the pounds in ``amount``).
    A column that does not apply to a row is empty.
    """
    import pandas as pd

    partners = result.by_year("cash")
    payments = result.flows_by_year("cash")
    partners.insert(0, "row", "partner")
    payments.insert(0, "row", "payment")
    first = ["row", "agency", "agency_name", "agreement", "kind", "from", "from_name", "to", "to_name", "year",
             "year_label", "cash_factor", "amount"]
    frame = pd.concat([partners, payments], ignore_index=True)
    return csv_text(frame[first + [c for c in frame.columns if c not in first]])


def deal_workbook_in_cash(result: PartnershipResult, solution: Any = None, risk: Any = None) -> bytes:
    """A deal's workbook with each partner's money and the payments between partners by year in cash terms."""
    from cba.outputs.export._partnership import to_xlsx

    return to_xlsx(result, solution=solution, risk=risk, cash=True)


def deal_in_cash(result: PartnershipResult, fmt: str, solution: Any = None, risk: Any = None) -> str | bytes:
    """A deal in format ``fmt`` with each partner's money and the payments between partners by year in cash
    terms added."""
    from cba.outputs.export._partnership import to_dict, to_markdown, to_text

    _check(fmt)
    if fmt == "xlsx":
        return deal_workbook_in_cash(result, solution, risk)
    if fmt == "csv":
        return deal_cash_csv(result)
    if fmt == "json":
        data = to_dict(result, solution, risk)
        target = data["partnership"] if solution is not None else data
        target["by_year_cash"] = _records(result.by_year("cash"))
        target["payments_by_year_cash"] = _records(result.flows_by_year("cash"))
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    tables = [deal_cash_year_table(result), deal_cash_flow_table(result)]
    render = render_table_text if fmt == "table" else render_table_markdown
    base = to_text(result, solution, risk) if fmt == "table" else to_markdown(result, solution, risk)
    return "\n\n".join([base.rstrip("\n"), *(render(t) for t in tables)]) + "\n"
