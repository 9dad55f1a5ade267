"""The readable summary of an appraisal and of a model: text for a terminal, HTML for notebooks.

:func:`render_summary` and :func:`render_html` show an appraisal's two headline
tables (the financial and economic case, who pays and who saves);
:func:`render_model_text` and :func:`render_model_html` show a model's settings,
costs and outcomes as entered. The tables come from :mod:`cba.outputs.tables`
(imported when first needed) and are rendered by :mod:`cba.outputs._format`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from cba.outputs._format import render_table_html, render_table_text, units_text, wrap_lines

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal


# ---------------------------------------------------------------- appraisals
def _heading(appraisal: Appraisal) -> tuple[str, str]:
    model = appraisal.intervention
    return model.name, (f"Price base {model.price_base}, horizon {model.horizon} years, "
                        f"discounting: {model.discounting.describe()}. {units_text(model.price_base)}")


def render_summary(appraisal: Appraisal) -> str:
    """The financial and economic case and who pays and who saves, as text.

    The tables of :func:`cba.outputs.tables._tables.summary_table` and :func:`cba.outputs.tables._tables.agency_table`,
    rendered from their plain columns (:mod:`cba.outputs.tables._headline`), without pandas.
    """
    import cba.outputs.tables._headline as headline

    name, sub = _heading(appraisal)
    warnings = [line for w in getattr(appraisal, "warnings", []) for line in wrap_lines(f"WARNING: {w}")]
    return "\n".join([*wrap_lines(name), *wrap_lines(sub), "", *warnings, *([""] if warnings else []),
                      render_table_text(headline.summary(appraisal)), "",
                      render_table_text(headline.agencies(appraisal))])


def render_html(appraisal: Appraisal) -> str:
    """The same as :func:`render_summary`, as HTML tables for notebooks."""
    import cba.outputs.tables._headline as headline

    name, sub = _heading(appraisal)
    warnings = "".join(f"<p><strong>Warning:</strong> {escape(w)}</p>" for w in getattr(appraisal, "warnings", []))
    return (f"<div><p><strong>{escape(name)}</strong><br>{escape(sub)}</p>{warnings}"
            + render_table_html(headline.summary(appraisal))
            + render_table_html(headline.agencies(appraisal)) + "</div>")


# ---------------------------------------------------------------- input models
def render_model_text(model) -> str:
    """An intervention as readable text: settings, costs and outcomes as entered."""
    from cba.outputs.tables._inputs import model_tables

    t = model_tables(model)
    return "\n\n".join([render_table_text(t["settings"], title=True)]
                        + [render_table_text(t[k]) for k in ("costs", "outcomes")])


def render_model_html(model) -> str:
    """An intervention as HTML tables for notebooks."""
    from cba.outputs.tables._inputs import model_tables

    return "<div>" + "".join(render_table_html(f) for f in model_tables(model).values()) + "</div>"



def render_fields_html(model: Any) -> str:
    """Any nested model (a cost line, an outcome) as an HTML table of its fields, for notebooks."""
    from cba.outputs.tables._inputs import fields_table

    return render_table_html(fields_table(model))
