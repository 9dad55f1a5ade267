"""Monte Carlo and portfolio appraisal on a Dask cluster.

Install with ``pip install 'cba-appraisal[dask]'``. Pass a
``dask.distributed.Client`` as ``client=`` to :func:`cba.uncertainty._montecarlo`
(draws are split into chunks, one task each) or to :func:`appraise_many`
(interventions are split into batches). The model and the sampler are sent to
the workers once; each task returns only its chunk's metric values, or, for a run
summarised in streaming passes (too many draws to hold), its chunk's share of
each pass's counts, sums and histograms.

The results are identical to a run on this machine with the same seed: every
draw's random numbers depend only on the seed, the parameter and the draw's
index (:mod:`cba.uncertainty._sampling`), and the engine computes each draw on its
own, so neither the chunk size nor the number of workers changes a single bit.

Examples
--------
A cluster on this machine (threads, no extra processes)::

    from dask.distributed import Client, LocalCluster
    from cba.uncertainty import montecarlo

    with LocalCluster(n_workers=2, processes=False) as cluster, Client(cluster) as client:
        result = montecarlo("model.yaml", distributions, draws=1_000_000, seed=1, client=client)
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._arguments import flag, kind_of
from cba.core._errors import CBAError
from cba.engine._compiled import CompiledModel, compile_model
from cba.engine._loading import load_intervention
from cba.engine._metrics import AGENCY_METRIC_NAMES, METRIC_NAMES
from cba.model._intervention import Intervention
from cba.uncertainty._portfolio import evaluate_many
from cba.uncertainty._sampling import Sampler

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    import pandas as pd
    from distributed import Client

    from cba.ledger._appraisal import Appraisal


def _require_distributed():
    try:
        import distributed
    except ImportError:  # pragma: no cover - depends on the environment
        raise CBAError("running on Dask needs dask.distributed: pip install 'cba-appraisal[dask]'") from None
    return distributed


def check_client(client: object) -> None:
    """Refuse a ``client`` that is not a ``dask.distributed.Client`` (None, no cluster, is allowed)."""
    if client is None:
        return
    distributed = _require_distributed()
    if not isinstance(client, distributed.Client):
        raise CBAError(f"client: expected a dask.distributed.Client, got {type(client).__name__}")


def map_batches(client, fn, items: Sequence, batch_size: int, *args) -> list:
    """``fn(batch, *args)`` for each batch of ``batch_size`` items, one Dask task each, results in
    order (``fn`` must be importable by the workers: a module-level function)."""
    check_client(client)
    batches = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
    return client.gather([client.submit(fn, batch, *args, pure=False) for batch in batches])


def _task(fn, model: CompiledModel, sampler: Sampler, start: int, stop: int, args: tuple):
    return fn(model, sampler, start, stop, *args)


def map_tasks(client, fn, model: CompiledModel, sampler: Sampler, spans: Sequence[tuple[int, int]],
              args: tuple = ()) -> Iterator[tuple[tuple[int, int], object]]:
    """Run ``fn(model, sampler, start, stop, *args)`` for each span on a Dask cluster.

    The model, the sampler and ``args`` are sent to every worker once; yields
    ``(span, result)`` as each task finishes. At most four tasks per worker thread
    are submitted ahead, so finished results never pile up. ``fn`` must be
    importable by the workers (a module-level function).
    """
    check_client(client)
    distributed = _require_distributed()
    # fresh keys (hash=False): a second run, e.g. the next streaming pass, must not share
    # keys with data the first one is releasing
    model_f = client.scatter(model, broadcast=True, hash=False)
    sampler_f = client.scatter(sampler, broadcast=True, hash=False)
    args_f = client.scatter([tuple(args)], broadcast=True, hash=False)[0]   # one object, not one per item
    todo = iter(spans)
    ahead = max(8, 4 * sum(client.nthreads().values()))
    futures = {}

    def submit(span):
        f = client.submit(_task, fn, model_f, sampler_f, span[0], span[1], args_f, pure=False)
        futures[f] = span
        return f

    running = distributed.as_completed([submit(span) for span in itertools.islice(todo, ahead)],
                                       with_results=True)
    try:
        for f, result in running:
            for span in itertools.islice(todo, 1):
                running.add(submit(span))
            yield futures.pop(f), result
    finally:
        for f in futures:  # an error or an interrupted run: cancel what is left
            f.cancel()


# ---------------------------------------------------------------- portfolio
def appraisal_row(model: Intervention, include_irr: bool = True) -> dict:
    """Every metric of one intervention, and each agency's metrics as ``name[agency]``."""
    compiled = compile_model(model, provenance=False)
    metrics, by_agency = evaluate_many([compiled], include_irr=include_irr)
    row: dict = {"name": model.name, **dict(zip(METRIC_NAMES, metrics[0].tolist()))}
    for k, values in zip(AGENCY_METRIC_NAMES, by_agency[0].tolist()):
        for a, v in zip(compiled.agencies, values):
            row[f"{k}[{a}]"] = v
    return row


def _batch_task(models: list[Intervention], include_irr: bool) -> tuple[list[str], list[tuple[str, ...]],
                                                                         np.ndarray, list[np.ndarray]]:
    """Names, agencies, metrics ``(n, M)`` and agency metrics of a batch (one Dask task)."""
    compiled = [compile_model(m, provenance=False) for m in models]     # the arrays are all it needs
    metrics, by_agency = evaluate_many(compiled, include_irr=include_irr)
    return [m.name for m in models], [c.agencies for c in compiled], metrics, by_agency


def _as_intervention(m, i: int) -> Intervention:
    if isinstance(m, Intervention):
        return m
    if hasattr(m, "intervention") and isinstance(m.intervention, Intervention):
        return m.intervention
    if isinstance(m, dict):
        try:
            return Intervention.from_dict(m)
        except CBAError as exc:
            raise CBAError(f"models[{i}]: {exc}") from None
    if not isinstance(m, (str, os.PathLike)):
        raise CBAError(f"models[{i}]: expected an Intervention, an Appraisal, a dict or the path of a model file, "
                       f"got {kind_of(m)}")
    return load_intervention(Path(m))


def appraise_many(models: Iterable[Intervention | Appraisal | dict[str, Any] | str | Path], *,
                  include_irr: bool = True, client: Client | None = None,
                  batch_size: int = 16) -> pd.DataFrame:
    """Appraise a portfolio of interventions: one row of metrics each.

    Interventions of the same structure (variants of one model) go through the
    engine together, as the draws of one model, and their internal rates of return
    are found together (:mod:`cba.uncertainty._portfolio`); each row is the same
    whatever the batches, on this machine or on Dask.

    Parameters
    ----------
    models : iterable of Intervention, dict or path
        Files are read here, before any work is sent to a cluster.
    include_irr : bool
        Compute each internal rate of return (default ``True``).
    client : dask.distributed.Client, optional
        Spread batches of ``batch_size`` interventions over a Dask cluster.
        The table is the same as without one.
    batch_size : int
        Interventions per Dask task (on this machine all are evaluated at once).

    Returns
    -------
    pandas.DataFrame
        One row per intervention, in the order given: ``name``, the metrics of
        :data:`cba.engine._metrics.METRIC_NAMES`, then ``net[agency]``, ``roi[agency]``
        and the other agency metrics for every agency in any of them (NaN where
        an intervention does not involve the agency, or a result is none).

    Examples
    --------
    >>> t = appraise_many([{"name": n, "price_base": "2024/25", "horizon": 1,
    ...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
    ...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": s,
    ...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}
    ...     for n, s in (("A", 0.2), ("B", 0.5))])
    >>> t[["name", "financial_roi", "net[police]"]]
      name  financial_roi  net[police]
    0    A            0.6        600.0
    1    B            1.5       1500.0
    """
    import pandas as pd

    if isinstance(models, (str, os.PathLike, dict, Intervention)) or not isinstance(models, Iterable):
        raise CBAError(f"appraise_many: expected a list of models, got {kind_of(models)}")
    items = [_as_intervention(m, i) for i, m in enumerate(models)]
    include_irr = flag(include_irr, "appraise_many: include_irr")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise CBAError(f"batch_size: must be a whole number 1 or more, got {batch_size!r}")
    head = ["name", *METRIC_NAMES]
    if not items:
        return pd.DataFrame(columns=head)
    if client is None:
        parts = [_batch_task(items, include_irr)]
    else:
        parts = map_batches(client, _batch_task, items, batch_size, include_irr)
    names = [n for part in parts for n in part[0]]
    row_agencies = [a for part in parts for a in part[1]]
    metrics = np.concatenate([part[2] for part in parts])
    by_agency = [v for part in parts for v in part[3]]
    # agencies in order of first appearance, row by row; NaN where a row lacks one
    agencies = list(dict.fromkeys(a for row in row_agencies for a in row))
    column = {a: j for j, a in enumerate(agencies)}
    table = np.full((len(AGENCY_METRIC_NAMES), len(agencies), len(names)), np.nan)
    by_set: dict[tuple[str, ...], list[int]] = {}
    for i, row in enumerate(row_agencies):
        by_set.setdefault(row, []).append(i)
    for row, members in by_set.items():                 # rows with the same agencies at once
        if row:
            values = np.stack([by_agency[i] for i in members], axis=-1)        # (8, A, n)
            idx = np.array([column[a] for a in row])
            table[:, idx[:, None], np.array(members)[None, :]] = values
    data: dict[str, object] = {"name": names}
    data.update({k: metrics[:, j] for j, k in enumerate(METRIC_NAMES)})
    for k, name in enumerate(AGENCY_METRIC_NAMES):
        for a, j in column.items():
            data[f"{name}[{a}]"] = table[k, j]
    return pd.DataFrame(data)
