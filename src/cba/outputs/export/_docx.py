"""A Word document laid out for A4, built from the business-case tables and charts.

:class:`WordDocument` is what :mod:`cba.outputs.export._docx_case` writes a business case
with: headings, paragraphs, tables as editable Word tables (a caption above, notes
under, the heading row repeated on every page, numbers right-aligned) and charts as
PNG pictures with their captions. Tables are measured as the HTML report measures
them (:mod:`cba.outputs.report._layout`, in its 8pt table font and at its margins):
one that fits a portrait page stays portrait, a wider one goes on a landscape page,
and one wider than that is cut by columns into parts that each repeat the row
labels. Numbers are formatted by :func:`cba.outputs._format.fmt`, as in every other
output.

Every text goes in as plain text (never as markup or a field), with control
characters replaced (:func:`word_text`): a name in a model file cannot break the
document or run as anything.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from cba.outputs._format import (
    column_kinds,
    column_label,
    column_values,
    fmt,
    is_numeric_kind,
    shows_blank,
    visible_columns,
)
from cba.outputs.report._layout import (
    BOLD,
    CELL_PAD_EM,
    LONG_WORD,
    NARROW,
    NONE_NOTE,
    PORTRAIT_EM,
    column_em,
    orientation,
    split,
    table_em,
    text_em,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: A4 in millimetres, and the report's print margins (top, sides, bottom).
PAGE_MM, MARGIN_MM = (210.0, 297.0), (16.0, 12.0, 16.0)
#: The fonts: body text, tables (the report's print sizes), notes and captions.
FONT, BODY_PT, TABLE_PT, NOTE_PT = "Arial", 10, 8, 8.5
#: Width of a chart on the page, millimetres, and the resolution of its picture.
CHART_MM, CHART_DPI = 170.0, 150
#: Height a chart may take at most, millimetres (a taller one is drawn narrower): two charts
#: and their captions fit on a portrait page.
CHART_HEIGHT_MM = 105.0
TWIPS_PER_MM = 1440 / 25.4
#: Left and right margin of a table cell, twentieths of a point (1 mm).
CELL_MARGIN_TWIPS = 57
#: Colours: muted text (captions, notes, running head) and the heading row's shading.
MUTED, HEADER_FILL = RGBColor(0x55, 0x55, 0x55), "F3F6F9"
#: Characters Word cannot hold (C0 and C1 controls, surrogates, non-characters):
#: spacing controls become a space, the rest are dropped.
_SPACING = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def word_text(value: Any) -> str:
    """Text as a Word run may hold it: spacing controls as one space, other control characters removed.

    Unlike :func:`cba.core._escaping.plain_text`, which shows a control character as its
    escape on a terminal, this drops it: Word's XML cannot hold one at all.

    >>> word_text("Pilot\\x07 one\\nline two\\x9b")
    'Pilot one line two'
    """
    return _CONTROL.sub("", _SPACING.sub(" ", str(value)))


def _mm_per_em() -> float:
    """Millimetres per em of the table font (8pt = 2.822 mm)."""
    return TABLE_PT * 25.4 / 72


def _set_cell_fill(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row, tag: str) -> None:
    """A row property with no value (``w:tblHeader``: repeat on each page; ``w:cantSplit``: keep whole)."""
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _mark_size(paragraph, size: float) -> None:
    """The size of a paragraph's mark, which sets the height of an empty cell: the table font's, so that a
    row with a blank cell is no taller than the others."""
    props = paragraph._p.get_or_add_pPr()
    marks = props.find(qn("w:rPr"))
    if marks is None:
        marks = OxmlElement("w:rPr")
        props.append(marks)                     # the mark's run properties come last in w:pPr
    for tag in ("w:sz", "w:szCs"):
        prop = OxmlElement(tag)
        prop.set(qn("w:val"), str(round(size * 2)))
        marks.append(prop)


def _field(paragraph, instruction: str, shown: str, size: float) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out the page."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    for tag, value in (("w:color", str(MUTED)), ("w:sz", str(round(size * 2)))):
        prop = OxmlElement(tag)
        prop.set(qn("w:val"), value)
        props.append(prop)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _font(style, name: str) -> None:
    """Set a style's font, dropping the theme's font, which would otherwise win."""
    style.font.name = name
    fonts = style.element.rPr.rFonts
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _cells(frame: pd.DataFrame) -> tuple[list[str], list[list[str]], list[list[bool]], list[bool]]:
    """Headings, cell texts, which cells are numbers, and which columns are mostly numbers."""
    columns = visible_columns(frame)
    header = [column_label(frame, c) for c in columns]
    texts, numeric, right = [], [], []
    for c in columns:
        values, kinds = column_values(frame, c), column_kinds(frame, c)
        texts.append(["" if shows_blank(frame, c, v) else fmt(v, k) for v, k in zip(values, kinds)])
        numeric.append([is_numeric_kind(k) for k in kinds])
        if len(frame):
            right.append(sum(numeric[-1]) > len(kinds) / 2)
        else:
            kind = str(frame.attrs.get("kinds", {}).get(c, "text"))
            right.append(kind.startswith("@") or is_numeric_kind(kind))
    rows = [list(r) for r in zip(*texts)] if columns else [[] for _ in range(len(frame))]
    cell_numeric = [list(r) for r in zip(*numeric)] if columns else [[] for _ in range(len(frame))]
    return header, rows, cell_numeric, right


def _cell_margins(table) -> None:
    """Narrow cell margins (the report's padding), so that the report's column widths hold the same text."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))     # Word reads the schema's order: the margins go before it
    if look is None:
        properties.append(margins)
    else:
        look.addprevious(margins)


def _lines(text: str, width_em: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a cell ``width_em`` wide, wrapped between words."""
    room, scale = max(width_em - CELL_PAD_EM, 1.0), BOLD if bold else 1.0
    count, line = 1, 0.0
    for word in text.split():
        w = scale * text_em(word[:LONG_WORD])
        if line and line + scale * NARROW + w > room:
            count, line = count + 1, w
        else:
            line += (scale * NARROW if line else 0.0) + w
    return count


def _height(header: list[str], rows: list[list[str]], widths: list[float]) -> int:
    """Lines the table takes, each row (the heading row too) as tall as its tallest cells, weighted far
    above the lines of those tallest cells: fewer of them is what makes a row shorter next."""
    out = 0
    for r, row in enumerate([header, *rows]):
        lines = [_lines(t, w, bold=r == 0) for t, w in zip(row, widths)]
        top = max(lines, default=1)
        out += 1000 * top + top * lines.count(top)
    return out


def _least(texts: list[str]) -> float:
    """The narrowest a text column can be without breaking a word (its heading, the first text, is bold)."""
    return max([BOLD * text_em(w[:LONG_WORD]) for w in texts[0].split()]
               + [text_em(w[:LONG_WORD]) for t in texts[1:] for w in t.split()] + [1.0]) + CELL_PAD_EM


def _balanced(header: list[str], rows: list[list[str]], ems: list[float], right: list[bool],
              room: float) -> list[float]:
    """Widths (ems) that make a table of long text as short as it can be on the page: the text columns
    start at their longest word (numbers at their width), and room goes, a step at a time, to the
    column whose widening saves the most lines for the room it takes (or, where two cells of a row
    are as tall, the most lines of the tallest cells); what is left widens every column in proportion."""
    widths = [ems[i] if right[i] else _least([header[i], *(r[i] for r in rows)]) for i in range(len(header))]
    step = 0.5
    if sum(widths) >= room:                       # no room to balance: narrowed together, as any table
        return widths
    while (spare := room - sum(widths)) >= step:
        now, best = _height(header, rows, widths), None
        for i in (i for i in range(len(widths)) if not right[i]):
            k = 1                                 # the least widening of column i that saves a line
            while k * step <= spare:
                trial = [w + k * step if j == i else w for j, w in enumerate(widths)]
                saved = now - _height(header, rows, trial)
                if saved > 0:
                    if best is None or saved / k > best[0]:
                        best = (saved / k, i, k)
                    break
                k += 1
        if best is None:
            break
        widths[best[1]] += best[2] * step
    spare = room - sum(widths)
    return [w + spare * w / sum(widths) for w in widths]


def _widths(frame: pd.DataFrame, header: list[str], rows: list[list[str]], room_mm: float,
            right: list[bool]) -> list[float]:
    """Column widths in millimetres: the report's (:func:`cba.outputs.report._layout.column_em`), narrowed
    together to fit the page; on a page with room to spare, text columns widen towards one line
    per cell, so that a short table does not wrap its row labels needlessly.

    A table with a column of long text (named in ``attrs["wide"]``: a deal's terms in words) is
    laid out to take as few lines as it can (:func:`_balanced`; ``right`` marks the columns of
    numbers, which never wrap), so that neither its sentences nor the short columns beside them
    run down the page."""
    mm, room = _mm_per_em(), room_mm / _mm_per_em()
    columns = visible_columns(frame)
    ems = [column_em(frame, c) for c in columns]
    if any(c in frame.attrs.get("wide", ()) for c in columns):
        ems = _balanced(header, rows, ems, right, room)
    if sum(ems) >= room:
        return [em * mm * room / sum(ems) for em in ems]
    if any(c in frame.attrs.get("wide", ()) for c in columns):
        return [w * mm for w in ems]
    full = [max(em, BOLD * text_em(head) + CELL_PAD_EM, *(text_em(r[i]) + CELL_PAD_EM for r in rows))
            for i, (em, head) in enumerate(zip(ems, header))]
    spare, wanted = room - sum(ems), sum(f - e for f, e in zip(full, ems))
    share = 1.0 if wanted <= spare else spare / wanted
    return [(e + (f - e) * share) * mm for e, f in zip(ems, full)]


class WordDocument:
    """A Word document being written: A4, the report's margins, a running head and page numbers.

    Parameters
    ----------
    title : str
        The document's title (its properties, and the running head).
    foot : str
        The running foot, left of the page number (the price base).
    running_head : str, optional
        The running head (default: the title, ": cost-benefit appraisal").
    """

    def __init__(self, title: str, foot: str, running_head: str | None = None) -> None:
        self.doc = Document()
        self.orientation = "portrait"
        self._empty, self._after_table = True, False
        props = self.doc.core_properties
        props.title, props.subject = word_text(title), "Cost-benefit appraisal"
        props.author = props.last_modified_by = "cba-appraisal"
        style = self.doc.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(BODY_PT)
        for name in ("Title", "Heading 1", "Heading 2", "Caption"):
            _font(self.doc.styles[name], FONT)
        caption = self.doc.styles["Caption"]
        caption.font.size, caption.font.bold, caption.font.italic = Pt(9), True, False
        caption.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
        section = self.doc.sections[0]
        self._page(section, "portrait")
        head = section.header.paragraphs[0]
        self._run(head, running_head or f"{title}: cost-benefit appraisal", size=8, color=MUTED)
        foot_line = section.footer.paragraphs[0]
        self._run(foot_line, foot, size=8, color=MUTED)
        page = section.footer.add_paragraph()
        page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._run(page, "Page ", size=8, color=MUTED)
        _field(page, "PAGE", "1", 8)
        self._run(page, " of ", size=8, color=MUTED)
        _field(page, "NUMPAGES", "1", 8)

    # ------------------------------------------------------------ pages
    @staticmethod
    def _page(section, how: str) -> None:
        width, height = PAGE_MM if how == "portrait" else PAGE_MM[::-1]
        section.orientation = WD_ORIENT.PORTRAIT if how == "portrait" else WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(width), Mm(height)
        top, side, bottom = MARGIN_MM
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin = section.right_margin = Mm(side)
        section.header_distance = section.footer_distance = Mm(7)

    def orient(self, how: str) -> None:
        """Go on in ``how`` ("portrait" or "landscape"): a new page in that orientation if it changes."""
        if how == self.orientation:
            return
        self._after_table = False
        self.orientation = how
        if self._empty:
            self._page(self.doc.sections[-1], how)
            return
        self._page(self.doc.add_section(WD_SECTION.NEW_PAGE), how)
        # the paragraph that ends the last section takes no room, so that it never spills onto a page of its own
        end = self.doc.paragraphs[-1].paragraph_format
        end.space_before, end.space_after, end.line_spacing = Pt(0), Pt(0), Pt(1)

    @property
    def width_mm(self) -> float:
        """Width of the text on the current page, millimetres."""
        return (PAGE_MM[0] if self.orientation == "portrait" else PAGE_MM[1]) - 2 * MARGIN_MM[1]

    # ------------------------------------------------------------ text
    @staticmethod
    def _run(paragraph, text: str, *, size: float | None = None, bold: bool = False, italic: bool = False,
             color: RGBColor | None = None):
        run = paragraph.add_run(word_text(text))
        if size is not None:
            run.font.size = Pt(size)
        run.font.bold, run.font.italic = bold or None, italic or None
        if color is not None:
            run.font.color.rgb = color
        return run

    def heading(self, text: str, level: int = 1):
        """A heading (level 0 is the document's title); it stays with what follows it."""
        self._empty = self._after_table = False
        paragraph = self.doc.add_heading(level=level)
        self._run(paragraph, text)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def paragraph(self, text: str, *, muted: bool = False, bold: bool = False, size: float | None = None):
        """A paragraph of plain text."""
        self._empty = False
        paragraph = self.doc.add_paragraph()
        self._run(paragraph, text, color=MUTED if muted else None, bold=bold, size=size)
        return paragraph

    def bullets(self, texts: list[str]) -> None:
        """Paragraphs of plain text in Word's bulleted list style, close together, room after the last."""
        for i, text in enumerate(texts):
            self._empty = False
            paragraph = self.doc.add_paragraph(style="List Bullet")
            self._run(paragraph, text)
            paragraph.paragraph_format.space_after = Pt(10 if i == len(texts) - 1 else 2)

    def caption(self, text: str, *, above: bool):
        """A caption in Word's Caption style: above a table (kept with it) or under a picture."""
        self._empty = False
        paragraph = self.doc.add_paragraph(style="Caption")
        if above:
            self._run(paragraph, text)
        else:                                  # a chart's caption reads as the report's: plain and muted
            self._run(paragraph, text, color=MUTED).font.bold = False
        paragraph.paragraph_format.keep_with_next = above
        paragraph.paragraph_format.space_before = Pt(14 if above and self._after_table else 0)  # room after it
        paragraph.paragraph_format.space_after = Pt(3 if above else 10)
        return paragraph

    # ------------------------------------------------------------ tables
    @staticmethod
    def parts(frame: pd.DataFrame) -> list[tuple[pd.DataFrame, str]]:
        """The table as it goes on paper: ``(part, "portrait" | "landscape")``, as the report lays it out
        (a part of a table cut by columns that fits a portrait page goes on one)."""
        how = orientation(frame)
        if how != "split":
            return [(frame, how)]
        return [(part, "portrait" if table_em(part) <= PORTRAIT_EM else "landscape") for part in split(frame)]

    def table(self, frame: pd.DataFrame) -> None:
        """One table (or part of one, see :meth:`parts`) on the current page: its title as a caption
        above it, the heading row shaded and repeated on every page, its notes under it; columns as
        wide as the report's, narrowed together if the page is narrower."""
        header, rows, numeric, right = _cells(frame)
        if frame.attrs.get("title"):
            self.caption(str(frame.attrs["title"]), above=True)
        self._empty = False
        if not header:
            return
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _cell_margins(table)
        widths = [Twips(int(w * TWIPS_PER_MM))                     # rounded down: never over the page
                  for w in _widths(frame, header, rows, self.width_mm, right)]
        keep = len(rows) <= 30                      # a short table stays on one page, as in the report
        for r, row in enumerate(table.rows):
            _row_flag(row, "w:cantSplit")              # in the schema's order: cantSplit, then tblHeader
            if r == 0:
                _row_flag(row, "w:tblHeader")
            for c, cell in enumerate(row.cells):
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.keep_with_next = keep and r < len(rows)
                _mark_size(paragraph, TABLE_PT)
                if r == 0:
                    self._run(paragraph, header[c], size=TABLE_PT, bold=True)
                    _set_cell_fill(cell, HEADER_FILL)
                    if right[c]:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    continue
                self._run(paragraph, rows[r - 1][c], size=TABLE_PT)
                if numeric[r - 1][c]:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for c, column in enumerate(table.columns):
            column.width = widths[c]
        notes = [f"{n['label']}: {fmt(n.get('value'), n.get('kind', 'text'))}" for n in frame.attrs.get("notes", ())]
        if any(t == "none" and k for row, kinds in zip(rows, numeric) for t, k in zip(row, kinds)):
            notes.append(NONE_NOTE)
        for note in notes:
            self.paragraph(note, muted=True, size=NOTE_PT).paragraph_format.space_after = Pt(2)
        self._after_table = True

    # ------------------------------------------------------------ charts
    def figure(self, fig, caption: str) -> None:
        """A chart as a PNG picture about the width of a portrait page's text (narrower if it is tall),
        its caption under it."""
        self.orient("portrait")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=CHART_DPI)
        buffer.seek(0)
        self._empty = False
        width_in, height_in = fig.get_size_inches()
        width = min(CHART_MM, self.width_mm, CHART_HEIGHT_MM * width_in / height_in)
        self.doc.add_picture(buffer, width=Mm(width))
        picture = self.doc.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True
        self.caption(caption, above=False)

    def to_bytes(self) -> bytes:
        """The document as the bytes of a ``.docx`` file."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
