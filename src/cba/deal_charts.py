"""Charts of a partnership deal: each partner before and after, and the flows between them.

Each function takes a :class:`~cba.partnership.results.PartnershipResult` and returns a
:class:`matplotlib.figure.Figure` (object API, no pyplot state), drawn from the
result's own views so a chart never disagrees with a table. Amounts are present
values in pounds at the appraisal's price base.

Examples
--------
>>> import cba
>>> from cba import deal_charts
>>> r = cba.appraise("examples/partnership/back_to_work/model.yaml").partnership()
>>> fig = deal_charts.positions_chart(r)
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
['Local authority', 'DWP', 'NHS']
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from .charts import COLOURS, _empty, _figure, _money_axis, _wrap
from .presentation import fmt

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from .partnership.results import PartnershipResult

#: Colours of the before and after bars.
BEFORE, AFTER = "#999999", COLOURS["fiscal"]
#: Colours of each kind of flow between partners.
FLOW_COLOURS = {"gain_share": "#009E73", "outcome_payment": "#E69F00", "top_up": "#CC79A7", "payment": "#56B4E9"}
FLOW_NAMES = {"gain_share": "Gain-share", "outcome_payment": "Outcome payment", "top_up": "Top-up",
              "payment": "Fixed payment"}

#: Chart name -> function, in the order a report shows them.
DEAL_CHARTS: dict[str, Any] = {}


def _chart(name: str):
    def register(fn):
        DEAL_CHARTS[name] = fn
        return fn
    return register


def _few_ticks(ax, axis: str = "x") -> None:
    """At most five money ticks, so that long pound labels never run together."""
    from matplotlib.ticker import MaxNLocator

    getattr(ax, f"{axis}axis").set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))


def _bar_axes(result: "PartnershipResult", rows: int, per_row: float, what: str, xlabel: str):
    """A figure of horizontal money bars, one row each, with its title and axis."""
    fig, ax = _figure(width=8.0, height=max(2.6, per_row * rows + 1.8))
    model = result.appraisal.intervention
    head = textwrap.fill(f"{result.name}: {what}", int(fig.get_figwidth() * 9))
    ax.set_title(f"{head}\n(present values, £, {model.price_base} prices)", fontsize=11, loc="left")
    ax.set_xlabel(xlabel)
    _money_axis(ax, "x")
    _few_ticks(ax)
    return fig, ax


@_chart("deal_positions")
def positions_chart(result: "PartnershipResult") -> "Figure":
    """Each partner's net position today and after the deal (horizontal bars).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one y tick per partner (display names, in the partner
        table's order, first at the top) and two bar containers labelled
        ``"Today (no deal)"`` and ``"After the deal"``, one bar per partner each.
    """
    p = result.partners()
    n = len(p)
    fig, ax = _bar_axes(result, n, 0.75, "each partner's net position, today and after the deal",
                        "Net position: what it gets back minus what it puts in")
    if n == 0:
        _empty(ax, "No partners to show")
        return fig
    y = np.arange(n)
    h = 0.38
    before = p["net_before"].to_numpy(float)
    after = p["net_after"].to_numpy(float)
    ax.barh(y - h / 2, before, h, color=BEFORE, label="Today (no deal)")
    ax.barh(y + h / 2, after, h, color=AFTER, label="After the deal")
    span = max(float(np.max(np.abs(np.concatenate([before, after])))), 1.0)
    for yi, v in zip(y, after):
        ax.annotate(fmt(v), (v, yi + h / 2), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=8)
    ax.set_xlim(min(0.0, before.min(), after.min()) - 0.25 * span, max(0.0, before.max(), after.max()) + 0.25 * span)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(y, [_wrap(name, 22) for name in p["agency_name"]])
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return fig


@_chart("deal_flows")
def flows_chart(result: "PartnershipResult") -> "Figure":
    """Every flow between partners, one bar per agreement and payer, coloured by kind.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one y tick per flow labelled ``"payer → payee"`` and the
        agreement's name; bars coloured by kind of flow (gain-share, outcome
        payment, top-up, fixed payment), present values.
    """
    f = result.flows_between()
    n = len(f)
    fig, ax = _bar_axes(result, n, 0.6, "flows between partners", "Present value paid")
    if n == 0:
        _empty(ax, "The deal has no payments between partners")
        ax.set_yticks([])
        return fig
    y = np.arange(n)
    pv = f["pv"].to_numpy(float)
    seen = set()
    for yi, (kind, v) in enumerate(zip(f["kind"], pv)):
        label = FLOW_NAMES.get(kind, kind) if kind not in seen else None
        seen.add(kind)
        ax.barh(yi, v, 0.6, color=FLOW_COLOURS.get(kind, "#777777"), label=label)
        ax.annotate(fmt(v), (v, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlim(0, max(float(pv.max()), 1.0) * 1.3)
    labels = [_wrap(f"{a} → {b}: {name}", 34) for a, b, name in zip(f["from_name"], f["to_name"], f["agreement"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return fig


def all_deal_charts(result: "PartnershipResult") -> dict[str, "Figure"]:
    """Every chart of a deal, keyed by the names in :data:`DEAL_CHARTS`."""
    return {name: fn(result) for name, fn in DEAL_CHARTS.items()}
