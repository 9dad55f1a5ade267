"""The vectorised appraisal engine.

Two steps, both pure:

1. :func:`~cba.engine._compiled.compile_model` turns a validated
   :class:`~cba.model._intervention.Intervention` into arrays at the appraisal's price
   base (:class:`CompiledModel`): every price uplifted, every unit value resolved,
   every grade turned into a correction.
2. :func:`evaluate` computes cost and benefit flows on arrays shaped
   ``(draws, lines, years)``. A deterministic appraisal is one draw; uncertainty
   analysis passes arrays of parameter draws as ``overrides`` and gets every draw
   at once, with no Python loop over years, cohorts or draws.

:func:`reduce_flows` then sums the flows into the totals by agency, value type and
year that :mod:`cba.engine._metrics` turns into results; :func:`evaluate_totals` gives the
same totals for many draws without the per-line flows.

Compiling lives in :mod:`cba.engine._compiled` and the segment sums and column layout of
:func:`evaluate_totals` in :mod:`cba.engine._segments`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cba.core._arguments import instance_argument, kind_of
from cba.core._errors import CBAError
from cba.engine._compiled import ECONOMIC, FISCAL, PARAMETER_SHAPES, SOCIAL, CompiledModel
from cba.engine._segments import _columns, segment_sum
from cba.method._additionality import unchecked_benefit_kernel as benefit_kernel
from cba.method._additionality import unchecked_benefit_years as benefit_years
from cba.method._additionality import unchecked_benefit_years_by_offset as benefit_years_by_offset
from cba.method._additionality import unchecked_net_success_rate as net_success_rate
from cba.method._optimism_bias import unchecked_reduce_benefits as reduce_benefits
from cba.method._optimism_bias import unchecked_uplift_costs as uplift_costs


@dataclass(frozen=True)
class Flows:
    """Yearly flows for every draw, at the price base, before discounting.

    Attributes
    ----------
    costs : numpy.ndarray
        ``(D, L, H)`` costs after optimism bias.
    benefits : numpy.ndarray
        ``(D, K, H)`` benefit flows by value component after optimism bias.
    cashable : numpy.ndarray
        ``(D, K, H)`` cashable share of each component in each year (0 for
        non-fiscal); constant over ``H`` unless a share is given by year.
    discount_factors : numpy.ndarray
        ``(D, H)``: the standard schedule, for costs and every non-health value.
    benefit_years : numpy.ndarray
        ``(D, O, H)`` net benefit-years by outcome (at the outcome's own timing;
        a component with its own timing has its own benefit-years inside
        ``benefits``).
    component_discount_factors : numpy.ndarray
        ``(D, K, H)``: each component's discount factors (the health schedule for
        health components, else the standard one). The present value of component
        ``k`` is ``(benefits * component_discount_factors).sum(-1)``; costs stay
        on ``discount_factors``.
    health_discount_factors : numpy.ndarray
        ``(D, H)``: the health schedule.
    """

    costs: np.ndarray
    benefits: np.ndarray
    cashable: np.ndarray
    discount_factors: np.ndarray
    benefit_years: np.ndarray
    component_discount_factors: np.ndarray | None = None
    health_discount_factors: np.ndarray | None = None

    @property
    def draws(self) -> int:
        """The number of draws (the first axis of every array)."""
        return self.costs.shape[0]


def _draws(overrides: Mapping[str, np.ndarray], model: CompiledModel) -> int:
    sizes = set()
    for name, arr in overrides.items():
        if name not in PARAMETER_SHAPES:
            raise CBAError(f"unknown engine parameter {name!r} (known: {', '.join(PARAMETER_SHAPES)})")
        base = model.params[name].shape
        arr = np.asarray(arr)
        if arr.shape[1:] != base:
            raise CBAError(f"override {name!r} must have shape (draws, {', '.join(map(str, base))}), got {arr.shape}")
        sizes.add(arr.shape[0])
    if len(sizes) > 1:
        raise CBAError(f"overrides disagree on the number of draws: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def _inputs(model: CompiledModel, overrides: Mapping[str, np.ndarray] | None, where: str):
    """The overrides checked, the number of draws, and ``get(name)``: a parameter per draw (the
    base value gains a leading draws axis of length 1, and broadcasts)."""
    _check(model, overrides, where)
    given = dict(overrides or {})
    D = _draws(given, model)

    def get(name: str) -> np.ndarray:
        return np.asarray(given[name]) if name in given else model.params[name][None]

    return given, D, get


def _cost_real(model: CompiledModel, overrides: Mapping[str, np.ndarray]) -> np.ndarray:
    """Real costs by line and year before optimism bias, ``(D|1, L, H)``: ``cost_real``
    times ``cost_scale`` when a draw scales a line (not multiplied otherwise, so the
    arithmetic of every other call is unchanged)."""
    real = np.asarray(overrides["cost_real"]) if "cost_real" in overrides else model.params["cost_real"][None]
    if "cost_scale" in overrides:
        real = real * np.asarray(overrides["cost_scale"])[..., None]
    return real


def _costs(model: CompiledModel, get, overrides: Mapping[str, np.ndarray]) -> np.ndarray:
    """Costs by line and year after optimism bias, ``(D|1, L, H)``."""
    return uplift_costs(_cost_real(model, overrides), get("cost_ob")[..., None])


@dataclass(frozen=True)
class CostFlows:
    """The cost side of :class:`Flows` alone, the same arrays: ``costs`` ``(D, L, H)``
    and ``discount_factors`` ``(D, H)``; ``benefits`` is None (not worked out)."""

    costs: np.ndarray
    discount_factors: np.ndarray
    benefits: None = None

    @property
    def draws(self) -> int:
        return self.costs.shape[0]


def evaluate_costs(model: CompiledModel, overrides: Mapping[str, np.ndarray] | None = None) -> CostFlows:
    """:func:`evaluate`'s costs and discount factors without its benefits, for a deal's
    risk run whose figures need no savings (the same numbers: the same code)."""
    overrides, D, get = _inputs(model, overrides, "evaluate_costs")

    H = model.horizon
    return CostFlows(costs=np.broadcast_to(_costs(model, get, overrides), (D, model.n_costs, H)),
                     discount_factors=np.broadcast_to(get("discount_factors"), (D, H)))


def _benefit_rows(model: CompiledModel, get, successes, unit, by_offset: bool):
    """Benefit units per row and the row of each component.

    Rows are the outcomes, then one per component with its own timing (its
    outcome's successes through its own lag, duration and drop-off, then the
    outcome's quantity and optimism bias). Without such components this is
    ``unit`` itself and each component's outcome, so the arithmetic of every
    other model is unchanged.

    Returns
    -------
    rows_unit : numpy.ndarray
        ``(D|1, O + Kt, H)``.
    rows : numpy.ndarray of int
        ``(K,)`` row of each component.
    """
    rows = model.component_outcome
    timed = model.timed_components
    if not len(timed):
        return unit, rows
    o_t = model.component_outcome[timed]

    def pick(own: np.ndarray | None, name: str) -> np.ndarray:
        assert own is not None  # a model with timed components has their own timings
        return np.where(np.isnan(own[timed]), get(name)[:, o_t], own[timed])   # (D|1, Kt)

    lag = pick(model.component_lag, "lag").astype(int)
    duration = pick(model.component_duration, "duration").astype(int)
    drop_off = pick(model.component_drop_off, "drop_off")
    s_t = successes[:, o_t, :]
    if by_offset or lag.shape[0] > 1 or duration.shape[0] > 1 or drop_off.shape[0] > 1:
        years_t = benefit_years_by_offset(s_t, lag, duration, drop_off)
    else:
        years_t = benefit_years(s_t, benefit_kernel(model.horizon, lag[0], duration[0], drop_off[0]))
    unit_t = reduce_benefits(years_t * get("quantity")[:, o_t, None], get("outcome_ob")[:, o_t, None])
    D = max(unit.shape[0], unit_t.shape[0])
    H = model.horizon
    rows_unit = np.concatenate([np.broadcast_to(unit, (D, *unit.shape[1:])),
                                np.broadcast_to(unit_t, (D, len(timed), H))], axis=1)
    rows = rows.copy()
    rows[timed] = model.n_outcomes + np.arange(len(timed))
    return rows_unit, rows


def _cashable_by_year(c: np.ndarray) -> np.ndarray:
    """Cashable shares ``(D|1, K)`` or ``(D|1, K, H)`` as ``(D|1, K, H|1)``."""
    return c[..., None] if c.ndim == 2 else c


def _rows_times(by_row: np.ndarray, rows: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """``by_row[:, rows, :] * amount``, the same numbers in the same memory layout, two to three
    times faster: ``take`` copies the rows, and the product is made in place."""
    picked = np.take(by_row.transpose(1, 0, 2), rows, axis=0).transpose(1, 0, 2)
    shape = np.shape(amount)
    if len(shape) > picked.ndim or any(a not in (1, p) for a, p in zip(shape[::-1], picked.shape[::-1])):
        return picked * amount     # the product is larger than the rows (or does not broadcast)
    return np.multiply(picked, amount, out=picked)


def evaluate(model: CompiledModel, overrides: Mapping[str, np.ndarray] | None = None) -> Flows:
    """Cost and benefit flows for one or many draws of the parameters.

    Parameters
    ----------
    model : CompiledModel
        From :func:`~cba.engine._compiled.compile_model`.
    overrides : mapping of str to numpy.ndarray, optional
        Parameter draws, each shaped ``(D,) + base shape`` (see
        :data:`PARAMETER_SHAPES`); parameters not given keep their base value in
        every draw.

    Returns
    -------
    Flows
    """
    overrides, D, get = _inputs(model, overrides, "evaluate")

    H = model.horizon
    costs = _costs(model, get, overrides)
    rate = net_success_rate(get("engagement"), get("success"), get("deadweight"), get("displacement"),
                            get("leakage"), get("substitution"), get("attribution"))
    successes = get("cohort") * rate[..., None]                                  # (D, O, H)
    timing_varies = bool({"lag", "duration", "drop_off"} & overrides.keys())
    if timing_varies:
        kernel = benefit_kernel(H, get("lag"), get("duration"), get("drop_off"))    # (D, O, H, H)
    else:
        kernel = benefit_kernel(H, model.params["lag"], model.params["duration"], model.params["drop_off"])
    years = benefit_years(successes, kernel)                                       # (D, O, H)
    # benefit units per outcome and year after optimism bias, (D, O, H)
    unit = reduce_benefits(years * get("quantity")[..., None], get("outcome_ob")[..., None])
    rows_unit, rows = _benefit_rows(model, get, successes, unit, timing_varies)
    benefits = _rows_times(rows_unit, rows, get("component_amount")[..., None])   # (D, K, H)

    def full(a: np.ndarray, shape) -> np.ndarray:
        return np.broadcast_to(a, shape)

    K = model.n_components
    df, hdf = get("discount_factors"), get("health_discount_factors")             # (D|1, H)
    health = model.health
    comp_df = np.where(health[None, :, None], hdf[:, None, :], df[:, None, :]) if health.any() else df[:, None, :]
    return Flows(
        costs=full(costs, (D, model.n_costs, H)),
        benefits=full(benefits, (D, K, H)),
        cashable=full(_cashable_by_year(get("component_cashable")), (D, K, H)),
        discount_factors=full(df, (D, H)),
        benefit_years=full(years, (D, model.n_outcomes, H)),
        component_discount_factors=full(comp_df, (D, K, H)),
        health_discount_factors=full(hdf, (D, H)),
    )


@dataclass(frozen=True)
class Totals:
    """Flows summed by agency, value type and year: what metrics are made of.

    Every array has a leading draws axis ``D``; ``A`` is the number of agencies.

    Attributes
    ----------
    costs, fiscal, cashable, transfer : numpy.ndarray
        ``(D, A, H)`` real flows by agency and year; ``cashable`` and ``transfer``
        are the parts of ``fiscal`` that are cashable and that are transfers.
    economic, social : numpy.ndarray
        ``(D, H)``.
    discount_factors : numpy.ndarray
        ``(D, H)``: the standard schedule.
    economic_health, social_health : numpy.ndarray or None
        ``(D, H)``: the parts of ``economic`` and ``social`` from health
        components, discounted on ``health_discount_factors`` (``(D, H)``) instead;
        None when the model has no health component.
    reduction, avoidance : numpy.ndarray or None
        ``(D, A, H)``: the parts of ``fiscal`` classed as cost reduction and as
        cost avoidance; None when the model classes no saving.
    """

    agencies: tuple[str, ...]
    costs: np.ndarray
    fiscal: np.ndarray
    cashable: np.ndarray
    transfer: np.ndarray
    economic: np.ndarray
    social: np.ndarray
    discount_factors: np.ndarray
    health_discount_factors: np.ndarray | None = None
    economic_health: np.ndarray | None = None
    social_health: np.ndarray | None = None
    reduction: np.ndarray | None = None
    avoidance: np.ndarray | None = None


def _check(model: object, overrides: object, where: str) -> None:
    instance_argument(model, CompiledModel, f"{where}: model", "a compiled model (cba.engine.compile_model)")
    if overrides is not None and not isinstance(overrides, Mapping):
        raise CBAError(f"{where}: overrides: expected a mapping of parameter names to arrays, got {kind_of(overrides)}")


def reduce_flows(model: CompiledModel, flows: Flows) -> Totals:
    """Sum flows into :class:`Totals` with matrix products (no loops)."""
    instance_argument(model, CompiledModel, "reduce_flows: model", "a compiled model (cba.engine.compile_model)")
    instance_argument(flows, Flows, "reduce_flows: flows", "Flows (cba.engine.evaluate)")
    cost_map = model.agency_matrix(model.cost_agency)                              # (L, A)
    is_fiscal = model.component_type == FISCAL
    fiscal_map = model.agency_matrix(np.where(is_fiscal, model.component_agency, -1))  # (K, A)
    b = flows.benefits
    cashable_b = b * flows.cashable
    transfer_b = b * model.component_transfer[None, :, None]

    def by_agency(x, m):
        return np.einsum("dkh,ka->dah", x, m)

    extra: dict[str, np.ndarray | None] = {}
    health = model.health
    if health.any():
        extra.update(
            health_discount_factors=flows.health_discount_factors,
            economic_health=b[:, (model.component_type == ECONOMIC) & health, :].sum(axis=1),
            social_health=b[:, (model.component_type == SOCIAL) & health, :].sum(axis=1),
        )
    saving = model.component_saving
    if saving is not None and saving.any():
        extra.update(reduction=by_agency(b * (saving == 1)[None, :, None], fiscal_map),
                     avoidance=by_agency(b * (saving == 2)[None, :, None], fiscal_map))
    return Totals(
        agencies=model.agencies,
        costs=by_agency(flows.costs, cost_map),
        fiscal=by_agency(b, fiscal_map),
        cashable=by_agency(cashable_b, fiscal_map),
        transfer=by_agency(transfer_b, fiscal_map),
        economic=b[:, model.component_type == ECONOMIC, :].sum(axis=1),
        social=b[:, model.component_type == SOCIAL, :].sum(axis=1),
        discount_factors=flows.discount_factors,
        **extra,
    )


def evaluate_totals(model: CompiledModel, overrides: Mapping[str, np.ndarray] | None = None) -> Totals:
    """``reduce_flows(model, evaluate(model, overrides))`` without the per-line flows.

    The general path for uncertainty analysis (:mod:`cba.engine._profiles` is the faster
    one when only rates, amounts, costs, lags or durations vary). Benefit flows by
    value component ``(D, K, H)`` are never built: each component's amount is added
    into its outcome's weight in each column it lands in (fiscal, cashable and
    transfer by agency, economic, social; :class:`~cba.engine._segments._Columns`), only
    for the (outcome, column) pairs that occur, then each column sums its outcomes' benefit units
    times their weights. Both are segment sums (:func:`segment_sum`): no outcome x
    component or component x agency matrix, so memory and time grow linearly with
    the number of components. The totals equal :func:`reduce_flows` up to
    floating-point rounding (summation order).

    Three features add work only to the models that use them: a component with
    its own timing gets its own row of benefit units beside the outcomes'; health
    components and classed savings add columns (the health parts of economic and
    social, cost reduction and avoidance by agency); a cashable share that varies
    by year is summed from each fiscal component's ``(D, H)`` cashable flow.

    Every draw is computed by operations that act on that draw alone (elementwise
    arithmetic and sums along the last axis), so a draw's totals do not depend on
    which other draws share the call: evaluating draws in chunks of any size gives
    bit-for-bit the same numbers. When lag, duration or drop-off vary by draw,
    benefit-years are summed over the kernel's ``H`` offsets
    (:func:`~cba.method._additionality.unchecked_benefit_years_by_offset`) rather than
    through a ``(D, O, H, H)`` kernel.

    Parameters
    ----------
    model : CompiledModel
    overrides : mapping of str to numpy.ndarray, optional
        As for :func:`evaluate`.

    Returns
    -------
    Totals
        Every array with a full leading draws axis ``D``.

    Examples
    --------
    >>> import cba
    >>> from cba.engine._compiled import compile_model
    >>> m = compile_model(cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25",
    ...     "horizon": 2, "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
    ...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
    ...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}))
    >>> t = evaluate_totals(m, {"success": np.array([[0.5], [1.0]])})
    >>> t.fiscal[:, 1, 0]
    array([1500., 3000.])
    """
    overrides, D, get = _inputs(model, overrides, "evaluate_totals")

    H, A = model.horizon, len(model.agencies)

    # costs by agency: each agency's lines summed, year by year
    costs = _costs(model, get, overrides)                                          # (D|1, L, H)
    costs_a = np.swapaxes(segment_sum(np.swapaxes(costs, -1, -2), model.cost_agency, A), -1, -2)  # (D|1, A, H)

    # benefit units by outcome and year, after optimism bias
    rate = net_success_rate(get("engagement"), get("success"), get("deadweight"), get("displacement"),
                            get("leakage"), get("substitution"), get("attribution"))
    successes = get("cohort") * rate[..., None]                                        # (D|1, O, H)
    timing_varies = bool({"lag", "duration", "drop_off"} & overrides.keys())
    if timing_varies:
        years = benefit_years_by_offset(successes, get("lag"), get("duration"), get("drop_off"))
    else:
        kernel = benefit_kernel(H, model.params["lag"], model.params["duration"], model.params["drop_off"])
        years = benefit_years(successes, kernel)                                       # (D|1, O, H)
    unit = reduce_benefits(years * get("quantity")[..., None], get("outcome_ob")[..., None])
    # components with their own timing get their own rows of benefit units
    unit, rows = _benefit_rows(model, get, successes, unit, timing_varies)             # (D|1, R, H)

    # each component's value per benefit unit lands in columns: fiscal, cashable and
    # transfer by agency (3A), economic and social; then, only for models that use
    # them, the health parts of economic and social and the saving classes by agency
    amount = get("component_amount")                                                   # (D|1, K)
    cashable = get("component_cashable")
    by_year = cashable.ndim == 3          # a share varies by year: summed separately below
    cols = _columns(model, include_cashable=not by_year)
    values = amount[:, cols.component]                                                 # (D|1, E)
    if not by_year:
        values = values * np.where(cols.cashable, cashable[:, cols.component], 1.0)
    # entries sharing a row and a column are added first (the row's weight in that
    # column), then each column is the sum over its rows of weight x benefit units
    pair_row, pair_col, pair = cols.pairs(rows)
    weights = segment_sum(values, pair, len(pair_row))                                 # (D|1, P)
    unit_t = np.swapaxes(unit, -1, -2)                                                 # (D|1, H, R)
    by_column = np.swapaxes(segment_sum(unit_t[..., pair_row] * weights[:, None, :], pair_col, cols.n), -1, -2)

    def full(a: np.ndarray, shape) -> np.ndarray:
        return np.broadcast_to(a, shape)

    cash = by_column[:, A:2 * A]
    if by_year:  # (D|1, K, H) shares: each fiscal component's cashable flow, summed by agency
        f = np.flatnonzero(model.component_type == FISCAL)
        flows = unit_t[..., rows[f]] * amount[:, None, f] * np.swapaxes(cashable, -1, -2)[..., f]   # (D|1, H, Kf)
        cash = np.swapaxes(segment_sum(flows, model.component_agency[f], A), -1, -2)
    extra: dict[str, np.ndarray | None] = {}
    c = 3 * A + 2
    if cols.health:
        extra.update(health_discount_factors=full(get("health_discount_factors"), (D, H)),
                     economic_health=full(by_column[:, c], (D, H)),
                     social_health=full(by_column[:, c + 1], (D, H)))
        c += 2
    if cols.classed:
        extra.update(reduction=full(by_column[:, c:c + A], (D, A, H)),
                     avoidance=full(by_column[:, c + A:c + 2 * A], (D, A, H)))
    return Totals(
        agencies=model.agencies,
        costs=full(costs_a, (D, A, H)),
        fiscal=full(by_column[:, :A], (D, A, H)),
        cashable=full(cash, (D, A, H)),
        transfer=full(by_column[:, 2 * A:3 * A], (D, A, H)),
        economic=full(by_column[:, 3 * A], (D, H)),
        social=full(by_column[:, 3 * A + 1], (D, H)),
        discount_factors=full(get("discount_factors"), (D, H)),
        **extra,
    )
