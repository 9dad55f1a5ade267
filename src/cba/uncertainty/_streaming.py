"""The streaming summary: the summary of a Monte Carlo run too large to hold.

A run whose table of metric values (8 bytes per metric per draw) would exceed
``memory=`` of :func:`cba.uncertainty._montecarlo` is summarised in passes over
the draws instead, each recomputing them from the seed; the memory needed does
not grow with the number of draws. :func:`_stream_summary` plans each pass and
reads its results; the caller runs the draws (``run_pass``: the chunks on local
threads or on Dask, each reduced by ``cba.uncertainty._montecarlo._pass_task``).
Exact counts, sums and order statistics (:mod:`cba.uncertainty._summary`) make the
table the same as :func:`cba.uncertainty._summary.summarise` gives, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cba.uncertainty._summary import _floats, _frame, _keys, _needed_ranks, _Plan, _quiet

#: Bins of each histogram of the streaming summary.
BINS = 4096


@dataclass
class _Target:
    """Values of metric ``j`` with keys in ``klo .. khi`` hold order statistics ``ranks``;
    ``below`` values of the metric are smaller, ``count`` lie in the range."""

    j: int
    klo: int
    khi: int
    below: int
    count: int
    ranks: list[int]
    collect: int = -1                     # collected in a pass under this id, or
    slots: tuple[int, int] = (0, 0)       # counted in a histogram of these slots


def _pilot_starts(x: np.ndarray) -> np.ndarray:
    """The bins of a metric's first histogram (:data:`BINS` starts, keys), from its
    values in the first block: equal widths between their least and greatest, one
    bin below and one above (holding about 1 in 2,049 of the draws each), or bins of
    equal key ranges when the first block has fewer than two distinct finite values."""
    v = x[~np.isnan(x)] + 0.0
    if len(v) and np.isfinite(v).all() and v.min() < v.max() and np.isfinite(v.max() - v.min()):
        lo, hi = v.min(), v.max()
        edges = _keys(np.linspace(lo, hi, BINS - 2) + 0.0)
        starts = np.concatenate([np.zeros(1, np.uint64), edges, _keys(np.array([hi])) + np.uint64(1)])
        return np.maximum.accumulate(starts)
    # one bin per range of sign and exponent (a binade when BINS is 4,096)
    return np.arange(BINS, dtype=np.uint64) * np.uint64((1 << 64) // BINS)


def _locate(j: int, hist: np.ndarray, kmin: np.ndarray, kmax: np.ndarray, below: int,
            ranks: Sequence[int], order: dict[int, float]) -> list[_Target]:
    """Which bins of a histogram hold order statistics ``ranks``: values known at once
    (a bin of one distinct value) go into ``order``; the others become targets."""
    cum = np.cumsum(hist)
    groups: dict[int, list[int]] = {}
    for r in ranks:
        b = int(np.searchsorted(cum, r - below, side="right"))
        groups.setdefault(b, []).append(r)
    out = []
    for b, rs in groups.items():
        lo, hi = int(kmin[b]), int(kmax[b])
        if lo == hi:
            value = float(_floats(np.array([lo], dtype=np.uint64))[0])
            for r in rs:
                order[r] = value
        else:
            out.append(_Target(j, lo, hi, below + int(cum[b] - hist[b]), int(hist[b]), rs))
    return out


def _target_plan(m: int, draws: int, targets: list[_Target], memory: int, mean) -> _Plan:
    """A pass that collects the values of each target small enough to fit (together in
    ``memory`` bytes) and counts the others in a finer histogram of their range."""
    limit = memory // 8 // max(1, len(targets))
    by_metric: dict[int, list[_Target]] = {}
    for t in targets:
        by_metric.setdefault(t.j, []).append(t)
    layouts, n_slots, n_collect = [], 0, 0
    for j, ts in by_metric.items():
        starts, slot, collect = [0], [-1], [-1]
        for t in sorted(ts, key=lambda t: t.klo):
            if t.count <= limit:
                t.collect, n_collect = n_collect, n_collect + 1
                starts.append(t.klo)
                slot.append(-1)
                collect.append(t.collect)
            else:
                span = t.khi - t.klo + 1
                nb = min(BINS, span, max(64, t.count))     # no more bins than values, roughly
                starts += [t.klo + span * i // nb for i in range(nb)]
                slot += range(n_slots, n_slots + nb)
                collect += [-1] * nb
                t.collect, t.slots, n_slots = -1, (n_slots, nb), n_slots + nb
            starts.append(t.khi + 1)          # values after the target: ignored
            slot.append(-1)
            collect.append(-1)
        layouts.append((j, np.array(starts, dtype=np.uint64), np.array(slot, dtype=np.int64),
                        np.array(collect, dtype=np.int64)))
    return _Plan(m, draws, mean=mean, layouts=layouts, n_slots=n_slots, n_collect=n_collect)


def _stream_summary(run_pass, pilot: np.ndarray, names: Sequence[str], base, thresholds,
                    quantiles: Sequence[float], draws: int, memory: int) -> tuple[pd.DataFrame, int]:
    """The summary of :func:`~cba.uncertainty._summary.summarise` without holding every
    draw: passes over the draws.

    ``run_pass(plan)`` runs every draw through the engine and returns the merged
    :class:`~cba.uncertainty._summary._Accumulator`; ``pilot`` is the metric values
    of the first block.

    1. Counts, exact sums for the mean, least and greatest values, threshold counts,
       and a histogram of each metric (bins from the first block, with the least and
       greatest key in each bin).
    2. The squared deviations from the mean, and, for each bin holding an order
       statistic a quantile needs, its values if they fit in ``memory`` (the order
       statistic is then picked exactly), else a finer histogram of the bin's range
       (repeated in further passes until the values fit, or the bin holds one value).

    Returns the table and the number of passes.
    """
    with _quiet():
        return _stream(run_pass, pilot, names, base, thresholds, quantiles, draws, memory)


def _stream(run_pass, pilot, names, base, thresholds, quantiles, draws, memory) -> tuple[pd.DataFrame, int]:
    M = len(names)
    thr = [(j, thresholds[n]) for j, n in enumerate(names) if n in thresholds]
    layouts = []
    if len(quantiles):
        layouts = [(j, _pilot_starts(pilot[:, j]), np.arange(j * BINS, (j + 1) * BINS, dtype=np.int64), None)
                   for j in range(M)]
    first = run_pass(_Plan(M, draws, moments=True, thresholds=thr, layouts=layouts, n_slots=BINS * len(layouts)))
    passes = 1
    count = first.count
    order: dict[int, dict[int, float]] = {j: {} for j in range(M)}
    targets: list[_Target] = []
    for j, ranks in _needed_ranks(count, quantiles).items():
        n, rest = int(count[j]), []
        for r in ranks:
            if r == 0 or first.low[j] == first.high[j]:
                order[j][r] = float(first.low[j])
            elif r == n - 1:
                order[j][r] = float(first.high[j])
            else:
                rest.append(r)
        if rest:
            s = slice(j * BINS, (j + 1) * BINS)
            targets += _locate(j, first.hist[s], first.kmin[s], first.kmax[s], 0, rest, order[j])
    mean = first.sums.divide(count) if (count > 1).any() else None
    squares = None
    while targets or mean is not None:
        plan = _target_plan(M, draws, targets, memory, mean)
        acc = run_pass(plan)
        passes += 1
        if mean is not None:
            squares, mean = acc.squares, None
        found = []
        for t in targets:
            if t.collect >= 0:
                pieces = acc.collected.pop(t.collect, [])
                vals = pieces[0] if len(pieces) == 1 else np.concatenate(pieces or [np.empty(0, np.uint64)])
                del pieces
                if len(vals) != t.count:  # pragma: no cover - would be a bug
                    raise RuntimeError(f"{names[t.j]}: a pass over the draws found {len(vals)} values where an "
                                       f"earlier one counted {t.count}; the draws were not reproduced")
                picks = [r - t.below for r in t.ranks]
                vals.partition(picks)
                for r, i in zip(t.ranks, picks):
                    order[t.j][r] = float(_floats(vals[i:i + 1])[0])
            else:
                s = slice(t.slots[0], t.slots[0] + t.slots[1])
                found += _locate(t.j, acc.hist[s], acc.kmin[s], acc.kmax[s], t.below, t.ranks, order[t.j])
        targets = found
    return _frame(names, base, thresholds, quantiles, draws, first, squares, order), passes
