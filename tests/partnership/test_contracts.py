"""Outcomes contracts as signed: rate cards, ladders, per-person caps, thresholds, payers, top-up award.

Every figure is worked out by hand in the comments. The models are made up for the
arithmetic (assumptions, not sourced figures).
"""

from __future__ import annotations

import numpy as np
import pytest

import cba
from cba.core._errors import CBAError

NO_VALUE = {"components": [{"type": "social", "amount": 0}]}
# 100 participants in year 0, half achieve each outcome; no deadweight, no optimism bias, no lag
BASE = {
    "name": "Contract", "price_base": "2024/25", "horizon": 4,
    "agencies": [{"id": "provider", "name": "Provider"}, {"id": "fund", "name": "Outcomes fund"}],
    "outcomes": [
        {"name": "Housed", "cohort": [100], "success": 0.5, "value": NO_VALUE},
        {"name": "Working", "cohort": [100], "success": 0.2, "value": NO_VALUE},
    ],
}


def deal(model_extra: dict | None = None, **agreement):
    data = {**BASE, **(model_extra or {})}
    data["partnership"] = {"outcome_payments": [{"payee": "provider", "basis": "gross", **agreement}]}
    return cba.appraise(data).partnership()


def by_kind(result, kind: str, who: str | None = None) -> np.ndarray:
    """Yearly amounts (draw 0) of the flow rows of one kind (and one payer)."""
    idx = [i for i, r in enumerate(result.flows.rows)
           if r["kind"] == kind and (who is None or result.partner_ids[r["from"]] == who)]
    return result.flows.transfers[0, idx].sum(axis=0)


def test_a_rate_card_pays_each_tariff():
    # Housed: 100 x 0.5 x 1,000 = 50,000; Working: 100 x 0.2 x 2,500 = 50,000; all in year 0
    r = deal(payer="local_authority", tariffs=[{"outcome": "Housed", "price": 1000},
                                               {"outcome": "Working", "price": 2500}])
    np.testing.assert_allclose(by_kind(r, "outcome_payment"), [100_000, 0, 0, 0])


def test_a_rate_card_over_its_maximum_pays_exactly_the_maximum_cut_pro_rata():
    # earned 100,000 in year 0 against a maximum of 60,000: each tariff is paid 60% of what it earned
    r = deal(payer="local_authority", cap=60_000,
             tariffs=[{"outcome": "Housed", "price": 1000}, {"outcome": "Working", "price": 2500}])
    assert by_kind(r, "outcome_payment").sum() == 60_000
    money = r.flows.contracts[0]
    np.testing.assert_allclose(money.by_tariff[0, :, 0], [30_000, 30_000])
    np.testing.assert_allclose(money.earned[0], [100_000, 0, 0, 0])


def test_the_maximum_binds_in_time_order():
    # Housed paid in year 0 (50,000), Working a year later (lag 1: 50,000): a maximum of 80,000
    # pays 50,000 then the 30,000 left
    data = {"outcomes": [BASE["outcomes"][0], {**BASE["outcomes"][1], "lag": 1}]}
    r = deal(data, payer="local_authority", cap=80_000,
             tariffs=[{"outcome": "Housed", "price": 1000}, {"outcome": "Working", "price": 2500}])
    np.testing.assert_allclose(by_kind(r, "outcome_payment"), [50_000, 30_000, 0, 0])


def test_a_ladder_with_a_per_person_cap_pays_the_capped_sums_rung_by_rung():
    # 50 housed; rungs: entry 4,000 (all 50), 3 months 4,000 (60%: 30, a year later), 6 months 4,000
    # (of those, 50%: 15, a year after that); per person at most 10,000, so the third rung pays
    # 10,000 - 8,000 = 2,000: year 0 50 x 4,000 = 200,000; year 1 30 x 4,000 = 120,000; year 2 15 x 2,000 = 30,000
    r = deal(payer="local_authority", tariffs=[{
        "outcome": "Housed", "per_person_cap": 10_000,
        "rungs": [{"name": "entry", "price": 4000}, {"name": "3 months", "price": 4000, "lag": 1, "reach": 0.6},
                  {"name": "6 months", "price": 4000, "lag": 1, "reach": 0.5}]}])
    np.testing.assert_allclose(by_kind(r, "outcome_payment"), [200_000, 120_000, 30_000, 0])
    # nobody is paid more than the cap: 15 reach the top and earn 10,000 each, 15 stop at rung 2 (8,000)
    # and 20 at rung 1 (4,000): 150,000 + 120,000 + 80,000 = 350,000
    assert by_kind(r, "outcome_payment").sum() == pytest.approx(350_000, abs=1e-6)


@pytest.mark.parametrize("own, overall, pays", [
    (0.4, None, True),      # Housed's own rate 0.5 >= 0.4
    (0.6, None, False),     # 0.5 < 0.6
    (None, 0.3, True),      # the card's rate (50 x 0.5 + ...)/...: Housed alone, 0.5 >= 0.3
    (0.6, 0.45, True),      # either condition pays: the overall one holds
    (0.6, 0.55, False),     # neither holds
])
def test_the_dual_threshold_pays_when_either_condition_holds(own, overall, pays):
    terms = {"threshold": own} if own is not None else {}
    if overall is not None:
        terms["threshold_overall"] = overall
    r = deal(payer="local_authority", tariffs=[{"outcome": "Housed", "price": 1000}], **terms)
    assert by_kind(r, "outcome_payment").sum() == (50_000 if pays else 0)


def test_the_overall_threshold_weights_the_outcomes_by_participants():
    # Housed 0.5 and Working 0.2 over 100 participants each: the card's rate is 0.35
    tariffs = [{"outcome": "Housed", "price": 1000}, {"outcome": "Working", "price": 2500}]
    assert by_kind(deal(payer="local_authority", tariffs=tariffs, threshold_overall=0.35), "outcome_payment").sum() \
        == 100_000
    assert by_kind(deal(payer="local_authority", tariffs=tariffs, threshold_overall=0.36), "outcome_payment").sum() == 0


def test_payers_shares_stop_at_their_maxima_and_the_rest_is_unfunded():
    # 100,000 due in year 0, split 60/40; the council's maximum is 45,000 (it would owe 60,000)
    r = deal(payers=[{"payer": "local_authority", "share": 0.6, "maximum": 45_000},
                     {"payer": "nhs", "share": 0.4}],
             tariffs=[{"outcome": "Housed", "price": 1000}, {"outcome": "Working", "price": 2500}])
    assert by_kind(r, "outcome_payment", "local_authority").sum() == 45_000
    assert by_kind(r, "outcome_payment", "nhs").sum() == pytest.approx(40_000)
    assert r.flows.unfunded[0, 0].sum() == pytest.approx(15_000)
    assert r.flows.received[0, r.partner_ids.index("provider")].sum() == pytest.approx(85_000)


def test_payers_in_order_each_pay_up_to_their_maximum():
    # 100,000 due: the first pays 70,000 (its maximum), the second 25,000 (its maximum), 5,000 unfunded
    r = deal(split="in_order", payers=[{"payer": "local_authority", "maximum": 70_000},
                                       {"payer": "nhs", "maximum": 25_000}],
             tariffs=[{"outcome": "Housed", "price": 1000}, {"outcome": "Working", "price": 2500}])
    assert by_kind(r, "outcome_payment", "local_authority").sum() == 70_000
    assert by_kind(r, "outcome_payment", "nhs").sum() == 25_000
    assert r.flows.unfunded[0, 0].sum() == pytest.approx(5_000)


def test_a_top_up_stops_at_its_award():
    # 50,000 in year 0 and 50,000 in year 1 (Working a year later); the fund pays 30% until its award
    # of 20,000: 15,000 in year 0, then 5,000; the council pays the rest: 35,000 and 45,000
    data = {"outcomes": [BASE["outcomes"][0], {**BASE["outcomes"][1], "lag": 1}]}
    r = deal(data, payer="local_authority", top_up={"payer": "fund", "share": 0.3, "award": 20_000},
             tariffs=[{"outcome": "Housed", "price": 1000}, {"outcome": "Working", "price": 2500}])
    np.testing.assert_allclose(by_kind(r, "top_up"), [15_000, 5_000, 0, 0])
    np.testing.assert_allclose(by_kind(r, "outcome_payment", "local_authority"), [35_000, 45_000, 0, 0])


def test_a_payment_lag_moves_the_cash_and_drops_what_falls_past_the_horizon():
    r = deal(payer="local_authority", payment_lag=2, attachment_fee=100,
             tariffs=[{"outcome": "Housed", "price": 1000}])
    # fee 100 x 100 participants and 50,000 for Housed, both paid two years on
    np.testing.assert_allclose(by_kind(r, "outcome_payment"), [0, 0, 60_000, 0])
    r = deal(payer="local_authority", payment_lag=4, tariffs=[{"outcome": "Housed", "price": 1000}])
    assert by_kind(r, "outcome_payment").sum() == 0


def test_a_count_cap_funds_the_first_participants_only():
    # 100 in year 0 and 100 in year 1, up to 150 funded: year 0 all 100, year 1 the first 50
    data = {"outcomes": [{**BASE["outcomes"][0], "cohort": [100, 100]}]}
    r = deal(data, payer="local_authority", funded_count=150, attachment_fee=10,
             tariffs=[{"outcome": "Housed", "price": 1000}])
    # year 0: 100 x 10 + 50 x 1,000 = 51,000; year 1: 50 x 10 + 25 x 1,000 = 25,500
    np.testing.assert_allclose(by_kind(r, "outcome_payment"), [51_000, 25_500, 0, 0])


def test_money_is_conserved_with_every_contract_term():
    r = deal(payers=[{"payer": "local_authority", "share": 0.5, "maximum": 30_000},
                     {"payer": "nhs", "share": 0.5}],
             top_up={"payer": "fund", "share": 0.25, "award": 10_000}, cap=90_000, payment_lag=1,
             tariffs=[{"outcome": "Housed", "price": 1000},
                      {"outcome": "Working", "rungs": [{"price": 1000}, {"price": 3000, "lag": 1, "reach": 0.5}],
                       "per_person_cap": 3500}])
    f = r.flows
    assert f.paid[0].sum() == pytest.approx(f.received[0].sum(), rel=1e-12)
    money = f.contracts[0]
    np.testing.assert_allclose(money.paid[0], (money.by_payer[0].sum(axis=0) + money.top_up[0]
                                               + money.unfunded[0]), rtol=0, atol=1e-9)
    assert money.paid[0].sum() <= 90_000 + 1e-9


@pytest.mark.parametrize("terms, message", [
    ({"payer": "local_authority", "payers": [{"payer": "nhs", "share": 1}], "outcome": "Housed"},
     "give either payer or payers"),
    ({"payer": "local_authority", "outcome": "Housed", "tariffs": [{"outcome": "Housed", "price": 1}]},
     "give either outcome"),
    ({"payers": [{"payer": "nhs", "share": 0.5}, {"payer": "dwp", "share": 0.4}], "outcome": "Housed"},
     "must sum to 1"),
    ({"payers": [{"payer": "nhs", "share": 1}], "split": "in_order", "outcome": "Housed"},
     "give no shares"),
    ({"payer": "nhs", "tariffs": [{"outcome": "Nowhere", "price": 1}]}, "no outcome is called 'Nowhere'"),
    ({"payer": "nhs", "tariffs": [{"outcome": "Housed", "price": 5, "rungs": [{"price": 1}]}]},
     "give either price or rungs"),
])
def test_contract_mistakes_name_the_field(terms, message):
    with pytest.raises(CBAError, match=message):
        deal(**terms)


# ---------------------------------------------------------------- a social investor in the deal
def sib(success: float, costs=(40_000, 40_000, 40_000), lag: int = 1, **investment):
    """A provider spending 40,000 a year for 3 years, paid 1,000 per person housed a year later."""
    data = {**BASE, "horizon": 4,
            "costs": [{"name": "Service", "agency": "provider", "amounts": list(costs)}],
            "outcomes": [{**BASE["outcomes"][0], "cohort": [100], "success": success, "lag": lag}]}
    data["agencies"] = [*BASE["agencies"], {"id": "investor", "name": "Social investor"}]
    data["partnership"] = {
        "outcome_payments": [{"payer": "local_authority", "payee": "provider", "basis": "gross",
                              "tariffs": [{"outcome": "Housed", "price": 1000}]}],
        "investments": [{"investor": "investor", "provider": "provider", "commitment": 100_000, **investment}]}
    return cba.appraise(data).partnership()


def test_an_investor_with_no_outcome_achieved_loses_exactly_its_capital_drawn():
    # costs 40,000 a year: the investor draws 40,000, 40,000 then the 20,000 left of its 100,000
    r = sib(0.0, return_cap=0.5)
    row = r.investors().iloc[0]
    assert row["drawn"] == 100_000 and row["net"] == -100_000 and row["maximum_loss"] == 100_000
    np.testing.assert_allclose(by_kind(r, "investment"), [40_000, 40_000, 20_000, 0])
    assert by_kind(r, "investor_repayment").sum() == 0


def test_the_investor_is_repaid_capital_then_a_capped_return_and_money_is_conserved():
    # 100 x 0.9 x 1,000 = 90,000 paid in year 1: the investor has drawn 80,000 by then (40,000 a year),
    # so 80,000 repays its capital and 10,000 is return (cap 0.5 x 80,000 = 40,000 not reached);
    # year 2's 40,000 of costs: the provider has no cash left, so the investor draws its last 20,000
    # and the provider funds 20,000 itself; no more receipts
    r = sib(0.9, return_cap=0.5)
    np.testing.assert_allclose(by_kind(r, "investment"), [40_000, 40_000, 20_000, 0])
    np.testing.assert_allclose(by_kind(r, "investor_repayment"), [0, 90_000, 0, 0])
    row = r.investors().iloc[0]
    assert row["repaid_capital"] == 80_000 and row["return_paid"] == 10_000
    assert row["money_multiple"] == pytest.approx(0.9)
    assert r.check().empty
    f = r.flows
    assert f.paid[0].sum() == pytest.approx(f.received[0].sum(), rel=1e-12)
    assert "investors" in r.to_dict() and "investors" not in sib_free_dict()


def sib_free_dict():
    data = {**BASE, "partnership": {"outcome_payments": [
        {"payer": "local_authority", "payee": "provider", "basis": "gross", "outcome": "Housed", "price": 1}]}}
    return cba.appraise(data).partnership().to_dict()


def test_the_investors_irr_matches_numpy_financial():
    npf = pytest.importorskip("numpy_financial")
    # two years of costs drawn (40,000 each), 90,000 paid in year 2: -40,000, -40,000, +90,000
    r = sib(0.9, costs=(40_000, 40_000), lag=2, return_cap=0.5)
    w = r.flows.investors[0]
    np.testing.assert_allclose(w.investor_net[0], [-40_000, -40_000, 90_000, 0])
    expected = npf.irr([-40_000, -40_000, 90_000, 0])
    assert np.isfinite(expected)
    assert r.investors().iloc[0]["irr"] == pytest.approx(expected, abs=1e-9)


# ---------------------------------------------------------------- the risk paths
def _contract_model(edits: dict | None = None):
    deal = {"outcome_payments": [{"payer": "local_authority", "payee": "provider", "basis": "gross", "cap": 80_000,
                                  "top_up": {"payer": "fund", "share": 0.2, "award": 10_000},
                                  "tariffs": [{"outcome": "Housed", "per_person_cap": 1200,
                                               "rungs": [{"price": 1000}, {"price": 500, "reach": 0.5}]}]}],
            "investments": [{"investor": "investor", "provider": "provider", "commitment": 100_000,
                             "return_cap": 0.5}]}
    for (i, key), value in (edits or {}).items():
        target = deal["outcome_payments"][0] if i == "op" else deal["investments"][0]
        *path, last = key.split(".")
        for p in path:
            target = target[int(p)] if p.isdigit() else target[p]
        target[last] = value
    return cba.Intervention.from_dict({
        **BASE, "costs": [{"name": "Service", "agency": "provider", "amounts": [40_000, 40_000, 40_000]}],
        "outcomes": [{**BASE["outcomes"][0], "success": 0.9, "lag": 1}],
        "agencies": [*BASE["agencies"], {"id": "investor", "name": "Social investor"}], "partnership": deal})


METRICS = ["net_after[investor]", "net_after[provider]", "net_after[local_authority]", "net_after[fund]"]


@pytest.mark.parametrize("path, key, value", [
    ("partnership.outcome_payments[0].tariffs[0].rungs[0].price", ("op", "tariffs.0.rungs.0.price"), 700.0),
    ("partnership.outcome_payments[0].tariffs[0].rungs[1].reach", ("op", "tariffs.0.rungs.1.reach"), 0.9),
    ("partnership.outcome_payments[0].tariffs[0].per_person_cap", ("op", "tariffs.0.per_person_cap"), 1000.0),
    ("partnership.outcome_payments[0].cap", ("op", "cap"), 50_000.0),
    ("partnership.outcome_payments[0].top_up.award", ("op", "top_up.award"), 2_000.0),
    ("partnership.investments[0].commitment", ("inv", "commitment"), 30_000.0),
    ("partnership.investments[0].return_cap", ("inv", "return_cap"), 0.1),
])
@pytest.mark.parametrize("price_year", [None, "2020/21"])
def test_a_scenario_on_a_contract_term_equals_appraising_the_edited_deal(path, key, value, price_year):
    # with a price year, the value set is read in it, as the terms written in the file are
    from cba.uncertainty import scenarios

    year = {} if price_year is None else {("op", "price_year"): price_year, ("inv", "price_year"): price_year}
    s = scenarios(_contract_model(year), {"x": {path: value}}, metrics=METRICS).table["x"]
    edited = cba.appraise(_contract_model({**year, key: value})).partnership()
    for metric in METRICS:
        who = metric[len("net_after["):-1]
        assert s[metric] == pytest.approx(float(edited.positions["net_after"][edited.partner_ids.index(who)]),
                                          rel=1e-12, abs=1e-6), metric


def test_monte_carlo_on_contract_terms_equals_deterministic_runs_draw_by_draw():
    from cba.uncertainty import montecarlo

    dists = {"outcomes[0].success": {"dist": "uniform", "low": 0.2, "high": 1.0},
             "partnership.outcome_payments[0].tariffs[0].rungs[1].reach": {"dist": "uniform", "low": 0, "high": 1}}
    r = montecarlo(_contract_model(), dists, draws=6, seed=3, progress=False, keep_draws=True,
                   metrics=["net_after[investor]"])
    frame = r.draws_frame()
    for _, row in frame.iterrows():
        one = cba.appraise(_contract_model({("op", "tariffs.0.rungs.1.reach"): row[
            "partnership.outcome_payments[0].tariffs[0].rungs[1].reach"]}).model_copy(
            update={"outcomes": [_contract_model().outcomes[0].model_copy(
                update={"success": row["outcomes[0].success"]})]})).partnership()
        assert row["net_after[investor]"] == pytest.approx(
            float(one.positions["net_after"][one.partner_ids.index("investor")]), rel=1e-12, abs=1e-6)


def test_an_unknown_contract_path_names_the_forms():
    from cba.uncertainty import scenarios

    with pytest.raises(CBAError, match="the ladder has 2 rung"):
        scenarios(_contract_model(), {"x": {"partnership.outcome_payments[0].tariffs[0].rungs[5].price": 1}})
    with pytest.raises(CBAError, match="this tariff is a ladder"):
        scenarios(_contract_model(), {"x": {"partnership.outcome_payments[0].tariffs[0].price": 1}})


def test_an_alternative_tariff_pays_only_those_who_do_not_achieve_the_other():
    # Troubled Families phase 1 paid for results or, alternatively, for continuous employment: Working
    # (rate 0.2) pays 4,000 for 20 people; Housed pays 1,000 only for those not working: 100 x 0.5 x 0.8 = 40
    r = deal(payer="local_authority", tariffs=[{"outcome": "Working", "price": 4000},
                                               {"outcome": "Housed", "price": 1000, "unless": "Working"}])
    assert by_kind(r, "outcome_payment").sum() == pytest.approx(20 * 4000 + 40 * 1000)
    with pytest.raises(CBAError, match=r"tariffs\[1\]\.unless: 'Nobody' is not another tariff"):
        deal(payer="local_authority", tariffs=[{"outcome": "Working", "price": 4000},
                                               {"outcome": "Housed", "price": 1000, "unless": "Nobody"}])


def test_the_break_even_price_solver_refuses_a_rate_card():
    from cba.partnership._solvers import break_even_price

    data = {**BASE, "partnership": {"outcome_payments": [{"payer": "local_authority", "payee": "provider",
                                                          "basis": "gross",
                                                          "tariffs": [{"outcome": "Housed", "price": 1000}]}]}}
    with pytest.raises(CBAError, match=r"outcome_payments\[0\] pays Provider for 'Housed' under a rate card"):
        break_even_price(cba.appraise(data), "Housed", "provider")


def _syndicate(*investments: dict) -> dict:
    # the provider spends 40,000 in year 0; 100 x 0.9 housed pay 1,000 each a year later
    return {**BASE, "agencies": [*BASE["agencies"], {"id": "investor", "name": "Investor"},
                                 {"id": "bank", "name": "Bank"}],
            "costs": [{"name": "Service", "agency": "provider", "amounts": [40_000]}],
            "outcomes": [{**BASE["outcomes"][0], "success": 0.9, "lag": 1}],
            "partnership": {"outcome_payments": [{"payer": "local_authority", "payee": "provider", "basis": "gross",
                                                  "tariffs": [{"outcome": "Housed", "price": 1000}]}],
                            "investments": list(investments)}}


def test_several_investors_in_one_provider_are_repaid_pari_passu():
    # one waterfall on the combined commitment 30,000 + 10,000: the costs of 40,000 are drawn in
    # full, 3:1; the 90,000 of outcome payments repay the 40,000, then a return of 50% (20,000),
    # and the provider keeps 30,000. The investor gets 3/4 of 60,000 = 45,000, the bank 15,000.
    r = cba.appraise(_syndicate({"investor": "investor", "provider": "provider", "commitment": 30_000,
                                 "return_cap": 0.5},
                                {"investor": "bank", "provider": "provider", "commitment": 10_000,
                                 "return_cap": 0.5})).partnership()
    t = r.investors().set_index("investor")
    assert t.loc["investor", "drawn"] == 30_000 and t.loc["bank", "drawn"] == 10_000
    assert t.loc["investor", "repaid_capital"] + t.loc["investor", "return_paid"] == pytest.approx(45_000)
    assert t.loc["bank", "repaid_capital"] + t.loc["bank", "return_paid"] == pytest.approx(15_000)
    assert t.loc["investor", "money_multiple"] == pytest.approx(1.5) == t.loc["bank", "money_multiple"]
    assert t.loc["investor", "irr"] == pytest.approx(0.5) and t.loc["bank", "irr"] == pytest.approx(0.5)
    # with no outcome each loses what it drew: 30,000 and 10,000
    assert (t.loc["investor", "maximum_loss"], t.loc["bank", "maximum_loss"]) == (30_000, 10_000)
    pos = dict(zip(r.partner_ids, r.positions["net_after"], strict=True))
    assert sum(pos.values()) == pytest.approx(sum(r.positions["net_before"]))   # money moved, none created
    # the same as one investor with the combined commitment, split 3:1
    one = cba.appraise(_syndicate({"investor": "investor", "provider": "provider", "commitment": 40_000,
                                   "return_cap": 0.5})).partnership().investors().iloc[0]
    assert t["drawn"].sum() == one["drawn"] and t["net"].sum() == pytest.approx(one["net"])


@pytest.mark.parametrize("second, message", [
    ({"investor": "bank", "return_cap": 0.2},
     r"investments\[1\]\.return_cap: investors in one provider \('provider'\) are repaid pari passu"),
    ({"investor": "bank", "surplus_share": 0.1}, r"investments\[1\]\.surplus_share: investors in one provider"),
    ({"investor": "investor"}, r"investments\[1\]\.investor: 'investor' already invests in 'provider'"),
])
def test_a_syndicate_whose_terms_differ_is_refused_naming_the_field(second, message):
    lead = {"investor": "investor", "provider": "provider", "commitment": 30_000, "return_cap": 0.5}
    with pytest.raises(CBAError, match=message):
        cba.appraise(_syndicate(lead, {**lead, "commitment": 10_000, **second}))


def test_a_syndicate_member_s_shared_terms_are_varied_through_its_lead():
    from cba.uncertainty import scenarios

    lead = {"investor": "investor", "provider": "provider", "commitment": 30_000, "return_cap": 0.5}
    data = _syndicate(lead, {**lead, "investor": "bank", "commitment": 10_000})
    with pytest.raises(CBAError, match=r"vary partnership\.investments\[0\]\.return_cap"):
        scenarios(data, {"x": {"partnership.investments[1].return_cap": 0.2}})
    # the bank's commitment is its own: at 20,000 of 50,000 committed it draws 40% of the 40,000
    # (16,000 in year 0) and gets 40% of the 60,000 of capital and return a year later (24,000)
    s = scenarios(data, {"x": {"partnership.investments[1].commitment": 20_000}},
                  metrics=["net_after[bank]"]).table["x"]
    assert s["net_after[bank]"] == pytest.approx(24_000 / 1.035 - 16_000, rel=1e-12)


def test_every_amount_of_an_agreement_is_in_its_price_year():
    # prices, per-person caps, the maximum, the payers' maxima and the top-up's award all move
    # to the price base by the same deflator factor f: the money is that of the agreement
    # written at the price base with every amount times f
    def terms(f: float) -> dict:
        return {"tariffs": [{"outcome": "Housed", "price": 1000 * f, "per_person_cap": 800 * f},
                            {"outcome": "Working", "price": 2500 * f}],
                "cap": 60_000 * f, "payers": [{"payer": "local_authority", "share": 0.5, "maximum": 20_000 * f},
                                              {"payer": "nhs", "share": 0.5}],
                "top_up": {"payer": "fund", "share": 0.25, "award": 5_000 * f}}

    old = deal(price_year="2020/21", **terms(1.0))
    f = cba.appraise({**BASE}).compiled.deflator.factor("2020/21", "2024/25")
    assert f > 1
    new = deal(**terms(f))
    for kind in ("outcome_payment", "top_up"):
        np.testing.assert_allclose(by_kind(old, kind), by_kind(new, kind), rtol=1e-12)
    # by hand: earned 100 x 0.5 x 800f + 100 x 0.2 x 2,500f = 90,000f, cut to the maximum 60,000f;
    # the top-up pays 25% of it up to its award, 5,000f; of the 55,000f left each payer owes half,
    # 27,500f: the council stops at its maximum of 20,000f (7,500f unfunded), the NHS pays 27,500f
    np.testing.assert_allclose(by_kind(old, "top_up"), [5_000 * f, 0, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(by_kind(old, "outcome_payment", "local_authority"), [20_000 * f, 0, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(by_kind(old, "outcome_payment", "nhs"), [27_500 * f, 0, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(old.flows.unfunded[0, 0], [7_500 * f, 0, 0, 0], rtol=1e-12)


def test_a_provider_hosting_a_pool_paid_in_above_its_spend_needs_no_capital_that_year():
    # the provider hosts a pool of its own line (spend 100 a year); the council pays in 150 a year and
    # the provider 0, the host bearing the variance: the provider funds 100 - 150 = -50 each year,
    # less than nothing, so the investor draws nothing and, with no outcome paid, loses nothing
    data = {**BASE, "horizon": 2,
            "agencies": [*BASE["agencies"], {"id": "investor", "name": "Investor"}],
            "costs": [{"name": "Service", "agency": "provider", "amounts": [100, 100]}],
            "partnership": {"pooled_budget": {"host": "provider", "variance": "host",
                                              "contributions": {"local_authority": [150, 150], "provider": [0, 0]}},
                            "investments": [{"investor": "investor", "provider": "provider", "commitment": 1000}]}}
    r = cba.appraise(data).partnership()
    np.testing.assert_allclose(r.flows.funding_cash[0, r.partner_ids.index("provider")], [-50, -50])
    row = r.investors().iloc[0]
    assert (row["drawn"], row["maximum_loss"]) == (0.0, 0.0)
    assert r.check().empty


def test_a_syndicate_whose_commitments_overflow_together_is_refused_naming_the_field():
    # each commitment is a finite number; their sum is not
    lead = {"investor": "investor", "provider": "provider", "commitment": 1e308}
    with pytest.raises(CBAError, match=r"partnership\.investments\[1\]\.commitment: the investors in 'provider' "
                                       r"commit more in all than can be computed"):
        cba.appraise(_syndicate(lead, {**lead, "investor": "bank", "commitment": 1.7e308})).partnership()


def test_a_ladder_whose_prices_add_up_beyond_a_number_is_refused_naming_the_field():
    with pytest.raises(CBAError, match=r"tariffs\[0\]\.rungs: the prices up the ladder add up to more than can be "
                                       r"computed"):
        deal(payer="local_authority", tariffs=[{"outcome": "Housed", "rungs": [{"price": 1e308},
                                                                               {"price": 1e308, "reach": 0.5}]}])


def test_a_contract_whose_outcomes_earn_beyond_a_number_is_refused_naming_the_agreement():
    # 100 x 0.5 housed x 1e307 each: 5e308 earned, which no float holds
    with pytest.raises(CBAError, match=r"partnership\.outcome_payments\[0\]\.tariffs: .*'Outcome payments for "
                                       r"Housed \(rate card\)'.* too large to compute"):
        deal(payer="local_authority", tariffs=[{"outcome": "Housed", "price": 1e307}])
