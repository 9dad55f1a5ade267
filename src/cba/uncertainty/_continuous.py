"""Continuous distributions: uniform, triangular, PERT, normal, truncated normal, beta, lognormal.

Each is a frozen dataclass of its parameters, checked on construction (a mistake raises
:class:`~cba.core._errors.CBAError`), with an inverse CDF, a direct sampler, its support and
its mean. Importable from :mod:`cba.uncertainty._distributions`, which reads them from
a file.

References
----------
.. [1] Vose, D. (2008), "Risk analysis: a quantitative guide", 3rd ed., Wiley:
   PERT as a rescaled beta with shape 4 (the "modified PERT" of its shape
   parameter), triangular and truncated distributions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from cba.core._errors import CBAError
from cba.uncertainty._distribution_base import _INF, Distribution, _bound, _finite

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Uniform(Distribution):
    """Every value in ``[low, high]`` equally likely.

    >>> Uniform(0.2, 0.6).ppf([0.0, 0.5, 1.0])
    array([0.2, 0.4, 0.6])
    """

    low: float
    high: float
    name = "uniform"

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", _finite("low", self.low))
        object.__setattr__(self, "high", _finite("high", self.high))
        if not self.low < self.high:
            raise CBAError(f"uniform: low ({self.low:g}) must be below high ({self.high:g})")

    def ppf(self, u: ArrayLike) -> np.ndarray:
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def expected_value(self) -> float:
        return 0.5 * (self.low + self.high)


@dataclass(frozen=True)
class Triangular(Distribution):
    """Linear up from ``low`` to ``mode`` and down to ``high``.

    >>> float(Triangular(0.0, 0.0, 1.0).ppf(0.75))
    0.5
    """

    low: float
    mode: float
    high: float
    name = "triangular"

    def __post_init__(self) -> None:
        for k in ("low", "mode", "high"):
            object.__setattr__(self, k, _finite(k, getattr(self, k)))
        if not self.low < self.high:
            raise CBAError(f"triangular: low ({self.low:g}) must be below high ({self.high:g})")
        if not self.low <= self.mode <= self.high:
            raise CBAError(f"triangular: mode ({self.mode:g}) must lie between low ({self.low:g}) "
                           f"and high ({self.high:g})")

    def ppf(self, u: ArrayLike) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        lo, m, hi = self.low, self.mode, self.high
        split = (m - lo) / (hi - lo)
        # lo + sqrt(u (hi - lo) (m - lo)) below the mode, hi - sqrt((1 - u) (hi - lo) (hi - m))
        # above it; in place (the same operations in the same order: the same numbers)
        left = np.multiply(u, hi - lo, out=np.empty_like(u))
        left *= m - lo
        np.sqrt(left, out=left)
        left += lo
        right = np.subtract(1.0, u, out=np.empty_like(u))
        right *= hi - lo
        right *= hi - m
        np.sqrt(right, out=right)
        np.subtract(hi, right, out=right)
        np.copyto(right, left, where=u < split)
        return right

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def expected_value(self) -> float:
        return (self.low + self.mode + self.high) / 3.0


@dataclass(frozen=True)
class PERT(Distribution):
    """The (modified) PERT distribution: a beta on ``[low, high]`` peaking at ``mode``.

    ``alpha = 1 + shape * (mode - low) / (high - low)``,
    ``beta = 1 + shape * (high - mode) / (high - low)``; shape 4 is the classic
    PERT, with mean ``(low + 4 mode + high) / 6``.

    >>> PERT(0.3, 0.5, 0.7).expected_value()
    0.5
    """

    low: float
    mode: float
    high: float
    shape: float = 4.0
    name = "pert"

    def __post_init__(self) -> None:
        for k in ("low", "mode", "high", "shape"):
            object.__setattr__(self, k, _finite(k, getattr(self, k)))
        if not self.low < self.high:
            raise CBAError(f"pert: low ({self.low:g}) must be below high ({self.high:g})")
        if not self.low <= self.mode <= self.high:
            raise CBAError(f"pert: mode ({self.mode:g}) must lie between low ({self.low:g}) and high ({self.high:g})")
        if not self.shape > 0:
            raise CBAError(f"pert: shape must be above 0, got {self.shape:g}")

    @property
    def alpha(self) -> float:
        """The beta distribution's first shape: ``1 + shape * (mode - low) / (high - low)``."""
        return 1.0 + self.shape * (self.mode - self.low) / (self.high - self.low)

    @property
    def beta(self) -> float:
        """The beta distribution's second shape: ``1 + shape * (high - mode) / (high - low)``."""
        return 1.0 + self.shape * (self.high - self.mode) / (self.high - self.low)

    def ppf(self, u: ArrayLike) -> np.ndarray:
        return self.low + (self.high - self.low) * special.betaincinv(self.alpha, self.beta, np.asarray(u, float))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        x = rng.beta(self.alpha, self.beta, n)
        x *= self.high - self.low               # low + (high - low) x, in place
        x += self.low
        return x

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def expected_value(self) -> float:
        return (self.low + self.shape * self.mode + self.high) / (self.shape + 2.0)


@dataclass(frozen=True)
class Normal(Distribution):
    """Normal with ``mean`` and standard deviation ``sd`` (unbounded).

    >>> Normal(10.0, 2.0).ppf([0.5])
    array([10.])
    """

    mean: float
    sd: float = 1.0
    name = "normal"

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", _finite("mean", self.mean))
        object.__setattr__(self, "sd", _finite("sd", self.sd))
        if not self.sd > 0:
            raise CBAError(f"normal: sd must be above 0, got {self.sd:g}")

    def ppf(self, u: ArrayLike) -> np.ndarray:
        return self.mean + self.sd * special.ndtri(np.asarray(u, dtype=float))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.mean + self.sd * rng.standard_normal(n)

    @property
    def support(self) -> tuple[float, float]:
        return (-_INF, _INF)

    def expected_value(self) -> float:
        return self.mean


@dataclass(frozen=True)
class TruncatedNormal(Distribution):
    """A normal(``mean``, ``sd``) cut to ``[low, high]`` (either bound may be left open).

    Sampled by inversion; a range in the upper tail is inverted from the lower
    tail by symmetry, so far tails keep their precision.

    >>> d = TruncatedNormal(0.0, 1.0, low=0.0)
    >>> round(d.expected_value(), 6)                      # sqrt(2 / pi)
    0.797885
    """

    mean: float
    sd: float = 1.0
    low: float = -_INF
    high: float = _INF
    name = "truncnormal"

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", _finite("mean", self.mean))
        object.__setattr__(self, "sd", _finite("sd", self.sd))
        object.__setattr__(self, "low", _bound("low", self.low, -_INF))
        object.__setattr__(self, "high", _bound("high", self.high, _INF))
        if not self.sd > 0:
            raise CBAError(f"truncnormal: sd must be above 0, got {self.sd:g}")
        if not self.low < self.high:
            raise CBAError(f"truncnormal: low ({self.low:g}) must be below high ({self.high:g})")
        a, b = self._ab()
        if a > 0:
            a, b = -b, -a
        if not special.ndtr(b) - special.ndtr(a) > 0:
            raise CBAError(f"truncnormal: [{self.low:g}, {self.high:g}] has no probability under "
                           f"normal(mean={self.mean:g}, sd={self.sd:g}) in double precision")

    def _ab(self) -> tuple[float, float]:
        return (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd

    def ppf(self, u: ArrayLike) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        a, b = self._ab()
        flip = a > 0
        if flip:  # work in the lower tail, where ndtr has its precision
            a, b, u = -b, -a, 1.0 - u
        pa, pb = special.ndtr(a), special.ndtr(b)
        z = np.multiply(u, pb - pa, out=np.empty_like(u))   # in place: the same numbers
        z += pa
        special.ndtri(z, out=z)
        np.clip(z, a, b, out=z)
        if flip:
            np.negative(z, out=z)
        z *= self.sd
        z += self.mean
        return np.clip(z, self.low, self.high, out=z)

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def expected_value(self) -> float:
        a, b = self._ab()

        def pdf(x: float) -> float:  # the standard normal density, 0 at the infinite ends
            return 0.0 if math.isinf(x) else math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)

        mass = special.ndtr(-a) - special.ndtr(-b) if a > 0 else special.ndtr(b) - special.ndtr(a)
        return float(self.mean + self.sd * (pdf(a) - pdf(b)) / mass)

    def to_dict(self) -> dict[str, Any]:
        out = {"dist": self.name, "mean": self.mean, "sd": self.sd}
        if math.isfinite(self.low):
            out["low"] = self.low
        if math.isfinite(self.high):
            out["high"] = self.high
        return out


@dataclass(frozen=True)
class Beta(Distribution):
    """Beta(``a``, ``b``) rescaled to ``[low, high]`` (default [0, 1]).

    >>> Beta(2.0, 6.0).expected_value()
    0.25
    """

    a: float
    b: float
    low: float = 0.0
    high: float = 1.0
    name = "beta"

    def __post_init__(self) -> None:
        for k in ("a", "b", "low", "high"):
            object.__setattr__(self, k, _finite(k, getattr(self, k)))
        if not (self.a > 0 and self.b > 0):
            raise CBAError(f"beta: a and b must be above 0, got a={self.a:g}, b={self.b:g}")
        if not self.low < self.high:
            raise CBAError(f"beta: low ({self.low:g}) must be below high ({self.high:g})")

    def ppf(self, u: ArrayLike) -> np.ndarray:
        return self.low + (self.high - self.low) * special.betaincinv(self.a, self.b, np.asarray(u, float))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.low + (self.high - self.low) * rng.beta(self.a, self.b, n)

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def expected_value(self) -> float:
        return self.low + (self.high - self.low) * self.a / (self.a + self.b)


@dataclass(frozen=True)
class LogNormal(Distribution):
    """``exp(N(mu, sigma))``: positive and right-skewed (e.g. a cost multiplier).

    Give ``mu`` and ``sigma`` of the logarithm, or use :meth:`from_mean_sd` (in a
    file: ``{dist: lognormal, mean: 1.0, sd: 0.2}``).

    >>> d = LogNormal.from_mean_sd(1.0, 0.2)
    >>> round(d.expected_value(), 12)
    1.0
    """

    mu: float
    sigma: float
    name = "lognormal"

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", _finite("mu", self.mu))
        object.__setattr__(self, "sigma", _finite("sigma", self.sigma))
        if not self.sigma > 0:
            raise CBAError(f"lognormal: sigma must be above 0, got {self.sigma:g}")

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> LogNormal:
        """The lognormal with this mean and standard deviation (of the value itself)."""
        mean, sd = _finite("mean", mean), _finite("sd", sd)
        if not (mean > 0 and sd > 0):
            raise CBAError(f"lognormal: mean and sd must be above 0, got mean={mean:g}, sd={sd:g}")
        s2 = math.log1p((sd / mean) ** 2)
        return cls(math.log(mean) - 0.5 * s2, math.sqrt(s2))

    def ppf(self, u: ArrayLike) -> np.ndarray:
        return np.exp(self.mu + self.sigma * special.ndtri(np.asarray(u, dtype=float)))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.exp(self.mu + self.sigma * rng.standard_normal(n))

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, _INF)

    def expected_value(self) -> float:
        return math.exp(self.mu + 0.5 * self.sigma ** 2)

