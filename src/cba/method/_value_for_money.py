"""Value-for-money categories: which band a benefit-cost ratio falls in.

A department's value-for-money framework names bands of the benefit-cost ratio (DfT's:
poor, low, medium, high, very high). :func:`value_for_money` places ratios in
bands; the bands themselves are a model setting (:mod:`cba.model._value_for_money`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import numpy as np

from cba.core._arguments import kind_of
from cba.core._errors import CBAError
from cba.core._numbers import numbers


@overload
def value_for_money(ratio_value: float | None, names: Sequence[str], edges: Sequence[float]) -> str | None: ...
@overload
def value_for_money(ratio_value: np.ndarray | Sequence[float], names: Sequence[str],
                    edges: Sequence[float]) -> np.ndarray: ...


def value_for_money(ratio_value: float | np.ndarray | Sequence[float] | None, names: Sequence[str],
                    edges: Sequence[float]) -> str | np.ndarray | None:
    """The value for money category of a benefit-cost ratio.

    Band ``i`` runs from ``edges[i-1]`` (inclusive) up to ``edges[i]``; the first
    band has no lower bound and the last no upper bound. A ratio that is none
    (NaN or None: no costs) has no category.

    Parameters
    ----------
    ratio_value : float, None or array_like
        Benefit-cost ratio(s).
    names : sequence of str
        Band names, lowest first (one more than ``edges``).
    edges : sequence of float
        Increasing lower edges of the second and later bands.

    Returns
    -------
    str or None, or numpy.ndarray of object for an array

    Examples
    --------
    DfT's categories (Value for Money Framework): poor below 1, low from 1, medium
    from 1.5, high from 2, very high from 4.

    >>> names, edges = ["poor", "low", "medium", "high", "very high"], [1.0, 1.5, 2.0, 4.0]
    >>> [value_for_money(x, names, edges) for x in (0.99, 1.0, 1.5, 2.0, 3.99, 4.0, None)]
    ['poor', 'low', 'medium', 'high', 'high', 'very high', None]
    """
    if isinstance(names, str) or not isinstance(names, Sequence) or not all(isinstance(n, str) for n in names):
        raise CBAError(f"value_for_money: names: expected a list of band names, got {kind_of(names)}")
    lower = numbers(edges, "value_for_money: edges")
    if lower.ndim != 1 or len(names) != len(lower) + 1:
        raise CBAError("value_for_money: one more band name than band edges is needed")
    if (np.diff(lower) <= 0).any():
        raise CBAError("value_for_money: edges must increase")
    ratios = numbers(np.nan if ratio_value is None else ratio_value, "value_for_money: ratio_value", missing=True)
    scalar = ratios.ndim == 0
    r = np.atleast_1d(ratios)
    idx = np.searchsorted(lower, r, side="right")
    out = np.array([None if np.isnan(x) else names[i] for x, i in zip(r, idx)], dtype=object)
    return out[0] if scalar else out
