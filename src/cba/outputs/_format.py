"""Text, Markdown and HTML renderings of tables. The only place numbers are rounded.

Every table of :mod:`cba.outputs.tables._tables` is a pandas DataFrame whose ``attrs`` say how to
show it to people:

``title``
    A heading.
``kinds``
    Column -> kind of number (see :data:`KINDS`). A kind written ``"@col"`` is read
    row by row from column ``col`` (a table whose rows hold different units).
``labels``
    Column -> heading for people (defaults to the column name).
``hidden``
    Columns kept for programs but not shown to people.
``notes``
    Lines shown under the table: dicts with ``label``, ``value`` and ``kind``.
``blank``
    Columns whose missing numbers mean "not applicable" and show as blank
    rather than ``none`` (a cashable share of an economic value).

The DataFrame itself always holds unrounded numbers; only these renderings round.
The readable summary of an appraisal and of a model, built from these renderings,
is in :mod:`cba.outputs._summary`. This module imports no tables.
"""

from __future__ import annotations

import math
import sys
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.outputs.tables._headline import PlainTable

#: Kinds of value a table column may hold, with how people see them.
KINDS = {
    "money": "pounds, to the nearest pound (£23,401; -£9,662)",
    "ratio": "a ratio to 2 places (1.47)",
    "share": "a share as a percentage to 1 place (19.5%)",
    "rate": "a rate as a percentage, 1 or 2 places (20.0%, 12.25%)",
    "years": "whole years (3)",
    "factor": "a multiplier to 6 places (0.966184)",
    "number": "a count or quantity, up to 2 places (100; 0.5)",
    "int": "a whole number (3)",
    "bool": "yes or no",
    "text": "text as written",
}


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pd = sys.modules.get("pandas")        # not imported: no pandas missing-value object exists
    try:
        return bool(pd.isna(value)) if pd is not None else bool(value != value)
    except (TypeError, ValueError):
        return False


def fmt(value, kind: str = "money") -> str:
    """Format one value for people.

    Parameters
    ----------
    value : float, int, str, bool or None
        The number (pounds for ``money``; a fraction for ``share`` and ``rate``).
    kind : str
        One of :data:`KINDS`.

    Returns
    -------
    str
        ``'none'`` for a missing number (an undefined ratio, no payback), ``''``
        for missing text.

    Examples
    --------
    >>> fmt(23401.368), fmt(None), fmt(1.4712, "ratio"), fmt(0.0725, "rate"), fmt(3.0, "years")
    ('£23,401', 'none', '1.47', '7.25%', '3')
    >>> fmt(-9661.84), fmt(-0.2), fmt(0.194553, "share"), fmt(0.2, "rate")
    ('-£9,662', '£0', '19.5%', '20.0%')
    >>> fmt(100.0, "number"), fmt(2.5, "number"), fmt(True, "bool"), fmt(None, "text")
    ('100', '2.5', 'yes', '')
    """
    if kind == "text":
        return "" if _missing(value) else str(value)
    if _missing(value):
        return "none"
    if kind == "bool":
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    value = float(value)
    if kind == "money":
        pounds = round(value)
        return f"-£{-pounds:,.0f}" if pounds < 0 else f"£{abs(pounds):,.0f}"
    if kind == "share":
        return f"{value:.1%}"
    if kind == "rate":
        text = f"{value * 100:.2f}"
        if text.endswith("0"):
            text = text[:-1]
        return f"{text}%"
    if kind in ("years", "int"):
        return f"{value:.0f}"
    if kind == "factor":
        return f"{value:.6f}"
    if kind == "number":
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return f"{value:,.2f}"


# ---------------------------------------------------------------- table metadata
def visible_columns(frame: pd.DataFrame | PlainTable) -> list[str]:
    """Columns shown to people (all but ``attrs['hidden']``)."""
    hidden = set(frame.attrs.get("hidden", ()))
    return [c for c in frame.columns if c not in hidden]


def column_label(frame: pd.DataFrame | PlainTable, column: str) -> str:
    return str(frame.attrs.get("labels", {}).get(column, column))


def column_values(frame: pd.DataFrame | PlainTable, column: str) -> list:
    """A column's values as a Python list (one pass; no per-cell pandas lookups)."""
    return frame[column].tolist()


def column_kinds(frame: pd.DataFrame | PlainTable, column: str) -> list[str]:
    """Kind of each value of ``column``, resolving ``"@col"`` kinds row by row."""
    kind = frame.attrs.get("kinds", {}).get(column)
    if kind is None:
        import pandas as pd

        dtype = frame[column].dtype
        if pd.api.types.is_bool_dtype(dtype):
            kind = "bool"
        else:
            kind = "number" if pd.api.types.is_numeric_dtype(dtype) else "text"
    if kind.startswith("@"):
        return [str(k) for k in column_values(frame, kind[1:])]
    return [kind] * len(frame)


def cell_kind(frame: pd.DataFrame | PlainTable, column: str, row: int) -> str:
    """Kind of the value at (row position, column), resolving ``"@col"`` kinds."""
    return column_kinds(frame, column)[row]


def is_numeric_kind(kind: str) -> bool:
    return kind not in ("text", "bool")


def shows_blank(frame: pd.DataFrame | PlainTable, column: str, value) -> bool:
    """Whether a missing value in ``column`` means "not applicable" (shown blank)."""
    return column in frame.attrs.get("blank", ()) and _missing(value)


def cell_text(frame: pd.DataFrame | PlainTable, column: str, row: int) -> str:
    value = column_values(frame, column)[row]
    if shows_blank(frame, column, value):
        return ""
    return fmt(value, cell_kind(frame, column, row))


def _column_texts(frame: pd.DataFrame | PlainTable, column: str) -> tuple[list[str], bool]:
    """The column as people see it, and whether it holds only numbers."""
    values, kinds = column_values(frame, column), column_kinds(frame, column)
    blank = column in frame.attrs.get("blank", ())
    texts = ["" if blank and _missing(v) else fmt(v, k) for v, k in zip(values, kinds)]
    if not len(frame):
        kind = frame.attrs.get("kinds", {}).get(column, "text")
        return texts, not kind.startswith("@") and is_numeric_kind(kind)
    return texts, all(is_numeric_kind(k) for k in kinds)


#: What "none" means in a table of results, shown under a table where it appears.
NONE_NOTE = ("none: the figure is not defined here (a ratio with no costs to divide by, no payback "
             "within the horizon, or no internal rate of return because the net flows never change sign)")


def none_note(frame: pd.DataFrame | PlainTable, body: list[list[str]]) -> str | None:
    """The footnote explaining ``none`` when a number of the table shows as ``none``.

    A table may give its own explanation in ``attrs["none_note"]`` (an empty one
    for none at all).
    """
    if not any(c == "none" for row in body for c in row):
        return None
    return frame.attrs.get("none_note", NONE_NOTE) or None


def _note_lines(frame: pd.DataFrame | PlainTable, body: list[list[str]] | None = None) -> list[str]:
    notes = [f"{n['label']}: {fmt(n.get('value'), n.get('kind', 'text'))}" for n in frame.attrs.get("notes", ())]
    extra = none_note(frame, body) if body is not None else None
    return notes + ([extra] if extra else [])


def _grid(frame: pd.DataFrame | PlainTable) -> tuple[list[str], list[list[str]], list[bool]]:
    cols = visible_columns(frame)
    header = [column_label(frame, c) for c in cols]
    columns = [_column_texts(frame, c) for c in cols]
    body = [list(row) for row in zip(*(texts for texts, _ in columns))] if cols else [[] for _ in range(len(frame))]
    right = [numeric for _, numeric in columns]
    return header, body, right


# ---------------------------------------------------------------- renderers
def wrap_lines(text: str, width: int | None = None, indent: str = "  ") -> list[str]:
    """A paragraph wrapped to ``width`` (default: :func:`cba.outputs._textgrid.text_width`)."""
    from cba.outputs._textgrid import text_width, wrap

    return wrap(text, text_width() if width is None else width, indent)


def render_table_text(frame: pd.DataFrame | PlainTable, title: bool = True, width: int | None = None) -> str:
    """A table as aligned plain text (numbers right-aligned), with its notes.

    A table wider than ``width`` (default: the terminal's width, else 100 columns;
    see :func:`cba.outputs._textgrid.text_width`) wraps its headings and text, then stacks
    its columns in blocks (:func:`cba.outputs._textgrid.layout`). A ``none`` in the table
    gets a footnote saying what it means.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"agency": ["Police"], "net": [1500.4]})
    >>> t.attrs.update(title="Who saves", kinds={"net": "money"}, labels={"agency": "Agency", "net": "Net"})
    >>> print(render_table_text(t))
    Who saves
    Agency     Net
    ------  ------
    Police  £1,500
    """
    from cba.outputs._textgrid import layout, text_width

    width = text_width() if width is None else width
    header, body, right = _grid(frame)
    out = []
    if title and frame.attrs.get("title"):
        out += wrap_lines(str(frame.attrs["title"]), width)
    out += layout(header, body, right, width)
    notes = _note_lines(frame, body)
    if notes:
        out.append("")
        for n in notes:
            out += wrap_lines(n, width)
    return "\n".join(out)


def _md_cell(text: str) -> str:
    from cba.core._escaping import markdown_text

    return markdown_text(text, cell=True)


def render_table_markdown(frame: pd.DataFrame | PlainTable, level: int = 2) -> str:
    """A table as GitHub-flavoured Markdown, with its title as a heading.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"agency": ["Police"], "net": [1500.4]})
    >>> t.attrs.update(kinds={"net": "money"}, labels={"agency": "Agency", "net": "Net"})
    >>> print(render_table_markdown(t))
    | Agency | Net |
    | :--- | ---: |
    | Police | £1,500 |
    """
    header, body, right = _grid(frame)
    out = []
    if frame.attrs.get("title") and level:
        out += [f"{'#' * level} {_md_cell(str(frame.attrs['title']))}", ""]
    out.append("| " + " | ".join(_md_cell(h) for h in header) + " |")
    out.append("| " + " | ".join("---:" if r else ":---" for r in right) + " |")
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in body]
    notes = _note_lines(frame, body)
    if notes:
        out.append("")
        out += [f"{_md_cell(n)}  " for n in notes]
        out[-1] = out[-1].rstrip()
    return "\n".join(out)


def render_table_html(frame: pd.DataFrame | PlainTable) -> str:
    """A table as an HTML ``<table>`` (every text escaped), with its notes."""
    header, body, right = _grid(frame)
    style = " style='text-align:right'"
    parts = ["<table>"]
    if frame.attrs.get("title"):
        parts.append(f"<caption style='text-align:left'><strong>{escape(str(frame.attrs['title']))}</strong></caption>")
    parts.append("<thead><tr>" + "".join(f"<th{style if r else ''}>{escape(h)}</th>" for h, r in zip(header, right))
                 + "</tr></thead><tbody>")
    for row in body:
        cells = "".join(f"<td{style if r else ''}>{escape(c)}</td>" for c, r in zip(row, right))
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    notes = _note_lines(frame, body)
    if notes:
        parts.append("<p>" + "<br>".join(escape(n) for n in notes) + "</p>")
    return "".join(parts)


# ---------------------------------------------------------------- units and values
def units_text(price_base: str) -> str:
    """The sentence that says what the money in a table is.

    >>> units_text("2024/25")
    'Money in pounds at 2024/25 prices; present values discounted to year 0.'
    """
    return f"Money in pounds at {price_base} prices; present values discounted to year 0."


def format_value(x: float, unit: str) -> str:
    """A parameter's value for a label: pounds, ``×1.2`` for a multiplier, else as is.

    >>> format_value(1.2, "multiplier"), format_value(0.035, "rate"), format_value(1500, "pounds")
    ('×1.2', '0.035', '£1,500')
    """
    if isinstance(x, float) and math.isnan(x):
        return "as modelled"
    if unit == "pounds":
        return fmt(float(x), "money")
    if unit == "multiplier":
        return f"×{x:g}"
    return f"{x:g}"
