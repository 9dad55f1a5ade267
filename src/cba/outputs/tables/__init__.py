"""Tables for people: pandas DataFrames of unrounded numbers whose ``attrs`` say how to show them.

The headline two (``_headline``), by year (``_year``), assumptions (``_assumptions``), a model
as entered (``_inputs``), a deal's (``_deal``, and its terms in words, ``_terms``) and the uncertainty
results' (``_uncertainty``);
``_tables`` is the catalogue. They may import the lower layers and ``cba.outputs._format`` and
``cba.outputs._labels``, never ``charts``, ``report`` or ``export``. The names below are
imported on first use (PEP 562); inside the package, import from the defining module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._lazy import lazy_exports

#: Public name -> the module that defines it.
_LAZY = {
    **{name: "_tables" for name in ("ASSUMPTION_TABLES", "TABLES", "agency_table", "all_tables", "ledger_table",
                                    "provenance_table", "summary_table", "table", "text", "warnings_table")},
    **{name: "_year" for name in ("benefit_table", "cost_table")},
    **{name: "_assumptions" for name in ("cost_line_table", "outcome_table", "unit_value_table")},
    **{name: "_inputs" for name in ("fields_table", "model_tables")},
    **{name: "_deal" for name in ("deal_tables", "flow_table", "partner_table", "pool_table", "position_table",
                                  "risk_table", "year_table")},
    **{name: "_terms" for name in ("term_sentences", "terms_table")},
    **{name: "_uncertainty" for name in ("montecarlo_tables", "scenario_tables", "sensitivity_tables",
                                         "switching_records", "switching_tables")},
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers, editors and the API reference
    from cba.outputs.tables._assumptions import cost_line_table as cost_line_table
    from cba.outputs.tables._assumptions import outcome_table as outcome_table
    from cba.outputs.tables._assumptions import unit_value_table as unit_value_table
    from cba.outputs.tables._deal import deal_tables as deal_tables
    from cba.outputs.tables._deal import flow_table as flow_table
    from cba.outputs.tables._deal import partner_table as partner_table
    from cba.outputs.tables._deal import pool_table as pool_table
    from cba.outputs.tables._deal import position_table as position_table
    from cba.outputs.tables._deal import risk_table as risk_table
    from cba.outputs.tables._deal import year_table as year_table
    from cba.outputs.tables._inputs import fields_table as fields_table
    from cba.outputs.tables._inputs import model_tables as model_tables
    from cba.outputs.tables._tables import ASSUMPTION_TABLES as ASSUMPTION_TABLES
    from cba.outputs.tables._tables import TABLES as TABLES
    from cba.outputs.tables._tables import agency_table as agency_table
    from cba.outputs.tables._tables import all_tables as all_tables
    from cba.outputs.tables._tables import ledger_table as ledger_table
    from cba.outputs.tables._tables import provenance_table as provenance_table
    from cba.outputs.tables._tables import summary_table as summary_table
    from cba.outputs.tables._tables import table as table
    from cba.outputs.tables._tables import text as text
    from cba.outputs.tables._tables import warnings_table as warnings_table
    from cba.outputs.tables._terms import term_sentences as term_sentences
    from cba.outputs.tables._terms import terms_table as terms_table
    from cba.outputs.tables._uncertainty import montecarlo_tables as montecarlo_tables
    from cba.outputs.tables._uncertainty import scenario_tables as scenario_tables
    from cba.outputs.tables._uncertainty import sensitivity_tables as sensitivity_tables
    from cba.outputs.tables._uncertainty import switching_records as switching_records
    from cba.outputs.tables._uncertainty import switching_tables as switching_tables
    from cba.outputs.tables._year import benefit_table as benefit_table
    from cba.outputs.tables._year import cost_table as cost_table

__all__ = sorted(_LAZY)


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY)
