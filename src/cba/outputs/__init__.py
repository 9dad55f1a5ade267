"""Outputs for people and for other tools: formatting, tables, charts, the report and exports.

The top layer: it may import every lower one (``core``, ``method``, ``model``, ``unit_costs``,
``engine``, ``ledger``, ``partnership``, ``uncertainty``), and nothing below imports it.
Inside, ``_format``, ``_labels``, ``_palette`` and ``_textgrid`` come first, then ``tables``
and ``charts``, then ``report``, ``export``, ``_summary`` and ``_notebook``. The subpackages
are imported on first use (PEP 562), so ``import cba.outputs`` loads no pandas, numpy or
matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._lazy import lazy_exports

_SUBPACKAGES = ("charts", "export", "report", "tables")

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from cba.outputs import charts as charts
    from cba.outputs import export as export
    from cba.outputs import report as report
    from cba.outputs import tables as tables


if not TYPE_CHECKING:  # type checkers see the subpackages imported above, and no others
    __getattr__, __dir__ = lazy_exports(__name__, dict.fromkeys(_SUBPACKAGES, ""))
