"""Re-pricing a unit cost's value to another price base with a GDP deflator series.

:func:`uplifted_value` is the one implementation: the database's
:meth:`~cba.unit_costs._database.UnitCostDatabase.value_at` and the
``cba unit-costs`` command (``--price-base``) both call it. (The database's
:meth:`~cba.unit_costs._database.UnitCostDatabase.uplift` re-prices a whole table
at once with the same factors.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import CBAError
from cba.method._deflators import DEFAULT_DEFLATOR, Deflator
from cba.method._deflators import get as get_deflator

if TYPE_CHECKING:
    from cba.unit_costs._record_types import UnitCost, UnitCostValue


def uplifted_value(cost: UnitCost, v: UnitCostValue, price_base: str,
                   deflator: str | Deflator | None = None) -> float:
    """One value of a unit cost re-priced to another price base with a GDP deflator series.

    The one implementation of a unit cost's uplift:
    :meth:`~cba.unit_costs._database.UnitCostDatabase.value_at` and
    ``cba unit-costs --price-base`` both use it.

    Parameters
    ----------
    cost : UnitCost
        The entry the value belongs to (named in errors).
    v : UnitCostValue
        The value, at ``v.price_year`` prices.
    price_base : str
        Financial year to express it in (``2024/25``).
    deflator : str or Deflator, optional
        Series to use; default the library's default series (``hmt_2026_03``).

    Returns
    -------
    float
        ``v.value`` times the series' factor from the price year to the price base.

    Raises
    ------
    CBAError
        For an unknown series, a year outside it, or a result too large to compute,
        naming the code.

    Examples
    --------
    >>> from cba.unit_costs import default
    >>> cost = default()["CR1.0"]
    >>> round(uplifted_value(cost, cost.fiscal, "2015/16", "gmca_v1_4"), 2)
    673.23
    """
    try:
        with np.errstate(over="ignore"):
            value = float(get_deflator(deflator or DEFAULT_DEFLATOR).uplift(v.value, v.price_year, price_base))
    except CBAError as exc:
        raise CBAError(f"unit cost {cost.code}: {exc}") from None
    if not np.isfinite(value):
        raise CBAError(f"unit cost {cost.code} ({cost.database}): {v.value:g} at {v.price_year} prices is too "
                       f"large to compute at {price_base} prices")
    return value


__all__ = ["uplifted_value"]
