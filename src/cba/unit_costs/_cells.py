"""Numbers read from a cell, strictly: what Python's ``float`` would accept is not enough.

``float`` reads ``nan``, ``inf``, ``-Infinity``, ``1e400`` (as infinity) and ``1_000``;
the old reader also dropped every comma, so ``9,80`` (a decimal comma) became 980
and ``1.234,5`` became 1.2345. :func:`read_amount` reads only the forms a spreadsheet
in English writes: an optional sign and pound sign, digits with an optional decimal
point, thousands separated by commas in groups of three (``1,234,567.8``), an
optional exponent (``1.5e3``), and only finite results. Anything else is a reason,
which the workbook reader puts in its notes and the tidy CSV reader in its error.
"""

from __future__ import annotations

import math
import re

from cba.core._errors import shown

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMERIC_LOOKING = re.compile(r"[+-]?[\d.,\s']+")
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.I)


def read_amount(value: object, *, grouped: bool = True) -> float | str | None:
    """A cell's number; None for a blank cell; else the reason it is not one (text).

    Parameters
    ----------
    value : object
        The cell's value: a number, text or None.
    grouped : bool
        Accept a pound sign and thousands separators (a workbook's cells); the tidy
        CSV, which cba writes itself, has neither.

    Examples
    --------
    >>> read_amount("£1,234.50"), read_amount(9800), read_amount("  ")
    (1234.5, 9800.0, None)
    >>> read_amount("9,80")
    "'9,80' is not a number in the form 1,234.56 (a decimal comma or a misplaced thousands separator?)"
    >>> read_amount("1e400")
    "'1e400' is not a finite number"
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return f"{shown(value)} is a yes/no value, not a number"
    if isinstance(value, (int, float)):
        try:
            x = float(value)
        except OverflowError:
            return f"{_short(value)} is not a finite number"
        return x if math.isfinite(x) else f"{_short(value)} is not a finite number"
    if not isinstance(value, str):
        return f"{_short(value)} is not a number"
    text = value.strip()
    if grouped:
        body = re.sub(r"^([+-]?)\s*£\s*", r"\1", text)
        if _GROUPED.fullmatch(body):
            body = body.replace(",", "")
    else:
        body = text
    if _PLAIN.fullmatch(body):
        x = float(body)
        return x if math.isfinite(x) else f"{_short(value)} is not a finite number"
    if _NOT_FINITE.fullmatch(body):
        return f"{_short(value)} is not a finite number"
    if _NUMERIC_LOOKING.fullmatch(body) and any(c.isdigit() for c in body):
        form = "1,234.56" if grouped else "1234.56"
        return (f"{_short(value)} is not a number in the form {form} (a decimal comma or a misplaced thousands "
                "separator?)")
    return f"{_short(value)} is not a number"


def _short(value: object) -> str:
    text = shown(value)
    return text if len(text) <= 40 else text[:37] + "..."


__all__ = ["read_amount"]
