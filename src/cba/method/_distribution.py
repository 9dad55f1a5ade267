"""Distributional weights and the weighted net present value (Green Book, Annex A3).

A pound of benefit is worth more to someone on a low income than to someone on a
high one. The Green Book weights a group's costs and benefits by
``(reference income / group income) ** e``, where ``e`` is the elasticity of the
marginal utility of income (1.3 in the Green Book 2022, Annex A3, paragraph A3.14),
and asks for the weighted figures beside the unweighted ones (paragraph A3.12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._errors import CBAError
from cba.core._numbers import number, numbers

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

    reference = number(reference_income, "income_weight: reference_income")
    if reference <= 0:
        raise CBAError(f"income_weight: reference_income must be above 0, got {reference:g}")
    incomes = numbers(income, "income_weight: income", above=0.0)
    with np.errstate(over="ignore"):
        w = (reference / incomes) ** number(elasticity, "income_weight: elasticity")
    if not np.isfinite(w).all():
        raise CBAError("income_weight: the weight is too large to compute (an income far below the reference, "
                       "or a large elasticity)")
    return float(w) if np.ndim(w) == 0 else w


def weighted_present_value(present_values: ArrayLike, weights: ArrayLike) -> float:
    """The sum of present values each times its weight (pounds at the price base).

    >>> weighted_present_value([100.0, 50.0], [2.0, 1.0])
    250.0
    """
    import numpy as np

    pv = numbers(present_values, "weighted_present_value: present_values")
    w = numbers(weights, "weighted_present_value: weights")
    if pv.shape != w.shape or pv.ndim != 1:
        raise CBAError(f"weighted_present_value: expected one weight for each present value, got {w.size} weights "
                       f"for {pv.size} present values")
    return float(np.dot(pv, w))
