"""Discount factors: HM Treasury Green Book schedules and custom rates.

Pure functions of arrays. Year ``t = 0`` is the first year of delivery.

Which schedule applies to what
------------------------------
Costs and every fiscal, economic or social value are discounted on the standard
schedule (STPR). Health and life values (a value component marked ``health: true``,
e.g. QALYs or wellbeing from better health) are discounted on the health schedule,
which leaves out the wealth effect of the STPR [1]_. Cash savings to the NHS are
cash, not health: they stay on the standard schedule. The lower-rate schedule is
the sensitivity test of the February 2026 Green Book for proposals whose effects
last beyond 50 years [2]_ (pure time preference set to zero); it is for
sensitivity runs, not the central case. Under it, health values follow the
lower health schedule, which takes pure time preference out of the health rate
in the same way [3]_.

Which rate applies to which year
--------------------------------
A band covers the years from the present that it names (years 0-30: 3.5%). The
step from year ``s - 1`` to year ``s`` uses the rate of the band containing
``s``. By default appraisal year ``t`` lies ``t`` years from the present, so
``DF[t] = prod_{s=1..t} 1 / (1 + r(s))``. With ``first_year_discounted`` year
``t`` lies ``t + 1`` years from the present and ``DF[t] = prod_{s=1..t+1}
1 / (1 + r(s))``: appraisal year 30 is 31 years away, so its factor is
``1.035^-30 / 1.030``, not ``1.035^-31`` (:func:`schedule_factors`).

References
----------
.. [1] HM Treasury (2022), "The Green Book: appraisal and evaluation in central
   government", Annex A6 (discount rates): STPR 3.5% for years 0-30, then 3.0%,
   2.5%, 2.0%, 1.5% and 1.0%; the health schedule 1.5%, 1.29%, 1.07%, 0.86%, 0.64%
   and 0.43% over the same bands, for health and life values. The February 2026
   edition moved discounting from Annex A6 into its main text with the same
   standard and health rates (quoted in [2]_).
.. [2] Department for Transport (updated 16 April 2026), "Forthcoming change:
   Green Book updates" (TAG forthcoming changes), table "Green Book discount
   rates", quoting HM Treasury's February 2026 Green Book: standard, health and
   the additional sensitivity test at a lower discount rate, 3.00%, 2.57%, 2.14%,
   1.71%, 1.29% and 0.86% over the same bands,
   https://www.gov.uk/government/publications/tag-forthcoming-changes/forthcoming-change-green-book-updates
.. [3] HM Treasury (2022), "The Green Book", Annex A6, paragraphs A6.20-A6.21 and
   Table 8 "Declining long term discount rate": the reduced rates where pure
   social time preference is zero, 3.00%, 2.57% and 2.14% (STPR) and 1.00%, 0.86%
   and 0.71% (health) for years 0-30, 31-75 and 76-125. The table stops at year
   125, so the lower health schedule is not defined beyond it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from cba.core._arguments import flag
from cba.core._errors import CBAError
from cba.core._numbers import numbers, whole

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
#: Health rates of the lower-rate test (Green Book Annex A6 Table 8, "health, reduced rate
#: where pure STP = 0"), for the first three bands: years 0-30, 31-75 and 76-125.
GREEN_BOOK_LOWER_HEALTH_RATES = (0.010, 0.0086, 0.0071)
#: The last year the lower health schedule is published for (Table 8 stops at year 125).
GREEN_BOOK_LOWER_HEALTH_LAST_YEAR = 125
#: The longest horizon, in years, a model or a function of this package accepts.
MAX_YEARS = 1000


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
    t = np.arange(whole(horizon, "banded_rates: horizon", maximum=MAX_YEARS + 1))
    starts = numbers(band_starts, "banded_rates: band_starts")
    r = numbers(rates, "banded_rates: rates", above=-1.0)
    if starts.ndim != 1 or r.shape != starts.shape or not len(starts) or starts[0] != 0 \
            or (np.diff(starts) <= 0).any():
        raise CBAError("banded_rates: band_starts must increase from 0, with one rate for each band")
    band = np.searchsorted(np.asarray(band_starts), t, side="right") - 1
    return r[band]


def discount_factors(rates: ArrayLike, first_year_discounted: bool = False) -> np.ndarray:
    """Discount factors from a rate per step.

    ``DF[0] = 1`` and ``DF[t] = DF[t-1] / (1 + r[t])``. With
    ``first_year_discounted`` every year including year 0 is discounted once more:
    ``DF[t] = prod_{s<=t} 1 / (1 + r[s])``, where ``r[s]`` is then the rate of the
    step that ends ``s + 1`` years from the present (for a banded schedule, use
    :func:`schedule_factors`, which picks those rates).

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
    r = numbers(rates, "discount_factors: rates", above=-1.0)
    if r.ndim == 0:
        raise CBAError("discount_factors: rates: expected one rate for each year, got a single number")
    growth = 1.0 + r
    if not flag(first_year_discounted, "discount_factors: first_year_discounted"):
        growth = growth.copy()
        growth[..., 0] = 1.0
    return 1.0 / np.cumprod(growth, axis=-1)


def schedule_factors(horizon: int, band_starts: Sequence[int], rates: Sequence[float],
                     first_year_discounted: bool = False) -> np.ndarray:
    """Discount factors of a banded schedule for appraisal years ``0 .. horizon-1``.

    The bands count years from the present. By default year ``t`` is ``t`` years
    away: ``DF[t] = prod_{s=1..t} 1 / (1 + r(s))``. With ``first_year_discounted``
    year ``t`` is ``t + 1`` years away, so the bands follow ``t + 1``:
    ``DF[t] = prod_{s=1..t+1} 1 / (1 + r(s))``.

    Parameters
    ----------
    horizon : int
        Number of appraisal years.
    band_starts, rates : sequence
        As for :func:`banded_rates`.
    first_year_discounted : bool
        Year 0 lies one year from the present (discounted once).

    Returns
    -------
    numpy.ndarray
        Shape ``(horizon,)``.

    Examples
    --------
    Appraisal year 30 with the first year discounted lies 31 years away: thirty
    steps at 3.5% and one at 3.0% (``1.035^-30 / 1.03 = 0.345901``).

    >>> float(schedule_factors(31, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_RATES, True)[30].round(6))
    0.345901
    """
    if flag(first_year_discounted, "schedule_factors: first_year_discounted"):
        whole(horizon, "schedule_factors: horizon", maximum=MAX_YEARS)
        return discount_factors(banded_rates(horizon + 1, band_starts, rates)[1:], first_year_discounted=True)
    return discount_factors(banded_rates(horizon, band_starts, rates))


def green_book_factors(horizon: int, health: bool = False, first_year_discounted: bool = False) -> np.ndarray:
    """Green Book discount factors for years ``0 .. horizon-1``.

    >>> green_book_factors(32)[[1, 30, 31]].round(6)
    array([0.966184, 0.356278, 0.345901])
    """
    rates = GREEN_BOOK_HEALTH_RATES if flag(health, "green_book_factors: health") else GREEN_BOOK_RATES
    return schedule_factors(horizon, GREEN_BOOK_BAND_STARTS, rates, first_year_discounted)


def present_value(flows: ArrayLike, factors: ArrayLike) -> np.ndarray:
    """``PV(x) = sum_t x[t] * DF[t]`` over the last axis (pounds, real terms)."""
    x, df = numbers(flows, "present_value: flows"), numbers(factors, "present_value: factors")
    try:
        return np.sum(x * df, axis=-1)
    except ValueError:
        raise CBAError(f"present_value: flows of shape {x.shape} do not match factors of shape {df.shape}") from None
