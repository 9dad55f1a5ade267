"""Optimism bias: costs go up, benefits come down.

Two sources of corrections:

* the GM confidence-grade table [1]_ (0% to 40% by the quality, source and age of
  the evidence), published for predicted savings; cba applies the same grade table
  to cost lines as its own convention (an assumption, not a published cost figure);
* the Green Book's supplementary guidance on optimism bias [2]_: upper and lower
  bounds for capital costs by project type (operating costs for outsourcing), from
  Mott MacDonald's review of large public procurement (2002). The upper bound is the
  starting value, reduced towards the lower as risks are mitigated; values above 100%
  are in the table (equipment and development projects: 200%).

References
----------
.. [1] HM Treasury, New Economy, PSTN (2014), "Supporting public service
   transformation: cost benefit analysis guidance for local partnerships": the
   confidence-grade corrections of 0% to 40% applied to predicted savings.
.. [2] HM Treasury (2003), "Supplementary Green Book Guidance: Optimism Bias",
   Table 2 "Optimism bias guidelines" (Mott MacDonald, "Review of Large Public
   Procurement in the UK", 2002): capital expenditure upper (U) and lower (L)
   bounds, read in the guidance's text reproduced at
   https://ppponline.affinitext.com/public/book?id=1343&toc_id=444193 (the table) and
   toc_id=444268 (its worked example, which confirms the capital columns: 51% for
   non-standard and 24% for standard buildings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import CBAError
from cba.core._numbers import numbers

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike


def uplift_costs(costs: ArrayLike, correction: ArrayLike) -> np.ndarray:
    """Costs after optimism bias: ``cost * (1 + OB)``.

    >>> float(uplift_costs(1000.0, 0.25))
    1250.0
    """
    return _times(numbers(costs, "uplift_costs: costs"), 1.0 + numbers(correction, "uplift_costs: correction"),
                  "uplift_costs")


def reduce_benefits(benefits: ArrayLike, correction: ArrayLike) -> np.ndarray:
    """Benefits after optimism bias: ``benefit * (1 - OB)``.

    >>> float(reduce_benefits(1000.0, 0.1))
    900.0
    """
    return _times(numbers(benefits, "reduce_benefits: benefits"),
                  1.0 - numbers(correction, "reduce_benefits: correction"), "reduce_benefits")


def unchecked_uplift_costs(costs: ArrayLike, correction: ArrayLike) -> np.ndarray:
    """:func:`uplift_costs` without the checks of its arguments, for the engine, whose arrays
    are checked once when a model is read and whose overflows its own checks name."""
    return np.multiply(costs, 1.0 + np.asarray(correction, dtype=float))


def unchecked_reduce_benefits(benefits: ArrayLike, correction: ArrayLike) -> np.ndarray:
    """:func:`reduce_benefits` without the checks of its arguments, for the engine."""
    return np.multiply(benefits, 1.0 - np.asarray(correction, dtype=float))


def _times(amounts: np.ndarray, factor: np.ndarray, where: str) -> np.ndarray:
    try:
        return np.multiply(amounts, factor)
    except ValueError:
        raise CBAError(f"{where}: amounts of shape {amounts.shape} do not match corrections of shape "
                       f"{factor.shape}") from None


#: Green Book optimism-bias bounds by project type: (upper, lower) corrections of capital
#: expenditure; for ``outsourcing``, of operating expenditure. Source: HM Treasury (2003),
#: Supplementary Green Book Guidance: Optimism Bias, Table 2 (Mott MacDonald 2002).
GREEN_BOOK_OPTIMISM_BIAS: dict[str, tuple[float, float]] = {
    "standard_buildings": (0.24, 0.02),
    "non_standard_buildings": (0.51, 0.04),
    "standard_civil_engineering": (0.44, 0.03),
    "non_standard_civil_engineering": (0.66, 0.06),
    "equipment_development": (2.00, 0.10),
    "outsourcing": (0.41, 0.00),
}
#: The upper bounds alone (the starting values of the guidance).
GREEN_BOOK_CAPITAL_UPPER_BOUNDS: dict[str, float] = {k: u for k, (u, _) in GREEN_BOOK_OPTIMISM_BIAS.items()}
