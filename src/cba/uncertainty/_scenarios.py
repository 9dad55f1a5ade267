"""Scenarios: named sets of assumptions appraised side by side.

A scenario overrides any parameters (paths as in
:mod:`cba.uncertainty._parameters`); every other parameter keeps its value in the
model. All scenarios run through the engine in one vectorised call.

Examples
--------
>>> import cba
>>> from cba.uncertainty import scenarios
>>> model = cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25", "horizon": 1,
...     "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]})
>>> s = scenarios(model, {"low": {"outcomes[0].success": 0.3, "costs": 1.2},
...                       "high": {"outcomes[0].success": 0.7}})
>>> s.table.loc[["financial_roi", "net[police]"]]
                base   low    high
metric
financial_roi    1.5  0.75     2.1
net[police]   1500.0  900.00  2100.0
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

import cba.uncertainty._core as core
from cba.core._accessors import accessor
from cba.core._errors import CBAError, shown
from cba.core._numbers import number
from cba.uncertainty._parameter import Parameter
from cba.uncertainty._parameters import canonical, resolve_many

if TYPE_CHECKING:  # pragma: no cover
    from cba.uncertainty._core import ModelLike

#: Names a scenario may not take: columns of the results tables.
RESERVED = frozenset({"metric", "parameter", "label", "unit"})


@dataclass
class ScenarioResult:
    """Metrics of each scenario.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per metric (names of :func:`cba.uncertainty._core.metric_names`),
        one column per scenario; NaN where a result is none.
    assumptions : pandas.DataFrame
        One row per parameter varied in any scenario (index: path), columns
        ``label``, ``unit`` and one per scenario with the value used (the model's
        value where the scenario leaves it alone; NaN when the model has no single
        value, e.g. a banded discount schedule).
    """

    table: pd.DataFrame
    assumptions: pd.DataFrame

    @property
    def names(self) -> list[str]:
        """The scenario names, in the order of the table's columns."""
        return list(self.table.columns)

    def to_dict(self) -> dict:
        """Plain data: each scenario's assumptions and each metric's result in each scenario (none for no result)."""
        def clean(x):
            return None if isinstance(x, float) and math.isnan(x) else x

        return {
            "scenarios": {s: {p: clean(self.assumptions.loc[p, s]) for p in self.assumptions.index}
                          for s in self.names},
            "metrics": {m: {s: clean(float(self.table.loc[m, s])) for s in self.names} for m in self.table.index},
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The scenario results as JSON text: :meth:`to_dict`, indented by ``indent`` spaces (``None``: on one line)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("result.html")(self))


def scenarios(model: ModelLike, scenarios: Mapping[str, Mapping[str, float]], *, include_base: bool = True,
              include_irr: bool = True, metrics: Sequence[str] | None = None) -> ScenarioResult:
    """Appraise named scenarios side by side.

    Parameters
    ----------
    model : Intervention, dict, path, Appraisal or CompiledModel
    scenarios : mapping of name to mapping of parameter path to value
        E.g. ``{"low": {"outcomes[0].success": 0.3}, "high": {...}}``. Values are
        in the parameter's units (a multiplier for ``costs[0].amounts``, a rate for
        ``outcomes[0].deadweight``).
    include_base : bool
        Put the model as given first, as the scenario ``base`` (a scenario may
        then not be called ``base``).
    include_irr : bool
        Compute the internal rate of return.
    metrics : sequence of str, optional
        Rows to keep (default: every metric and agency metric).

    Returns
    -------
    ScenarioResult

    Raises
    ------
    CBAError
        For an unknown parameter or a value out of its range (or not a number),
        naming the scenario and the parameter; for a scenario named ``base`` (when
        the base is included) or after a column of the tables (:data:`RESERVED`),
        and for two scenarios whose names are the same text.
    """
    from cba.core._arguments import flag

    compiled = core.as_compiled(model)
    include_base = flag(include_base, "scenarios: include_base")
    include_irr = flag(include_irr, "scenarios: include_irr")
    if not isinstance(scenarios, Mapping):
        raise CBAError("scenarios: expected a mapping of scenario name to {parameter: value}")
    from cba.model._names import clashes, control_problem

    names = [str(n) for n in scenarios]
    seen: set[str] = set()
    for n in names:
        bad = control_problem(n)
        if bad is not None:
            raise CBAError(f"scenarios: the name {shown(n)} {bad}")
        if n in RESERVED or (include_base and n == "base"):
            what = "the model as given" if n == "base" else "a column of the results"
            raise CBAError(f"scenarios.{n}: the name {n!r} is reserved for {what}; rename the scenario")
        if n in seen:
            raise CBAError(f"scenarios.{n}: two scenarios are named {n!r}; give each its own name")
        seen.add(n)
    for _, message in clashes((f"scenarios.{n}", n) for n in names):
        raise CBAError(f"scenarios: {message}")
    if include_base:
        names = ["base", *names]
    paths: list[str] = []
    for name, overrides in scenarios.items():
        if overrides is None:
            continue
        if not isinstance(overrides, Mapping):
            raise CBAError(f"scenarios.{name}: expected a mapping of parameter path to value")
        for key in overrides:
            c = canonical(key)
            if c not in paths:
                paths.append(c)
    try:
        params = resolve_many(compiled, paths)
    except CBAError as exc:
        raise CBAError(f"scenarios: {exc}") from None
    by_path: dict[str, Parameter] = {p.path: p for p in params}
    values = {p: np.full(len(names), np.nan) for p in paths}
    for name, overrides in scenarios.items():
        col = names.index(str(name))
        for path, v in (overrides or {}).items():
            p = by_path[canonical(path)]
            x = number(v, f"scenarios.{name}: {p.path}")
            try:
                p.check([x])
            except CBAError as exc:
                raise CBAError(f"scenarios.{name}: {exc}") from None
            values[p.path][col] = x
    out = core.run(compiled, params, values, include_irr=include_irr)
    if out.shape[0] != len(names):   # no parameters at all: one draw, repeated
        out = np.repeat(out[:1], len(names), axis=0)
    rows = core.metric_names(compiled)
    table = pd.DataFrame(out.T, index=pd.Index(rows, name="metric"), columns=names)
    if not include_irr:
        table = table.drop(index="irr")
    if metrics is not None:
        keep = [core.check_metric(compiled, m) for m in metrics]
        table = table.loc[keep]
    assumptions = pd.DataFrame(
        {"label": [by_path[p].label for p in paths], "unit": [by_path[p].unit for p in paths],
         **{n: [values[p][j] if not np.isnan(values[p][j]) else _base(by_path[p]) for p in paths]
            for j, n in enumerate(names)}},
        index=pd.Index(paths, name="parameter"))
    return ScenarioResult(table=table, assumptions=assumptions)


def _base(p: Parameter) -> float:
    return float("nan") if p.base is None else float(p.base)
