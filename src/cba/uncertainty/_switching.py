"""Switching values: how far an assumption can move before the case changes.

The switching value of a parameter for a metric is the value at which the metric
crosses a threshold, everything else as in the model: the success rate at which
the financial ROI falls to 1, the deadweight at which the net present public
value reaches 0, the cost overrun at which an agency's net turns negative.

The metric is first evaluated on a grid over the allowed range in one vectorised
engine call, to find every crossing; each is then refined with Brent's method
(:func:`scipy.optimize.brentq`) on the deterministic engine. When a parameter has
several crossings, the one nearest its value in the model is reported (all are
listed). When there is none in the range, the answer says so and gives the
metric's range there. Whole-number parameters (lag, duration, grades) are
stepped through every whole value instead: the switching value is the first one,
counting out from the model's value, on the other side of the threshold.

References
----------
.. [1] HM Treasury (2022), "The Green Book", on switching values: the value an
   input would need to take for the proposal's net present value to become zero.

Examples
--------
The worked example's financial ROI is linear in the success rate: it falls to 1
at ``success = pv_costs / (pv_fiscal / 0.5)``.

>>> import cba
>>> from cba.uncertainty import switching_value
>>> model = cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25", "horizon": 1,
...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]})
>>> sv = switching_value(model, "outcomes[0].success", "financial_roi")
>>> round(sv.value, 12)            # 1000 / (10 * 300)
0.333333333333
>>> print(switching_value(model, "outcomes[0].success", "net[local_authority]"))
net[local_authority] stays below 0 for every outcomes[0].success in [0, 1] (from -1000 to -1000): no switching value
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

import cba.uncertainty._core as core
from cba.core._accessors import accessor
from cba.core._errors import CBAError
from cba.core._numbers import number
from cba.uncertainty._parameter import Parameter
from cba.uncertainty._parameters import resolve

if TYPE_CHECKING:  # pragma: no cover
    from cba.uncertainty._core import ModelLike

#: Grid points used to find crossings of a continuous parameter.
GRID = 257
#: Largest number of whole values stepped through for a whole-number parameter.
MAX_STEPS = 100_000


@dataclass
class SwitchingValue:
    """The answer of :func:`switching_value`.

    Attributes
    ----------
    parameter, label, metric : str
    threshold : float
    value : float or None
        The switching value (``None`` when the metric does not cross the
        threshold within ``within``).
    found : bool
    crossings : tuple of float
        Every crossing found in the range, in increasing order.
    within : tuple of float
        The range searched.
    base : float or None
        The parameter's value in the model.
    metric_at_base : float
        The metric with the model as given (NaN = none).
    metric_range : tuple of float
        Smallest and largest value of the metric seen over the range.
    message : str
        The answer in words (also ``str(result)``).
    """

    parameter: str
    label: str
    metric: str
    threshold: float
    value: float | None
    found: bool
    within: tuple[float, float]
    base: float | None
    metric_at_base: float
    metric_range: tuple[float, float]
    crossings: tuple[float, ...] = field(default_factory=tuple)
    message: str = ""

    def __str__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("result.html")(self))

    def to_dict(self) -> dict:
        """Plain data: the parameter, the metric, its threshold and the switching value (none if not found)."""
        def clean(x):
            return None if isinstance(x, float) and math.isnan(x) else x

        return {"parameter": self.parameter, "label": self.label, "metric": self.metric,
                "threshold": self.threshold, "value": self.value, "found": self.found,
                "crossings": list(self.crossings), "within": list(self.within), "base": self.base,
                "metric_at_base": clean(self.metric_at_base),
                "metric_range": [clean(x) for x in self.metric_range], "message": self.message}


def _g(x: float) -> str:
    return f"{x:.6g}"


def _metric_fn(model, p: Parameter, column: int, include_irr: bool):
    def f(xs: np.ndarray) -> np.ndarray:
        return core.run(model, [p], {p.path: np.asarray(xs, dtype=float)}, include_irr=include_irr)[:, column]
    return f


def switching_value(model: ModelLike, parameter: str, metric: str = "financial_roi", threshold: float | None = None, *,
                    within: tuple[float, float] | None = None, xtol: float = 1e-12) -> SwitchingValue:
    """The value of ``parameter`` at which ``metric`` crosses ``threshold``.

    Parameters
    ----------
    model : Intervention, dict, path, Appraisal or CompiledModel
    parameter : str
        A parameter path (:mod:`cba.uncertainty._parameters`).
    metric : str
        A metric, e.g. ``financial_roi``, ``net_present_public_value`` or
        ``net[dwp]``.
    threshold : float, optional
        Default: the metric's break-even (1 for a ROI, 0 for a net value).
    within : (low, high), optional
        Range to search, in the parameter's units. Default: the parameter's
        allowed range (e.g. [0, 1] for a rate); required when that is unbounded
        (amounts, multipliers, lag, duration).
    xtol : float
        Absolute tolerance of the root.

    Returns
    -------
    SwitchingValue
    """
    compiled = core.as_compiled(model)
    metric = core.check_metric(compiled, metric)
    xtol = number(xtol, "switching_value: xtol")
    if xtol <= 0:
        raise CBAError(f"switching_value: xtol must be above 0, got {xtol:g}")
    if threshold is None:
        t = core.default_threshold(compiled, metric)
        if t is None:
            raise CBAError(f"{metric} has no default threshold: give one, e.g. threshold=0")
        threshold = t.value
    threshold = number(threshold, "threshold")
    p = resolve(compiled, parameter)
    if within is None:
        lo, hi = p.lower, p.upper
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise CBAError(f"{p.path}: {p._range_text().replace('must be', 'can be')}; give the range to search, "
                           f"e.g. within=(low, high)")
    else:
        if not (isinstance(within, Sequence) and not isinstance(within, str) and len(within) == 2):
            raise CBAError(f"within: expected (low, high), got {within!r}")
        lo, hi = number(within[0], "within (low)"), number(within[1], "within (high)")
        if not lo < hi:
            raise CBAError(f"within: low ({lo:g}) must be below high ({hi:g})")
        p.check([lo, hi])
    include_irr = metric == "irr"
    column = core.metric_names(compiled).index(metric)
    f = _metric_fn(compiled, p, column, include_irr)
    metric_at_base = float(core.run(compiled, [], {}, include_irr=include_irr)[0, column])

    if p.integer:
        lo, hi = math.ceil(lo), math.floor(hi)
        if hi - lo + 1 > MAX_STEPS:
            raise CBAError(f"{p.path}: {hi - lo + 1:,} whole values to step through; narrow 'within'")
        xs = np.arange(lo, hi + 1, dtype=float)
    else:
        xs = np.linspace(lo, hi, GRID)
        if p.base is not None and lo < p.base < hi:
            xs = np.unique(np.append(xs, p.base))
    ys = f(xs) - threshold
    finite = ~np.isnan(ys)
    seen = ((float(np.nanmin(ys) + threshold), float(np.nanmax(ys) + threshold)) if finite.any()
            else (math.nan, math.nan))

    # brackets: neighbouring defined points on opposite sides of (or on) the threshold
    brackets = []
    for i in range(len(xs) - 1):
        a, b = ys[i], ys[i + 1]
        if np.isnan(a) or np.isnan(b):
            continue
        if a == 0:
            brackets.append((xs[i], xs[i]))
        elif a * b < 0:
            brackets.append((xs[i], xs[i + 1]))
    if len(xs) and not np.isnan(ys[-1]) and ys[-1] == 0:
        brackets.append((xs[-1], xs[-1]))

    crossings: list[float] = []
    for a, b in brackets:
        if a == b:
            root = float(a)
        elif p.integer:
            root = math.nan  # resolved below, relative to the base
        else:
            root = brentq(lambda x: float(f(np.array([x]))[0] - threshold), a, b, xtol=xtol,
                          rtol=4 * np.finfo(float).eps)
        crossings.append(root)

    ref = p.base if p.base is not None else lo
    if p.integer:
        # the first whole value beyond the threshold, counting out from the base
        values = []
        for a, b in brackets:
            if a == b:
                values.append(float(a))
            else:
                values.append(float(b) if ref <= a else float(a))
        crossings = sorted(set(values))
    crossings = sorted(crossings)

    within_t = (float(lo), float(hi))
    if not crossings:
        where = "above" if finite.any() and np.nanmin(ys) > 0 else "below"
        if not finite.any():
            msg = (f"{metric} is undefined for every {p.path} in [{_g(lo)}, {_g(hi)}]: no switching value")
        else:
            msg = (f"{metric} stays {where} {_g(threshold)} for every {p.path} in [{_g(lo)}, {_g(hi)}] "
                   f"(from {_g(seen[0])} to {_g(seen[1])}): no switching value")
        return SwitchingValue(p.path, p.label, metric, threshold, None, False, within_t, p.base, metric_at_base,
                              seen, (), msg)
    value = min(crossings, key=lambda x: (abs(x - ref), x))
    at = float(f(np.array([value]))[0])
    base_txt = f"its value in the model is {_g(p.base)}" if p.base is not None else "the model has no single value"
    if p.integer:
        msg = (f"{metric} is {_g(at)} at {p.path} = {_g(value)}, the nearest whole value on the other side of "
               f"{_g(threshold)} ({base_txt}, where {metric} is {_g(metric_at_base)})")
    else:
        msg = (f"{metric} reaches {_g(threshold)} at {p.path} = {_g(value)} "
               f"({base_txt}, where {metric} is {_g(metric_at_base)})")
    if len(crossings) > 1:
        msg += f"; it crosses {len(crossings)} times in [{_g(lo)}, {_g(hi)}]: at {', '.join(_g(c) for c in crossings)}"
    return SwitchingValue(p.path, p.label, metric, threshold, float(value), True, within_t, p.base,
                          metric_at_base, seen, tuple(float(c) for c in crossings), msg)


class SwitchingTable(pd.DataFrame):
    """The table of :func:`switching_values`: a pandas DataFrame that shows itself in a
    notebook as labelled tables, one per metric (a frame derived from it is a plain
    DataFrame)."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _repr_html_(self) -> str:
        return str(accessor("result.html")(self))


def switching_values(model: ModelLike, parameters: str | Sequence[str] | Mapping[str, tuple[float, float] | None],
                     metric: str = "financial_roi", threshold: float | None = None,
                     **kwargs: Any) -> pd.DataFrame:
    """:func:`switching_value` for several parameters, as a table.

    ``parameters`` is a list of paths, or a mapping of path to its ``within``
    range (``None`` for the default range).

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter``, ``label``, ``base``, ``value`` (NaN when none),
        ``found``, ``metric``, ``threshold``, ``metric_at_base``, ``message``.
    """
    compiled = core.as_compiled(model)
    if isinstance(parameters, str):
        parameters = [parameters]
    if not hasattr(parameters, "items") and not isinstance(parameters, (list, tuple)):
        raise CBAError(f"parameters: expected a list of parameter paths or a mapping of path to (low, high), "
                       f"got {type(parameters).__name__}")
    items = parameters.items() if hasattr(parameters, "items") else [(p, None) for p in parameters]
    rows = []
    for path, within in items:
        sv = switching_value(compiled, path, metric, threshold, within=within, **kwargs)
        rows.append({"parameter": sv.parameter, "label": sv.label,
                     "base": np.nan if sv.base is None else sv.base,
                     "value": np.nan if sv.value is None else sv.value, "found": sv.found,
                     "metric": sv.metric, "threshold": sv.threshold, "metric_at_base": sv.metric_at_base,
                     "message": sv.message})
    return SwitchingTable(rows)
