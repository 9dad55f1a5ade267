"""The self-contained HTML report of a place's portfolio (``cba portfolio FILE -o report.html``).

:func:`render_portfolio_report` lays out, for a partnership board: the choice and how
sure the solver is of it (its proven gap and time limit), the runners-up, each
partner's budget use by year with the value of a pound more (labelled as the linear
relaxation's approximation), each partner's position before and after side payments,
its risk under Monte Carlo when candidates name uncertainty files, what keeps each
candidate not chosen out (the constraints that bind), the frontier of
value against budget (a chart and a table), and every candidate. When no portfolio
meets the constraints it says which constraint binds and by how much.

It uses the appraisal report's stylesheet and page layout
(:mod:`cba.outputs.report._report`, :mod:`cba.outputs.report._layout`): inline CSS
and SVG, no scripts, nothing loaded from the network; every text from the files is
escaped and every number formatted by :func:`cba.outputs._format.fmt`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from cba._version import __version__
from cba.outputs._arguments import takes
from cba.outputs._format import fmt
from cba.outputs.report._report import STYLE, _blocks, _figure, _pages, css_string

if TYPE_CHECKING:  # pragma: no cover
    from cba.portfolios._result import PortfolioResult

#: Captions of the portfolio's charts.
CAPTIONS = {
    "frontier": "The best value the partners can get at each total budget, every partner's budget in every "
                "year scaled alike (each point an exact MILP; the numbers are how many programmes it chooses). "
                "The red square is the budgets as given.",
    "budgets": "Each partner's spend on the chosen set by year (bars) against its budget (red marks); "
               "real pounds at the price base.",
    "risk": "Each partner whose net position moves under Monte Carlo, after side payments, on its own "
            "scale: the bar runs from the 5th to the 95th percentile, the dot is the median, the diamond the "
            "central figure and the grey line zero; beside the name, the chance of a loss.",
}


def _style(result: PortfolioResult) -> str:
    price = result.candidates.price_base
    head = css_string(f"{result.name}: portfolio")
    foot = css_string(f"Price base {price}; money in pounds at {price} prices")
    return STYLE.replace("RUNNING_HEAD", head).replace("RUNNING_FOOT", foot)


def _headlines(result: PortfolioResult) -> str:
    s, pb = result.solution, result.problem
    gap = "proven optimal" if s.status == "optimal" else (
        f"gap {fmt(s.gap, 'share')}" if s.gap is not None else s.status.replace("_", " "))
    spend = result.budgets()["spend"].sum()
    cards = [(fmt(s.value, "money"), "Value of the choice (present value)"),
             (f"{len(result.chosen)} of {len(result.candidates.names)}", "Programmes chosen"),
             (gap, f"Solver (gap tolerance {pb.gap:g}, time limit {pb.time_limit:g} s)"),
             (fmt(spend, "money"), "Spend on the choice, all partners and years (real)")]
    return '<section class="headlines" aria-label="Headline figures">' + "".join(
        f'<div class="headline"><div class="value">{escape(v)}</div><div class="label">{escape(k)}</div></div>'
        for v, k in cards) + "</section>"


def _para(text: str) -> str:
    return f"<p>{escape(text)}</p>"


@takes(result="portfolio", charts="flag")
def render_portfolio_report(result: PortfolioResult, charts: bool = True) -> str:
    """A portfolio's result as one self-contained HTML document.

    Parameters
    ----------
    result : PortfolioResult
        From :func:`cba.portfolio`.
    charts : bool, default True
        Include the charts (needs matplotlib).

    Returns
    -------
    str
        An HTML5 document with inline CSS and inline SVG: no scripts, no external
        resources. Money in pounds at the result's price base: values, nets and side
        payments are present values; budgets and spend real amounts by year.
    """
    from cba.outputs.charts._portfolio import PORTFOLIO_CHARTS
    from cba.outputs.tables._portfolio import heading, kept_out_table, portfolio_tables

    spec = result.spec
    price = result.candidates.price_base
    tables = portfolio_tables(result)
    meta = (f"{spec.describe_objective().capitalize()}. Money in pounds at {price} prices: values, net "
            "positions and side payments are present values; budgets and spend are real amounts by year. "
            f"{len(result.candidates.names)} candidates, {len(result.candidates.partners)} partners, "
            f"years {result.candidates.years[0]} to {result.candidates.years[-1]}.")
    parts = ["<!DOCTYPE html>", '<html lang="en-GB"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f'<meta name="generator" content="cba-appraisal {escape(__version__)}">',
             f"<title>{escape(result.name)}: portfolio</title>",
             f"<style>{_style(result)}</style></head><body>",
             f"<header><h1>{escape(result.name)}</h1>"]
    if spec.description:
        parts.append(f'<p class="description">{escape(spec.description.strip())}</p>')
    parts += [f'<p class="meta">{escape(meta)}</p></header>', "<main>"]
    if result.candidates.warnings:
        parts.append('<section class="warnings" role="alert"><h2>Warnings</h2><ul>'
                     + "".join(f"<li>{escape(w)}</li>" for w in result.candidates.warnings) + "</ul></section>")
    lines = [x for x in heading(result) if not x.startswith("Warning: ")]
    blocks: list[tuple[str, str]] = []
    if not result.feasible:
        parts.append("<h2>No portfolio meets the constraints</h2>" + "".join(_para(x) for x in lines))
        blocks += _blocks([tables["portfolio_binding"]], "What binds")
        blocks += _blocks([tables["portfolio_candidates"]], "Candidates")
        return _finish(parts, blocks)
    parts.append(_headlines(result))
    parts.append("<h2>The choice</h2>" + "".join(_para(x) for x in lines))
    blocks += _blocks([tables["portfolio_runners_up"]])
    if len(result.chosen) < len(result.candidates.names):
        blocks += _blocks([kept_out_table(result)], "What binds")
    blocks += _blocks([tables["portfolio_budgets"]], "Budgets by partner and year")
    if charts:
        blocks.append((_figure("portfolio-budgets", PORTFOLIO_CHARTS["budgets"](result), CAPTIONS["budgets"]),
                       "portrait"))
    blocks += _blocks([tables["portfolio_positions"]], "Each partner's position, before and after side payments")
    if "portfolio_risk" in tables:
        blocks += _blocks([tables["portfolio_risk"]], "Each partner's risk")
        if charts and "risk" in PORTFOLIO_CHARTS:
            blocks.append((_figure("portfolio-risk", PORTFOLIO_CHARTS["risk"](result), CAPTIONS["risk"]),
                           "portrait"))
    if "portfolio_frontier" in tables:
        head = [(_figure("portfolio-frontier", PORTFOLIO_CHARTS["frontier"](result), CAPTIONS["frontier"]),
                 "portrait")] if charts else []
        frontier = _blocks([tables["portfolio_frontier"]], "Frontier: value against budget")
        if head:  # the heading goes above the chart, the table after it
            first, how = frontier[0]
            h = "<h2>Frontier: value against budget</h2>"
            frontier[0] = (first.replace(h, "", 1), how)
            head[0] = (h + head[0][0], "portrait")
        blocks += head + frontier
    blocks += _blocks([tables["portfolio_candidates"]], "Candidates")
    return _finish(parts, blocks)


def _finish(parts: list[str], blocks: list[tuple[str, str]]) -> str:
    parts.append(_pages(blocks))
    parts.append("</main>")
    parts.append(f"<footer>Generated by cba-appraisal {escape(__version__)}: the choice solved as a mixed-integer "
                 "linear programme by HiGHS (scipy.optimize.milp); each candidate appraised with the GMCA / New "
                 "Economy cost-benefit analysis method (HM Treasury supplementary Green Book guidance, 2014). "
                 "Unit values from the GMCA Unit Cost Database are &ldquo;Unit Cost Database v1.4, New Economy / "
                 "Greater Manchester Combined Authority, CC BY 4.0&rdquo;.</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
