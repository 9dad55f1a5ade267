"""The wiring: what a result object's convenience methods reach in the layers above it.

A model, an appraisal, a comparison, a deal and the uncertainty results offer
``print(...)``, ``.plot()``, ``.tables()``, ``.to_excel()``, ``.partnership()``
and notebook displays, but their packages may not import the layers that do the
work (see ``docs/architecture.md``). Each such method calls
:func:`cba.core._accessors.accessor` with a name; this module, imported once by
``cba/__init__``, registers the function behind each name. It sits at the top of
the package, beside the command line, so it may import any layer; every import of
a heavy module happens inside the function, on first use, so ``import cba`` stays
fast.

To give a result object a new output, write the output in :mod:`cba.outputs`,
register it here, and call ``accessor(name)`` from the method.
"""

from __future__ import annotations

from typing import Any

from cba.core._accessors import register


# ---- models (cba.model)
@register("model.text")
def _model_text(model: Any) -> str:
    from cba.outputs._summary import render_model_text

    return render_model_text(model)


@register("model.html")
def _model_html(model: Any) -> str:
    from cba.outputs._summary import render_model_html

    return render_model_html(model)


@register("fields.html")
def _fields_html(model: Any) -> str:
    from cba.outputs._format import render_table_html
    from cba.outputs.tables._inputs import fields_table

    return render_table_html(fields_table(model))


# ---- an appraisal (cba.ledger)
@register("appraisal.summary")
def _appraisal_summary(appraisal: Any) -> str:
    from cba.outputs._summary import render_summary

    return render_summary(appraisal)


@register("appraisal.html")
def _appraisal_html(appraisal: Any) -> str:
    from cba.outputs._summary import render_html

    return render_html(appraisal)


@register("appraisal.table")
def _appraisal_table(appraisal: Any, name: str) -> Any:
    from cba.outputs.tables._tables import table

    return table(appraisal, name)


@register("appraisal.tables")
def _appraisal_tables(appraisal: Any) -> Any:
    from cba.outputs.tables._tables import all_tables

    return all_tables(appraisal)


@register("appraisal.markdown")
def _appraisal_markdown(appraisal: Any) -> str:
    from cba.outputs.export._formats import to_markdown

    return to_markdown(appraisal)


@register("appraisal.csv")
def _appraisal_csv(appraisal: Any) -> str:
    from cba.outputs.export._formats import to_csv

    return to_csv(appraisal)


@register("appraisal.xlsx")
def _appraisal_xlsx(appraisal: Any) -> bytes:
    from cba.outputs.export._formats import to_xlsx

    return to_xlsx(appraisal)


@register("appraisal.assumptions")
def _appraisal_assumptions(appraisal: Any) -> list[dict[str, Any]]:
    from cba.outputs.export._formats import assumption_records

    return assumption_records(appraisal)


@register("appraisal.plot")
def _appraisal_plot(appraisal: Any, kind: str, **kwargs: Any) -> Any:
    from cba.outputs.charts._appraisal import plot

    return plot(appraisal, kind, **kwargs)


@register("appraisal.partnership")
def _appraisal_partnership(appraisal: Any, terms: Any = None) -> Any:
    from cba.partnership._results import appraise_deal

    return appraise_deal(appraisal, terms)


# ---- an option comparison (cba.ledger)
@register("comparison.table")
def _comparison_table(comparison: Any, name: str) -> Any:
    from cba.outputs.tables._comparison import comparison_table

    return comparison_table(comparison, name)


@register("comparison.summary")
def _comparison_summary(comparison: Any) -> str:
    from cba.outputs.tables._comparison import comparison_text

    return comparison_text(comparison)


@register("comparison.markdown")
def _comparison_markdown(comparison: Any) -> str:
    from cba.outputs.tables._comparison import comparison_markdown

    return comparison_markdown(comparison)


@register("comparison.dict")
def _comparison_dict(comparison: Any) -> dict[str, Any]:
    from cba.outputs.tables._comparison import comparison_dict

    return comparison_dict(comparison)


@register("comparison.csv")
def _comparison_csv(comparison: Any) -> str:
    from cba.outputs.tables._comparison import comparison_csv

    return comparison_csv(comparison)


@register("comparison.xlsx")
def _comparison_xlsx(comparison: Any) -> bytes:
    from cba.outputs.export._comparison import comparison_xlsx

    return comparison_xlsx(comparison)


# ---- a deal (cba.partnership) and the uncertainty results (cba.uncertainty)
@register("partnership.tables")
def _partnership_tables(result: Any) -> Any:
    from cba.outputs.tables._deal import deal_tables

    return deal_tables(result)


@register("sensitivity.chart")
def _sensitivity_chart(data: Any, **kwargs: Any) -> Any:
    from cba.outputs.charts._uncertainty import tornado

    return tornado(data, **kwargs)


@register("table.text")
def _table_text(frame: Any) -> str:
    from cba.outputs._format import render_table_text

    return render_table_text(frame)


# ---- notebooks: every result object's _repr_html_
@register("result.html")
def _result_html(result: Any) -> str:
    from cba.outputs._notebook import html

    return html(result)
