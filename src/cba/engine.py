"""The vectorised appraisal engine.

Two steps, both pure:

1. :func:`compile_model` turns a validated :class:`~cba.models.Intervention` into
   arrays at the appraisal's price base (:class:`CompiledModel`): every price
   uplifted, every unit value resolved, every grade turned into a correction.
2. :func:`evaluate` computes cost and benefit flows on arrays shaped
   ``(draws, lines, years)``. A deterministic appraisal is one draw; uncertainty
   analysis passes arrays of parameter draws as ``overrides`` and gets every draw
   at once, with no Python loop over years, cohorts or draws.

:func:`reduce_flows` then sums the flows into the totals by agency, value type and
year that :mod:`cba.metrics` turns into results.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from . import deflators
from .additionality import benefit_kernel, benefit_years, net_success_rate
from .errors import CBAError, ModelError
from .models import Intervention, Outcome, ValueComponent
from .optimism_bias import reduce_benefits, uplift_costs

VALUE_TYPES = ("fiscal", "economic", "social")
FISCAL, ECONOMIC, SOCIAL = 0, 1, 2

#: Per-outcome parameters (shape ``(O,)``, or ``(D, O)`` as overrides).
OUTCOME_PARAMETERS = ("engagement", "success", "deadweight", "displacement", "leakage",
                      "substitution", "attribution", "lag", "duration", "drop_off",
                      "quantity", "outcome_ob")
#: Everything :func:`evaluate` accepts as an override, with its base shape.
PARAMETER_SHAPES = {
    **{p: ("O",) for p in OUTCOME_PARAMETERS},
    "cohort": ("O", "H"),
    "cost_real": ("L", "H"),
    "cost_scale": ("L",),           # a multiplier of every year of a cost line (1 in the model)
    "cost_ob": ("L",),
    "component_amount": ("K",),
    "component_cashable": ("K",),   # ("K", "H") when a component's cashable share varies by year
    "discount_factors": ("H",),
    "health_discount_factors": ("H",),
}
#: Saving classes of a fiscal component (``CompiledModel.component_saving``).
SAVING_CLASSES = ("", "reduction", "avoidance")


@dataclass(frozen=True)
class CompiledModel:
    """An intervention as arrays at its price base.

    Attributes
    ----------
    horizon : int
        Years ``H``.
    agencies : tuple of str
        Agency ids in ledger order (cost-bearing agencies first, then savers).
    params : dict of str to numpy.ndarray
        Base values of every entry of :data:`PARAMETER_SHAPES`.
    cost_agency, component_agency : numpy.ndarray of int
        Index into ``agencies`` (``-1`` for economic and social components).
    component_outcome, component_type : numpy.ndarray of int
        Outcome index and value type (0 fiscal, 1 economic, 2 social).
    component_transfer : numpy.ndarray of bool
    cost_info, component_info : list of dict
        Provenance of each line (names, price year, uplift factor, source, code).
    component_health : numpy.ndarray of bool
        ``(K,)``: discounted on the health schedule (``params["health_discount_factors"]``).
    component_saving : numpy.ndarray of int
        ``(K,)``: index into :data:`SAVING_CLASSES` (0 unclassified, 1 cost
        reduction, 2 cost avoidance).
    component_lag, component_duration, component_drop_off : numpy.ndarray of float
        ``(K,)``: a component's own timing; NaN where it takes its outcome's.
    warnings : list of str
        What the appraisal must show beside its results (e.g. possible double
        counting, :func:`cba.unit_costs.overlaps.double_counting`).

    Notes
    -----
    ``params["component_cashable"]`` is ``(K,)`` when every component's cashable
    share is the same in every year, and ``(K, H)`` when any varies by year.
    """

    intervention: Intervention
    horizon: int
    year_labels: tuple[str, ...]
    agencies: tuple[str, ...]
    params: dict[str, np.ndarray]
    cost_agency: np.ndarray
    component_outcome: np.ndarray
    component_type: np.ndarray
    component_agency: np.ndarray
    component_transfer: np.ndarray
    cost_info: list[dict] = field(default_factory=list)
    component_info: list[dict] = field(default_factory=list)
    deflator: deflators.Deflator | None = None
    notes: list[str] = field(default_factory=list)
    component_health: np.ndarray | None = None
    component_saving: np.ndarray | None = None
    component_lag: np.ndarray | None = None
    component_duration: np.ndarray | None = None
    component_drop_off: np.ndarray | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def health(self) -> np.ndarray:
        """``(K,)`` health flags (all False for a model compiled without them)."""
        h = self.component_health
        return np.zeros(self.n_components, dtype=bool) if h is None else h

    @property
    def timed_components(self) -> np.ndarray:
        """Indices of the components that set their own lag, duration or drop-off."""
        if self.component_lag is None:
            return np.zeros(0, dtype=int)
        own = ~(np.isnan(self.component_lag) & np.isnan(self.component_duration)
                & np.isnan(self.component_drop_off))
        return np.nonzero(own)[0]

    @property
    def n_costs(self) -> int:
        return len(self.cost_agency)

    @property
    def n_outcomes(self) -> int:
        return len(self.params["success"])

    @property
    def n_components(self) -> int:
        return len(self.component_type)

    def agency_matrix(self, index: np.ndarray) -> np.ndarray:
        """One-hot ``(lines, agencies)`` matrix; rows of ``-1`` are all zero."""
        m = np.zeros((len(index), len(self.agencies)))
        ok = index >= 0
        m[np.nonzero(ok)[0], index[ok]] = 1.0
        return m


def _components(outcome: Outcome, i: int, model: Intervention) -> list[tuple[str, ValueComponent]]:
    """The value components of an outcome, with the field path of each."""
    value = outcome.value
    base = f"outcomes[{i}].value"
    out: list[tuple[str, ValueComponent]] = [
        (f"{base}.components[{j}]", c) for j, c in enumerate(value.components or [])
    ]
    if value.unit_cost:
        try:
            from .unit_costs import resolve_unit_value
        except ImportError:
            raise ModelError([(f"{base}.unit_cost", "unit-cost codes need the cba.unit_costs module")]) from None
        try:
            resolved = resolve_unit_value(value, model)
        except CBAError as exc:
            raise ModelError([(f"{base}.unit_cost", str(exc))]) from None
        out += [(f"{base}.unit_cost", c) for c in resolved]
    if value.exclude:
        # drop by value type, agency, code or row label; a name that matches nothing
        # is a mistake (a typo would otherwise silently keep the component)
        drop = set(value.exclude)
        names = [{c.type, c.agency, c.unit_cost, c.label} - {None} for _, c in out]
        unmatched = [d for d in value.exclude if not any(d in n for n in names)]
        if unmatched:
            known = sorted(set().union(*names)) if names else []
            raise ModelError([(f"{base}.exclude", f"{', '.join(map(repr, unmatched))} matches no component "
                                                  f"(components: {', '.join(known) or 'none'})")])
        out = [(p, c) for (p, c), n in zip(out, names) if not (n & drop)]
    return out


def _cashable(outcome: Outcome, comp: ValueComponent, horizon: int | None = None) -> float | list[float]:
    """The component's cashable share: one number, or one per year when it varies.

    Without ``horizon`` a share given by year is returned as given (unpadded).
    """
    override = outcome.cashable
    if isinstance(override, dict) and comp.agency in override:
        return override[comp.agency]
    if isinstance(override, float):
        return override
    if isinstance(comp.cashable, list) and horizon is None:
        return [float(x) for x in comp.cashable]
    if isinstance(comp.cashable, list):
        years = comp.cashable_by_year(horizon)
        return years if len(set(years)) > 1 else years[0]
    return comp.cashable if comp.cashable is not None else 0.0


@functools.cache
def _double_counting():
    """:func:`cba.unit_costs.overlaps.double_counting`, imported once (on first use)."""
    from .unit_costs.overlaps import double_counting

    return double_counting


def compile_model(model: Intervention, provenance: bool = True) -> CompiledModel:
    """Turn an intervention into arrays at its price base.

    Compiling creates no reference cycles, so Python's cycle collector is paused
    while it runs (and resumed after, if it was running): otherwise the objects it
    creates for a model of thousands of outcomes set off full collections, each
    scanning every object of the model, which cost more than the compiling itself.

    Parameters
    ----------
    model : Intervention
    provenance : bool
        Record where each line comes from (``cost_info``, ``component_info``). Work
        that needs only the arrays (a portfolio's metrics) can leave them empty,
        which takes about half the time for a small model.

    Raises
    ------
    ModelError
        For a price year outside the deflator series, an unknown unit-cost code or
        confidence grade, each naming the field path.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        return _compile(model, provenance)
    finally:
        if running:
            gc.enable()


def _compile(model: Intervention, provenance: bool = True) -> CompiledModel:
    H = model.horizon
    problems: list[tuple[str, str]] = []
    try:
        deflator = deflators.get(model.deflator)
    except CBAError as exc:
        raise ModelError([("deflator", str(exc))]) from None

    uplifts: dict[str | None, tuple[float, str | None]] = {}

    def uplift(price_year: str | None) -> tuple[float, str | None]:
        """The price uplift from ``price_year`` and the error, if any (one lookup per year)."""
        if price_year not in uplifts:
            try:
                uplifts[price_year] = (deflator.factor(price_year, model.price_base), None)
            except CBAError as exc:
                uplifts[price_year] = (float("nan"), str(exc))
        return uplifts[price_year]

    ob = model.optimism_bias
    agencies: list[str] = []
    agency_at: dict[str, int] = {}

    def agency_index(a: str | None) -> int:
        if a is None:
            return -1
        if a not in agency_at:
            agency_at[a] = len(agencies)
            agencies.append(a)
        return agency_at[a]

    # ---- costs
    L = len(model.costs)
    cost_real = np.zeros((L, H))
    cost_ob = np.zeros(L)
    cost_agency = np.zeros(L, dtype=int)
    cost_info = []
    for l, c in enumerate(model.costs):
        f, error = uplift(c.price_year)
        if error is not None:
            problems.append((f"costs[{l}].price_year" if c.price_year else "price_base", error))
        cost_real[l, : len(c.amounts)] = np.asarray(c.amounts, dtype=float) * f
        cost_ob[l] = ob.correction(c.confidence)
        cost_agency[l] = agency_index(c.agency)
        if provenance:
            cost_info.append({"line": l, "name": c.name, "agency": c.agency, "kind": c.kind,
                              "price_year": c.price_year or model.price_base, "uplift": f,
                              "confidence": c.confidence, "optimism_bias": cost_ob[l], "source": c.source})

    # ---- outcomes and their components
    O = len(model.outcomes)
    fields = ("engagement", "success", "deadweight", "displacement", "leakage", "substitution", "attribution",
              "lag", "duration", "drop_off")
    by_outcome = []                    # each outcome's fields, quantity and optimism bias
    cohort = np.zeros((O, H))
    comp_rows = []
    for i, o in enumerate(model.outcomes):
        row = [getattr(o, k) for k in fields]
        row.append(o.effective_quantity)
        row.append(ob.correction(o.confidence))
        by_outcome.append(row)
        cohort[i] = o.cohort_by_year(H)
        try:
            comps = _components(o, i, model)
        except ModelError as exc:
            problems.extend(exc.problems)
            continue
        for path, comp in comps:
            f, error = uplift(comp.price_year)
            if error is not None:
                problems.append((f"{path}.price_year" if comp.price_year else "price_base", error))
            comp_rows.append((i, comp, f, _cashable(o, comp, H) if comp.type == "fiscal" else 0.0))
    columns = np.array(by_outcome, dtype=float).reshape(O, len(fields) + 2).T
    p = dict(zip(fields + ("quantity", "outcome_ob"), columns.copy()))

    # savers that bear no cost come after the cost-bearing agencies; one pass over the
    # components for their arrays and their provenance
    K = len(comp_rows)
    names = [o.name for o in model.outcomes]
    rows = []                          # each component's type, agency, transfer, amount, health, saving
    own = []                           # its own lag, duration and drop-off (NaN: the outcome's)
    by_year = False
    comp_info = []
    base, deflator_name, vintage = model.price_base, deflator.name, deflator.vintage
    nan = float("nan")
    for i, c, f, cash in comp_rows:
        kind, real = c.type, c.amount * f
        rows.append((VALUE_TYPES.index(kind), agency_index(c.agency), bool(c.transfer), real, bool(c.health),
                     SAVING_CLASSES.index(c.saving or "")))
        lag, duration, drop = c.lag, c.duration, c.drop_off
        own.append((nan if lag is None else float(lag), nan if duration is None else float(duration),
                    nan if drop is None else float(drop)))
        if isinstance(cash, list):
            by_year = True
        if not provenance:
            continue
        info = {"outcome": i, "outcome_name": names[i], "type": kind, "agency": c.agency, "amount": c.amount,
                "price_year": c.price_year or base, "uplift": f, "real_amount": real,
                "cashable": cash if kind == "fiscal" else None, "transfer": c.transfer, "unit_cost": c.unit_cost,
                "source": c.source, "label": c.label, "database_version": c.database, "deflator": deflator_name,
                "deflator_vintage": vintage}
        # new judgements, recorded only where made
        if c.health is not None:
            info["health"] = c.health
        if c.saving is not None:
            info["saving"] = c.saving
        if lag is not None:
            info["lag"] = lag
        if duration is not None:
            info["duration"] = duration
        if drop is not None:
            info["drop_off"] = drop
        if isinstance(cash, list):  # varies by year: "cashable" is the share the years settle at
            info["cashable_by_year"], info["cashable"] = cash, cash[-1]
        comp_info.append(info)
    columns = list(zip(*rows)) or [()] * 6
    types, agency, transfer, amount, health, saving = columns
    comp_outcome = np.array([r[0] for r in comp_rows], dtype=int)
    comp_type = np.array(types, dtype=int)
    comp_agency = np.array(agency, dtype=int)
    comp_transfer = np.array(transfer, dtype=bool)
    comp_amount = np.array(amount, dtype=float)
    if by_year:  # a share varies by year: (K, H)
        comp_cashable = np.array([r[3] if isinstance(r[3], list) else [r[3]] * H for r in comp_rows],
                                 dtype=float).reshape(K, H)
    else:
        comp_cashable = np.array([r[3] for r in comp_rows], dtype=float)
    comp_health = np.array(health, dtype=bool).reshape(K)
    comp_saving = np.array(saving, dtype=int).reshape(K)
    comp_lag, comp_duration, comp_drop = np.array(own, dtype=float).reshape(K, 3).T.copy()
    if problems:
        raise ModelError(problems)

    params = {**p, "cohort": cohort, "cost_real": cost_real, "cost_scale": np.ones(L), "cost_ob": cost_ob,
              "component_amount": comp_amount, "component_cashable": comp_cashable,
              "discount_factors": model.discount_factors(),
              "health_discount_factors": model.health_discount_factors()}
    # double counting is judged from unit-cost codes (a component's code or row label):
    # a model without any has nothing to warn about
    coded = any(r[1].unit_cost or r[1].label for r in comp_rows)
    warnings = _double_counting()(model, [(r[0], r[1]) for r in comp_rows]) if coded else []
    params["lag"] = params["lag"].astype(int)
    params["duration"] = params["duration"].astype(int)
    return CompiledModel(
        intervention=model, horizon=H, year_labels=tuple(model.year_labels()),
        agencies=tuple(agencies), params=params, cost_agency=cost_agency,
        component_outcome=comp_outcome.reshape(K), component_type=comp_type.reshape(K),
        component_agency=comp_agency.reshape(K), component_transfer=comp_transfer.reshape(K),
        cost_info=cost_info, component_info=comp_info, deflator=deflator,
        component_health=comp_health, component_saving=comp_saving, component_lag=comp_lag,
        component_duration=comp_duration, component_drop_off=comp_drop, warnings=warnings,
    )


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


def _cost_real(model: CompiledModel, overrides: Mapping[str, np.ndarray]) -> np.ndarray:
    """Real costs by line and year before optimism bias, ``(D|1, L, H)``: ``cost_real``
    times ``cost_scale`` when a draw scales a line (not multiplied otherwise, so the
    arithmetic of every other call is unchanged)."""
    real = np.asarray(overrides["cost_real"]) if "cost_real" in overrides else model.params["cost_real"][None]
    if "cost_scale" in overrides:
        real = real * np.asarray(overrides["cost_scale"])[..., None]
    return real


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

    def pick(own: np.ndarray, name: str) -> np.ndarray:
        return np.where(np.isnan(own[timed]), get(name)[:, o_t], own[timed])   # (D|1, Kt)

    lag = pick(model.component_lag, "lag").astype(int)
    duration = pick(model.component_duration, "duration").astype(int)
    drop_off = pick(model.component_drop_off, "drop_off")
    s_t = successes[:, o_t, :]
    if by_offset or lag.shape[0] > 1 or duration.shape[0] > 1 or drop_off.shape[0] > 1:
        years_t = _benefit_years_by_offset(s_t, lag, duration, drop_off)
    else:
        years_t = benefit_years(s_t, benefit_kernel(model.horizon, lag[0], duration[0], drop_off[0]))
    unit_t = reduce_benefits(years_t * get("quantity")[:, o_t, None], get("outcome_ob")[:, o_t, None])
    D = max(unit.shape[0], unit_t.shape[0])
    H = model.horizon
    rows_unit = np.concatenate([np.broadcast_to(unit, (D,) + unit.shape[1:]),
                                np.broadcast_to(unit_t, (D, len(timed), H))], axis=1)
    rows = rows.copy()
    rows[timed] = model.n_outcomes + np.arange(len(timed))
    return rows_unit, rows


def _cashable_by_year(c: np.ndarray) -> np.ndarray:
    """Cashable shares ``(D|1, K)`` or ``(D|1, K, H)`` as ``(D|1, K, H|1)``."""
    return c[..., None] if c.ndim == 2 else c


def evaluate(model: CompiledModel, overrides: Mapping[str, np.ndarray] | None = None) -> Flows:
    """Cost and benefit flows for one or many draws of the parameters.

    Parameters
    ----------
    model : CompiledModel
        From :func:`compile_model`.
    overrides : mapping of str to numpy.ndarray, optional
        Parameter draws, each shaped ``(D,) + base shape`` (see
        :data:`PARAMETER_SHAPES`); parameters not given keep their base value in
        every draw.

    Returns
    -------
    Flows
    """
    overrides = dict(overrides or {})
    D = _draws(overrides, model)

    def get(name: str) -> np.ndarray:
        # base values gain a leading draws axis of length 1 and broadcast
        return np.asarray(overrides[name]) if name in overrides else model.params[name][None]

    H = model.horizon
    costs = uplift_costs(_cost_real(model, overrides), get("cost_ob")[..., None])
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
    benefits = rows_unit[:, rows, :] * get("component_amount")[..., None]          # (D, K, H)

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


def reduce_flows(model: CompiledModel, flows: Flows) -> Totals:
    """Sum flows into :class:`Totals` with matrix products (no loops)."""
    cost_map = model.agency_matrix(model.cost_agency)                              # (L, A)
    is_fiscal = model.component_type == FISCAL
    fiscal_map = model.agency_matrix(np.where(is_fiscal, model.component_agency, -1))  # (K, A)
    b = flows.benefits
    cashable_b = b * flows.cashable
    transfer_b = b * model.component_transfer[None, :, None]

    def by_agency(x, m):
        return np.einsum("dkh,ka->dah", x, m)

    extra = {}
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


def _benefit_years_by_offset(successes, lag, duration, drop_off) -> np.ndarray:
    """:func:`~cba.additionality.benefit_years` when every draw has its own timing.

    The benefit kernel is Toeplitz: the weight of intake year ``c`` in year ``t``
    depends only on the offset ``j = t - c``, ``w[j] = (1 - drop_off) ** (j - lag)``
    for ``lag <= j < lag + duration``, else 0. So ``B[t] = sum_j w[j] * S[t - j]``
    is summed over the ``H`` offsets, each step one vectorised operation over all
    draws and outcomes (the years axis first, so each step works on contiguous
    memory), and the ``(D, O, H, H)`` kernel is never built: memory stays
    ``O(D * O * H)``.

    The powers of ``1 - drop_off`` are built by repeated multiplication (each step
    exactly rounded), not by ``**``: numpy's power takes different code paths
    (vectorised or not, shortcuts for some exponents) depending on the layout of
    its arguments, so a draw's numbers would depend on the other draws of its call.
    They may differ from :func:`~cba.additionality.benefit_kernel`'s in the last
    bits.

    Parameters
    ----------
    successes : numpy.ndarray
        ``(D, O, H)`` net successes by intake year.
    lag, duration : numpy.ndarray of int
        Broadcastable to ``(D, O)``.
    drop_off : numpy.ndarray
        Broadcastable to ``(D, O)``.

    Returns
    -------
    numpy.ndarray
        ``(D, O, H)`` benefit-years, C-contiguous.
    """
    s = np.asarray(successes, dtype=float)
    lag, duration = np.asarray(lag), np.asarray(duration)
    retain = 1.0 - np.asarray(drop_off, dtype=float)
    H = s.shape[-1]
    shape = np.broadcast_shapes(lag.shape, duration.shape, retain.shape)
    powers = np.empty((H,) + retain.shape)                        # retain ** k, k = 0 .. H-1
    if H:
        powers[0] = 1.0
    for k in range(1, H):
        np.multiply(powers[k - 1], retain, out=powers[k])
    j = np.arange(H).reshape((H,) + (1,) * len(shape))
    k = np.broadcast_to(j - lag, (H,) + shape)                    # years since first benefit
    inside = (k >= 0) & (k < duration)
    picked = np.take_along_axis(np.broadcast_to(powers, (H,) + shape), np.clip(k, 0, max(H - 1, 0)), axis=0)
    weights = np.where(inside, picked, 0.0)                       # (H, ..., O)
    shape = np.broadcast_shapes(s.shape[:-1], weights.shape[1:])
    by_year = np.ascontiguousarray(np.moveaxis(np.broadcast_to(s, shape + (H,)), -1, 0))  # (H, D, O)
    out = by_year * weights[0]
    for offset in range(1, H):  # H steps, each over every draw and outcome at once
        out[offset:] += by_year[:H - offset] * weights[offset]
    return np.ascontiguousarray(np.moveaxis(out, 0, -1))


def segment_sum(x: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """Sums over the last axis by group: ``out[..., g] = sum(x[..., i] for group[i] == g)``.

    The members of each group are added in their order (``numpy.add.reduceat``
    over the members sorted by group), each group on its own; members of group
    ``-1`` are left out and a group with no member sums to 0. The result for each
    leading index depends only on its own values, not on how many others share
    the call. Memory and time are linear in ``x``: no one-hot matrix.

    Parameters
    ----------
    x : numpy.ndarray
        ``(..., N)``.
    group : numpy.ndarray of int
        ``(N,)`` group of each member, ``-1`` for none.
    n : int
        Number of groups.

    Returns
    -------
    numpy.ndarray
        ``(..., n)``.

    Examples
    --------
    >>> segment_sum(np.array([[1.0, 2.0, 4.0, 8.0]]), np.array([1, -1, 1, 0]), 3)
    array([[8., 5., 0.]])
    """
    group = np.asarray(group, dtype=int).reshape(-1)
    x = np.asarray(x)
    out = np.zeros(x.shape[:-1] + (n,))
    keep = np.flatnonzero(group >= 0)
    if len(keep):
        order = keep[np.argsort(group[keep], kind="stable")]
        g = group[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        out[..., g[starts]] = np.add.reduceat(x[..., order], starts, axis=-1)
    return out


@dataclass(frozen=True)
class _Columns:
    """Where each component's value lands in the totals: one entry per (component,
    column), the column's value being the component's amount (times its cashable
    share for the cashable columns).

    Columns: fiscal, cashable and transfer by agency (``3A``), economic, social;
    then, only for models that use them, the health parts of economic and social
    (2) and cost reduction and avoidance by agency (``2A``).
    """

    component: np.ndarray
    column: np.ndarray
    cashable: np.ndarray
    n: int
    health: bool
    classed: bool

    def pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct (row, column) pairs of the entries when component ``k`` is on
        row ``rows[k]``: each pair's row and column, and each entry's pair."""
        key = rows[self.component] * self.n + self.column
        uniq, pair = np.unique(key, return_inverse=True)
        return uniq // self.n, uniq % self.n, pair.reshape(-1)


def _columns(model: CompiledModel, include_cashable: bool = True, health_columns: bool = True) -> _Columns:
    """The entries of :class:`_Columns` (cashable columns left out when a share varies by
    year; health columns left out on request, for present values already discounted
    on the health schedule). Within each column, components keep their order."""
    A = len(model.agencies)
    t, ag = model.component_type, model.component_agency
    fiscal = np.flatnonzero(t == FISCAL)
    fiscal = fiscal[np.argsort(ag[fiscal], kind="stable")]      # by agency: the entries come sorted by column
    economic, social = np.flatnonzero(t == ECONOMIC), np.flatnonzero(t == SOCIAL)
    transfer = fiscal[model.component_transfer[fiscal]]
    parts = [(fiscal, ag[fiscal], False)]
    if include_cashable:
        parts.append((fiscal, A + ag[fiscal], True))
    parts += [(transfer, 2 * A + ag[transfer], False), (economic, np.full(len(economic), 3 * A), False),
              (social, np.full(len(social), 3 * A + 1), False)]
    n = 3 * A + 2
    health = model.health
    if health_columns and health.any():
        eh, sh = economic[health[economic]], social[health[social]]
        parts += [(eh, np.full(len(eh), n), False), (sh, np.full(len(sh), n + 1), False)]
        n += 2
    saving = model.component_saving
    classed = saving is not None and bool(saving.any())
    if classed:
        red, avo = fiscal[saving[fiscal] == 1], fiscal[saving[fiscal] == 2]
        parts += [(red, n + ag[red], False), (avo, n + A + ag[avo], False)]
        n += 2 * A
    return _Columns(
        component=np.concatenate([p[0] for p in parts]).astype(int),
        column=np.concatenate([np.asarray(p[1]) for p in parts]).astype(int),
        cashable=np.concatenate([np.full(len(p[0]), p[2]) for p in parts]).astype(bool),
        n=n, health=health_columns and bool(health.any()), classed=classed,
    )


def evaluate_totals(model: CompiledModel, overrides: Mapping[str, np.ndarray] | None = None) -> Totals:
    """``reduce_flows(model, evaluate(model, overrides))`` without the per-line flows.

    The general path for uncertainty analysis (:mod:`cba.profiles` is the faster
    one when only rates, amounts, costs, lags or durations vary). Benefit flows by
    value component ``(D, K, H)`` are never built: each component's amount is added
    into its outcome's weight in each column it lands in (fiscal, cashable and
    transfer by agency, economic, social; :class:`_Columns`), only for the (outcome,
    column) pairs that occur, then each column sums its outcomes' benefit units
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
    (:func:`_benefit_years_by_offset`) rather than through a ``(D, O, H, H)`` kernel.

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
    >>> m = compile_model(cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25",
    ...     "horizon": 2, "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
    ...     "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
    ...         "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}))
    >>> t = evaluate_totals(m, {"success": np.array([[0.5], [1.0]])})
    >>> t.fiscal[:, 1, 0]
    array([1500., 3000.])
    """
    overrides = dict(overrides or {})
    D = _draws(overrides, model)

    def get(name: str) -> np.ndarray:
        return np.asarray(overrides[name]) if name in overrides else model.params[name][None]

    H, A = model.horizon, len(model.agencies)

    # costs by agency: each agency's lines summed, year by year
    costs = uplift_costs(_cost_real(model, overrides), get("cost_ob")[..., None])   # (D|1, L, H)
    costs_a = np.swapaxes(segment_sum(np.swapaxes(costs, -1, -2), model.cost_agency, A), -1, -2)  # (D|1, A, H)

    # benefit units by outcome and year, after optimism bias
    rate = net_success_rate(get("engagement"), get("success"), get("deadweight"), get("displacement"),
                            get("leakage"), get("substitution"), get("attribution"))
    successes = get("cohort") * rate[..., None]                                        # (D|1, O, H)
    timing_varies = bool({"lag", "duration", "drop_off"} & overrides.keys())
    if timing_varies:
        years = _benefit_years_by_offset(successes, get("lag"), get("duration"), get("drop_off"))
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
    extra = {}
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
