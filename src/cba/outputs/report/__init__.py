"""The self-contained HTML report of an appraisal (``_report``) and its page layout (``_layout``).

It may import the lower layers and the rest of ``cba.outputs`` except ``export``: the
formatting, the tables and the charts it shows. :func:`render_report` is imported on first
use (PEP 562); inside the package, import from the defining module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers, editors and the API reference
    from cba.outputs.report._report import render_report as render_report

__all__ = ["render_report"]


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    def __getattr__(name: str) -> Any:
        if name in __all__:
            return getattr(importlib.import_module(f"{__name__}._report"), name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
