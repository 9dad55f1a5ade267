"""An appraisal in cash terms: its flows and ledger in pounds of each year as well as at the price base.

The appraisal itself stays in real terms (its metrics never change); these views
multiply each year's real amount by the deflator's cash factor for that year
(:func:`cba.method._cash.cash_factors`). Appraisal year 0 is the financial year
``start_year`` when the model sets one, else the price base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import CBAError
from cba.method._cash import cash_factors

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal

#: The two ways of showing money: at the price base, or in pounds of each year.
TERMS = ("real", "cash")


def appraisal_cash_factors(appraisal: Appraisal) -> np.ndarray:
    """The cash factor of each appraisal year (``I[year] / I[price_base]``)."""
    iv = appraisal.intervention
    deflator = appraisal.compiled.deflator
    if deflator is None:
        raise CBAError("cash terms need the model's deflator series")
    try:
        return cash_factors(deflator, iv.price_base, iv.start_year or iv.price_base, iv.horizon)
    except CBAError as exc:
        raise CBAError(f"cash terms: {exc}; a horizon in cash terms needs the deflator's forecast for every "
                       "year (shorten the horizon or choose a series that covers it)") from None


def check_terms(terms: str) -> str:
    """``terms`` if it is ``real`` or ``cash``, else a clear error."""
    if terms not in TERMS:
        raise CBAError(f"terms: expected 'real' or 'cash', got {terms!r}")
    return terms


def cash_ledger(appraisal: Appraisal) -> pd.DataFrame:
    """The ledger with two more columns: ``cash_factor`` and ``cash`` (``real x cash_factor``,
    pounds of the year). ``discounted`` stays the real amount discounted."""
    factors = appraisal_cash_factors(appraisal)
    ledger = appraisal.ledger.copy()
    year = ledger["year"].to_numpy(dtype=int)
    ledger["cash_factor"] = factors[year] if len(year) else np.zeros(0)
    ledger["cash"] = ledger["real"].to_numpy() * ledger["cash_factor"].to_numpy()
    return ledger


def by_year_in(appraisal: Appraisal, terms: str = "real") -> pd.DataFrame:
    """:meth:`~cba.ledger._appraisal.Appraisal.by_year` in ``real`` or ``cash`` terms.

    In cash terms every undiscounted money column is multiplied by the year's cash
    factor (a ``cash_factor`` column says by how much); the discounted columns stay
    as they are, real and discounted, since a present value is at the price base.
    """
    out = appraisal.by_year()
    if check_terms(terms) == "real":
        return out
    factors = appraisal_cash_factors(appraisal)
    out.insert(3, "cash_factor", factors)
    for name in ("costs", "fiscal", "cashable", "transfer", "economic", "social", "public_value", "fiscal_net"):
        out[name] = out[name].to_numpy() * factors
    out.attrs["terms"] = "cash"
    return out
