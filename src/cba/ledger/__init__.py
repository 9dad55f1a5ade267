"""The ledger and the result objects: an appraisal, a comparison of options, views by group.

:func:`appraise` runs the engine and returns an :class:`Appraisal`: its metrics,
who pays and who saves by agency, flows by year, and the tidy ledger (line x
agency x value type x year) that every table, chart and export aggregates.
:func:`compare` sets options side by side on one footing. :func:`by_group` and
:func:`central_government_share` sum an appraisal by tier of government;
:func:`by_intervention` splits a programme. The result objects reach their
tables, charts and exports through :mod:`cba.core._accessors`, never by importing
:mod:`cba.outputs`. This package imports the layers below it: core, method,
model, unit_costs and engine.
"""

from cba.ledger._appraisal import Appraisal, appraise, pv_fiscal_excluding_transfers
from cba.ledger._compare import Comparison, compare, dominance, incremental_ratio
from cba.ledger._groups import by_group, central_government_share
from cba.ledger._programme import by_intervention

__all__ = [
    "Appraisal", "Comparison", "appraise", "by_group", "by_intervention",
    "central_government_share", "compare", "dominance", "incremental_ratio", "pv_fiscal_excluding_transfers",
]
