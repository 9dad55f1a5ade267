"""Charts: matplotlib figures of an appraisal (``_appraisal``), a deal (``_deal``) and uncertainty.

matplotlib is imported only when a chart is drawn. The modules may import the lower layers
and ``cba.outputs._format``, ``_labels`` and ``_palette``, never ``tables``, ``report`` or
``export``. The names below are imported on first use (PEP 562); inside the package, import
from the defining module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._lazy import lazy_exports

#: Public name -> the module that defines it.
_LAZY = {
    **{name: "_appraisal" for name in ("CHARTS", "agency_chart", "all_charts", "benefits_by_year_chart",
                                       "costs_by_agency_chart", "cumulative_chart", "plot", "to_svg")},
    **{name: "_deal" for name in ("DEAL_CHARTS", "all_deal_charts", "flows_chart", "positions_chart")},
    **{name: "_uncertainty" for name in ("histogram", "tornado")},
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers, editors and the API reference
    from cba.outputs.charts._appraisal import CHARTS as CHARTS
    from cba.outputs.charts._appraisal import agency_chart as agency_chart
    from cba.outputs.charts._appraisal import all_charts as all_charts
    from cba.outputs.charts._appraisal import benefits_by_year_chart as benefits_by_year_chart
    from cba.outputs.charts._appraisal import costs_by_agency_chart as costs_by_agency_chart
    from cba.outputs.charts._appraisal import cumulative_chart as cumulative_chart
    from cba.outputs.charts._appraisal import plot as plot
    from cba.outputs.charts._appraisal import to_svg as to_svg
    from cba.outputs.charts._deal import DEAL_CHARTS as DEAL_CHARTS
    from cba.outputs.charts._deal import all_deal_charts as all_deal_charts
    from cba.outputs.charts._deal import flows_chart as flows_chart
    from cba.outputs.charts._deal import positions_chart as positions_chart
    from cba.outputs.charts._uncertainty import histogram as histogram
    from cba.outputs.charts._uncertainty import tornado as tornado

__all__ = sorted(_LAZY)


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY)
