"""Exports: Markdown, CSV, JSON, JSON Schemas and Excel workbooks of appraisals and deals.

``_formats`` (an appraisal) and ``_partnership`` (a deal) write them; ``_xlsx`` and
``_workbook`` build the workbook; ``_schema``, ``_schema_partnership`` and ``_schema_base``
hold the JSON Schemas. They may import the lower layers and the rest of ``cba.outputs``
except ``report``. The names below (an appraisal's writers and the schemas) are imported on
first use (PEP 562); inside the package, import from the defining module.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module that defines it.
_LAZY = {
    **{name: "_formats" for name in ("BINARY_FORMATS", "FORMATS", "SUFFIXES", "assumption_records", "check_output",
                                     "export", "format_for_path", "to_csv", "to_json", "to_markdown", "to_xlsx",
                                     "write_file", "write_files")},
    **{name: "_schema" for name in ("model_schema", "results_schema")},
    "partnership_schema": "_schema_partnership",
    "workbook_bytes": "_xlsx",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
