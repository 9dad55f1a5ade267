"""The cover sheet of a workbook: what it is, the model, the price base, the headline and the contents.

A reader opening a workbook (or its printout) first sees the intervention's title, the
model file, the price base and horizon, the few figures a board asks for first (present
values of costs and benefits, net present public value, the benefit-cost ratio and its
value for money category), and a list of the sheets with what each holds, each a link
to its sheet. Numbers are number cells in the workbook's formats (a horizon is a
number, money is money), never text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Name of the cover sheet, the first in the workbook.
COVER = "Cover"
_FONT = "Calibri"
_RULE = Side(style="thin", color="7F7F7F")
_FILL = PatternFill("solid", fgColor="DDEBF7")


def cover_sheet(title: str, about: Sequence[tuple[str, Any, str]], sheets: Mapping[str, pd.DataFrame],
                charts: bool, figures: str = "") -> Callable[[Workbook], None]:
    """What :func:`cba.outputs.export._xlsx.workbook_bytes` calls (``finish=``) to put the cover in front.

    The contents list ``sheets`` by name with each table's title, then the charts
    sheet when there is one.
    """
    contents = [(name, str(frame.attrs.get("title") or name)) for name, frame in sheets.items()]
    if charts:
        contents.append(("Charts", "The charts, each with its caption"))
    return lambda workbook: add_cover_sheet(workbook, title, about, contents, figures)


def add_cover_sheet(workbook: Workbook, title: str, about: Sequence[tuple[str, Any, str]],
                    contents: Sequence[tuple[str, str]], figures: str = "") -> None:
    """Add the cover sheet in front of the others.

    Parameters
    ----------
    title : str
        The intervention (the workbook's title).
    about : sequence of (label, value, kind)
        The model, the price base, the headline figures; ``kind`` is one of
        :data:`cba.outputs._format.KINDS` (``text`` for words).
    contents : sequence of (sheet name, what it holds)
        The sheets, in order.
    figures : str
        What the figures are (the price base, present values): the title block's third line.
    """
    from cba.outputs.export._xlsx import _print_setup, write_text, write_value

    ws = workbook.create_sheet(title=COVER, index=0)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    cell = ws.cell(row=1, column=1)
    write_text(cell, title)
    cell.font = Font(name=_FONT, bold=True, size=14)
    for row, text, font in ((2, "Cost-benefit analysis workbook: the headline and the contents",
                             Font(name=_FONT, bold=True, size=11)),
                            (3, figures, Font(name=_FONT, italic=True, size=10, color="404040"))):
        if text:
            cell = ws.cell(row=row, column=1)
            write_text(cell, text)
            cell.font = font
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    ws.row_dimensions[3].height = 15 * max(1, -(-len(figures) // 120)) + 2
    row = 5
    for heading, rows in (("The appraisal", about), ("Contents", contents)):
        for col in (1, 2):
            c = ws.cell(row=row, column=col)
            if col == 1:
                write_text(c, heading)
            c.font, c.fill, c.border = Font(name=_FONT, bold=True, size=11), _FILL, Border(bottom=_RULE)
        row += 1
        for item in rows:
            label, value = item[0], item[1]
            kind = item[2] if len(item) > 2 else "text"
            left = ws.cell(row=row, column=1)
            write_text(left, label)
            left.alignment = Alignment(vertical="top", wrap_text=True)
            right = ws.cell(row=row, column=2)
            if heading == "Contents":
                quoted = label.replace("'", "''")
                left.hyperlink = Hyperlink(ref=left.coordinate, location=f"'{quoted}'!A1")  # within the workbook
                left.font = Font(name=_FONT, size=11, color="0563C1", underline="single")
                write_text(right, str(value))
            elif value is not None:
                write_value(right, value, kind)
            right.alignment = Alignment(vertical="top", wrap_text=True, horizontal="left")
            lines = max(1, -(-len(str(value or "")) // 75), -(-len(label) // 40))
            ws.row_dimensions[row].height = 15 * lines + 2
            row += 1
        row += 1
    _print_setup(ws, 104, row - 2, 2, title, one_page=True, repeat_header=False)
