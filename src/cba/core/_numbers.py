"""Numbers users give outside a model file, checked; NumPy's overflow warnings silenced.

:func:`number` is the check for one number a user gives outside a model file (a
scenario value, a threshold, a draw count): ``true`` and ``false`` are refused, as
are text, NaN, infinities and integers too large for a float. :func:`guard` wraps
the engine's arithmetic so that an overflow is reported by the checks after it
(:mod:`cba.engine._finite`), naming the line, not warned about.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from cba.core._errors import CBAError, naming, shown

#: The largest finite float: results beyond it cannot be computed.
LARGEST = float(np.finfo(float).max)
_TOO_LARGE = f"too large to compute (beyond {LARGEST:.3g})"


def number(value: Any, where: str, *, minimum: float | None = None, missing: bool = False) -> float:
    """A finite number a user gave, or :class:`~cba.core._errors.CBAError` naming ``where``.

    >>> number(0.4, "scenarios.low.outcomes[0].success"), number(3, "x")
    (0.4, 3.0)
    >>> number(True, "scenarios.low.outcomes[0].success")
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: scenarios.low.outcomes[0].success: expected a number, got true (a yes/no value)
    """
    if isinstance(value, (bool, np.bool_)):
        raise CBAError(f"{where}: expected a number, got {str(bool(value)).lower()} (a yes/no value)")
    if isinstance(value, str) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise CBAError(f"{where}: expected a number, got {_short(value)}")
    try:
        x = float(value)
    except OverflowError:
        raise CBAError(f"{where}: {_short(value)} is {_TOO_LARGE}") from None
    if not math.isfinite(x) and not (missing and math.isnan(x)):
        raise CBAError(f"{where}: expected a finite number, got {_short(value)}")
    if minimum is not None and x < minimum:
        raise CBAError(f"{where}: must be {minimum:g} or more, got {_short(value)}")
    return x


def numbers(value: Any, where: str, *, missing: bool = False, above: float | None = None) -> np.ndarray:
    """A number or an array of numbers a caller gave, as floats, or a CBAError naming ``where``.

    Checked once per call with NumPy, not element by element: ``None``, text, yes/no
    values, objects and ragged lists are refused, and so are NaN and infinities unless
    ``missing`` lets NaN stand for "none" (it never lets an infinity through). With
    ``above``, every number must be greater than it. A float array comes back as it is.

    >>> numbers([0.035, 0.03], "rates").tolist()
    [0.035, 0.03]
    >>> numbers([0.035, float("nan")], "rates")
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: rates: expected finite numbers, got NaN or an infinity
    >>> numbers("0.035", "rates")
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: rates: expected a number or an array of numbers, got '0.035'
    """
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        array = value
    else:
        if value is None or isinstance(value, (str, bytes, bool, np.bool_, dict, set)):
            raise CBAError(f"{where}: expected a number or an array of numbers, got {_short(value)}")
        try:
            raw = np.asarray(value)
            if raw.dtype.kind not in "fiuO":          # yes/no values, text, dates
                raise TypeError
            array = raw.astype(float)                 # objects: only what converts exactly
        except (TypeError, ValueError, OverflowError):
            raise CBAError(f"{where}: expected a number or an array of numbers, got {_short(value)}") from None
    if not array.size:
        return array
    if missing:      # NaN stands for none: only infinities are refused
        if np.isinf(array).any():
            raise CBAError(f"{where}: expected finite numbers, got an infinity")
        lowest = np.nanmin(array) if above is not None and not np.isnan(array).all() else np.nan
    else:            # two reductions, no temporary array: NaN and infinities show in the least or the greatest
        lowest, greatest = array.min(), array.max()
        if not (math.isfinite(lowest) and math.isfinite(greatest)):
            raise CBAError(f"{where}: expected finite numbers, got NaN or an infinity")
    if above is not None and lowest <= above:
        raise CBAError(f"{where}: every number must be above {above:g}")
    return array


def whole(value: Any, where: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number a caller gave (a count, a horizon, a year), or a CBAError naming ``where``.

    >>> whole(30, "horizon")
    30
    >>> whole(2.5, "horizon")
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: horizon: expected a whole number, got 2.5
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise CBAError(f"{where}: expected a whole number, got {_short(value)}")
    n = int(value)
    if n < minimum:
        raise CBAError(f"{where}: must be {minimum} or more, got {n}")
    if maximum is not None and n > maximum:
        raise CBAError(f"{where}: must be {maximum} or less, got {n}")
    return n


def _short(value: Any) -> str:
    text = shown(value)                    # bounded: deep data a user gave never recurses
    return text if len(text) <= 60 else text[:57] + "..."


@contextmanager
def guard(source: Any = None) -> Iterator[None]:
    """Silence NumPy's overflow and invalid-value warnings (the checks report them) and
    name ``source`` (the model file) in any error raised inside the block."""
    with naming(source), np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        yield
