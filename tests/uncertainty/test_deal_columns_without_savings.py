"""A risk run that asks only for partners that bank no savings (an investor, a provider, an
outcomes fund) works the deal out from the engine's costs alone (issue 17, item 10): the
same numbers to the last digit as the whole run, the same errors, and bounded memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cba
import cba.engine._evaluate as engine_evaluate
import cba.uncertainty._core as core
from cba.core._errors import CBAError
from cba.engine import compile_model
from cba.partnership._compile import compile_deal
from cba.partnership._evaluate import evaluate_deal
from cba.partnership._finite import ROUNDING_MARGIN, sound_without_savings
from cba.partnership._positions import DEAL_METRIC_NAMES, net_positions, positions_without_savings
from cba.uncertainty import montecarlo
from cba.uncertainty._deal_parameters import deal_metric_names, partners_without_savings
from cba.uncertainty._montecarlo import bytes_per_draw, run_chunk
from cba.uncertainty._sampling import Sampler

from ..support.partnership_strategies import models_with_deals

SIB = Path(__file__).resolve().parents[2] / "examples" / "partnership" / "rough_sleeping_sib" / "model.yaml"
U = {"dist": "uniform", "low": 0.3, "high": 0.9}
SIB_DISTS = {"partnership.outcome_payments[0].tariffs[0].rungs[3].reach": U,
             "partnership.investments[0].return_cap": {"dist": "uniform", "low": 0.1, "high": 0.5}}
INVESTOR = ["net_after[social_investor]", "net_after[provider]", "peak_deficit_after[social_investor]",
            "paid[mhclg]", "received[provider]", "funding[provider]"]


def _bits(x) -> bytes:
    return (np.asarray(x, dtype=float) + 0.0).tobytes()      # + 0.0: a zero's sign aside


def _free_columns(compiled) -> list[int]:
    """Every deal column of the partners that bank no savings, as indices into metric_names."""
    names = core.metric_names(compiled)
    n = core.engine_column_count(compiled)
    deal = list(range(len(names) - n))
    free = partners_without_savings(compiled, deal) if deal else None
    P = len(deal) // len(DEAL_METRIC_NAMES) if deal else 1
    return [n + c for c in deal if free is not None and c % P in free]


def test_the_sibs_investor_and_provider_columns_are_the_whole_runs_to_the_last_digit(monkeypatch):
    sib = core.as_compiled(SIB)          # compiling checks the model once, with the whole engine
    whole = montecarlo(sib, SIB_DISTS, draws=3000, seed=11, progress=False, keep_draws=True)
    calls = []
    real = engine_evaluate.evaluate
    monkeypatch.setattr(engine_evaluate, "evaluate", lambda *a, **k: calls.append(1) or real(*a, **k))
    alone = montecarlo(sib, SIB_DISTS, draws=3000, seed=11, progress=False, keep_draws=True, metrics=INVESTOR)
    assert calls == []                     # the benefit flows were never worked out
    assert _bits(whole.draws_frame()[INVESTOR]) == _bits(alone.draws_frame()[INVESTOR])
    assert alone.probability("net_after[social_investor]") == whole.probability("net_after[social_investor]")


def test_columns_mixed_with_the_appraisals_come_in_the_order_asked():
    asked = ["net_after[provider]", "net_present_public_value", "paid[mhclg]", "net_after[mhclg]"]
    whole = montecarlo(SIB, SIB_DISTS, draws=500, seed=3, progress=False, keep_draws=True)
    some = montecarlo(SIB, SIB_DISTS, draws=500, seed=3, progress=False, keep_draws=True, metrics=asked)
    assert list(some.draws_frame().columns[-len(asked):]) == asked
    assert _bits(whole.draws_frame()[asked]) == _bits(some.draws_frame()[asked])


def test_a_partner_that_banks_savings_or_a_gain_share_needs_the_benefit_flows():
    m = compile_model(cba.load_intervention(SIB))
    n = core.engine_column_count(m)
    names = deal_metric_names(m)
    assert partners_without_savings(m, [names.index("net_after[social_investor]")]) is not None
    back = compile_model(cba.load_intervention(SIB.parents[1] / "back_to_work" / "model.yaml"))
    b_names = deal_metric_names(back)
    assert back.intervention.partnership.gain_share        # the example pays a gain-share
    assert partners_without_savings(back, list(range(len(b_names)))) is None
    assert n == len(core.metric_names(m)) - len(names)


@st.composite
def _deals_with_a_draw(draw):
    data = draw(models_with_deals(max_horizon=4))
    outcome = draw(st.integers(0, len(data["outcomes"]) - 1)) if data["outcomes"] else None
    return data, outcome


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(_deals_with_a_draw(), st.integers(1, 40))
def test_any_deal_gives_the_whole_runs_numbers_for_partners_that_bank_nothing(case, draws):
    """Over generated deals with every mechanism (gain-shares send the run through the whole
    deal), the columns of partners that bank no savings are the whole run's, bit for bit, or
    both runs refuse the deal with the same error."""
    data, outcome = case
    try:
        compiled = compile_model(cba.Intervention.from_dict(data))
    except CBAError:
        return
    cols = _free_columns(compiled)
    if not cols:
        return
    dists = {f"outcomes[{outcome}].success": {"dist": "uniform", "low": 0.0, "high": 1.0}} if outcome is not None \
        else {"costs": {"dist": "uniform", "low": 0.5, "high": 1.5}}
    try:
        sampler = Sampler(compiled, dists, seed=draws)
    except CBAError:
        return
    values = sampler.sample(0, draws)

    def run(columns):
        try:
            return core.run(compiled, sampler.parameters, values, checked=True, columns=columns)
        except CBAError as exc:
            return str(exc)

    whole, alone = run(None), run(cols)
    if isinstance(whole, str):
        assert alone == whole
    else:
        assert _bits(whole[:, cols]) == _bits(alone)


def _sib_money(edit=None):
    data = cba.load_intervention(SIB).to_dict()
    if edit:
        edit(data)
    m = compile_model(cba.Intervention.from_dict(data))
    deal = compile_deal(m)
    money = evaluate_deal(m, deal, engine_evaluate.evaluate_costs(m))
    partners = [list(deal.partners).index("social_investor"), list(deal.partners).index("provider")]
    return m, deal, money, positions_without_savings(money, partners)


def test_the_soundness_check_passes_a_real_deal_and_its_positions_match_the_whole_deals():
    m, deal, money, pos = _sib_money()
    assert sound_without_savings(deal, money, pos)
    whole = net_positions(evaluate_deal(m, deal, engine_evaluate.evaluate(m)), risk=True)
    i = [list(deal.partners).index("social_investor"), list(deal.partners).index("provider")]
    for k in DEAL_METRIC_NAMES:
        assert _bits(pos[k]) == _bits(whole[k][:, i]), k


def test_money_moved_far_beyond_the_costs_goes_through_the_whole_deal():
    """The allowance is half a penny for a deal of small costs, so a deal moving more than
    0.0025 / ROUNDING_MARGIN = 2.5e9 pounds is sent through the whole deal's checks."""
    def price(x):
        def edit(data):
            data["costs"][0]["amounts"] = [1.0, 1.0, 1.0]
            data["partnership"]["outcome_payments"][0]["cap"] = x
            data["partnership"]["investments"][0]["commitment"] = 3.0
            for t in data["partnership"]["outcome_payments"][0]["tariffs"]:
                for r in t.get("rungs", [t]):
                    r["price"] = x
        return edit
    assert pytest.approx(2.5e9) == 0.5 * 0.005 / ROUNDING_MARGIN
    _, deal, money, pos = _sib_money(price(1e6))
    assert sound_without_savings(deal, money, pos)
    _, deal, money, pos = _sib_money(price(1e12))
    assert not sound_without_savings(deal, money, pos)


def test_a_non_finite_amount_goes_through_the_whole_deal_and_its_error():
    def huge(data):     # each ladder adds up to less than the largest float; 203 people earn more
        for t in data["partnership"]["outcome_payments"][0]["tariffs"]:
            for r in t.get("rungs", [t]):
                r["price"] = 1.7e308 / 10
    data = cba.load_intervention(SIB).to_dict()
    huge(data)
    model = cba.Intervention.from_dict(data)
    dists = {"partnership.investments[0].return_cap": {"dist": "uniform", "low": 0.1, "high": 0.5}}
    with pytest.raises(CBAError) as whole:
        montecarlo(model, dists, draws=50, seed=1, progress=False)
    with pytest.raises(CBAError) as alone:
        montecarlo(model, dists, draws=50, seed=1, progress=False, metrics=["net_after[social_investor]"])
    assert str(alone.value) == str(whole.value)
    assert "tariffs" in str(alone.value)


def test_positions_without_savings_refuse_a_partner_that_banks_and_a_deal_needs_benefits_for_gain_shares():
    m = compile_model(cba.load_intervention(SIB.parents[1] / "back_to_work" / "model.yaml"))
    deal = compile_deal(m)
    with pytest.raises(ValueError, match="gain-shares are paid on savings"):
        evaluate_deal(m, deal, engine_evaluate.evaluate_costs(m))
    money = _sib_money()[2]
    with pytest.raises(ValueError, match="without the benefit flows"):
        net_positions(money, risk=True)
    with pytest.raises(ValueError, match="without the benefit flows"):
        money.savings                                                      # noqa: B018


def test_the_costs_alone_are_the_engines_costs_bit_for_bit():
    for path in (SIB, SIB.parents[2] / "worked_example.yaml"):
        m = compile_model(cba.load_intervention(path))
        over = {"cost_ob": np.linspace(0.0, 0.5, 7)[:, None] * np.ones((1, m.n_costs))}
        full, alone = engine_evaluate.evaluate(m, over), engine_evaluate.evaluate_costs(m, over)
        assert _bits(full.costs) == _bits(alone.costs) and alone.costs.shape == full.costs.shape
        assert _bits(full.discount_factors) == _bits(alone.discount_factors)


def _sib_with_savings(n: int = 40) -> dict:
    """The SIB with ``n`` made-up fiscal savings for MHCLG on its outcome (amounts ASSUMED, round)."""
    data = cba.load_intervention(SIB).to_dict()
    data["outcomes"][0]["value"]["components"] += [{"type": "fiscal", "agency": "mhclg", "amount": 100.0 + i}
                                                   for i in range(n)]
    return data


def test_the_memory_estimate_covers_a_run_without_savings_and_lets_its_chunks_grow():
    model = compile_model(cba.Intervention.from_dict(_sib_with_savings()))
    sampler = Sampler(model, SIB_DISTS, seed=1)
    names = core.metric_names(model)
    cols = [names.index(n) for n in INVESTOR if n != "paid[mhclg]"]
    n = 2048
    sampler.sample(0, n, reuse=True)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        run_chunk(model, sampler, 0, n, False, False, cols)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    estimate = bytes_per_draw(model, sampler, cols) * n
    assert peak <= estimate <= 8 * peak, (peak, estimate)
    assert bytes_per_draw(model, sampler, cols) < bytes_per_draw(model, sampler)
