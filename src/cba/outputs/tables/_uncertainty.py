"""Uncertainty results as tables for people: metric labels, units, number kinds.

Like :mod:`cba.outputs.tables._tables`, each function returns a pandas DataFrame of unrounded
numbers whose ``attrs`` tell :mod:`cba.outputs._format` how to show it (text,
Markdown, HTML). Nothing here computes: the numbers come from the results of
:mod:`cba.uncertainty` (scenarios, one-way sensitivity, switching values, Monte
Carlo). Metrics are shown by their labels (:func:`cba.outputs._labels.metric_label`), never
by their ids, and formatted as everywhere else (:func:`cba.outputs._labels.metric_kind`).

==========================  =====================================================
:func:`scenario_tables`      metrics side by side by scenario, and the assumptions
:func:`sensitivity_tables`   one table per metric, parameters by swing
:func:`switching_tables`     one table per metric, the switching value of each parameter
:func:`montecarlo_tables`    the spread of each metric, and the chance of each test
==========================  =====================================================
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from cba.outputs._arguments import takes
from cba.outputs._format import fmt, format_value, units_text
from cba.outputs._labels import agency_names_of, metric_kind, metric_label
from cba.outputs.tables._frame import _table

if TYPE_CHECKING:  # pragma: no cover
    from cba.engine._compiled import CompiledModel
    from cba.ledger._appraisal import Appraisal
    from cba.model._intervention import Intervention
    from cba.uncertainty._montecarlo_result import MonteCarloResult
    from cba.uncertainty._scenarios import ScenarioResult
    from cba.uncertainty._sensitivity import SensitivityResult
    from cba.uncertainty._switching import SwitchingValue

#: Kind of a swing or a difference, by the kind of the metric.
_SPREAD_KIND = {"years": "number"}


def _context(model) -> tuple[str | None, str | None, dict[str, str]]:
    """Name, price base and agency names of a model (any of them may be unknown)."""
    model = getattr(model, "model", None) if model is not None and hasattr(model, "summary") else model
    intervention = getattr(model, "intervention", model)
    return (getattr(intervention, "name", None), getattr(intervention, "price_base", None),
            agency_names_of(model))


def _title(name: str | None, what: str, price_base: str | None) -> str:
    units = f" (pounds at {price_base} prices, present values)" if price_base else ""
    return f"{name + ': ' if name else ''}{what}{units}"


def _units_note(price_base: str | None) -> list[dict[str, Any]]:
    return [{"label": "Units", "value": units_text(price_base), "kind": "text"}] if price_base else []


def _parameter_value(x: float, unit: str) -> str:
    return format_value(x, unit)


# ---------------------------------------------------------------- scenarios
@takes(result="scenarios", model="model?")
def scenario_tables(result: ScenarioResult,
                    model: Intervention | Appraisal | CompiledModel | None = None) -> dict[str, pd.DataFrame]:
    """The metrics of each scenario side by side, and the assumptions behind them.

    Parameters
    ----------
    result : ScenarioResult
    model : Intervention, Appraisal or CompiledModel, optional
        For the intervention's name, price base and agency names.

    Returns
    -------
    dict
        ``results`` (one row per metric, one column per scenario) and
        ``assumptions`` (one row per parameter varied, its value in each scenario).
    """
    name, price_base, names = _context(model)
    table = result.table
    frame = table.reset_index()
    frame.insert(1, "label", [metric_label(m, names) for m in frame["metric"]])
    frame["_kind"] = [metric_kind(m) for m in frame["metric"]]
    scenarios = list(table.columns)
    results = _table(frame, _title(name, "scenarios", price_base),
                     kinds={**{s: "@_kind" for s in scenarios}, "metric": "text", "label": "text"},
                     labels={"label": "Result"}, hidden=("metric", "_kind"))
    a = result.assumptions.reset_index()
    shown = pd.DataFrame({"parameter": a["parameter"] if "parameter" in a else a.iloc[:, 0],
                          "label": a["label"],
                          **{s: [_parameter_value(x, u) for x, u in zip(a[s], a["unit"])] for s in scenarios}})
    assumptions = _table(shown, "Assumptions of each scenario",
                         kinds={c: "text" for c in shown.columns}, labels={"label": "Parameter"},
                         hidden=("parameter",))
    return {"results": results, "assumptions": assumptions}


# ---------------------------------------------------------------- one-way sensitivity
@takes(result="sensitivity", model="model?")
def sensitivity_tables(result: SensitivityResult,
                       model: Intervention | Appraisal | CompiledModel | None = None) -> dict[str, pd.DataFrame]:
    """One table per metric: each parameter at its low and high value, largest swing first.

    Returns
    -------
    dict
        Metric id -> table with the parameter's label, its low and high values (as
        entered), the metric at the low and the high value and the swing.
    """
    name, price_base, names = _context(model)
    out = {}
    for metric in result.metrics:
        rows = result.tornado(metric)
        kind = metric_kind(metric)
        base = rows["metric_base"].iloc[0] if len(rows) else math.nan
        frame = pd.DataFrame({
            "parameter": rows["parameter"], "label": rows["label"],
            "low_value": [_parameter_value(x, u) for x, u in zip(rows["low_value"], rows["unit"])],
            "high_value": [_parameter_value(x, u) for x, u in zip(rows["high_value"], rows["unit"])],
            "metric_low": rows["metric_low"].astype(float), "metric_high": rows["metric_high"].astype(float),
            "swing": rows["swing"].astype(float)})
        label = metric_label(metric, names)
        out[metric] = _table(
            frame, _title(name, f"one-way sensitivity of {label}", price_base if kind == "money" else None),
            kinds={"parameter": "text", "label": "text", "low_value": "text", "high_value": "text",
                   "metric_low": kind, "metric_high": kind, "swing": _SPREAD_KIND.get(kind, kind)},
            labels={"label": "Parameter", "low_value": "Low value", "high_value": "High value",
                    "metric_low": "Result at low value", "metric_high": "Result at high value",
                    "swing": "Swing"},
            hidden=("parameter",),
            notes=[{"label": f"{label} with every assumption as modelled", "value": fmt(base, kind),
                    "kind": "text"}, {"label": "Order", "value": "largest swing first", "kind": "text"}])
    return out


# ---------------------------------------------------------------- switching values
def _switching_note(sv) -> str:
    kind = metric_kind(sv.metric)
    low, high = sv.metric_range
    where = f"{_parameter_value(sv.within[0], 'number')} to {_parameter_value(sv.within[1], 'number')}"
    if math.isnan(low):
        return f"{sv.label}: the result is not defined for any value from {where}"
    side = "above" if low > sv.threshold else "below"
    return (f"{sv.label}: the result stays {side} {fmt(sv.threshold, kind)} for every value from {where} "
            f"(it runs from {fmt(low, kind)} to {fmt(high, kind)})")


@takes(values="switching")
def switching_records(values: Sequence[SwitchingValue]) -> pd.DataFrame:
    """Switching values as the table of :func:`cba.uncertainty.switching_values` (same columns)."""
    import numpy as np

    return pd.DataFrame([{"parameter": sv.parameter, "label": sv.label,
                          "base": np.nan if sv.base is None else sv.base,
                          "value": np.nan if sv.value is None else sv.value, "found": sv.found,
                          "metric": sv.metric, "threshold": sv.threshold, "metric_at_base": sv.metric_at_base,
                          "message": sv.message} for sv in values])


@takes(values="switching", model="model?")
def switching_tables(values: Sequence[SwitchingValue],
                     model: Intervention | Appraisal | CompiledModel | None = None) -> dict[str, pd.DataFrame]:
    """One table per metric: each parameter's value in the model and its switching value.

    Parameters
    ----------
    values : sequence of SwitchingValue
        Answers of :func:`cba.uncertainty.switching_value`, in order.
    model : optional
        For the intervention's name, price base and agency names.
    """
    name, price_base, names = _context(model)
    by_metric: dict[str, list] = {}
    for sv in values:
        by_metric.setdefault(sv.metric, []).append(sv)
    out = {}
    for metric, svs in by_metric.items():
        kind = metric_kind(metric)
        label = metric_label(metric, names)
        threshold = svs[0].threshold
        frame = pd.DataFrame({
            "parameter": [sv.parameter for sv in svs], "label": [sv.label for sv in svs],
            "base": ["" if sv.base is None else f"{sv.base:.6g}" for sv in svs],
            "value": [f"{sv.value:.6g}" if sv.value is not None else "none" for sv in svs],
            "crossings": [len(sv.crossings) for sv in svs]})
        notes = [{"label": f"{label} with every assumption as modelled",
                  "value": fmt(svs[0].metric_at_base, kind), "kind": "text"}]
        notes += [{"label": "none", "value": _switching_note(sv), "kind": "text"}
                  for sv in svs if sv.value is None]
        several = [sv for sv in svs if len(sv.crossings) > 1]
        notes += [{"label": f"{sv.label} crosses {fmt(threshold, kind)} {len(sv.crossings)} times",
                   "value": "the crossing nearest the model's value is shown ("
                   + ", ".join(f"{x:.6g}" for x in sv.crossings) + ")", "kind": "text"} for sv in several]
        t = _table(frame, _title(name, f"switching values: where {label} reaches {fmt(threshold, kind)}",
                                 price_base if kind == "money" else None),
                   kinds={"parameter": "text", "label": "text", "base": "text", "value": "text", "crossings": "int"},
                   labels={"label": "Parameter", "base": "Value in the model", "value": "Switching value"},
                   hidden=("parameter", "crossings"), notes=notes)
        t.attrs["none_note"] = ""  # each none is explained by its own note
        out[metric] = t
    return out


# ---------------------------------------------------------------- Monte Carlo
def _quantile_label(column: str) -> str:
    """``p50`` -> ``Median``, ``p5`` -> ``5th percentile``, ``p2_5`` -> ``2.5th percentile``."""
    if column == "p50":
        return "Median"
    q = column[1:].replace("_", ".")
    n = int(q) if q.isdigit() else None
    suffix = "th" if n is None or 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{q}{suffix} percentile"


@takes(result="montecarlo", model="model?")
def montecarlo_tables(result: MonteCarloResult,
                      model: Intervention | Appraisal | CompiledModel | None = None) -> dict[str, pd.DataFrame]:
    """The spread of each metric over the draws, and the chance each test is met.

    Returns
    -------
    dict
        ``spread`` (one row per metric: the mean, 5th percentile, median and 95th
        percentile, and the share of draws where the metric is not defined when
        there are any), ``range`` (the smallest and largest draw and the other
        quantiles) and, when the run has thresholds, ``chances`` (one row per test).
    """
    name, price_base, names = _context(model if model is not None else result.model)
    s = result.summary
    quantiles = [c for c in s.columns if c.startswith("p") and c[1:].replace("_", "").isdigit()]
    central = [q for q in quantiles if q in ("p5", "p50", "p95")] or quantiles
    labels = {"label": "Result", "mean": "Mean", "min": "Minimum", "max": "Maximum",
              **{q: _quantile_label(q) for q in quantiles}}

    def frame_of(stats: list[str], title: str, undefined: bool = False) -> pd.DataFrame:
        frame = s[stats].reset_index()
        frame.insert(1, "label", [metric_label(m, names) for m in frame["metric"]])
        frame["_kind"] = [_SPREAD_KIND.get(metric_kind(m), metric_kind(m)) for m in frame["metric"]]
        kinds = {**{c: "@_kind" for c in stats}, "metric": "text", "label": "text"}
        blank: tuple[str, ...] = ()
        if undefined and (s["undefined"] > 0).any():
            frame["undefined"] = s["undefined"].where(s["undefined"] > 0).to_numpy()
            kinds["undefined"] = "share"
            blank = ("undefined",)
        t = _table(frame, title, kinds=kinds, labels={**labels, "undefined": "Not defined in"},
                   hidden=("metric", "_kind"), blank=blank)
        t.attrs["none_note"] = ("none: the result is not defined in any draw (a ratio with no costs, no payback "
                                "within the horizon, no internal rate of return)")
        return t

    title = _title(name, f"Monte Carlo, {result.draws:,} draws, seed {result.seed} "
                         f"(seed scheme {result.seed_scheme})", price_base)
    spread = frame_of(["mean", *central], title, undefined=True)
    spread.attrs["notes"] = [{"label": "Not defined in", "kind": "text",
                              "value": "the share of draws in which the result has no value (those draws are left "
                                       "out of the other figures)"}] if "undefined" in spread.columns else []
    rest = [q for q in quantiles if q not in central]
    out = {"spread": spread,
           "range": frame_of(["min", *rest, "max"], "The range of the draws (smallest, largest and the other "
                                                    "quantiles)")}
    chance = cast("pd.Series[float]", s["probability"])  # a share of the draws, NaN without a test
    tests = [(m, t) for m, t in result.thresholds.items() if m in s.index and not pd.isna(chance.loc[m])]
    if tests:
        rows = pd.DataFrame({
            "metric": [m for m, _ in tests], "label": [metric_label(m, names) for m, _ in tests],
            "test": [f"{t.op} {fmt(t.value, metric_kind(m))}" for m, t in tests],
            "probability": [float(chance.loc[m]) for m, _ in tests]})
        out["chances"] = _table(rows, "Chance of meeting each test (share of all draws; a draw where the result "
                                "is not defined does not meet it)",
                                kinds={"metric": "text", "label": "text", "test": "text", "probability": "share"},
                                labels={"label": "Result", "test": "Test", "probability": "Chance"},
                                hidden=("metric",))
    return out
