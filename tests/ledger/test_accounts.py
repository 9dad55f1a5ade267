"""Accounts by who benefits and the distributionally weighted net present value."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba
from cba.core._errors import ModelError
from cba.ledger._accounts import account_flows
from cba.method._distribution import income_weight
from cba.outputs._format import render_table_text
from cba.uncertainty import montecarlo

WEIGHT_LOW = 2 ** 1.3   # (30,000 / 15,000) ** 1.3 = 2.462288827


def model(components, **changes):
    data = {
        "name": "Accounts", "price_base": "2024/25", "horizon": 1,
        "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
        "outcomes": [{"name": "Into work", "cohort": 10, "success": 0.5, "value": {"components": components}}],
    }
    data.update(changes)
    return cba.Intervention.from_dict(data)


DISTRIBUTION = {"reference_income": 30000, "groups": {"low": {"income": 15000}, "given": {"weight": 1.5}},
                "source": "ASSUMPTION: test incomes"}


def test_green_book_weight_at_the_published_elasticity():
    # Green Book (2022) Annex A3, A3.14: elasticity 1.3; a group on half the median income:
    # 2 ** 1.3 = exp(1.3 x ln 2) = exp(0.901091) = 2.462289
    assert income_weight(15000, 30000, 1.3) == pytest.approx(2.462288827, abs=1e-9)
    assert income_weight(60000, 30000, 1.3) == pytest.approx(0.406126198, abs=1e-9)   # 2 ** -1.3


def test_weighted_npv_against_a_hand_calculation():
    # 5 successes x 1,000 pounds economic value to participants on a low income: 5,000;
    # weighted 5,000 x 2.462288827 = 12,311.444; a fiscal saving of 100 x 5 = 500 to the
    # police counts at weight 1; costs 1,000 (year 0, undiscounted).
    m = model([{"type": "economic", "amount": 1000}, {"type": "fiscal", "agency": "police", "amount": 100}],
              distribution=DISTRIBUTION)
    m.outcomes[0].income_group = "low"
    d = cba.appraise(m).distributional()
    assert d["benefits"] == pytest.approx(5500.0) and d["npv"] == pytest.approx(4500.0)
    assert d["weighted_benefits"] == pytest.approx(12311.444135 + 500.0, abs=1e-5)
    assert d["weighted_npv"] == pytest.approx(12311.444135 + 500.0 - 1000.0, abs=1e-5)
    assert d["elasticity"] == 1.3


def test_user_weights_and_no_group():
    m = model([{"type": "social", "amount": 200}], distribution=DISTRIBUTION)
    m.outcomes[0].income_group = "given"
    assert cba.appraise(m).distributional()["weighted_benefits"] == pytest.approx(1000.0 * 1.5)
    m.outcomes[0].income_group = None
    assert cba.appraise(m).distributional()["weighted_benefits"] == pytest.approx(1000.0)


def test_weighted_npv_is_beside_the_unweighted_one_in_outputs():
    m = model([{"type": "economic", "amount": 1000}], distribution=DISTRIBUTION)
    m.outcomes[0].income_group = "low"
    a = cba.appraise(m)
    assert a.metrics["net_present_public_value"] == pytest.approx(4000.0)   # unchanged
    text = a.summary()
    assert "Net present public value, distributionally weighted" in text and "Net present public value" in text
    data = json.loads(a.to_json())
    assert data["distributional"]["weighted_npv"] == pytest.approx(5000 * WEIGHT_LOW - 1000)
    assert data["metrics"]["net_present_public_value"] == pytest.approx(4000.0)


def test_a_model_without_distribution_is_unchanged():
    a = cba.appraise("examples/worked_example.yaml")
    assert a.distributional() is None
    assert "distributional" not in a.to_dict()
    assert "weighted" not in a.summary()


def test_unknown_income_group_is_named():
    with pytest.raises(ModelError, match=r"outcomes\[0\]\.income_group.*unknown income group 'mid'"):
        cba.Intervention.from_dict({**model([{"type": "social", "amount": 1}]).to_dict(),
                                    "distribution": DISTRIBUTION,
                                    "outcomes": [{"name": "x", "cohort": 1, "success": 1, "income_group": "mid",
                                                  "value": {"components": [{"type": "social", "amount": 1}]}}]})
    with pytest.raises(ModelError, match="reference_income"):
        model([{"type": "social", "amount": 1}], distribution={"groups": {"low": {"income": 1}}})


def test_accounts_by_who_benefits():
    comps = [{"type": "fiscal", "agency": "police", "amount": 100},
             {"type": "fiscal", "agency": "dwp", "amount": 300, "transfer": True},
             {"type": "economic", "amount": 400},
             {"type": "social", "amount": 50, "beneficiary": "others"},
             {"type": "social", "amount": 20, "beneficiary": "society"}]
    a = cba.appraise(model(comps))
    acc = a.accounts()
    total = acc["total"]
    # 5 successes: police 500, dwp 1,500 (a transfer), participants 2,000 - 1,500, others 250, society 100
    assert acc["columns"] == ["taxpayers:dwp", "taxpayers:police", "participants", "others", "society"]
    assert total["taxpayers"] == {"dwp": 1500.0, "police": 500.0}
    assert total["participants"] == 500.0 and total["others"] == 250.0 and total["society"] == 100.0
    assert total["total_benefits"] == pytest.approx(a.metrics["pv_public_value"]) == pytest.approx(2850.0)
    assert total["net_cost"] == 1000.0 and total["benefit_cost_ratio"] == pytest.approx(2.85)
    assert total["chance_benefits_exceed_costs"] is None
    assert acc["participants"] == 10.0
    assert acc["per_participant"]["participants"] == pytest.approx(50.0)
    assert acc["per_participant"]["benefit_cost_ratio"] == pytest.approx(2.85)
    table = a.accounts_table()
    assert list(table["row"]) == ["per_participant", "total"]
    assert table.attrs["labels"]["taxpayers:dwp"] == "Taxpayers: DWP"
    text = render_table_text(table)
    assert "Per participant" in text and "£2,850" in text
    assert json.loads(a.to_json())["accounts"]["total"]["others"] == 250.0


def test_participants_may_be_given():
    a = cba.appraise(model([{"type": "economic", "amount": 400}], participants=4))
    assert a.accounts()["per_participant"]["participants"] == pytest.approx(2000.0 / 4)


def test_chance_benefits_exceed_costs_on_every_row():
    m = model([{"type": "economic", "amount": 300}])
    # benefits 10 x success x 300 > 1,000 when success > 1/3: about half the draws of U(0.2, 0.5)
    r = montecarlo(m, {"outcomes[0].success": {"dist": "uniform", "low": 0.2, "high": 0.5}}, draws=2000,
                   seed=42, progress=False)
    acc = cba.appraise(m).accounts(r)
    chance = r.probability("net_present_public_value")
    assert 0.4 < chance < 0.6
    assert acc["total"]["chance_benefits_exceed_costs"] == chance
    assert acc["per_participant"]["chance_benefits_exceed_costs"] == chance
    table = cba.appraise(m).accounts_table(r)
    assert list(table["chance_benefits_exceed_costs"]) == [chance, chance]


def test_beneficiary_mistakes():
    with pytest.raises(ModelError, match="fiscal saving goes to taxpayers"):
        model([{"type": "fiscal", "agency": "police", "amount": 1, "beneficiary": "others"}])
    with pytest.raises(ModelError, match="taxpayers gain through fiscal"):
        model([{"type": "economic", "amount": 1, "beneficiary": "taxpayers"}])


amounts = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(transfer=amounts, saving=amounts, economic=amounts, social=amounts,
       who=st.sampled_from(["participants", "others", "society"]))
def test_transfers_net_to_zero_across_accounts(transfer, saving, economic, social, who):
    comps = [{"type": "fiscal", "agency": "dwp", "amount": transfer, "transfer": True},
             {"type": "fiscal", "agency": "police", "amount": saving},
             {"type": "economic", "amount": economic},
             {"type": "social", "amount": social, "beneficiary": who}]
    a = cba.appraise(model(comps, horizon=3, discounting={"rate": 0.035}))
    flows = account_flows(a)
    acc = a.accounts()["total"]
    scale = 1.0 + abs(transfer) + abs(saving) + abs(economic) + abs(social)
    # every account together is public value: the transfer is a gain to taxpayers and a loss to participants
    assert acc["total_benefits"] == pytest.approx(a.metrics["pv_public_value"], abs=1e-9 * scale)
    gain = flows[(flows["account"] == "taxpayers") & (flows["agency"] == "dwp")]["discounted"].sum()
    assert gain == pytest.approx(5 * transfer, abs=1e-9 * scale)
    without = cba.appraise(model(comps[1:], horizon=3, discounting={"rate": 0.035})).accounts()["total"]
    assert acc["total_benefits"] == pytest.approx(without["total_benefits"], abs=1e-9 * scale)
    assert acc["participants"] + acc["taxpayers"]["dwp"] == pytest.approx(without["participants"], abs=1e-9 * scale)


def test_accounts_chart_draws_each_account():
    a = cba.appraise(model([{"type": "fiscal", "agency": "police", "amount": 100},
                            {"type": "economic", "amount": 400}], horizon=2))
    fig = a.accounts_chart()
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert {"Taxpayers: Police", "Participants", "Costs"} <= set(labels)
    from cba.outputs.charts._accounts import cumulative_by_account

    c = cumulative_by_account(a)
    assert c["participants"].tolist() == [2000.0, 2000.0] and c["costs"].tolist() == [-1000.0, -1000.0]
