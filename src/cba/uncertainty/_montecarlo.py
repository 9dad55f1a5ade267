"""Monte Carlo (probabilistic sensitivity) analysis.

Every uncertain assumption gets a distribution; :func:`montecarlo` draws them
(reproducibly: see :mod:`cba.uncertainty._sampling`), runs each chunk of draws
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
:mod:`cba.uncertainty._distributed`); the results are identical either way for
the same seed. The summary's statistics are in :mod:`cba.uncertainty._summary`,
the streaming passes in :mod:`cba.uncertainty._streaming`, the result in
:mod:`cba.uncertainty._montecarlo_result`; this module runs the draws.

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
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

import numpy as np

import cba.uncertainty._core as core
from cba.core._errors import CBAError, shown
from cba.engine._compiled import CompiledModel
from cba.engine._segments import _columns
from cba.partnership._compile import compile_deal
from cba.uncertainty._deal_parameters import partners_without_savings
from cba.uncertainty._montecarlo_result import MonteCarloResult
from cba.uncertainty._sampling import BLOCK, SEED_SCHEME, Sampler
from cba.uncertainty._streaming import _stream_summary
from cba.uncertainty._summary import DEFAULT_QUANTILES, _Accumulator, _check_quantiles, _Plan, _quiet, _summarise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from distributed import Client

    from cba.uncertainty._core import ModelLike

#: Bytes of working memory allowed per chunk of draws (each worker thread has one).
CHUNK_MEMORY = 64 * 2 ** 20
#: Most random blocks in one chunk.
MAX_BLOCKS = 8
#: Bytes allowed for the table of metric values kept for the summary (8 per metric per
#: draw). A run whose table would be larger is summarised in streaming passes instead.
MEMORY = 256 * 2 ** 20
#: Memory for the chunks being worked on at once, by all threads together (bytes): the number
#: of threads and of chunks in flight is cut to fit, so memory does not grow with ``workers``.
IN_FLIGHT_MEMORY = 4 * CHUNK_MEMORY


def chunk_size_for(model: CompiledModel, sampler: Sampler, memory: int = CHUNK_MEMORY,
                   columns: Sequence[int] | None = None) -> int:
    """Draws per chunk so that one chunk's arrays stay within ``memory`` bytes.

    A whole number of random blocks (:data:`~cba.uncertainty._sampling.BLOCK`),
    up to :data:`MAX_BLOCKS`, or a power-of-two fraction of one block for a model
    so large that one block would not fit (each block of random numbers is then
    drawn once and shared by its chunks). Chunks of a few thousand draws are also
    the fastest: their arrays stay in the processor's caches. The estimate
    (:func:`bytes_per_draw`) counts the arrays of the general path, which the
    per-timing profiles never exceed.
    """
    per_draw = bytes_per_draw(model, sampler, columns)
    fits = int(memory // per_draw)
    if fits >= BLOCK:
        return min(fits // BLOCK, MAX_BLOCKS) * BLOCK
    size = BLOCK
    while size > max(fits, 1):
        size //= 2
    return size


def bytes_per_draw(model: CompiledModel, sampler: Sampler, columns: Sequence[int] | None = None) -> int:
    """Working memory of one draw in the engine, the metrics and the deal (bytes).

    An upper estimate of the arrays with a draws axis, for the path the draws take:

    - the per-timing profiles (:mod:`cba.engine._profiles`): each outcome's and component's
      values, the entries of the present values by column, and ``(rows with
      fiscal savings, H)`` for the yearly savings;
    - the general path (:func:`cba.engine._evaluate.evaluate_totals`, when a cohort or a
      drop-off is drawn, or a cashable share varies by year): ``(O, H)``
      successes and benefit-years with their temporaries (more when timing varies:
      the weights of the ``H`` offsets), the ``(H, P)`` products of the (outcome,
      column) pairs, ``(L, H)`` costs when they vary and ``(K, H)`` cashable shares
      and flows when a share varies by year;

    then the parameter values, the overrides, the metrics; and, for a model with a
    ``partnership:`` deal, the per-line flows of :func:`cba.engine._evaluate.evaluate`
    (``(K, H)`` benefits, the ``(O, H, H)`` benefit kernel when timing varies), the
    deal's ``(partners, H)`` arrays.

    Given ``columns`` (indices into :func:`~cba.uncertainty._core.metric_names`), only what
    those columns need (:func:`~cba.uncertainty._core.run`): no appraisal arrays when only a
    deal's columns are asked for, and, when they are partners that bank no savings, the
    costs alone instead of the per-line flows, with each contract's ``(tariffs, rungs,
    payers, H)`` arrays and each investor's waterfall.
    """
    from cba.engine._profiles import applies

    O, H, L, K = model.n_outcomes, model.horizon, model.n_costs, model.n_components
    A = len(model.agencies)
    targets = {p.target for p in sampler.parameters}
    targets |= {"health_discount_factors" for p in sampler.parameters if p.health_follows}
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
    terms = getattr(model.intervention, "partnership", None)
    n_engine = core.engine_column_count(model)
    engine = columns is None or terms is None or any(c < n_engine for c in columns)
    light = None if columns is None or terms is None else partners_without_savings(
        model, [c - n_engine for c in columns if c >= n_engine])
    if engine and applies(model, engine_targets):
        Rf = len(np.unique(rows[model.component_type == 0]))
        cells += 4 * R + 2 * E + C + 2 * Rf * H + 2 * H + (2 * L * H if costs else 0)
    elif engine:
        P = len(np.unique(rows[cols.component] * C + cols.column)) if K else 0
        cells += 6 * R * H + 2 * P * H + 2 * E + 2 * C * H + (6 * R * H if timing else 0) + (3 * L * H if costs else 0)
        if np.ndim(model.params["component_cashable"]) == 2:   # shares by year: the override and each flow
            cells += 3 * K * H
    if terms is not None:
        partners = max(1, sum(n.startswith("net_after[") for n in names))
        agreements = len(terms.gain_share) + len(terms.outcome_payments) + len(terms.payments)
        cells += 3 * L * H + 12 * partners * H + 10 * agreements * H
        flows = 6 * K * H + 3 * R * H + (4 * O * H * H if timing else 0)   # evaluate's per-line flows (and kernel)
        if light is not None:      # the costs alone: each contract's participants, tariffs, rungs and payers, and
            # each investor's waterfall; never more than the whole deal, of which this is a part
            flows = min(flows, 12 * len(terms.investments or []) * H + sum(
                3 * (len(c.tariff_names) + len(c.rung_tariff) + len(c.payers) + len(c.tariff_outcome) + 4) * H
                for c in compile_deal(model).contracts.values()))
        cells += flows
    return 8 * cells


def run_chunk(model: CompiledModel, sampler: Sampler, start: int, stop: int, include_irr: bool,
              keep_samples: bool, columns: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Metric values (and optionally parameter values) of draws ``start .. stop-1``.

    ``columns`` selects metric columns (indices into
    :func:`~cba.uncertainty._core.metric_names`); default all.
    """
    values = sampler.sample(start, stop, reuse=True)     # this thread's arrays, used up here
    # drawn inside each distribution's support, itself checked against each parameter's range
    # only what the columns need is worked out (see cba.uncertainty._core.run)
    out = core.run(model, sampler.parameters, values, include_irr=include_irr, checked=True,
                   buffers=sampler.workspace(), columns=columns)
    samples = np.column_stack([values[p] for p in sampler.paths]) if keep_samples else None
    return out, samples


def _pass_task(model: CompiledModel, sampler: Sampler, start: int, stop: int, include_irr: bool,
               columns, plan: _Plan) -> _Accumulator:
    """One chunk of a streaming pass: draws ``start .. stop-1`` through the engine (the
    same chunks as a run held in memory), reduced as ``plan`` says."""
    values = run_chunk(model, sampler, start, stop, include_irr, False, columns)[0] + 0.0
    acc = _Accumulator(plan)
    with _quiet():
        acc.add_chunk(plan, start, values)
    return acc.finish()


def chunks(draws: int, size: int) -> core.Spans:
    """``[(start, stop), ...]`` covering ``0 .. draws`` in steps of ``size``.

    >>> chunks(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    return core.Spans(draws, size)  # hardening: lazy, never a list as long as the draws


def _progress(total: int, progress, n_chunks: int, desc: str = "Monte Carlo"):
    from cba.core._progress import progress_bar  # a terminal bar, or tqdm's notebook bar in Jupyter

    return progress_bar(total, progress, n_chunks, desc)


def _map_local(fn, model, sampler, spans, args, n: int, ahead: int | None = None):
    """``(span, fn(model, sampler, *span, *args))`` for each span, on ``n`` threads, as
    each finishes (at most ``ahead``, by default ``2 n``, at a time, so finished results
    never pile up and the chunks in memory are bounded whatever ``n``)."""
    if n == 1:
        for span in spans:
            yield span, fn(model, sampler, *span, *args)
        return
    with ThreadPoolExecutor(max_workers=n) as pool:
        todo = iter(spans)
        running = {}
        try:
            for span in itertools.islice(todo, max(n, ahead or 2 * n)):
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


def montecarlo(model: ModelLike, distributions: Mapping[str, object], draws: int = 10_000,
               seed: int | np.random.SeedSequence | None = None, *,
               correlation: Mapping[Any, Any] | Sequence[Any] | pd.DataFrame | None = None,
               thresholds: Mapping[str, object] | None = None,
               quantiles: Sequence[float] = DEFAULT_QUANTILES, include_irr: bool = False,
               keep_draws: bool = False, metrics: Sequence[str] | None = None,
               chunk_size: int | None = None, workers: int | None = None,
               progress: bool | None = None, client: Client | None = None, memory: int = MEMORY,
               seed_scheme: int = SEED_SCHEME) -> MonteCarloResult:
    """Probabilistic sensitivity analysis of an intervention.

    Parameters
    ----------
    model : Intervention, dict, path, Appraisal or CompiledModel
    distributions : mapping of parameter path to distribution
        E.g. ``{"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5,
        "high": 0.7}}`` or ``{"costs": Uniform(0.9, 1.3)}``; paths as in
        :mod:`cba.uncertainty._parameters`, distributions as in
        :mod:`cba.uncertainty._distributions`.
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
        replacing the defaults (:data:`cba.uncertainty._core.DEFAULT_THRESHOLDS`
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
        How the seed becomes random numbers (see :mod:`cba.uncertainty._sampling`;
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
    statistics; a negative zero counts as zero. See :func:`~cba.uncertainty._summary.summarise`.
    """
    compiled = core.as_compiled(model)
    draws = core.check_draws(draws)  # hardening: bounded before anything is allocated
    if progress is not None:
        from cba.core._arguments import flag

        flag(progress, "montecarlo: progress")
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
    size = chunk_size_for(compiled, sampler, columns=columns) if chunk_size is None else _whole(chunk_size,
                                                                                               "chunk_size", 1)
    if client is None:
        n_workers = _whole(workers if workers is not None else (os.cpu_count() or 1), "workers", 1)
        n_workers = min(n_workers, core.max_threads())  # hardening: results do not depend on it
        # the chunks in memory at once fit IN_FLIGHT_MEMORY, whatever the number of threads
        in_flight = max(1, IN_FLIGHT_MEMORY // max(1, size * bytes_per_draw(compiled, sampler, columns)))
        n_workers = min(n_workers, in_flight)
        ahead = min(2 * n_workers, in_flight)

    def mapped(fn, spans, args):
        """``(span, result)`` of each span, on the Dask cluster or on local threads."""
        if client is not None:
            from cba.uncertainty._distributed import map_tasks

            return map_tasks(client, fn, compiled, sampler, spans, args)
        return _map_local(fn, compiled, sampler, spans, args, min(n_workers, len(spans)), ahead)

    base = core.run(compiled, [], {}, include_irr=include_irr, columns=columns)[0]
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
