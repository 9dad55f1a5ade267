"""Unit cost records: the entries of a unit cost database and their values.

A :class:`UnitCost` is one coded row of a unit cost database: a description, a
unit, the agency bearing the fiscal cost and up to three values (fiscal, economic,
social), each a :class:`UnitCostValue` with its price year. A :class:`DataNote`
is something a reader of the data should know about one code.

Cost codes follow the GMCA Unit Cost Database: ``CR1.0`` is a headline cost,
``CR1.1`` a subsidiary cost and ``CR8.0.2`` a constituent of ``CR8.0`` (see the
workbook's Guidance sheet); :mod:`cba.unit_costs._codes` normalises and places
them. The tidy CSV holds one line per code and value type, in the columns of
:data:`CSV_COLUMNS`; the same format serves the shipped data, files written by
``cba unit-costs import`` and a user's own unit costs
(:mod:`cba.unit_costs._tidy_csv`).

This module gathers the names: the record types are defined in
:mod:`cba.unit_costs._record_types`, the codes in :mod:`cba.unit_costs._codes`
and the CSV format in :mod:`cba.unit_costs._tidy_csv`; all are importable from
here, where they were first defined.
"""

from __future__ import annotations

from cba.core._errors import CBAError  # noqa: F401  (importable from here, as before the split)
from cba.unit_costs._codes import _CODE, _SPACES, clean_text, code_key, code_level, code_sort_key, normalise_code  # noqa: F401
from cba.unit_costs._record_types import (
    TRANSFER_STATES,
    VALUE_TYPES,
    DataNote,
    UnitCost,
    UnitCostValue,
)
from cba.unit_costs._tidy_csv import (  # noqa: F401
    _FALSE,
    _TRUE,
    CSV_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    _quote_problem,
    format_number,
    read_csv,
    read_csv_text,
    to_csv_text,
)

__all__ = [
    "CSV_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "TRANSFER_STATES",
    "VALUE_TYPES",
    "DataNote",
    "UnitCost",
    "UnitCostValue",
    "clean_text",
    "code_key",
    "code_level",
    "code_sort_key",
    "format_number",
    "normalise_code",
    "read_csv",
    "read_csv_text",
    "to_csv_text",
]
