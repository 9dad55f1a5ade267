"""A self-contained HTML report of an appraisal.

:func:`render_report` returns one HTML document holding everything a reader needs:
the headline figures, the financial and economic case, the agency ledger, who benefits
(:mod:`cba.outputs.tables._accounts`, :mod:`cba.outputs.charts._accounts`), the
partnership deal when the model has one (:mod:`cba.outputs.tables._deal`, :mod:`cba.outputs.charts._deal`), the cost,
benefit and assumption tables of :mod:`cba.outputs.tables._tables`, provenance, and the charts of
:mod:`cba.outputs.charts._appraisal` as inline SVG. It loads nothing from the network and refers to no
other file, so it can be emailed, attached to a committee paper or archived; its
print stylesheet keeps tables and charts whole on paper.

Every piece of text that comes from the model (names, descriptions, sources) is
escaped. Numbers are formatted by :func:`cba.outputs._format.fmt`, the same as every
other output, so the report shows exactly the figures of ``cba appraise``.

Examples
--------
>>> import cba
>>> from cba.outputs.report._report import render_report
>>> a = cba.appraise({"name": "Tiny <pilot>", "price_base": "2024/25", "horizon": 2,
...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]})
>>> html = render_report(a)
>>> html.startswith("<!DOCTYPE html>"), "Tiny &lt;pilot&gt;" in html, html.count("<svg") == 5
(True, True, True)
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from cba._version import __version__
from cba.core._limits import check_export_rows
from cba.outputs._arguments import takes
from cba.outputs._format import fmt, render_table_html
from cba.outputs._palette import ACCOUNTS_CAPTION, CAPTIONS, DEAL_CAPTIONS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal

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

#: Captions of the charts, by the names in :data:`cba.outputs.charts._appraisal.CHARTS`
#: (:data:`cba.outputs._palette.CAPTIONS`).
CHART_CAPTIONS = CAPTIONS

#: Sections of tables after the charts: (heading, table names in :data:`cba.outputs.tables._tables.TABLES`).
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
.headlines { display: grid; grid-template-columns: repeat(auto-fill, minmax(205px, 1fr)); gap: .8rem; }
.headline { border: 1px solid var(--rule); border-left: 4px solid var(--accent); padding: .6rem .8rem; }
.warnings { border: 1px solid #b35c00; border-left: 4px solid #b35c00; padding: .2rem .8rem; margin: 1rem 0; }
.headline .value { font-size: 1.35rem; font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
.headline .label { color: var(--muted); font-size: .85rem; }
.headline.negative { border-left-color: var(--bad); }
.table-wrap { overflow-x: auto; margin: .8rem 0 1.2rem; }
table { border-collapse: collapse; font-size: .88rem; font-variant-numeric: tabular-nums; }
.table-wrap.wide table { width: 100%; }
caption { padding: .3rem 0; text-align: left; font-weight: 600; caption-side: top; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .55rem; vertical-align: top; }
th { background: #f3f6f9; text-align: left; overflow-wrap: normal; hyphens: manual; }
th.num, td.num { text-align: right; }
td.num { white-space: nowrap; }
td.text { overflow-wrap: break-word; }
td.long { overflow-wrap: anywhere; }
tbody tr:last-child td { border-bottom: 2px solid var(--rule); }
.notes { margin: .3rem 0 0; font-size: .88rem; color: var(--muted); }
figure { margin: 1rem 0 1.8rem; }
figure svg { width: 100%; max-width: 860px; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .88rem; margin-top: .3rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule); \
padding-top: .6rem; }
@media print {
  @page { size: A4 portrait; margin: 16mm 12mm 16mm 12mm;
          @top-left { content: RUNNING_HEAD; font: 8pt system-ui, sans-serif; color: #555; vertical-align: bottom; }
          @bottom-left { content: RUNNING_FOOT; font: 8pt system-ui, sans-serif; color: #555; vertical-align: top; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages);
                          font: 8pt system-ui, sans-serif; color: #555; vertical-align: top; } }
  @page landscape { size: A4 landscape; }
  .landscape { page: landscape; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h1 { font-size: 16pt; }
  h2 { font-size: 12.5pt; margin: 1.2em 0 .5em; break-after: avoid; page-break-after: avoid; }
  .headlines { grid-template-columns: repeat(4, 1fr); gap: 3mm; }
  .headline { padding: 2mm 3mm; }
  .headline .value { font-size: 13pt; }
  figure, .headline, caption, tr, .keep table, .notes { break-inside: avoid; page-break-inside: avoid; }
  h2 + .table-wrap, h2 + p, h2 + p + .table-wrap, .notes { break-before: avoid; }
  .table-wrap { overflow: visible; margin: 0 0 5mm; }
  table { font-size: 8pt; }
  th, td { padding: .2em .45em; }
  figure { margin: 0 0 6mm; }
  figure svg { max-height: 200mm; width: 100%; max-width: none; }
  figcaption, .notes { font-size: 8.5pt; }
  footer { margin-top: 6mm; }
  a { color: inherit; text-decoration: none; }
}
"""


def css_string(text: str) -> str:
    r"""Text as a CSS string literal: every character that is not a letter, digit or space
    is written as a CSS escape, so no user text can end the string or the stylesheet.

    >>> print(css_string('A "B" </style>'))
    "A \000022 B\000022  \00003c \00002f style\00003e "
    """
    return '"' + "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x} "
                         for c in text) + '"'


def _style(model) -> str:
    """The stylesheet, with the intervention's name and price base in every printed page's margins."""
    head = css_string(f"{model.name}: cost-benefit appraisal")
    foot = css_string(f"Price base {model.price_base}; money in pounds at {model.price_base} prices")
    return STYLE.replace("RUNNING_HEAD", head).replace("RUNNING_FOOT", foot)


def _table(frame: pd.DataFrame) -> str:
    """A table as rendered for notebooks (the report itself lays tables out with :func:`_blocks`)."""
    return f'<div class="table-wrap">{render_table_html(frame)}</div>'


def _blocks(frames, heading: str | None = None) -> list[tuple[str, str]]:
    """Tables as report blocks laid out for the page; the heading goes with the first."""
    from cba.outputs.report._layout import blocks

    out: list[tuple[str, str]] = []
    for frame in frames:
        out += blocks(frame)
    if any(how == "landscape" for _, how in out):    # one section, one orientation: no page flips
        out = [(html, "landscape") for html, _ in out]
    if heading is not None:
        h = f"<h2>{escape(heading)}</h2>"
        out = [(h + out[0][0], out[0][1]), *out[1:]] if out else [(h, "portrait")]
    return out


def _pages(blocks: list[tuple[str, str]]) -> str:
    """Blocks joined, landscape ones grouped in a ``landscape`` division (a landscape page)."""
    parts, run = [], []
    for html, how in blocks:
        if how == "landscape":
            run.append(html)
            continue
        if run:
            parts.append('<div class="landscape">' + "".join(run) + "</div>")
            run = []
        parts.append(html)
    if run:
        parts.append('<div class="landscape">' + "".join(run) + "</div>")
    return "".join(parts)


#: Headline labels that change when the report opens with a deal: the figures are the whole system's.
WHOLE_SYSTEM_LABELS = {"payback_period": "Whole-system payback period (years)",
                       "net_present_budget_impact": "Whole-system net present budget impact"}


def _headlines(appraisal: Appraisal, whole_system: bool = False) -> str:
    cards = []
    for metric, label, kind in HEADLINES:
        label = WHOLE_SYSTEM_LABELS.get(metric, label) if whole_system else label
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


def _figure(name: str, fig, caption: str) -> str:
    import cba.outputs.charts._appraisal as charts

    svg = inline_svg(charts.to_svg(fig), f"chart-{name}")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(caption)}" ', 1)
    return f'<figure class="chart" id="chart-{name}">{svg}<figcaption>{escape(caption)}</figcaption></figure>'


def _charts(appraisal: Appraisal) -> str:
    import cba.outputs.charts._appraisal as charts

    figures = [_figure(name, fn(appraisal), CHART_CAPTIONS.get(name, name)) for name, fn in charts.CHARTS.items()]
    return '<section class="charts"><h2>Charts</h2>' + "".join(figures) + "</section>"


def _who_benefits(appraisal: Appraisal, charts: bool) -> list[tuple[str, str]]:
    """The "Who benefits" section as report blocks: the accounts by who benefits (taxpayers by agency,
    participants, others, society) and, with charts, their cumulative present values over the horizon."""
    from cba.outputs.tables._accounts import accounts_table

    intro = ("Who gains from the benefits: taxpayers through the agency that makes each fiscal saving, the "
             "participants, others outside the programme and society as a whole, in total and per participant. "
             "The total benefits are the public value; the net cost is the present value of the costs.")
    out = _blocks([accounts_table(appraisal)])
    out[0] = (f'<h2 id="who-benefits">Who benefits</h2><p>{escape(intro)}</p>' + out[0][0], out[0][1])
    if charts:
        out.append((_figure("accounts", appraisal.accounts_chart(), ACCOUNTS_CAPTION), "portrait"))
    return out


#: Captions of the deal's charts, by the names in :data:`cba.outputs.charts._deal.DEAL_CHARTS`.
DEAL_CHART_CAPTIONS = DEAL_CAPTIONS


def _deal_opening(result) -> list[tuple[str, str]]:
    """The report's first section for a deal model, as report blocks: each partner without and with the
    deal, who is still short and by how much, and the terms, before any whole-system figure."""
    from cba.outputs.tables._deal import position_sentences, position_table
    from cba.outputs.tables._terms import terms_table

    positions = position_sentences(result)
    items = "".join(f"<li>{escape(p)}</li>" for p in positions[:-1])
    head = (f'<h2 class="deal-opening" id="deal">The deal: {escape(result.terms.name or "partnership deal")}</h2>'
            f"<p>Each partner's net position (present values: what it gets back minus what it puts in), without "
            f'and with the deal:</p><ul class="positions">{items}</ul>'
            f'<p class="short"><strong>{escape(positions[-1])}</strong></p>')
    out = _blocks([terms_table(result), position_table(result)])
    out[0] = (head + out[0][0], out[0][1])
    return out


def _partnership(appraisal: Appraisal, charts: bool) -> list[tuple[str, str]]:
    """The deal's section as report blocks: what every partner puts in and gets back, the flows, the pool,
    charts (the terms and each partner without and with the deal open the report)."""
    from cba.ledger._groups import central_government_share
    from cba.outputs.tables._deal import deal_tables

    result = appraisal.partnership()
    terms = result.terms
    share = central_government_share(appraisal)
    intro = (f"{terms.name or 'The deal'}: what each partner puts in and gets back, without and with the deal. "
             "A deal moves money between partners; it creates none, so the totals do not change.")
    if share is not None:
        intro += f" Central government banks {fmt(share, 'share')} of the fiscal savings."
    # the heading and its introduction go with the first table, on its page (portrait or landscape)
    frames = [t for name, t in deal_tables(result).items() if name not in ("deal_terms", "deal_positions")]
    out = _blocks(frames)
    head = f'<h2 class="partnership" id="partnership">Partnership deal in detail</h2><p>{escape(intro)}</p>'
    out[0] = (head + out[0][0], out[0][1])
    if charts:
        from cba.outputs.charts._deal import charts_to_draw

        out += [(_figure(name, fn(result), DEAL_CHART_CAPTIONS.get(name, name)), "portrait")
                for name, fn in charts_to_draw(result).items()]
    return out


@takes(appraisal="appraisal", charts="flag")
def render_report(appraisal: Appraisal, charts: bool = True) -> str:
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
    check_export_rows(appraisal._export_rows(), "report")
    import cba.outputs.tables._tables as tables

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
        f"<style>{_style(model)}</style></head><body>",
        f"<header><h1>{escape(model.name)}</h1>",
    ]
    if model.description:
        parts.append(f'<p class="description">{escape(model.description.strip())}</p>')
    parts.append(f'<p class="meta">{escape(meta)}</p></header>')
    parts.append("<main>")
    if appraisal.warnings:
        parts.append('<section class="warnings" role="alert"><h2>Warnings</h2><ul>'
                     + "".join(f"<li>{escape(w)}</li>" for w in appraisal.warnings) + "</ul></section>")
    deal = getattr(model, "partnership", None) is not None
    blocks: list[tuple[str, str]] = []
    if deal:  # a deal model opens with the deal: the partners first, then the whole system
        blocks += _deal_opening(appraisal.partnership())
        blocks.append(('<h2 id="whole-system">The whole system</h2><p>The figures below are the whole '
                       "system's: every agency together, whoever pays and whoever saves.</p>"
                       + _headlines(appraisal, whole_system=True), "portrait"))
    else:
        parts.append(_headlines(appraisal))
    blocks += _blocks([tables.summary_table(appraisal)], "Financial and economic case")
    blocks += _blocks([tables.agency_table(appraisal)], "Who pays and who saves")
    blocks += _who_benefits(appraisal, charts)
    if deal:
        blocks += _partnership(appraisal, charts)
    if charts:
        blocks.append((_charts(appraisal), "portrait"))
    for heading, names in TABLE_SECTIONS:
        blocks += _blocks([tables.table(appraisal, n) for n in names], heading)
    parts.append(_pages(blocks))
    parts.append("</main>")
    parts.append(
        f"<footer>Generated by cba-appraisal {escape(__version__)} (appraisal run at "
        f"{escape(str(appraisal.run_at))}), using the GMCA / "
        "New Economy cost-benefit analysis method (HM Treasury supplementary Green Book guidance, 2014). "
        "Unit values from the GMCA Unit Cost Database are &ldquo;Unit Cost Database v1.4, New Economy / "
        "Greater Manchester Combined Authority, CC BY 4.0&rdquo;.</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
