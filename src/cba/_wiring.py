"""The wiring: what a result object's convenience methods reach in the layers above it.

A model, an appraisal, a comparison, a deal and the uncertainty results offer
``print(...)``, ``.plot()``, ``.tables()``, ``.to_excel()``, ``.partnership()``
and notebook displays, but their packages may not import the layers that do the
work (see ``docs/architecture.md``). Each such method calls
:func:`cba.core._accessors.accessor` with a name; this module, imported once by
``cba/__init__``, says which function answers each name: :data:`ACCESSORS`. It sits
at the top of the package, beside the command line, so it may name any layer; a
function's module is imported the first time its name is asked for, so ``import
cba`` stays fast.

To give a result object a new output, write the output in :mod:`cba.outputs`, add
its name here, and call ``accessor(name)`` from the method.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from cba.core._accessors import register_loader

#: Accessor name -> (module, function) that answers it.
ACCESSORS: dict[str, tuple[str, str]] = {
    # a model (cba.model)
    "model.text": ("cba.outputs._summary", "render_model_text"),
    "model.html": ("cba.outputs._summary", "render_model_html"),
    "fields.html": ("cba.outputs._summary", "render_fields_html"),
    # an appraisal (cba.ledger)
    "appraisal.summary": ("cba.outputs._summary", "render_summary"),
    "appraisal.html": ("cba.outputs._summary", "render_html"),
    "appraisal.table": ("cba.outputs.tables._tables", "table"),
    "appraisal.tables": ("cba.outputs.tables._tables", "all_tables"),
    "appraisal.markdown": ("cba.outputs.export._formats", "to_markdown"),
    "appraisal.csv": ("cba.outputs.export._formats", "to_csv"),
    "appraisal.xlsx": ("cba.outputs.export._formats", "to_xlsx"),
    "appraisal.docx": ("cba.outputs.export._formats", "to_docx"),
    "appraisal.assumptions": ("cba.outputs.export._formats", "assumption_records"),
    "appraisal.plot": ("cba.outputs.charts._appraisal", "plot"),
    "appraisal.partnership": ("cba.partnership._results", "appraise_deal"),
    "appraisal.accounts_table": ("cba.outputs.tables._accounts", "accounts_table"),
    "appraisal.accounts_chart": ("cba.outputs.charts._accounts", "accounts_chart"),
    # an option comparison (cba.ledger)
    "comparison.table": ("cba.outputs.tables._comparison", "comparison_table"),
    "comparison.summary": ("cba.outputs.tables._comparison", "comparison_text"),
    "comparison.markdown": ("cba.outputs.tables._comparison", "comparison_markdown"),
    "comparison.dict": ("cba.outputs.tables._comparison", "comparison_dict"),
    "comparison.csv": ("cba.outputs.tables._comparison", "comparison_csv"),
    "comparison.xlsx": ("cba.outputs.export._comparison", "comparison_xlsx"),
    "comparison.docx": ("cba.outputs.export._docx_case", "comparison_docx"),
    # a deal (cba.partnership) and the uncertainty results (cba.uncertainty)
    "partnership.tables": ("cba.outputs.tables._deal", "deal_tables"),
    "partnership.plot": ("cba.outputs.charts._deal", "plot"),
    "sensitivity.chart": ("cba.outputs.charts._uncertainty", "tornado"),
    "table.text": ("cba.outputs._format", "render_table_text"),
    # a place's portfolio (cba.portfolios)
    "portfolio.tables": ("cba.outputs.tables._portfolio", "portfolio_tables"),
    "portfolio.text": ("cba.outputs.export._portfolio", "to_text"),
    "portfolio.html": ("cba.outputs.export._portfolio", "html"),
    "portfolio.plot": ("cba.outputs.charts._portfolio", "plot"),
    "portfolio.docx": ("cba.outputs.export._docx_portfolio", "portfolio_docx"),
    # notebooks: every result object's _repr_html_
    "result.html": ("cba.outputs._notebook", "html"),
}


def _load(name: str) -> Callable[..., Any]:
    module, function = ACCESSORS[name]
    loaded: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return loaded


register_loader(ACCESSORS, _load)
