"""Probability distributions for the assumptions of a Monte Carlo analysis.

Each distribution has an inverse cumulative distribution function
(:meth:`~Distribution.ppf`, used to build correlated draws through a Gaussian
copula), a direct sampler (:meth:`~Distribution.sample`, used for parameters with
no correlation), its support and its mean. Invalid arguments raise
:class:`~cba.core._errors.CBAError`; :func:`from_spec` adds the parameter path to the
message.

The distributions are defined in :mod:`cba.uncertainty._continuous` (uniform,
triangular, PERT, normal, truncated normal, beta, lognormal) and
:mod:`cba.uncertainty._discrete` (fixed, discrete), on the base class of
:mod:`cba.uncertainty._distribution_base`; this module reads them from a file
(:func:`from_spec`) and checks them against the parameter they are for
(:func:`check_support`).

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
from collections.abc import Mapping

from cba.core._errors import CBAError, shown
from cba.uncertainty._continuous import PERT, Beta, LogNormal, Normal, Triangular, TruncatedNormal, Uniform
from cba.uncertainty._discrete import Discrete, Fixed
from cba.uncertainty._distribution_base import Distribution

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


def from_spec(spec: object, path: str = "") -> Distribution:
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
    cba.core._errors.CBAError: outcomes[0].success: pert: mode (0.2) must lie between low (0.5) and high (0.7)
    """
    from cba.core._arguments import text_argument

    prefix = f"{text_argument(path, 'from_spec: path', 'the parameter path as text')}: " if path else ""
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
