"""Excel workbooks (openpyxl): one sheet per table, safe to open.

Each sheet has the table's column headings in row 1 (frozen), one row per table
row, and the table's notes under it. Numbers are stored as numbers, unrounded, with
a number format for their kind (:data:`NUMBER_FORMATS`), so a figure in the
workbook equals the engine's to the penny and sums in Excel as it should.

Text is never a formula: every text cell is written as a string cell, and text
that a spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is also marked with a quote prefix, so Excel
shows it as typed even after the cell is edited (OWASP "CSV injection").
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from ..errors import CBAError
from ..presentation import (
    _missing,
    column_kinds,
    column_label,
    column_values,
    fmt,
    is_numeric_kind,
    visible_columns,
)

#: Excel number format for each kind of number (see :data:`cba.presentation.KINDS`).
NUMBER_FORMATS = {
    "money": "£#,##0.00;-£#,##0.00",
    "ratio": "0.00",
    "share": "0.0%",
    "rate": "0.0#%",
    "years": "0",
    "int": "0",
    "factor": "0.000000",
    "number": "General",
}
#: Leading characters that make a spreadsheet read text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limits.
MAX_ROWS = 1_048_576
MAX_TEXT = 32_767
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _text(value: str) -> str:
    """Text Excel can store: no control characters, within the cell limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"


def write_text(cell, value: str) -> None:
    """Store ``value`` in ``cell`` as a string, never as a formula."""
    cell.value = _text(str(value))
    cell.data_type = "s"  # openpyxl would otherwise make "=..." a formula
    if cell.value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def write_value(cell, value, kind: str) -> str:
    """Write one table value; returns the text people see (for column widths)."""
    if kind == "text" or isinstance(value, str):
        shown = fmt(value, "text")
        if shown:
            write_text(cell, shown)
        return shown
    if _missing(value):
        write_text(cell, "none")
        return "none"
    if kind == "bool":
        cell.value = bool(value)
        return "FALSE" if not value else "TRUE"
    if kind in ("int", "years") and float(value).is_integer():
        cell.value = int(value)
    else:
        cell.value = float(value)
    cell.number_format = NUMBER_FORMATS.get(kind, "General")
    return fmt(value, kind) if kind != "money" else f"£{float(value):,.2f}"


def add_sheet(workbook: Workbook, name: str, frame: pd.DataFrame) -> None:
    """Add ``frame`` (a :mod:`cba.tables` table) as a sheet named ``name``."""
    if len(frame) + 1 > MAX_ROWS:
        raise CBAError(f"the {name!r} table has {len(frame)} rows, more than an Excel sheet holds")
    ws = workbook.create_sheet(title=name[:31])
    columns = visible_columns(frame)
    widths = []
    for j, col in enumerate(columns, start=1):
        label = column_label(frame, col)
        cell = ws.cell(row=1, column=j)
        write_text(cell, label)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=False, vertical="top")
        widths.append(len(label))
    blank = set(frame.attrs.get("blank", ()))
    for j, col in enumerate(columns, start=1):
        for i, (value, kind) in enumerate(zip(column_values(frame, col), column_kinds(frame, col)), start=2):
            if col in blank and _missing(value):
                continue
            shown = write_value(ws.cell(row=i, column=j), value, kind)
            widths[j - 1] = max(widths[j - 1], len(shown))
    row = len(frame) + 3
    for note in frame.attrs.get("notes", ()):
        write_text(ws.cell(row=row, column=1), note["label"])
        kind = note.get("kind", "text")
        write_value(ws.cell(row=row, column=2), note.get("value"), kind if is_numeric_kind(kind) else "text")
        row += 1
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(_MAX_WIDTH, max(_MIN_WIDTH, w + 2))
    ws.freeze_panes = "A2"
    if columns and len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"


def workbook_bytes(sheets: Mapping[str, pd.DataFrame], title: str | None = None) -> bytes:
    """A workbook with one sheet per table, as the bytes of an ``.xlsx`` file."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        add_sheet(wb, name, frame)
    if title:
        wb.properties.title = _text(title)[:255]
    wb.properties.creator = f"cba-appraisal {__version__}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
