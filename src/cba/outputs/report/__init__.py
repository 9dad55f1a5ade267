"""The self-contained HTML report of an appraisal (``_report``), of a portfolio (``_portfolio``), and
their page layout (``_layout``).

It may import the lower layers and the rest of ``cba.outputs`` except ``export``: the
formatting, the tables and the charts it shows. :func:`render_report` and
:func:`render_portfolio_report` are imported on first
use (PEP 562); inside the package, import from the defining module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers, editors and the API reference
    from cba.outputs.report._portfolio import render_portfolio_report as render_portfolio_report
    from cba.outputs.report._report import render_report as render_report

__all__ = ["render_portfolio_report", "render_report"]


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    __getattr__, __dir__ = lazy_exports(__name__, {"render_report": "_report",
                                                      "render_portfolio_report": "_portfolio"})
