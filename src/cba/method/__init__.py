"""The appraisal method as pure arithmetic: Green Book and GM CBA formulas, vectorised.

Discounting (the Green Book schedules), GDP deflators and price years,
additionality (deadweight, displacement, leakage, substitution) and the benefit
profile over time, optimism bias, value-for-money categories, distributional
weights and cash terms. Each function
is small, takes arrays and states its units and source; none knows about models,
files or outputs. This package imports only :mod:`cba.core`.
"""

from cba.method._additionality import ADDITIONALITY_RATES, benefit_kernel, benefit_years, net_success_rate
from cba.method._cash import cash_factors, to_cash, to_real
from cba.method._deflators import DEFAULT_DEFLATOR, Deflator, financial_year, year_label, year_start
from cba.method._discounting import (
    GREEN_BOOK_BAND_STARTS,
    GREEN_BOOK_HEALTH_RATES,
    GREEN_BOOK_LOWER_HEALTH_RATES,
    GREEN_BOOK_LOWER_RATES,
    GREEN_BOOK_RATES,
    banded_rates,
    discount_factors,
    green_book_factors,
    present_value,
    schedule_factors,
)
from cba.method._distribution import GREEN_BOOK_ELASTICITY, income_weight, weighted_present_value
from cba.method._optimism_bias import GREEN_BOOK_OPTIMISM_BIAS, reduce_benefits, uplift_costs
from cba.method._value_for_money import value_for_money

__all__ = [
    "ADDITIONALITY_RATES", "DEFAULT_DEFLATOR", "GREEN_BOOK_BAND_STARTS", "GREEN_BOOK_ELASTICITY",
    "GREEN_BOOK_HEALTH_RATES", "GREEN_BOOK_LOWER_HEALTH_RATES", "GREEN_BOOK_LOWER_RATES", "GREEN_BOOK_OPTIMISM_BIAS",
    "GREEN_BOOK_RATES", "Deflator", "banded_rates", "benefit_kernel", "benefit_years", "cash_factors",
    "discount_factors", "financial_year", "green_book_factors", "income_weight", "net_success_rate", "present_value",
    "reduce_benefits", "schedule_factors", "to_cash", "to_real", "uplift_costs", "value_for_money",
    "weighted_present_value", "year_label", "year_start",
]
