"""The result of a Monte Carlo run: :class:`MonteCarloResult`.

What :func:`cba.uncertainty._montecarlo` returns: the run's settings, the summary
table (:mod:`cba.uncertainty._summary`) and, when kept, every draw; with the
questions people ask of it (the chance a metric beats a threshold, each agency's
position) and plain data for exports. Tables for people are in
:mod:`cba.outputs.tables._uncertainty`; notebooks show it through the accessor
``result.html`` (:mod:`cba.core._accessors`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

import cba.uncertainty._core as core
from cba.core._accessors import accessor
from cba.core._errors import CBAError
from cba.engine._compiled import CompiledModel
from cba.uncertainty._distribution_base import Distribution
from cba.uncertainty._sampling import SEED_SCHEME


@dataclass
class MonteCarloResult:
    """The outcome of :func:`cba.uncertainty._montecarlo`.

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
        Metric columns (:func:`cba.uncertainty._core.metric_names`).
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
        :func:`cba.uncertainty._montecarlo`).
    seed_scheme : int
        How the seed became random numbers (:mod:`cba.uncertainty._sampling`).
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

    def probability(self, metric: str, threshold: float | str | tuple[str, float] | None = None) -> float:
        """Share of draws in which ``metric`` beats a threshold.

        With no ``threshold`` the run's own threshold for the metric is used; a
        new threshold (a number, ``">= 1.2"`` or ``(">=", 1.2)``) needs the draws
        (``keep_draws=True``).
        """
        if threshold is None:
            if metric not in self.summary.index:
                raise CBAError(f"unknown metric {metric!r}: use one of {', '.join(self.summary.index)}")
            p = cast(float, self.summary.loc[metric, "probability"])  # one cell: a share or NaN
            if pd.isna(p):
                raise CBAError(f"{metric} has no threshold in this run; give one, e.g. probability({metric!r}, 0)")
            return float(p)
        if self.values is None:
            raise CBAError("a new threshold needs the draws: run montecarlo(..., keep_draws=True)")
        if metric not in self.metrics:
            raise CBAError(f"unknown metric {metric!r}: use one of {', '.join(self.metrics)}")
        assert self.model is not None  # montecarlo() keeps the model with the draws
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
        """The results as JSON text: :meth:`to_dict`, indented by ``indent`` spaces (``None``: on one line)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def __repr__(self) -> str:
        return (f"<MonteCarloResult: {self.draws:,} draws of {len(self.parameters)} parameter(s), "
                f"seed {self.seed}>")

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("result.html")(self))
