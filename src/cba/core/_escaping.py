"""User text made safe for the places it is written: CSV cells, Markdown and chart labels.

CSV
    A spreadsheet executes a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return as a formula (OWASP, "CSV Injection"). :func:`csv_cell`
    puts an apostrophe in front of such text, so the spreadsheet shows it as text;
    numbers (and text that is just a number, such as ``-5``) are left as they are.
    :func:`csv_text` writes a table with every text cell, and the header, made
    safe, and quotes embedded line breaks. cba's own CSV readers take the
    apostrophe off again (:func:`csv_uncell`), so exports read back exactly.
Markdown
    :func:`markdown_text` escapes raw HTML (``<``, ``>`` and character
    references), so user text shows as written and runs nothing when rendered.
Charts
    :func:`chart_text` escapes ``$`` so matplotlib never reads a name as mathtext.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _formula_like(text: str) -> bool:
    if text.startswith("'"):
        return _formula_like(text[1:])
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not execute; non-text values unchanged.

    >>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-5"), csv_cell(-5.0), csv_cell("Key workers")
    ('\\'=HYPERLINK("http://x")', '-5', -5.0, 'Key workers')
    >>> csv_cell("@SUM(A1)"), csv_cell("'=already quoted")
    ("'@SUM(A1)", "''=already quoted")
    """
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def csv_uncell(text: str) -> str:
    """Undo :func:`csv_cell` (for cba's own CSV readers); other text unchanged.

    >>> csv_uncell("'=3308/40"), csv_uncell("'hello"), csv_uncell("''=x")
    ('=3308/40', "'hello", "'=x")
    """
    if text.startswith("'") and _formula_like(text[1:]):
        return text[1:]
    return text


def csv_text(data: Any, columns: Sequence[str] | None = None, *, index: bool = False) -> str:
    """CSV text safe to open in a spreadsheet: the one CSV writer of cba.

    Text cells and the header pass through :func:`csv_cell`; numbers stay numbers
    (written in full precision, as pandas writes them); a missing number is an
    empty cell; line breaks inside a cell are quoted. Lines end with ``\\n``.

    Parameters
    ----------
    data : pandas.DataFrame or iterable of rows
        A table, or rows (sequences) with ``columns`` as the header.
    columns : sequence of str, optional
        The header for rows (ignored for a DataFrame).
    index : bool
        Write a DataFrame's index as the first column(s).

    Examples
    --------
    >>> import pandas as pd
    >>> print(csv_text(pd.DataFrame({"option": ["=1+1", "Plan B"], "value": [-2.5, 3.0]})), end="")
    option,value
    '=1+1,-2.5
    Plan B,3.0
    >>> print(csv_text([["-cmd|' /C calc'!A0", 1]], ["name", "n"]), end="")
    name,n
    '-cmd|' /C calc'!A0,1
    """
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        frame = data.reset_index() if index else data
        safe = frame.copy()
        safe.columns = [csv_cell(str(c)) for c in frame.columns]
        carriage_return = any("\r" in c for c in safe.columns)
        for j in range(safe.shape[1]):
            col = safe.iloc[:, j]
            if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
                # text columns repeat a few names: look at each distinct value once
                texts = [v for v in pd.unique(col.to_numpy(dtype=object)) if isinstance(v, str)]
                changed = {v: "'" + v for v in texts if _formula_like(v)}
                if changed:
                    fixed = col.astype(object).map(
                        lambda v, changed=changed: changed.get(v, v) if isinstance(v, str) else v)
                    safe.isetitem(j, fixed)  # type: ignore[arg-type]  # pandas-stubs' isetitem lacks Series
                carriage_return = carriage_return or any("\r" in v for v in texts)
        # with "\n" line ends the csv module does not quote a lone carriage return: quote all text then
        quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONNUMERIC if carriage_return else csv.QUOTE_MINIMAL
        return safe.to_csv(index=False, lineterminator="\n", quoting=quoting)
    out = io.StringIO()
    plain = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)

    def write(row):
        cells = [csv_cell(v) for v in row]
        (quoted if any(isinstance(v, str) and "\r" in v for v in cells) else plain).writerow(cells)

    if columns is not None:
        write([str(c) for c in columns])
    for row in data:
        write(row)
    return out.getvalue()


_ENTITY = re.compile(r"&(?=#?\w+;)")


def markdown_text(text: Any, *, cell: bool = False) -> str:
    """User text for Markdown, with raw HTML escaped: the one Markdown escaper of cba.

    ``<`` and ``>`` become ``&lt;`` and ``&gt;``, and an ``&`` that would start a
    character reference becomes ``&amp;``, so the text shows as written and
    nothing in it is rendered as HTML. In a table ``cell`` the text is also kept
    on one line and ``|`` and ``\\`` are escaped.

    >>> markdown_text("<script>alert(1)</script> & more")
    '&lt;script&gt;alert(1)&lt;/script&gt; & more'
    >>> markdown_text("A | B\\nC", cell=True)
    'A \\\\| B C'
    """
    text = "" if text is None else str(text)
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    if cell:
        text = text.replace("\\", "\\\\").replace("|", "\\|")
        text = " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text
    return text


def chart_text(text: Any) -> str:
    """User text for a matplotlib label: ``$`` escaped so no name is read as mathtext.

    >>> chart_text("Costs in $ and $$")
    'Costs in \\\\$ and \\\\$\\\\$'
    """
    return ("" if text is None else str(text)).replace("$", r"\$")


def rows_safe(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """Rows with every cell passed through :func:`csv_cell` (for ``csv.writer``)."""
    return [[csv_cell(v) for v in row] for row in rows]


__all__ = ["FORMULA_STARTS", "chart_text", "csv_cell", "csv_text", "csv_uncell", "markdown_text", "rows_safe"]
