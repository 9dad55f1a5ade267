"""What every uncertainty analysis shares: the model, the metrics, the thresholds.

Metric names are those of :data:`cba.engine._metrics.METRIC_NAMES` plus one per agency
and agency metric, written ``net[dwp]`` ("DWP's net position"), ``roi[nhs]``,
``pv_costs[local_authority]`` and so on (:data:`cba.engine._metrics.AGENCY_METRIC_NAMES`).
A model with a ``partnership`` section adds each partner's position under the deal,
``net_after[dwp]``, ``funding[nhs]``, ``received[...]``, ``paid[...]`` and
``peak_deficit_after[...]`` (:data:`cba.partnership._positions.DEAL_METRIC_NAMES`);
deal terms are varied by ``partnership.`` paths (:mod:`cba.uncertainty._deal_parameters`).

:func:`run` evaluates parameter values, one per draw, through the engine's fast
paths (:func:`cba.engine._profiles.present_values` when only rates, amounts, costs, lags or
durations vary, else :func:`cba.engine._evaluate.evaluate_totals`; then
:func:`cba.engine._metrics.compute`) and returns every metric as a column of a ``(D, M)``
array.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import cba.core._limits as limits
import cba.engine._finite as finite
from cba.core._errors import CBAError, shown
from cba.core._numbers import guard, number
from cba.engine._compiled import CompiledModel, compile_model
from cba.engine._evaluate import Totals, evaluate_totals
from cba.engine._loading import load_intervention
from cba.engine._metrics import AGENCY_METRIC_NAMES, METRIC_NAMES, PresentValues, compute
from cba.engine._profiles import present_values
from cba.model._intervention import Intervention
from cba.uncertainty._overrides import build_overrides
from cba.uncertainty._parameter import Parameter

if TYPE_CHECKING:  # pragma: no cover
    from typing import TypeAlias

    from cba.ledger._appraisal import Appraisal

    #: A model in any form :func:`as_compiled` accepts.
    ModelLike: TypeAlias = CompiledModel | Intervention | Appraisal | dict[str, Any] | str | Path

#: Thresholds used when none is given: break-even of each case (metric, ">", value).
DEFAULT_THRESHOLDS: dict[str, float] = {
    "net_present_budget_impact": 0.0,
    "net_present_public_value": 0.0,
    "financial_roi": 1.0,
    "cashable_roi": 1.0,
    "public_value_roi": 1.0,
}
#: Agency metrics with a default threshold (an agency "comes out ahead" when net > 0).
DEFAULT_AGENCY_THRESHOLDS: dict[str, float] = {"net": 0.0, "net_after": 0.0}
#: Metrics for which lower is better (a threshold is beaten from below).
LOWER_IS_BETTER = frozenset({"pv_costs", "payback_period", "wrong_pocket_index"})
LOWER_IS_BETTER_AGENCY = frozenset({"pv_costs", "cost_share", "funding", "paid", "peak_deficit_after"})

_AGENCY_METRIC = re.compile(r"^([a-z_]+)\[([a-z][a-z0-9_]*)\]$")
_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def as_compiled(model: ModelLike) -> CompiledModel:
    """A :class:`~cba.engine._compiled.CompiledModel` from a model in any form.

    Accepts a compiled model, an :class:`~cba.model._intervention.Intervention`, a dict, an
    :class:`~cba.ledger._appraisal.Appraisal` or the path of a model file.
    """
    if isinstance(model, CompiledModel):
        return model
    compiled = getattr(model, "compiled", None)
    if isinstance(compiled, CompiledModel):
        return compiled
    source = None
    if isinstance(model, (str, Path)):
        source = str(model)
        model = load_intervention(model)
    elif isinstance(model, dict):
        model = Intervention.from_dict(model)
    if not isinstance(model, Intervention):
        raise CBAError(f"expected an intervention, a model file or a compiled model, got {type(model).__name__}")
    with guard(source):
        compiled = compile_model(model)
        finite.check_model(compiled)  # no overflow at the model's own values
    return compiled


def check_draws(draws, where: str = "draws", kept_columns: int | None = None) -> int:
    """A number of Monte Carlo draws: a whole number from 1 to the ``draws`` limit.

    With ``kept_columns`` (the draws are kept in memory, ``8 x draws x columns``
    bytes), also within the ``kept_draws_bytes`` limit. Checked before anything
    is allocated.

    >>> check_draws(10_000)
    10000
    >>> check_draws(0)
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: draws: must be a whole number 1 or more, got 0
    """
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise CBAError(f"{where}: must be a whole number 1 or more, got {shown(draws)}")
    most = limits.get("draws")
    if draws > most:
        raise CBAError(f"{where}: {int(draws):,} draws are more than one run may make; {limits.exceeded('draws')}")
    if kept_columns:
        need = 8 * int(draws) * int(kept_columns)
        if need > limits.get("kept_draws_bytes"):
            raise CBAError(f"{where}: keeping {int(draws):,} draws of {kept_columns} values needs {need:,} bytes; "
                           f"keep fewer draws, or {limits.exceeded('kept_draws_bytes')}")
    return int(draws)


#: Most threads a Monte Carlo run starts on any machine (results never depend on the number).
MAX_THREADS = 64


def max_threads() -> int:
    """Most threads a run starts here: the CPUs this process may run on, at most :data:`MAX_THREADS`.

    More threads than CPUs only wait for each other and hold more chunks in memory.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_THREADS, cpus))


def check_memory(memory: int, where: str = "memory") -> int:
    """A memory budget for draws held in memory: within the ``kept_draws_bytes`` limit."""
    most = limits.get("kept_draws_bytes")
    if memory > most:
        raise CBAError(f"{where}: {memory:,} bytes for the draws is more than allowed; "
                       f"{limits.exceeded('kept_draws_bytes')}")
    return memory


class Spans(Sequence):
    """``(start, stop)`` chunks covering draws ``0 .. draws`` in steps of ``size``, made on demand.

    >>> s = Spans(5, 2)
    >>> len(s), s[1], list(s)
    (3, (2, 4), [(0, 2), (2, 4), (4, 5)])
    """

    def __init__(self, draws: int, size: int):
        self.draws, self.size = int(draws), max(1, int(size))

    def __len__(self) -> int:
        return -(-self.draws // self.size)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        a = i * self.size
        return (a, min(a + self.size, self.draws))

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for a in range(0, self.draws, self.size):
            yield (a, min(a + self.size, self.draws))

    def __repr__(self) -> str:
        return repr(list(self)) if len(self) <= 20 else f"Spans(draws={self.draws}, size={self.size})"


def metric_names(model: CompiledModel, include_agencies: bool = True) -> list[str]:
    """Every metric column, in order: the headline metrics, then ``name[agency]``.

    Examples
    --------
    >>> m = as_compiled({"name": "Tiny", "price_base": "2024/25",
    ...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}]})
    >>> metric_names(m)[-2:]
    ['fiscal_share[local_authority]', 'roi[local_authority]']
    """
    from cba.core._arguments import flag, instance_argument

    instance_argument(model, CompiledModel, "metric_names: model", "a compiled model (cba.engine.compile_model)")
    names = list(METRIC_NAMES)
    if flag(include_agencies, "metric_names: include_agencies"):
        names += [f"{k}[{a}]" for k in AGENCY_METRIC_NAMES for a in model.agencies]
        names += _deal_metric_names(model)
    return names


def engine_column_count(model: CompiledModel, include_agencies: bool = True) -> int:
    """How many of :func:`metric_names` are the appraisal's own (the rest are a deal's)."""
    return len(METRIC_NAMES) + (len(AGENCY_METRIC_NAMES) * len(model.agencies) if include_agencies else 0)


def _deal_metric_names(model: CompiledModel) -> list[str]:
    """A deal's per-partner metrics (``net_after[dwp]``, ...) when the model has a deal."""
    if getattr(model.intervention, "partnership", None) is None:
        return []
    from cba.uncertainty._deal_parameters import deal_metric_names

    return deal_metric_names(model)


def check_metric(model: CompiledModel, name: str) -> str:
    """The metric name, or :class:`~cba.core._errors.CBAError` listing the valid ones."""
    if not isinstance(name, str):
        raise CBAError(f"a metric is a name such as 'financial_roi' or 'net[dwp]', got {shown(name)}")
    n = name.replace(" ", "")
    if n in METRIC_NAMES:
        return n
    if n in _deal_metric_names(model):
        return n
    if m := _AGENCY_METRIC.match(n):
        what, agency = m[1], m[2]
        if what not in AGENCY_METRIC_NAMES:
            from cba.partnership._positions import DEAL_METRIC_NAMES

            if what in DEAL_METRIC_NAMES:
                raise CBAError(f"metric {name!r}: deal metrics need a model with a partnership section and "
                               f"one of its partners ({', '.join(_deal_metric_names(model)) or 'no deal'})")
            raise CBAError(f"metric {name!r}: agency metrics are {', '.join(AGENCY_METRIC_NAMES)}")
        if agency not in model.agencies:
            raise CBAError(f"metric {name!r}: agency {agency!r} neither bears a cost nor banks a saving in "
                           f"this model (agencies: {', '.join(model.agencies) or 'none'})")
        return n
    raise CBAError(f"unknown metric {name!r}: use one of {', '.join(METRIC_NAMES)}, or an agency metric "
                   f"such as net[{model.agencies[0] if model.agencies else 'dwp'}]")


def lower_is_better(metric: str) -> bool:
    """Whether smaller values of a metric are the better ones.

    >>> lower_is_better("payback_period"), lower_is_better("net[dwp]"), lower_is_better("pv_costs[nhs]")
    (True, False, True)
    """
    if m := _AGENCY_METRIC.match(metric):
        return m[1] in LOWER_IS_BETTER_AGENCY
    return metric in LOWER_IS_BETTER


@dataclass(frozen=True)
class Threshold:
    """A line a metric must beat: ``metric op value`` (``op`` one of ``> >= < <=``)."""

    metric: str
    op: str
    value: float

    def __post_init__(self) -> None:
        from cba.core._arguments import text_argument

        text_argument(self.metric, "Threshold: metric", "a metric name")
        if not isinstance(self.op, str) or self.op not in _OPS:
            raise CBAError(f"Threshold: op: expected one of > >= < <=, got {shown(self.op)}")
        object.__setattr__(self, "value", number(self.value, f"Threshold: value ({self.metric})"))

    def beats(self, x: np.ndarray) -> np.ndarray:
        """True where ``x`` beats the threshold (an undefined value never does)."""
        x = np.asarray(x, dtype=float)
        with np.errstate(invalid="ignore"):
            return _OPS[self.op](x, self.value) & ~np.isnan(x)

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


def parse_threshold(model: CompiledModel, metric: str, spec) -> Threshold:
    """A :class:`Threshold` from a number, ``"<= 3"`` or ``("<=", 3)``.

    A bare number takes the metric's better direction (``>``, or ``<`` for costs,
    payback period and the wrong-pocket index).
    """
    metric = check_metric(model, metric)
    op = "<" if lower_is_better(metric) else ">"
    value = spec
    if isinstance(spec, str):
        m = re.match(r"^\s*(>=|<=|>|<)?\s*(\S+)\s*$", spec)
        if not m:
            raise CBAError(f"thresholds.{metric}: expected a number or e.g. '>= 1', got {shown(spec)}")
        op = m[1] or op
        value = m[2]
    elif isinstance(spec, (tuple, list)):
        if len(spec) != 2 or spec[0] not in _OPS:
            raise CBAError(f"thresholds.{metric}: expected (op, value) with op one of > >= < <=, got {shown(spec)}")
        op, value = spec
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise CBAError(f"thresholds.{metric}: expected a number, got {shown(value)}") from None
    value = number(value, f"thresholds.{metric}")
    return Threshold(metric, op, value)


def default_threshold(model: CompiledModel, metric: str) -> Threshold | None:
    """The break-even threshold of a metric, or ``None`` when it has none.

    Examples
    --------
    >>> m = as_compiled({"name": "Tiny", "price_base": "2024/25",
    ...     "costs": [{"name": "Staff", "agency": "nhs", "amounts": [1000]}]})
    >>> str(default_threshold(m, "financial_roi")), str(default_threshold(m, "net[nhs]"))
    ('financial_roi > 1', 'net[nhs] > 0')
    """
    metric = check_metric(model, metric)
    if metric in DEFAULT_THRESHOLDS:
        return Threshold(metric, ">", DEFAULT_THRESHOLDS[metric])
    if (m := _AGENCY_METRIC.match(metric)) and m[1] in DEFAULT_AGENCY_THRESHOLDS:
        return Threshold(metric, ">", DEFAULT_AGENCY_THRESHOLDS[m[1]])
    return None


def thresholds_for(model: CompiledModel, metrics: Sequence[str],
                   given: Mapping[str, object] | None = None) -> dict[str, Threshold]:
    """The threshold of each metric: the one given, else the default, else none."""
    given = dict(given or {})
    out: dict[str, Threshold] = {}
    for name, spec in given.items():
        t = parse_threshold(model, name, spec)
        out[t.metric] = t
    for name in metrics:
        if name not in out and (default := default_threshold(model, name)) is not None:
            out[name] = default
    return out


def run(model: CompiledModel, parameters: Sequence[Parameter], values: Mapping[str, np.ndarray],
        include_irr: bool = False, include_agencies: bool = True, checked: bool = False,
        buffers: dict | None = None, columns: Sequence[int] | None = None) -> np.ndarray:
    """Every metric for each draw of the parameter values.

    Parameters
    ----------
    model : CompiledModel
    parameters : sequence of Parameter
    values : mapping of path to array ``(D,)``
        Values in the user's units (``NaN`` = as in the model).
    include_irr : bool
        Compute the internal rate of return (the slowest metric); NaN when not.
    include_agencies : bool
        Add the agency columns of :func:`metric_names`.
    checked : bool
        The values are known to be in range (see :func:`~cba.uncertainty._overrides.build_overrides`).
    buffers : dict, optional
        Scratch arrays reused from call to call for the engine's overrides (see
        :func:`~cba.uncertainty._overrides.build_overrides`).
    columns : sequence of int, optional
        Only these columns (indices into :func:`metric_names`), in this order. What no
        column needs is not worked out: the appraisal's metrics when only a deal's are
        asked for, the benefit flows when only partners that bank no savings are
        (:func:`~cba.uncertainty._deal_parameters.deal_columns`); each column is the
        number the whole run gives.

    Returns
    -------
    numpy.ndarray
        ``(D, M)``, columns in the order of :func:`metric_names` (or of ``columns``).
    """
    has_deal = include_agencies and getattr(model.intervention, "partnership", None) is not None
    n_engine = engine_column_count(model, include_agencies)
    wanted = None if columns is None else [int(c) for c in columns]
    with guard():  # overflow is reported below, naming the parameters, not warned about
        overrides = build_overrides(model, parameters, values, checked=checked, buffers=buffers, cost_scale=True)
        deal_overrides = {k: overrides.pop(k) for k in list(overrides) if k.startswith("deal.")}
    out: np.ndarray | None = None
    if wanted is None or not has_deal or any(c < n_engine for c in wanted):
        with guard():
            # per-timing profiles when the draws allow them, else the general path
            totals: Totals | PresentValues | None = present_values(model, overrides, buffers=buffers)
            if totals is None:
                totals = evaluate_totals(model, overrides)
            metrics, agency = compute(totals, include_irr=include_irr)
            finite.check_totals(model, totals, metrics, agency, parameters, values)
        cols = [metrics[k] for k in METRIC_NAMES]
        out = np.column_stack(cols) if cols else np.empty((metrics["pv_costs"].shape[0], 0))
        if include_agencies and model.agencies:
            out = np.concatenate([out] + [agency[k] for k in AGENCY_METRIC_NAMES], axis=1)
    if not has_deal or (wanted is not None and all(c < n_engine for c in wanted)):
        assert out is not None
        return out if wanted is None else out[:, wanted]
    from cba.uncertainty._deal_parameters import deal_columns

    if wanted is None:
        deal = deal_columns(model, overrides, deal_overrides)
        assert out is not None
        if deal.shape[0] != out.shape[0]:  # only deal terms vary: the engine ran one draw
            out = np.broadcast_to(out, (deal.shape[0], out.shape[1]))
        return np.concatenate([out, deal], axis=1)
    # only the deal's columns asked for, each worked out once, then every column in the order asked
    picked = sorted({c for c in wanted if c >= n_engine})
    part = deal_columns(model, overrides, deal_overrides, [c - n_engine for c in picked])
    column = {c: part[:, j] for j, c in enumerate(picked)}
    if out is not None:     # some of the appraisal's columns asked for too
        column.update({c: out[:, c] for c in wanted if c < n_engine})
    D = part.shape[0]   # the engine ran one draw when only deal terms vary
    return np.column_stack([np.broadcast_to(column[c], (D,)) for c in wanted])
