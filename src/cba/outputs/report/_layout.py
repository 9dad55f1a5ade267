"""Tables of the HTML report laid out for A4 paper.

A table is set in the report's print font (8pt) and measured before it is placed:
one that fits the width of a portrait A4 page stays on a portrait page; one that
fits a landscape page goes on a landscape page (a named CSS page, so the browser
turns only those pages); a wider one is cut into parts by columns, each part
repeating the table's leading text columns (the row labels) and fitting a
landscape page. Column headings wrap between words, numbers never wrap, long text
wraps. Widths are estimated from the characters each column holds (see
:data:`CHAR_EM` and :data:`PORTRAIT_EM`), on the safe side, so that no column is
cut at the edge of the paper.

Every text is escaped; numbers are formatted by :func:`cba.outputs._format.fmt`, as
in every other output.
"""

from __future__ import annotations

import copy
from html import escape
from typing import TYPE_CHECKING

from cba.outputs._format import (
    column_kinds,
    column_label,
    column_values,
    fmt,
    is_numeric_kind,
    shows_blank,
    visible_columns,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Width of characters in ems of the table's font, on the generous side (DejaVu
#: Sans, the widest common sans-serif: digits 0.64 em, capitals up to 0.77 em);
#: headings are bold, so a little wider; and the horizontal padding of a cell.
NARROW, DIGIT, UPPER, LOWER = 0.34, 0.65, 0.72, 0.58
BOLD, CELL_PAD_EM = 1.1, 1.0
#: Usable width of an A4 page at the report's margins (12 mm each side), in ems
#: of the 8pt table font (1 em = 2.82 mm): 186 mm portrait, 273 mm landscape, less
#: a margin of safety.
PORTRAIT_EM, LANDSCAPE_EM = 64.0, 94.0
#: Text longer than this many characters wraps onto more lines.
TEXT_WRAP = 18
#: A word longer than this may be broken anywhere (hashes, addresses).
LONG_WORD = 30
#: What "none" in a number's place means, under every table that shows one.
NONE_NOTE = ("none: the figure is not defined for this model (no payback within the horizon, no internal rate "
             "of return, or a ratio with nothing to divide by).")
#: Tables with at most this many rows are kept on one page when they can be.
KEEP_ROWS = 30


def _texts(frame: pd.DataFrame, column: str) -> tuple[list[str], bool]:
    """The column's cells as people see them, and whether the column holds numbers
    (a column of mostly numbers, such as the value column of the summary, counts)."""
    values, kinds = column_values(frame, column), column_kinds(frame, column)
    texts = ["" if shows_blank(frame, column, v) else fmt(v, k) for v, k in zip(values, kinds)]
    if not len(frame):
        kind = str(frame.attrs.get("kinds", {}).get(column, "text"))
        return texts, kind.startswith("@") or is_numeric_kind(kind)
    numeric = sum(is_numeric_kind(k) for k in kinds)
    return texts, numeric > len(kinds) / 2


def _numeric_cells(frame: pd.DataFrame, column: str) -> list[bool]:
    return [is_numeric_kind(k) for k in column_kinds(frame, column)]


def text_em(text: str) -> float:
    """Estimated width of a line of text in ems (see :data:`DIGIT` and its neighbours).

    >>> round(text_em("£1,234"), 2)
    3.59
    """
    return sum(NARROW if c in ",.;:'|()- /" else DIGIT if c.isdigit() or c in "£%×+-" else
               UPPER if c.isupper() else LOWER for c in text)


def column_em(frame: pd.DataFrame, column: str) -> float:
    """Estimated width of a column in ems: its heading wraps between words, its numbers never,
    its text wraps at about :data:`TEXT_WRAP` characters (never inside a word shorter than
    :data:`LONG_WORD`)."""
    texts, numeric = _texts(frame, column)
    head = BOLD * max((text_em(w) for w in column_label(frame, column).split()), default=0.0)
    if numeric:
        body = max((text_em(t) for t in texts), default=0.0)
    else:
        words = max((text_em(w[:LONG_WORD]) for t in texts for w in t.split()), default=0.0)
        lines = max((text_em(t[:TEXT_WRAP]) for t in texts), default=0.0)
        body = max(words, lines)
    return max(head, body, 1.0) + CELL_PAD_EM


def table_em(frame: pd.DataFrame, columns: list[str] | None = None) -> float:
    """Estimated width of the table (or of some of its columns) in ems."""
    return sum(column_em(frame, c) for c in (visible_columns(frame) if columns is None else columns))


def orientation(frame: pd.DataFrame) -> str:
    """``"portrait"``, ``"landscape"`` or ``"split"`` (wider than a landscape page)."""
    width = table_em(frame)
    if width <= PORTRAIT_EM:
        return "portrait"
    return "landscape" if width <= LANDSCAPE_EM else "split"


def _row_labels(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """The leading text columns that say what a row is (at most three, and not too wide)."""
    keys = []
    for c in columns[:3]:
        if _texts(frame, c)[1]:
            break
        keys.append(c)
    while keys and table_em(frame, keys) > LANDSCAPE_EM / 2:
        keys.pop()
    return keys


def split(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """The table cut by columns into parts that each fit a landscape page.

    Each part repeats the row-label columns and holds the table's hidden columns
    (kinds may refer to them); its title says which part it is. The notes go
    under the last part.
    """
    columns = visible_columns(frame)
    keys = _row_labels(frame, columns)
    rest = [c for c in columns if c not in keys]
    room = LANDSCAPE_EM - table_em(frame, keys)
    widths = {c: column_em(frame, c) for c in rest}

    def fill(limit: float) -> list[list[str]]:
        groups: list[list[str]] = [[]]
        used = 0.0
        for c in rest:
            if groups[-1] and used + widths[c] > limit:
                groups.append([])
                used = 0.0
            groups[-1].append(c)
            used += widths[c]
        return groups

    groups = fill(room)
    # as many parts as needed, but balanced: no part left with a column or two
    target = sum(widths.values()) / len(groups)
    while target < room:
        balanced = fill(target)
        if len(balanced) == len(groups):
            groups = balanced
            break
        target *= 1.05
    hidden = [c for c in frame.columns if c not in columns]
    parts = []
    for i, group in enumerate(groups, start=1):
        part = frame[[c for c in frame.columns if c in keys or c in group or c in hidden]].copy()
        part.attrs = copy.deepcopy(frame.attrs)
        title = str(frame.attrs.get("title") or "")
        part.attrs["title"] = f"{title} (part {i} of {len(groups)})" if title else f"Part {i} of {len(groups)}"
        if i < len(groups):
            part.attrs["notes"] = []
        parts.append(part)
    return parts


def _cell_class(text: str, numeric: bool) -> str:
    if numeric:
        return "num"
    return "text long" if any(len(w) > LONG_WORD for w in text.split()) else "text"


def table_html(frame: pd.DataFrame, wide: bool = False) -> str:
    """One table as HTML: numbers right-aligned and unbroken, text that may wrap, notes under it."""
    columns = visible_columns(frame)
    cells = [_texts(frame, c) for c in columns]
    numeric_cells = [_numeric_cells(frame, c) for c in columns]
    keep = " keep" if len(frame) <= KEEP_ROWS else ""
    parts = [f'<div class="table-wrap{keep}{" wide" if wide else ""}"><table>']
    if frame.attrs.get("title"):
        parts.append(f"<caption>{escape(str(frame.attrs['title']))}</caption>")
    parts.append("<thead><tr>" + "".join(
        f'<th class="{"num" if numeric else "text"}" scope="col">{escape(column_label(frame, c))}</th>'
        for c, (_, numeric) in zip(columns, cells)) + "</tr></thead><tbody>")
    for i in range(len(frame)):
        parts.append("<tr>" + "".join(f'<td class="{_cell_class(texts[i], kinds[i])}">{escape(texts[i])}</td>'
                                      for (texts, _), kinds in zip(cells, numeric_cells)) + "</tr>")
    parts.append("</tbody></table>")
    notes = [f"{n['label']}: {fmt(n.get('value'), n.get('kind', 'text'))}" for n in frame.attrs.get("notes", ())]
    if any(t == "none" and k for (texts, _), kinds in zip(cells, numeric_cells) for t, k in zip(texts, kinds)):
        notes.append(NONE_NOTE)
    if notes:
        parts.append('<p class="notes">' + "<br>".join(escape(n) for n in notes) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def blocks(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The table as report blocks: ``(html, "portrait" | "landscape")``, split when too wide."""
    how = orientation(frame)
    if how == "portrait":
        return [(table_html(frame), "portrait")]
    if how == "landscape":
        return [(table_html(frame, wide=True), "landscape")]
    out = []
    for part in split(frame):                 # a part that fits a portrait page goes on one
        portrait = table_em(part) <= PORTRAIT_EM
        out.append((table_html(part, wide=not portrait), "portrait" if portrait else "landscape"))
    return out
