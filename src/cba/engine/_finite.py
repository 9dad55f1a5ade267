"""No silent infinities: numbers checked where users give them and after the arithmetic.

Every input is a finite number, but finite inputs can still overflow in the
arithmetic: a cost of 1e308 uplifted to a later price base, a cohort of 1e200
times a unit value of 1e200, two lines of 1e308 summed, a lognormal draw far in
its tail. Rather than checks scattered through the engine, the results are
checked once after the engine has run (:func:`check_flows` for an appraisal,
:func:`check_totals` for the draws of an uncertainty analysis); only when a
check fails is the offending line, sum or parameter looked for, so that the
:class:`~cba.core._errors.ModelError` names it. :func:`guard` silences NumPy's
overflow warnings while that happens, so a run either succeeds without a
``RuntimeWarning`` or stops with a message.

The check of one number a user gives outside a model file, and :func:`guard`, are
in :mod:`cba.core._numbers`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._errors import ModelError
from cba.core._numbers import _TOO_LARGE

if TYPE_CHECKING:  # pragma: no cover
    from cba.engine._compiled import CompiledModel
    from cba.engine._evaluate import Flows, Totals
    from cba.engine._metrics import PresentValues

# ---------------------------------------------------------------- the lines of a model
def _component_path(model: CompiledModel, k: int | np.integer) -> str:
    info = model.component_info[k]
    i = info["outcome"]
    value = model.intervention.outcomes[i].value
    for j, c in enumerate(value.components or []):
        if c.type == info["type"] and c.agency == info["agency"] and c.amount == info["amount"] \
                and info.get("unit_cost") == c.unit_cost:
            return f"outcomes[{i}].value.components[{j}].amount"
    return f"outcomes[{i}].value.unit_cost"


def _paths(model: CompiledModel, kind: str, index: Sequence[int]) -> str:
    names = [f"costs[{i}]" if kind == "cost" else _component_path(model, i) for i in index]
    names = list(dict.fromkeys(names))
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def check_compiled(model: CompiledModel) -> None:
    """Refuse amounts that overflow when uplifted to the price base, naming each field."""
    problems: list[tuple[str, str]] = []
    cost_real = model.params["cost_real"]
    if not np.isfinite(cost_real).all():
        for l, t in zip(*np.nonzero(~np.isfinite(cost_real))):
            info = model.cost_info[l]
            problems.append((f"costs[{l}].amounts[{t}]",
                             f"{model.intervention.costs[l].amounts[t]:g} at {info['price_year']} prices is "
                             f"{_TOO_LARGE} at the price base {model.intervention.price_base}"))
    amount = model.params["component_amount"]
    if not np.isfinite(amount).all():
        for k in np.nonzero(~np.isfinite(amount))[0]:
            info = model.component_info[k]
            problems.append((_component_path(model, k),
                             f"{info['amount']:g} at {info['price_year']} prices is {_TOO_LARGE} at the "
                             f"price base {model.intervention.price_base}"))
    cohort = model.params["cohort"]
    totals = cohort.sum(axis=1)
    for i in np.nonzero(~np.isfinite(totals))[0]:
        problems.append((f"outcomes[{i}].cohort", f"the intake summed over the years is {_TOO_LARGE}"))
    for l, c in enumerate(model.intervention.costs):
        if len(c.amounts) > 1 and not math.isfinite(sum(c.amounts)):
            problems.append((f"costs[{l}].amounts", f"the amounts summed over the years are {_TOO_LARGE}"))
    if problems:
        raise ModelError(problems)


def check_flows(model: CompiledModel, flows: Flows) -> None:
    """Refuse an appraisal whose flows or sums are not finite, naming the lines responsible.

    Checks, in order: the amounts at the price base, each cost line after optimism
    bias, each outcome's benefit-years, each value component's benefits, then the
    totals by agency and year and the present values, which sum many lines.

    Raises
    ------
    ModelError
        Naming the field of each line that overflows, or the lines whose sum does.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        check_compiled(model)
        problems: list[tuple[str, str]] = []
        costs = flows.costs
        if not np.isfinite(costs).all():
            for l in np.nonzero(~np.isfinite(costs).all(axis=(0, 2)))[0]:
                problems.append((f"costs[{l}].amounts", f"with its optimism-bias uplift the cost is {_TOO_LARGE}"))
        years = flows.benefit_years
        if not np.isfinite(years).all():
            for i in np.nonzero(~np.isfinite(years).all(axis=(0, 2)))[0]:
                problems.append((f"outcomes[{i}].cohort", f"the outcome's successes are {_TOO_LARGE}"))
        if not problems and not np.isfinite(flows.benefits).all():
            for k in np.nonzero(~np.isfinite(flows.benefits).all(axis=(0, 2)))[0]:
                i = model.component_outcome[k]
                problems.append((_component_path(model, k),
                                 f"times the successes of outcomes[{i}] (and its quantity) the benefit is "
                                 f"{_TOO_LARGE}"))
        df = flows.discount_factors[:, None, :]
        for name, x, kind in (("costs", flows.costs, "cost"), ("benefits", flows.benefits, "component")):
            for weights in (1.0, df):  # each line's total over the years, real and discounted
                bad = ~np.isfinite((x * weights).sum(axis=-1)).all(axis=0)
                for j in np.nonzero(bad)[0]:
                    problems.append((f"costs[{j}].amounts" if kind == "cost" else _component_path(model, j),
                                     f"the line's {name} summed over the years are {_TOO_LARGE}"))
                if bad.any():
                    break
        if problems:
            raise ModelError(list(dict.fromkeys(problems)))
        from cba.engine._evaluate import reduce_flows
        from cba.engine._metrics import compute

        totals = reduce_flows(model, flows)
        metrics, agency = compute(totals, include_irr=False)
        check_totals(model, totals, metrics, agency)
        _check_yearly(model, totals)


def _check_yearly(model: CompiledModel, totals: Totals) -> None:
    """The yearly sums the tables show: all agencies together, public value, net and its running total."""
    df = totals.discount_factors
    costs, fiscal = totals.costs.sum(axis=1), totals.fiscal.sum(axis=1)
    transfer = totals.transfer.sum(axis=1)
    for weights in (1.0, df):
        c, f, t = costs * weights, fiscal * weights, transfer * weights
        e, s = totals.economic * weights, totals.social * weights
        checks = (("costs", c, "costs"), ("fiscal", f, "fiscal"), ("public value", f - t + e + s, "all"),
                  ("fiscal net", f - c, "all"), ("cumulative fiscal net", np.cumsum(f - c, axis=-1), "all"))
        for label, x, what in checks:
            if not np.isfinite(x).all():
                t_bad = int(np.nonzero(~np.isfinite(x[0]))[0][0]) if x.ndim > 1 else 0
                lines = (_lines_of(model, what, None) if what != "all" else
                         ", ".join(v for v in (_lines_of(model, "costs", None), _lines_of(model, "all", None)) if v))
                raise ModelError([(lines, f"the {label} of year {t_bad}, a sum of these lines, is {_TOO_LARGE}")])


_MONEY = ("pv_costs", "pv_fiscal", "pv_cashable", "pv_economic", "pv_social", "pv_public_value",
          "net_present_budget_impact", "net_present_public_value")
_AGENCY_MONEY = ("pv_costs", "pv_fiscal", "pv_cashable", "pv_transfer", "net")
_PV_PART = {"pv_costs": "costs", "pv_fiscal": "fiscal", "pv_cashable": "cashable", "pv_economic": "economic",
            "pv_social": "social", "pv_transfer": "transfer"}


def _lines_of(model: CompiledModel, what: str, agency: int | None) -> str:
    from cba.engine._compiled import ECONOMIC, FISCAL, SOCIAL

    if what == "costs":
        index = [l for l in range(model.n_costs) if agency is None or model.cost_agency[l] == agency]
        return _paths(model, "cost", index)
    types = {"fiscal": [FISCAL], "cashable": [FISCAL], "transfer": [FISCAL], "economic": [ECONOMIC],
             "social": [SOCIAL]}.get(what, [FISCAL, ECONOMIC, SOCIAL])
    index = [k for k in range(model.n_components) if model.component_type[k] in types
             and (agency is None or model.component_agency[k] == agency)]
    return _paths(model, "component", index)


def _bad_draw(*arrays: np.ndarray) -> int | None:
    """The first draw (leading axis) where any array is not finite."""
    bad = None
    for a in arrays:
        a = np.asarray(a)
        rows = ~np.isfinite(a.reshape(a.shape[0], -1)).all(axis=1)
        if rows.any():
            d = int(np.argmax(rows))
            bad = d if bad is None else min(bad, d)
    return bad


def check_totals(model: CompiledModel, totals: Totals | PresentValues, metrics: Mapping[str, np.ndarray],
                 agency: Mapping[str, np.ndarray], parameters: Sequence[Any] = (),
                 values: Mapping[str, Any] | None = None) -> None:
    """Refuse totals or present values that are not finite (one or many draws).

    Parameters
    ----------
    model : CompiledModel
    totals : Totals or cba.engine._metrics.PresentValues
    metrics, agency : mapping of str to numpy.ndarray
        From :func:`cba.engine._metrics.compute`.
    parameters : sequence of Parameter, optional
        The parameters varied by draw (uncertainty analysis); the message names
        their values in the first draw that fails.
    values : mapping of path to array, optional
        Their values, one per draw.

    Raises
    ------
    ModelError
        Naming the sum that overflows and the lines (or parameter values) behind it.
    """
    fields = {"costs": totals.costs, "fiscal": totals.fiscal, "cashable": totals.cashable,
              "transfer": totals.transfer, "economic": totals.economic, "social": totals.social}
    money = [metrics[k] for k in _MONEY] + [agency[k] for k in _AGENCY_MONEY]
    arrays = list(fields.values()) + money
    if all(np.isfinite(np.asarray(a)).all() for a in arrays):
        return
    d = _bad_draw(*arrays)
    assert d is not None  # some array is not finite
    which = None
    present = hasattr(totals, "yearly_costs")  # present values (cba.engine._metrics.PresentValues), not yearly totals
    for name, a in fields.items():
        a = np.asarray(a)[d]
        if not np.isfinite(a).all():
            if present:       # (A,) or a scalar: present values
                ai = int(np.nonzero(~np.isfinite(np.atleast_1d(a)))[0][0]) if a.ndim == 1 else None
                where = f" of {model.agencies[ai]}" if ai is not None else ""
                which = (name, ai, f"the present value of {name}{where}")
            elif a.ndim == 2:   # (A, H)
                ai, t = (int(x[0]) for x in np.nonzero(~np.isfinite(a)))
                which = (name, ai, f"the {name} of {model.agencies[ai]} in year {t}")
            else:
                t = int(np.nonzero(~np.isfinite(a))[0][0])
                which = (name, None, f"the {name} benefits in year {t}")
            break
    if which is None:
        bad = [k for k in _MONEY if not np.isfinite(metrics[k][d])]
        if bad:
            which = (_PV_PART.get(bad[0], "all"), None, f"the result {bad[0]}")
        else:
            k = next(k for k in _AGENCY_MONEY if not np.isfinite(agency[k][d]).all())
            ai = int(np.nonzero(~np.isfinite(agency[k][d]))[0][0])
            which = (_PV_PART.get(k, "all"), ai, f"the result {k}[{model.agencies[ai]}]")
    what, ai, label = which
    varied = []
    for p in parameters:
        v = np.asarray((values or {}).get(p.path, [np.nan]), dtype=float)
        x = v[d] if len(v) > d else v[0]
        if not np.isnan(x):
            varied.append(f"{p.path} = {x:g}")
    if varied:
        raise ModelError([("", f"with {', '.join(varied)}: {label} is {_TOO_LARGE}; "
                               "narrow the range or distribution of these parameters")])
    lines = (_lines_of(model, "costs", ai) if what == "costs" else
             _lines_of(model, what, ai) if what != "all" else
             ", ".join(x for x in (_lines_of(model, "costs", ai), _lines_of(model, "all", ai)) if x))
    raise ModelError([(lines, f"{label}, the sum of these lines, is {_TOO_LARGE}")])


def check_model(model: CompiledModel) -> None:
    """Evaluate a compiled model once and check it (:func:`check_flows`)."""
    from cba.engine._evaluate import evaluate

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        check_flows(model, evaluate(model))


__all__ = ["check_compiled", "check_flows", "check_model", "check_totals"]
