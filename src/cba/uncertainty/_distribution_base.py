"""The base of every distribution of :mod:`cba.uncertainty._distributions`, and its helpers.

:class:`Distribution` is what the sampler needs of a distribution: an inverse
cumulative distribution function (:meth:`~Distribution.ppf`, for correlated draws
through a Gaussian copula), a direct sampler (:meth:`~Distribution.sample`), its
support, its mean and a mapping that :func:`~cba.uncertainty._distributions.from_spec`
reads back. :func:`open_uniform` draws uniforms strictly inside (0, 1); ``_finite``
and ``_bound`` check a distribution's arguments.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._errors import CBAError, shown

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

_INF = float("inf")
#: Half the spacing of ``Generator.random()``'s grid: adding it keeps uniforms inside (0, 1).
_HALF_ULP = 2.0 ** -54


def open_uniform(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` uniforms strictly inside (0, 1), so no inverse CDF returns an infinity."""
    u = rng.random(n)
    u += _HALF_ULP
    return u


def _number(name: str, x) -> float:
    """``x`` as a float; a yes/no value or text is an error naming ``name``."""
    if isinstance(x, (bool, np.bool_)):
        raise CBAError(f"{name} must be a number, got {str(bool(x)).lower()} (a yes/no value)")
    try:
        return float(x)
    except (TypeError, ValueError, OverflowError):
        raise CBAError(f"{name} must be a number, got {shown(x)}") from None


def _finite(name: str, x) -> float:
    v = _number(name, x)
    if not math.isfinite(v):
        raise CBAError(f"{name} must be a finite number, got {shown(x)}")
    return v


def _bound(name: str, x, default: float) -> float:
    if x is None:
        return default
    v = _number(name, x)
    if math.isnan(v):
        raise CBAError(f"{name} must be a number, got {shown(x)}")
    return v


class Distribution:
    """Base class: subclasses define ``ppf``, ``support`` and ``expected_value``."""

    name = "distribution"

    def ppf(self, u: ArrayLike) -> np.ndarray:  # pragma: no cover - abstract
        """The quantiles at ``u`` (probabilities strictly between 0 and 1): the inverse of the CDF."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws from ``rng`` (by inversion unless overridden)."""
        return self.ppf(open_uniform(rng, n))

    @property
    def support(self) -> tuple[float, float]:  # pragma: no cover - abstract
        """``(low, high)``: the smallest and largest values a draw can take (infinite when open)."""
        raise NotImplementedError

    def expected_value(self) -> float:  # pragma: no cover - abstract
        """The mean of the distribution."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """The distribution as a mapping that :func:`from_spec` reads back."""
        out: dict[str, Any] = {"dist": self.name}
        for k, v in self.__dict__.items():
            if k.startswith("_"):
                continue
            if isinstance(v, tuple):
                v = list(v)
            if isinstance(v, float) and math.isinf(v):
                continue
            out[k] = v
        return out

    def describe(self) -> str:
        """The distribution as short text, for example ``triangular(low=1, mode=2, high=4)``."""
        args = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                         for k, v in self.to_dict().items() if k != "dist")
        return f"{self.name}({args})"

