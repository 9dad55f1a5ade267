"""Array helpers of the deal's arithmetic: sums by partner, and rows picked in a fixed layout.

Each adds the same terms in the same order whatever the draws: a deal's figures do not
depend on how many draws are worked out at once.
"""

from __future__ import annotations

import numpy as np


def sum_by(select: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``(D, P, H)`` sums of the rows of ``x`` ``(D, K, H)`` that ``select`` ``(K, P)`` (zeros and ones)
    assigns to each column: a matrix product, as the selected terms are added in row order
    either way (an einsum gave the same numbers, ten times slower)."""
    return np.matmul(select.T, x)


def same_every_draw(x: np.ndarray) -> bool:
    """Whether ``x`` ``(D, ...)`` is one draw's numbers broadcast over several (a read-only view),
    so that working on its first row gives every row."""
    return x.shape[0] > 1 and x.strides[0] == 0


def by_line(costs: np.ndarray, share: np.ndarray) -> np.ndarray:
    """``(D, P, H)`` what each partner pays of the cost lines ``(D, L, H)`` at ``share`` ``(L, P)``;
    worked out once when every draw has the same costs (a read-only broadcast then)."""
    if same_every_draw(costs):
        one = np.einsum("dlh,lp->dph", costs[:1], share)
        return np.broadcast_to(one, (costs.shape[0], *one.shape[1:]))
    return np.einsum("dlh,lp->dph", costs, share)


def pick_rows(x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """A copy of ``x[:, rows, :]`` (``x`` is ``(D|1, K|1, H|1)``), made by ``take``, which is
    faster, in the layout that indexing gives (rows outermost); one row stands for all."""
    if x.shape[1] == 1 or x.strides[1] == 0:   # the same for every component: broadcast
        return x[:, :1]
    return np.take(x.transpose(1, 0, 2), rows, axis=0).transpose(1, 0, 2)


def one_hot(index: np.ndarray, n: int) -> np.ndarray:
    """``(len(index), n)`` with a 1 at each row's index (rows of ``-1`` all zero)."""
    m = np.zeros((len(index), n))
    ok = index >= 0
    m[np.nonzero(ok)[0], index[ok]] = 1.0
    return m

__all__ = ["by_line", "one_hot", "pick_rows", "same_every_draw", "sum_by"]
