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


def number(value: Any, where: str, *, minimum: float | None = None) -> float:
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
    if not math.isfinite(x):
        raise CBAError(f"{where}: expected a finite number, got {_short(value)}")
    if minimum is not None and x < minimum:
        raise CBAError(f"{where}: must be {minimum:g} or more, got {_short(value)}")
    return x


def _short(value: Any) -> str:
    text = shown(value)                    # bounded: deep data a user gave never recurses
    return text if len(text) <= 60 else text[:57] + "..."


@contextmanager
def guard(source: Any = None) -> Iterator[None]:
    """Silence NumPy's overflow and invalid-value warnings (the checks report them) and
    name ``source`` (the model file) in any error raised inside the block."""
    with naming(source), np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        yield
