"""Segment sums and where each value component lands in the totals.

:func:`segment_sum` adds the members of each group (linear in memory and time: no
one-hot matrix); :class:`_Columns` and :func:`_columns` lay out the columns of the
totals by agency and value type that a component's value is added into. Both serve
the fast paths for many draws (:func:`cba.engine._evaluate.evaluate_totals` and
:mod:`cba.engine._profiles`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cba.engine._compiled import ECONOMIC, FISCAL, SOCIAL, CompiledModel


def segment_sum(x: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """Sums over the last axis by group: ``out[..., g] = sum(x[..., i] for group[i] == g)``.

    The members of each group are added in their order (``numpy.add.reduceat``
    over the members sorted by group), each group on its own; members of group
    ``-1`` are left out and a group with no member sums to 0. The result for each
    leading index depends only on its own values, not on how many others share
    the call. Memory and time are linear in ``x``: no one-hot matrix.

    Parameters
    ----------
    x : numpy.ndarray
        ``(..., N)``.
    group : numpy.ndarray of int
        ``(N,)`` group of each member, ``-1`` for none.
    n : int
        Number of groups.

    Returns
    -------
    numpy.ndarray
        ``(..., n)``.

    Examples
    --------
    >>> segment_sum(np.array([[1.0, 2.0, 4.0, 8.0]]), np.array([1, -1, 1, 0]), 3)
    array([[8., 5., 0.]])
    """
    group = np.asarray(group, dtype=int).reshape(-1)
    x = np.asarray(x)
    out = np.zeros((*x.shape[:-1], n))
    keep = np.flatnonzero(group >= 0)
    if len(keep):
        order = keep[np.argsort(group[keep], kind="stable")]
        g = group[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        out[..., g[starts]] = np.add.reduceat(x[..., order], starts, axis=-1)
    return out


@dataclass(frozen=True)
class _Columns:
    """Where each component's value lands in the totals: one entry per (component,
    column), the column's value being the component's amount (times its cashable
    share for the cashable columns).

    Columns: fiscal, cashable and transfer by agency (``3A``), economic, social;
    then, only for models that use them, the health parts of economic and social
    (2) and cost reduction and avoidance by agency (``2A``).
    """

    component: np.ndarray
    column: np.ndarray
    cashable: np.ndarray
    n: int
    health: bool
    classed: bool

    def pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct (row, column) pairs of the entries when component ``k`` is on
        row ``rows[k]``: each pair's row and column, and each entry's pair."""
        key = rows[self.component] * self.n + self.column
        uniq, pair = np.unique(key, return_inverse=True)
        return uniq // self.n, uniq % self.n, pair.reshape(-1)


def _columns(model: CompiledModel, include_cashable: bool = True, health_columns: bool = True) -> _Columns:
    """The entries of :class:`_Columns` (cashable columns left out when a share varies by
    year; health columns left out on request, for present values already discounted
    on the health schedule). Within each column, components keep their order."""
    A = len(model.agencies)
    t, ag = model.component_type, model.component_agency
    fiscal = np.flatnonzero(t == FISCAL)
    fiscal = fiscal[np.argsort(ag[fiscal], kind="stable")]      # by agency: the entries come sorted by column
    economic, social = np.flatnonzero(t == ECONOMIC), np.flatnonzero(t == SOCIAL)
    transfer = fiscal[model.component_transfer[fiscal]]
    parts = [(fiscal, ag[fiscal], False)]
    if include_cashable:
        parts.append((fiscal, A + ag[fiscal], True))
    parts += [(transfer, 2 * A + ag[transfer], False), (economic, np.full(len(economic), 3 * A), False),
              (social, np.full(len(social), 3 * A + 1), False)]
    n = 3 * A + 2
    health = model.health
    if health_columns and health.any():
        eh, sh = economic[health[economic]], social[health[social]]
        parts += [(eh, np.full(len(eh), n), False), (sh, np.full(len(sh), n + 1), False)]
        n += 2
    saving = model.component_saving
    classed = saving is not None and bool(saving.any())
    if classed and saving is not None:
        red, avo = fiscal[saving[fiscal] == 1], fiscal[saving[fiscal] == 2]
        parts += [(red, n + ag[red], False), (avo, n + A + ag[avo], False)]
        n += 2 * A
    return _Columns(
        component=np.concatenate([p[0] for p in parts]).astype(int),
        column=np.concatenate([np.asarray(p[1]) for p in parts]).astype(int),
        cashable=np.concatenate([np.full(len(p[0]), p[2]) for p in parts]).astype(bool),
        n=n, health=health_columns and bool(health.any()), classed=classed,
    )
