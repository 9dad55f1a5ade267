"""Engine overrides from parameter values: the arrays an uncertainty analysis hands the engine.

:func:`build_overrides` turns values of many :class:`~cba.uncertainty._parameter.Parameter`
objects, one value per draw, into the ``overrides`` that :func:`cba.engine._evaluate.evaluate`,
:func:`cba.engine._evaluate.evaluate_totals` and :func:`cba.engine._profiles.present_values` take: each
engine array the parameters touch, with a leading draws axis, values written first and
multipliers applied after. A Monte Carlo run builds them in a thread's scratch arrays,
kept from chunk to chunk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import CBAError
from cba.engine._compiled import CompiledModel

if TYPE_CHECKING:  # parameters imports this module
    from cba.uncertainty._parameter import Parameter


def _base(model: CompiledModel, p: Parameter) -> np.ndarray:
    """Base values of a parameter's target: the engine's, or the deal's."""
    return p.base_array if p.base_array is not None else model.params[p.target]


def build_overrides(model: CompiledModel, parameters: Sequence[Parameter],
                    values: Mapping[str, Sequence[float] | np.ndarray], checked: bool = False,
                    buffers: dict | None = None, cost_scale: bool = False) -> dict[str, np.ndarray]:
    """Engine overrides from parameter values, one value per draw.

    Parameters
    ----------
    model : CompiledModel
    parameters : sequence of Parameter
        From :func:`resolve_many`.
    values : mapping of path to array_like
        ``(D,)`` values in the user's units for each parameter (``NaN`` keeps the
        model's value in that draw). Every array has the same length.
    checked : bool
        The values are known to be in range (grades are checked all the same).
    buffers : dict, optional
        Scratch arrays to build the overrides in, kept from call to call (a Monte
        Carlo run's chunks); the overrides are then views of them, valid until the
        next call with the same ``buffers``.
    cost_scale : bool
        When every parameter that moves costs multiplies whole cost lines
        (``costs``, ``costs[l].amounts``) and no line has two multipliers, give them
        as the engine's ``cost_scale`` ``(D, L)`` rather than as ``cost_real`` ``(D,
        L, H)``: the same numbers (the engine multiplies each line's base amounts by
        its multiplier, as :meth:`Parameter.write` would), a tenth of the memory.

    Returns
    -------
    dict of str to numpy.ndarray
        Engine arrays shaped ``(D,) + base shape``, only for the engine parameters
        touched.

    Raises
    ------
    CBAError
        For a value out of a parameter's range, naming the parameter.
    """
    out: dict[str, np.ndarray] = {}
    for p in parameters:
        if p.path not in values:
            raise CBAError(f"{p.path}: no values given")
        v = np.atleast_1d(values[p.path])
        # grades are always checked: a custom table may have gaps inside its range
        out[p.path] = np.asarray(v, dtype=float) if checked and p.grade_table is None else p.check(v)
    sizes = {len(v) for v in out.values()}
    if len(sizes) > 1:
        raise CBAError(f"parameter values disagree on the number of draws: {sorted(sizes)}")
    D = sizes.pop() if sizes else 1
    arrays: dict[str, np.ndarray] = {}
    if cost_scale and (lines := _line_multipliers(model, parameters)):
        scale = _buffer(buffers, "cost_scale", (D, model.n_costs), float)
        scale[...] = 1.0
        for p, ls in lines.items():
            v = out[p.path]
            scale[:, ls] = np.where(np.isnan(v), 1.0, v)[:, None]
        arrays["cost_scale"] = scale
        parameters = [p for p in parameters if p not in lines]
    # values first, then multipliers (so a multiplier scales what a value set)
    for p in sorted(parameters, key=lambda q: q.mode != "set"):
        if p.target not in arrays:
            base = _base(model, p)
            arrays[p.target] = _buffer(buffers, p.target, (D, *base.shape), base.dtype)
            arrays[p.target][...] = base
        p.write(arrays[p.target], out[p.path], model.horizon)
        if p.health_follows:   # the discount rate moves health values too (see Parameter.health_follows)
            base = model.params["health_discount_factors"]
            arrays["health_discount_factors"] = _buffer(buffers, "health_discount_factors", (D, *base.shape),
                                                        base.dtype)
            arrays["health_discount_factors"][...] = base
            p.write(arrays["health_discount_factors"], out[p.path], model.horizon)
    return arrays


def _buffer(buffers: dict | None, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
    """An array for an override: fresh, or the part of a kept one that is needed."""
    if buffers is None:
        return np.empty(shape, dtype)
    buf = buffers.get(("override", name))
    if buf is None or len(buf) < shape[0] or buf.shape[1:] != shape[1:] or buf.dtype != dtype:
        buf = buffers["override", name] = np.empty(shape, dtype)
    return buf[:shape[0]]


def _line_multipliers(model: CompiledModel, parameters: Sequence[Parameter]) -> dict[Parameter, np.ndarray]:
    """The cost lines each cost parameter multiplies, when every parameter that moves
    ``cost_real`` multiplies whole lines and no line has two (else empty)."""
    moving = [p for p in parameters if p.target == "cost_real"]
    if not moving or any(p.mode != "scale" or p.cells[1:] != (slice(None),) for p in moving):
        return {}
    lines = {p: np.arange(model.n_costs)[p.cells[0]].reshape(-1) for p in moving}
    every = np.concatenate(list(lines.values()))
    return lines if len(every) == len(np.unique(every)) else {}
