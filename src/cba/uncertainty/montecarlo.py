"""Monte Carlo (probabilistic sensitivity) analysis.

Every uncertain assumption gets a distribution; :func:`montecarlo` draws them
(reproducibly: see :mod:`cba.uncertainty.sampling`), runs each chunk of draws
through the vectorised engine at once, and summarises every metric and every
agency's position: mean, spread, quantiles, and the probability that each metric
beats its threshold (financial ROI above 1, net present public value above 0,
each agency's net above 0, or thresholds of your own).

Memory stays bounded: draws are evaluated in chunks sized to a memory budget
(:data:`CHUNK_MEMORY` per worker thread), and only the metric values of each draw
are kept (8 bytes per metric per draw, for the exact quantiles of the summary;
``metrics=`` keeps fewer). Chunks run in threads on this machine, or on a
Dask cluster with ``client=`` (see :mod:`cba.uncertainty.distributed`); the
results are identical either way for the same seed.

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine import CompiledModel
from ..errors import CBAError
from . import core
from .distributions import Distribution
from .sampling import BLOCK, Sampler

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
    the fastest: their arrays stay in the processor's caches. The estimate counts, per draw, the engine's arrays that carry
    a draws axis: ``(O, H)`` successes and benefit-years with their temporaries,
    ``(L, H)`` costs when costs vary, ``(K, 3A+2)`` value weights when unit values
    vary, the ``(3A+2, H)`` totals and the metrics.
    """
    O, H, L, K = model.n_outcomes, model.horizon, model.n_costs, model.n_components
    A = len(model.agencies)
    C = 3 * A + 2
    targets = {p.target for p in sampler.parameters}
    cells = 12 * O * H + 2 * C * H + 12 * A * H + 2 * H
    if targets & {"cost_real", "cost_ob"}:
        cells += 3 * L * H
    if targets & {"component_amount", "component_cashable"}:
        cells += 4 * K * C + 2 * O * C
    cells += 3 * len(sampler.parameters) + 2 * len(core.metric_names(model))
    per_draw = 8 * cells
    fits = int(memory // per_draw)
    if fits >= BLOCK:
        return min(fits // BLOCK, MAX_BLOCKS) * BLOCK
    size = BLOCK
    while size > max(fits, 1):
        size //= 2
    return size


@dataclass
class MonteCarloResult:
    """The outcome of :func:`montecarlo`.

    Attributes
    ----------
    draws : int
        Number of draws.
    seed : int
        The seed (entropy) of the run: ``montecarlo(..., seed=result.seed)``
        repeats it exactly.
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
            "draws": self.draws, "seed": self.seed, "include_irr": self.include_irr,
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


def summarise(values: np.ndarray, names: Sequence[str], base: np.ndarray,
              thresholds: Mapping[str, core.Threshold],
              quantiles: Sequence[float] = DEFAULT_QUANTILES) -> pd.DataFrame:
    """Summary statistics of metric draws, one row per metric (NaN draws = none).

    Parameters
    ----------
    values : numpy.ndarray
        ``(D, M)`` metric values, NaN where a result is none.
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
    """
    qnames = [_qname(q) for q in quantiles]
    D, M = values.shape
    stats = {k: np.full(M, np.nan) for k in ("mean", "sd", "min", *qnames, "max")}
    missing = np.isnan(values)
    undefined = missing.mean(axis=0) if D else np.full(M, np.nan)
    full = np.flatnonzero(~missing.any(axis=0))
    # columns without undefined draws a few at a time (each batch copied once, at most
    # about 64 MB), the others one by one without their undefined draws
    per_batch = max(1, (8 * 2 ** 20) // max(D, 1))
    groups = ((cols, values[:, cols]) for cols in (full[i:i + per_batch] for i in range(0, len(full), per_batch)))
    partial = ((np.array([j]), values[~missing[:, j], j][:, None]) for j in np.flatnonzero(missing.any(axis=0)))
    for cols, x in itertools.chain(groups, partial):
        if len(x) == 0:
            continue
        stats["mean"][cols] = x.mean(axis=0)
        if len(x) > 1:
            stats["sd"][cols] = x.std(axis=0, ddof=1)
        stats["min"][cols] = x.min(axis=0)
        stats["max"][cols] = x.max(axis=0)
        if len(quantiles):
            qs = np.quantile(x, quantiles, axis=0)
            for n, row in zip(qnames, qs):
                stats[n][cols] = row
    frame = pd.DataFrame({"base": np.asarray(base, dtype=float), **stats, "undefined": undefined},
                         index=pd.Index(list(names), name="metric"))
    frame["threshold"] = [str(thresholds[n]) if n in thresholds else None for n in names]
    frame["probability"] = [float(thresholds[n].beats(values[:, j]).mean()) if n in thresholds and D else np.nan
                            for j, n in enumerate(names)]
    return frame


def _qname(q: float) -> str:
    """Column name of a quantile: 0.05 -> ``p5``, 0.5 -> ``p50``, 0.025 -> ``p2_5``.

    >>> _qname(0.05), _qname(0.5), _qname(0.025)
    ('p5', 'p50', 'p2_5')
    """
    pct = round(q * 100, 6)
    return "p" + (f"{pct:g}".replace(".", "_"))


def _check_quantiles(quantiles) -> tuple[float, ...]:
    try:
        qs = tuple(float(q) for q in quantiles)
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
    values = sampler.sample(start, stop)
    # drawn inside each distribution's support, itself checked against each parameter's range
    out = core.run(model, sampler.parameters, values, include_irr=include_irr, checked=True)
    if columns is not None:
        out = out[:, columns]
    samples = np.column_stack([values[p] for p in sampler.paths]) if keep_samples else None
    return out, samples


def chunks(draws: int, size: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` covering ``0 .. draws`` in steps of ``size``.

    >>> chunks(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    return [(a, min(a + size, draws)) for a in range(0, draws, size)]


def _progress(total: int, progress, n_chunks: int):
    from tqdm import tqdm

    if progress is False:
        return tqdm(total=total, disable=True)
    if progress is True:
        return tqdm(total=total, unit="draw", unit_scale=True, desc="Monte Carlo")
    # automatic: only when there is more than one chunk, on a terminal, after a second
    return tqdm(total=total, unit="draw", unit_scale=True, desc="Monte Carlo",
                disable=None if n_chunks > 1 else True, delay=1.0)


def montecarlo(model, distributions: Mapping[str, object], draws: int = 10_000, seed=None, *,
               correlation=None, thresholds: Mapping[str, object] | None = None,
               quantiles: Sequence[float] = DEFAULT_QUANTILES, include_irr: bool = False,
               keep_draws: bool = False, metrics: Sequence[str] | None = None,
               chunk_size: int | None = None, workers: int | None = None,
               progress: bool | None = None, client=None) -> MonteCarloResult:
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
        ``result.samples``, ``result.draws_frame()``).
    metrics : sequence of str, optional
        The metrics to summarise (default: every metric and agency metric, IRR
        only with ``include_irr``). Each kept metric holds 8 bytes per draw until
        the summary is made: keep fewer for runs of many millions of draws.
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

    Returns
    -------
    MonteCarloResult
    """
    compiled = core.as_compiled(model)
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise CBAError(f"draws: must be a whole number 1 or more, got {draws!r}")
    draws = int(draws)
    qs = _check_quantiles(quantiles)
    sampler = Sampler(compiled, distributions, seed=seed, correlation=correlation)
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
    thr = core.thresholds_for(compiled, shown, thresholds)
    for m in thr:
        if m not in shown:
            raise CBAError(f"thresholds.{m}: irr is only computed with include_irr=True" if m == "irr"
                           else f"thresholds.{m}: not among the metrics of this run")
    if chunk_size is None:
        size = chunk_size_for(compiled, sampler)
    else:
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
            raise CBAError(f"chunk_size: must be a whole number 1 or more, got {chunk_size!r}")
        size = int(chunk_size)
    spans = chunks(draws, size)
    values = np.empty((draws, len(shown)))
    samples = np.empty((draws, len(sampler.parameters))) if keep_draws else None

    def store(span, result):
        (a, b), (v, s) = span, result
        values[a:b] = v
        if samples is not None:
            samples[a:b] = s

    with _progress(draws, progress, len(spans)) as bar:
        if client is not None:
            from .distributed import map_chunks

            for span, result in map_chunks(client, compiled, sampler, spans, include_irr, keep_draws, columns):
                store(span, result)
                bar.update(span[1] - span[0])
        else:
            n = workers if workers is not None else (os.cpu_count() or 1)
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise CBAError(f"workers: must be a whole number 1 or more, got {workers!r}")
            n = min(int(n), len(spans))

            def job(span):
                return span, run_chunk(compiled, sampler, span[0], span[1], include_irr, keep_draws, columns)

            if n == 1:
                for span in spans:
                    store(*job(span))
                    bar.update(span[1] - span[0])
            else:
                with ThreadPoolExecutor(max_workers=n) as pool:
                    for span, result in pool.map(job, spans):
                        store(span, result)
                        bar.update(span[1] - span[0])

    base = core.run(compiled, [], {}, include_irr=include_irr)[0, columns]
    summary = summarise(values, shown, base, thr, qs)
    return MonteCarloResult(
        draws=draws, seed=sampler.seed, parameters=sampler.paths,
        distributions=dict(zip(sampler.paths, sampler.distributions)),
        correlated=list(sampler.correlated), correlation=sampler.correlation,
        metrics=shown, thresholds=thr, base=dict(zip(shown, base.tolist())),
        summary=summary, values=values if keep_draws else None, samples=samples,
        include_irr=include_irr, agencies=tuple(compiled.agencies), model=compiled,
    )
