"""Laying out a table of cell texts within a width: wrap, then stack.

:func:`layout` takes the cells as people see them (already formatted by
:mod:`cba.outputs._format`) and returns lines no longer than ``width``:

1. a table that fits is drawn as is, one line per row;
2. a wider one wraps its headings and text cells at spaces (numbers never wrap);
3. one still too wide is stacked: its columns are split into blocks, each
   repeating the leading text columns (the row labels), drawn one under another.

The width of the screen is :func:`text_width`: the terminal's when the output is a
terminal, else :data:`DEFAULT_WIDTH`, and :func:`fixed_width` sets it for a block of
code (a command writing to a file uses the default whatever the terminal).
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from cba.core._escaping import plain_text

#: Width of text output when it does not go to a terminal (a file, a pipe, a notebook).
DEFAULT_WIDTH = 100
#: Narrowest width laid out; a narrower terminal gets this width.
MIN_WIDTH = 40
#: Columns between two table columns.
GAP = 2
#: A text column is not wrapped narrower than this (unless its text is shorter).
MIN_TEXT = 10
#: A text cell wraps to at most this many lines, unless that needs a column wider than
#: :data:`MAX_TEXT`.
MAX_LINES = 3
#: The widest a text column is made to keep its text within :data:`MAX_LINES` lines.
MAX_TEXT = 40
#: A word longer than this (an address, a file path) may be broken across lines.
MAX_WORD = 30

_WIDTH: ContextVar[int | None] = ContextVar("cba_text_width", default=None)


def text_width() -> int:
    """The width text output is laid out to.

    Set by :func:`fixed_width`; else the terminal's width when standard output is a
    terminal (``shutil.get_terminal_size``, which honours ``COLUMNS``); else
    :data:`DEFAULT_WIDTH`.

    >>> with fixed_width(80):
    ...     text_width()
    80
    """
    fixed = _WIDTH.get()
    if fixed is not None:
        return fixed
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return DEFAULT_WIDTH
    return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


@contextmanager
def fixed_width(width: int | None = DEFAULT_WIDTH) -> Iterator[None]:
    """Lay out text to ``width`` inside the block (``None``: follow the terminal)."""
    token = _WIDTH.set(None if width is None else max(MIN_WIDTH, int(width)))
    try:
        yield
    finally:
        _WIDTH.reset(token)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` wrapped to ``width`` at spaces, later lines indented by ``indent``.

    >>> wrap("Net present budget impact", 12)
    ['Net present', 'budget', 'impact']

    Control characters and line breaks in the text never reach the screen
    (:func:`cba.core._escaping.plain_text`).
    """
    text = plain_text(text)
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width=max(width, len(indent) + 1), subsequent_indent=indent,
                         break_long_words=True, break_on_hyphens=False) or [""]


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _minimum(header: str, cells: Sequence[str], numeric: bool) -> int:
    """The narrowest a column can be: its longest heading word, and its widest number
    or (for text) its longest word, at least :data:`MIN_TEXT` when the text is longer,
    and wide enough to wrap each text in :data:`MAX_LINES` lines."""
    head = _longest_word(header)
    if numeric:
        return max([head, 1] + [len(c) for c in cells])
    natural = max([len(c) for c in cells] + [0])
    words = min(max([_longest_word(c) for c in cells] + [0]), MAX_WORD)   # a longer word is broken
    w = max(head, words, min(natural, MIN_TEXT), 1)
    long = [c for c in cells if len(c) > w]
    while w < min(natural, MAX_TEXT) and any(_lines_at(c, w) > MAX_LINES for c in long):
        w += 1
    return w


def _natural(header: str, cells: Sequence[str]) -> int:
    return max([len(header), 1] + [len(c) for c in cells])


def _lines_at(text: str, width: int) -> int:
    return len(wrap(text, width))


def _allot(natural: list[int], minimum: list[int], width: int, header: list[str], right: list[bool],
           body: list[list[str]]) -> list[int]:
    """Column widths between ``minimum`` and ``natural`` whose sum fits ``width``.

    The room left over the minimums goes first to headings that would take more
    than two lines, then to the row labels (text columns, so that they need not
    wrap), then, while any is left, to whichever column saves a line (of its
    heading or of a wrapped text) for the fewest extra characters.
    """
    widths = list(minimum)
    room = width - sum(widths)
    texts = [[header[j]] + ([] if right[j] else [r[j] for r in body]) for j in range(len(widths))]

    seen: dict[tuple[int, int], int] = {}

    def lines(j: int, w: int) -> int:
        if (j, w) not in seen:
            seen[(j, w)] = max(_lines_at(t, w) for t in texts[j] if len(t) > w) if any(
                len(t) > w for t in texts[j]) else 1
        return seen[(j, w)]

    def heading_fits(j: int) -> int:  # the width at which heading j takes at most two lines
        w = widths[j]
        while w < natural[j] and _lines_at(header[j], w) > 2:
            w += 1
        return w

    for j in sorted(range(len(widths)), key=lambda k: heading_fits(k) - widths[k]):
        step = max(0, min(room, heading_fits(j) - widths[j]))
        widths[j] += step
        room -= step
    for j in range(len(widths)):
        if not right[j]:
            step = max(0, min(room, natural[j] - widths[j]))
            widths[j] += step
            room -= step
    while room > 0:
        best = None
        for j in range(len(widths)):
            now = lines(j, widths[j])
            for w in range(widths[j] + 1, min(natural[j], widths[j] + room) + 1):
                if lines(j, w) < now:
                    if best is None or w - widths[j] < best[1]:
                        best = (j, w - widths[j])
                    break
        if best is None:
            break
        widths[best[0]] += best[1]
        room -= best[1]
    return widths


def _squeeze(minimum: list[int], right: list[bool], room: int, numbers: list[int]) -> list[int]:
    """Minimums cut to fit ``room`` by narrowing text columns (their long words then break),
    then number columns' headings; a number column is never cut below ``numbers``, its widest
    number."""
    widths = list(minimum)
    while sum(widths) > room:
        text = [j for j in range(len(widths)) if not right[j] and widths[j] > 1]
        heads = [j for j in range(len(widths)) if right[j] and widths[j] > max(numbers[j], 1)]
        if not text and not heads:
            break
        j = max(text or heads, key=lambda k: widths[k])
        widths[j] -= 1
    return widths


def _draw(header: list[str], body: list[list[str]], right: list[bool], widths: list[int]) -> list[str]:
    def row(cells: list[str]) -> list[str]:
        parts = [wrap(c, w) if not r else [c] for c, w, r in zip(cells, widths, right)]
        height = max((len(p) for p in parts), default=1)
        lines = []
        for i in range(height):
            texts = [p[i] if i < len(p) else "" for p in parts]
            lines.append("  ".join(t.rjust(w) if r else t.ljust(w)
                                   for t, w, r in zip(texts, widths, right)).rstrip())
        return lines

    heads = [wrap(h, w) for h, w in zip(header, widths)]
    height = max((len(h) for h in heads), default=1)
    out = []
    for i in range(height):   # a wrapped heading sits on the line above the rule
        texts = [h[i - (height - len(h))] if i >= height - len(h) else "" for h in heads]
        out.append("  ".join(t.rjust(w) if r else t.ljust(w) for t, w, r in zip(texts, widths, right)).rstrip())
    out.append("  ".join("-" * w for w in widths))
    for cells in body:
        out += row(cells)
    return out


def _keys(right: list[bool], minimum: list[int], width: int) -> int:
    """How many leading columns label the rows (repeated in every block of a stack)."""
    n = 0
    while n < len(right) - 1 and not right[n]:
        n += 1
    while n > 1 and sum(minimum[:n]) + GAP * n > width // 2:
        n -= 1
    return n


def column_widths(header: list[str], body: list[list[str]], right: list[bool], width: int) -> list[int] | None:
    """Widths of the columns when the table fits ``width`` in one block (wrapping where it
    must), else None (it needs stacking)."""
    header, body = _plain(header, body)
    natural = [_natural(h, [r[j] for r in body]) for j, h in enumerate(header)]
    if not header or sum(natural) + GAP * (len(natural) - 1) <= width:
        return natural
    minimum = [_minimum(h, [r[j] for r in body], right[j]) for j, h in enumerate(header)]
    if sum(minimum) + GAP * (len(minimum) - 1) <= width:
        return _allot(natural, minimum, width - GAP * (len(natural) - 1), header, right, body)
    return None


def draw(header: list[str], body: list[list[str]], right: list[bool], widths: list[int]) -> list[str]:
    """The lines of a table drawn at the given column widths (see :func:`column_widths`)."""
    return _draw(*_plain(header, body), right, widths)


def _plain(header: list[str], body: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Cells with no control character or line break: a name cannot forge a row or move the cursor."""
    return [plain_text(h) for h in header], [[plain_text(c) for c in row] for row in body]


def layout(header: list[str], body: list[list[str]], right: list[bool], width: int | None = None) -> list[str]:
    """The table's lines, none longer than ``width`` (see the module docstring).

    Parameters
    ----------
    header : list of str
        Column headings.
    body : list of list of str
        Cell texts, row by row.
    right : list of bool
        Columns aligned right (numbers).
    width : int, optional
        Default :func:`text_width`.

    Examples
    --------
    >>> lines = layout(["Agency", "Net position", "Share of savings"], [["Police", "£1,500", "100.0%"]],
    ...                [False, True, True], width=30)
    >>> print("\\n".join(lines))
                          Share of
    Agency  Net position   savings
    ------  ------------  --------
    Police        £1,500    100.0%
    """
    width = text_width() if width is None else width
    header, body = _plain(header, body)
    widths = column_widths(header, body, right, width)
    if widths is not None:
        return _draw(header, body, right, widths)
    natural = [_natural(h, [r[j] for r in body]) for j, h in enumerate(header)]
    minimum = [_minimum(h, [r[j] for r in body], right[j]) for j, h in enumerate(header)]
    keys = _keys(right, minimum, width)
    for j in range(keys):  # row labels repeat in every block: wrap them as little as the width allows
        minimum[j] = max(minimum[j], min(natural[j], width // (3 * keys)))
    blocks: list[list[int]] = []
    used = sum(minimum[:keys]) + GAP * keys
    current: list[int] = []
    for j in range(keys, len(header)):
        need = minimum[j] + GAP
        if current and used + need > width + GAP:
            blocks.append(current)
            current, used = [], sum(minimum[:keys]) + GAP * keys
        current.append(j)
        used += need
    blocks.append(current)
    out: list[str] = []
    for b, block in enumerate(blocks):
        cols = list(range(keys)) + block
        sub_natural = [natural[j] for j in cols]
        numbers = [max([0] + [len(r[j]) for r in body]) for j in cols]
        sub_min = _squeeze([minimum[j] for j in cols], [right[j] for j in cols], width - GAP * (len(cols) - 1),
                           numbers)
        sub_body = [[r[j] for j in cols] for r in body]
        widths = _allot(sub_natural, sub_min, width - GAP * (len(cols) - 1), [header[j] for j in cols],
                        [right[j] for j in cols], sub_body)
        if b:
            out.append("")
        out += _draw([header[j] for j in cols], [[r[j] for j in cols] for r in body],
                     [right[j] for j in cols], widths)
    return out
