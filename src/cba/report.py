"""A self-contained HTML report of an appraisal.

:func:`render_report` returns one HTML document holding everything a reader needs:
the headline figures, the financial and economic case, the agency ledger, the
partnership deal when the model has one (:mod:`cba.deal_tables`, :mod:`cba.deal_charts`), the cost,
benefit and assumption tables of :mod:`cba.tables`, provenance, and the charts of
:mod:`cba.charts` as inline SVG. It loads nothing from the network and refers to no
other file, so it can be emailed, attached to a committee paper or archived; its
print stylesheet keeps tables and charts whole on paper.

Every piece of text that comes from the model (names, descriptions, sources) is
escaped. Numbers are formatted by :func:`cba.presentation.fmt`, the same as every
other output, so the report shows exactly the figures of ``cba appraise``.

Examples
--------
>>> import cba
>>> from cba.report import render_report
>>> a = cba.appraise({"name": "Tiny <pilot>", "price_base": "2024/25", "horizon": 2,
...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]})
>>> html = render_report(a)
>>> html.startswith("<!DOCTYPE html>"), "Tiny &lt;pilot&gt;" in html, html.count("<svg") == 4
(True, True, True)
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from . import __version__
from .presentation import fmt, render_table_html

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .appraisal import Appraisal

#: The figures shown large at the top: (metric, label, kind of number).
HEADLINES = (
    ("pv_costs", "Present value of costs", "money"),
    ("pv_fiscal", "Present value of fiscal benefits", "money"),
    ("net_present_budget_impact", "Net present budget impact", "money"),
    ("financial_roi", "Fiscal benefit per £1 of cost", "ratio"),
    ("payback_period", "Payback period (years)", "years"),
    ("public_value_roi", "Public value per £1 of cost", "ratio"),
    ("wrong_pocket_index", "Wrong-pocket index", "ratio"),
)

#: Captions of the charts, by the names in :data:`cba.charts.CHARTS`.
CHART_CAPTIONS = {
    "agencies": "Who pays and who saves: costs each agency bears (below the axis) and fiscal "
                "savings it banks (above; cashable part darker), present values. The diamond marks "
                "each agency's net position.",
    "cumulative": "Cumulative discounted costs and fiscal benefits by year; the star marks the "
                  "payback point.",
    "benefits": "Benefits by year and value type, real terms at the price base.",
    "costs": "Costs by agency and year, real terms at the price base, after optimism bias.",
}

#: Sections of tables after the charts: (heading, table names in :data:`cba.tables.TABLES`).
TABLE_SECTIONS = (
    ("Costs and benefits by year", ("costs", "benefits")),
    ("Assumptions", ("cost_lines", "outcomes", "unit_values")),
    ("Provenance", ("provenance",)),
)

STYLE = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --accent: #0072B2; --bad: #D55E00; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 1.5rem 2rem 3rem; line-height: 1.45; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
.meta { color: var(--muted); margin: .2rem 0 1rem; }
.headlines { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: .8rem; }
.headline { border: 1px solid var(--rule); border-left: 4px solid var(--accent); padding: .6rem .8rem; }
.warnings { border: 1px solid #b35c00; border-left: 4px solid #b35c00; padding: .2rem .8rem; margin: 1rem 0; }
.headline .value { font-size: 1.45rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.headline .label { color: var(--muted); font-size: .85rem; }
.headline.negative { border-left-color: var(--bad); }
.table-wrap { overflow-x: auto; margin: .8rem 0 1.2rem; }
table { border-collapse: collapse; font-size: .88rem; font-variant-numeric: tabular-nums; }
caption { padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .55rem; vertical-align: top; }
th { background: #f3f6f9; text-align: left; }
tbody tr:last-child td { border-bottom: 2px solid var(--rule); }
figure { margin: 1rem 0 1.8rem; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .88rem; margin-top: .3rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule); padding-top: .6rem; }
@media print {
  @page { size: A4; margin: 15mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, .headline, table, caption { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; }
  .charts figure { break-before: auto; }
  a { color: inherit; text-decoration: none; }
}
"""


def _table(frame: "pd.DataFrame") -> str:
    return f'<div class="table-wrap">{render_table_html(frame)}</div>'


def _headlines(appraisal: "Appraisal") -> str:
    cards = []
    for metric, label, kind in HEADLINES:
        value = appraisal.metrics.get(metric)
        negative = kind == "money" and value is not None and value < 0
        cards.append(f'<div class="headline{" negative" if negative else ""}" data-metric="{metric}">'
                     f'<div class="value">{escape(fmt(value, kind))}</div>'
                     f'<div class="label">{escape(label)}</div></div>')
    return '<section class="headlines" aria-label="Headline figures">' + "".join(cards) + "</section>"


def inline_svg(svg: str, prefix: str) -> str:
    """An SVG document made safe to inline beside others in one HTML page.

    Drops the XML prologue and the RDF metadata block, and gives every ``id`` (and
    every reference to one) a prefix, so that two charts never share an id.

    >>> inline_svg('<?xml version="1.0"?><svg><clipPath id="p1"/><g clip-path="url(#p1)"/></svg>', "c")
    '<svg><clipPath id="c-p1"/><g clip-path="url(#c-p1)"/></svg>'
    """
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    return svg.strip()


def _charts(appraisal: "Appraisal") -> str:
    from . import charts

    figures = []
    for name, fn in charts.CHARTS.items():
        fig = fn(appraisal)
        svg = inline_svg(charts.to_svg(fig), f"chart-{name}")
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(CHART_CAPTIONS.get(name, name))}" ', 1)
        figures.append(f'<figure class="chart" id="chart-{name}">{svg}'
                       f"<figcaption>{escape(CHART_CAPTIONS.get(name, name))}</figcaption></figure>")
    return '<section class="charts"><h2>Charts</h2>' + "".join(figures) + "</section>"


#: Captions of the deal's charts, by the names in :data:`cba.deal_charts.DEAL_CHARTS`.
DEAL_CHART_CAPTIONS = {
    "deal_positions": "Each partner's net position (what it gets back minus what it puts in, present values): "
                      "today, with no deal, and after the deal.",
    "deal_flows": "The flows between partners under the deal, one bar per agreement and payer, present values.",
}


def _partnership(appraisal: "Appraisal", charts: bool) -> str:
    """The deal's section: tables of every partner before and after, the flows, the pool, and charts."""
    from .deal_tables import deal_tables
    from .partnership.groups import central_government_share

    result = appraisal.partnership()
    terms = result.terms
    share = central_government_share(appraisal)
    intro = (f"{terms.name or 'The deal'}: what each partner puts in and gets back, before and after the deal. "
             "A deal moves money between partners; it creates none, so the totals do not change.")
    if share is not None:
        intro += f" Central government banks {fmt(share, 'share')} of the fiscal savings."
    parts = ['<section class="partnership" id="partnership"><h2>Partnership deal</h2>',
             f"<p>{escape(intro)}</p>"]
    for frame in deal_tables(result).values():
        parts.append(_table(frame))
    if charts:
        from . import charts as base
        from .deal_charts import DEAL_CHARTS

        for name, fn in DEAL_CHARTS.items():
            caption = DEAL_CHART_CAPTIONS.get(name, name)
            svg = inline_svg(base.to_svg(fn(result)), f"chart-{name}")
            svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(caption)}" ', 1)
            parts.append(f'<figure class="chart" id="chart-{name}">{svg}<figcaption>{escape(caption)}'
                         "</figcaption></figure>")
    parts.append("</section>")
    return "".join(parts)


def render_report(appraisal: "Appraisal", charts: bool = True) -> str:
    """The appraisal as one self-contained HTML document.

    Parameters
    ----------
    appraisal : Appraisal
    charts : bool, default True
        Include the charts (needs matplotlib).

    Returns
    -------
    str
        An HTML5 document with inline CSS and inline SVG: no scripts, no external
        resources.
    """
    from . import tables

    model = appraisal.intervention
    discounting = model.discounting.describe()
    meta = (f"Price base {model.price_base}"
            + (f", first year {model.start_year}" if model.start_year else "")
            + f", horizon {model.horizon} years. Discounting: {discounting}. "
            f"Money in pounds at {model.price_base} prices; present values discounted to year 0.")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="cba-appraisal {escape(__version__)}">',
        f"<title>{escape(model.name)}: cost-benefit appraisal</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<header><h1>{escape(model.name)}</h1>",
    ]
    if model.description:
        parts.append(f'<p class="description">{escape(model.description.strip())}</p>')
    parts.append(f'<p class="meta">{escape(meta)}</p></header>')
    parts.append("<main>")
    if appraisal.warnings:
        parts.append('<section class="warnings" role="alert"><h2>Warnings</h2><ul>'
                     + "".join(f"<li>{escape(w)}</li>" for w in appraisal.warnings) + "</ul></section>")
    parts.append(_headlines(appraisal))
    parts.append("<h2>Financial and economic case</h2>" + _table(tables.summary_table(appraisal)))
    parts.append("<h2>Who pays and who saves</h2>" + _table(tables.agency_table(appraisal)))
    if getattr(model, "partnership", None) is not None:
        parts.append(_partnership(appraisal, charts))
    if charts:
        parts.append(_charts(appraisal))
    for heading, names in TABLE_SECTIONS:
        parts.append(f"<h2>{escape(heading)}</h2>" + "".join(_table(tables.table(appraisal, n)) for n in names))
    parts.append("</main>")
    parts.append(
        f"<footer>Generated by cba-appraisal {escape(__version__)} (appraisal run at "
        f"{escape(str(appraisal.run_at))}), using the GMCA / "
        "New Economy cost-benefit analysis method (HM Treasury supplementary Green Book guidance, 2014). "
        "Unit values from the GMCA Unit Cost Database are &ldquo;Unit Cost Database v1.4, New Economy / "
        "Greater Manchester Combined Authority, CC BY 4.0&rdquo;.</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
