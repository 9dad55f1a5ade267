"""Uncertainty analysis: scenarios, one-way sensitivity, switching values, Monte Carlo.

Business cases live or die on their assumptions. Every analysis here moves
parameters named by their field path (``outcomes[0].success``,
``costs[2].amounts``, ``discount_rate``: see :mod:`cba.uncertainty._parameters`)
and reports any metric, including each agency's (``net[dwp]``: see
:mod:`cba.uncertainty._core`).

- :func:`scenarios`: named sets of assumptions, side by side.
- :func:`one_way` and :func:`tornado_data`: each assumption to its low and high
  value, sorted by swing; :func:`cba.outputs.charts._uncertainty.tornado` draws it.
- :func:`switching_value`: the value of an assumption at which a metric crosses
  its threshold (ROI = 1, net = 0), by root finding.
- :func:`montecarlo`: distributions on assumptions, optionally correlated,
  reproducible for a seed however the run is chunked, on threads or on Dask
  (:mod:`cba.uncertainty._distributed`).
- a deal's terms as parameters, and each partner's risk under the deal
  (:mod:`cba.uncertainty._deal_parameters`, :mod:`cba.uncertainty._deal_risk`).

This package imports every layer below it (core to partnership); its results reach
their tables and charts in :mod:`cba.outputs` through :mod:`cba.core._accessors`.
"""

from cba.uncertainty._continuous import PERT, Beta, LogNormal, Normal, Triangular, TruncatedNormal, Uniform
from cba.uncertainty._core import DEFAULT_THRESHOLDS, Threshold, metric_names
from cba.uncertainty._discrete import Discrete, Fixed
from cba.uncertainty._distributed import appraise_many
from cba.uncertainty._distribution_base import Distribution
from cba.uncertainty._distributions import from_spec
from cba.uncertainty._montecarlo import montecarlo
from cba.uncertainty._montecarlo_result import MonteCarloResult
from cba.uncertainty._parameter import Parameter
from cba.uncertainty._parameters import resolve
from cba.uncertainty._scenarios import ScenarioResult, scenarios
from cba.uncertainty._sensitivity import SensitivityResult, one_way, tornado_data
from cba.uncertainty._spec import UncertaintySpec, load_spec
from cba.uncertainty._switching import SwitchingValue, switching_value, switching_values

__all__ = [
    "DEFAULT_THRESHOLDS", "PERT", "Beta", "Discrete", "Distribution", "Fixed", "LogNormal",
    "MonteCarloResult", "Normal", "Parameter", "ScenarioResult", "SensitivityResult", "SwitchingValue",
    "Threshold", "Triangular", "TruncatedNormal", "UncertaintySpec", "Uniform", "appraise_many",
    "from_spec", "load_spec", "metric_names", "montecarlo", "one_way", "resolve", "scenarios",
    "switching_value", "switching_values", "tornado_data",
]
