"""Parameters a user can vary, by path, mapped onto the engine's arrays.

An uncertainty analysis names the assumptions it moves with the same field paths
that error messages use (``outcomes[0].success``). :func:`resolve` turns a path
into a :class:`Parameter`, which knows the engine array it writes, its allowed
range and its value in the model; :func:`~cba.uncertainty._overrides.build_overrides`
turns values of many parameters, one per draw, into the ``overrides`` that
:func:`cba.engine._evaluate.evaluate` and :func:`cba.engine._evaluate.evaluate_totals` take.

Paths
-----
===========================================  =========  ==========================================
path                                         kind       meaning (units)
===========================================  =========  ==========================================
``outcomes[i].engagement`` ... ``attribution``  value   a rate in [0, 1] (``success``,
                                                        ``deadweight``, ``displacement``,
                                                        ``leakage``, ``substitution``)
``outcomes[i].drop_off``                     value      rate in [0, 1]
``outcomes[i].lag``, ``outcomes[i].duration``  value    whole years (lag >= 0, duration >= 1)
``outcomes[i].quantity``                     value      units per success per benefit year (>= 0)
``outcomes[i].cohort``                       multiplier every intake year scaled (1 = as modelled)
``outcomes[i].cohort[t]``                    value      intake in year ``t`` (people, >= 0)
``outcomes[i].confidence``                   value      evidence grade, turned into optimism bias
                                                        by the model's table
``outcomes[i].optimism_bias``                value      the correction itself, in [0, 1]
``outcomes[i].cashable``                     value      cashable share of every fiscal component
``outcomes[i].value``                        multiplier every component of the unit value
``outcomes[i].value.components[j].amount``   value      pounds at the component's price year
``outcomes[i].value.components[j].cashable``  value     cashable share, in [0, 1]
``costs[l].amounts``                         multiplier every year of the cost line
``costs[l].amounts[t]``                      value      pounds in year ``t`` at the line's price year
``costs[l].confidence``                      value      evidence grade -> optimism bias uplift
``costs[l].optimism_bias``                   value      the uplift itself (>= 0)
``costs``                                    multiplier every cost line
``discount_rate``                            value      one constant rate for every year, in [0, 1]
                                                        (replaces the model's schedule; health
                                                        values follow it unless the model
                                                        gives ``health_discounting``)
``wellbeing.value``                          value      the value of a WELLBY (pounds at its price
                                                        year): scales every ``unit: wellby``
                                                        component; its default range is the
                                                        model's ``wellbeing.low`` to ``high``
===========================================  =========  ==========================================

A value of ``NaN`` means "as in the model" (that draw keeps the base value).
When several parameters touch the same engine array, values are written first
and multipliers applied after, so ``costs`` scales whatever ``costs[0].amounts[1]``
set; two values may not set the same cell.

Examples
--------
>>> import cba
>>> from cba.engine._compiled import compile_model
>>> from cba.uncertainty._overrides import build_overrides
>>> m = compile_model(cba.Intervention.from_yaml('''
... name: Tiny
... price_base: 2024/25
... horizon: 2
... costs: [{name: Staff, agency: local_authority, amounts: [1000]}]
... outcomes:
...   - {name: Fewer call-outs, cohort: 10, success: 0.5,
...      value: {components: [{type: fiscal, agency: police, amount: 300}]}}
... '''))
>>> p = resolve(m, "outcomes[0].success")
>>> p.label, p.base, (p.lower, p.upper)
('Fewer call-outs: success', 0.5, (0.0, 1.0))
>>> over = build_overrides(m, [p, resolve(m, "costs")], {"outcomes[0].success": [0.2, np.nan],
...                                                       "costs": [1.0, 1.5]})
>>> over["success"][:, 0], over["cost_real"][:, 0, 0]
(array([0.2, 0.5]), array([1000., 1500.]))
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from cba.core._errors import CBAError
from cba.engine._compiled import CompiledModel, _components
from cba.uncertainty._overrides import _base
from cba.uncertainty._parameter import _INF, Parameter

#: Outcome fields that are rates in [0, 1] and map one-to-one onto the engine.
OUTCOME_RATES = ("engagement", "success", "deadweight", "displacement", "leakage",
                 "substitution", "attribution", "drop_off")
#: Spellings accepted for the constant discount rate.
DISCOUNT_RATE_ALIASES = ("discount_rate", "discount rate", "discounting.rate", "discounting")


_OUTCOME = re.compile(r"^outcomes\[(\d+)\]\.([a-z_]+)$")
_COHORT_YEAR = re.compile(r"^outcomes\[(\d+)\]\.cohort\[(\d+)\]$")
_COMPONENT = re.compile(r"^outcomes\[(\d+)\]\.value\.components\[(\d+)\]\.([a-z_]+)$")
_COST = re.compile(r"^costs\[(\d+)\]\.([a-z_]+)$")
_COST_YEAR = re.compile(r"^costs\[(\d+)\]\.amounts\[(\d+)\]$")

PATH_FORMS = (
    "outcomes[i].<rate> (engagement, success, deadweight, displacement, leakage, substitution, "
    "attribution, drop_off), outcomes[i].lag, outcomes[i].duration, outcomes[i].quantity, "
    "outcomes[i].cohort (multiplier), outcomes[i].cohort[t], outcomes[i].confidence, "
    "outcomes[i].optimism_bias, outcomes[i].cashable, outcomes[i].value (multiplier), "
    "outcomes[i].value.components[j].amount, outcomes[i].value.components[j].cashable, "
    "costs[l].amounts (multiplier), costs[l].amounts[t], costs[l].confidence, "
    "costs[l].optimism_bias, costs (multiplier of every line), discount_rate, wellbeing.value"
)


def canonical(path: str) -> str:
    """Normalise a parameter path: no spaces, one spelling of the discount rate.

    >>> canonical(" outcomes[0] . success "), canonical("Discount rate")
    ('outcomes[0].success', 'discount_rate')
    """
    if not isinstance(path, str):
        raise CBAError(f"a parameter path must be text such as 'outcomes[0].success', got {path!r}")
    p = path.strip()
    if p.lower() in DISCOUNT_RATE_ALIASES:
        return "discount_rate"
    return re.sub(r"\s+", "", p)


def _outcome(model: CompiledModel, i: int, path: str):
    outcomes = model.intervention.outcomes
    if i >= len(outcomes):
        raise CBAError(f"{path}: the model has {len(outcomes)} outcome(s) (outcomes[0] .. "
                       f"outcomes[{max(len(outcomes) - 1, 0)}])" if outcomes else f"{path}: the model has no outcomes")
    return outcomes[i]


def _cost(model: CompiledModel, l: int, path: str):
    costs = model.intervention.costs
    if l >= len(costs):
        raise CBAError(f"{path}: the model has {len(costs)} cost line(s)" if costs
                       else f"{path}: the model has no cost lines")
    return costs[l]


def _year(model: CompiledModel, t: int, path: str) -> None:
    if t >= model.horizon:
        raise CBAError(f"{path}: year {t} is beyond the horizon ({model.horizon} years: 0 .. {model.horizon - 1})")


def _grade_parameter(model, path: str, name: str, target: str, index: int, grade) -> Parameter:
    """A confidence grade as a parameter: whole grades of the model's optimism-bias table."""
    table = _grade_table(model)
    if target == "outcome_ob":   # a correction above 100% raises costs only: not a grade for benefits
        table[table > 1] = np.nan
    known = np.nonzero(~np.isnan(table))[0]
    return Parameter(path, f"{name}: confidence grade", target, (index,), "set",
                     float(known.min()), float(known.max()), integer=True,
                     base=None if grade is None else float(grade), unit="grade", grade_table=table)


def _grade_table(model: CompiledModel) -> np.ndarray:
    grades = model.intervention.optimism_bias.grades
    table = np.full(max(grades) + 1, np.nan)
    for g, v in grades.items():
        table[g] = v
    return table


def _component_index(model: CompiledModel, i: int) -> dict[str, int]:
    """Field path of each of outcome ``i``'s components -> its engine index ``k``."""
    outcome = model.intervention.outcomes[i]
    paths = [p for p, _ in _components(outcome, i, model.intervention)]
    ks = np.nonzero(model.component_outcome == i)[0]
    return {p: int(k) for p, k in zip(paths, ks) if p.endswith("]")}


def resolve(model: CompiledModel, path: str) -> Parameter:
    """The :class:`Parameter` a path names.

    Parameters
    ----------
    model : CompiledModel
        From :func:`cba.engine._compiled.compile_model`.
    path : str
        One of the forms in the module docstring, e.g. ``outcomes[0].success``.

    Raises
    ------
    CBAError
        For an unknown form or an index beyond the model, naming the path.
    """
    from cba.core._arguments import instance_argument, text_argument

    instance_argument(model, CompiledModel, "resolve: model", "a compiled model (cba.engine.compile_model)")
    p = canonical(text_argument(path, "resolve: path", "a parameter path such as 'outcomes[0].success'"))
    iv = model.intervention
    H = model.horizon
    if p.startswith("partnership."):  # a deal term (cba.uncertainty._deal_parameters)
        from cba.uncertainty._deal_parameters import resolve_deal

        return resolve_deal(model, p)

    if p == "discount_rate":
        # r means what `discounting: {rate: r}` means in the model file: health values follow
        # it unless the model gives `health_discounting` (then they keep that schedule)
        follows = iv.health_discounting is None
        rates = np.asarray(iv.discounting.rates(H))
        base = float(rates[0]) if np.all(rates == rates[0]) else None
        if follows and model.health.any() and not np.array_equal(
                model.params["health_discount_factors"], model.params["discount_factors"]):
            base = None   # health values are on another schedule: no one rate describes the model
        return Parameter(p, "Discount rate", "discount_factors", (slice(None),), "set", 0.0, 1.0,
                         base=base, unit="rate", first_year_discounted=iv.first_year_discounted,
                         health_follows=follows)
    if p == "wellbeing.value":
        return _wellby_value(model, p)
    if p == "costs":
        return Parameter(p, "All costs", "cost_real", (slice(None), slice(None)), "scale", 0.0, _INF,
                         base=1.0, unit="multiplier")

    if m := _COHORT_YEAR.match(p):
        i, t = int(m[1]), int(m[2])
        o = _outcome(model, i, p)
        _year(model, t, p)
        return Parameter(p, f"{o.name}: intake in year {t}", "cohort", (i, t), "set", 0.0, _INF,
                         base=float(model.params["cohort"][i, t]), unit="people")

    if m := _COMPONENT.match(p):
        i, j, what = int(m[1]), int(m[2]), m[3]
        o = _outcome(model, i, p)
        comps = o.value.components or []
        if j >= len(comps):
            raise CBAError(f"{p}: outcome {i} has {len(comps)} explicit value component(s)")
        k = _component_index(model, i).get(f"outcomes[{i}].value.components[{j}]")
        if k is None:
            raise CBAError(f"{p}: this component is left out by outcomes[{i}].value.exclude")
        comp = comps[j]
        name = f"{o.name}: {comp.label or _component_name(comp)}"
        if what == "amount":
            info = model.component_info[k]
            if comp.unit == "wellby":  # WELLBYs, priced at the value of a WELLBY
                return Parameter(p, f"{name} amount", "component_amount", (k,), "set", -_INF, _INF,
                                 base=float(comp.amount), unit="WELLBYs",
                                 factor=float(info["uplift"]) * float(info["value_per_wellby"]))
            return Parameter(p, f"{name} amount", "component_amount", (k,), "set", -_INF, _INF,
                             base=float(comp.amount), unit="pounds", factor=float(info["uplift"]))
        if what == "cashable":
            if comp.type != "fiscal":
                raise CBAError(f"{p}: only fiscal components have a cashable share")
            shares = np.asarray(model.params["component_cashable"][k])   # one share, or one per year
            return Parameter(p, f"{name} cashable share", "component_cashable", (k,), "set", 0.0, 1.0,
                             base=float(shares.flat[0]) if np.all(shares == shares.flat[0]) else None)
        raise CBAError(f"{p}: a value component's varied fields are 'amount' and 'cashable'")

    if m := _OUTCOME.match(p):
        i, what = int(m[1]), m[2]
        o = _outcome(model, i, p)
        if what in OUTCOME_RATES:
            return Parameter(p, f"{o.name}: {what.replace('_', ' ')}", what, (i,), "set", 0.0, 1.0,
                             base=float(getattr(o, what)))
        if what == "lag":
            return Parameter(p, f"{o.name}: lag", "lag", (i,), "set", 0.0, _INF, integer=True,
                             base=float(o.lag), unit="years")
        if what == "duration":
            return Parameter(p, f"{o.name}: duration", "duration", (i,), "set", 1.0, _INF, integer=True,
                             base=float(o.duration), unit="years")
        if what == "quantity":
            return Parameter(p, f"{o.name}: quantity", "quantity", (i,), "set", 0.0, _INF,
                             base=float(o.effective_quantity), unit="units")
        if what == "cohort":
            return Parameter(p, f"{o.name}: cohort (multiplier)", "cohort", (i, slice(None)), "scale",
                             0.0, _INF, base=1.0, unit="multiplier")
        if what == "confidence":
            return _grade_parameter(model, p, o.name, "outcome_ob", i, o.confidence)
        if what == "optimism_bias":
            return Parameter(p, f"{o.name}: optimism bias", "outcome_ob", (i,), "set", 0.0, 1.0,
                             base=float(model.params["outcome_ob"][i]))
        if what == "cashable":
            ks = np.nonzero((model.component_outcome == i) & (model.component_type == 0))[0]
            if len(ks) == 0:
                raise CBAError(f"{p}: outcome {i} has no fiscal value components")
            shares = model.params["component_cashable"][ks]   # (ks,) or (ks, H) by year
            base = float(shares.flat[0]) if np.all(shares == shares.flat[0]) else None
            return Parameter(p, f"{o.name}: cashable share", "component_cashable", (ks,), "set", 0.0, 1.0,
                             base=base)
        if what == "value":
            ks = np.nonzero(model.component_outcome == i)[0]
            return Parameter(p, f"{o.name}: unit value (multiplier)", "component_amount", (ks,), "scale",
                             0.0, _INF, base=1.0, unit="multiplier")
        raise CBAError(f"{p}: unknown parameter; use one of {PATH_FORMS}")

    if m := _COST_YEAR.match(p):
        l, t = int(m[1]), int(m[2])
        c = _cost(model, l, p)
        _year(model, t, p)
        base = float(c.amounts[t]) if t < len(c.amounts) else 0.0
        return Parameter(p, f"{c.name}: cost in year {t}", "cost_real", (l, t), "set", 0.0, _INF,
                         base=base, unit="pounds", factor=float(model.cost_info[l]["uplift"]))

    if m := _COST.match(p):
        l, what = int(m[1]), m[2]
        c = _cost(model, l, p)
        if what == "amounts":
            return Parameter(p, f"{c.name}: cost (multiplier)", "cost_real", (l, slice(None)), "scale",
                             0.0, _INF, base=1.0, unit="multiplier")
        if what == "confidence":
            return _grade_parameter(model, p, c.name, "cost_ob", l, c.confidence)
        if what == "optimism_bias":
            return Parameter(p, f"{c.name}: optimism bias", "cost_ob", (l,), "set", 0.0, _INF,
                             base=float(model.params["cost_ob"][l]))
        raise CBAError(f"{p}: unknown parameter; use one of {PATH_FORMS}")

    raise CBAError(f"{path}: unknown parameter; use one of {PATH_FORMS}")


def _wellby_value(model: CompiledModel, p: str) -> Parameter:
    """The value of a WELLBY (pounds at its price year) as a multiplier of every WELLBY component."""
    wb = model.intervention.wellbeing
    ks = [k for i in range(model.n_outcomes) for path, k in _component_index(model, i).items()
          if _component_at(model, path).unit == "wellby"]
    if wb is None or not ks:
        raise CBAError(f"{p}: the model values nothing in WELLBYs (no component has unit: wellby)")
    if wb.value <= 0:
        raise CBAError(f"{p}: the value of a WELLBY is 0 in the model, so it cannot be moved in proportion")
    rng = (float(wb.low), float(wb.high)) if wb.low is not None and wb.high is not None else None
    return Parameter(p, "Value of a WELLBY", "component_amount", (np.array(ks, dtype=int),), "scale", 0.0, _INF,
                     base=float(wb.value), unit="pounds", factor=1.0 / float(wb.value), default_range=rng)


def _component_at(model: CompiledModel, path: str):
    """The value component at a field path ``outcomes[i].value.components[j]``."""
    m = re.match(r"^outcomes\[(\d+)\]\.value\.components\[(\d+)\]$", path)
    assert m is not None  # _component_index gives explicit components only
    return (model.intervention.outcomes[int(m[1])].value.components or [])[int(m[2])]


def _component_name(comp) -> str:
    if comp.type == "fiscal":
        return f"fiscal saving to {comp.agency}"
    return f"{comp.type} value"


def resolve_many(model: CompiledModel, paths: Iterable[str]) -> list[Parameter]:
    """Resolve several paths; the same path twice, or two values for one cell, is an error."""
    out: list[Parameter] = []
    seen: dict[str, str] = {}
    for path in paths:
        p = resolve(model, path)
        if p.path in seen:
            raise CBAError(f"{path}: given twice (also as {seen[p.path]!r})")
        seen[p.path] = path
        out.append(p)
    # two values may not set the same engine cell: mark each target's cells in turn
    written: dict[str, np.ndarray] = {}
    for p in (q for q in out if q.mode == "set"):
        shape = _base(model, p).shape
        mask = p.cell_mask(shape)
        taken = written.setdefault(p.target, np.full(shape, -1))
        clash = taken[mask]
        if (clash >= 0).any():
            other = out[int(clash[clash >= 0][0])]
            raise CBAError(f"{p.path}: sets the same engine value as {other.path} "
                           f"({p.target}); vary only one of them")
        taken[mask] = out.index(p)
    return out
