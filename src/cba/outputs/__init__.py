"""Outputs for people and for other tools: formatting, tables, charts, the report and exports.

The top layer: it may import every lower one (``core``, ``method``, ``model``, ``unit_costs``,
``engine``, ``ledger``, ``partnership``, ``uncertainty``), and nothing below imports it.
Inside, ``_format``, ``_labels``, ``_palette`` and ``_textgrid`` come first, then ``tables``
and ``charts``, then ``report``, ``export``, ``_summary`` and ``_notebook``. The subpackages
are imported on first use (PEP 562), so ``import cba.outputs`` loads no pandas, numpy or
matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_SUBPACKAGES = ("charts", "export", "report", "tables")

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from cba.outputs import charts as charts
    from cba.outputs import export as export
    from cba.outputs import report as report
    from cba.outputs import tables as tables


if not TYPE_CHECKING:  # type checkers see the subpackages imported above, and no others
    def __getattr__(name: str) -> Any:
        if name in _SUBPACKAGES:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBPACKAGES))
