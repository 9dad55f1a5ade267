"""The per-timing profile path (:mod:`cba.engine._profiles`) against the general path.

``present_values`` (profiles computed once per timing, combined per draw) must give
what ``cba.engine._metrics.present_values(evaluate_totals(...))`` gives, to 1e-12 relative
(to the draw's largest present value or yearly total), on every shipped example and
on generated models using every feature of the engine: timing, duration, lag,
drop-off and cashable shares by component, health discounting, cost reduction and
avoidance, optimism bias, cost multipliers. It must refuse (None) what it cannot
take, so that the general path is used; and a draw's numbers must not depend on the
other draws of its call.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cba
import cba.engine._profiles as profiles
import cba.uncertainty._core as core
from cba.engine import PARAMETER_SHAPES, compile_model
from cba.engine._evaluate import evaluate, evaluate_totals, reduce_flows
from cba.engine._metrics import METRIC_NAMES, PresentValues, compute, present_values
from cba.uncertainty._overrides import build_overrides
from cba.uncertainty._parameters import resolve_many

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
REL = 1e-12
FIELDS = ("costs", "fiscal", "cashable", "transfer", "economic", "social", "yearly_costs", "yearly_fiscal",
          "discount_factors", "reduction", "avoidance")


def _is_model(path: Path) -> bool:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and "price_base" in data and "candidates" not in data  # not a portfolio file


MODELS = sorted(p for p in EXAMPLES.rglob("*.yaml") if _is_model(p))


def draws(m, D: int, rng: np.random.Generator, names=None) -> dict[str, np.ndarray]:
    """Random draws of the engine parameters the profile path takes (or of ``names``)."""
    O, L, K, H = m.n_outcomes, m.n_costs, m.n_components, m.horizon
    shares = m.params["component_cashable"]
    out = {
        "engagement": rng.random((D, O)), "success": rng.random((D, O)), "deadweight": rng.random((D, O)),
        "displacement": rng.random((D, O)) * 0.5, "attribution": rng.random((D, O)) * 0.5,
        "lag": rng.integers(0, H + 2, (D, O)), "duration": rng.integers(1, H + 3, (D, O)),
        "quantity": rng.random((D, O)) * 3, "outcome_ob": rng.random((D, O)) * 0.4,
        "cost_real": m.params["cost_real"][None] * rng.random((D, L, H)) * 2,
        "cost_scale": rng.random((D, L)) * 2, "cost_ob": rng.random((D, L)),
        "component_amount": m.params["component_amount"][None] * (rng.random((D, K)) * 2 - 0.2),
        "component_cashable": rng.random((D, *shares.shape)) * (m.component_type == 0).reshape(
            (1, K) + (1,) * (shares.ndim - 1)),
        "discount_factors": np.cumprod(np.full((D, H), 1.0) / (1 + rng.random((D, 1)) * 0.08), axis=1),
        "health_discount_factors": np.cumprod(np.full((D, H), 1.0) / (1 + rng.random((D, 1)) * 0.03), axis=1),
        "cohort": m.params["cohort"][None] * rng.random((D, O, 1)) * 2,
        "drop_off": rng.random((D, O)),
    }
    if names is None:
        names = [k for k in out if k in profiles.PROFILE_PARAMETERS]
    return {k: out[k] for k in names}


def assert_close(fast: PresentValues, slow: PresentValues, rel: float = REL) -> None:
    """Every field to ``rel`` of the draw's largest present value or yearly total."""
    D = slow.costs.shape[0]
    scale = np.ones(D)
    for f in FIELDS[:8]:
        a = np.abs(getattr(slow, f)).reshape(D, -1)
        scale = np.maximum(scale, a.max(axis=1, initial=0.0))
    for f in FIELDS:
        a, b = getattr(fast, f), getattr(slow, f)
        assert (a is None) == (b is None), f
        if a is None:
            continue
        assert a.shape == b.shape, (f, a.shape, b.shape)
        tol = rel * scale.reshape((D,) + (1,) * (a.ndim - 1))
        assert np.all(np.abs(a - b) <= tol), (f, np.max(np.abs(a - b) / tol) * rel)
    assert fast.agencies == slow.agencies


def assert_metrics_close(fast: PresentValues, slow: PresentValues) -> None:
    """The metrics of both: present values to 1e-12 of the draw's scale, ratios where their
    denominators are not negligible, payback except where a year is a tie to rounding."""
    mf, af = compute(fast, include_irr=False)
    ms, as_ = compute(slow, include_irr=False)
    scale = np.maximum.reduce([np.abs(ms[k]) for k in ("pv_costs", "pv_fiscal", "pv_economic", "pv_social")]
                              + [np.ones_like(ms["pv_costs"])])
    for k in METRIC_NAMES:
        a, b = mf[k], ms[k]
        if k == "irr":
            continue
        if k == "payback_period":
            c = np.cumsum(slow.yearly_costs * slow.discount_factors, axis=-1)
            f = np.cumsum(slow.yearly_fiscal * slow.discount_factors, axis=-1)
            tie = np.any(np.abs(f - c) <= 1e-9 * scale[:, None], axis=-1)
            tie |= np.abs(ms["financial_roi"] - 1) <= 1e-9
            same = (a == b) | (np.isnan(a) & np.isnan(b))
            assert np.all(same | tie), k
            continue
        if k.endswith("roi") or k == "wrong_pocket_index":
            ok = np.abs(ms["pv_costs"]) > 1e-6 * scale
            if k == "wrong_pocket_index":
                ok &= np.abs(ms["pv_fiscal"]) > 1e-6 * scale
            np.testing.assert_allclose(a[ok], b[ok], rtol=1e-9, atol=1e-9, err_msg=k)
            continue
        assert np.all(np.abs(a - b) <= REL * scale), k
    for k in af:
        assert af[k].shape == as_[k].shape


def general(m, over) -> PresentValues:
    return present_values(evaluate_totals(m, over))


# ---------------------------------------------------------------- every example
@pytest.mark.parametrize("path", MODELS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_as_on_the_general_path_and_the_appraisal(path):
    m = compile_model(cba.load_intervention(path))
    base = profiles.present_values(m)
    assert base is not None
    assert_close(base, general(m, {}))
    assert_close(base, present_values(reduce_flows(m, evaluate(m))))
    appraisal = cba.appraise(path).metrics
    mf, _ = compute(base)
    for k in METRIC_NAMES:
        want, got = appraisal[k], float(mf[k][0])
        if want is None:
            assert np.isnan(got), k
        else:
            assert got == pytest.approx(want, rel=1e-12, abs=1e-9 * max(1.0, abs(appraisal["pv_costs"]))), k
    rng = np.random.default_rng(len(str(path)))
    over = draws(m, 40, rng)
    if profiles.applies(m, over):
        fast = profiles.present_values(m, over)
        assert_close(fast, general(m, over))
        assert_metrics_close(fast, general(m, over))
        # each parameter drawn alone, too
        for name in over:
            one = {name: over[name]}
            assert_close(profiles.present_values(m, one), general(m, one))
    else:  # a cashable share given by year: the general path
        assert np.ndim(m.params["component_cashable"]) == 2
        assert profiles.present_values(m, over) is None


# ---------------------------------------------------------------- generated models, every feature
@st.composite
def fidelity_interventions(draw):
    H = draw(st.integers(1, 7))
    agencies = ["nhs", "police", "local_authority", "dwp"]
    costs = [{"name": f"cost {l}", "agency": draw(st.sampled_from(agencies)),
              "amounts": draw(st.lists(st.floats(0, 1e4), min_size=1, max_size=H)),
              "confidence": draw(st.integers(1, 6))} for l in range(draw(st.integers(0, 3)))]
    by_year = draw(st.booleans()) and draw(st.booleans())
    outcomes = []
    for i in range(draw(st.integers(0, 3))):
        comps = []
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["fiscal", "economic", "social"]))
            c = {"type": kind, "amount": draw(st.floats(-500, 5000, allow_nan=False))}
            if kind == "fiscal":
                c["agency"] = draw(st.sampled_from(agencies))
                c["transfer"] = draw(st.booleans())
                c["cashable"] = (draw(st.lists(st.floats(0, 1), min_size=1, max_size=H)) if by_year
                                 else draw(st.floats(0, 1)))
                if (saving := draw(st.sampled_from([None, "reduction", "avoidance"]))) is not None:
                    c["saving"] = saving
            elif draw(st.booleans()):
                c["health"] = True
            if draw(st.booleans()):
                c["lag"] = draw(st.integers(0, H))
            if draw(st.booleans()):
                c["duration"] = draw(st.integers(1, H + 1))
            if draw(st.booleans()):
                c["drop_off"] = draw(st.floats(0, 0.9))
            comps.append(c)
        outcomes.append({"name": f"outcome {i}",
                         "cohort": draw(st.one_of(st.floats(0, 100),
                                                  st.lists(st.floats(0, 100), min_size=1, max_size=H))),
                         "success": draw(st.floats(0, 1)), "deadweight": draw(st.floats(0, 1)),
                         "lag": draw(st.integers(0, H)), "duration": draw(st.integers(1, H + 1)),
                         "drop_off": draw(st.floats(0, 0.9)), "quantity": draw(st.floats(0, 3)),
                         "confidence": draw(st.integers(1, 6)), "value": {"components": comps}})
    return cba.Intervention.from_dict({
        "name": "generated", "price_base": "2024/25", "horizon": H, "costs": costs, "outcomes": outcomes,
        "discounting": draw(st.sampled_from(["green_book", "green_book_health", {"rate": 0.05}])),
        "first_year_discounted": draw(st.booleans())})


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(fidelity_interventions(), st.integers(0, 2 ** 32 - 1), st.integers(1, 6))
def test_generated_models_as_on_the_general_path(model, seed, D):
    m = compile_model(model)
    rng = np.random.default_rng(seed)
    names = [k for k in draws(m, 1, rng) if rng.random() < 0.4]
    over = draws(m, D, rng, names)
    fast = profiles.present_values(m, over)
    if np.ndim(m.params["component_cashable"]) == 2:
        assert fast is None                          # a share by year: the general path
        return
    assert fast is not None
    slow = general(m, over)
    assert_close(fast, slow)
    assert_metrics_close(fast, slow)


@SETTINGS
@given(fidelity_interventions(), st.integers(0, 2 ** 32 - 1))
def test_a_draw_does_not_depend_on_the_other_draws_of_its_call(model, seed):
    m = compile_model(model)
    rng = np.random.default_rng(seed)
    over = draws(m, 9, rng, [k for k in draws(m, 1, rng) if rng.random() < 0.5])
    whole = profiles.present_values(m, over)
    if whole is None:
        return
    for a, b in ((0, 1), (3, 4), (2, 7), (0, 9)):
        part = profiles.present_values(m, {k: v[a:b] for k, v in over.items()})
        for f in FIELDS:
            x, y = getattr(part, f), getattr(whole, f)
            assert (x is None) == (y is None)
            if x is not None:
                assert np.array_equal(x, y[a:b]), f


# ---------------------------------------------------------------- what it refuses
@pytest.mark.parametrize("name", ["cohort", "drop_off"])
def test_cohort_and_drop_off_draws_take_the_general_path(name):
    m = compile_model(cba.load_intervention(EXAMPLES / "worked_example.yaml"))
    over = draws(m, 5, np.random.default_rng(1), ["success", name])
    assert not profiles.applies(m, over)
    assert profiles.present_values(m, over) is None
    # core.run then gives exactly the general path's numbers
    paths = {"cohort": "outcomes[0].cohort", "drop_off": "outcomes[0].drop_off"}
    params = resolve_many(m, ["outcomes[0].success", paths[name]])
    values = {"outcomes[0].success": np.array([0.3, 0.5, 0.7]), paths[name]: np.array([0.5, 0.2, 0.9])}
    got = core.run(m, params, values)
    metrics, _agency = compute(evaluate_totals(m, build_overrides(m, params, values)), include_irr=False)
    np.testing.assert_array_equal(got[:, :len(METRIC_NAMES)], np.column_stack([metrics[k] for k in METRIC_NAMES]))


def test_every_engine_parameter_is_either_taken_or_refused():
    assert profiles.PROFILE_PARAMETERS | {"cohort", "drop_off"} == set(PARAMETER_SHAPES)


def test_cost_multipliers_become_cost_scale_with_the_same_numbers():
    m = compile_model(cba.load_intervention(EXAMPLES / "worked_example.yaml"))
    params = resolve_many(m, ["costs[0].amounts", "costs[1].amounts", "outcomes[0].success"])
    values = {"costs[0].amounts": np.array([0.8, np.nan, 1.3]), "costs[1].amounts": np.array([1.1, 0.9, 1.0]),
              "outcomes[0].success": np.array([0.4, 0.5, 0.6])}
    scaled = build_overrides(m, params, values, cost_scale=True)
    plain = build_overrides(m, params, values)
    assert "cost_scale" in scaled and "cost_real" not in scaled and "cost_scale" not in plain
    np.testing.assert_array_equal(scaled["cost_scale"], [[0.8, 1.1], [1.0, 0.9], [1.3, 1.0]])
    # the engine's costs are bit for bit those of the multiplied cost arrays
    for run in (evaluate, lambda m, o: reduce_flows(m, evaluate(m, o)), evaluate_totals):
        a, b = run(m, scaled), run(m, plain)
        assert np.array_equal(a.costs, b.costs)
    # two multipliers on a line, or a value in one year, keep the cost arrays
    both = resolve_many(m, ["costs", "costs[0].amounts"])
    assert "cost_scale" not in build_overrides(m, both, {"costs": [1.0], "costs[0].amounts": [1.2]}, cost_scale=True)
    year = resolve_many(m, ["costs[0].amounts[0]", "costs[1].amounts"])
    assert "cost_scale" not in build_overrides(m, year, {"costs[0].amounts[0]": [5.0], "costs[1].amounts": [1.2]},
                                               cost_scale=True)


def test_scratch_buffers_give_the_same_numbers_and_are_reused():
    m = compile_model(cba.load_intervention(EXAMPLES / "worked_example.yaml"))
    over = draws(m, 50, np.random.default_rng(5))
    buffers: dict = {}
    first = profiles.present_values(m, over, buffers=buffers)
    kept = {k: v for k, v in buffers.items()}
    fresh = profiles.present_values(m, over)
    for f in FIELDS:
        a, b = getattr(first, f), getattr(fresh, f)
        assert (a is None and b is None) or np.array_equal(a, b), f
    smaller = {k: v[:20] for k, v in over.items()}
    profiles.present_values(m, smaller, buffers=buffers)
    assert all(buffers[k] is v for k, v in kept.items())          # the same memory, not new arrays
