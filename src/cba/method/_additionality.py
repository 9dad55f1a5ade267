"""Outcome arithmetic of the GM method: net successes and benefit-years.

Pure vectorised functions. Leading axes are broadcast, so the same code serves one
deterministic appraisal and many Monte Carlo draws (``(draws, outcomes, ...)``).

References
----------
.. [1] HM Treasury, New Economy, Public Service Transformation Network (2014),
   "Supporting public service transformation: cost benefit analysis guidance for
   local partnerships", sections on engagement, success and deadweight.
.. [2] English Partnerships (2008), "Additionality Guide", 3rd ed. (displacement,
   leakage, substitution).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, overload

import numpy as np

from cba.core._errors import CBAError
from cba.core._numbers import numbers, whole
from cba.method._discounting import MAX_YEARS

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

#: The additionality rates that each remove a share of successes.
ADDITIONALITY_RATES = ("deadweight", "displacement", "leakage", "substitution", "attribution")


@overload
def net_success_rate(engagement: np.ndarray, success: ArrayLike, deadweight: ArrayLike = ...,
                     displacement: ArrayLike = ..., leakage: ArrayLike = ..., substitution: ArrayLike = ...,
                     attribution: ArrayLike = ...) -> np.ndarray: ...
@overload
def net_success_rate(engagement: ArrayLike, success: ArrayLike, deadweight: ArrayLike = ...,
                     displacement: ArrayLike = ..., leakage: ArrayLike = ..., substitution: ArrayLike = ...,
                     attribution: ArrayLike = ...) -> np.ndarray | float: ...


def net_success_rate(engagement: ArrayLike, success: ArrayLike, deadweight: ArrayLike = 0.0,
                     displacement: ArrayLike = 0.0, leakage: ArrayLike = 0.0, substitution: ArrayLike = 0.0,
                     attribution: ArrayLike = 0.0) -> np.ndarray | float:
    """Share of the cohort that achieves the outcome because of the intervention.

    ``engagement * success * (1-deadweight) * (1-displacement) * (1-leakage)
    * (1-substitution) * (1-attribution)``; every argument is a fraction in [0, 1].

    >>> round(float(net_success_rate(0.8, 0.5, deadweight=0.2)), 12)
    0.32
    """
    rates = {"engagement": engagement, "success": success, "deadweight": deadweight, "displacement": displacement,
             "leakage": leakage, "substitution": substitution, "attribution": attribution}
    checked = [numbers(x, f"net_success_rate: {name}") for name, x in rates.items()]
    try:
        return unchecked_net_success_rate(*checked)
    except ValueError:
        raise CBAError("net_success_rate: the arrays' shapes do not match") from None


@overload
def unchecked_net_success_rate(engagement: np.ndarray, success: ArrayLike, deadweight: ArrayLike = ...,
                               displacement: ArrayLike = ..., leakage: ArrayLike = ..., substitution: ArrayLike = ...,
                               attribution: ArrayLike = ...) -> np.ndarray: ...
@overload
def unchecked_net_success_rate(engagement: ArrayLike, success: ArrayLike, deadweight: ArrayLike = ...,
                               displacement: ArrayLike = ..., leakage: ArrayLike = ..., substitution: ArrayLike = ...,
                               attribution: ArrayLike = ...) -> np.ndarray | float: ...


def unchecked_net_success_rate(engagement: ArrayLike, success: ArrayLike, deadweight: ArrayLike = 0.0,
                               displacement: ArrayLike = 0.0, leakage: ArrayLike = 0.0,
                               substitution: ArrayLike = 0.0, attribution: ArrayLike = 0.0) -> np.ndarray | float:
    """:func:`net_success_rate` without the checks of its arguments, for the engine, whose
    arrays are checked once when a model is read and whose overflows its own checks name."""
    e, s = np.asarray(engagement, float), np.asarray(success, float)
    keep = [1.0 - np.asarray(x, float) for x in (deadweight, displacement, leakage, substitution, attribution)]
    out = e * s
    for k in keep:
        out = out * k
    return out[()] if out.ndim == 0 else out


def benefit_kernel(horizon: int, lag: ArrayLike, duration: ArrayLike, drop_off: ArrayLike) -> np.ndarray:
    """Weight of an intake year's successes in each year of the horizon.

    ``K[..., c, t] = (1 - drop_off) ** k`` for ``k = t - c - lag`` with
    ``0 <= k < duration``, else 0 (benefits after the horizon are not counted).

    Parameters
    ----------
    horizon : int
        Years ``H``.
    lag, duration : array_like of int
        Whole years from intake to first benefit; years each success lasts.
    drop_off : array_like of float
        Share of the benefit lost each year after the first benefit year.

    Returns
    -------
    numpy.ndarray
        Shape ``broadcast(lag, duration, drop_off).shape + (H, H)``; axis ``-2`` is the
        intake year ``c``, axis ``-1`` the benefit year ``t``.

    Examples
    --------
    >>> benefit_kernel(4, 1, 3, 0.1)[0]
    array([0.  , 1.  , 0.9 , 0.81])
    """
    horizon = whole(horizon, "benefit_kernel: horizon", maximum=MAX_YEARS)
    for name, years in (("lag", lag), ("duration", duration)):
        if (numbers(years, f"benefit_kernel: {name}") < 0).any():
            raise CBAError(f"benefit_kernel: {name}: expected years, 0 or more")
    lost = numbers(drop_off, "benefit_kernel: drop_off")
    if ((lost < 0) | (lost > 1)).any():
        raise CBAError("benefit_kernel: drop_off must be a share between 0 and 1")
    try:
        return unchecked_benefit_kernel(horizon, lag, duration, lost)
    except ValueError:
        raise CBAError("benefit_kernel: the shapes of lag, duration and drop_off do not match") from None


def unchecked_benefit_kernel(horizon: int, lag: ArrayLike, duration: ArrayLike, drop_off: ArrayLike) -> np.ndarray:
    """:func:`benefit_kernel` without the checks of its arguments, for the engine."""
    lag = np.asarray(lag)[..., None, None]
    duration = np.asarray(duration)[..., None, None]
    retain = 1.0 - np.asarray(drop_off, dtype=float)[..., None, None]
    c = np.arange(horizon)[:, None]
    t = np.arange(horizon)[None, :]
    k = t - c - lag
    inside = (k >= 0) & (k < duration)
    # powers with a clipped exponent: k < 0 cells are masked out anyway
    return np.where(inside, retain ** np.clip(k, 0, None), 0.0)


def benefit_years(net_successes: ArrayLike, kernel: ArrayLike) -> np.ndarray:
    """Benefit-years counted in each year: ``B[t] = sum_c S[c] * K[c, t]``.

    Parameters
    ----------
    net_successes : array_like
        Net successes by intake year, shape ``(..., H)``.
    kernel : array_like
        From :func:`benefit_kernel`, shape ``(..., H, H)``.

    Examples
    --------
    >>> benefit_years([32.0, 0, 0, 0], benefit_kernel(4, 1, 3, 0.1)).round(6)
    array([ 0.  , 32.  , 28.8 , 25.92])
    """
    s, k = numbers(net_successes, "benefit_years: net_successes"), numbers(kernel, "benefit_years: kernel")
    if s.ndim == 0 or k.ndim < 2:
        raise CBAError("benefit_years: expected net successes by year and a kernel of intake year by year")
    try:
        return unchecked_benefit_years(s, k)
    except ValueError:
        raise CBAError(f"benefit_years: net successes of shape {s.shape} do not match a kernel of shape "
                       f"{k.shape}") from None


def unchecked_benefit_years(net_successes: ArrayLike, kernel: ArrayLike) -> np.ndarray:
    """:func:`benefit_years` without the checks of its arguments, for the engine."""
    s = np.asarray(net_successes, dtype=float)
    return np.matmul(s[..., None, :], kernel)[..., 0, :]


def unchecked_benefit_years_by_offset(successes, lag, duration, drop_off) -> np.ndarray:
    """:func:`benefit_years` when every draw has its own timing (no checks: the engine's).

    The benefit kernel is Toeplitz: the weight of intake year ``c`` in year ``t``
    depends only on the offset ``j = t - c``, ``w[j] = (1 - drop_off) ** (j - lag)``
    for ``lag <= j < lag + duration``, else 0. So ``B[t] = sum_j w[j] * S[t - j]``
    is summed over the ``H`` offsets, each step one vectorised operation over all
    draws and outcomes (the years axis first, so each step works on contiguous
    memory), and the ``(D, O, H, H)`` kernel is never built: memory stays
    ``O(D * O * H)``.

    The powers of ``1 - drop_off`` are built by repeated multiplication (each step
    exactly rounded), not by ``**``: numpy's power takes different code paths
    (vectorised or not, shortcuts for some exponents) depending on the layout of
    its arguments, so a draw's numbers would depend on the other draws of its call.
    They may differ from :func:`benefit_kernel`'s in the last
    bits.

    Parameters
    ----------
    successes : numpy.ndarray
        ``(D, O, H)`` net successes by intake year.
    lag, duration : numpy.ndarray of int
        Broadcastable to ``(D, O)``.
    drop_off : numpy.ndarray
        Broadcastable to ``(D, O)``.

    Returns
    -------
    numpy.ndarray
        ``(D, O, H)`` benefit-years, C-contiguous.
    """
    s = np.asarray(successes, dtype=float)
    lag, duration = np.asarray(lag), np.asarray(duration)
    retain = 1.0 - np.asarray(drop_off, dtype=float)
    H = s.shape[-1]
    shape = np.broadcast_shapes(lag.shape, duration.shape, retain.shape)
    powers = np.empty((H, *retain.shape))                        # retain ** k, k = 0 .. H-1
    if H:
        powers[0] = 1.0
    for k in range(1, H):
        np.multiply(powers[k - 1], retain, out=powers[k])
    j = np.arange(H).reshape((H,) + (1,) * len(shape))
    since = np.broadcast_to(j - lag, (H, *shape))                # years since first benefit
    inside = (since >= 0) & (since < duration)
    picked = np.take_along_axis(np.broadcast_to(powers, (H, *shape)), np.clip(since, 0, max(H - 1, 0)), axis=0)
    weights = np.where(inside, picked, 0.0)                       # (H, ..., O)
    shape = np.broadcast_shapes(s.shape[:-1], weights.shape[1:])
    by_year = np.ascontiguousarray(np.moveaxis(np.broadcast_to(s, (*shape, H)), -1, 0))  # (H, D, O)
    out = by_year * weights[0]
    for offset in range(1, H):  # H steps, each over every draw and outcome at once
        out[offset:] += by_year[:H - offset] * weights[offset]
    return np.ascontiguousarray(np.moveaxis(out, 0, -1))
