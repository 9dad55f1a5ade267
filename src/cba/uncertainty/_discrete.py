"""Discrete distributions: one fixed value, or a few values with their probabilities.

:class:`Fixed` (a bare number in a file) and :class:`Discrete` (suited to whole-number
assumptions such as a duration in years). Importable from
:mod:`cba.uncertainty._distributions`, which reads them from a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import CBAError, shown
from cba.uncertainty._distribution_base import Distribution, _finite

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Fixed(Distribution):
    """One value in every draw.

    >>> Fixed(0.035).ppf([0.1, 0.9])
    array([0.035, 0.035])
    """

    value: float
    name = "fixed"

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _finite("value", self.value))

    def ppf(self, u: ArrayLike) -> np.ndarray:
        return np.full(np.shape(u), self.value)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)

    @property
    def support(self) -> tuple[float, float]:
        return (self.value, self.value)

    def expected_value(self) -> float:
        return self.value


@dataclass(frozen=True)
class Discrete(Distribution):
    """A few values with given probabilities (equal when none are given).

    Suited to whole-number assumptions such as a duration in years.

    >>> d = Discrete((2, 3, 4), (0.25, 0.5, 0.25))
    >>> d.ppf([0.1, 0.5, 0.9]), d.expected_value()
    (array([2., 3., 4.]), 3.0)
    """

    values: tuple[float, ...]
    probabilities: tuple[float, ...] | None = None
    name = "discrete"

    def __post_init__(self) -> None:
        if isinstance(self.values, (str, bytes)) or not isinstance(self.values, Sequence) or not self.values:
            raise CBAError(f"discrete: values must be a non-empty list of numbers, got {shown(self.values)}")
        vals = tuple(_finite("values", v) for v in self.values)
        if self.probabilities is None:
            probs = tuple(1.0 / len(vals) for _ in vals)
        else:
            if isinstance(self.probabilities, (str, bytes)) or not isinstance(self.probabilities, Sequence):
                raise CBAError(f"discrete: probabilities must be a list of numbers, got {shown(self.probabilities)}")
            probs = tuple(_finite("probabilities", p) for p in self.probabilities)
            if len(probs) != len(vals):
                raise CBAError(f"discrete: {len(vals)} values but {len(probs)} probabilities")
            if any(p < 0 for p in probs):
                raise CBAError("discrete: probabilities must be zero or more")
            if abs(sum(probs) - 1.0) > 1e-9:
                raise CBAError(f"discrete: probabilities must add up to 1, they add up to {sum(probs):g}")
        object.__setattr__(self, "values", vals)
        object.__setattr__(self, "probabilities", probs)

    def ppf(self, u: ArrayLike) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        probabilities = self.probabilities
        assert probabilities is not None  # filled in by __post_init__
        cum = np.cumsum(probabilities)
        if len(cum) <= 16:
            # the number of cumulative probabilities at or below u, as searchsorted(...,
            # side="right") counts them, capped at the last value: the same index, faster
            idx = np.zeros(u.shape, dtype=np.intp)
            for c in cum[:-1]:
                idx += u >= c
        else:
            idx = np.minimum(np.searchsorted(cum, u, side="right"), len(self.values) - 1)
        return np.asarray(self.values, dtype=float)[idx]

    @property
    def support(self) -> tuple[float, float]:
        return (min(self.values), max(self.values))

    def expected_value(self) -> float:
        probabilities = self.probabilities
        assert probabilities is not None  # filled in by __post_init__
        return float(np.dot(self.values, probabilities))

