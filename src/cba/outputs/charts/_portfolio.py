"""Charts of a portfolio: the frontier of value against budget, and budget use by partner and year.

Each function takes a :class:`~cba.portfolios._result.PortfolioResult` and returns a
:class:`matplotlib.figure.Figure` (object API, no pyplot state), drawn from the
result's own views so a chart never disagrees with a table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._errors import CBAError
from cba.core._escaping import chart_text
from cba.outputs.charts._appraisal import _empty, _figure, _money_axis, _wrap_title

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from cba.portfolios._result import PortfolioResult


def frontier_chart(result: PortfolioResult) -> Figure:
    """The best value at each total budget (every budget scaled alike), the choice marked."""
    fig, ax = _figure()
    f = result.frontier()
    ok = f[f["value"].notna()]
    if ok.empty:
        _empty(ax, "no frontier: no budgets, or no portfolio at any scaling")
        return fig
    ax.step(ok["total_budget"], ok["value"], where="post", color="#1f4e79", linewidth=1.5)
    ax.plot(ok["total_budget"], ok["value"], "o", color="#1f4e79")
    for x, y, n in zip(ok["total_budget"], ok["value"], ok["count"]):
        ax.annotate(f"{int(n)}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    if result.feasible and result.value is not None:
        total = float(np.nansum(result.problem.budgets))
        ax.plot([total], [result.value], "s", color="#c00000", markersize=9, label="the budgets as given")
        ax.legend(loc="lower right", frameon=False)
    _money_axis(ax, "x")
    _money_axis(ax, "y")
    price = chart_text(result.candidates.price_base)
    ax.set_xlabel(f"Total budget, all partners and years (£, {price} prices, real)")
    ax.set_ylabel(f"Best value (£, {price} prices, present value)")
    ax.set_title(_wrap_title(chart_text(f"{result.name}: value against budget (numbers: programmes chosen)"),
                             fig), fontsize=11)
    return fig


def budget_chart(result: PortfolioResult) -> Figure:
    """Each partner's spend on the choice by year, against its budget."""
    fig, ax = _figure()
    b = result.budgets()
    b = b[b["budget"].notna() | (b["spend"] > 0)]
    if b.empty:
        _empty(ax, "no spend on the choice")
        return fig
    labels = [chart_text(f"{a}\n{y}") for a, y in zip(b["agency_name"], b["year"])]
    x = np.arange(len(b))
    ax.bar(x, b["spend"], color="#1f4e79", label="spend on the choice")
    ax.plot(x, b["budget"], "_", color="#c00000", markersize=22, markeredgewidth=2, label="budget")
    ax.set_xticks(x, labels, fontsize=7)
    _money_axis(ax, "y")
    ax.set_ylabel(f"£, {chart_text(result.candidates.price_base)} prices, real")
    ax.legend(frameon=False)
    ax.set_title(_wrap_title(chart_text(f"{result.name}: budget use by partner and year"), fig), fontsize=11)
    return fig


def risk_chart(result: PortfolioResult) -> Figure:
    """Each partner whose position moves, on its own scale: 5th to 95th percentile, median, central figure."""
    t = result.risk_table()
    t = t[(t["p95"] - t["p5"]).abs() > 1e-9].reset_index(drop=True) if len(t) else t
    if t.empty:
        fig, ax = _figure()
        _empty(ax, "no partner's position moves: no chosen candidate's uncertainty reaches it")
        return fig
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 0.9 + 1.0 * len(t)), layout="constrained")
    axes = fig.subplots(len(t), 1, squeeze=False)[:, 0]
    for ax, (_, row) in zip(axes, t.iterrows()):
        ax.hlines(0, row["p5"], row["p95"], color="#1f4e79", linewidth=7, alpha=0.45, label="5th to 95th percentile")
        ax.plot([row["median"]], [0], "o", color="#1f4e79", label="median")
        ax.plot([row["net_after"]], [0], "D", color="#c00000", markersize=6, label="central")
        low, high = min(row["p5"], row["net_after"], 0.0), max(row["p95"], row["net_after"], 0.0)
        pad = 0.06 * (high - low or 1.0)
        ax.set_xlim(low - pad, high + pad)
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.set_yticks([])
        ax.set_ylabel(chart_text(f"{row['agency_name']}\n{row['probability_of_loss']:.1%} loss"), rotation=0,
                      ha="right", va="center", fontsize=8)
        _money_axis(ax, "x", bins=5)
        ax.tick_params(axis="x", labelsize=8)
    axes[0].legend(frameon=False, fontsize=8, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    axes[-1].set_xlabel(f"Net position after side payments (£, {chart_text(result.candidates.price_base)} "
                        "prices, present value)")
    return fig


#: Chart name -> function.
PORTFOLIO_CHARTS = {"frontier": frontier_chart, "budgets": budget_chart, "risk": risk_chart}


def plot(result: PortfolioResult, kind: str = "frontier", **kwargs: Any) -> Figure:
    """One of :data:`PORTFOLIO_CHARTS` by name."""
    if kind not in PORTFOLIO_CHARTS:
        raise CBAError(f"unknown chart {kind!r}; choose one of {', '.join(PORTFOLIO_CHARTS)}")
    return PORTFOLIO_CHARTS[kind](result, **kwargs)
