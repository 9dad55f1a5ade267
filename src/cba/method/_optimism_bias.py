"""Optimism bias: costs go up, benefits come down.

References
----------
.. [1] HM Treasury, New Economy, PSTN (2014), "Supporting public service
   transformation: cost benefit analysis guidance for local partnerships": the
   confidence-grade corrections of 0% to 40% applied to predicted savings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike


def uplift_costs(costs: ArrayLike, correction: ArrayLike) -> np.ndarray:
    """Costs after optimism bias: ``cost * (1 + OB)``.

    >>> float(uplift_costs(1000.0, 0.25))
    1250.0
    """
    return np.multiply(costs, 1.0 + np.asarray(correction, dtype=float))


def reduce_benefits(benefits: ArrayLike, correction: ArrayLike) -> np.ndarray:
    """Benefits after optimism bias: ``benefit * (1 - OB)``.

    >>> float(reduce_benefits(1000.0, 0.1))
    900.0
    """
    return np.multiply(benefits, 1.0 - np.asarray(correction, dtype=float))
