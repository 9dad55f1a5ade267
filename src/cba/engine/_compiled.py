"""Compiling a model: an intervention as arrays at its price base.

:func:`compile_model` turns a validated :class:`~cba.model._intervention.Intervention` into a
:class:`CompiledModel`: every price uplifted to the appraisal's price base, every
unit value resolved into value components, every confidence grade turned into an
optimism bias correction. :data:`PARAMETER_SHAPES` names the arrays that
:func:`cba.engine._evaluate.evaluate` accepts as overrides and their base shapes.

This is the engine's first step: :mod:`cba.engine._evaluate` evaluates a compiled model.
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass, field

import numpy as np

import cba.method._deflators as deflators
from cba.core._arguments import flag, instance_argument
from cba.core._errors import CBAError, ModelError
from cba.model._intervention import Intervention
from cba.model._lines import Outcome, ValueComponent
from cba.model._placeholders import placeholder_warning

VALUE_TYPES = ("fiscal", "economic", "social")
FISCAL, ECONOMIC, SOCIAL = 0, 1, 2

#: Per-outcome parameters (shape ``(O,)``, or ``(D, O)`` as overrides).
OUTCOME_PARAMETERS = ("engagement", "success", "deadweight", "displacement", "leakage",
                      "substitution", "attribution", "lag", "duration", "drop_off",
                      "quantity", "outcome_ob")
#: Everything :func:`cba.engine._evaluate.evaluate` accepts as an override, with its base shape.
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
        counting, :func:`cba.unit_costs._overlaps.double_counting`).

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
        assert self.component_duration is not None and self.component_drop_off is not None  # set with the lags
        own = ~(np.isnan(self.component_lag) & np.isnan(self.component_duration)
                & np.isnan(self.component_drop_off))
        return np.nonzero(own)[0]

    @property
    def n_costs(self) -> int:
        """The number of cost lines."""
        return len(self.cost_agency)

    @property
    def n_outcomes(self) -> int:
        """The number of outcomes."""
        return len(self.params["success"])

    @property
    def n_components(self) -> int:
        """The number of value components (over every outcome)."""
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
            from cba.unit_costs import resolve_unit_value
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
        names = [{n for n in (c.type, c.agency, c.unit_cost, c.label) if n is not None} for _, c in out]
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
    if isinstance(comp.cashable, list):
        if horizon is None:
            return [float(x) for x in comp.cashable]
        years = comp.cashable_by_year(horizon)
        assert years is not None  # comp.cashable is a list
        return years if len(set(years)) > 1 else years[0]
    return comp.cashable if comp.cashable is not None else 0.0


@functools.cache
def _double_counting():
    """:func:`cba.unit_costs._overlaps.double_counting`, imported once (on first use)."""
    from cba.unit_costs._overlaps import double_counting

    return double_counting


def _health_factors(model: Intervention, used: bool) -> np.ndarray:
    """The health schedule's factors; a model without health values does not need them
    where the schedule is not published (the lower-rate test's health rate stops at year 125)."""
    try:
        return model.health_discount_factors()
    except CBAError:
        if used:
            raise
        return model.discount_factors()


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
    instance_argument(model, Intervention, "compile_model: model", "an Intervention (cba.load_intervention(...))")
    provenance = flag(provenance, "compile_model: provenance")
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
    factor = np.zeros(L)
    corrections: dict[object, float] = {}
    for l, c in enumerate(model.costs):
        f, error = uplift(c.price_year)
        if error is not None:
            problems.append((f"costs[{l}].price_year" if c.price_year else "price_base", error))
        factor[l] = f
        if c.optimism_bias is not None:   # the Green Book's bound for the project type
            cost_ob[l] = c.optimism_bias.correction()
        else:                             # one correction per grade, not one look-up per line
            if c.confidence not in corrections:
                corrections[c.confidence] = ob.correction(c.confidence)
            cost_ob[l] = corrections[c.confidence]
        cost_agency[l] = agency_index(c.agency)
        if provenance:
            cost_info.append({"line": l, "name": c.name, "agency": c.agency, "kind": c.kind,
                              "price_year": c.price_year or model.price_base, "uplift": f,
                              "confidence": c.confidence, "optimism_bias": cost_ob[l], "source": c.source})

    # every line's amounts at once (a numpy call per line cost more than the arithmetic): the same
    # products, amount x uplift, as one line at a time
    lengths = np.fromiter((len(c.amounts) for c in model.costs), dtype=np.intp, count=L)
    flat = np.fromiter((x for c in model.costs for x in c.amounts), dtype=float, count=int(lengths.sum()))
    line_of = np.repeat(np.arange(L), lengths)
    year_of = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cost_real[line_of, year_of] = flat * factor[line_of]

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
            if comp.unit == "wellby" and model.wellbeing is not None:
                # WELLBYs priced at the value of a WELLBY, uprated from its price year
                f, error = uplift(model.wellbeing.price_year)
                if error is not None:
                    problems.append(("wellbeing.price_year", error))
                f *= model.wellbeing.value
            else:
                f, error = uplift(comp.price_year)
                if error is not None:
                    problems.append((f"{path}.price_year" if comp.price_year else "price_base", error))
            comp_rows.append((i, comp, f, _cashable(o, comp, H) if comp.type == "fiscal" else 0.0))
    columns = np.array(by_outcome, dtype=float).reshape(O, len(fields) + 2).T
    p = dict(zip((*fields, "quantity", "outcome_ob"), columns.copy()))

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
    for i, comp, f, cash in comp_rows:
        kind, real = comp.type, comp.amount * f
        rows.append((VALUE_TYPES.index(kind), agency_index(comp.agency), bool(comp.transfer), real, bool(comp.health),
                     SAVING_CLASSES.index(comp.saving or "")))
        lag, duration, drop = comp.lag, comp.duration, comp.drop_off
        own.append((nan if lag is None else float(lag), nan if duration is None else float(duration),
                    nan if drop is None else float(drop)))
        if isinstance(cash, list):
            by_year = True
        if not provenance:
            continue
        info = {"outcome": i, "outcome_name": names[i], "type": kind, "agency": comp.agency, "amount": comp.amount,
                "price_year": comp.price_year or base, "uplift": f, "real_amount": real,
                "cashable": cash if kind == "fiscal" else None, "transfer": comp.transfer,
                "unit_cost": comp.unit_cost, "source": comp.source, "label": comp.label,
                "database_version": comp.database, "deflator": deflator_name, "deflator_vintage": vintage}
        # new judgements, recorded only where made
        if comp.health is not None:
            info["health"] = comp.health
        if comp.saving is not None:
            info["saving"] = comp.saving
        if comp.unit is not None:
            assert model.wellbeing is not None  # checked by the model
            info["uplift"] = uplift(model.wellbeing.price_year)[0]   # the price uplift alone
            info["unit"] = comp.unit
            info["price_year"] = model.wellbeing.price_year
            info["value_per_wellby"] = model.wellbeing.value
        if comp.beneficiary is not None:
            info["beneficiary"] = comp.beneficiary
        if lag is not None:
            info["lag"] = lag
        if duration is not None:
            info["duration"] = duration
        if drop is not None:
            info["drop_off"] = drop
        if isinstance(cash, list):  # varies by year: "cashable" is the share the years settle at
            info["cashable_by_year"], info["cashable"] = cash, cash[-1]
        comp_info.append(info)
    comp_columns = list(zip(*rows)) or [()] * 6
    types, agency, transfer, amount, health, saving = comp_columns
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
              "health_discount_factors": _health_factors(model, bool(comp_health.any()))}
    # double counting is judged from unit-cost codes (a component's code or row label):
    # a model without any has nothing to warn about
    coded = any(r[1].unit_cost or r[1].label for r in comp_rows)
    warnings = _double_counting()(model, [(r[0], r[1]) for r in comp_rows]) if coded else []
    placeholder = placeholder_warning(model)    # a cba init starter model not yet filled in
    if placeholder:
        warnings.append(placeholder)
    warnings += [f"Programme member '{m['name']}' ({m['file']}) has its own partnership deal, which does not apply "
                 "in a programme; give the programme a partnership section to lay a deal across its members"
                 for m in (getattr(model, "_programme", None) or []) if m.get("deal_dropped")]
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
