"""Discount factors: HM Treasury Green Book schedules and custom rates.

Pure functions of arrays. Year ``t = 0`` is the first year of delivery.

Which schedule applies to what
------------------------------
Costs and every fiscal, economic or social value are discounted on the standard
schedule (STPR). Health and life values (a value component marked ``health: true``,
e.g. QALYs or wellbeing from better health) are discounted on the health schedule,
which leaves out the wealth effect of the STPR [1]_. Cash savings to the NHS are
cash, not health: they stay on the standard schedule. The lower-rate schedule is
the sensitivity test added by the February 2026 update of the Green Book for
proposals whose effects last beyond 50 years [2]_; it is for sensitivity runs,
not the central case.

References
----------
.. [1] HM Treasury (2022), "The Green Book: appraisal and evaluation in central
   government", Annex A6 (discount rates): STPR 3.5% for years 0-30, then 3.0%,
   2.5%, 2.0%, 1.5% and 1.0%; the health schedule 1.5%, 1.29%, 1.07%, 0.86%, 0.64%
   and 0.43% over the same bands, for health and life values.
.. [2] Department for Transport (April 2026), "Forthcoming change: Green Book
   updates" (TAG forthcoming changes), quoting HM Treasury's February 2026 Green
   Book update: an additional sensitivity test at a lower discount rate, 3.00%,
   2.57%, 2.14%, 1.71%, 1.29% and 0.86% over the same bands,
   https://www.gov.uk/government/publications/tag-forthcoming-changes/forthcoming-change-green-book-updates
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

#: First year of each Green Book band (years 0-30, 31-75, 76-125, 126-200, 201-300, 301+).
GREEN_BOOK_BAND_STARTS = (0, 31, 76, 126, 201, 301)
#: Standard social time preference rates for those bands (Green Book Annex A6).
GREEN_BOOK_RATES = (0.035, 0.030, 0.025, 0.020, 0.015, 0.010)
#: Rates for health effects valued in QALYs or similar (Green Book Annex A6).
GREEN_BOOK_HEALTH_RATES = (0.015, 0.0129, 0.0107, 0.0086, 0.0064, 0.0043)
#: Lower-rate sensitivity test of the February 2026 Green Book update (no pure time preference).
GREEN_BOOK_LOWER_RATES = (0.030, 0.0257, 0.0214, 0.0171, 0.0129, 0.0086)


def banded_rates(horizon: int, band_starts: Sequence[int], rates: Sequence[float]) -> np.ndarray:
    """Rate in force in each year ``t = 0 .. horizon-1``.

    Parameters
    ----------
    horizon : int
        Number of years.
    band_starts : sequence of int
        First year of each band, increasing, starting at 0.
    rates : sequence of float
        Annual rate of each band (fraction, 0.035 = 3.5%).

    Returns
    -------
    numpy.ndarray
        Shape ``(horizon,)``.

    Examples
    --------
    >>> banded_rates(33, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_RATES)[[0, 30, 31, 32]]
    array([0.035, 0.035, 0.03 , 0.03 ])
    """
    t = np.arange(horizon)
    band = np.searchsorted(np.asarray(band_starts), t, side="right") - 1
    return np.asarray(rates, dtype=float)[band]


def discount_factors(rates: ArrayLike, first_year_discounted: bool = False) -> np.ndarray:
    """Discount factors from a rate per year.

    ``DF[0] = 1`` and ``DF[t] = DF[t-1] / (1 + r[t])``. With
    ``first_year_discounted`` every year including year 0 is discounted once more:
    ``DF[t] = prod_{s<=t} 1 / (1 + r[s])``.

    Parameters
    ----------
    rates : array_like
        Rate in force in each year, shape ``(..., H)``; leading axes (draws) allowed.
    first_year_discounted : bool
        Discount year 0 as well (the default convention leaves it undiscounted).

    Returns
    -------
    numpy.ndarray
        Same shape as ``rates``.

    Examples
    --------
    >>> discount_factors([0.035, 0.035, 0.035]).round(6)
    array([1.      , 0.966184, 0.933511])
    """
    r = np.asarray(rates, dtype=float)
    growth = 1.0 + r
    if not first_year_discounted:
        growth = growth.copy()
        growth[..., 0] = 1.0
    return 1.0 / np.cumprod(growth, axis=-1)


def green_book_factors(horizon: int, health: bool = False, first_year_discounted: bool = False) -> np.ndarray:
    """Green Book discount factors for years ``0 .. horizon-1``.

    >>> green_book_factors(32)[[1, 30, 31]].round(6)
    array([0.966184, 0.356278, 0.345901])
    """
    rates = GREEN_BOOK_HEALTH_RATES if health else GREEN_BOOK_RATES
    return discount_factors(banded_rates(horizon, GREEN_BOOK_BAND_STARTS, rates), first_year_discounted)


def present_value(flows: ArrayLike, factors: ArrayLike) -> np.ndarray:
    """``PV(x) = sum_t x[t] * DF[t]`` over the last axis (pounds, real terms)."""
    return np.sum(np.asarray(flows, dtype=float) * np.asarray(factors, dtype=float), axis=-1)
