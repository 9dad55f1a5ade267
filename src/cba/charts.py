"""Charts of an appraisal: who pays, who saves, and when.

Each function takes an :class:`~cba.appraisal.Appraisal` and returns a
:class:`matplotlib.figure.Figure`. Figures are built with matplotlib's object
API (no :mod:`matplotlib.pyplot` global state), so they are safe to make in a
server or a thread; in a notebook they display as the last expression of a cell,
and :meth:`~matplotlib.figure.Figure.savefig` writes PNG, SVG or PDF.

matplotlib is an optional dependency (``pip install cba-appraisal[charts]``); it
is imported only when a chart is drawn.

Every chart reads the appraisal's own views (:meth:`~cba.appraisal.Appraisal.by_agency`,
:meth:`~cba.appraisal.Appraisal.by_year` and the ledger), so a chart never
disagrees with a table. Amounts are in pounds at the appraisal's price base.

Examples
--------
>>> import cba
>>> from cba import charts
>>> a = cba.appraise({"name": "Tiny", "price_base": "2024/25", "horizon": 2,
...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]})
>>> fig = charts.agency_chart(a)
>>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
['Local authority', 'Police']
>>> svg = charts.to_svg(fig)            # or fig.savefig("agencies.png")
>>> svg.lstrip().startswith("<?xml")
True
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import CBAError
from .escaping import chart_text
from .presentation import fmt

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .appraisal import Appraisal

#: Colours (Okabe and Ito's palette, distinguishable with common colour-vision
#: deficiencies) for each series the charts draw.
COLOURS = {
    "cost": "#D55E00",
    "cashable": "#0072B2",
    "non_cashable": "#56B4E9",
    "net": "#000000",
    "fiscal": "#0072B2",
    "economic": "#E69F00",
    "social": "#009E73",
    "payback": "#CC79A7",
}
#: Colours cycled over agencies in :func:`costs_by_agency_chart`.
AGENCY_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9",
                  "#F0E442", "#000000", "#999999", "#882255")

#: Chart name -> function, in the order a report shows them.
CHARTS: dict[str, Any] = {}


def _chart(name: str):
    def register(fn):
        CHARTS[name] = fn
        return fn
    return register


# ---------------------------------------------------------------- helpers
def pounds(value: float, _pos: Any = None) -> str:
    """Tick label in whole pounds with thousands separators.

    >>> pounds(1234567.4), pounds(-9661.8), pounds(0)
    ('£1,234,567', '-£9,662', '£0')
    """
    if value == 0:  # no "-£0" on an axis
        return "£0"
    return fmt(float(value), "money")


def _figure(width: float = 8.0, height: float = 4.8) -> tuple["Figure", "Axes"]:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise CBAError("charts need matplotlib: pip install 'cba-appraisal[charts]'") from None
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def _money_axis(ax: "Axes", axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(pounds))
    ax.grid(axis=axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _title(ax: "Axes", appraisal: "Appraisal", what: str) -> None:
    model = appraisal.intervention
    width = int(ax.figure.get_figwidth() * 9)  # characters that fit at 11pt, roughly
    head = textwrap.fill(f"{chart_text(model.name)}: {what}", width)
    ax.set_title(f"{head}\n(£, {model.price_base} prices)", fontsize=11, loc="left")


def _wrap(label: str, width: int = 16) -> str:
    """Break a long axis label over lines so neighbouring labels do not overlap."""
    return chart_text(textwrap.fill(label, width, break_long_words=False))


def _empty(ax: "Axes", message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")


def _price_label(appraisal: "Appraisal", discounted: bool) -> str:
    kind = "present value" if discounted else "real terms"
    return f"£, {appraisal.intervention.price_base} prices, {kind}"


# ---------------------------------------------------------------- charts
@_chart("agencies")
def agency_chart(appraisal: "Appraisal") -> "Figure":
    """Who pays and who saves: one bar pair per agency, present values.

    For each agency the costs it bears are drawn below the axis and the fiscal
    savings it banks above it, the cashable part darker; a black diamond marks
    its net position (fiscal savings minus costs), labelled in pounds.

    Parameters
    ----------
    appraisal : Appraisal

    Returns
    -------
    matplotlib.figure.Figure
        One axes, with one x tick per agency labelled with its display name
        (long names wrapped over lines). Its bar containers are labelled ``"Costs borne"``,
        ``"Fiscal savings: cashable"`` and ``"Fiscal savings: non-cashable"``
        (one bar per agency each, in :meth:`Appraisal.by_agency` order) and the
        net markers ``"Net (savings minus costs)"``.
    """
    table = appraisal.by_agency()
    n = len(table)
    fig, ax = _figure(width=max(6.0, 1.3 * n + 3.0))
    _title(ax, appraisal, "who pays and who saves")
    ax.set_ylabel(f"Present value (£, {appraisal.intervention.price_base} prices)")
    ax.set_xlabel("Agency")
    _money_axis(ax)
    if n == 0:
        _empty(ax, "No costs or fiscal savings to show")
        return fig
    x = np.arange(n)
    costs = table["pv_costs"].to_numpy(float)
    fiscal = table["pv_fiscal"].to_numpy(float)
    cashable = table["pv_cashable"].to_numpy(float)
    non_cashable = fiscal - cashable
    net = table["net"].to_numpy(float)
    width = 0.6
    ax.bar(x, -costs, width, color=COLOURS["cost"], label="Costs borne")
    ax.bar(x, cashable, width, color=COLOURS["cashable"], label="Fiscal savings: cashable")
    ax.bar(x, non_cashable, width, bottom=cashable, color=COLOURS["non_cashable"],
           hatch="//", edgecolor="white", linewidth=0, label="Fiscal savings: non-cashable")
    ax.plot(x, net, linestyle="none", marker="D", markersize=8, color=COLOURS["net"],
            label="Net (savings minus costs)")
    for xi, v in zip(x, net):
        ax.annotate(f"net {fmt(v)}", (xi, v), xytext=(9, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=8)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xticks(x, [_wrap(name) for name in table["agency_name"]])
    ax.set_xlim(-0.6, n - 0.4 + 0.5)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i].startswith("Net"))  # net last
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left",
              bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return fig


@_chart("cumulative")
def cumulative_chart(appraisal: "Appraisal") -> "Figure":
    """Cumulative discounted costs and fiscal benefits by year, payback marked.

    The payback point is the end of the first year in which cumulative
    discounted fiscal benefit reaches cumulative discounted cost (the method's
    payback period, ``t + 1`` years); when there is none the chart says so.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with lines labelled ``"Cumulative costs"`` and ``"Cumulative
        fiscal benefits"`` (one point per year, at the year's end) and, when the
        intervention pays back, a marker labelled ``"Payback"`` at year index
        ``payback_period - 1``.
    """
    years = appraisal.by_year()
    fig, ax = _figure()
    _title(ax, appraisal, "cumulative costs and fiscal benefits")
    ax.set_ylabel(f"Cumulative present value (£, {appraisal.intervention.price_base} prices)")
    ax.set_xlabel("Appraisal year (cumulative to the year's end)")
    _money_axis(ax)
    x = years["year"].to_numpy()
    c = np.cumsum(years["discounted_costs"].to_numpy(float))
    f = np.cumsum(years["discounted_fiscal"].to_numpy(float))
    ax.plot(x, c, marker="o", color=COLOURS["cost"], label="Cumulative costs")
    ax.plot(x, f, marker="s", color=COLOURS["fiscal"], label="Cumulative fiscal benefits")
    ax.fill_between(x, c, f, where=f >= c, interpolate=True, color=COLOURS["fiscal"], alpha=0.12, linewidth=0)
    payback = appraisal.metrics.get("payback_period")
    if payback is not None:
        t = int(payback) - 1
        ax.axvline(t, color=COLOURS["payback"], linestyle="--", linewidth=1)
        ax.plot([t], [f[t]], linestyle="none", marker="*", markersize=16, color=COLOURS["payback"],
                label="Payback")
        ax.annotate(f"Pays back in {int(payback)} year{'s' if payback != 1 else ''}\n"
                    f"(end of {years['year_label'].iloc[t]})", (t, f[t]), xytext=(8, -18),
                    textcoords="offset points", fontsize=8, va="top")
    else:
        ax.text(0.02, 0.95, "No payback within the horizon", transform=ax.transAxes, va="top",
                fontsize=9, color="#555555")
    _year_ticks(ax, years)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return fig


def _year_ticks(ax: "Axes", years) -> None:
    x = years["year"].to_numpy()
    labels = list(years["year_label"])
    step = max(1, int(np.ceil(len(x) / 12)))  # at most about a dozen labels
    ax.set_xticks(x[::step], labels[::step])
    if len(x) > 6:
        ax.tick_params(axis="x", labelrotation=30)


def _stacked(ax: "Axes", x, series: list[tuple[str, np.ndarray, str]]) -> None:
    """Stack positive parts upwards and negative parts (dis-benefits) downwards."""
    up = np.zeros(len(x))
    down = np.zeros(len(x))
    for label, values, colour in series:
        values = np.asarray(values, dtype=float)
        pos = np.clip(values, 0, None)
        neg = np.clip(values, None, 0)
        bottom = np.where(values >= 0, up, down)
        ax.bar(x, pos + neg, 0.7, bottom=bottom, color=colour, label=label)
        up += pos
        down += neg
    # bars drawn on top of others make their bottoms "sticky"; set the limits here
    low, high = min(float(down.min(initial=0.0)), 0.0), max(float(up.max(initial=0.0)), 0.0)
    pad = 0.05 * (high - low) or 1.0
    ax.set_ylim(low - (pad if low < 0 else 0.0), high + pad)


@_chart("benefits")
def benefits_by_year_chart(appraisal: "Appraisal", discounted: bool = False) -> "Figure":
    """Benefits by year, stacked by value type (fiscal, economic, social).

    Parameters
    ----------
    appraisal : Appraisal
    discounted : bool, default False
        Plot discounted values instead of real values at the price base.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one bar container per value type, labelled ``"Fiscal"``,
        ``"Economic"`` and ``"Social"``, each with one bar per year. Fiscal
        benefits include transfers (which public value excludes).
    """
    years = appraisal.by_year()
    prefix = "discounted_" if discounted else ""
    series = [(vt.capitalize(), years[prefix + vt].to_numpy(float), COLOURS[vt])
              for vt in ("fiscal", "economic", "social")]
    fig, ax = _stacked_by_year(appraisal, years, series, "benefits by year and value type", "Benefit", discounted)
    ax.axhline(0, color="#333333", linewidth=0.8)
    return fig


@_chart("costs")
def costs_by_agency_chart(appraisal: "Appraisal", discounted: bool = False) -> "Figure":
    """Costs by year, stacked by the agency that bears them.

    Parameters
    ----------
    appraisal : Appraisal
    discounted : bool, default False
        Plot discounted values instead of real values at the price base.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one bar container per cost-bearing agency, labelled with
        the agency's display name, each with one bar per year. Costs include the
        optimism-bias uplift.
    """
    years = appraisal.by_year()
    led = appraisal.ledger
    costs = led[led["value_type"] == "cost"]
    column = "discounted" if discounted else "real"
    grid = costs.pivot_table(index="year", columns="agency", values=column, aggfunc="sum", sort=False)
    grid = grid.reindex(years["year"], fill_value=0.0).fillna(0.0)
    names = appraisal.intervention.agency_names
    from .agencies import display_name

    agencies = [a for a in appraisal.compiled.agencies if a in grid.columns]
    series = [(chart_text(display_name(a, names)), grid[a].to_numpy(float), AGENCY_COLOURS[i % len(AGENCY_COLOURS)])
              for i, a in enumerate(agencies)]
    fig, ax = _stacked_by_year(appraisal, years, series, "costs by agency and year", "Cost", discounted)
    if not agencies:
        _empty(ax, "No costs to show")
    return fig


def _stacked_by_year(appraisal, years, series, title: str, quantity: str, discounted: bool):
    """A figure of bars by year stacked by series, with title, axes and legend."""
    fig, ax = _figure()
    _title(ax, appraisal, title)
    ax.set_ylabel(f"{quantity} ({_price_label(appraisal, discounted)})")
    ax.set_xlabel("Appraisal year")
    _money_axis(ax)
    _stacked(ax, years["year"].to_numpy(), series)
    _year_ticks(ax, years)
    if series:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return fig, ax


# ---------------------------------------------------------------- all at once, and SVG
def all_charts(appraisal: "Appraisal") -> dict[str, "Figure"]:
    """Every chart, keyed by the names in :data:`CHARTS`."""
    return {name: fn(appraisal) for name, fn in CHARTS.items()}


def to_svg(fig: "Figure") -> str:
    """The figure as an SVG document (text kept as text, reproducible ids).

    Text stays selectable and searchable (``svg.fonttype = "none"``) and the
    document carries no creation date, so the same figure gives the same SVG.
    """
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cba"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
