"""A deal's money by year in cash terms (pounds of each year) as well as at the price base.

The deal is evaluated in real terms; this view multiplies each year's real amounts
by the deflator's cash factor (:func:`cba.ledger._cash.appraisal_cash_factors`), so
a finance officer sees the payments as they will be budgeted. Present values
(the ``discounted_`` columns) stay at the price base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.ledger._cash import appraisal_cash_factors, check_terms

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.partnership._results import PartnershipResult


def deal_by_year_in(result: PartnershipResult, terms: str = "real") -> pd.DataFrame:
    """:meth:`~cba.partnership._results.PartnershipResult.by_year` in ``real`` or ``cash`` terms.

    In cash terms the undiscounted money columns (``costs_before``, ``funding``,
    ``savings``, ``received``, ``paid``, ``net_before``, ``net_after``) are in pounds
    of each year, and a ``cash_factor`` column says by how much they were multiplied.
    """
    from cba.partnership._results import YEAR_MEASURES

    out = result.by_year()
    if check_terms(terms) == "real":
        return out
    factors = appraisal_cash_factors(result.appraisal)[out["year"].to_numpy(dtype=int)]
    out.insert(4, "cash_factor", factors)
    for name in YEAR_MEASURES:
        out[name] = out[name].to_numpy() * factors
    out.attrs["terms"] = "cash"
    return out
