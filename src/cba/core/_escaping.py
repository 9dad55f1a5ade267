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
Terminals
    :func:`plain_text` shows control characters (terminal escape codes, bidirectional
    overrides) as visible escapes and line breaks as spaces, so that no text can
    forge a row of a table or move the cursor; Markdown and CSV use it too.
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


#: Characters that act on a terminal or a layout rather than show: C0 and C1 control
#: characters, DEL, the Unicode line and paragraph separators and the bidirectional
#: embeddings, overrides and isolates.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("\r\n|[\n\r\t\x0b\x0c\x85\u2028\u2029]")


def _visible(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain_text(text: Any, *, breaks: bool = True) -> str:
    """Text that shows as written on one line: control characters made visible.

    Line breaks and tabs become spaces (kept when ``breaks`` is false); every other
    control character (:data:`CONTROLS`: an escape that would move the cursor or
    recolour the screen, a bidirectional override) is written as its escape, such as
    ``\\x1b``. Text without any is returned unchanged.

    >>> plain_text("Row\\nforged"), plain_text("\\x1b[2Jclear")
    ('Row forged', '\\\\x1b[2Jclear')
    """
    text = "" if text is None else str(text)
    if not CONTROLS.search(text):
        return text
    if breaks:
        text = _BREAKS.sub(" ", text)
    return CONTROLS.sub(lambda m: m.group() if m.group() in "\n\r\t" else _visible(m), text)


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
    if isinstance(value, str):
        return _csv_fix(value)
    return value


def _csv_fix(text: str) -> str:
    """A text cell with its control characters made visible (line breaks kept, quoted) and a
    formula-like start quoted."""
    if CONTROLS.search(text):
        text = plain_text(text, breaks=False)
    return "'" + text if _formula_like(text) else text


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
                changed = {v: _csv_fix(v) for v in texts if _formula_like(v) or CONTROLS.search(v)}
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
    >>> markdown_text("Deal\\x1b[31m")
    'Deal\\\\x1b[31m'
    """
    text = plain_text(text, breaks=cell)
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
    return plain_text(text, breaks=False).replace("$", r"\$")  # line breaks lay out labels


def rows_safe(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """Rows with every cell passed through :func:`csv_cell` (for ``csv.writer``)."""
    return [[csv_cell(v) for v in row] for row in rows]


__all__ = ["CONTROLS", "FORMULA_STARTS", "chart_text", "csv_cell", "csv_text", "csv_uncell", "markdown_text",
           "plain_text", "rows_safe"]
