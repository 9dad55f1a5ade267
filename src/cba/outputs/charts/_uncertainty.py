"""Charts of uncertainty analyses: the tornado, and the spread of Monte Carlo draws.

matplotlib is imported only when a chart is drawn. Figures use matplotlib's
object API (no pyplot state), so they are safe in threads and servers;
``fig.savefig("tornado.png")`` writes a file. Metrics are named for people
(:func:`metric_label`), with the intervention's name and price base in the title.

Examples
--------
>>> import cba
>>> from cba.uncertainty import one_way
>>> model = cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25", "horizon": 1,
...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]})
>>> fig = one_way(model, {"outcomes[0].success": (0.4, 0.6), "costs": (0.8, 1.5)}).chart("financial_roi")
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()]     # largest swing first, at the top
['All costs', 'Fewer call-outs: success']
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cba.core._errors import CBAError
from cba.core._escaping import chart_text
from cba.outputs._arguments import takes
from cba.outputs._format import fmt, format_value
from cba.outputs._palette import COLOURS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from cba.engine._compiled import CompiledModel
    from cba.ledger._appraisal import Appraisal
    from cba.model._intervention import Intervention
    from cba.uncertainty._montecarlo_result import MonteCarloResult

#: Colours of the low and high ends: greys, so that no concept's colour (costs, savings,
#: an agency; :mod:`cba.outputs._palette`) is borrowed for something else.
LOW_COLOUR = "#A6A6A6"
HIGH_COLOUR = "#404040"


def metric_label(metric: str, model=None) -> str:
    """A metric's name for people (:func:`cba.outputs._labels.metric_label`), with the model's agency names.

    ``model`` (an Intervention, CompiledModel or Appraisal) supplies declared
    agency names; without it canonical names are used.

    >>> metric_label("net[dwp]"), metric_label("payback_period")
    ('DWP: net position', 'Payback period (years)')
    """
    from cba.outputs._labels import agency_names_of
    from cba.outputs._labels import metric_label as label

    return label(metric, agency_names_of(model))

def _intervention(model):
    """The Intervention behind an Intervention, CompiledModel or Appraisal (or None)."""
    if model is None:
        return None
    for attr in ("intervention", "compiled"):
        inner = getattr(model, attr, None)
        if inner is not None and inner is not model:
            return _intervention(inner) if attr == "compiled" else inner
    return model if hasattr(model, "price_base") else None


def _agency_names(model) -> dict[str, str]:
    m = _intervention(model)
    return dict(getattr(m, "agency_names", None) or {})


def _units(metric: str, model) -> str:
    """The units of a metric for a title: pounds at the price base for money."""
    kind = metric_kind(metric)
    m = _intervention(model)
    if kind == "money":
        return f"present values, £, {chart_text(m.price_base)} prices" if m is not None else "present values, £"
    return {"ratio": "a ratio", "years": "whole years", "rate": "a rate", "share": "a share"}[kind]


def _title(what: str, metric: str, model) -> str:
    import textwrap

    m = _intervention(model)
    head = f"{chart_text(m.name)}: {what}" if m is not None else what[:1].upper() + what[1:]
    return f"{textwrap.fill(head, 72, break_long_words=False)}\n({_units(metric, model)})"


def metric_kind(metric: str) -> str:
    """How a metric's values are formatted (:func:`cba.outputs._labels.metric_kind`).

    >>> metric_kind("net[dwp]"), metric_kind("financial_roi"), metric_kind("payback_period")
    ('money', 'ratio', 'years')
    """
    from cba.outputs._labels import metric_kind as kind

    return kind(metric)


def _figure(width: float, height: float):
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise CBAError("charts need matplotlib: pip install matplotlib") from None
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _value_axis(ax, kind: str, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    getattr(ax, f"{axis}axis").set_major_locator(
        MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=kind in ("years", "int")))
    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(lambda v, _pos: _tick(v, kind)))
    ax.grid(axis=axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _tick(v: float, kind: str) -> str:
    if kind == "money" and v == 0:
        return "£0"
    return fmt(float(v), kind)


@takes(title="text?", max_bars="count?", model="model?")
def tornado(data: pd.DataFrame, *, title: str | None = None, max_bars: int | None = None,
            model: Intervention | Appraisal | CompiledModel | None = None) -> Figure:
    """A tornado chart: each parameter's low and high end, largest swing on top.

    Parameters
    ----------
    data : pandas.DataFrame
        Tornado data for one metric (:meth:`SensitivityResult.tornado`), sorted
        by swing, largest first.
    title : str, optional
        Default: the intervention's name and the metric's name, with its units
        (and the price base for money).
    max_bars : int, optional
        Show only the parameters with the largest swings.
    model : Intervention, CompiledModel or Appraisal, optional
        Supplies the intervention's name, price base and agency names for the
        labels (:meth:`SensitivityResult.chart` passes it).

    Returns
    -------
    matplotlib.figure.Figure
        Bars run from the metric with every parameter as in the model (the
        vertical line) to its value at the parameter's low end (light grey) and at
        its high end (dark grey); each bar end is labelled with the parameter's
        value, and the parameters' names are wrapped so that no two collide.
    """
    import textwrap

    need = {"metric", "label", "metric_base", "metric_low", "metric_high", "low_value", "high_value"}
    if not isinstance(data, pd.DataFrame) or not need <= set(data.columns):
        raise CBAError("tornado: expected tornado data from one_way(...).tornado(metric)")
    metrics = list(dict.fromkeys(data["metric"]))
    if len(metrics) != 1:
        raise CBAError(f"tornado: expected the data of one metric, got {len(metrics)}: pick one with .tornado(metric)")
    metric = metrics[0]
    rows = data if max_bars is None else data.head(int(max_bars))
    n = len(rows)
    labels = [chart_text(textwrap.fill(str(v), 30, break_long_words=False)) for v in rows["label"]]
    lines = sum(max(1, lab.count("\n") + 1) for lab in labels)
    fig, ax = _figure(8.0, 2.2 + 0.32 * max(lines, n, 1) + 0.12 * n)
    kind = metric_kind(metric)
    name = metric_label(metric, model)
    ax.set_title(chart_text(title) if title else _title(f"one-way sensitivity of {name}", metric, model),
                 loc="left", fontsize=11)
    if n == 0:
        ax.text(0.5, 0.5, "no parameters", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return fig
    base = float(rows["metric_base"].iloc[0])
    y = np.arange(n)[::-1]                        # largest swing at the top
    unit = rows["unit"] if "unit" in rows else pd.Series(["share"] * n)
    ends, texts = [base], []
    for yi, (_, r), u in zip(y, rows.iterrows(), unit):
        for end, colour in (("low", LOW_COLOUR), ("high", HIGH_COLOUR)):
            v = float(r[f"metric_{end}"])
            if math.isnan(v) or math.isnan(base):
                continue
            ends.append(v)
            ax.barh(yi, v - base, left=base, height=0.6, color=colour,
                    label=f"{end.capitalize()} end of the range" if yi == y[0] else None)
            other = float(r["metric_high" if end == "low" else "metric_low"])
            if v != base:
                right = v > base
            elif not math.isnan(other) and other != base:
                right = other < base                # no change at this end: label away from the other bar
            else:
                right = end == "high"
            texts.append(ax.annotate(format_value(float(r[f"{end}_value"]), u), (v, yi),
                                     xytext=(4 if right else -4, 0), textcoords="offset points", va="center",
                                     ha="left" if right else "right", fontsize=8, annotation_clip=False))
    if not math.isnan(base):
        ax.axvline(base, color="#000000", linewidth=1)
    ax.set_yticks(y, labels, fontsize=9)
    ax.set_ylim(-0.6, n - 0.4)
    _value_axis(ax, kind)
    xlabel = f"{name}: the vertical line is {fmt(base, kind)}, with every assumption as modelled"
    ax.set_xlabel(chart_text(textwrap.fill(xlabel, 90, break_long_words=False)))
    handles, legend = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, legend, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                  borderaxespad=0.0)
    finite = [e for e in ends if not math.isnan(e)] or [0.0]
    _room(ax, texts, min(finite), max(finite))
    from cba.outputs.charts._appraisal import fit_ticks

    fit_ticks(ax)
    _room(ax, texts, *ax.get_xlim())           # the tick labels may have changed the layout
    return fig


def _room(ax, texts, low: float, high: float) -> None:
    """x limits holding the bars from ``low`` to ``high`` and every label at their ends."""
    span = (high - low) or (abs(high) or 1.0)
    lo, hi = low - 0.05 * span, high + 0.05 * span
    if ax.get_xlim() == (low, high):          # already holds the bars: only widen
        lo, hi = low, high
    from cba.outputs.charts._appraisal import widen_to_fit

    widen_to_fit(ax, texts, lo, hi)


@takes(result="montecarlo", metric="text", bins="count", title="text?")
def histogram(result: MonteCarloResult, metric: str = "net_present_public_value", *, bins: int = 50,
              title: str | None = None) -> Figure:
    """The distribution of a metric over Monte Carlo draws, with its threshold.

    Needs the draws: ``montecarlo(..., keep_draws=True)``. Draws where the
    metric is none are left out (their share is in the title). A metric counted
    in whole numbers (the payback period) is drawn as one bar at each whole
    number instead of ``bins`` bins.
    """
    values = getattr(result, "values", None)
    if values is None:
        raise CBAError("a histogram needs the draws: run montecarlo(..., keep_draws=True)")
    if metric not in result.metrics:
        raise CBAError(f"unknown metric {metric!r}: use one of {', '.join(result.metrics)}")
    x = values[:, result.metrics.index(metric)]
    ok = x[~np.isnan(x)]
    fig, ax = _figure(8.0, 4.5)
    kind = metric_kind(metric)
    model = getattr(result, "model", None)
    name = metric_label(metric, model)
    if len(ok) and kind in ("years", "int"):
        values, counts = np.unique(np.round(ok), return_counts=True)
        ax.bar(values, counts, width=0.7, color=COLOURS["neutral"], label="Draws")
        ax.set_xlim(values.min() - 0.7, values.max() + 0.7)
    elif len(ok):
        ax.hist(ok, bins=bins, color=COLOURS["neutral"], label="Draws")
    t = result.thresholds.get(metric)
    if t is not None:
        ax.axvline(t.value, color="#000000", linestyle="--", linewidth=1.2,
                   label=f"Threshold {t.op} {fmt(t.value, kind)}:\nprobability {result.probability(metric):.1%}")
    handles, legend = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, legend, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                  borderaxespad=0.0)
    _value_axis(ax, kind)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.set_xlabel(chart_text(name))
    ax.set_ylabel("Number of draws")
    undefined = 1 - len(ok) / len(x) if len(x) else 0.0
    extra = f"; none in {undefined:.1%} of draws, left out" if undefined else ""
    ax.set_title(chart_text(title) if title else
                 _title(f"{name} over {result.draws:,} Monte Carlo draws{extra}", metric, model),
                 loc="left", fontsize=11)
    from cba.outputs.charts._appraisal import fit_ticks

    fit_ticks(ax)
    return fig
