"""Cash terms and real terms: converting between pounds of the year paid and the price base.

An appraisal is in real terms, at one price base (HM Treasury, *The Green Book*
(2022), "real and nominal prices": costs and benefits are expressed in real terms
and a nominal (cash) profile is converted with the GDP deflator, using its forecast
for future years). Finance officers budget in cash, and deal prices are often fixed
in cash, so their real value falls each year. With ``I`` the deflator index and
``y[t]`` the financial year of appraisal year ``t``:

    cash_factor[t] = I[y[t]] / I[price_base]
    cash[t] = real[t] * cash_factor[t]          real[t] = cash[t] / cash_factor[t]

A year beyond the series is an error naming it: the factors are never extrapolated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._arguments import instance_argument
from cba.core._errors import CBAError
from cba.core._numbers import numbers, whole
from cba.method._deflators import Deflator, financial_year, year_label, year_start

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import ArrayLike


def cash_factors(deflator: Deflator, price_base: str, first_year: str, horizon: int) -> np.ndarray:
    """``I[first_year + t] / I[price_base]`` for each appraisal year ``t = 0 .. horizon-1``.

    Parameters
    ----------
    deflator : Deflator
        The GDP deflator series (outturn and forecast).
    price_base : str
        The appraisal's price base (financial year).
    first_year : str
        The financial year of appraisal year 0.
    horizon : int
        Number of years.

    Raises
    ------
    CBAError
        A year outside the series, naming it and the series' range.

    Examples
    --------
    >>> flat = Deflator("flat", {"2024/25": 100.0, "2025/26": 100.0})
    >>> cash_factors(flat, "2024/25", "2024/25", 2).tolist()
    [1.0, 1.0]
    >>> rising = Deflator("rising", {"2024/25": 100.0, "2025/26": 102.0})
    >>> cash_factors(rising, "2024/25", "2024/25", 2).tolist()
    [1.0, 1.02]
    """
    import numpy as np

    from cba.method._discounting import MAX_YEARS

    instance_argument(deflator, Deflator, "cash_factors: deflator", "a Deflator")
    base = financial_year(price_base)
    start = year_start(first_year)
    years = whole(horizon, "cash_factors: horizon", maximum=MAX_YEARS)
    return np.array([deflator.factor(base, year_label(start + t)) for t in range(years)], dtype=float)


def to_cash(real: ArrayLike, factors: ArrayLike) -> np.ndarray:
    """Real amounts by year (pounds at the price base) in cash (pounds of each year).

    >>> to_cash([100.0, 100.0], [1.0, 1.02]).tolist()
    [100.0, 102.0]
    """
    return _times(numbers(real, "to_cash: real"), numbers(factors, "to_cash: factors", above=0.0), "to_cash")


def to_real(cash: ArrayLike, factors: ArrayLike) -> np.ndarray:
    """Cash amounts by year (pounds of each year) at the price base.

    >>> to_real([100.0, 102.0], [1.0, 1.02]).tolist()
    [100.0, 100.0]
    """
    return _times(numbers(cash, "to_real: cash"), numbers(factors, "to_real: factors", above=0.0), "to_real",
                  divide=True)


def _times(amounts: np.ndarray, factors: np.ndarray, where: str, divide: bool = False) -> np.ndarray:
    try:
        return amounts / factors if divide else amounts * factors
    except ValueError:
        raise CBAError(f"{where}: amounts of shape {amounts.shape} do not match factors of shape "
                       f"{factors.shape}") from None
