"""Monte Carlo at the floor: present values from each outcome's benefit profile.

The method is linear in everything but timing. An outcome's benefit units in
year ``t`` are ``scale x P[t]``, where ``scale = net success rate x quantity x (1 -
optimism bias)`` and the *profile* ``P[t] = sum_c cohort[c] x kernel[c, t]`` (the
benefit kernel of :func:`cba.method._additionality.benefit_kernel`: lag, duration and
drop-off) depends only on the cohort and the timing. So when draws vary rates,
quantities, optimism bias, unit values, cashable shares, costs or discount
factors, and lags and durations (whole years: a handful of possible timings),
each outcome's yearly profile and its present value are computed once per timing
that occurs in a call, and each draw combines them:

- present values by agency and value type: each component's value is ``scale x
  PV(profile) x amount`` (``x`` its cashable share for the cashable column), summed
  by agency with segment sums (:func:`cba.engine._segments.segment_sum`);
- the yearly totals that payback and the internal rate of return need: costs by
  year, and fiscal savings by year, ``sum over outcomes of scale x fiscal amount x
  P[t]``.

No benefit-years are rebuilt per draw and no ``(D, outcomes, years)`` array other
than the yearly fiscal savings is made. :func:`present_values` returns
:class:`cba.engine._metrics.PresentValues`, which :func:`cba.engine._metrics.compute` turns into
every metric.

It applies when no draw varies a cohort or a drop-off and no cashable share varies
by year (:func:`applies`); otherwise :func:`present_values` returns None and the
caller takes the general path (:func:`cba.engine._evaluate.evaluate_totals`). The results
equal the general path's up to rounding (the sums are associated differently;
``tests/engine/test_profiles.py`` compares them to 1e-12 relative on every example and on
generated models). As on the general path, every draw's numbers come from
operations on that draw alone (elementwise arithmetic, sums along the last axis,
and profiles computed row by row, their powers of ``1 - drop-off`` by repeated
multiplication), so they do not depend on the other draws of the call.

Examples
--------
>>> import cba
>>> from cba.engine._compiled import compile_model
>>> from cba.engine._evaluate import evaluate_totals
>>> from cba.engine._metrics import compute
>>> m = compile_model(cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25",
...     "horizon": 3, "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5, "duration": 2,
...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 100}]}}]}))
>>> draws = {"success": np.array([[0.5], [1.0]]), "duration": np.array([[2], [3]])}   # 5 and 10 successes
>>> fast, _ = compute(present_values(m, draws))
>>> general, _ = compute(evaluate_totals(m, draws))
>>> fast["pv_fiscal"].round(6), bool(np.allclose(fast["pv_fiscal"], general["pv_fiscal"], rtol=1e-12))
(array([ 983.091787, 2899.694275]), True)
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cba.engine._compiled import FISCAL, PARAMETER_SHAPES, CompiledModel
from cba.engine._evaluate import _draws
from cba.engine._metrics import PresentValues
from cba.engine._segments import _columns

#: Parameters the profile path takes as overrides; drawing any other (a cohort, a
#: drop-off) sends :func:`present_values` to the general path.
PROFILE_PARAMETERS = frozenset(PARAMETER_SHAPES) - {"cohort", "drop_off"}
#: Most (row, timing) cells of the lookup table of profiles used in a call before a
#: sort (``numpy.unique``) is used instead.
_TABLE_CELLS = 1 << 16


def applies(model: CompiledModel, names) -> bool:
    """Whether :func:`present_values` can take draws of these engine parameters.

    >>> import cba
    >>> from cba.engine._compiled import compile_model
    >>> m = compile_model(cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25"}))
    >>> applies(m, ["success", "duration", "cost_real"]), applies(m, ["drop_off"])
    (True, False)
    """
    return set(names) <= PROFILE_PARAMETERS and np.ndim(model.params["component_cashable"]) == 1


# Layout: the draws are the last axis here ("rows x draws"), so that gathering rows
# copies contiguous memory and adding rows adds whole vectors of draws. numpy adds the
# rows of a C-contiguous (n, D) array along axis 0 one after the other for every
# column when D > 1; with D = 1 it would sum pairwise, so a single draw's rows are
# added by a running sum instead (_sum_rows, _Blocks): every draw's numbers then come
# from the same additions in the same order, whatever the other draws of the call.

def _sum_rows(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``x.sum(axis=0)`` of a C-contiguous ``x`` ``(R, D, ...)``, adding the rows in order."""
    R, rest = x.shape[0], x.shape[1:]
    if R == 0:
        out = np.empty(rest) if out is None else out
        out[...] = 0.0
        return out
    if math.prod(rest) == 1 and R > 1:     # one number per row: add them in order (a running sum)
        result = np.cumsum(x.reshape(R))[-1:].reshape(rest)
        if out is None:
            return result
        out[...] = result
        return out
    return np.add.reduce(x, axis=0, out=out)


def _sum_scaled_rows(rows: np.ndarray, pick: np.ndarray | None, coef: np.ndarray, out: np.ndarray,
                     tmp: np.ndarray) -> np.ndarray:
    """``_sum_rows(rows[pick] * coef[..., None])`` without the ``(R, D, H)`` array.

    ``rows`` ``(n, H)``; ``pick`` ``(R, D)`` indices into it (``None``: row ``r``
    is ``rows[r]`` for every draw, ``R = n``); ``coef`` ``(R, D)``; ``out`` and
    ``tmp`` ``(D, H)``. Each product is the same and the rows are added in the same
    order as numpy adds them along the first axis (from zero, then one row after the
    other; one number per draw and row: a running sum), so the result is the same bit
    for bit (a negative zero included); only ``D x H`` numbers are live at a time,
    which stay in the cache.
    """
    R = coef.shape[0]
    if not R:
        out[...] = 0.0
    # numpy's sum starts from 0 (0 + -0 is 0), except _sum_rows' running sum of single numbers
    from_zero = out.size > 1 or R == 1
    for r in range(R):
        dest = out if r == 0 else tmp
        if pick is None:
            np.multiply(rows[r], coef[r][:, None], out=dest)
        else:
            np.take(rows, pick[r], axis=0, out=dest)
            dest *= coef[r][:, None]
        if r:
            out += tmp
        elif from_zero:
            out += 0.0
    return out


class _Blocks:
    """Sums of rows by group, ``(N, D) -> (n, D)``: the members of each group (sorted
    by group, in their order) added one after the other; rows of group -1 left out.

    Either group by group (a few large groups) or member by member across all groups
    at once (many small groups): the same additions in the same order either way.
    """

    def __init__(self, group: np.ndarray, n: int):
        group = np.asarray(group, dtype=int).reshape(-1)
        keep = np.flatnonzero(group >= 0)
        order = keep[np.argsort(group[keep], kind="stable")]
        g = group[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.zeros(0, dtype=int)
        ends = np.r_[starts[1:], len(g)].astype(int)
        self.n = n
        self.order = None if np.array_equal(order, np.arange(len(group))) else order
        self.bounds = [(int(a), int(b), int(g[a])) for a, b in zip(starts, ends)]
        sizes = ends - starts
        self.by_member = len(starts) > (sizes.max() if len(sizes) else 0)
        self.groups, self.starts, self.sizes = g[starts], starts, sizes

    def __call__(self, x: np.ndarray) -> np.ndarray:
        rows = x if self.order is None else np.take(x, self.order, axis=0)
        out = np.zeros((self.n, *rows.shape[1:]))
        if not self.by_member:
            for a, b, g in self.bounds:
                out[g] = rows[a] if b == a + 1 else _sum_rows(rows[a:b])
            return out
        out[self.groups] = rows[self.starts]                  # each group's first member
        for r in range(1, int(self.sizes.max(initial=0))):    # then its second, third, ...
            more = self.sizes > r
            out[self.groups[more]] += rows[self.starts[more] + r]
        return out


@dataclass(frozen=True)
class _Plan:
    """What :func:`present_values` needs of a model's structure (not of its values).

    Rows of benefit units are the outcomes, then each component with its own timing
    (as :func:`cba.engine._evaluate._benefit_rows` lays them out). Entries are the
    (component, column) pairs of :func:`cba.engine._segments._columns`, sorted by column.
    """

    rows: np.ndarray            # (K,) row of each component
    row_outcome: np.ndarray     # (R,) outcome of each row
    timed: np.ndarray           # (Kt,) components with their own timing (rows O, O+1, ...)
    entries: np.ndarray         # (E,) component of each entry
    entry_rows: np.ndarray      # (E,) its row
    cash: slice                 # the entries that take the cashable share
    health: np.ndarray          # entries of economic and social health components
    columns: _Blocks            # entries -> columns (fiscal, cashable, transfer by agency; economic; social; ...)
    classed: bool
    saving_rows: np.ndarray     # (Rf,) rows with a fiscal component
    saving_members: np.ndarray  # fiscal components sorted by row
    saving_weight: _Blocks      # saving_members -> saving_rows
    costs: _Blocks              # cost lines -> agencies


def _make_plan(model: CompiledModel) -> _Plan:
    O, A = model.n_outcomes, len(model.agencies)
    rows = model.component_outcome.copy()
    timed = model.timed_components
    rows[timed] = O + np.arange(len(timed))
    cols = _columns(model, health_columns=False)
    cash = np.flatnonzero(cols.cashable)          # one block of columns A .. 2A-1
    health = model.health & (model.component_type != FISCAL)
    fiscal = np.flatnonzero(model.component_type == FISCAL)
    members = fiscal[np.argsort(rows[fiscal], kind="stable")]
    saving_rows, position = np.unique(rows[members], return_inverse=True)
    return _Plan(
        rows=rows, row_outcome=np.concatenate([np.arange(O), model.component_outcome[timed]]).astype(int),
        timed=timed, entries=cols.component, entry_rows=rows[cols.component],
        cash=slice(int(cash[0]), int(cash[-1]) + 1) if len(cash) else slice(0, 0),
        health=np.flatnonzero(health[cols.component]),
        columns=_Blocks(cols.column, cols.n), classed=cols.classed,
        saving_rows=saving_rows.astype(int), saving_members=members,
        saving_weight=_Blocks(position.reshape(-1), len(saving_rows)),
        costs=_Blocks(model.cost_agency, A),
    )


_PLANS: OrderedDict[int, tuple[CompiledModel, _Plan]] = OrderedDict()
_PLANS_LOCK = threading.Lock()


def _plan(model: CompiledModel) -> _Plan:
    """The model's plan, kept for the last few models (a Monte Carlo run asks once per chunk)."""
    key = id(model)
    with _PLANS_LOCK:
        hit = _PLANS.get(key)
        if hit is not None and hit[0] is model:
            _PLANS.move_to_end(key)
            return hit[1]
    plan = _make_plan(model)
    with _PLANS_LOCK:
        _PLANS[key] = (model, plan)      # holding the model keeps its id from being reused
        while len(_PLANS) > 8:
            _PLANS.popitem(last=False)
    return plan


class _Scratch:
    """Arrays for the large intermediate results, kept in ``buffers`` from call to call
    (a Monte Carlo thread's chunks) so that their memory is not returned to the system
    and mapped again for every chunk; fresh arrays without ``buffers``."""

    def __init__(self, buffers: dict | None):
        self.buffers = buffers

    def __call__(self, name: str, shape: tuple[int, ...], dtype=float) -> np.ndarray:
        size = math.prod(shape)
        if self.buffers is None:
            return np.empty(shape, dtype)
        buf = self.buffers.get(("profiles", name))
        if buf is None or buf.size < size or buf.dtype != dtype:
            buf = self.buffers["profiles", name] = np.empty(max(size, 1), dtype)
        return buf[:size].reshape(shape)


def _timing(model: CompiledModel, plan: _Plan, get) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's lag and duration ``(R, D|1)`` (whole years) and share kept each year ``(R,)``."""
    lag, duration = np.asarray(get("lag")).T, np.asarray(get("duration")).T      # (O, D|1)
    drop = model.params["drop_off"]
    timed = plan.timed
    if not len(timed):
        return lag, duration, 1.0 - drop
    o_t = plan.row_outcome[model.n_outcomes:]

    def pick(own: np.ndarray | None, base: np.ndarray) -> np.ndarray:
        assert own is not None  # a model with timed components has their own timings
        return np.where(np.isnan(own[timed])[:, None], base[o_t], own[timed][:, None])

    lag_t, duration_t = pick(model.component_lag, lag), pick(model.component_duration, duration)
    D = max(lag.shape[1], duration.shape[1], lag_t.shape[1], duration_t.shape[1])

    def join(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.concatenate([np.broadcast_to(a, (a.shape[0], D)), np.broadcast_to(b, (b.shape[0], D))], axis=0)

    return join(lag, lag_t), join(duration, duration_t), 1.0 - np.concatenate([drop, pick(
        model.component_drop_off, drop[:, None])[:, 0]])


def _profiles(cohort: np.ndarray, row_outcome: np.ndarray, lag: np.ndarray, duration: np.ndarray,
              retain: np.ndarray, scratch: _Scratch | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The benefit profile of every (row, timing) that occurs, and each draw's.

    Parameters
    ----------
    cohort : numpy.ndarray
        ``(O, H)`` intake by year.
    row_outcome : numpy.ndarray of int
        ``(R,)`` outcome of each row.
    lag, duration : numpy.ndarray
        ``(R, D|1)`` whole years.
    retain : numpy.ndarray
        ``(R,)`` share of the benefit kept each year after the first.

    Returns
    -------
    index : numpy.ndarray of int
        ``(R, D|1)``: each draw's profile of each row.
    profiles : numpy.ndarray
        ``(n, H)``: ``P[t] = sum_c cohort[c] x retain ** k`` over ``k = t - c - lag``
        with ``0 <= k < duration`` (benefit-years per unit of success rate), the
        powers by repeated multiplication, the sum over intake years in order.
    """
    scratch = scratch or _Scratch(None)
    R, H = len(row_outcome), cohort.shape[1]
    cells = (H + 1) * (H + 1)
    # a lag of H or more leaves nothing inside the horizon; a duration past it is cut
    first = np.clip(lag, 0, H).astype(np.int64)
    D = max(first.shape[1], duration.shape[1])
    key = scratch("key", (R, D), np.int64)
    np.clip(duration, 0, H - first, out=key, casting="unsafe")
    key += first * (H + 1) + (np.arange(R) * cells)[:, None]                   # (R, D|1)
    if D == 1:
        unique, index = key[:, 0].copy(), np.arange(R)[:, None]
    elif R * cells <= max(_TABLE_CELLS, key.size):
        seen = np.zeros(R * cells, dtype=bool)
        seen[key] = True
        unique = np.flatnonzero(seen)
        index = np.take(np.cumsum(seen) - 1, key, out=scratch("index", (R, D), np.int64))
    else:
        unique, index = np.unique(key, return_inverse=True)
        index = index.reshape(key.shape)
    row, cell = np.divmod(unique, cells)
    lag_u, duration_u = np.divmod(cell, H + 1)
    n = len(unique)
    powers = np.ones((n, H))
    if H > 1:
        powers[:, 1:] = retain[row][:, None]
        np.cumprod(powers, axis=1, out=powers)                                 # retain ** k, k = 0 .. H-1
    k = np.arange(H)[None, None, :] - np.arange(H)[None, :, None] - lag_u[:, None, None]   # (n, c, t)
    inside = (k >= 0) & (k < duration_u[:, None, None])
    kernel = np.where(inside, np.take_along_axis(powers[:, None, :], np.clip(k, 0, H - 1), axis=2), 0.0)
    profiles = np.sum(cohort[row_outcome[row]][:, :, None] * kernel, axis=1)   # (n, H)
    return index, profiles


def _discounted(profiles: np.ndarray, index: np.ndarray, factors: np.ndarray, drawn: bool) -> np.ndarray:
    """Present value of each draw's profile of each row, ``(R, D|1)``: each profile's
    once when the factors are the model's, else each draw's own (``factors`` ``(D|1, H)``)."""
    if not drawn:
        return np.sum(profiles * factors[0], axis=-1)[index]
    return np.sum(profiles[index] * factors[None], axis=-1)


def _rate(get, scratch: _Scratch) -> np.ndarray:
    """``net success rate x quantity x (1 - optimism bias)``, ``(O, D|1)``: the benefit
    units of each outcome per unit of its profile (the factors of
    :func:`~cba.method._additionality.net_success_rate`, in its order, then the others)."""
    names = ("engagement", "success", "deadweight", "displacement", "leakage", "substitution", "attribution",
             "quantity", "outcome_ob")
    x = {k: np.asarray(get(k)).T for k in names}
    out = scratch("rate", np.broadcast_shapes(*(v.shape for v in x.values())))
    np.multiply(x["engagement"], x["success"], out=out)
    for k in ("deadweight", "displacement", "leakage", "substitution", "attribution"):
        out *= 1.0 - x[k]
    out *= x["quantity"]
    out *= 1.0 - x["outcome_ob"]
    return out


def _costs(model: CompiledModel, plan: _Plan, overrides, get, df: np.ndarray, scratch: _Scratch
           ) -> tuple[np.ndarray, np.ndarray]:
    """Present value of costs by agency ``(A, D|1)`` and costs by year ``(D|1, H)``.

    When draws only scale whole lines (``cost_scale``), each line's uplifted costs
    and their present value are computed once and scaled per draw; otherwise the
    ``(D, L, H)`` costs are built as on the general path.
    """
    L, H = model.n_costs, model.horizon
    cost_real, cost_ob = get("cost_real"), get("cost_ob")
    scale = np.asarray(get("cost_scale")).T                                    # (L, D|1)
    # which way is chosen by the parameters drawn, never by the number of draws
    if not {"cost_real", "cost_ob", "discount_factors"} & overrides.keys():
        uplifted = cost_real[0] * (1.0 + cost_ob[0][:, None])                  # (L, H), as uplift_costs
        line_pv = np.sum(uplifted * df[0], axis=-1)                              # (L,)
        a_costs = plan.costs(scale * line_pv[:, None])
        if "cost_scale" not in overrides:
            return a_costs, _sum_rows(uplifted[:, None, :])
        yearly = scratch("yearly_costs", (scale.shape[1], H))
        if L > 1 and scale.shape[1] * H > 1:  # line by line: the numbers of the branch below
            return a_costs, _sum_scaled_rows(uplifted, None, scale, yearly, scratch("cost_line", yearly.shape))
        by_line = scratch("cost_lines", (L, scale.shape[1], H))
        np.multiply(uplifted[:, None, :], scale[:, :, None], out=by_line)
        return a_costs, _sum_rows(by_line, out=yearly)
    real = cost_real if "cost_scale" not in overrides else cost_real * scale.T[..., None]
    Dc = max(real.shape[0], cost_ob.shape[0])
    costs = np.multiply(real, 1.0 + cost_ob[..., None], out=scratch("costs", (Dc, L, H)))   # uplift_costs
    Dp = max(Dc, df.shape[0])
    line_pv = np.add.reduce(np.multiply(costs, df[:, None, :], out=scratch("cost_terms", (Dp, L, H))), axis=-1)
    return plan.costs(np.ascontiguousarray(line_pv.T)), np.add.reduce(costs, axis=1)


def present_values(model: CompiledModel, overrides: Mapping[str, np.ndarray] | None = None,
                   buffers: dict | None = None) -> PresentValues | None:
    """Present values and yearly totals of parameter draws from per-timing profiles.

    Parameters
    ----------
    model : CompiledModel
    overrides : mapping of str to numpy.ndarray, optional
        Parameter draws as for :func:`cba.engine._evaluate.evaluate`.
    buffers : dict, optional
        Scratch arrays kept from call to call (a Monte Carlo thread's); some of the
        returned arrays are then views of them, valid until the next call with the
        same ``buffers``.

    Returns
    -------
    PresentValues or None
        Every array with a full leading draws axis; None when the draws vary
        something the profiles cannot take (:func:`applies`): use
        ``cba.engine._metrics.present_values(cba.engine._evaluate.evaluate_totals(model, overrides))``.
    """
    overrides = dict(overrides or {})
    if not applies(model, overrides):
        return None
    D = _draws(overrides, model)

    def get(name: str) -> np.ndarray:
        return np.asarray(overrides[name]) if name in overrides else model.params[name][None]

    plan, scratch = _plan(model), _Scratch(buffers)
    H, A = model.horizon, len(model.agencies)
    df = get("discount_factors")                                               # (D|1, H)

    # costs: each line's present value, by agency; and the yearly total
    a_costs, yearly_costs = _costs(model, plan, overrides, get, df, scratch)

    # each row's benefit units per unit of profile, and its profiles
    lag, duration, retain = _timing(model, plan, get)
    index, profiles = _profiles(model.params["cohort"], plan.row_outcome, lag, duration, retain, scratch)
    scale = _rate(get, scratch)                                                # (O, D|1)
    if len(plan.timed):
        scale = scale[plan.row_outcome]                                        # (R, D|1)

    # each entry's present value (a component's value in a column), summed by column
    amount = np.asarray(get("component_amount")).T                            # (K, D|1)
    row_pv = _discounted(profiles, index, df, "discount_factors" in overrides)
    row_value = np.multiply(scale, row_pv, out=scratch("row_value", np.broadcast_shapes(scale.shape, row_pv.shape)))
    cash = np.asarray(get("component_cashable")).T
    h = plan.health
    if len(h):  # economic and social values of health components: the health schedule
        row_h = scale * _discounted(profiles, index, get("health_discount_factors"),
                                    "health_discount_factors" in overrides)
    De = max(row_value.shape[1], amount.shape[1], cash.shape[1] if plan.cash.stop else 1,
             row_h.shape[1] if len(h) else 1)
    entries = scratch("entries", (len(plan.entries), De))
    if row_value.shape[1] == De:
        np.take(row_value, plan.entry_rows, axis=0, out=entries)
    else:
        entries[...] = np.take(row_value, plan.entry_rows, axis=0)
    entries *= amount[plan.entries]
    if len(h):
        entries[h] = row_h[plan.entry_rows[h]] * amount[plan.entries[h]]
    if plan.cash.stop:
        entries[plan.cash] *= cash[plan.entries[plan.cash]]
    columns = plan.columns(entries)                                            # (C, D|1)
    c = 3 * A + 2
    reduction = avoidance = None
    if plan.classed:
        reduction, avoidance = _sum_rows(columns[c:c + A]), _sum_rows(columns[c + A:c + 2 * A])

    # fiscal savings by year: each row's units x its fiscal amount x its profile, rows in order
    Rf = len(plan.saving_rows)
    weight = plan.saving_weight(amount[plan.saving_members])                   # (Rf, D|1)
    coef = scale[plan.saving_rows] * weight                                    # (Rf, D|1)
    Dy = max(coef.shape[1], index.shape[1])
    if Rf > 1 and Dy * H > 1:  # row by row (the same numbers as the branch below, in less memory)
        pick = np.broadcast_to(index[plan.saving_rows], (Rf, Dy))
        yearly_fiscal = _sum_scaled_rows(profiles, pick, np.broadcast_to(coef, (Rf, Dy)),
                                         scratch("yearly_fiscal", (Dy, H)), scratch("by_row", (Dy, H)))
    else:
        by_row = scratch("by_row", (Rf, Dy, H))
        if Rf:
            rows_index = index[plan.saving_rows]
            if rows_index.shape[1] == Dy:
                np.take(profiles, rows_index, axis=0, out=by_row)
            else:
                by_row[...] = np.take(profiles, rows_index, axis=0)
            by_row *= coef[..., None]
        yearly_fiscal = _sum_rows(by_row, out=scratch("yearly_fiscal", (Dy, H)))  # (D|1, H)

    def full(a, shape):
        return None if a is None else np.broadcast_to(a, shape)

    def by_draw(a):  # (n, D|1) -> (D, n), C-contiguous (the metrics sum along the last axis)
        return full(np.ascontiguousarray(a.T), (D, a.shape[0]))

    return PresentValues(
        agencies=model.agencies,
        costs=by_draw(a_costs), fiscal=by_draw(columns[:A]), cashable=by_draw(columns[A:2 * A]),
        transfer=by_draw(columns[2 * A:3 * A]),
        economic=full(columns[3 * A], (D,)), social=full(columns[3 * A + 1], (D,)),
        yearly_costs=full(yearly_costs, (D, H)), yearly_fiscal=full(yearly_fiscal, (D, H)),
        discount_factors=full(df, (D, H)),
        reduction=full(reduction, (D,)), avoidance=full(avoidance, (D,)),
    )
