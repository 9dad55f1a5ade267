"""Excel workbooks (openpyxl) that print and read well, and are safe to open.

Every sheet opens with a title block (:data:`TITLE_ROWS`): the intervention, the
table's title, and what the figures are (real or discounted, present values, the
price base, optimism bias). The table's column headings are in row
:data:`HEADER_ROW` (frozen, repeated on every printed page), its rows under them as
an Excel table (filterable, banded), then its notes and footnotes. Each sheet is
set up for A4: portrait or landscape by its width, fitted to one page wide (the
summary to one page), with the intervention's name, the sheet's name and "Page i
of n" in the footer.

Numbers are stored as numbers, unrounded, with a number format for their kind
(:data:`NUMBER_FORMATS`: whole pounds with negatives in brackets), so a figure in
the workbook equals the engine's to the penny and sums as it should. A number that
is none (no payback, a ratio with nothing to divide by) is a blank cell explained
by a footnote, never the text "none" in a column of numbers; yes/no values read
"Yes" and "No".

Text is never a formula: every text cell is written as a string cell, and text
that a spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is also marked with a quote prefix, so Excel
shows it as typed even after the cell is edited (OWASP "CSV injection").
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo

from cba._version import __version__
from cba.core._errors import CBAError
from cba.outputs._arguments import takes
from cba.outputs._format import (
    _missing,
    column_kinds,
    column_label,
    column_values,
    fmt,
    is_numeric_kind,
    visible_columns,
)

#: Excel number format for each kind of number (see :data:`cba.outputs._format.KINDS`):
#: whole pounds, negatives in brackets (the accounting convention), aligned.
NUMBER_FORMATS = {
    "money": "£#,##0_);(£#,##0);£0_)",
    "ratio": "0.00",
    "share": "0.0%",
    "rate": "0.0#%",
    "years": "0",
    "int": "0",
    "factor": "0.000000",
    "number": "#,##0.##",
}
#: Leading characters that make a spreadsheet read text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Rows of the title block (intervention, table title, what the figures are), then a
#: blank row; the column headings are in :data:`HEADER_ROW`.
TITLE_ROWS = 3
HEADER_ROW = TITLE_ROWS + 2
#: Excel's limits.
MAX_ROWS = 1_048_576
MAX_TEXT = 32_767
_MIN_WIDTH, _MAX_WIDTH, _TEXT_WIDTH = 8, 60, 30
#: Width (characters of the default font) that fits an A4 portrait page at the margins.
PORTRAIT_WIDTH = 100
#: Widest sheet (characters) whose headings stay horizontal; a wider one has upright
#: headings over its number columns, so that it stays readable on one page width.
LANDSCAPE_LIMIT = 170
#: Widest sheet printed in portrait (fitted to the page width, scaled by no less than about 85%).
PORTRAIT_LIMIT = 118
#: Width (characters) a table with a column of long text may take: an A4 landscape page at the margins.
LANDSCAPE_TEXT_WIDTH = 140
FONT = "Calibri"
_HEADER_FONT = Font(name=FONT, size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_RULE = Side(style="thin", color="7F7F7F")
#: What a blank number means, under every table that has one.
NONE_FOOTNOTE = ("A blank number means none: the figure is not defined for this model (no payback within the "
                 "horizon, no internal rate of return, or a ratio with nothing to divide by).")
NOT_APPLICABLE_FOOTNOTE = "A blank in {columns} means not applicable."


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
    """Write one table value; returns the text people see (for column widths).

    A missing number leaves the cell blank (the caller adds the footnote); a
    yes/no value is written "Yes" or "No".
    """
    if kind == "text" or isinstance(value, str):
        shown = fmt(value, "text")
        if shown in ("yes", "no"):
            shown = shown.capitalize()
        if shown:
            write_text(cell, shown)
        return shown
    if _missing(value):
        return ""
    if kind == "bool":
        write_text(cell, "Yes" if value else "No")
        return cell.value
    if kind in ("int", "years") and float(value).is_integer():
        cell.value = int(value)
    else:
        cell.value = float(value)
    cell.number_format = NUMBER_FORMATS.get(kind, "General")
    return fmt(value, kind) + (" " if kind == "money" else "")


def _footer_text(text: str) -> str:
    """Text for a header or footer: ``&`` doubled (a lone one starts a code), kept short."""
    text = _text(text)
    text = text if len(text) <= 50 else text[:49].rstrip() + "…"     # leaves room for the sheet's name
    return text.replace("&", "&&")


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(len(text) / max(width, 1.0)))


def _title_block(ws, heading: str, title: str, figures: str, width: float) -> None:
    """Rows 1-3: the intervention, the table's title, what the figures are (merged across the table)."""
    last = max(ws.max_column, 1)
    for row, (text, font) in enumerate(((heading, Font(name=FONT, bold=True, size=14)),
                                        (title, Font(name=FONT, bold=True, size=11)),
                                        (figures, Font(name=FONT, italic=True, size=10, color="404040"))), start=1):
        if not text:
            continue
        cell = ws.cell(row=row, column=1)
        write_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if last > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        size = font.size or 11
        ws.row_dimensions[row].height = _lines(text, width * 11 / size * 0.95) * size * 1.35 + 2


def _unique(labels: list[str]) -> list[str]:
    """Column headings made unique (an Excel table needs unique ones)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        label = label.strip() or "Column"
        n = seen.get(label.lower(), 0)
        seen[label.lower()] = n + 1
        out.append(label if n == 0 else f"{label} ({n + 1})")
    return out


def _table_name(name: str, used: set[str]) -> str:
    base = "t_" + (re.sub(r"\W", "_", name, flags=re.ASCII).strip("_") or "table")
    base = base[:200]
    candidate, k = base, 2
    while candidate.lower() in used:
        candidate, k = f"{base}_{k}", k + 1
    used.add(candidate.lower())
    return candidate


def _print_setup(ws, width: float, last_row: int, last_col: int, footer: str, one_page: bool,
                 repeat_header: bool = True) -> None:
    """A4, orientation by width, one page wide (one page in all for ``one_page``), header row
    repeated, footer with the intervention, the sheet and the page number."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if width <= PORTRAIT_LIMIT else "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.75
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_options.horizontalCentered = False
    if repeat_header:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(max(last_col, 1))}{max(last_row, 1)}"
    for part in (ws.oddFooter, ws.evenFooter):
        part.left.text = _footer_text(footer)
        part.left.size = 8
        part.center.text = "&A"
        part.center.size = 8
        part.right.text = "Page &P of &N"
        part.right.size = 8


def add_sheet(workbook: Workbook, name: str, frame: pd.DataFrame, *, heading: str | None = None,
              figures: str = "", footer: str | None = None, one_page: bool = False) -> None:
    """Add ``frame`` (a :mod:`cba.outputs.tables._tables` table) as a sheet named ``name``.

    Parameters
    ----------
    heading : str, optional
        The first line of the title block: the intervention (or the options
        compared). Default: the workbook's title, else the sheet's name.
    figures : str
        What the figures are (real or discounted, present values, price base,
        optimism bias): the third line of the title block.
    footer : str, optional
        The name in the printed footer (default: ``heading``).
    one_page : bool
        Fit the sheet to one printed page (the summary), not only one page wide.
    """
    if len(frame) + HEADER_ROW > MAX_ROWS:
        raise CBAError(f"the {name!r} table has {len(frame)} rows, more than an Excel sheet holds")
    ws = workbook.create_sheet(title=name[:31])
    heading = heading or workbook.properties.title or name
    columns = visible_columns(frame)
    labels = _unique([column_label(frame, c) for c in columns])
    head = [max((len(w) for w in label.split()), default=0) for label in labels]
    widths = [0] * len(columns)
    kinds_by_column = [column_kinds(frame, c) for c in columns]
    numeric = [sum(is_numeric_kind(k) for k in kinds) > len(kinds) / 2 if kinds else
               is_numeric_kind(str(frame.attrs.get("kinds", {}).get(c, "text")).lstrip("@") or "text")
               for c, kinds in zip(columns, kinds_by_column)]
    for j, label in enumerate(labels, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j)
        write_text(cell, label)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom",
                                   horizontal="right" if numeric[j - 1] else "left",
                                   indent=1 if j > 1 and not numeric[j - 1] else 0)
        cell.border = Border(bottom=_RULE)
    blank = set(frame.attrs.get("blank", ()))
    totals = _total_rows(frame)
    text_len = [0] * len(columns)
    missing, not_applicable = False, set()
    for j, (col, kinds) in enumerate(zip(columns, kinds_by_column), start=1):
        wrap = not numeric[j - 1]
        for i, (value, kind) in enumerate(zip(column_values(frame, col), kinds)):
            row = HEADER_ROW + 1 + i
            cell = ws.cell(row=row, column=j)
            if _missing(value) or (numeric[j - 1] and isinstance(value, str) and value.strip().lower() == "none"):
                if col in blank:
                    not_applicable.add(labels[j - 1])
                elif is_numeric_kind(kind) or numeric[j - 1]:
                    missing = True
                continue
            shown = write_value(cell, value, kind)
            cell.alignment = Alignment(vertical="top")
            if i in totals:
                cell.font = Font(name=FONT, size=11, bold=True)
            if wrap or not is_numeric_kind(kind):
                # "left", not the default: the indent that keeps text off a number beside it needs it
                cell.alignment = Alignment(wrap_text=wrap, vertical="top",
                                           horizontal="right" if numeric[j - 1] else "left",
                                           indent=1 if j > 1 and not numeric[j - 1] else 0)
            text_len[j - 1] = max(text_len[j - 1], len(shown)) if wrap else text_len[j - 1]
            widths[j - 1] = max(widths[j - 1], 0 if wrap else len(shown))
    last_row = HEADER_ROW + len(frame)
    final = _widths([max(h, w) for h, w in zip(head, widths)], text_len,
                    wide=[c in frame.attrs.get("wide", ()) for c in columns])
    upright = [numeric[j] and head[j] > widths[j] + 1 for j in range(len(columns))]
    if sum(final) > LANDSCAPE_LIMIT and any(upright):
        # too wide to read once fitted to a page: headings wider than their numbers turn upright
        final = _widths([w if upright[j] else max(head[j], w) for j, w in enumerate(widths)], text_len, least=5)
        final = [f if numeric[j] else max(f, _MIN_WIDTH) for j, f in enumerate(final)]
        for j, turn in enumerate(upright, start=1):
            if turn:
                cell = ws.cell(row=HEADER_ROW, column=j)
                cell.alignment = Alignment(text_rotation=90, vertical="bottom", horizontal="center", wrap_text=False)
        tallest = max(len(label) for label, turn in zip(labels, upright) if turn)
        ws.row_dimensions[HEADER_ROW].height = min(200, 6.5 * tallest + 8)
    for j, w in enumerate(final, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    _row_heights(ws, HEADER_ROW if ws.row_dimensions[HEADER_ROW].height is None else HEADER_ROW + 1,
                 last_row, final)
    # notes under the table: a number's note has its value in the last column, under the
    # numbers; a note in words fills the width; footnotes (in italics) say what blanks mean
    notes: list[tuple[str, Any, str, bool]] = []
    for n in frame.attrs.get("notes", ()):
        label, value, kind = n["label"], n.get("value"), n.get("kind", "text")
        if not is_numeric_kind(kind):
            notes.append((f"{label}: {fmt(value, 'text')}" if fmt(value, "text") else label, None, "text", False))
        else:
            missing = missing or _missing(value)
            notes.append((label, value, kind, False))
    if missing:
        notes.append((NONE_FOOTNOTE, None, "text", True))
    if not_applicable:
        notes.append((NOT_APPLICABLE_FOOTNOTE.format(columns=", ".join(sorted(not_applicable))), None, "text", True))
    row = last_row + 2
    ncols = max(len(columns), 2)
    for label, value, kind, italic in notes:
        span = ncols if kind == "text" else ncols - 1
        cell = ws.cell(row=row, column=1)
        write_text(cell, label)
        cell.font = Font(name=FONT, italic=italic, size=9)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if span > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        if kind != "text" and not _missing(value):
            out = ws.cell(row=row, column=ncols)
            write_value(out, value, kind)
            out.alignment = Alignment(vertical="top", horizontal="right")
        room = sum(final[:span]) if len(final) >= span else sum(final) or _MIN_WIDTH
        ws.row_dimensions[row].height = 12 * _wrapped_lines(label, room * 1.25) + 2
        row += 1
    total_width = sum(final) or _MIN_WIDTH
    title = str(frame.attrs.get("title") or name)
    _title_block(ws, heading, title, figures, total_width)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1).coordinate
    if columns and len(frame):
        ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last_row}"
        used = {t.lower() for sheet in workbook.worksheets for t in sheet.tables}
        table = Table(displayName=_table_name(name, used), ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True, showColumnStripes=False,
                                              showFirstColumn=False, showLastColumn=False)
        ws.add_table(table)
    _print_setup(ws, total_width, row - 1 if notes else last_row, max(len(columns), 1), footer or heading,
                 one_page)


def _widths(widths: list[int], text_len: list[int], least: int = _MIN_WIDTH,
            wide: list[bool] | None = None) -> list[float]:
    """Column widths: numbers and headings' longest words as they are; text columns as wide
    as their longest text when the table then fits a portrait page, else narrower (the text wraps).

    A table whose ``attrs["wide"]`` names a column of long text (a deal's terms in words) keeps
    that column wide on a landscape page, the other text columns narrowed first."""
    if wide and any(wide):
        for cap, wide_cap in ((_TEXT_WIDTH, _MAX_WIDTH), (22, _MAX_WIDTH), (22, 45)):
            caps = [wide_cap if is_wide else cap for is_wide in wide]
            final: list[float] = [min(_MAX_WIDTH, max(least, max(w, min(t, c)) + 2))
                                  for w, t, c in zip(widths, text_len, caps)]
            if sum(final) <= LANDSCAPE_TEXT_WIDTH:
                return final
    for cap in (_MAX_WIDTH, _TEXT_WIDTH, 22):
        final = [float(min(_MAX_WIDTH, max(least, max(w, min(t, cap)) + 2))) for w, t in zip(widths, text_len)]
        if sum(final) <= PORTRAIT_WIDTH:
            break
    return final


def _wrapped_lines(text: str, width: float) -> int:
    """Lines a text takes in a column ``width`` characters wide, wrapping between words.

    >>> _wrapped_lines("Present value of fiscal benefits", 12), _wrapped_lines("x" * 25, 10)
    (4, 3)
    """
    width = max(width, 1.0)
    total = 0
    used: float
    for paragraph in str(text).split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            n = len(word)
            if used == 0:
                used = n
            elif used + 1 + n <= width:
                used += 1 + n
            else:
                lines, used = lines + 1, n
            if used > width:                       # a word longer than the column breaks
                extra = math.ceil(used / width) - 1
                lines, used = lines + extra, used - extra * width
        total += lines
    return total


def _row_heights(ws, first: int, last: int, widths: list[float]) -> None:
    """Heights for rows whose wrapped text needs more than one line (spreadsheets do not
    all grow rows by themselves)."""
    for r in range(first, last + 1):
        lines = 1
        for j, w in enumerate(widths, start=1):
            cell = ws.cell(row=r, column=j)
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                # a width unit is one digit; ordinary text runs about 15% narrower
                factor = 1.0 if cell.font.b or any(len(word) > 20 for word in cell.value.split()) else 1.12
                lines = max(lines, _wrapped_lines(cell.value, (w - 1) * factor))
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines + 1


def _total_rows(frame: pd.DataFrame) -> set[int]:
    """Positions of the rows that are totals (agency id ``total``), shown in bold."""
    out: set[int] = set()
    for col in ("agency",):
        if col in frame.columns:
            out |= {i for i, v in enumerate(column_values(frame, col)) if v == "total"}
    return out


def add_chart_sheet(workbook: Workbook, name: str, charts: Sequence[tuple[str, Any, str]], *,
                    heading: str | None = None, figures: str = "", footer: str | None = None) -> None:
    """A sheet of charts as PNG images, each with its caption under it, never split across pages.

    ``charts`` holds ``(name, matplotlib Figure, caption)``.
    """
    from openpyxl.drawing.image import Image

    ws = workbook.create_sheet(title=name[:31])
    heading = heading or workbook.properties.title or name
    # one column narrower than a portrait page in any spreadsheet, images as wide as it
    column, width_px, row_pt = 72, 540, 15.0        # default rows are 15 points (20 pixels) high
    page_pt = (11.69 - 0.6 - 0.75) * 72 - 10         # A4 height within the margins, points
    ws.column_dimensions["A"].width = column
    _title_block(ws, heading, "Charts", figures, column)
    used = sum(ws.row_dimensions[r].height or row_pt for r in range(1, HEADER_ROW))
    row = HEADER_ROW
    for _chart_name, fig, caption in charts:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100)
        buffer.seek(0)
        image = Image(buffer)
        image.height, image.width = round(image.height * width_px / image.width), width_px
        rows = math.ceil(image.height / 20)
        caption_pt = _wrapped_lines(caption, column * 1.15) * 12 + 4
        block = rows * row_pt + caption_pt + row_pt
        if used + block > page_pt and row > HEADER_ROW:   # the chart starts a new page
            ws.row_breaks.append(Break(id=row - 1))
            used = 0.0
        ws.add_image(image, f"A{row}")
        row += rows
        cell = ws.cell(row=row, column=1)
        write_text(cell, caption)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(name=FONT, italic=True, size=9, color="404040")
        ws.row_dimensions[row].height = caption_pt
        row += 2
        used += block
    _print_setup(ws, column, row, 1, footer or heading, one_page=False, repeat_header=False)


@takes(sheets="sheets", title="text?")
def workbook_bytes(sheets: Mapping[str, pd.DataFrame], title: str | None = None, *,
                   figures: Mapping[str, str] | None = None, charts: Sequence[tuple[str, Any, str]] = (),
                   charts_figures: str = "", one_page: Collection[str] = ("Summary", "Side by side"),
                   footer: str | None = None, finish: Callable[[Workbook], None] | None = None) -> bytes:
    """A workbook with one sheet per table (and a sheet of charts), as the bytes of an ``.xlsx`` file.

    Parameters
    ----------
    sheets : mapping of sheet name to table
    title : str, optional
        The intervention (or what is compared): the title block's first line, the
        printed footer and the file's title.
    figures : mapping of sheet name to str, optional
        What each sheet's figures are, for its title block.
    charts : sequence of (name, Figure, caption), optional
        Charts for a "Charts" sheet after the tables.
    charts_figures : str
        What the charts' figures are, for the chart sheet's title block.
    one_page : collection of str
        Sheets fitted to one printed page.
    footer : str, optional
        The name in the printed footer (default: ``title``).
    finish : callable, optional
        Called with the workbook once every sheet is in it, before it is saved: the
        cover sheet is added so (:func:`cba.outputs.export._cover.cover_sheet`).
    """
    wb = Workbook()
    blank = wb.active
    assert blank is not None  # a new workbook has one sheet
    wb.remove(blank)
    if title:
        wb.properties.title = _text(title)[:255]
    figures = dict(figures or {})
    for name, frame in sheets.items():
        add_sheet(wb, name, frame, heading=title, figures=figures.get(name, ""), one_page=name in one_page,
                  footer=footer)
    if charts:
        add_chart_sheet(wb, "Charts", charts, heading=title, figures=charts_figures, footer=footer)
    if finish is not None:
        finish(wb)
    wb.properties.creator = f"cba-appraisal {__version__}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
