"""Optimism bias: costs go up, benefits come down.

References
----------
.. [1] HM Treasury, New Economy, PSTN (2014), "Supporting public service
   transformation: cost benefit analysis guidance for local partnerships": the
   confidence-grade corrections of 0% to 40% applied to predicted savings.
"""

from __future__ import annotations

import numpy as np


def uplift_costs(costs, correction):
    """Costs after optimism bias: ``cost * (1 + OB)``.

    >>> float(uplift_costs(1000.0, 0.25))
    1250.0
    """
    return np.multiply(costs, 1.0 + np.asarray(correction, dtype=float))


def reduce_benefits(benefits, correction):
    """Benefits after optimism bias: ``benefit * (1 - OB)``.

    >>> float(reduce_benefits(1000.0, 0.1))
    900.0
    """
    return np.multiply(benefits, 1.0 - np.asarray(correction, dtype=float))
