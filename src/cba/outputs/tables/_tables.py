"""Appraisal tables for a business case: aggregations of the engine's totals and the ledger.

Each function takes an :class:`~cba.ledger._appraisal.Appraisal` and returns a pandas
DataFrame of unrounded numbers (pounds at the appraisal's price base) whose
``attrs`` carry a title, column labels and the kind of each number, so that
:mod:`cba.outputs._format` can render it as text, Markdown or HTML and
:mod:`cba.outputs.export._formats` as an Excel sheet. Render one with
:func:`cba.outputs._format.render_table_text` (or ``print(cba.outputs.tables._tables.text(frame))``).

The tables:

=====================  =========================================================
``summary``            the financial case and the economic case
``agencies``           who pays and who saves: the agency ledger
``accounts``           who benefits: taxpayers by agency, participants, others, society
``costs``              costs by agency and year, real and discounted
``benefits``           benefits by value type, agency and year, real and discounted
``cost_lines``         assumptions: every cost line as entered, uplift, optimism bias
``outcomes``           assumptions: every outcome's parameters and optimism bias
``unit_values``        assumptions: every unit value used and where it comes from
``provenance``         library, model file hash, deflator, discounting, run time
``ledger``             the tidy ledger itself
=====================  =========================================================

Rows that are totals carry the agency id ``"total"``; drop them before summing.

This module holds the headline two (built by :mod:`cba.outputs.tables._headline`),
provenance, the ledger, warnings and the catalogue :data:`TABLES`, which also names the
tables by year (built in :mod:`cba.outputs.tables._year`) and the assumption tables (in
:mod:`cba.outputs.tables._assumptions`). The tables of a model as entered
(:func:`~cba.outputs.tables._inputs.model_tables`, :func:`~cba.outputs.tables._inputs.fields_table`)
are in :mod:`cba.outputs.tables._inputs`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

import cba.outputs.tables._headline as headline
from cba.outputs._arguments import takes
from cba.outputs._format import render_table_text
from cba.outputs.tables._accounts import accounts_table
from cba.outputs.tables._assumptions import cost_line_table, outcome_table, unit_value_table
from cba.outputs.tables._frame import _MONEY, _table
from cba.outputs.tables._year import benefit_table, cost_table

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal


@takes(frame="frame")
def text(frame: pd.DataFrame) -> str:
    """A table as readable text (see :func:`cba.outputs._format.render_table_text`)."""
    return render_table_text(frame)


# ---------------------------------------------------------------- the cases
@takes(appraisal="appraisal")
def summary_table(appraisal: Appraisal) -> pd.DataFrame:
    """The financial case and the economic case, one metric per row.

    Columns ``case``, ``metric`` (the name in :data:`cba.engine._metrics.METRIC_NAMES`),
    ``label``, ``value`` (pounds, a ratio, years or a rate; NaN where the result is
    none) and ``unit`` (the kind of ``value``).

    Examples
    --------
    >>> import cba
    >>> t = summary_table(cba.appraise("examples/worked_example.yaml"))
    >>> t.set_index("metric").loc[["pv_costs", "financial_roi", "pv_public_value"], "value"].round(4).tolist()
    [49661.8357, 1.4712, 255721.2131]
    """
    return headline.summary(appraisal).to_frame()


# ---------------------------------------------------------------- who pays, who saves
@takes(appraisal="appraisal")
def agency_table(appraisal: Appraisal) -> pd.DataFrame:
    """Who pays and who saves: the agency ledger with a total row.

    One row per agency: what it pays (``pv_costs``), what it banks (``pv_fiscal``
    gross, ``pv_cashable``, ``pv_transfer``), its ``net`` position (fiscal minus
    costs), its ``roi`` (NaN when it pays nothing) and its shares of all costs and
    all fiscal benefit; then a ``total`` row. The wrong-pocket index and the share
    of fiscal savings banked by central government
    (:func:`cba.ledger._groups.central_government_share`) are in
    ``attrs["notes"]``, ``attrs["wrong_pocket_index"]`` and
    ``attrs["central_government_share"]``.

    Examples
    --------
    >>> import cba
    >>> t = agency_table(cba.appraise("examples/worked_example.yaml"))
    >>> t[["agency", "pv_costs", "net"]].round(2)
                agency  pv_costs       net
    0  local_authority  40000.00  33063.20
    1              nhs   9661.84  -9661.84
    2            total  49661.84  23401.37
    """
    return headline.agencies(appraisal).to_frame()


# ---------------------------------------------------------------- provenance
PROVENANCE_LABELS = {
    "library": "Library", "version": "Library version", "model_file": "Model file",
    "model_file_sha256": "Model file SHA-256", "model_sha256": "Model content SHA-256 (canonical JSON)",
    "price_base": "Price base", "horizon": "Horizon (years)", "deflator": "Deflator series",
    "deflator_vintage": "Deflator vintage", "unit_cost_databases": "Unit cost database versions",
    "discounting": "Discount schedule", "first_year_discounted": "First year discounted",
    "optimism_bias_table": "Optimism-bias table", "run_at": "Run at (UTC)",
}


def _provenance_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value)) if value else ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _provenance_shown(key: str, value: Any, prov: dict[str, Any]) -> tuple[Any, str] | None:
    """A provenance value as people read it, with its kind; None for a row the one before says.

    The deflator by its title (its vintage), not its id; the optimism-bias table and the
    value-for-money metric in words; the horizon a number.
    """
    if key == "deflator_vintage" and prov.get("deflator"):
        return None                                   # shown as the deflator's own row
    if key == "deflator":
        return str(prov.get("deflator_vintage") or value), "text"
    if key == "horizon" and isinstance(value, int) and not isinstance(value, bool):
        return value, "int"
    if key == "optimism_bias_table" and value == "gm":
        from cba.model._settings import GM_OPTIMISM_BIAS

        grades = ", ".join(f"{g}: {v:.0%}" for g, v in GM_OPTIMISM_BIAS.items())
        return f"GM confidence-grade table (grade {grades})", "text"
    if key == "value_for_money_bands" and isinstance(value, str) and ": " in value:
        from cba.outputs._labels import METRIC_LABELS

        metric, rest = value.split(": ", 1)
        return f"{METRIC_LABELS.get(metric, metric)}: {rest}", "text"
    return _provenance_text(value), "text"


@takes(appraisal="appraisal")
def provenance_table(appraisal: Appraisal) -> pd.DataFrame:
    """Where the numbers come from: one row per item of ``Appraisal.provenance``.

    Columns ``item`` (the key), ``label``, ``value`` (as people read it: text, the
    horizon a number, the deflator by its title) and ``kind`` (the value's kind of
    number). The deflator's id and vintage are one row, ``deflator``.
    """
    prov = dict(appraisal.provenance)
    rows = []
    for k, v in prov.items():
        shown = _provenance_shown(k, v, prov)
        if shown is not None:
            label = "Deflator" if k == "deflator" else PROVENANCE_LABELS.get(k, k.replace("_", " ").capitalize())
            rows.append({"item": k, "label": label, "value": shown[0], "kind": shown[1]})
    frame = pd.DataFrame(rows, columns=["item", "label", "value", "kind"], dtype=object)
    return _table(frame, "Provenance", kinds={"item": "text", "label": "text", "value": "@kind", "kind": "text"},
                  labels={"label": "Item", "value": "Value"}, hidden=("item", "kind"))


@takes(appraisal="appraisal")
def ledger_table(appraisal: Appraisal) -> pd.DataFrame:
    """The tidy ledger (see :mod:`cba.ledger._ledger`), with kinds for rendering."""
    frame = appraisal.ledger.copy()
    kinds = {c: "text" for c in ("source_type", "source", "unit_cost", "agency", "value_type", "cost_kind",
                                 "year_label")}
    kinds.update(line="int", component="int", year="int", cashable="bool", transfer="bool", real=_MONEY,
                 discount_factor="factor", discounted=_MONEY)
    return _table(frame, "Ledger (pounds at the price base)", kinds=kinds)


@takes(appraisal="appraisal")
def warnings_table(appraisal: Appraisal) -> pd.DataFrame:
    """What must be read beside the results (possible double counting), one per row."""
    frame = pd.DataFrame({"warning": list(getattr(appraisal, "warnings", []))}, dtype=object)
    return _table(frame, "Warnings", kinds={"warning": "text"}, labels={"warning": "Warning"})


# ---------------------------------------------------------------- the catalogue
#: Every table, by name, in the order of a business case.
TABLES: dict[str, Callable[[Appraisal], pd.DataFrame]] = {
    "summary": summary_table,
    "agencies": agency_table,
    "accounts": accounts_table,
    "costs": cost_table,
    "benefits": benefit_table,
    "cost_lines": cost_line_table,
    "outcomes": outcome_table,
    "unit_values": unit_value_table,
    "provenance": provenance_table,
    "ledger": ledger_table,
    "warnings": warnings_table,
}

#: The tables that together list every assumption.
ASSUMPTION_TABLES = ("cost_lines", "outcomes", "unit_values")


@takes(appraisal="appraisal", include_ledger="flag")
def all_tables(appraisal: Appraisal, include_ledger: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of :data:`TABLES` for one appraisal (``warnings`` only when there are some)."""
    return {name: fn(appraisal) for name, fn in TABLES.items() if (include_ledger or name != "ledger")
            and (name != "warnings" or getattr(appraisal, "warnings", None))}


@takes(appraisal="appraisal", name="text")
def table(appraisal: Appraisal, name: str) -> pd.DataFrame:
    """One table by name (see :data:`TABLES`)."""
    from cba.core._errors import CBAError

    try:
        return TABLES[name](appraisal)
    except KeyError:
        raise CBAError(f"unknown table {name!r} (tables: {', '.join(TABLES)})") from None
