"""One-way sensitivity analysis and tornado data.

Each chosen parameter is moved to its low and then its high value while every
other parameter keeps its value in the model; the swing of a metric is the
distance between its values at the two ends. Sorting parameters by swing gives
the tornado: the assumptions that matter most come first. All ``2P + 1`` runs
(the base and each end of each parameter) go through the engine in one call.

References
----------
.. [1] HM Treasury (2022), "The Green Book", on sensitivity analysis and
   switching values: test how results change with each key assumption.

Examples
--------
>>> import cba
>>> from cba.uncertainty import one_way
>>> model = cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25", "horizon": 1,
...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]})
>>> s = one_way(model, {"outcomes[0].success": (0.4, 0.6), "costs": (0.8, 1.5)})
>>> s.tornado("financial_roi")[["parameter", "metric_low", "metric_high", "swing"]]
             parameter  metric_low  metric_high  swing
0                costs       1.875         1.00  0.875
1  outcomes[0].success       1.200         1.80  0.600
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

import cba.uncertainty._core as core
from cba.core._accessors import accessor
from cba.core._errors import CBAError
from cba.core._numbers import number
from cba.uncertainty._parameter import Parameter
from cba.uncertainty._parameters import resolve_many

if TYPE_CHECKING:  # pragma: no cover
    from typing import TypeAlias

    from matplotlib.figure import Figure

    from cba.uncertainty._core import ModelLike

    #: The ranges of a one-way analysis: path -> (low, high), or paths with ``relative``.
    Ranges: TypeAlias = Mapping[str, Sequence[float]] | Sequence[str]

#: Columns of :attr:`SensitivityResult.table`.
COLUMNS = ("metric", "parameter", "label", "unit", "base_value", "low_value", "high_value",
           "metric_base", "metric_low", "metric_high", "swing")


@dataclass
class SensitivityResult:
    """One-way sensitivity of every metric to every parameter.

    Attributes
    ----------
    table : pandas.DataFrame
        Long format, one row per (metric, parameter): :data:`COLUMNS`.
        ``base_value``, ``low_value``, ``high_value`` are the parameter's values;
        ``metric_base``, ``metric_low``, ``metric_high`` the metric's; ``swing`` is
        ``|metric_high - metric_low|`` (NaN when either is none). Within each
        metric, rows are sorted by swing, largest first.
    """

    table: pd.DataFrame
    #: The model analysed (names and price base for the chart's labels).
    model: Any = field(default=None, repr=False, compare=False)

    @property
    def metrics(self) -> list[str]:
        """The metrics in the table, each once, in their order there."""
        return list(dict.fromkeys(self.table["metric"]))

    def tornado(self, metric: str = "net_present_public_value") -> pd.DataFrame:
        """Tornado data for one metric: the parameters, largest swing first."""
        if metric not in self.metrics:
            raise CBAError(f"unknown metric {metric!r} in this analysis: use one of {', '.join(self.metrics)}")
        return self.table[self.table["metric"] == metric].reset_index(drop=True)

    def chart(self, metric: str = "net_present_public_value", **kwargs: Any) -> Figure:
        """A tornado chart of ``metric`` (see :func:`cba.outputs.charts.tornado`)."""
        kwargs.setdefault("model", self.model)
        figure: Figure = accessor("sensitivity.chart")(self.tornado(metric), **kwargs)
        return figure

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("result.html")(self))


def _ranges(model, ranges, relative) -> tuple[list[Parameter], list[tuple[float, float]]]:
    if isinstance(ranges, Mapping):
        items = list(ranges.items())
    elif isinstance(ranges, Sequence) and not isinstance(ranges, str):
        items = [(p, None) for p in ranges]
    else:
        raise CBAError("ranges: expected {parameter: (low, high)} or a list of parameters with relative=")
    if not items:
        raise CBAError("ranges: give at least one parameter")
    params = resolve_many(model, [k for k, _ in items])
    lows_highs: list[tuple[float, float]] = []
    for p, (_, rng) in zip(params, items):
        if rng is None and relative is None and p.default_range is not None:
            rng = p.default_range   # the published range (the value of a WELLBY)
        if rng is None:
            if relative is None:
                raise CBAError(f"{p.path}: give its (low, high), or a relative change for every parameter "
                               f"(e.g. relative=0.2 for -20% and +20%)")
            if p.base is None:
                raise CBAError(f"{p.path}: has no single value in the model to move by {relative:g}; "
                               f"give its (low, high)")
            low = min(max(p.base * (1 - relative), p.lower), p.upper)
            high = min(max(p.base * (1 + relative), p.lower), p.upper)
            if p.integer:
                low, high = float(math.floor(low)), float(math.ceil(high))
                low, high = max(low, p.lower), min(high, p.upper)
        else:
            if isinstance(rng, Mapping):
                rng = (rng.get("low"), rng.get("high"))
            if not (isinstance(rng, Sequence) and not isinstance(rng, str) and len(rng) == 2):
                raise CBAError(f"{p.path}: expected (low, high), got {reprlib.repr(rng)}")  # bounded: deep data
            low, high = number(rng[0], f"{p.path} (low)"), number(rng[1], f"{p.path} (high)")
        p.check([low, high])
        lows_highs.append((low, high))
    return params, lows_highs


def one_way(model: ModelLike, ranges: Ranges, *, relative: float | None = None, metrics: Sequence[str] | None = None,
            include_irr: bool = True) -> SensitivityResult:
    """One-way sensitivity of every metric to each parameter in turn.

    Parameters
    ----------
    model : Intervention, dict, path, Appraisal or CompiledModel
    ranges : mapping of path to (low, high), or sequence of paths
        The low and high value of each parameter, in its units. With a list of
        paths, ``relative`` sets them: ``base * (1 - relative)`` and
        ``base * (1 + relative)``, kept inside the parameter's allowed range
        (whole-number parameters widen to the next whole numbers).
    relative : float, optional
        See ``ranges``. A choice of the analyst, not a default of the method.
    metrics : sequence of str, optional
        Metrics to report (default every metric and agency metric).
    include_irr : bool
        Include the internal rate of return.

    Returns
    -------
    SensitivityResult
    """
    from cba.core._arguments import flag

    include_irr = flag(include_irr, "one_way: include_irr")
    compiled = core.as_compiled(model)
    if relative is not None:
        relative = number(relative, "relative")
        if not 0 < relative < math.inf:
            raise CBAError(f"relative: must be above 0, got {relative:g}")
    params, lh = _ranges(compiled, ranges, relative)
    P = len(params)
    D = 2 * P + 1
    values = {p.path: np.full(D, np.nan) for p in params}
    for i, (p, (low, high)) in enumerate(zip(params, lh)):
        values[p.path][2 * i + 1] = low
        values[p.path][2 * i + 2] = high
    out = core.run(compiled, params, values, include_irr=include_irr)
    names = core.metric_names(compiled)
    wanted = [core.check_metric(compiled, m) for m in metrics] if metrics is not None else \
        [n for n in names if include_irr or n != "irr"]
    if "irr" in wanted and not include_irr:
        raise CBAError("metric 'irr' needs include_irr=True")
    rows = []
    for m in wanted:
        j = names.index(m)
        base = out[0, j]
        block = []
        for i, (p, (low, high)) in enumerate(zip(params, lh)):
            lo_m, hi_m = out[2 * i + 1, j], out[2 * i + 2, j]
            block.append({"metric": m, "parameter": p.path, "label": p.label, "unit": p.unit,
                          "base_value": np.nan if p.base is None else p.base, "low_value": low,
                          "high_value": high, "metric_base": base, "metric_low": lo_m, "metric_high": hi_m,
                          "swing": abs(hi_m - lo_m)})
        # largest swing first; undefined swings last; ties keep the order given
        block.sort(key=lambda r: (math.isnan(r["swing"]), -r["swing"] if not math.isnan(r["swing"]) else 0.0))
        rows.extend(block)
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return SensitivityResult(table=table, model=compiled)


def tornado_data(model: ModelLike, ranges: Ranges, metric: str = "net_present_public_value",
                 **kwargs: Any) -> pd.DataFrame:
    """Tornado data for one metric: :func:`one_way` then :meth:`SensitivityResult.tornado`."""
    compiled = core.as_compiled(model)
    metric = core.check_metric(compiled, metric)
    return one_way(compiled, ranges, metrics=[metric], **kwargs).tornado(metric)
