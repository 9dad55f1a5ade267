"""Unit cost databases: the GMCA Unit Cost Database as a versioned, searchable part of cba.

Analysts value outcomes with the GMCA Unit Cost Database (New Economy / GMCA
Research, v1.4, March 2015, CC BY 4.0): around 680 costs, each with a fiscal
value and the agency that bears it, often economic and social values too, a
price year, a source and a RAG rating. This package

* reads the official workbooks (:func:`read_workbook`, any layout version);
* ships v1.4 as a tidy CSV (:func:`default`) and a separate set of newer figures
  (:func:`supplementary`);
* looks up, searches, filters and uplifts them (:class:`UnitCostDatabase`) and
  merges users' own unit costs from CSV;
* maps the workbook's agency names to cba's agencies (:func:`canonical_agency`)
  and flags transfer payments (:mod:`cba.unit_costs._transfers`);
* resolves ``value: {unit_cost: E&E1.0}`` in a model to value components
  (:func:`resolve_unit_value`, called by the engine).

This package imports :mod:`cba.core`, :mod:`cba.method` and :mod:`cba.model`;
the engine imports it.

Attribution for the shipped data: "Unit Cost Database v1.4, New Economy /
Greater Manchester Combined Authority, CC BY 4.0".

Examples
--------
>>> from cba import unit_costs
>>> db = unit_costs.default()
>>> db.title, len(db)
('GMCA Unit Cost Database v1.4', 684)
>>> e = db["E&E1.0"]
>>> e.description
"Job Seeker's Allowance / Fiscal and economic benefit from a workless claimant entering work"
>>> e.fiscal.value, e.economic.value, e.fiscal.transfer
(9800.0, 14044.0, 'part')
>>> unit_costs.public_value_of(e, db.children)   # 566 + 14,044 at 2012/13 prices
14610.0
"""

from cba.unit_costs._agencies import AGENCY_NAMES, canonical_agency, normalise_name
from cba.unit_costs._codes import code_level
from cba.unit_costs._components import components_for
from cba.unit_costs._database import UnitCostDatabase, from_csv
from cba.unit_costs._datasets import combined, default, load, supplementary
from cba.unit_costs._lookups import read_lookups_deflator
from cba.unit_costs._record_types import VALUE_TYPES, DataNote, UnitCost, UnitCostValue
from cba.unit_costs._resolve import database_for, resolve_unit_value
from cba.unit_costs._shipped import ATTRIBUTION, DATASETS, DEFAULT_DATABASE
from cba.unit_costs._tidy_csv import CSV_COLUMNS, REQUIRED_COLUMNS, read_csv, to_csv_text
from cba.unit_costs._transfer_flags import public_value_of
from cba.unit_costs._transfers import FURTHER_TRANSFERS
from cba.unit_costs._workbook import WorkbookData, read_workbook

__all__ = [
    "AGENCY_NAMES",
    "ATTRIBUTION",
    "CSV_COLUMNS",
    "DATASETS",
    "DEFAULT_DATABASE",
    "FURTHER_TRANSFERS",
    "REQUIRED_COLUMNS",
    "VALUE_TYPES",
    "DataNote",
    "UnitCost",
    "UnitCostDatabase",
    "UnitCostValue",
    "WorkbookData",
    "canonical_agency",
    "code_level",
    "combined",
    "components_for",
    "database_for",
    "default",
    "from_csv",
    "load",
    "normalise_name",
    "public_value_of",
    "read_csv",
    "read_lookups_deflator",
    "read_workbook",
    "resolve_unit_value",
    "supplementary",
    "to_csv_text",
]
