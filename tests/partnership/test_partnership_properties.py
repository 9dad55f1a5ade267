"""Invariants of partnership deals, as hypothesis properties."""

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cba
from cba.engine._evaluate import evaluate
from cba.partnership._compile import compile_deal
from cba.partnership._evaluate import evaluate_deal
from cba.partnership._positions import net_positions

from ..support.partnership_strategies import models_with_deals
from ..support.strategies import interventions

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _scale(values):
    return max(1.0, float(np.max(np.abs(values)))) if np.size(values) else 1.0


@SETTINGS
@given(models_with_deals())
def test_a_deal_moves_money_and_creates_none(data):
    r = cba.appraise(data).partnership()
    pos = r.positions
    scale = _scale(np.concatenate([pos["costs_before"], pos["savings"], pos["received"], pos["funding"]]))
    assert abs(pos["funding"].sum() - pos["costs_before"].sum()) <= 1e-9 * scale
    assert abs(pos["received"].sum() - pos["paid"].sum()) <= 1e-9 * scale
    assert abs(pos["net_after"].sum() - pos["net_before"].sum()) <= 1e-9 * scale
    assert r.check().empty
    # year by year too: what is funded is what is spent, what is paid is received
    f = r.flows
    np.testing.assert_allclose(f.funding[0].sum(axis=0), f.costs_before[0].sum(axis=0), rtol=1e-9,
                               atol=1e-9 * scale)
    np.testing.assert_allclose(f.received[0].sum(axis=0), f.paid[0].sum(axis=0), rtol=1e-9, atol=1e-9 * scale)


@SETTINGS
@given(interventions())
def test_no_deal_equals_todays_appraisal(data):
    a = cba.appraise(data)
    r = a.partnership()
    by = a.by_agency().set_index("agency")
    scale = _scale(np.concatenate([by["pv_costs"], by["pv_fiscal"]]))
    for agency, row in r.partners().set_index("agency").iterrows():
        assert abs(row["net_before"] - by.loc[agency, "net"]) <= 1e-9 * scale
        assert abs(row["net_after"] - row["net_before"]) <= 1e-9 * scale
        assert abs(row["funding"] - row["costs_before"]) <= 1e-9 * scale
        assert row["received"] == 0 and row["paid"] == 0
    # an empty partnership section is the same as none
    empty = cba.appraise({**data, "partnership": {}}).partnership()
    np.testing.assert_array_equal(empty.positions["net_after"], r.positions["net_after"])


@SETTINGS
@given(models_with_deals(), st.floats(0.1, 10))
def test_payments_are_linear_in_the_tariff_and_the_gain_share_rate(data, k):
    deal = data["partnership"]
    # without caps or thresholds, doubling every price, fee and share scales every payment
    for p in deal.get("outcome_payments", []):
        for key in ("cap", "cap_per_year", "threshold", "threshold_overall"):
            p.pop(key, None)
        for payer in p.get("payers", []):         # below every maximum, a contract is linear too
            payer.pop("maximum", None)
        if "top_up" in p:
            p["top_up"].pop("award", None)
        for tariff in p.get("tariffs", []):
            tariff.pop("per_person_cap", None)
    for g in deal.get("gain_share", []):
        g.pop("cap", None)
        g["share"] = min(g["share"], 1 / k)
    base = cba.appraise(data).partnership()
    scaled = copy.deepcopy(data)
    def times_k(price):
        return [x * k for x in price] if isinstance(price, list) else price * k

    for p in scaled["partnership"].get("outcome_payments", []):
        if "price" in p:
            p["price"] = times_k(p["price"])
        p["attachment_fee"] *= k
        for tariff in p.get("tariffs", []):
            if "price" in tariff:
                tariff["price"] = times_k(tariff["price"])
            for rung in tariff.get("rungs", []):
                rung["price"] = times_k(rung["price"])
    for g in scaled["partnership"].get("gain_share", []):
        g["share"] *= k
    r = cba.appraise(scaled).partnership()
    b = base.flows.transfers[0]
    kinds = [row["kind"] for row in base.flows.rows]
    # fixed payments do not scale, and an investor's waterfall is not linear (capital first, a capped return)
    linear = [i for i, kind in enumerate(kinds) if kind not in ("payment", "investment", "investor_repayment")]
    np.testing.assert_allclose(r.flows.transfers[0][linear], k * b[linear], rtol=1e-9, atol=1e-6)


def _deal_model():
    return {
        "name": "Risk", "price_base": "2024/25", "horizon": 4, "agencies": [{"id": "provider", "name": "Provider"}],
        "costs": [{"name": "Delivery", "agency": "provider", "amounts": [50000, 50000]},
                  {"name": "Commissioning", "agency": "local_authority", "amounts": [5000, 5000, 5000]}],
        "outcomes": [{"name": "Into work", "cohort": [60, 60], "engagement": 0.9, "success": 0.4,
                      "deadweight": 0.25, "lag": 1, "duration": 2, "confidence": 3,
                      "value": {"components": [{"type": "fiscal", "agency": "dwp", "amount": 8000, "cashable": 0.6},
                                               {"type": "fiscal", "agency": "local_authority", "amount": 1500}]}}],
        "partnership": {
            "outcome_payments": [{"payer": "local_authority", "payee": "provider", "outcome": "Into work",
                                  "basis": "net", "price": 3000, "attachment_fee": 300, "threshold": 0.3,
                                  "cap_per_year": 90000}],
            "gain_share": [{"from": "dwp", "to": "local_authority", "share": 0.4, "basis": "cashable",
                            "cap": 40000}],
        },
    }


def test_the_deals_monte_carlo_agrees_draw_by_draw_with_deterministic_runs():
    from cba.uncertainty import montecarlo

    model = _deal_model()
    dists = {"outcomes[0].success": {"dist": "uniform", "low": 0.2, "high": 0.6},
             "outcomes[0].lag": {"dist": "discrete", "values": [1, 2], "probabilities": [0.5, 0.5]},
             "partnership.outcome_payments[0].price": {"dist": "triangular", "low": 2000, "mode": 3000, "high": 4500},
             "partnership.gain_share[0].share": {"dist": "uniform", "low": 0.2, "high": 0.6}}
    metrics = ["net_after[local_authority]", "net_after[provider]", "net_after[dwp]", "paid[dwp]"]
    r = montecarlo(model, dists, draws=40, seed=7, keep_draws=True, metrics=metrics, progress=False)
    frame = r.draws_frame()
    for i in range(0, 40, 7):
        row = frame.iloc[i]
        m = copy.deepcopy(model)
        m["outcomes"][0]["success"] = float(row["outcomes[0].success"])
        m["outcomes"][0]["lag"] = int(row["outcomes[0].lag"])
        m["partnership"]["outcome_payments"][0]["price"] = float(row["partnership.outcome_payments[0].price"])
        m["partnership"]["gain_share"][0]["share"] = float(row["partnership.gain_share[0].share"])
        p = cba.appraise(m).partnership().partners().set_index("agency")
        for metric in metrics:
            what, agency = metric[:-1].split("[")
            assert row[metric] == pytest.approx(float(p.loc[agency, what]), rel=1e-12, abs=1e-6)


def test_deal_evaluation_over_draws_equals_one_draw_at_a_time():
    a = cba.appraise(_deal_model())
    compiled = a.compiled
    deal = compile_deal(compiled)
    prices = np.array([[[1000.0] * 4], [[3000.0] * 4], [[5000.0] * 4]])
    flows = evaluate(compiled)
    many = net_positions(evaluate_deal(compiled, deal, flows, deal_overrides={"deal.outcome_payments.price": prices}))
    for d in range(3):
        one = net_positions(evaluate_deal(compiled, deal, flows,
                                          deal_overrides={"deal.outcome_payments.price": prices[d:d + 1]}))
        np.testing.assert_array_equal(many["net_after"][d], one["net_after"][0])


@SETTINGS
@given(models_with_deals())
def test_a_deal_round_trips_exactly_through_json_and_yaml(data):
    model = cba.Intervention.from_dict(data)
    again = cba.Intervention.from_json(model.to_json())
    assert again == model and again.to_json() == model.to_json()
    assert cba.Intervention.from_yaml(model.to_yaml()) == model
    assert "from_" not in model.to_json()       # the file format says "from"
