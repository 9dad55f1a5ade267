"""Charts of a partnership deal: each partner without and with the deal, and the flows between them.

Each function takes a :class:`~cba.partnership._results.PartnershipResult` and returns a
:class:`matplotlib.figure.Figure` (object API, no pyplot state), drawn from the
result's own views so a chart never disagrees with a table. Amounts are present
values in pounds at the appraisal's price base. Each partner is drawn in its own
colour, the same as in the appraisal's charts (:mod:`cba.outputs._palette`).

Examples
--------
>>> import cba
>>> import cba.outputs.charts._deal as deal_charts
>>> r = cba.appraise("examples/partnership/back_to_work/model.yaml").partnership()
>>> fig = deal_charts.positions_chart(r)
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
['Local authority', 'DWP', 'NHS']
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from cba.core._escaping import chart_text
from cba.outputs._arguments import takes
from cba.outputs._format import fmt
from cba.outputs._palette import DEAL_CAPTIONS as _DEAL_CAPTIONS
from cba.outputs._palette import agency_colours, model_agencies
from cba.outputs.charts._appraisal import _empty, _figure, _money_axis, _wrap, fit_ticks, widen_to_fit

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from cba.partnership._results import PartnershipResult

#: How the bars "without the deal" and "with the deal" are drawn: both in the partner's own
#: colour (:mod:`cba.outputs._palette`), without pale and hatched, with the deal solid.
WITHOUT_STYLE: dict[str, Any] = {"alpha": 0.45, "hatch": "///", "edgecolor": "white", "linewidth": 0}
AFTER_STYLE: dict[str, Any] = {}
#: Names of each kind of flow between partners.
FLOW_NAMES = {"gain_share": "Gain-share", "outcome_payment": "Outcome payment", "top_up": "Top-up",
              "payment": "Fixed payment", "investment": "Investment drawn",
              "investor_repayment": "Investor repaid", "pool_contribution": "Pooled budget contribution"}

#: Chart name -> function, in the order a report shows them.
DEAL_CHARTS: dict[str, Callable[..., Figure]] = {}

_F = TypeVar("_F", bound=Callable[..., Any])

#: What each chart of a deal shows, in words (:data:`cba.outputs._palette.DEAL_CAPTIONS`).
DEAL_CAPTIONS = _DEAL_CAPTIONS


def _chart(name: str) -> Callable[[_F], _F]:
    def register(fn: _F) -> _F:
        DEAL_CHARTS[name] = fn
        return fn
    return register


def _colours(result: PartnershipResult) -> dict[str, str]:
    return agency_colours([*model_agencies(result.appraisal), *result.partner_ids])


def _bar_axes(result: PartnershipResult, rows: int, per_row: float, what: str, xlabel: str) -> tuple[Figure, Axes]:
    """A figure of horizontal money bars, one row each, with its title and axis."""
    fig, ax = _figure(width=8.0, height=max(2.8, per_row * rows + 1.9))
    model = result.appraisal.intervention
    head = textwrap.fill(f"{chart_text(result.name)}: {what}", int(fig.get_figwidth() * 9), break_long_words=False)
    ax.set_title(f"{head}\n(present values, £, {chart_text(model.price_base)} prices)", fontsize=11, loc="left")
    ax.set_xlabel(xlabel)
    _money_axis(ax, "x", bins=4)
    return fig, ax


def _room_for_labels(ax, labels, low: float, high: float, pad: float = 0.05) -> None:
    """x limits that hold the bars (``low``..``high``, zero in view) and every value label beside them."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or 1.0
    lo, hi = low - pad * span if low < 0 else low, high + pad * span
    widen_to_fit(ax, labels, lo, hi)


@_chart("deal_positions")
@takes(result="deal")
def positions_chart(result: PartnershipResult) -> Figure:
    """Each partner's net position without and with the deal (horizontal bars).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one y tick per partner (display names, in the partner
        table's order, first at the top) and two bar containers labelled
        ``"Without the deal"`` and ``"With the deal"``, one bar per partner each,
        in the partner's colour (:mod:`cba.outputs._palette`); each bar's end is labelled
        with its value.
    """
    p = result.partners()
    n = len(p)
    fig, ax = _bar_axes(result, n, 0.8, "each partner's net position, without and with the deal",
                        "Net position: what it gets back minus what it puts in")
    if n == 0:
        _empty(ax, "No partners to show")
        return fig
    y = np.arange(n)
    h = 0.38
    before = p["net_before"].to_numpy(float)
    after = p["net_after"].to_numpy(float)
    colours = _colours(result)
    c = [colours[a] for a in p["agency"]]
    ax.barh(y - h / 2, before, h, color=c, label="Without the deal", **WITHOUT_STYLE)
    ax.barh(y + h / 2, after, h, color=c, label="With the deal", **AFTER_STYLE)
    labels = []
    for yi, b, v in zip(y, before, after):
        for value, at, colour in ((b, yi - h / 2, "#555555"), (v, yi + h / 2, "#000000")):
            labels.append(ax.annotate(fmt(value), (value, at), xytext=(4 if value >= 0 else -4, 0),
                                      textcoords="offset points", ha="left" if value >= 0 else "right",
                                      va="center", fontsize=8, color=colour, annotation_clip=False))
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(y, [_wrap(name, 22) for name in p["agency_name"]])
    ax.set_ylim(n - 0.5, -0.5)                      # first partner at the top
    from matplotlib.patches import Patch

    ax.legend([Patch(facecolor="#777777", **WITHOUT_STYLE), Patch(facecolor="#333333")],
              ["Without the deal", "With the deal"], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              frameon=False, borderaxespad=0.0)
    values = np.concatenate([before, after])
    _room_for_labels(ax, labels, float(values.min()), float(values.max()))
    fit_ticks(ax)
    _room_for_labels(ax, labels, *ax.get_xlim(), pad=0.0)
    return fig


@_chart("deal_flows")
@takes(result="deal")
def flows_chart(result: PartnershipResult) -> Figure:
    """Every flow between partners, one bar per agreement and payer, in the payer's colour.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one y tick per flow labelled ``"payer → payee"``, the
        agreement's name and its kind (gain-share, outcome payment, top-up, fixed
        payment); bars in the payer's colour (:mod:`cba.outputs._palette`), present values,
        each labelled with its value.
    """
    f = result.flows_between()
    n = len(f)
    fig, ax = _bar_axes(result, n, 0.65, "flows between partners", "Present value paid")
    if n == 0:
        _empty(ax, "The deal has no payments between partners")
        ax.set_yticks([])
        ax.set_xticks([])
        ax.set_xlabel("")
        return fig
    y = np.arange(n)
    pv = f["pv"].to_numpy(float)
    colours = _colours(result)
    seen = set()
    labels = []
    for yi, (payer, name, v) in enumerate(zip(f["from"], f["from_name"], pv)):
        label = f"Paid by {name}" if payer not in seen else None
        seen.add(payer)
        ax.barh(yi, v, 0.6, color=colours.get(payer, "#777777"), label=label)
        labels.append(ax.annotate(fmt(v), (v, yi), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                                  ha="left" if v >= 0 else "right", va="center", fontsize=8,
                                  annotation_clip=False))
    ticks = [_wrap(f"{a} → {b}: {name} ({FLOW_NAMES.get(kind, kind).lower()})", 36)
             for a, b, name, kind in zip(f["from_name"], f["to_name"], f["agreement"], f["kind"])]
    ax.set_yticks(y, ticks, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, borderaxespad=0.0)
    _room_for_labels(ax, labels, float(pv.min()), float(pv.max()))
    fit_ticks(ax)
    _room_for_labels(ax, labels, *ax.get_xlim(), pad=0.0)
    return fig


def charts_to_draw(result: PartnershipResult) -> dict[str, Callable[..., Figure]]:
    """The charts of :data:`DEAL_CHARTS` that have something to draw: the flows chart only when
    money passes between partners (a payment, or a contribution to a pool another partner hosts)."""
    empty = result.flows_between().empty
    return {name: fn for name, fn in DEAL_CHARTS.items() if not (name == "deal_flows" and empty)}


@takes(result="deal")
def all_deal_charts(result: PartnershipResult) -> dict[str, Figure]:
    """Every chart of a deal that has something to draw (:func:`charts_to_draw`), keyed by name."""
    return {name: fn(result) for name, fn in charts_to_draw(result).items()}


@takes(result="deal", kind="text")
def plot(result: PartnershipResult, kind: str = "deal_positions", **kwargs: Any) -> Figure:
    """One chart of a deal by name (:data:`DEAL_CHARTS`): ``deal_positions`` or ``deal_flows``.

    ``positions`` and ``flows`` are accepted for short. A chart with nothing to draw
    (the flows of a deal under which no money passes between partners) is refused.
    """
    from cba.core._errors import CBAError

    name = kind if kind.startswith("deal_") else f"deal_{kind}"
    if name not in DEAL_CHARTS:
        raise CBAError(f"unknown deal chart {kind!r}; use one of {', '.join(sorted(DEAL_CHARTS))}")
    if name not in charts_to_draw(result):
        raise CBAError(f"nothing to draw for {name!r}: no money passes between the partners under this deal")
    return DEAL_CHARTS[name](result, **kwargs)
