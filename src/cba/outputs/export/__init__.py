"""Exports: Markdown, CSV, JSON, JSON Schemas, Excel workbooks and Word documents of appraisals and deals.

``_formats`` (an appraisal) and ``_partnership`` (a deal) write them; ``_xlsx`` and
``_workbook`` build the workbook; ``_docx`` and ``_docx_case`` the Word document;
``_schema``, ``_schema_partnership`` and ``_schema_base`` hold the JSON Schemas. They may
import the lower layers and the rest of ``cba.outputs``; of ``report``, only what the Word
document shares with it (its layout of tables for A4, its headline figures and sections).
The names below (an appraisal's writers and the schemas) are imported on first use
(PEP 562); inside the package, import from the defining module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._lazy import lazy_exports

#: Public name -> the module that defines it.
_LAZY = {
    **{name: "_formats" for name in ("BINARY_FORMATS", "FORMATS", "SUFFIXES", "assumption_records", "check_output",
                                     "export", "format_for_path", "to_csv", "to_docx", "to_json", "to_markdown",
                                     "to_xlsx")},
    **{name: "cba.core._files" for name in ("write_file", "write_files")},     # re-exported for exports' users
    **{name: "_schema" for name in ("model_schema", "results_schema")},
    "partnership_schema": "_schema_partnership",
    "workbook_bytes": "_xlsx",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers, editors and the API reference
    from cba.core._files import write_file as write_file
    from cba.core._files import write_files as write_files
    from cba.outputs.export._formats import BINARY_FORMATS as BINARY_FORMATS
    from cba.outputs.export._formats import FORMATS as FORMATS
    from cba.outputs.export._formats import SUFFIXES as SUFFIXES
    from cba.outputs.export._formats import assumption_records as assumption_records
    from cba.outputs.export._formats import check_output as check_output
    from cba.outputs.export._formats import export as export
    from cba.outputs.export._formats import format_for_path as format_for_path
    from cba.outputs.export._formats import to_csv as to_csv
    from cba.outputs.export._formats import to_docx as to_docx
    from cba.outputs.export._formats import to_json as to_json
    from cba.outputs.export._formats import to_markdown as to_markdown
    from cba.outputs.export._formats import to_xlsx as to_xlsx
    from cba.outputs.export._schema import model_schema as model_schema
    from cba.outputs.export._schema import results_schema as results_schema
    from cba.outputs.export._schema_partnership import partnership_schema as partnership_schema
    from cba.outputs.export._xlsx import workbook_bytes as workbook_bytes

__all__ = sorted(_LAZY)


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY)
