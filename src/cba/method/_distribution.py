"""Distributional weights and the weighted net present value (Green Book, Annex A3).

A pound of benefit is worth more to someone on a low income than to someone on a
high one. The Green Book weights a group's costs and benefits by
``(reference income / group income) ** e``, where ``e`` is the elasticity of the
marginal utility of income (1.3 in the Green Book 2022, Annex A3, paragraph A3.14),
and asks for the weighted figures beside the unweighted ones (paragraph A3.12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import ArrayLike

#: The elasticity of the marginal utility of income the Green Book gives for
#: distributional weights: HM Treasury, The Green Book (2022), Annex A3,
#: paragraph A3.14 ("a review of international evidence provides an estimate of the
#: marginal utility of income at 1.3", citing Layard, Mayraz and Nickell (2008),
#: "The marginal utility of income", Journal of Public Economics 92, 1846-1857).
GREEN_BOOK_ELASTICITY = 1.3


def income_weight(income: ArrayLike, reference_income: float, elasticity: float) -> np.ndarray | float:
    """The distributional weight of a group: ``(reference_income / income) ** elasticity``.

    Parameters
    ----------
    income : float or array
        The group's income (pounds a year, equivalised; the same basis as the reference).
    reference_income : float
        The reference income, usually the median (weight 1).
    elasticity : float
        Elasticity of the marginal utility of income (the Green Book's is 1.3).

    Examples
    --------
    >>> round(float(income_weight(15000, 30000, 1.3)), 6)   # 2 ** 1.3
    2.462289
    >>> float(income_weight(30000, 30000, 1.3))
    1.0
    """
    import numpy as np

    w = (float(reference_income) / np.asarray(income, dtype=float)) ** float(elasticity)
    return float(w) if np.ndim(w) == 0 else w


def weighted_present_value(present_values: ArrayLike, weights: ArrayLike) -> float:
    """The sum of present values each times its weight (pounds at the price base).

    >>> weighted_present_value([100.0, 50.0], [2.0, 1.0])
    250.0
    """
    import numpy as np

    return float(np.dot(np.asarray(present_values, dtype=float), np.asarray(weights, dtype=float)))
