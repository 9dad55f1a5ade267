"""The engine: a model compiled to arrays, evaluated for every draw at once, and its metrics.

:func:`compile_model` resolves unit values (:mod:`cba.unit_costs`) and prices every
amount at the price base; :func:`evaluate` gives the yearly flows by line and value
component; :func:`reduce_flows` sums them by agency; :func:`compute` gives the
metrics of the method spec (section 5). The checks after the arithmetic
(``_finite``) name the line that overflowed. Reading model and programme files
(:func:`load_intervention`) is here too, since combining a programme needs the
engine. This package imports :mod:`cba.core`, :mod:`cba.method`,
:mod:`cba.model` and :mod:`cba.unit_costs`.
"""

from cba.engine._compiled import PARAMETER_SHAPES, VALUE_TYPES, CompiledModel, compile_model
from cba.engine._evaluate import Flows, Totals, evaluate, evaluate_totals, reduce_flows
from cba.engine._loading import load_intervention
from cba.engine._metrics import (
    AGENCY_METRIC_NAMES,
    METRIC_NAMES,
    SAVING_METRIC_NAMES,
    PresentValues,
    compute,
    irr,
    payback_period,
    present_values,
    ratio,
)

__all__ = [
    "AGENCY_METRIC_NAMES", "METRIC_NAMES", "PARAMETER_SHAPES", "SAVING_METRIC_NAMES", "VALUE_TYPES",
    "CompiledModel", "Flows", "PresentValues", "Totals", "compile_model", "compute", "evaluate", "evaluate_totals",
    "irr", "load_intervention", "payback_period", "present_values", "ratio", "reduce_flows",
]
