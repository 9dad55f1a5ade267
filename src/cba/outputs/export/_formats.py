"""Exports of an appraisal: Markdown, CSV, Excel, Word and JSON (with a JSON Schema).

Every writer takes an :class:`~cba.ledger._appraisal.Appraisal` (or a
:class:`~cba.ledger._compare.Comparison`) and returns text or bytes; :func:`write_file`
puts them on disk without ever replacing an existing file unless asked to.

========  ===========================================================  =========
format    what                                                         returns
========  ===========================================================  =========
table     readable text: the cases and who pays and who saves          str
markdown  every table as Markdown, ready for a business case           str
csv       the tidy ledger (one row per line, agency, value type, year)  str
xlsx      an Excel workbook, one sheet per table and one of charts      bytes
docx      a Word document: the report's tables and charts, editable     bytes
json      plain data for other tools (schema: :func:`results_schema`)   str
========  ===========================================================  =========
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cba.core._errors import CBAError
from cba.core._escaping import csv_text, markdown_text
from cba.core._limits import check_export_rows
from cba.outputs._arguments import takes

# pandas, the tables and the schema models are imported when first needed, so that
# the command line can register its options without them
if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal


__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "SUFFIXES",
    "assumption_records",
    "check_output",
    "export",
    "format_for_path",
    "to_csv",
    "to_docx",
    "to_json",
    "to_markdown",
    "to_xlsx",
]

#: Sheet names of the workbook, by table name.
SHEET_NAMES = {
    "summary": "Summary", "agencies": "Agencies", "accounts": "Who benefits", "costs": "Costs", "benefits": "Benefits",
    "cost_lines": "Cost lines", "outcomes": "Outcomes", "unit_values": "Unit values",
    "provenance": "Provenance", "ledger": "Ledger",
}


def _heading_lines(appraisal: Appraisal) -> list[str]:
    model = appraisal.intervention
    lines = [f"# {markdown_text(model.name, cell=True)}", ""]
    if model.description:
        lines += [markdown_text(model.description.strip()), ""]
    lines += [f"Price base {model.price_base}, horizon {model.horizon} years, discounting: "
              f"{model.discounting.describe()}. Money in pounds at {model.price_base} prices; "
              "present values discounted to year 0.", ""]
    lines += [f"**Warning:** {w}\n" for w in getattr(appraisal, "warnings", [])]
    return lines


@takes(appraisal="appraisal")
def to_markdown(appraisal: Appraisal) -> str:
    """Every table except the ledger as Markdown (GitHub tables), under headings.

    Examples
    --------
    >>> import cba
    >>> md = to_markdown(cba.appraise("examples/worked_example.yaml"))
    >>> print(md.splitlines()[0])
    # Worked example
    >>> "| Net present budget impact | £23,401 |" in md
    True
    """
    check_export_rows(appraisal._export_rows(), "Markdown")
    from cba.outputs._format import render_table_markdown
    from cba.outputs.tables._tables import all_tables

    lines = _heading_lines(appraisal)
    for name, frame in all_tables(appraisal, include_ledger=False).items():
        if name != "warnings":          # said once, in bold under the heading
            lines += [render_table_markdown(frame), ""]
    for frame in _deal_tables(appraisal).values():
        lines += [render_table_markdown(frame), ""]
    return "\n".join(lines)


def _deal_tables(appraisal: Appraisal) -> dict[str, pd.DataFrame]:
    """The partnership deal's tables when the model has one (else none)."""
    if getattr(appraisal.intervention, "partnership", None) is None:
        return {}
    return dict(appraisal.partnership().tables)


@takes(appraisal="appraisal")
def to_csv(appraisal: Appraisal) -> str:
    """The tidy ledger as CSV (full precision; empty cells for missing text).

    Safe to open in a spreadsheet (:func:`csv_text`): text a user wrote that a
    spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``) gets
    an apostrophe in front; numbers stay numbers.
    """
    return csv_text(appraisal.ledger)


@takes(appraisal="appraisal")
def to_json(appraisal: Appraisal) -> str:
    """:meth:`Appraisal.to_dict` as JSON (valid against :func:`results_schema`)."""
    return appraisal.to_json()


#: The sheet of a workbook in cash terms (``cba appraise --terms cash -o book.xlsx``).
CASH_SHEET = "Cash by year"


@takes(appraisal="appraisal", charts="flag", cash="flag")
def to_xlsx(appraisal: Appraisal, charts: bool = True, cash: bool = False) -> bytes:
    """An Excel workbook with one sheet per table of :mod:`cba.outputs.tables._tables` and a sheet of
    charts (see :mod:`.xlsx`): each sheet titled with the intervention and what its
    figures are, set up to print on A4. ``charts=False`` leaves the charts out (quicker).
    ``cash=True`` adds, after the benefits, the sheet :data:`CASH_SHEET`: costs and benefits by
    year in cash terms (pounds of each year, :func:`cba.outputs.tables._cash.cash_year_table`);
    every other sheet stays at the price base."""
    check_export_rows(appraisal._export_rows(), "Excel workbook")
    from cba.outputs.export._cover import cover_sheet
    from cba.outputs.export._partnership import SHEET_NAMES as DEAL_SHEETS
    from cba.outputs.export._workbook import (
        appraisal_charts,
        appraisal_figures,
        charts_figures,
        cover_rows,
        ledger_sheet,
    )
    from cba.outputs.export._xlsx import workbook_bytes
    from cba.outputs.tables._tables import all_tables

    # a "Warnings" sheet is added only when the appraisal has warnings
    frames = all_tables(appraisal)
    frames["ledger"] = ledger_sheet(appraisal)
    about = appraisal_figures(appraisal)
    sheets, figures = {}, {}
    for name, frame in frames.items():
        sheet = SHEET_NAMES.get(name, name.capitalize())
        sheets[sheet], figures[sheet] = frame, about.get(name, "")
        if cash and name == "benefits":
            from cba.outputs.tables._cash import cash_year_table

            sheets[CASH_SHEET], figures[CASH_SHEET] = cash_year_table(appraisal), about["cash_by_year"]
    figures["Cover"] = about["cover"]
    for name, frame in _deal_tables(appraisal).items():
        sheet = f"Deal - {DEAL_SHEETS[name]}"
        sheets[sheet], figures[sheet] = frame, about.get(name, "")
    drawn = appraisal_charts(appraisal) if charts else []
    return workbook_bytes(sheets, title=appraisal.intervention.name, figures=figures, charts=drawn,
                          charts_figures=charts_figures(appraisal),
                          finish=cover_sheet(appraisal.intervention.name, cover_rows(appraisal), sheets, bool(drawn),
                                             figures["Cover"]))


@takes(appraisal="appraisal", charts="flag")
def to_docx(appraisal: Appraisal, charts: bool = True) -> bytes:
    """A Word document in the order of the HTML report: the headline figures, the financial and economic
    case, who pays and who saves, the partnership deal when the model has one, the charts (as pictures),
    costs and benefits by year, the assumptions and provenance; every table an editable Word table under
    a heading and a caption, laid out for A4 (see :mod:`.docx_case`). ``charts=False`` leaves the charts
    out (quicker).

    Examples
    --------
    >>> import cba, io, docx
    >>> data = to_docx(cba.appraise("examples/worked_example.yaml"), charts=False)
    >>> document = docx.Document(io.BytesIO(data))
    >>> document.paragraphs[0].text
    'Worked example'
    """
    from cba.outputs.export._docx_case import appraisal_docx

    return appraisal_docx(appraisal, charts=charts)


@takes(appraisal="appraisal")
def assumption_records(appraisal: Appraisal) -> dict[str, list[dict[str, Any]]]:
    """The assumption tables as plain records (``None`` for missing values).

    Cost lines carry their amounts as a list ``amounts`` (one per year, as
    entered) instead of one column per year.
    """
    import pandas as pd

    from cba.core._plain import plain
    from cba.outputs.tables._tables import ASSUMPTION_TABLES, TABLES

    labels = list(appraisal.compiled.year_labels)
    out: dict[str, list[dict[str, Any]]] = {}
    for name in ASSUMPTION_TABLES:
        frame = TABLES[name](appraisal)
        frame = frame.drop(columns=list(frame.attrs.get("display_only", ())))   # printed only
        if name == "cost_lines":
            amounts = frame[labels].to_numpy(dtype=float).tolist() if len(frame) else []
            frame = frame.drop(columns=labels)
            frame.insert(5, "amounts", pd.Series(amounts, dtype=object))
        rows = cast("list[dict[str, Any]]", frame.to_dict(orient="records"))  # the columns are named by text
        out[name] = [{k: plain(v) for k, v in row.items()} for row in rows]
    return out


#: Output formats of an appraisal: name -> function(appraisal) -> str or bytes.
FORMATS: dict[str, Callable[[Appraisal], str | bytes]] = {
    "table": lambda a: a.summary(),
    "markdown": to_markdown,
    "json": to_json,
    "csv": to_csv,
    "xlsx": to_xlsx,
    "docx": to_docx,
}
#: Formats that produce bytes and so must go to a file.
BINARY_FORMATS = frozenset({"xlsx", "docx"})
#: File suffix -> format, to choose a format from ``-o FILE`` when none is given.
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".csv": "csv", ".xlsx": "xlsx",
            ".docx": "docx", ".txt": "table"}


@takes(output="text?", requested="text?")
def format_for_path(output: str | None, requested: str | None) -> str:
    """The export format: the one requested, else the output file's suffix, else ``table``.

    >>> format_for_path("results.xlsx", None), format_for_path(None, None), format_for_path("a.md", "json")
    ('xlsx', 'table', 'json')
    """
    if requested:
        return requested
    if output and output != "-":
        return SUFFIXES.get(Path(output).suffix.lower(), "table")
    return "table"


@takes(fmt="text", output="text?", example="text")
def check_output(fmt: str, output: str | None, example: str = "results") -> None:
    """A binary format (xlsx, docx) goes to a file, never to the terminal (the message suggests
    ``-o <example>.<fmt>``)."""
    if fmt in BINARY_FORMATS and (output is None or output == "-"):
        raise CBAError(f"--format {fmt} writes a binary file: give one with -o, e.g. -o {example}.{fmt}")


@takes(appraisal="appraisal", fmt="text")
def export(appraisal: Appraisal, fmt: str) -> str | bytes:
    """Render an appraisal in one of :data:`FORMATS`."""
    try:
        writer = FORMATS[fmt]
    except KeyError:
        raise CBAError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})") from None
    return writer(appraisal)

