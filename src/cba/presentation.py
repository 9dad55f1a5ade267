"""Text and HTML renderings of an appraisal. The only place numbers are rounded."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .appraisal import Appraisal

#: Headline metrics: (name, label, kind) where kind is money, ratio, years or rate.
HEADLINES = (
    ("pv_costs", "Present value of costs", "money"),
    ("pv_fiscal", "Present value of fiscal benefits", "money"),
    ("pv_cashable", "  of which cashable", "money"),
    ("net_present_budget_impact", "Net present budget impact", "money"),
    ("financial_roi", "Financial ROI (fiscal benefit per £1 of cost)", "ratio"),
    ("cashable_roi", "Cashable ROI", "ratio"),
    ("payback_period", "Payback period (years)", "years"),
    ("irr", "Internal rate of return (fiscal)", "rate"),
    ("pv_economic", "Present value of economic benefits", "money"),
    ("pv_social", "Present value of social benefits", "money"),
    ("pv_public_value", "Present value of public value", "money"),
    ("net_present_public_value", "Net present public value", "money"),
    ("economic_roi", "Economic ROI", "ratio"),
    ("social_roi", "Social ROI", "ratio"),
    ("public_value_roi", "Public value ROI (benefit-cost ratio)", "ratio"),
    ("wrong_pocket_index", "Wrong-pocket index (0 aligned, 1 all in the wrong pocket)", "ratio"),
)


def fmt(value, kind: str = "money") -> str:
    """Format a number for people: pounds with separators, ratios to 2 places.

    >>> fmt(23401.368), fmt(None), fmt(1.4712, "ratio"), fmt(0.0715, "rate"), fmt(3.0, "years")
    ('£23,401', 'none', '1.47', '7.2%', '3')
    >>> fmt(-9661.84)
    '-£9,662'
    """
    if value is None or value != value:
        return "none"
    if kind == "money":
        return f"-£{-value:,.0f}" if value < 0 else f"£{value:,.0f}"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "years":
        return f"{value:.0f}"
    if kind == "share":
        return f"{value:.1%}"
    return f"{value:,.2f}"


def render_summary(appraisal: "Appraisal") -> str:
    model = appraisal.intervention
    m = appraisal.metrics
    width = max(len(label) for _, label, _ in HEADLINES)
    lines = [f"{model.name}", f"Price base {model.price_base}, horizon {model.horizon} years, "
             f"discounting: {model.discounting.describe()}", ""]
    lines += [f"{label:<{width}}  {fmt(m[name], kind):>14}" for name, label, kind in HEADLINES]
    lines += ["", "Who pays and who saves (present values)"]
    table = appraisal.by_agency()
    header = f"{'Agency':<26}{'Costs':>14}{'Fiscal':>14}{'Cashable':>14}{'Net':>14}"
    lines += [header, "-" * len(header)]
    for row in table.itertuples():
        lines.append(f"{row.agency_name:<26}{fmt(row.pv_costs):>14}{fmt(row.pv_fiscal):>14}"
                     f"{fmt(row.pv_cashable):>14}{fmt(row.net):>14}")
    return "\n".join(lines)


def render_html(appraisal: "Appraisal") -> str:
    model = appraisal.intervention
    m = appraisal.metrics
    rows = "".join(f"<tr><td>{escape(label.strip())}</td><td style='text-align:right'>{escape(fmt(m[n], k))}</td></tr>"
                   for n, label, k in HEADLINES)
    agency = appraisal.by_agency()
    arows = "".join(
        f"<tr><td>{escape(r.agency_name)}</td>" + "".join(
            f"<td style='text-align:right'>{escape(fmt(v))}</td>" for v in (r.pv_costs, r.pv_fiscal, r.pv_cashable, r.net))
        + "</tr>" for r in agency.itertuples())
    return (f"<div><strong>{escape(model.name)}</strong> (price base {escape(model.price_base)}, "
            f"{model.horizon} years)<table>{rows}</table>"
            "<table><tr><th>Agency</th><th>Costs</th><th>Fiscal</th><th>Cashable</th><th>Net</th></tr>"
            f"{arows}</table></div>")
