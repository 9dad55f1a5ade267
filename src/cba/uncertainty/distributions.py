"""Probability distributions for the assumptions of a Monte Carlo analysis.

Each distribution has an inverse cumulative distribution function
(:meth:`~Distribution.ppf`, used to build correlated draws through a Gaussian
copula), a direct sampler (:meth:`~Distribution.sample`, used for parameters with
no correlation), its support and its mean. Invalid arguments raise
:class:`~cba.errors.CBAError`; :func:`from_spec` adds the parameter path to the
message.

In a file, a distribution is a mapping with a ``dist`` key::

    outcomes[0].success: {dist: pert, low: 0.3, mode: 0.5, high: 0.7}
    outcomes[0].deadweight: {dist: triangular, low: 0.1, mode: 0.2, high: 0.4}
    costs[0].amounts: {dist: truncnormal, mean: 1.0, sd: 0.1, low: 0.0}
    outcomes[0].duration: {dist: discrete, values: [2, 3, 4], probabilities: [0.25, 0.5, 0.25]}
    discount_rate: 0.035              # a bare number: fixed

(Quote a path such as ``"outcomes[0].success"`` inside ``{...}`` or ``[...]``:
YAML reads square brackets there as a list.)

References
----------
.. [1] Vose, D. (2008), "Risk analysis: a quantitative guide", 3rd ed., Wiley:
   PERT as a rescaled beta with shape 4 (the "modified PERT" of its shape
   parameter), triangular and truncated distributions.
.. [2] HM Treasury (2022), "The Green Book", section on uncertainty and Monte
   Carlo analysis, and "Supporting public service transformation" (2014) on
   sensitivity analysis of key assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from ..errors import CBAError, shown

_INF = float("inf")
#: Half the spacing of ``Generator.random()``'s grid: adding it keeps uniforms inside (0, 1).
_HALF_ULP = 2.0 ** -54


def open_uniform(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` uniforms strictly inside (0, 1), so no inverse CDF returns an infinity."""
    u = rng.random(n)
    u += _HALF_ULP
    return u


def _finite(name: str, x) -> float:
    if isinstance(x, (bool, np.bool_)):
        raise CBAError(f"{name} must be a number, got {str(bool(x)).lower()} (a yes/no value)")
    try:
        v = float(x)
    except (TypeError, ValueError, OverflowError):
        raise CBAError(f"{name} must be a number, got {shown(x)}") from None
    if not math.isfinite(v):
        raise CBAError(f"{name} must be a finite number, got {shown(x)}")
    return v


def _bound(name: str, x, default: float) -> float:
    if x is None:
        return default
    if isinstance(x, (bool, np.bool_)):
        raise CBAError(f"{name} must be a number, got {str(bool(x)).lower()} (a yes/no value)")
    try:
        v = float(x)
    except (TypeError, ValueError, OverflowError):
        raise CBAError(f"{name} must be a number, got {shown(x)}") from None
    if math.isnan(v):
        raise CBAError(f"{name} must be a number, got {shown(x)}")
    return v


class Distribution:
    """Base class: subclasses define ``ppf``, ``support`` and ``expected_value``."""

    name = "distribution"

    def ppf(self, u) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws from ``rng`` (by inversion unless overridden)."""
        return self.ppf(open_uniform(rng, n))

    @property
    def support(self) -> tuple[float, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    def expected_value(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_dict(self) -> dict:
        """The distribution as a mapping that :func:`from_spec` reads back."""
        out = {"dist": self.name}
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
        args = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                         for k, v in self.to_dict().items() if k != "dist")
        return f"{self.name}({args})"


@dataclass(frozen=True)
class Uniform(Distribution):
    """Every value in ``[low, high]`` equally likely.

    >>> Uniform(0.2, 0.6).ppf([0.0, 0.5, 1.0])
    array([0.2, 0.4, 0.6])
    """

    low: float
    high: float
    name = "uniform"

    def __post_init__(self):
        object.__setattr__(self, "low", _finite("low", self.low))
        object.__setattr__(self, "high", _finite("high", self.high))
        if not self.low < self.high:
            raise CBAError(f"uniform: low ({self.low:g}) must be below high ({self.high:g})")

    def ppf(self, u):
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    @property
    def support(self):
        return (self.low, self.high)

    def expected_value(self):
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

    def __post_init__(self):
        for k in ("low", "mode", "high"):
            object.__setattr__(self, k, _finite(k, getattr(self, k)))
        if not self.low < self.high:
            raise CBAError(f"triangular: low ({self.low:g}) must be below high ({self.high:g})")
        if not self.low <= self.mode <= self.high:
            raise CBAError(f"triangular: mode ({self.mode:g}) must lie between low ({self.low:g}) "
                           f"and high ({self.high:g})")

    def ppf(self, u):
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
    def support(self):
        return (self.low, self.high)

    def expected_value(self):
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

    def __post_init__(self):
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
        return 1.0 + self.shape * (self.mode - self.low) / (self.high - self.low)

    @property
    def beta(self) -> float:
        return 1.0 + self.shape * (self.high - self.mode) / (self.high - self.low)

    def ppf(self, u):
        return self.low + (self.high - self.low) * special.betaincinv(self.alpha, self.beta, np.asarray(u, float))

    def sample(self, rng, n):
        x = rng.beta(self.alpha, self.beta, n)
        x *= self.high - self.low               # low + (high - low) x, in place
        x += self.low
        return x

    @property
    def support(self):
        return (self.low, self.high)

    def expected_value(self):
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

    def __post_init__(self):
        object.__setattr__(self, "mean", _finite("mean", self.mean))
        object.__setattr__(self, "sd", _finite("sd", self.sd))
        if not self.sd > 0:
            raise CBAError(f"normal: sd must be above 0, got {self.sd:g}")

    def ppf(self, u):
        return self.mean + self.sd * special.ndtri(np.asarray(u, dtype=float))

    def sample(self, rng, n):
        return self.mean + self.sd * rng.standard_normal(n)

    @property
    def support(self):
        return (-_INF, _INF)

    def expected_value(self):
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

    def __post_init__(self):
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

    def ppf(self, u):
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
    def support(self):
        return (self.low, self.high)

    def expected_value(self):
        a, b = self._ab()
        pdf = lambda x: 0.0 if math.isinf(x) else math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)  # noqa: E731
        if a > 0:
            mass = special.ndtr(-a) - special.ndtr(-b)
        else:
            mass = special.ndtr(b) - special.ndtr(a)
        return float(self.mean + self.sd * (pdf(a) - pdf(b)) / mass)

    def to_dict(self):
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

    def __post_init__(self):
        for k in ("a", "b", "low", "high"):
            object.__setattr__(self, k, _finite(k, getattr(self, k)))
        if not (self.a > 0 and self.b > 0):
            raise CBAError(f"beta: a and b must be above 0, got a={self.a:g}, b={self.b:g}")
        if not self.low < self.high:
            raise CBAError(f"beta: low ({self.low:g}) must be below high ({self.high:g})")

    def ppf(self, u):
        return self.low + (self.high - self.low) * special.betaincinv(self.a, self.b, np.asarray(u, float))

    def sample(self, rng, n):
        return self.low + (self.high - self.low) * rng.beta(self.a, self.b, n)

    @property
    def support(self):
        return (self.low, self.high)

    def expected_value(self):
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

    def __post_init__(self):
        object.__setattr__(self, "mu", _finite("mu", self.mu))
        object.__setattr__(self, "sigma", _finite("sigma", self.sigma))
        if not self.sigma > 0:
            raise CBAError(f"lognormal: sigma must be above 0, got {self.sigma:g}")

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> "LogNormal":
        """The lognormal with this mean and standard deviation (of the value itself)."""
        mean, sd = _finite("mean", mean), _finite("sd", sd)
        if not (mean > 0 and sd > 0):
            raise CBAError(f"lognormal: mean and sd must be above 0, got mean={mean:g}, sd={sd:g}")
        s2 = math.log1p((sd / mean) ** 2)
        return cls(math.log(mean) - 0.5 * s2, math.sqrt(s2))

    def ppf(self, u):
        return np.exp(self.mu + self.sigma * special.ndtri(np.asarray(u, dtype=float)))

    def sample(self, rng, n):
        return np.exp(self.mu + self.sigma * rng.standard_normal(n))

    @property
    def support(self):
        return (0.0, _INF)

    def expected_value(self):
        return math.exp(self.mu + 0.5 * self.sigma ** 2)


@dataclass(frozen=True)
class Fixed(Distribution):
    """One value in every draw.

    >>> Fixed(0.035).ppf([0.1, 0.9])
    array([0.035, 0.035])
    """

    value: float
    name = "fixed"

    def __post_init__(self):
        object.__setattr__(self, "value", _finite("value", self.value))

    def ppf(self, u):
        return np.full(np.shape(u), self.value)

    def sample(self, rng, n):
        return np.full(n, self.value)

    @property
    def support(self):
        return (self.value, self.value)

    def expected_value(self):
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

    def __post_init__(self):
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

    def ppf(self, u):
        u = np.asarray(u, dtype=float)
        cum = np.cumsum(self.probabilities)
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
    def support(self):
        return (min(self.values), max(self.values))

    def expected_value(self):
        return float(np.dot(self.values, self.probabilities))


#: Distribution name (and aliases) -> class.
DISTRIBUTIONS: dict[str, type[Distribution]] = {
    "uniform": Uniform, "triangular": Triangular, "pert": PERT, "normal": Normal,
    "truncnormal": TruncatedNormal, "truncated_normal": TruncatedNormal, "beta": Beta,
    "lognormal": LogNormal, "log_normal": LogNormal, "fixed": Fixed, "discrete": Discrete,
}
_KEYS = {
    Uniform: ({"low", "high"}, set()),
    Triangular: ({"low", "mode", "high"}, set()),
    PERT: ({"low", "mode", "high"}, {"shape"}),
    Normal: ({"mean", "sd"}, set()),
    TruncatedNormal: ({"mean", "sd"}, {"low", "high"}),
    Beta: ({"a", "b"}, {"low", "high"}),
    Fixed: ({"value"}, set()),
    Discrete: ({"values"}, {"probabilities"}),
}


def from_spec(spec, path: str = "") -> Distribution:
    """A distribution from a number, a mapping with ``dist``, or a :class:`Distribution`.

    Parameters
    ----------
    spec : float, mapping or Distribution
        E.g. ``{"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7}``.
    path : str
        The parameter the distribution is for, put at the front of error messages.

    Examples
    --------
    >>> from_spec({"dist": "triangular", "low": 1, "mode": 2, "high": 4}).expected_value()
    2.3333333333333335
    >>> from_spec({"dist": "pert", "low": 0.5, "mode": 0.2, "high": 0.7}, "outcomes[0].success")
    Traceback (most recent call last):
    ...
    cba.errors.CBAError: outcomes[0].success: pert: mode (0.2) must lie between low (0.5) and high (0.7)
    """
    prefix = f"{path}: " if path else ""
    if isinstance(spec, Distribution):
        return spec
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        try:
            return Fixed(spec)
        except CBAError as exc:
            raise CBAError(f"{prefix}{exc}") from None
    if not isinstance(spec, Mapping):
        raise CBAError(f"{prefix}expected a distribution such as {{dist: pert, low: ..., mode: ..., high: ...}} "
                       f"or a number, got {shown(spec)}")
    data = dict(spec)
    kind = None
    for key in ("dist", "distribution", "type"):
        if key in data:
            kind = data.pop(key)
            break
    if kind is None:
        raise CBAError(f"{prefix}a distribution needs 'dist' (one of {', '.join(_names())})")
    kind_key = str(kind).strip().lower().replace(" ", "_").replace("-", "_")
    cls = DISTRIBUTIONS.get(kind_key)
    if cls is None:
        raise CBAError(f"{prefix}unknown distribution {shown(kind)}; use one of {', '.join(_names())}")
    try:
        if cls is LogNormal:
            if {"mu", "sigma"} <= data.keys() and len(data) == 2:
                return LogNormal(data["mu"], data["sigma"])
            if {"mean", "sd"} <= data.keys() and len(data) == 2:
                return LogNormal.from_mean_sd(data["mean"], data["sd"])
            raise CBAError(f"lognormal: give either mu and sigma (of the logarithm) or mean and sd, "
                           f"got {', '.join(sorted(data)) or 'nothing'}")
        required, optional = _KEYS[cls]
        missing = required - data.keys()
        unknown = data.keys() - required - optional
        if missing:
            raise CBAError(f"{cls.name}: missing {', '.join(sorted(missing))}")
        if unknown:
            raise CBAError(f"{cls.name}: unexpected {', '.join(sorted(unknown))} "
                           f"(takes {', '.join(sorted(required | optional))})")
        if cls is Discrete and "probabilities" in data and data["probabilities"] is not None:
            data["probabilities"] = _as_tuple(data["probabilities"])
        if cls is Discrete:
            data["values"] = _as_tuple(data["values"])
        return cls(**data)
    except CBAError as exc:
        raise CBAError(f"{prefix}{exc}") from None


def _as_tuple(x):
    return tuple(x) if isinstance(x, (list, tuple)) else x


def _names() -> list[str]:
    return ["uniform", "triangular", "pert", "normal", "truncnormal", "beta", "lognormal", "fixed", "discrete"]


def check_support(dist: Distribution, parameter) -> None:
    """Refuse a distribution that can take values the parameter cannot.

    Raises
    ------
    CBAError
        Naming the parameter, e.g. a normal on a rate, or a PERT reaching above 1.
    """
    lo, hi = dist.support
    if lo >= parameter.lower and hi <= parameter.upper:
        return
    allowed = parameter._range_text().replace("must be", "").strip()
    what = "can take any value" if (math.isinf(lo) and math.isinf(hi)) else f"ranges over [{lo:g}, {hi:g}]"
    hint = ""
    if isinstance(dist, (Normal, LogNormal)) or math.isinf(hi) or math.isinf(lo):
        hint = "; use truncnormal with low and high inside that range"
        if parameter.upper == 1.0 and parameter.lower == 0.0:
            hint += ", or beta or pert"
    raise CBAError(f"{parameter.path}: a {dist.name} distribution {what}, but the parameter must be {allowed}{hint}")
