"""Charts of uncertainty analyses: the tornado, and the spread of Monte Carlo draws.

matplotlib is optional (``pip install 'cba-appraisal[charts]'``) and imported
only when a chart is drawn. Figures use matplotlib's object API (no pyplot
state), so they are safe in threads and servers; ``fig.savefig("tornado.png")``
writes a file.

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

from ..errors import CBAError
from ..escaping import chart_text
from ..presentation import fmt

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

#: Colours of the low and high ends (Okabe and Ito's palette, as in :mod:`cba.charts`).
LOW_COLOUR = "#D55E00"
HIGH_COLOUR = "#0072B2"

_RATIO = ("roi",)


def metric_kind(metric: str) -> str:
    """How a metric's values are formatted: ``money``, ``ratio``, ``years``, ``rate`` or ``share``.

    >>> metric_kind("net[dwp]"), metric_kind("financial_roi"), metric_kind("payback_period")
    ('money', 'ratio', 'years')
    """
    name = metric.split("[")[0]
    if name.endswith("roi"):
        return "ratio"
    if name == "payback_period":
        return "years"
    if name == "irr":
        return "rate"
    if name in ("wrong_pocket_index", "cost_share", "fiscal_share"):
        return "share"
    return "money"


def format_value(x: float, unit: str) -> str:
    """A parameter's value for a label: pounds, ``×1.2`` for a multiplier, else as is.

    >>> format_value(1.2, "multiplier"), format_value(0.035, "rate"), format_value(1500, "pounds")
    ('×1.2', '0.035', '£1,500')
    """
    if isinstance(x, float) and math.isnan(x):
        return "as modelled"
    if unit == "pounds":
        return fmt(float(x), "money")
    if unit == "multiplier":
        return f"×{x:g}"
    return f"{x:g}"


def _figure(width: float, height: float):
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise CBAError("charts need matplotlib: pip install 'cba-appraisal[charts]'") from None
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def tornado(data: pd.DataFrame, *, title: str | None = None, max_bars: int | None = None) -> "Figure":
    """A tornado chart: each parameter's low and high end, largest swing on top.

    Parameters
    ----------
    data : pandas.DataFrame
        Tornado data for one metric (:meth:`SensitivityResult.tornado`), sorted
        by swing, largest first.
    title : str, optional
    max_bars : int, optional
        Show only the parameters with the largest swings.

    Returns
    -------
    matplotlib.figure.Figure
        Bars run from the metric with every parameter as in the model (the
        vertical line) to its value at the parameter's low end (orange) and at its
        high end (blue); each bar end is labelled with the parameter's value.
    """
    need = {"metric", "label", "metric_base", "metric_low", "metric_high", "low_value", "high_value"}
    if not isinstance(data, pd.DataFrame) or not need <= set(data.columns):
        raise CBAError("tornado: expected tornado data from one_way(...).tornado(metric)")
    metrics = list(dict.fromkeys(data["metric"]))
    if len(metrics) != 1:
        raise CBAError(f"tornado: expected the data of one metric, got {len(metrics)}: pick one with .tornado(metric)")
    metric = metrics[0]
    rows = data if max_bars is None else data.head(int(max_bars))
    n = len(rows)
    fig, ax = _figure(8.0, 1.2 + 0.45 * max(n, 1))
    kind = metric_kind(metric)
    if n == 0:
        ax.text(0.5, 0.5, "no parameters", ha="center", va="center", transform=ax.transAxes)
        return fig
    base = float(rows["metric_base"].iloc[0])
    y = np.arange(n)[::-1]                        # largest swing at the top
    unit = rows["unit"] if "unit" in rows else pd.Series(["share"] * n)
    for yi, (_, r), u in zip(y, rows.iterrows(), unit):
        for end, colour in (("low", LOW_COLOUR), ("high", HIGH_COLOUR)):
            v = float(r[f"metric_{end}"])
            if math.isnan(v) or math.isnan(base):
                continue
            ax.barh(yi, v - base, left=base, height=0.6, color=colour,
                    label=f"{end.capitalize()} value" if yi == y[0] else None)
            ax.annotate(format_value(float(r[f"{end}_value"]), u), (v, yi), xytext=(4 if v >= base else -4, 0),
                        textcoords="offset points", va="center", ha="left" if v >= base else "right", fontsize=8)
    if not math.isnan(base):
        ax.axvline(base, color="#000000", linewidth=1)
    ax.set_yticks(y, [chart_text(v) for v in rows["label"]])
    ax.margins(x=0.15)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(float(v), kind)))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(f"{metric} (vertical line: {fmt(base, kind)} with every assumption as modelled)")
    ax.set_title(chart_text(title) if title else f"One-way sensitivity of {metric}", loc="left", fontsize=11)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def histogram(result, metric: str = "net_present_public_value", *, bins: int = 50,
              title: str | None = None) -> "Figure":
    """The distribution of a metric over Monte Carlo draws, with its threshold.

    Needs the draws: ``montecarlo(..., keep_draws=True)``. Draws where the
    metric is none are left out (their share is in the title).
    """
    if getattr(result, "values", None) is None:
        raise CBAError("a histogram needs the draws: run montecarlo(..., keep_draws=True)")
    if metric not in result.metrics:
        raise CBAError(f"unknown metric {metric!r}: use one of {', '.join(result.metrics)}")
    x = result.values[:, result.metrics.index(metric)]
    ok = x[~np.isnan(x)]
    fig, ax = _figure(8.0, 4.5)
    kind = metric_kind(metric)
    if len(ok):
        ax.hist(ok, bins=bins, color=HIGH_COLOUR, alpha=0.85)
    t = result.thresholds.get(metric)
    if t is not None:
        ax.axvline(t.value, color=LOW_COLOUR, linestyle="--", linewidth=1.2,
                   label=f"{t}: probability {result.probability(metric):.1%}")
        ax.legend(loc="best", fontsize=8, frameon=False)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(float(v), kind)))
    ax.set_xlabel(metric)
    ax.set_ylabel("draws")
    undefined = 1 - len(ok) / len(x) if len(x) else 0.0
    extra = f", undefined in {undefined:.1%}" if undefined else ""
    ax.set_title(chart_text(title) if title else f"{metric}: {result.draws:,} draws{extra}", loc="left", fontsize=11)
    return fig
