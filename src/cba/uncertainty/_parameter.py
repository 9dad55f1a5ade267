"""One parameter an uncertainty analysis moves: where it lands in the engine, and its checks.

:func:`cba.uncertainty.resolve` turns a path (``outcomes[0].success``) into a
:class:`Parameter`; a deal term (``partnership.gain_share[0].share``) resolves to
one in :mod:`cba.uncertainty._deal_parameters`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import CBAError
from cba.method._discounting import discount_factors

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

_INF = float("inf")


@dataclass(frozen=True, eq=False)
class Parameter:
    """One assumption that an analysis moves, and where it lands in the engine.

    Attributes
    ----------
    path : str
        Canonical path, e.g. ``outcomes[0].success``.
    label : str
        Readable name for tables and charts, e.g. ``Fewer repeat incidents: success``.
    target : str
        Engine parameter written (a key of :data:`cba.engine._compiled.PARAMETER_SHAPES`).
    cells : tuple
        Index into the target's base shape of the cells written.
    mode : {"set", "scale"}
        ``set`` writes the value (times ``factor``); ``scale`` multiplies.
    lower, upper : float
        Allowed range of the value, in the user's units (inclusive).
    integer : bool
        Whole numbers only (lag, duration, confidence grades).
    base : float or None
        The value in the model, in the user's units (1 for a multiplier); ``None``
        when no single number describes it (e.g. a banded discount schedule).
    unit : str
        ``share``, ``multiplier``, ``years``, ``people``, ``pounds``, ``units``,
        ``grade`` or ``rate``.
    factor : float
        User units to engine units (the price uplift of an amount, else 1); for a
        ``scale`` parameter given in user units, value times factor is the multiplier.
    """

    path: str
    label: str
    target: str
    cells: tuple
    mode: str
    lower: float
    upper: float
    integer: bool = False
    base: float | None = None
    unit: str = "share"
    factor: float = 1.0
    grade_table: np.ndarray | None = field(default=None, repr=False)
    first_year_discounted: bool = False
    #: The discount rate sets the health schedule too (the model gives no ``health_discounting``):
    #: a value ``r`` means what ``discounting: {rate: r}`` means in the model file.
    health_follows: bool = False
    #: Base values of a target the engine does not hold (a deal term), else ``None``.
    base_array: np.ndarray | None = field(default=None, repr=False)
    #: The published (low, high) a one-way analysis uses when given none (the value of a WELLBY).
    default_range: tuple[float, float] | None = None

    # ---- checking values
    def check(self, values: ArrayLike) -> np.ndarray:
        """Values as floats, or :class:`~cba.core._errors.CBAError` naming this parameter.

        ``NaN`` (keep the base value) passes; infinities, values out of range and
        non-whole values of whole-number parameters do not.
        """
        v = np.asarray(values, dtype=float)
        given = ~np.isnan(v)
        bad = given & ~np.isfinite(v)
        if bad.any():
            raise CBAError(f"{self.path}: values must be finite numbers, got {v[bad][0]!r}")
        low = given & (v < self.lower)
        high = given & (v > self.upper)
        if low.any() or high.any():
            x = v[low | high][0]
            raise CBAError(f"{self.path}: {self._range_text()}, got {_num(x)}")
        if self.integer:
            frac = given & (v != np.rint(v))
            if frac.any():
                raise CBAError(f"{self.path}: must be a whole number of {self.unit}, got {_num(v[frac][0])}")
        if self.grade_table is not None:
            g = np.rint(v[given]).astype(int)
            known = (g >= 0) & (g < len(self.grade_table))
            known[known] = ~np.isnan(self.grade_table[g[known]])
            if not known.all():
                grades = [str(i) for i in np.nonzero(~np.isnan(self.grade_table))[0]]
                raise CBAError(f"{self.path}: grade {g[~known][0]} is not in the optimism-bias table "
                               f"(grades {', '.join(grades)})")
        return v

    def _range_text(self) -> str:
        if self.upper == _INF:
            return f"must be {_num(self.lower)} or more"
        if self.lower == -_INF:
            return f"must be {_num(self.upper)} or less"
        return f"must be between {_num(self.lower)} and {_num(self.upper)}"

    def engine_values(self, values: np.ndarray, horizon: int) -> np.ndarray:
        """User values ``(D,)`` in the target's units (``(D, H)`` for the discount rate)."""
        v = np.asarray(values, dtype=float)
        if self.target == "discount_factors":
            rates = np.broadcast_to(np.nan_to_num(v)[:, None], (len(v), horizon))
            return discount_factors(rates, self.first_year_discounted)
        if self.grade_table is not None:
            g = np.rint(np.nan_to_num(v)).astype(int)
            return self.grade_table[np.clip(g, 0, len(self.grade_table) - 1)]
        if self.target in ("lag", "duration"):
            # years beyond the horizon change nothing, and would overflow the engine's integers
            return np.minimum(v, horizon + 1)
        return v if self.factor == 1.0 else v * self.factor      # (v * 1.0 is v)

    def write(self, array: np.ndarray, values: np.ndarray, horizon: int) -> None:
        """Write or scale this parameter's cells of ``array`` (``(D,) + base shape``) in place."""
        v = np.asarray(values, dtype=float)
        keep = np.isnan(v)
        sel = (slice(None), *self.cells)
        current = array[sel]
        cell_dims = current.ndim - 1
        if self.mode == "scale" and self.factor != 1.0:  # a value in user units, applied in proportion
            v = v * self.factor
        if not keep.any():  # every draw has a value: no need to keep any base value
            if self.mode == "scale":
                array[sel] = current * v.reshape((-1,) + (1,) * cell_dims)
                return
            if self.integer:
                v = np.rint(v)
            new = self.engine_values(v, horizon)
            array[sel] = new if self.target == "discount_factors" else new.reshape((-1,) + (1,) * cell_dims)
            return
        if self.mode == "scale":
            m = np.where(keep, 1.0, v).reshape((-1,) + (1,) * cell_dims)
            array[sel] = current * m
            return
        if self.integer:
            v = np.where(keep, np.nan, np.rint(v))
        new = self.engine_values(v, horizon)
        if self.target == "discount_factors":
            array[sel] = np.where(keep[:, None], current, new)
            return
        shape = (-1,) + (1,) * cell_dims
        array[sel] = np.where(keep.reshape(shape), current, new.reshape(shape))

    def cell_mask(self, shape: tuple[int, ...]) -> np.ndarray:
        """Boolean mask of the cells written, over the target's base shape."""
        m = np.zeros(shape, dtype=bool)
        m[self.cells] = True
        return m


def _num(x: float) -> str:
    return f"{float(x):.10g}"
