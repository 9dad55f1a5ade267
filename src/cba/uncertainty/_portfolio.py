"""Many interventions through the engine at once.

Interventions with the same structure (horizon, cost lines, outcomes and value
components at the same positions, paying and saving agencies in the same places)
differ only in the values of the engine's parameters (:data:`cba.engine._compiled.PARAMETER_SHAPES`:
cohorts, rates, amounts, discount factors, ...). Each such group is evaluated as
the draws of one model: one call of :func:`cba.engine._evaluate.evaluate_totals` with every
intervention's parameters as overrides, and one call of :func:`cba.engine._metrics.compute`
(the internal rate of return vectorised over the group). A portfolio of variants of
a few models costs a few engine calls rather than one per intervention.

The engine and the metrics compute each draw on its own, so an intervention's
results do not depend on which others share its group: the same whether the
portfolio is appraised at once, in batches, or in batches on a Dask cluster. Every
intervention is evaluated with its parameters as overrides, even alone in its
group, so that it takes the same arithmetic path whatever its company. Its results
equal :func:`cba.appraise`'s up to floating-point rounding (summation order).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

import numpy as np

from cba.engine._compiled import PARAMETER_SHAPES, CompiledModel
from cba.engine._evaluate import evaluate_totals
from cba.engine._metrics import AGENCY_METRIC_NAMES, METRIC_NAMES, compute

#: Fields of a compiled model that describe where numbers come from, not how they
#: are computed: interventions may differ in them and still share a group.
_DESCRIPTIVE = frozenset({"intervention", "year_labels", "agencies", "cost_info", "component_info", "deflator",
                          "notes", "params"})
#: Most interventions evaluated in one engine call (bounds the working memory).
GROUP_SIZE = 2048


def _key(value) -> object:
    if isinstance(value, np.ndarray):
        return value.dtype.str, value.shape, value.tobytes()
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def structure(model: CompiledModel) -> tuple:
    """What interventions must share to be evaluated together.

    Everything the engine reads except the values of its overridable parameters:
    the horizon, the number of agencies, every index array (which agency pays each
    cost line, which outcome, value type and agency each component belongs to),
    the shape of every parameter, and the value of any parameter that cannot be
    overridden.
    """
    parts: list = [("agencies", len(model.agencies))]
    for f in dataclasses.fields(model):
        if f.name not in _DESCRIPTIVE:
            parts.append((f.name, _key(getattr(model, f.name))))
    for name in sorted(model.params):
        value = np.asarray(model.params[name])
        parts.append((name, value.shape) if name in PARAMETER_SHAPES else (name, _key(value)))
    return tuple(parts)


def groups(models: Sequence[CompiledModel], size: int = GROUP_SIZE) -> Iterator[list[int]]:
    """Positions of the models, in groups of the same :func:`structure` (in order of
    first appearance, each in input order, at most ``size`` each)."""
    by_key: dict[tuple, list[int]] = {}
    for i, m in enumerate(models):
        by_key.setdefault(structure(m), []).append(i)
    for members in by_key.values():
        for a in range(0, len(members), size):
            yield members[a:a + size]


def evaluate_group(models: Sequence[CompiledModel], include_irr: bool = True
                   ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every metric of interventions of the same :func:`structure`.

    Returns
    -------
    metrics : dict of str to numpy.ndarray
        :data:`cba.engine._metrics.METRIC_NAMES`, each ``(n,)``.
    by_agency : dict of str to numpy.ndarray
        :data:`cba.engine._metrics.AGENCY_METRIC_NAMES`, each ``(n, A)``, agencies in each
        model's own order.

    Examples
    --------
    >>> import cba
    >>> from cba.engine._compiled import compile_model
    >>> ms = [compile_model(cba.Intervention.from_dict({"name": n, "price_base": "2024/25", "horizon": 1,
    ...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
    ...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": s,
    ...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}))
    ...     for n, s in (("A", 0.2), ("B", 0.5))]
    >>> metrics, _ = evaluate_group(ms)
    >>> metrics["financial_roi"]
    array([0.6, 1.5])
    """
    first = models[0]
    overrides = {name: np.stack([np.asarray(m.params[name]) for m in models]) for name in PARAMETER_SHAPES}
    return compute(evaluate_totals(first, overrides), include_irr=include_irr)


def evaluate_many(models: Sequence[CompiledModel], include_irr: bool = True
                  ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Every metric of every intervention, grouped by structure.

    Returns
    -------
    metrics : numpy.ndarray
        ``(N, len(METRIC_NAMES))``, rows in the order given.
    by_agency : list of numpy.ndarray
        For each intervention, ``(len(AGENCY_METRIC_NAMES), A)`` in the order of its
        ``agencies``.
    """
    N = len(models)
    metrics = np.full((N, len(METRIC_NAMES)), np.nan)
    by_agency: list[np.ndarray] = [np.empty((len(AGENCY_METRIC_NAMES), 0))] * N
    for members in groups(models):
        m, a = evaluate_group([models[i] for i in members], include_irr)
        metrics[members] = np.column_stack([m[k] for k in METRIC_NAMES])
        stacked = np.stack([a[k] for k in AGENCY_METRIC_NAMES], axis=1)          # (n, 8, A)
        for j, i in enumerate(members):
            by_agency[i] = stacked[j]
    return metrics, by_agency
