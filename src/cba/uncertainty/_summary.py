"""Summary statistics of Monte Carlo draws: mean, spread, quantiles, chances.

:func:`summarise` turns every draw's metric values into the summary table of
:func:`cba.uncertainty._montecarlo` (one row per metric). The same table is made
in one of two ways: from the table of every draw's metrics held in memory
(:func:`summarise`), or, when that table would not fit in ``memory=``, by
streaming passes over the draws, which are recomputed from the seed on each pass
(:mod:`cba.uncertainty._streaming`). Both use the pieces here (a pass's
:class:`_Plan`, its :class:`_Accumulator`, exact sums, order-preserving keys)
and compute every statistic by the same deterministic rules, so they agree bit
for bit:

- a negative zero counts as zero (``x + 0.0``), so that the smallest value and the
  order statistics do not depend on the order in which equal values are met;
- the mean and the standard deviation add the values of each fixed block of
  :data:`~cba.uncertainty._sampling.BLOCK` draws with NumPy's pairwise summation,
  and add those block sums exactly (Python integers), rounding only once;
- counts, the smallest and largest value and the order statistics are exact, so
  they do not depend on the order of the draws;
- quantiles interpolate between order statistics exactly as ``numpy.quantile``
  (its default, linear, method) does.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

import cba.uncertainty._core as core
from cba.core._errors import CBAError
from cba.uncertainty._sampling import BLOCK

#: Quantiles reported by default.
DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

_SIGN = np.uint64(1 << 63)
_UNIT = 1074                      # every float64 is a whole multiple of 2 ** -1074
_NO_KEY = np.iinfo(np.uint64).max


def _quiet():
    """Infinite or undefined sums (only from infinite metric values) are results, not errors."""
    return np.errstate(invalid="ignore", over="ignore")


def _keys(x) -> np.ndarray:
    """Order-preserving unsigned integer keys of float64 values, for exact binning.

    ``a < b`` exactly when ``key(a) < key(b)``, for any values but NaN; the keys of
    consecutive floats are consecutive integers.

    >>> k = _keys(np.array([-np.inf, -2.0, -1e-300, 0.0, 5e-324, 3.0, np.inf]))
    >>> bool(np.all(k[1:] > k[:-1])), int(k[4] - k[3])
    (True, 1)
    >>> _floats(k)
    array([ -inf, -2.e+000, -1.e-300,  0.e+000, 4.9e-324,  3.e+000,   inf])
    """
    bits = np.ascontiguousarray(x, dtype=np.float64).view(np.uint64)
    return np.where(bits >= _SIGN, ~bits, bits | _SIGN)


def _floats(keys) -> np.ndarray:
    """The float64 values of :func:`_keys`."""
    k = np.asarray(keys, dtype=np.uint64)
    return np.ascontiguousarray(np.where(k >= _SIGN, k ^ _SIGN, ~k)).view(np.float64)


class _ExactSum:
    """Per-metric sums of float64 numbers, added exactly.

    Each number is held as a whole multiple of ``2 ** -1074`` (a Python integer), so
    the total does not depend on the order of the additions; it is rounded to float64
    once, when divided by a count (Python's integer division is correctly rounded).
    Infinite or NaN terms have no exact value: they are added as floats, apart.

    >>> s = _ExactSum(1)
    >>> for x in (1e16, 1.0, -1e16, 1.0):
    ...     s.add(np.array([x]))
    >>> s.divide(np.array([4]))          # exactly (1 + 1) / 4; float addition gives 0.25
    array([0.5])
    """

    def __init__(self, m: int):
        self.total = [0] * m
        self.special = np.zeros(m)

    def add(self, sums: np.ndarray, values: np.ndarray | None = None, squared: bool = False) -> None:
        """Add one block's column sums; where a sum overflowed but the block's ``values``
        (``(n, M)``) in that column are all finite, add those values one by one instead, so
        that a mean of huge finite draws is their exact mean, not infinity. With ``squared``
        the sums are of the squares of ``values`` (deviations beyond 1e154 square to infinity
        as floats, not as Python integers)."""
        total = self.total
        for j, s in enumerate(sums.tolist()):
            if not math.isfinite(s) and values is not None and np.isfinite(values[:, j]).all():
                for v in values[:, j].tolist():
                    num, den = v.as_integer_ratio()
                    if squared:     # num**2 / den**2, den a power of two: exact, below 2 ** -1074 dropped
                        shift = _UNIT - 2 * (den.bit_length() - 1)
                        total[j] += (num * num) << shift if shift >= 0 else (num * num) >> -shift
                    else:
                        total[j] += num << (_UNIT + 1 - den.bit_length())
            elif math.isfinite(s):
                num, den = s.as_integer_ratio()          # den is a power of two
                total[j] += num << (_UNIT + 1 - den.bit_length())
            else:
                self.special[j] += s

    def merge(self, other: _ExactSum) -> None:
        self.total = [a + b for a, b in zip(self.total, other.total)]
        self.special += other.special

    def divide(self, counts: np.ndarray) -> np.ndarray:
        """Each total divided by a count, rounded once (NaN for a count of 0)."""
        out = np.full(len(self.total), np.nan)
        for j, (t, c) in enumerate(zip(self.total, np.asarray(counts).tolist())):
            if c <= 0:
                continue
            if self.special[j] != 0:                     # an infinite or NaN term
                out[j] = self.special[j]
                continue
            try:
                out[j] = t / (c << _UNIT)
            except OverflowError:  # sums beyond 1.8e308 (a mean square of huge deviations)
                out[j] = math.inf if t > 0 else -math.inf
        return out

    def root(self, counts: np.ndarray) -> np.ndarray:
        """``sqrt(total / count)``: as :meth:`divide` then a square root, or, where the mean
        square is beyond the largest float but its root is not, the root of the exact integer
        (a standard deviation of 1e200 from squares of 1e400)."""
        out = np.sqrt(self.divide(counts))
        for j, (t, c) in enumerate(zip(self.total, np.asarray(counts).tolist())):
            if c > 0 and self.special[j] == 0 and math.isinf(out[j]) and t > 0:
                with contextlib.suppress(OverflowError):  # else a root beyond 1.8e308: infinite
                    out[j] = math.isqrt((t << _UNIT) // c) / (1 << _UNIT)
        return out


def _column_sums(z: np.ndarray) -> np.ndarray:
    """Column sums of one block of draws, ``(n, M) -> (M,)``, each by NumPy's pairwise
    summation over a contiguous copy (so the result depends only on the numbers)."""
    return np.ascontiguousarray(z.T).sum(axis=1)


def _quantile_points(n: int, quantiles: Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The order statistics and weights of ``numpy.quantile`` (linear method) of ``n`` values.

    Returns the 0-based ranks ``lower`` and ``upper`` in the sorted values and the
    weight ``gamma``, computed as NumPy computes them (including its conventions at
    the ends), so that :func:`_interpolate` reproduces ``numpy.quantile`` bit for bit.

    >>> lower, upper, gamma = _quantile_points(5, [0.0, 0.3, 1.0])
    >>> lower.tolist(), upper.tolist(), gamma.tolist()
    ([0, 1, 4], [1, 2, 4], [0.0, 0.19999999999999996, 5.0])
    """
    q = np.asarray(quantiles, dtype=float)
    virtual = (n - 1) * q
    lower = np.floor(virtual)
    upper = lower + 1
    above = virtual >= n - 1
    lower[above] = -1
    upper[above] = -1
    below = virtual < 0
    lower[below] = 0
    upper[below] = 0
    lower, upper = lower.astype(np.intp), upper.astype(np.intp)
    gamma = np.asarray(virtual - lower, dtype=virtual.dtype)
    return lower % n, upper % n, gamma


def _interpolate(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``numpy.quantile``'s linear interpolation between order statistics ``a`` and ``b``."""
    diff = b - a
    return np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)


class _Plan:
    """What one pass over ``draws`` draws computes; the same for every chunk of the pass.

    ``moments``: counts of defined values, sums, smallest and largest values and the
    threshold counts. ``mean``: sums of squared deviations from it. ``layouts``: for
    some metrics ``(j, starts, slot, collect)``: the bins of their values' keys
    (``starts``, sorted, the first 0), each counted in a histogram slot, collected
    (values in a bin that holds a needed order statistic) or ignored (-1).
    """

    def __init__(self, m: int, draws: int, *, moments: bool = False, thresholds=(), mean=None, layouts=(),
                 n_slots: int = 0, n_collect: int = 0):
        self.m, self.draws, self.moments, self.thresholds, self.mean = m, draws, moments, list(thresholds), mean
        self.layouts, self.n_slots, self.n_collect = list(layouts), n_slots, n_collect


class _Accumulator:
    """The results of one pass over some draws; merged over chunks in any order."""

    def __init__(self, plan: _Plan):
        m = plan.m
        self.count = np.zeros(m, dtype=np.int64)
        self.low = np.full(m, np.nan)
        self.high = np.full(m, np.nan)
        self.beats = np.zeros(m, dtype=np.int64)
        self.sums = _ExactSum(m)
        self.squares = _ExactSum(m)
        self.hist = np.zeros(plan.n_slots, dtype=np.int64)
        self.kmin = np.full(plan.n_slots, _NO_KEY, dtype=np.uint64)
        self.kmax = np.zeros(plan.n_slots, dtype=np.uint64)
        self.collected: dict[int, list[np.ndarray]] = {}     # collect id -> keys of values
        self.pieces: dict[int, list[tuple[int, np.ndarray]]] = {}  # block -> (first draw, values)

    def add(self, plan: _Plan, x: np.ndarray) -> None:
        """Statistics that need no blocks, of draws ``x`` ``(n, M)`` (zeros made positive)."""
        if plan.moments:
            defined = ~np.isnan(x)
            self.count += defined.sum(axis=0)
            self.low = np.fmin(self.low, np.fmin.reduce(x, axis=0))
            self.high = np.fmax(self.high, np.fmax.reduce(x, axis=0))
            for j, t in plan.thresholds:
                self.beats[j] += int(np.count_nonzero(t.beats(x[:, j])))
        if plan.layouts:
            keys = _keys(x)
            defined = ~np.isnan(x)
            slots, skeys = [], []
            for j, starts, slot, collect in plan.layouts:
                k = keys[defined[:, j], j]
                b = np.searchsorted(starts, k, side="right") - 1
                s = slot[b]
                keep = s >= 0
                slots.append(s[keep])
                skeys.append(k[keep])
                if plan.n_collect:
                    c = collect[b]
                    keep = c >= 0
                    if keep.any():
                        c, k = c[keep], k[keep]
                        order = np.argsort(c, kind="stable")
                        c, k = c[order], k[order]
                        ids, first = np.unique(c, return_index=True)
                        for i, piece in zip(ids.tolist(), np.split(k, first[1:])):
                            self.collected.setdefault(i, []).append(piece)
            if plan.n_slots:
                s, k = np.concatenate(slots), np.concatenate(skeys)
                self.hist += np.bincount(s, minlength=plan.n_slots)
                np.minimum.at(self.kmin, s, k)
                np.maximum.at(self.kmax, s, k)

    def add_block(self, plan: _Plan, x: np.ndarray) -> None:
        """Sums over one whole block of draws ``x`` (zeros made positive)."""
        undefined = np.isnan(x)
        if plan.moments:
            defined = np.where(undefined, 0.0, x)
            self.sums.add(_column_sums(defined), defined)
        if plan.mean is not None:
            d = np.where(undefined, 0.0, x - plan.mean)
            self.squares.add(_column_sums(d * d), d, squared=True)

    def add_chunk(self, plan: _Plan, start: int, x: np.ndarray) -> None:
        """Draws ``start .. start+len(x)-1`` of the run (zeros made positive): every
        statistic; the sums of each whole block inside, and a copy of the pieces of
        blocks the chunk shares with others (:meth:`merge` joins them)."""
        self.add(plan, x)
        if not (plan.moments or plan.mean is not None):
            return
        stop = start + len(x)
        for b in range(start // BLOCK, (stop - 1) // BLOCK + 1):
            first, last = b * BLOCK, min((b + 1) * BLOCK, plan.draws)
            lo, hi = max(first, start), min(last, stop)
            if (lo, hi) == (first, last):
                self.add_block(plan, x[lo - start:hi - start])
            else:
                self.pieces.setdefault(b, []).append((lo, x[lo - start:hi - start].copy()))

    def merge(self, other: _Accumulator, plan: _Plan) -> None:
        """Add another chunk's results; a block whose pieces are now all in is summed."""
        self.count += other.count
        self.low = np.fmin(self.low, other.low)
        self.high = np.fmax(self.high, other.high)
        self.beats += other.beats
        self.sums.merge(other.sums)
        self.squares.merge(other.squares)
        self.hist += other.hist
        np.minimum(self.kmin, other.kmin, out=self.kmin)
        np.maximum(self.kmax, other.kmax, out=self.kmax)
        for i, pieces in other.collected.items():
            self.collected.setdefault(i, []).extend(pieces)
        for b, parts in other.pieces.items():
            mine = self.pieces.setdefault(b, [])
            mine += parts
            if sum(len(p) for _, p in mine) == min(BLOCK, plan.draws - b * BLOCK):
                mine.sort(key=lambda piece: piece[0])
                self.add_block(plan, np.concatenate([p for _, p in mine]))
                del self.pieces[b]

    def finish(self) -> _Accumulator:
        """Join each target's collected values into one array (a task's result, sent back)."""
        self.collected = {i: [np.concatenate(p)] if len(p) > 1 else p for i, p in self.collected.items()}
        return self



def _frame(names: Sequence[str], base, thresholds: Mapping[str, core.Threshold],
           quantiles: Sequence[float], draws: int, acc: _Accumulator, squares: _ExactSum | None,
           order: Mapping[int, Mapping[int, float]]) -> pd.DataFrame:
    """The summary table from the exact ingredients both ways of summarising compute."""
    M = len(names)
    count = acc.count
    qnames = [_qname(q) for q in quantiles]
    mean = acc.sums.divide(count)
    # the sample standard deviation; NaN with fewer than two values
    sd = squares.root(count - 1) if squares is not None else np.full(M, np.nan)
    qvals = np.full((len(quantiles), M), np.nan)
    for j in range(M):
        n = int(count[j])
        if n and len(quantiles):
            lower, upper, gamma = _quantile_points(n, quantiles)
            a = np.array([order[j][r] for r in lower.tolist()])
            b = np.array([order[j][r] for r in upper.tolist()])
            qvals[:, j] = _interpolate(a, b, gamma)
    frame = pd.DataFrame({"base": np.asarray(base, dtype=float), "mean": mean, "sd": sd, "min": acc.low,
                          **dict(zip(qnames, qvals)), "max": acc.high,
                          "undefined": [(draws - int(n)) / draws if draws else np.nan for n in count]},
                         index=pd.Index(list(names), name="metric"))
    frame["threshold"] = [str(thresholds[n]) if n in thresholds else None for n in names]
    frame["probability"] = [int(acc.beats[j]) / draws if n in thresholds and draws else np.nan
                            for j, n in enumerate(names)]
    return frame


def _needed_ranks(count: np.ndarray, quantiles: Sequence[float]) -> dict[int, list[int]]:
    """The order statistics (0-based ranks) each metric's quantiles need."""
    out = {}
    for j, n in enumerate(count.tolist()):
        if n and len(quantiles):
            lower, upper, _ = _quantile_points(n, quantiles)
            out[j] = sorted(set(lower.tolist()) | set(upper.tolist()))
    return out


def summarise(values: np.ndarray, names: Sequence[str], base: np.ndarray,
              thresholds: Mapping[str, core.Threshold],
              quantiles: Sequence[float] = DEFAULT_QUANTILES) -> pd.DataFrame:
    """Summary statistics of metric draws, one row per metric (NaN draws = none).

    Parameters
    ----------
    values : numpy.ndarray
        ``(D, M)`` metric values of draws ``0 .. D-1`` of a run, NaN where a result
        is none.
    names : sequence of str
        The ``M`` metric names.
    base : numpy.ndarray
        ``(M,)`` values with the model as given.
    thresholds : mapping of str to Threshold
    quantiles : sequence of float

    Returns
    -------
    pandas.DataFrame
        Index ``metric``; columns ``base``, ``mean``, ``sd`` (sample standard
        deviation), ``min``, one per quantile, ``max``, ``undefined``,
        ``threshold`` and ``probability``.

    Notes
    -----
    The mean adds the values of each block of
    :data:`~cba.uncertainty._sampling.BLOCK` draws by NumPy's pairwise summation,
    then adds the block sums exactly and rounds once; the standard deviation does
    the same with the squared deviations from the mean. Quantiles are NumPy's
    default (linear) quantiles; a negative zero counts as zero. The streaming
    summary of :func:`cba.uncertainty._montecarlo` follows the same rules and gives
    the same table, bit for bit.

    Examples
    --------
    >>> from cba.uncertainty._core import Threshold
    >>> v = np.array([[1.0, np.nan], [2.0, 5.0], [4.0, 7.0]])
    >>> s = summarise(v, ["a", "b"], np.array([2.0, 6.0]), {"a": Threshold("a", ">", 1.5)}, (0.5,))
    >>> s[["mean", "p50", "undefined", "probability"]]
                mean  p50  undefined  probability
    metric
    a       2.333333  2.0   0.000000     0.666667
    b       6.000000  6.0   0.333333          NaN
    """
    with _quiet():
        return _summarise(values, names, base, thresholds, quantiles)


def _summarise(values, names, base, thresholds, quantiles, workers: int = 1) -> pd.DataFrame:
    D, M = values.shape
    thr = [(j, thresholds[n]) for j, n in enumerate(names) if n in thresholds]
    plan = _Plan(M, D, moments=True, thresholds=thr)
    first = _Accumulator(plan)
    for a in range(0, D, BLOCK):
        first.add_chunk(plan, a, values[a:a + BLOCK] + 0.0)
    plan = _Plan(M, D, mean=first.sums.divide(first.count))
    second = _Accumulator(plan)
    for a in range(0, D, BLOCK):
        second.add_block(plan, values[a:a + BLOCK] + 0.0)

    def order_statistics(item: tuple[int, list[int]]) -> tuple[int, dict[int, float]]:
        j, ranks = item
        x = values[:, j]
        x = (x[~np.isnan(x)] if first.count[j] < D else x) + 0.0
        x.partition(ranks)
        return j, {r: float(x[r]) for r in ranks}

    needed = list(_needed_ranks(first.count, quantiles).items())
    if workers > 1 and len(needed) > 1 and D >= 50_000:   # numpy partitions without holding the GIL
        with ThreadPoolExecutor(max_workers=workers) as pool:
            order = dict(pool.map(order_statistics, needed))
    else:
        order = dict(map(order_statistics, needed))
    return _frame(names, base, thresholds, quantiles, D, first, second.squares, order)



def _qname(q: float) -> str:
    """Column name of a quantile: 0.05 -> ``p5``, 0.5 -> ``p50``, 0.025 -> ``p2_5``.

    >>> _qname(0.05), _qname(0.5), _qname(0.025)
    ('p5', 'p50', 'p2_5')
    """
    pct = round(q * 100, 6)
    return "p" + (f"{pct:g}".replace(".", "_"))


def _check_quantiles(quantiles) -> tuple[float, ...]:
    try:
        items = list(quantiles)
        if any(isinstance(q, bool) for q in items):  # hardening: true/false are not quantiles
            raise TypeError
        qs = tuple(float(q) for q in items)
    except (TypeError, ValueError):
        raise CBAError(f"quantiles: expected numbers between 0 and 1, got {quantiles!r}") from None
    if any(not 0.0 <= q <= 1.0 for q in qs):
        raise CBAError(f"quantiles: each must be between 0 and 1, got {list(qs)}")
    return qs

