"""Tables for people: pandas DataFrames of unrounded numbers whose ``attrs`` say how to show them.

The headline two (``_headline``), by year (``_year``), assumptions (``_assumptions``), a model
as entered (``_inputs``), a deal's (``_deal``) and the uncertainty results' (``_uncertainty``);
``_tables`` is the catalogue. They may import the lower layers and ``cba.outputs._format`` and
``cba.outputs._labels``, never ``charts``, ``report`` or ``export``. The names below are
imported on first use (PEP 562); inside the package, import from the defining module.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module that defines it.
_LAZY = {
    **{name: "_tables" for name in ("ASSUMPTION_TABLES", "TABLES", "agency_table", "all_tables", "ledger_table",
                                    "provenance_table", "summary_table", "table", "text", "warnings_table")},
    **{name: "_year" for name in ("benefit_table", "cost_table")},
    **{name: "_assumptions" for name in ("cost_line_table", "outcome_table", "unit_value_table")},
    **{name: "_inputs" for name in ("fields_table", "model_tables")},
    **{name: "_deal" for name in ("deal_tables", "flow_table", "partner_table", "pool_table", "risk_table",
                                  "year_table")},
    **{name: "_uncertainty" for name in ("montecarlo_tables", "scenario_tables", "sensitivity_tables",
                                         "switching_records", "switching_tables")},
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
