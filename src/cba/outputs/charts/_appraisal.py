"""Charts of an appraisal: who pays, who saves, and when.

Each function takes an :class:`~cba.ledger._appraisal.Appraisal` and returns a
:class:`matplotlib.figure.Figure`. Figures are built with matplotlib's object
API (no :mod:`matplotlib.pyplot` global state), so they are safe to make in a
server or a thread; in a notebook they display as the last expression of a cell,
and :meth:`~matplotlib.figure.Figure.savefig` writes PNG, SVG or PDF.

matplotlib is imported only when a chart is drawn, so that ``import cba`` stays
quick. Colours follow one palette (:mod:`cba.outputs._palette`): each concept and each
agency has the same colour in every chart, and :data:`CAPTIONS` says in words
what each chart draws.

Every chart reads the appraisal's own views (:meth:`~cba.ledger._appraisal.Appraisal.by_agency`,
:meth:`~cba.ledger._appraisal.Appraisal.by_year` and the ledger), so a chart never
disagrees with a table. Amounts are in pounds at the appraisal's price base.

Examples
--------
>>> import cba
>>> import cba.outputs.charts._appraisal as charts
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
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import numpy as np

from cba.core._errors import CBAError
from cba.core._escaping import chart_text
from cba.outputs._arguments import takes
from cba.outputs._format import fmt
from cba.outputs._palette import AGENCY_COLOURS as _AGENCY_CYCLE
from cba.outputs._palette import CAPTIONS as _CAPTIONS
from cba.outputs._palette import COLOURS as PALETTE
from cba.outputs._palette import LABELS, agency_colours, model_agencies

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from cba.ledger._appraisal import Appraisal

#: Colours of each concept (see :mod:`cba.outputs._palette`: one palette for every chart).
COLOURS = PALETTE
#: Colours of declared agencies (canonical agencies have fixed colours: :mod:`cba.outputs._palette`).
AGENCY_COLOURS = _AGENCY_CYCLE

#: Hatching that tells the kinds of fiscal saving apart in print without colour.
NON_CASHABLE_STYLE: dict[str, Any] = {"hatch": "//", "edgecolor": "white", "linewidth": 0}
TRANSFER_STYLE: dict[str, Any] = {"hatch": "..", "edgecolor": "white", "linewidth": 0}

#: What each chart shows, in words (:data:`cba.outputs._palette.CAPTIONS`).
CAPTIONS = _CAPTIONS

#: Chart name -> function, in the order a report shows them.
CHARTS: dict[str, Callable[..., Figure]] = {}

_F = TypeVar("_F", bound=Callable[..., Any])


def _chart(name: str) -> Callable[[_F], _F]:
    def register(fn: _F) -> _F:
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


def _figure(width: float = 8.0, height: float = 4.8) -> tuple[Figure, Axes]:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise CBAError("charts need matplotlib: pip install matplotlib") from None
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def _money_axis(ax: Axes, axis: Literal["x", "y"] = "y", bins: int = 6) -> None:
    """Whole-pound tick labels, at most about ``bins`` of them so they never run together."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    getattr(ax, f"{axis}axis").set_major_locator(MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10]))
    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(pounds))
    ax.grid(axis=axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _wrap_title(text: str, fig: Figure) -> str:
    width = int(fig.get_figwidth() * 9)  # characters that fit at 11pt, roughly
    return textwrap.fill(text, width, break_long_words=False)


def _title(ax: Axes, appraisal: Appraisal, what: str, basis: str = "present values") -> None:
    """Title: the intervention's name, what is drawn, and the units and price base."""
    model = appraisal.intervention
    head = _wrap_title(f"{chart_text(model.name)}: {what}", cast("Figure", ax.figure))  # never a SubFigure
    ax.set_title(f"{head}\n({basis}, £, {chart_text(model.price_base)} prices)", fontsize=11, loc="left")


def _wrap(label: str, width: int = 16) -> str:
    """Break a long axis label over lines so neighbouring labels do not overlap."""
    return chart_text(textwrap.fill(label, width, break_long_words=False))


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")


def _price_label(appraisal: Appraisal, discounted: bool) -> str:
    kind = "present value" if discounted else "real terms"
    return f"£, {chart_text(appraisal.intervention.price_base)} prices, {kind}"


def _limits(ax: Axes, low: float, high: float, axis: str = "y", pad: float = 0.08, sticky: bool = True) -> None:
    """Axis limits that hold every bar and marker, with room around them and zero in view.

    With ``sticky`` an axis whose data all lie on one side of zero ends at zero
    (bars start there); without it there is room on both sides (for markers).
    """
    low, high = min(float(low), 0.0), max(float(high), 0.0)
    span = high - low or 1.0
    lo = low - pad * span if (low < 0 or not sticky) else 0.0
    hi = high + pad * span if (high > 0 or not sticky or low == 0) else 0.0
    getattr(ax, f"set_{axis}lim")(lo, hi)


def widen_to_fit(ax: Axes, texts, lo: float, hi: float) -> None:
    """Set the x limits to ``lo``..``hi``, then widen them until every text in ``texts``
    (value labels beside bars) lies inside the axes: a few rounds, each measured on the
    rendered figure."""
    ax.set_xlim(lo, hi)
    for _ in range(4):
        cast("Figure", ax.figure).draw_without_rendering()
        box = ax.get_window_extent()
        left = min([t.get_window_extent().x0 for t in texts] + [box.x0])
        right = max([t.get_window_extent().x1 for t in texts] + [box.x1])
        if left >= box.x0 - 0.5 and right <= box.x1 + 0.5:
            return
        per_pixel = (hi - lo) / box.width
        if left < box.x0:
            lo -= (box.x0 - left + 6) * per_pixel * 1.2
        if right > box.x1:
            hi += (right - box.x1 + 6) * per_pixel * 1.2
        ax.set_xlim(lo, hi)


def _year_limits(ax: Axes, n: int) -> None:
    """x limits for ``n`` years: bars keep a sensible width even when there are one or two."""
    span = max(n, 3)
    middle = (n - 1) / 2
    ax.set_xlim(middle - span / 2 - 0.1, middle + span / 2 + 0.1)


def _legend(ax: Axes, handles=None, labels=None) -> None:
    """The legend beside the axes, on the right, outside the data."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                  borderaxespad=0.0)


def _side_note(ax: Axes, text: str) -> None:
    """A short note under the legend, right of the axes (never over the data)."""
    ax.text(1.02, 0.0, text, transform=ax.transAxes, ha="left", va="bottom", fontsize=8, color="#333333")


def _colours(appraisal: Appraisal) -> dict[str, str]:
    return agency_colours(model_agencies(appraisal))


def _fiscal_parts(appraisal: Appraisal, by: str, column: str):
    """Fiscal savings split into cashable, non-cashable and transfers, summed by ``by``.

    Returns a DataFrame indexed by ``by`` with columns ``cashable``, ``non_cashable``
    and ``transfer`` (``column`` of the ledger: ``real`` or ``discounted``). The
    three parts add up to the fiscal savings; a transfer is counted once, as a
    transfer, whether or not it is cashable.
    """
    import pandas as pd

    led = appraisal.ledger
    fiscal = led[led["value_type"] == "fiscal"]
    part = np.where(fiscal["transfer"].to_numpy(bool), "transfer",
                    np.where(fiscal["cashable"].to_numpy(bool), "cashable", "non_cashable"))
    grid = pd.DataFrame({by: fiscal[by].to_numpy(), "part": part, "value": fiscal[column].to_numpy(float)})
    grid = grid.pivot_table(index=by, columns="part", values="value", aggfunc="sum", sort=False)
    return grid.reindex(columns=["cashable", "non_cashable", "transfer"], fill_value=0.0).fillna(0.0)


def _stack(ax: Axes, x, series: list[tuple[str, np.ndarray, str, dict]], width: float) -> tuple[np.ndarray, np.ndarray]:
    """Bars stacked at ``x``: positive parts upwards, negative parts downwards.

    Returns the tops and bottoms of the stacks, to set limits that hold them.
    """
    up = np.zeros(len(x))
    down = np.zeros(len(x))
    for label, values, colour, style in series:
        values = np.asarray(values, dtype=float)
        style = dict(style)
        if not style.pop("always", False) and not values.any():
            continue                                   # nothing to draw, nothing in the legend
        pos = np.clip(values, 0, None)
        neg = np.clip(values, None, 0)
        bottom = np.where(values >= 0, up, down)
        ax.bar(x, pos + neg, width, bottom=bottom, color=colour, label=label, **style)
        up += pos
        down += neg
    return up, down


# ---------------------------------------------------------------- charts
@_chart("agencies")
@takes(appraisal="appraisal")
def agency_chart(appraisal: Appraisal) -> Figure:
    """Who pays and who saves: one bar pair per agency, present values.

    For each agency the costs it bears are drawn below the axis and the fiscal
    savings it banks above it, split into cashable savings, non-cashable savings
    and transfer payments (a transfer is its own part, cashable or not); a black
    diamond marks its net position (fiscal savings minus costs), which is also
    written above its column.

    Parameters
    ----------
    appraisal : Appraisal

    Returns
    -------
    matplotlib.figure.Figure
        One axes, with one x tick per agency labelled with its display name
        (long names wrapped over lines). Its bar containers are labelled ``"Costs borne"``,
        ``"Fiscal savings: cashable"``, ``"Fiscal savings: non-cashable"`` and, when
        there are any, ``"Fiscal: transfer payments"`` (one bar per agency each, in
        :meth:`Appraisal.by_agency` order); the net markers are labelled ``"Net
        position (savings minus costs)"``.
    """
    table = appraisal.by_agency()
    n = len(table)
    fig, ax = _figure(width=max(6.5, 1.35 * n + 3.4), height=5.0)
    _title(ax, appraisal, "who pays and who saves")
    ax.set_ylabel(f"Present value (£, {chart_text(appraisal.intervention.price_base)} prices)")
    ax.set_xlabel("Agency")
    _money_axis(ax)
    if n == 0:
        _empty(ax, "No costs or fiscal savings to show")
        return fig
    x = np.arange(n)
    agencies = list(table["agency"])
    parts = _fiscal_parts(appraisal, "agency", "discounted").reindex(agencies, fill_value=0.0)
    costs = table["pv_costs"].to_numpy(float)
    net = table["net"].to_numpy(float)
    series: list[tuple[str, np.ndarray, str, dict[str, Any]]] = [
        (LABELS["cost"], -costs, COLOURS["cost"], {"always": True}),
        (LABELS["cashable"], parts["cashable"].to_numpy(float), COLOURS["cashable"], {"always": True}),
        (LABELS["non_cashable"], parts["non_cashable"].to_numpy(float), COLOURS["non_cashable"],
         {**NON_CASHABLE_STYLE, "always": True}),
        (LABELS["transfer"], parts["transfer"].to_numpy(float), COLOURS["transfer"], dict(TRANSFER_STYLE))]
    up, down = _stack(ax, x, series, 0.6)
    ax.plot(x, net, linestyle="none", marker="D", markersize=7, color=COLOURS["net"],
            markeredgecolor="white", markeredgewidth=0.8, label="Net position (savings minus costs)")
    ax.axhline(0, color="#333333", linewidth=0.8)
    _limits(ax, min(down.min(), net.min()), max(up.max(), net.max()), sticky=False)
    ax.set_xticks(x, [_wrap(name) for name in table["agency_name"]])
    ax.set_xlim(-0.6, n - 0.4)
    top = ax.secondary_xaxis("top")                   # the net positions, one above each column
    top.set_xticks(x, [f"net\n{fmt(v)}" for v in net], fontsize=8)
    top.tick_params(length=0)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i].startswith("Net"))  # net last
    _legend(ax, [handles[i] for i in order], [labels[i] for i in order])
    return fig


@_chart("cumulative")
@takes(appraisal="appraisal")
def cumulative_chart(appraisal: Appraisal) -> Figure:
    """Cumulative discounted costs and fiscal benefits by year, payback marked.

    The payback point is the end of the first year in which cumulative
    discounted fiscal benefit reaches cumulative discounted cost (the method's
    payback period, ``t + 1`` years); a note beside the chart says when it is, or
    that there is none within the horizon. The money axis starts at zero.

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
    ax.set_ylabel(f"Cumulative present value (£, {chart_text(appraisal.intervention.price_base)} prices)")
    ax.set_xlabel("Appraisal year (cumulative to the year's end)")
    _money_axis(ax)
    x = years["year"].to_numpy()
    c = np.cumsum(years["discounted_costs"].to_numpy(float))
    f = np.cumsum(years["discounted_fiscal"].to_numpy(float))
    ax.plot(x, c, marker="o", color=COLOURS["cost"], label="Cumulative costs")
    ax.plot(x, f, marker="s", color=COLOURS["fiscal"], label="Cumulative fiscal benefits")
    if len(x) > 1:
        ax.fill_between(x, c, f, where=f >= c, interpolate=True, color=COLOURS["fiscal"], alpha=0.12, linewidth=0)
    payback = appraisal.metrics.get("payback_period")
    if payback is not None:
        t = int(payback) - 1
        ax.axvline(t, color=COLOURS["payback"], linestyle="--", linewidth=1)
        ax.plot([t], [f[t]], linestyle="none", marker="o", markersize=15, markerfacecolor="none",
                markeredgewidth=1.6, color=COLOURS["payback"], label="Payback")
        note = (f"Pays back in {int(payback)} year{'s' if payback != 1 else ''}\n"
                f"(end of {chart_text(years['year_label'].iloc[t])})")
    else:
        note = "No payback within the horizon"
    if len(x) == 1:  # one point per line: say what they are
        for v, colour in ((c[0], COLOURS["cost"]), (f[0], COLOURS["fiscal"])):
            ax.annotate(fmt(v), (x[0], v), xytext=(12, 0), textcoords="offset points", va="center",
                        fontsize=8, color=colour)
    values = np.concatenate([c, f]) if len(x) else np.zeros(1)
    _limits(ax, values.min(), values.max(), sticky=False)
    _year_limits(ax, len(x))
    _year_ticks(ax, years)
    _legend(ax)
    _side_note(ax, note)
    fit_ticks(ax)
    return fig


def _year_ticks(ax: Axes, years) -> None:
    """One tick per year; labels thinned by :func:`fit_ticks` once the figure is laid out."""
    ax.set_xticks(years["year"].to_numpy(), [chart_text(v) for v in years["year_label"]])


def _overlapping(boxes) -> bool:
    return any(min(a.x1, b.x1) - max(a.x0, b.x0) > 0 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0
               for a, b in pairwise(boxes))


def fit_ticks(ax: Axes, axis: str = "x") -> None:
    """Keep every k-th tick label of ``axis``, the smallest k for which no two labels overlap.

    The labels stay horizontal (easier to read than rotated ones); the ticks of the
    labels left out stay as marks. Only ticks inside the axis limits count, and the
    limits do not change. Draws the figure (without rendering) to measure.
    """
    cast("Figure", ax.figure).draw_without_rendering()
    limits = getattr(ax, f"get_{axis}lim")()
    low, high = sorted(limits)
    pairs = [(t, lab.get_text()) for t, lab in zip(getattr(ax, f"get_{axis}ticks")(),
                                                   getattr(ax, f"get_{axis}ticklabels")())
             if low - 1e-9 * (high - low) <= t <= high + 1e-9 * (high - low)]
    if len(pairs) < 2:
        return
    ticks = [t for t, _ in pairs]
    for k in range(1, len(ticks) + 1):
        shown = [lab if i % k == 0 else "" for i, (_, lab) in enumerate(pairs)]
        getattr(ax, f"set_{axis}ticks")(ticks, shown)
        getattr(ax, f"set_{axis}lim")(limits)
        cast("Figure", ax.figure).draw_without_rendering()
        boxes = [t.get_window_extent() for t in getattr(ax, f"get_{axis}ticklabels")() if t.get_text()]
        if not _overlapping(boxes):
            return


@_chart("benefits")
@takes(appraisal="appraisal", discounted="flag")
def benefits_by_year_chart(appraisal: Appraisal, discounted: bool = False) -> Figure:
    """Benefits by year, stacked by kind: fiscal savings in three parts, economic, social.

    Parameters
    ----------
    appraisal : Appraisal
    discounted : bool, default False
        Plot discounted values instead of real values at the price base.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one bar container per kind of benefit, each with one bar
        per year: ``"Fiscal savings: cashable"``, ``"Fiscal savings:
        non-cashable"``, ``"Fiscal: transfer payments"`` (only when there are
        transfers), ``"Economic benefits"`` and ``"Social benefits"``. The three
        fiscal parts add up to the fiscal benefits (which include transfers; public
        value excludes them).
    """
    years = appraisal.by_year()
    prefix = "discounted_" if discounted else ""
    parts = _fiscal_parts(appraisal, "year", "discounted" if discounted else "real")
    parts = parts.reindex(years["year"], fill_value=0.0)
    series = [(LABELS["cashable"], parts["cashable"].to_numpy(float), COLOURS["cashable"], {}),
              (LABELS["non_cashable"], parts["non_cashable"].to_numpy(float), COLOURS["non_cashable"],
               dict(NON_CASHABLE_STYLE)),
              (LABELS["transfer"], parts["transfer"].to_numpy(float), COLOURS["transfer"], dict(TRANSFER_STYLE))]
    series += [(LABELS[vt], years[prefix + vt].to_numpy(float), COLOURS[vt], {}) for vt in ("economic", "social")]
    fig, ax = _stacked_by_year(appraisal, years, series, "benefits by year and kind", "Benefit", discounted)
    ax.axhline(0, color="#333333", linewidth=0.8)
    return fig


@_chart("costs")
@takes(appraisal="appraisal", discounted="flag")
def costs_by_agency_chart(appraisal: Appraisal, discounted: bool = False) -> Figure:
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
        the agency's display name and drawn in its colour (:mod:`cba.outputs._palette`),
        each with one bar per year. Costs include the optimism-bias uplift.
    """
    years = appraisal.by_year()
    led = appraisal.ledger
    costs = led[led["value_type"] == "cost"]
    column = "discounted" if discounted else "real"
    grid = costs.pivot_table(index="year", columns="agency", values=column, aggfunc="sum", sort=False)
    grid = grid.reindex(years["year"], fill_value=0.0).fillna(0.0)
    names = appraisal.intervention.agency_names
    from cba.model._agencies import display_name

    colours = _colours(appraisal)
    agencies = [a for a in appraisal.compiled.agencies if a in grid.columns]
    series = [(_wrap(display_name(a, names), 30), grid[a].to_numpy(float), colours[a], {"always": True})
              for a in agencies]
    fig, ax = _stacked_by_year(appraisal, years, series, "costs by agency and year, after optimism bias", "Cost",
                               discounted)
    if not agencies:
        _empty(ax, "No costs to show")
    return fig


def _stacked_by_year(appraisal, years, series, title: str, quantity: str, discounted: bool):
    """A figure of bars by year stacked by series, with title, axes and legend."""
    fig, ax = _figure()
    _title(ax, appraisal, title, "present values" if discounted else "real terms, undiscounted")
    ax.set_ylabel(f"{quantity} ({_price_label(appraisal, discounted)})")
    ax.set_xlabel("Appraisal year")
    _money_axis(ax)
    x = years["year"].to_numpy()
    up, down = _stack(ax, x, series, 0.7)
    _limits(ax, down.min(initial=0.0), up.max(initial=0.0))
    _year_limits(ax, len(x))
    _year_ticks(ax, years)
    handles, labels = ax.get_legend_handles_labels()
    _legend(ax, handles[::-1], labels[::-1])         # top of the legend = top of the stack
    fit_ticks(ax)
    return fig, ax


# ---------------------------------------------------------------- all at once, and SVG
@takes(appraisal="appraisal", kind="text")
def plot(appraisal: Appraisal, kind: str = "agencies", **kwargs: Any) -> Figure:
    """The chart ``kind`` of an appraisal (a name in :data:`CHARTS`); :meth:`cba.Appraisal.plot`."""
    if kind not in CHARTS:
        raise CBAError(f"unknown chart {kind!r}; use one of {', '.join(CHARTS)}")
    return CHARTS[kind](appraisal, **kwargs)


@takes(appraisal="appraisal")
def all_charts(appraisal: Appraisal) -> dict[str, Figure]:
    """Every chart, keyed by the names in :data:`CHARTS`."""
    return {name: fn(appraisal) for name, fn in CHARTS.items()}


@takes(fig="figure")
def to_svg(fig: Figure) -> str:
    """The figure as an SVG document: text stays selectable and searchable (``svg.fonttype = "none"``)
    and the document carries no creation date, so the same figure gives the same SVG."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cba"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
