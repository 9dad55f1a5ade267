"""Monte Carlo (probabilistic sensitivity) analysis.

Every uncertain assumption gets a distribution; :func:`montecarlo` draws them
(reproducibly: see :mod:`cba.uncertainty.sampling`), runs each chunk of draws
through the vectorised engine at once, and summarises every metric and every
agency's position: mean, spread, quantiles, and the probability that each metric
beats its threshold (financial ROI above 1, net present public value above 0,
each agency's net above 0, or thresholds of your own).

Memory stays bounded at any number of draws: draws are evaluated in chunks
sized to a memory budget (:data:`CHUNK_MEMORY` per worker thread). The summary's
exact quantiles need every draw's metric values (8 bytes per metric per draw):
they are kept in memory up to ``memory=`` bytes (:data:`MEMORY`, 256 MB); a
larger run is summarised in streaming passes over the draws instead, recomputing
them from the seed each pass, with the same summary bit for bit. Chunks run in
threads on this machine, or on a Dask cluster with ``client=`` (see
:mod:`cba.uncertainty.distributed`); the results are identical either way for
the same seed.

The internal rate of return is the slowest metric (a root per draw); it is left
out unless ``include_irr=True``.

Examples
--------
>>> import cba
>>> from cba.uncertainty import montecarlo
>>> model = cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25", "horizon": 1,
...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]})
>>> r = montecarlo(model, {"outcomes[0].success": {"dist": "uniform", "low": 0.2, "high": 0.5}},
...                draws=2000, seed=42, progress=False)
>>> round(r.probability("financial_roi"), 1)     # ROI = 3 x success > 1 when success > 1/3
0.5
>>> r.agency_table()[["agency", "probability_ahead"]]
            agency  probability_ahead
0  local_authority                0.0
1           police                1.0
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine import CompiledModel, _columns
from ..errors import CBAError, shown
from . import core
from .distributions import Distribution
from .sampling import BLOCK, SEED_SCHEME, Sampler

#: Bytes of working memory allowed per chunk of draws (each worker thread has one).
CHUNK_MEMORY = 64 * 2 ** 20
#: Most random blocks in one chunk.
MAX_BLOCKS = 8
#: Quantiles reported by default.
DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def chunk_size_for(model: CompiledModel, sampler: Sampler, memory: int = CHUNK_MEMORY) -> int:
    """Draws per chunk so that one chunk's arrays stay within ``memory`` bytes.

    A whole number of random blocks (:data:`~cba.uncertainty.sampling.BLOCK`),
    up to :data:`MAX_BLOCKS`, or a power-of-two fraction of one block for a model
    so large that one block would not fit (each block of random numbers is then
    drawn once and shared by its chunks). Chunks of a few thousand draws are also
    the fastest: their arrays stay in the processor's caches. The estimate
    (:func:`bytes_per_draw`) counts the arrays of the general path, which the
    per-timing profiles never exceed.
    """
    per_draw = bytes_per_draw(model, sampler)
    fits = int(memory // per_draw)
    if fits >= BLOCK:
        return min(fits // BLOCK, MAX_BLOCKS) * BLOCK
    size = BLOCK
    while size > max(fits, 1):
        size //= 2
    return size


def bytes_per_draw(model: CompiledModel, sampler: Sampler) -> int:
    """Working memory of one draw in the engine, the metrics and the deal (bytes).

    An upper estimate of the arrays with a draws axis, for the path the draws take:

    - the per-timing profiles (:mod:`cba.profiles`): each outcome's and component's
      values, the entries of the present values by column, and ``(rows with
      fiscal savings, H)`` for the yearly savings;
    - the general path (:func:`cba.engine.evaluate_totals`, when a cohort or a
      drop-off is drawn, or a cashable share varies by year): ``(O, H)``
      successes and benefit-years with their temporaries (more when timing varies:
      the weights of the ``H`` offsets), the ``(H, P)`` products of the (outcome,
      column) pairs, ``(L, H)`` costs when they vary and ``(K, H)`` cashable shares
      and flows when a share varies by year;

    then the parameter values, the overrides, the metrics; and, for a model with a
    ``partnership:`` deal, the per-line flows of :func:`cba.engine.evaluate`
    (``(K, H)`` benefits, the ``(O, H, H)`` benefit kernel when timing varies) and
    the deal's ``(partners, H)`` arrays.
    """
    from ..profiles import applies

    O, H, L, K = model.n_outcomes, model.horizon, model.n_costs, model.n_components
    A = len(model.agencies)
    targets = {p.target for p in sampler.parameters}
    engine_targets = {t for t in targets if not t.startswith("deal.")}
    timing = bool(targets & {"lag", "duration", "drop_off"})
    costs = bool(targets & {"cost_real", "cost_ob"})
    R = O + len(model.timed_components)
    cols = _columns(model)
    E, C = len(cols.component), cols.n
    rows = model.component_outcome.copy()
    rows[model.timed_components] = O + np.arange(len(model.timed_components))
    names = core.metric_names(model)
    cells = 100 + 3 * len(sampler.parameters) + 3 * len(names) + 10 * H + 12 * A   # values, metrics, temporaries
    cells += sum(int(np.prod(model.params[t].shape)) for t in engine_targets)    # the overrides
    if applies(model, engine_targets):
        Rf = len(np.unique(rows[model.component_type == 0]))
        cells += 4 * R + 2 * E + C + 2 * Rf * H + 2 * H + (2 * L * H if costs else 0)
    else:
        P = len(np.unique(rows[cols.component] * C + cols.column)) if K else 0
        cells += 6 * R * H + 2 * P * H + 2 * E + 2 * C * H + (6 * R * H if timing else 0) + (3 * L * H if costs else 0)
        if np.ndim(model.params["component_cashable"]) == 2:   # shares by year: the override and each flow
            cells += 3 * K * H
    if getattr(model.intervention, "partnership", None) is not None:
        terms = model.intervention.partnership
        partners = max(1, sum(n.startswith("net_after[") for n in names))
        agreements = len(terms.gain_share) + len(terms.outcome_payments) + len(terms.payments)
        cells += 6 * K * H + 3 * R * H + 3 * L * H + 12 * partners * H + 10 * agreements * H
        if timing:                                             # evaluate's (O, H, H) kernel and its temporaries
            cells += 4 * O * H * H
    return 8 * cells


@dataclass
class MonteCarloResult:
    """The outcome of :func:`montecarlo`.

    Attributes
    ----------
    draws : int
        Number of draws.
    seed : int
        The seed (entropy) of the run: ``montecarlo(..., seed=result.seed,
        seed_scheme=result.seed_scheme)`` repeats it exactly.
    parameters : list of str
        Paths of the uncertain parameters.
    distributions : dict of str to Distribution
    correlated : list of str
        Parameters drawn through the Gaussian copula, with ``correlation`` their
        correlation matrix.
    metrics : list of str
        Metric columns (:func:`cba.uncertainty.core.metric_names`).
    thresholds : dict of str to Threshold
    base : dict of str to float
        Each metric with every parameter as in the model (NaN = none).
    summary : pandas.DataFrame
        One row per metric: ``base``, ``mean``, ``sd``, ``min``, the quantiles
        (``p5``, ``p25``, ``p50``, ...), ``max``, ``undefined`` (share of draws where
        the metric is none, e.g. a ratio with no costs; left out of the other
        statistics), ``threshold`` and ``probability`` (share of all draws that beat
        it; an undefined value never does).
    values : numpy.ndarray or None
        ``(draws, len(metrics))`` metric values of every draw, when
        ``keep_draws=True``.
    samples : numpy.ndarray or None
        ``(draws, len(parameters))`` parameter values of every draw, when kept.
    include_irr : bool
    agencies : tuple of str
    model : CompiledModel
        The model the run was made on.
    passes : int
        Passes over the draws: 1 when the metric values were held in memory, more
        when the run was summarised in streaming passes (see ``memory=`` of
        :func:`montecarlo`).
    seed_scheme : int
        How the seed became random numbers (:mod:`cba.uncertainty.sampling`).
    """

    draws: int
    seed: int
    parameters: list[str]
    distributions: dict[str, Distribution]
    correlated: list[str]
    correlation: np.ndarray
    metrics: list[str]
    thresholds: dict[str, core.Threshold]
    base: dict[str, float]
    summary: pd.DataFrame
    values: np.ndarray | None = None
    samples: np.ndarray | None = None
    include_irr: bool = False
    agencies: tuple[str, ...] = field(default_factory=tuple)
    model: CompiledModel | None = field(default=None, repr=False)
    passes: int = 1
    seed_scheme: int = SEED_SCHEME

    def probability(self, metric: str, threshold=None) -> float:
        """Share of draws in which ``metric`` beats a threshold.

        With no ``threshold`` the run's own threshold for the metric is used; a
        new threshold (a number, ``">= 1.2"`` or ``(">=", 1.2)``) needs the draws
        (``keep_draws=True``).
        """
        if threshold is None:
            if metric not in self.summary.index:
                raise CBAError(f"unknown metric {metric!r}: use one of {', '.join(self.summary.index)}")
            p = self.summary.loc[metric, "probability"]
            if pd.isna(p):
                raise CBAError(f"{metric} has no threshold in this run; give one, e.g. probability({metric!r}, 0)")
            return float(p)
        if self.values is None:
            raise CBAError("a new threshold needs the draws: run montecarlo(..., keep_draws=True)")
        if metric not in self.metrics:
            raise CBAError(f"unknown metric {metric!r}: use one of {', '.join(self.metrics)}")
        t = core.parse_threshold(self.model, metric, threshold)
        return float(t.beats(self.values[:, self.metrics.index(t.metric)]).mean())

    def agency_table(self) -> pd.DataFrame:
        """Each agency's net position (fiscal savings minus costs, present value).

        Columns: ``agency``, ``base``, ``mean``, the quantiles, and
        ``probability_ahead`` (share of draws in which the agency's net is above
        its threshold, 0 unless given).
        """
        rows = []
        qcols = [c for c in self.summary.columns if c.startswith("p") and c[1:].replace("_", "").isdigit()]
        present = [a for a in self.agencies if f"net[{a}]" in self.summary.index]
        if self.agencies and not present:
            raise CBAError("this run kept no agency's net position: include e.g. "
                           f"'net[{self.agencies[0]}]' in metrics")
        for a in present:
            s = self.summary.loc[f"net[{a}]"]
            rows.append({"agency": a, "base": s["base"], "mean": s["mean"], **{q: s[q] for q in qcols},
                         "probability_ahead": s["probability"]})
        return pd.DataFrame(rows)

    def draws_frame(self) -> pd.DataFrame:
        """Every draw: parameter values, then metric values (needs ``keep_draws=True``)."""
        if self.values is None or self.samples is None:
            raise CBAError("the draws were not kept: run montecarlo(..., keep_draws=True)")
        frame = pd.DataFrame(self.samples, columns=self.parameters)
        metrics = pd.DataFrame(self.values, columns=self.metrics)
        out = pd.concat([frame, metrics], axis=1)
        out.index.name = "draw"
        return out

    def to_dict(self) -> dict:
        """Plain data (``None`` for undefined numbers): settings and the summary."""
        def clean(x):
            if isinstance(x, (float, np.floating)):
                return None if math.isnan(x) else float(x)
            return x

        summary = {m: {k: clean(v) for k, v in row.items()} for m, row in self.summary.iterrows()}
        return {
            "draws": self.draws, "seed": self.seed, "seed_scheme": self.seed_scheme, "include_irr": self.include_irr,
            "distributions": {p: d.to_dict() for p, d in self.distributions.items()},
            "correlation": {"parameters": self.correlated, "matrix": self.correlation.tolist()}
            if self.correlated else None,
            "thresholds": {m: str(t) for m, t in self.thresholds.items()},
            "summary": summary,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def __repr__(self) -> str:
        return (f"<MonteCarloResult: {self.draws:,} draws of {len(self.parameters)} parameter(s), "
                f"seed {self.seed}>")

    def _repr_html_(self) -> str:  # notebooks: labelled tables (cba.notebook)
        from ..notebook import html

        return html(self)


# ---------------------------------------------------------------- summary statistics
#
# The summary is made in one of two ways: from the table of every draw's metrics held
# in memory, or, when that table would not fit in ``memory=``, by streaming passes over
# the draws, which are recomputed from the seed on each pass (:func:`_stream_summary`).
# Both compute every statistic by the same deterministic rules, so they agree bit for
# bit:
#
# - a negative zero counts as zero (``x + 0.0``), so that the smallest value and the
#   order statistics do not depend on the order in which equal values are met;
# - the mean and the standard deviation add the values of each fixed block of
#   :data:`~cba.uncertainty.sampling.BLOCK` draws with NumPy's pairwise summation,
#   and add those block sums exactly (Python integers), rounding only once;
# - counts, the smallest and largest value and the order statistics are exact, so
#   they do not depend on the order of the draws;
# - quantiles interpolate between order statistics exactly as ``numpy.quantile``
#   (its default, linear, method) does.

#: Bytes allowed for the table of metric values kept for the summary (8 per metric per
#: draw). A run whose table would be larger is summarised in streaming passes instead.
MEMORY = 256 * 2 ** 20
#: Bins of each histogram of the streaming summary.
BINS = 4096
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

    def add(self, sums: np.ndarray) -> None:
        total = self.total
        for j, s in enumerate(sums.tolist()):
            if math.isfinite(s):
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
            except OverflowError:  # pragma: no cover - sums beyond 1.8e308
                out[j] = math.copysign(math.inf, t)
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
            self.sums.add(_column_sums(np.where(undefined, 0.0, x)))
        if plan.mean is not None:
            d = x - plan.mean
            self.squares.add(_column_sums(np.where(undefined, 0.0, d * d)))

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
        for b, pieces in other.pieces.items():
            mine = self.pieces.setdefault(b, [])
            mine += pieces
            if sum(len(p) for _, p in mine) == min(BLOCK, plan.draws - b * BLOCK):
                mine.sort(key=lambda piece: piece[0])
                self.add_block(plan, np.concatenate([p for _, p in mine]))
                del self.pieces[b]

    def finish(self) -> _Accumulator:
        """Join each target's collected values into one array (a task's result, sent back)."""
        self.collected = {i: [np.concatenate(p)] if len(p) > 1 else p for i, p in self.collected.items()}
        return self


def _pass_task(model: CompiledModel, sampler: Sampler, start: int, stop: int, include_irr: bool,
               columns, plan: _Plan) -> _Accumulator:
    """One chunk of a streaming pass: draws ``start .. stop-1`` through the engine (the
    same chunks as a run held in memory), reduced as ``plan`` says."""
    values = run_chunk(model, sampler, start, stop, include_irr, False, columns)[0] + 0.0
    acc = _Accumulator(plan)
    with _quiet():
        acc.add_chunk(plan, start, values)
    return acc.finish()


def _frame(names: Sequence[str], base, thresholds: Mapping[str, core.Threshold],
           quantiles: Sequence[float], draws: int, acc: _Accumulator, squares: _ExactSum | None,
           order: Mapping[int, Mapping[int, float]]) -> pd.DataFrame:
    """The summary table from the exact ingredients both ways of summarising compute."""
    M = len(names)
    count = acc.count
    qnames = [_qname(q) for q in quantiles]
    mean = acc.sums.divide(count)
    # the sample standard deviation; NaN with fewer than two values
    sd = np.sqrt(squares.divide(count - 1)) if squares is not None else np.full(M, np.nan)
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
    :data:`~cba.uncertainty.sampling.BLOCK` draws by NumPy's pairwise summation,
    then adds the block sums exactly and rounds once; the standard deviation does
    the same with the squared deviations from the mean. Quantiles are NumPy's
    default (linear) quantiles; a negative zero counts as zero. The streaming
    summary of :func:`montecarlo` follows the same rules and gives the same table,
    bit for bit.

    Examples
    --------
    >>> from cba.uncertainty.core import Threshold
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


# ---------------------------------------------------------------- streaming summary
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
    """The summary of :func:`summarise` without holding every draw: passes over the draws.

    ``run_pass(plan)`` runs every draw through the engine and returns the merged
    :class:`_Accumulator`; ``pilot`` is the metric values of the first block.

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


def run_chunk(model: CompiledModel, sampler: Sampler, start: int, stop: int, include_irr: bool,
              keep_samples: bool, columns: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Metric values (and optionally parameter values) of draws ``start .. stop-1``.

    ``columns`` selects metric columns (indices into
    :func:`~cba.uncertainty.core.metric_names`); default all.
    """
    values = sampler.sample(start, stop, reuse=True)     # this thread's arrays, used up here
    # drawn inside each distribution's support, itself checked against each parameter's range
    out = core.run(model, sampler.parameters, values, include_irr=include_irr, checked=True,
                   buffers=sampler.workspace())
    if columns is not None:
        out = out[:, columns]
    samples = np.column_stack([values[p] for p in sampler.paths]) if keep_samples else None
    return out, samples


def chunks(draws: int, size: int) -> "core.Spans":
    """``[(start, stop), ...]`` covering ``0 .. draws`` in steps of ``size``.

    >>> chunks(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    return core.Spans(draws, size)  # hardening: lazy, never a list as long as the draws


def _progress(total: int, progress, n_chunks: int, desc: str = "Monte Carlo"):
    from ..progress import progress_bar  # a terminal bar, or tqdm's notebook bar in Jupyter

    return progress_bar(total, progress, n_chunks, desc)


def _map_local(fn, model, sampler, spans, args, n: int):
    """``(span, fn(model, sampler, *span, *args))`` for each span, on ``n`` threads, as
    each finishes (at most ``2 n`` at a time, so finished results never pile up)."""
    if n == 1:
        for span in spans:
            yield span, fn(model, sampler, *span, *args)
        return
    with ThreadPoolExecutor(max_workers=n) as pool:
        todo = iter(spans)
        running = {}
        try:
            for span in itertools.islice(todo, 2 * n):
                running[pool.submit(fn, model, sampler, *span, *args)] = span
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for f in done:
                    span = running.pop(f)
                    for nxt in itertools.islice(todo, 1):
                        running[pool.submit(fn, model, sampler, *nxt, *args)] = nxt
                    yield span, f.result()
        finally:
            for f in running:
                f.cancel()


def _whole(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise CBAError(f"{name}: must be a whole number {minimum} or more, got {shown(value)}")
    return int(value)


def montecarlo(model, distributions: Mapping[str, object], draws: int = 10_000, seed=None, *,
               correlation=None, thresholds: Mapping[str, object] | None = None,
               quantiles: Sequence[float] = DEFAULT_QUANTILES, include_irr: bool = False,
               keep_draws: bool = False, metrics: Sequence[str] | None = None,
               chunk_size: int | None = None, workers: int | None = None,
               progress: bool | None = None, client=None, memory: int = MEMORY,
               seed_scheme: int = SEED_SCHEME) -> MonteCarloResult:
    """Probabilistic sensitivity analysis of an intervention.

    Parameters
    ----------
    model : Intervention, dict, path, Appraisal or CompiledModel
    distributions : mapping of parameter path to distribution
        E.g. ``{"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5,
        "high": 0.7}}`` or ``{"costs": Uniform(0.9, 1.3)}``; paths as in
        :mod:`cba.uncertainty.parameters`, distributions as in
        :mod:`cba.uncertainty.distributions`.
    draws : int
        Number of draws (default 10,000).
    seed : int or None
        Same seed, same results, bit for bit, however the run is chunked or
        distributed. ``None`` picks one; it is recorded in the result.
    correlation : optional
        Correlations between parameters (Gaussian copula), as pairs
        ``{("a", "b"): 0.5}``, a list of ``[a, b, rho]`` or a matrix
        ``{"parameters": [...], "matrix": [[...]]}``.
    thresholds : mapping, optional
        Metric -> threshold (a number, ``"<= 3"`` or ``("<=", 3)``), added to or
        replacing the defaults (:data:`cba.uncertainty.core.DEFAULT_THRESHOLDS`
        and every agency's ``net > 0``).
    quantiles : sequence of float
        Quantiles to report (default 5%, 25%, 50%, 75%, 95%).
    include_irr : bool
        Compute the internal rate of return of each draw (default ``False``: the
        slowest metric; without it the ``irr`` row is left out).
    keep_draws : bool
        Keep every draw's parameter and metric values (``result.values``,
        ``result.samples``, ``result.draws_frame()``). Their memory grows with the
        number of draws: ``memory`` does not apply.
    metrics : sequence of str, optional
        The metrics to summarise (default: every metric and agency metric, IRR
        only with ``include_irr``).
    chunk_size : int, optional
        Draws per engine call; default from a memory budget
        (:func:`chunk_size_for`). Results do not depend on it.
    workers : int, optional
        Threads evaluating chunks on this machine (default: the number of CPUs).
    progress : bool or None
        Progress bar: ``None`` shows one on a terminal when a run takes more than a
        second; ``True`` always; ``False`` never.
    client : dask.distributed.Client, optional
        Run the chunks on a Dask cluster instead (``pip install cba-appraisal[dask]``).
    memory : int
        Bytes allowed for the metric values kept for the summary (default
        :data:`MEMORY`, 256 MB). A run needs ``8 x draws x metrics`` bytes to hold
        them; a larger run (without ``keep_draws``) is summarised in streaming passes
        over the draws instead, each recomputing the draws from the seed (usually
        two passes, so two to three times as long), in memory that does not grow with the
        number of draws. The summary is the same, bit for bit.
    seed_scheme : int
        How the seed becomes random numbers (see :mod:`cba.uncertainty.sampling`;
        recorded in the result). The default, 2, builds one random generator per
        parameter and thread; 1 repeats runs made before scheme 2 existed.

    Returns
    -------
    MonteCarloResult

    Notes
    -----
    The summary's rules (the same in memory and streaming): the mean and the
    standard deviation add each block of 2,048 draws by NumPy's pairwise summation
    and the block sums exactly, rounding once; quantiles are NumPy's default
    (linear) quantiles of the draws where the metric is defined, from exact order
    statistics; a negative zero counts as zero. See :func:`summarise`.
    """
    compiled = core.as_compiled(model)
    draws = core.check_draws(draws)  # hardening: bounded before anything is allocated
    memory = core.check_memory(_whole(memory, "memory", 0))  # hardening: the in-memory table is bounded too
    qs = _check_quantiles(quantiles)
    sampler = Sampler(compiled, distributions, seed=seed, correlation=correlation, seed_scheme=seed_scheme)
    names = core.metric_names(compiled)
    if metrics is None:
        shown = [n for n in names if include_irr or n != "irr"]
    else:
        if isinstance(metrics, str):
            metrics = [metrics]
        shown = list(dict.fromkeys(core.check_metric(compiled, m) for m in metrics))
        if "irr" in shown and not include_irr:
            raise CBAError("metrics: irr is only computed with include_irr=True")
    columns = [names.index(n) for n in shown]
    if keep_draws:  # hardening: the kept draws must fit in memory
        core.check_draws(draws, kept_columns=len(shown) + len(sampler.parameters))
    thr = core.thresholds_for(compiled, shown, thresholds)
    for m in thr:
        if m not in shown:
            raise CBAError(f"thresholds.{m}: irr is only computed with include_irr=True" if m == "irr"
                           else f"thresholds.{m}: not among the metrics of this run")
    size = chunk_size_for(compiled, sampler) if chunk_size is None else _whole(chunk_size, "chunk_size", 1)
    if client is None:
        n_workers = _whole(workers if workers is not None else (os.cpu_count() or 1), "workers", 1)
        n_workers = min(n_workers, core.MAX_THREADS)  # hardening: results do not depend on it

    def mapped(fn, spans, args):
        """``(span, result)`` of each span, on the Dask cluster or on local threads."""
        if client is not None:
            from .distributed import map_tasks

            return map_tasks(client, fn, compiled, sampler, spans, args)
        return _map_local(fn, compiled, sampler, spans, args, min(n_workers, len(spans)))

    base = core.run(compiled, [], {}, include_irr=include_irr)[0, columns]
    streaming = not keep_draws and 8 * draws * len(shown) > memory
    spans = chunks(draws, size)
    if streaming:
        # the same chunks as in memory (the engine's results could depend on them); the
        # first block's values set the bins of the first histograms
        pilot = np.concatenate([run_chunk(compiled, sampler, a, min(b, BLOCK), include_irr, False, columns)[0]
                                for a, b in spans if a < BLOCK])
        count = itertools.count(1)

        def run_pass(plan: _Plan) -> _Accumulator:
            acc = _Accumulator(plan)
            with _progress(draws, progress, len(spans), f"Monte Carlo (pass {next(count)})") as bar:
                for span, part in mapped(_pass_task, spans, (include_irr, columns, plan)):
                    acc.merge(part, plan)
                    bar.update(span[1] - span[0])
            assert not acc.pieces, "every block is complete after a pass"
            return acc

        summary, passes = _stream_summary(run_pass, pilot, shown, base, thr, qs, draws, memory)
        values = samples = None
    else:
        # metric by metric in memory (Fortran order): the summary reads each metric's draws
        values = np.empty((draws, len(shown)), order="F")
        samples = np.empty((draws, len(sampler.parameters))) if keep_draws else None
        with _progress(draws, progress, len(spans)) as bar:
            for (a, b), (v, s) in mapped(run_chunk, spans, (include_irr, keep_draws, columns)):
                values[a:b] = v
                if samples is not None:
                    samples[a:b] = s
                bar.update(b - a)
        with _quiet():
            summary = _summarise(values, shown, base, thr, qs, workers=1 if client is not None else n_workers)
        passes = 1
    return MonteCarloResult(
        draws=draws, seed=sampler.seed, parameters=sampler.paths,
        distributions=dict(zip(sampler.paths, sampler.distributions)),
        correlated=list(sampler.correlated), correlation=sampler.correlation,
        metrics=shown, thresholds=thr, base=dict(zip(shown, base.tolist())),
        summary=summary, values=values if keep_draws else None, samples=samples,
        include_irr=include_irr, agencies=tuple(compiled.agencies), model=compiled, passes=passes,
        seed_scheme=sampler.seed_scheme,
    )

