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
    "cost_ob": ("L",),
    "component_amount": ("K",),
    "component_cashable": ("K",),
    "discount_factors": ("H",),
}


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


def _cashable(outcome: Outcome, comp: ValueComponent) -> float:
    override = outcome.cashable
    if isinstance(override, dict) and comp.agency in override:
        return override[comp.agency]
    if isinstance(override, float):
        return override
    return comp.cashable if comp.cashable is not None else 0.0


def compile_model(model: Intervention) -> CompiledModel:
    """Turn an intervention into arrays at its price base.

    Raises
    ------
    ModelError
        For a price year outside the deflator series, an unknown unit-cost code or
        confidence grade, each naming the field path.
    """
    H = model.horizon
    problems: list[tuple[str, str]] = []
    try:
        deflator = deflators.get(model.deflator)
    except CBAError as exc:
        raise ModelError([("deflator", str(exc))]) from None

    def factor(path: str, price_year: str | None) -> float:
        try:
            return deflator.factor(price_year, model.price_base)
        except CBAError as exc:
            problems.append((path, str(exc)))
            return float("nan")

    ob = model.optimism_bias
    agencies: list[str] = []

    def agency_index(a: str | None) -> int:
        if a is None:
            return -1
        if a not in agencies:
            agencies.append(a)
        return agencies.index(a)

    # ---- costs
    L = len(model.costs)
    cost_real = np.zeros((L, H))
    cost_ob = np.zeros(L)
    cost_agency = np.zeros(L, dtype=int)
    cost_info = []
    for l, c in enumerate(model.costs):
        f = factor(f"costs[{l}].price_year" if c.price_year else "price_base", c.price_year)
        cost_real[l, : len(c.amounts)] = np.asarray(c.amounts, dtype=float) * f
        cost_ob[l] = ob.correction(c.confidence)
        cost_agency[l] = agency_index(c.agency)
        cost_info.append({"line": l, "name": c.name, "agency": c.agency, "kind": c.kind,
                          "price_year": c.price_year or model.price_base, "uplift": f,
                          "confidence": c.confidence, "optimism_bias": cost_ob[l], "source": c.source})

    # ---- outcomes and their components
    O = len(model.outcomes)
    p = {k: np.zeros(O) for k in OUTCOME_PARAMETERS}
    cohort = np.zeros((O, H))
    comp_rows = []
    for i, o in enumerate(model.outcomes):
        for k in ("engagement", "success", "deadweight", "displacement", "leakage",
                  "substitution", "attribution", "lag", "duration", "drop_off"):
            p[k][i] = getattr(o, k)
        p["quantity"][i] = o.effective_quantity
        p["outcome_ob"][i] = ob.correction(o.confidence)
        cohort[i] = o.cohort_by_year(H)
        try:
            comps = _components(o, i, model)
        except ModelError as exc:
            problems.extend(exc.problems)
            continue
        for path, comp in comps:
            f = factor(f"{path}.price_year" if comp.price_year else "price_base", comp.price_year)
            comp_rows.append((i, comp, f, _cashable(o, comp)))

    # savers that bear no cost come after the cost-bearing agencies
    K = len(comp_rows)
    comp_outcome = np.array([r[0] for r in comp_rows], dtype=int)
    comp_type = np.array([VALUE_TYPES.index(r[1].type) for r in comp_rows], dtype=int)
    comp_agency = np.array([agency_index(r[1].agency) for r in comp_rows], dtype=int)
    comp_transfer = np.array([bool(r[1].transfer) for r in comp_rows], dtype=bool)
    comp_amount = np.array([r[1].amount * r[2] for r in comp_rows], dtype=float)
    comp_cashable = np.array([r[3] if r[1].type == "fiscal" else 0.0 for r in comp_rows], dtype=float)
    comp_info = [{"outcome": r[0], "outcome_name": model.outcomes[r[0]].name, "type": r[1].type,
                  "agency": r[1].agency, "amount": r[1].amount,
                  "price_year": r[1].price_year or model.price_base, "uplift": r[2],
                  "real_amount": r[1].amount * r[2], "cashable": r[3] if r[1].type == "fiscal" else None,
                  "transfer": r[1].transfer, "unit_cost": r[1].unit_cost, "source": r[1].source,
                  "label": r[1].label, "database_version": r[1].database, "deflator": deflator.name,
                  "deflator_vintage": deflator.vintage} for r in comp_rows]
    if problems:
        raise ModelError(problems)

    params = {**p, "cohort": cohort, "cost_real": cost_real, "cost_ob": cost_ob,
              "component_amount": comp_amount, "component_cashable": comp_cashable,
              "discount_factors": model.discount_factors()}
    params["lag"] = params["lag"].astype(int)
    params["duration"] = params["duration"].astype(int)
    return CompiledModel(
        intervention=model, horizon=H, year_labels=tuple(model.year_labels()),
        agencies=tuple(agencies), params=params, cost_agency=cost_agency,
        component_outcome=comp_outcome.reshape(K), component_type=comp_type.reshape(K),
        component_agency=comp_agency.reshape(K), component_transfer=comp_transfer.reshape(K),
        cost_info=cost_info, component_info=comp_info, deflator=deflator,
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
        ``(D, K)`` cashable share of each component (0 for non-fiscal).
    discount_factors : numpy.ndarray
        ``(D, H)``.
    benefit_years : numpy.ndarray
        ``(D, O, H)`` net benefit-years by outcome.
    """

    costs: np.ndarray
    benefits: np.ndarray
    cashable: np.ndarray
    discount_factors: np.ndarray
    benefit_years: np.ndarray

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
    costs = uplift_costs(get("cost_real"), get("cost_ob")[..., None])
    rate = net_success_rate(get("engagement"), get("success"), get("deadweight"), get("displacement"),
                            get("leakage"), get("substitution"), get("attribution"))
    successes = get("cohort") * rate[..., None]                                  # (D, O, H)
    if {"lag", "duration", "drop_off"} & overrides.keys():
        kernel = benefit_kernel(H, get("lag"), get("duration"), get("drop_off"))    # (D, O, H, H)
    else:
        kernel = benefit_kernel(H, model.params["lag"], model.params["duration"], model.params["drop_off"])
    years = benefit_years(successes, kernel)                                       # (D, O, H)
    # benefit units per outcome and year after optimism bias, (D, O, H)
    unit = reduce_benefits(years * get("quantity")[..., None], get("outcome_ob")[..., None])
    k_out = model.component_outcome
    benefits = unit[:, k_out, :] * get("component_amount")[..., None]             # (D, K, H)

    def full(a: np.ndarray, shape) -> np.ndarray:
        return np.broadcast_to(a, shape)

    return Flows(
        costs=full(costs, (D, model.n_costs, H)),
        benefits=full(benefits, (D, model.n_components, H)),
        cashable=full(get("component_cashable"), (D, model.n_components)),
        discount_factors=full(get("discount_factors"), (D, H)),
        benefit_years=full(years, (D, model.n_outcomes, H)),
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
        ``(D, H)``.
    """

    agencies: tuple[str, ...]
    costs: np.ndarray
    fiscal: np.ndarray
    cashable: np.ndarray
    transfer: np.ndarray
    economic: np.ndarray
    social: np.ndarray
    discount_factors: np.ndarray


def reduce_flows(model: CompiledModel, flows: Flows) -> Totals:
    """Sum flows into :class:`Totals` with matrix products (no loops)."""
    cost_map = model.agency_matrix(model.cost_agency)                              # (L, A)
    is_fiscal = model.component_type == FISCAL
    fiscal_map = model.agency_matrix(np.where(is_fiscal, model.component_agency, -1))  # (K, A)
    b = flows.benefits
    cashable_b = b * flows.cashable[..., None]
    transfer_b = b * model.component_transfer[None, :, None]

    def by_agency(x, m):
        return np.einsum("dkh,ka->dah", x, m)

    return Totals(
        agencies=model.agencies,
        costs=by_agency(flows.costs, cost_map),
        fiscal=by_agency(b, fiscal_map),
        cashable=by_agency(cashable_b, fiscal_map),
        transfer=by_agency(transfer_b, fiscal_map),
        economic=b[:, model.component_type == ECONOMIC, :].sum(axis=1),
        social=b[:, model.component_type == SOCIAL, :].sum(axis=1),
        discount_factors=flows.discount_factors,
    )


def _benefit_years_by_offset(successes, lag, duration, drop_off) -> np.ndarray:
    """:func:`~cba.additionality.benefit_years` when every draw has its own timing.

    The benefit kernel is Toeplitz: the weight of intake year ``c`` in year ``t``
    depends only on the offset ``j = t - c``, ``w[j] = (1 - drop_off) ** (j - lag)``
    for ``lag <= j < lag + duration``, else 0. So ``B[t] = sum_j w[j] * S[t - j]``
    is summed over the ``H`` offsets, each step one vectorised operation over all
    draws and outcomes (the years axis first, so each step works on contiguous
    memory), and the ``(D, O, H, H)`` kernel is never built: memory stays
    ``O(D * O * H)``. The weights are the same powers as in ``benefit_kernel``.

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
    nd = max(lag.ndim, duration.ndim, retain.ndim)
    j = np.arange(H).reshape((H,) + (1,) * nd)
    k = j - lag                                                    # years since first benefit
    weights = np.where((k >= 0) & (k < duration), retain ** np.clip(k, 0, None), 0.0)   # (H, ..., O)
    shape = np.broadcast_shapes(s.shape[:-1], weights.shape[1:])
    by_year = np.ascontiguousarray(np.moveaxis(np.broadcast_to(s, shape + (H,)), -1, 0))  # (H, D, O)
    out = by_year * weights[0]
    for offset in range(1, H):  # H steps, each over every draw and outcome at once
        out[offset:] += by_year[:H - offset] * weights[offset]
    return np.ascontiguousarray(np.moveaxis(out, 0, -1))


def evaluate_totals(model: CompiledModel, overrides: Mapping[str, np.ndarray] | None = None) -> Totals:
    """``reduce_flows(model, evaluate(model, overrides))`` without the per-line flows.

    The fast path for uncertainty analysis. Benefit flows by value component
    ``(D, K, H)`` are never built: each outcome's component amounts are first
    folded into weights by agency and value type, shape ``(D, O, 3A + 2)``, then
    multiplied into the outcome's benefit units. The totals equal
    :func:`reduce_flows` up to floating-point rounding (summation order).

    Every draw is computed by operations that act on that draw alone (elementwise
    arithmetic and small matrix products, one per draw), so a draw's totals do not
    depend on which other draws share the call: evaluating draws in chunks of any
    size gives bit-for-bit the same numbers. When lag, duration or drop-off vary by
    draw, benefit-years are summed over the kernel's ``H`` offsets
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

    # costs by agency: one (H, L) @ (L, A) product per draw
    costs = uplift_costs(get("cost_real"), get("cost_ob")[..., None])                # (D|1, L, H)
    cost_map = model.agency_matrix(model.cost_agency)                                  # (L, A)
    costs_a = np.swapaxes(np.matmul(np.swapaxes(costs, -1, -2), cost_map), -1, -2)     # (D|1, A, H)

    # benefit units by outcome and year, after optimism bias
    rate = net_success_rate(get("engagement"), get("success"), get("deadweight"), get("displacement"),
                            get("leakage"), get("substitution"), get("attribution"))
    successes = get("cohort") * rate[..., None]                                        # (D|1, O, H)
    if {"lag", "duration", "drop_off"} & overrides.keys():
        years = _benefit_years_by_offset(successes, get("lag"), get("duration"), get("drop_off"))
    else:
        kernel = benefit_kernel(H, model.params["lag"], model.params["duration"], model.params["drop_off"])
        years = benefit_years(successes, kernel)                                       # (D|1, O, H)
    unit = reduce_benefits(years * get("quantity")[..., None], get("outcome_ob")[..., None])

    # each outcome's value per benefit unit, by column: fiscal, cashable and transfer
    # by agency (3A columns), then economic and social
    amount = get("component_amount")                                                   # (D|1, K)
    is_fiscal = model.component_type == FISCAL
    fiscal_map = model.agency_matrix(np.where(is_fiscal, model.component_agency, -1))  # (K, A)
    fiscal = amount[..., None] * fiscal_map                                            # (D|1, K, A)
    columns = np.concatenate([
        fiscal,
        fiscal * get("component_cashable")[..., None],
        fiscal * model.component_transfer[:, None],
        (amount * (model.component_type == ECONOMIC))[..., None],
        (amount * (model.component_type == SOCIAL))[..., None],
    ], axis=-1)                                                                        # (D|1, K, 3A+2)
    outcome_map = np.zeros((model.n_outcomes, model.n_components))
    outcome_map[model.component_outcome, np.arange(model.n_components)] = 1.0
    weights = np.matmul(outcome_map, columns)                                          # (D|1, O, 3A+2)
    by_column = np.swapaxes(np.matmul(np.swapaxes(unit, -1, -2), weights), -1, -2)    # (D, 3A+2, H)

    def full(a: np.ndarray, shape) -> np.ndarray:
        return np.broadcast_to(a, shape)

    return Totals(
        agencies=model.agencies,
        costs=full(costs_a, (D, A, H)),
        fiscal=full(by_column[:, :A], (D, A, H)),
        cashable=full(by_column[:, A:2 * A], (D, A, H)),
        transfer=full(by_column[:, 2 * A:3 * A], (D, A, H)),
        economic=full(by_column[:, 3 * A], (D, H)),
        social=full(by_column[:, 3 * A + 1], (D, H)),
        discount_factors=full(get("discount_factors"), (D, H)),
    )
