"""The model: what an analyst writes, as typed and checked pydantic classes.

An :class:`Intervention` (settings, cost lines, outcomes and their values, agencies,
agency groups, value-for-money bands, unit cost settings) and the terms of a
partnership deal (:class:`Partnership` and its agreements). Every check that can
be made on the input alone is made here, naming the field; nothing is computed.
Reading a model *file* is in :mod:`cba.engine` (a programme file needs the
engine to combine its members). This package imports :mod:`cba.core` and
:mod:`cba.method`.
"""

from cba.model._agencies import CANONICAL_AGENCIES, display_name
from cba.model._agency_groups import groups_of, shipped_groupings
from cba.model._deal_terms import Funding, GainShare, Partnership, Payment, PooledBudget
from cba.model._intervention import Intervention
from cba.model._investment_terms import Investment
from cba.model._lines import CostLine, Outcome, ProjectTypeOptimismBias, UnitValue, ValueComponent
from cba.model._outcome_terms import OutcomePayment, Payer, Rung, Tariff, TopUp
from cba.model._settings import Agency, DiscountBand, DiscountSchedule, OptimismBiasTable, UnitCostSettings
from cba.model._social_terms import Distribution, IncomeGroup, Wellbeing
from cba.model._value_for_money import ValueForMoneyBand, ValueForMoneyBands

__all__ = [
    "CANONICAL_AGENCIES", "Agency", "CostLine", "DiscountBand", "DiscountSchedule", "Distribution", "Funding",
    "GainShare", "IncomeGroup", "Intervention", "Investment", "OptimismBiasTable", "Outcome", "OutcomePayment",
    "Partnership", "Payer", "Payment", "PooledBudget", "ProjectTypeOptimismBias", "Rung", "Tariff", "TopUp",
    "UnitCostSettings", "UnitValue", "ValueComponent", "ValueForMoneyBand", "ValueForMoneyBands", "Wellbeing",
    "display_name", "groups_of", "shipped_groupings",
]
