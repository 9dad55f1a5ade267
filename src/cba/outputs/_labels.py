"""What people read for each metric: one label and one kind of number per quantity.

Every table that shows a metric by its id (``financial_roi``, ``net[dwp]``) shows
it with :func:`metric_label` and formats it by :func:`metric_kind`, so that the same
quantity reads the same in every command: the headline tables of an appraisal, the
option comparison, scenarios, sensitivity, switching values and Monte Carlo.

Examples
--------
>>> metric_label("financial_roi"), metric_kind("financial_roi")
('Financial ROI (fiscal benefit per £1 of cost)', 'ratio')
>>> metric_label("net[dwp]"), metric_label("net[youth]", {"youth": "Youth offending service"})
('DWP: net position', 'Youth offending service: net position')
>>> metric_kind("wrong_pocket_index"), metric_kind("cost_share[nhs]")
('ratio', 'share')
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Rows of the headline summary table (:func:`cba.outputs.tables._headline.summary`):
#: (case, metric, label, kind).
SUMMARY_ROWS = (
    ("Financial case", "pv_costs", "Present value of costs", "money"),
    ("Financial case", "pv_fiscal", "Present value of fiscal benefits", "money"),
    ("Financial case", "pv_cashable", "of which cashable", "money"),
    ("Financial case", "net_present_budget_impact", "Net present budget impact", "money"),
    ("Financial case", "financial_roi", "Financial ROI (fiscal benefit per £1 of cost)", "ratio"),
    ("Financial case", "cashable_roi", "Cashable ROI", "ratio"),
    ("Financial case", "payback_period", "Payback period (years)", "years"),
    ("Financial case", "irr", "Internal rate of return (fiscal)", "rate"),
    ("Economic case", "pv_fiscal_excluding_transfers", "Fiscal benefits excluding transfers", "money"),
    ("Economic case", "pv_economic", "Present value of economic benefits", "money"),
    ("Economic case", "pv_social", "Present value of social benefits", "money"),
    ("Economic case", "pv_public_value", "Present value of public value", "money"),
    ("Economic case", "net_present_public_value", "Net present public value", "money"),
    ("Economic case", "public_value_roi", "Public value ROI (benefit-cost ratio)", "ratio"),
)

#: Labels of the appraisal's metrics (:data:`cba.engine._metrics.METRIC_NAMES`), as in the
#: headline tables where they appear there.
METRIC_LABELS: dict[str, str] = {
    **{metric: label for _case, metric, label, _kind in SUMMARY_ROWS},
    "pv_cashable": "Present value of cashable fiscal benefits",
    "pv_cost_reduction": "Present value of cost reduction savings",
    "pv_cost_avoidance": "Present value of cost avoidance savings",
    "economic_roi": "Economic ROI (economic benefit per £1 of cost)",
    "social_roi": "Social ROI (social benefit per £1 of cost)",
    "wrong_pocket_index": "Wrong-pocket index (0 aligned, 1 all savings in the wrong pocket)",
}

#: Kinds of number (:data:`cba.outputs._format.KINDS`) of the metrics.
METRIC_KINDS: dict[str, str] = {
    **{metric: kind for _case, metric, _label, kind in SUMMARY_ROWS},
    "pv_cost_reduction": "money", "pv_cost_avoidance": "money", "economic_roi": "ratio", "social_roi": "ratio",
    "wrong_pocket_index": "ratio",
}

#: Labels of the per-agency metrics (``net[dwp]``), after the agency's name.
AGENCY_METRIC_LABELS: dict[str, str] = {
    "pv_costs": "pays (PV costs)", "pv_fiscal": "banks (PV fiscal)", "pv_cashable": "banks, cashable (PV)",
    "pv_transfer": "banks, transfers (PV)", "net": "net position", "roi": "ROI",
    "cost_share": "share of costs", "fiscal_share": "share of savings",
    # a partnership deal's positions (cba.partnership._positions.DEAL_METRIC_NAMES)
    "net_after": "net position with the deal", "funding": "funds under the deal",
    "received": "receives under the deal", "paid": "pays under the deal",
    "peak_deficit_after": "peak deficit with the deal",
}
AGENCY_METRIC_KINDS: dict[str, str] = {
    "pv_costs": "money", "pv_fiscal": "money", "pv_cashable": "money", "pv_transfer": "money", "net": "money",
    "roi": "ratio", "cost_share": "share", "fiscal_share": "share",
    "net_after": "money", "funding": "money", "received": "money", "paid": "money", "peak_deficit_after": "money",
}

_AGENCY_METRIC = re.compile(r"^\s*([a-z_]+)\s*\[\s*([^\]]+?)\s*\]\s*$")


def split_metric(metric: str) -> tuple[str, str | None]:
    """``("net", "dwp")`` for ``"net[dwp]"``, ``("financial_roi", None)`` for a whole-model metric."""
    m = _AGENCY_METRIC.match(metric)
    return (m.group(1), m.group(2)) if m else (metric.strip(), None)


def metric_label(metric: str, agency_names: Mapping[str, str] | None = None) -> str:
    """The label people read for a metric id (the id itself when it is not known).

    Parameters
    ----------
    metric : str
        A metric of :data:`cba.engine._metrics.METRIC_NAMES` or an agency metric such as
        ``net[dwp]``.
    agency_names : mapping, optional
        Agency id to display name (``Intervention.agency_names``); the canonical
        names are used for the others.
    """
    from cba.model._agencies import display_name

    name, agency = split_metric(metric)
    if agency is None:
        return METRIC_LABELS.get(name, metric)
    what = AGENCY_METRIC_LABELS.get(name)
    if what is None:
        return metric
    return f"{display_name(agency, dict(agency_names or {}))}: {what}"


def metric_kind(metric: str) -> str:
    """How a metric's values are shown: ``money``, ``ratio``, ``share``, ``rate`` or ``years``."""
    name, agency = split_metric(metric)
    if agency is not None:
        return AGENCY_METRIC_KINDS.get(name, "money")
    return METRIC_KINDS.get(name, "money")


def agency_names_of(model) -> dict[str, str]:
    """Agency display names of a model (an Intervention, Appraisal or CompiledModel), or none."""
    for candidate in (model, getattr(model, "intervention", None)):
        names = getattr(candidate, "agency_names", None)
        if isinstance(names, Mapping):
            return dict(names)
    return {}
