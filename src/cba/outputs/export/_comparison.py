"""An option comparison as an Excel workbook: one sheet per table and a sheet of charts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cba.outputs._palette import CAPTIONS
from cba.outputs.charts._appraisal import agency_chart
from cba.outputs.export._workbook import charts_figures, comparison_figures, comparison_provenance
from cba.outputs.export._xlsx import workbook_bytes

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._compare import Comparison


def comparison_charts(c: Comparison) -> list[tuple[str, Any, str]]:
    """Who pays and who saves under each option: each option's agency chart."""
    return [(f"agencies: {name}", agency_chart(a), f"{name}. {CAPTIONS['agencies']}")
            for name, a in zip(c.names, c.appraisals)]


def comparison_xlsx(c: Comparison) -> bytes:
    """An Excel workbook with one sheet per comparison table (:meth:`cba.ledger.Comparison.to_xlsx_bytes`)."""
    names = {"side_by_side": "Side by side", "incremental": "Incremental", "by_agency": "By agency",
             "provenance": "Provenance"}
    about = comparison_figures(c.appraisals[0])
    figures = {sheet: about for sheet in names.values()}
    figures["Provenance"] = comparison_provenance(c.appraisals[0])
    return workbook_bytes({names[k]: v for k, v in c.tables().items()},
                          title=f"Options compared: {'; '.join(c.names)}", figures=figures,
                          charts=comparison_charts(c), charts_figures=charts_figures(c.appraisals[0]),
                          footer="Options compared")
