"""Solvers that tell the truth: cashable fair shares, partners in deficit, display names, totality."""

import math

import pytest

import cba
import cba.partnership._solvers as solvers
from cba.core._errors import CBAError
from cba.model._deal_terms import Partnership
from cba.partnership._compile import compile_deal
from cba.partnership._solution import _index

# 1.0m paid by the council; savings 0.3m council (all cashable), 0.5m NHS (half cashable), 0.6m DWP (none)
CASHABLE = {
    "name": "Cash", "price_base": "2024/25", "horizon": 1,
    "costs": [{"name": "Programme", "agency": "local_authority", "amounts": [1_000_000]}],
    "outcomes": [{"name": "Better lives", "cohort": 1, "success": 1, "value": {"components": [
        {"type": "fiscal", "agency": "local_authority", "amount": 300_000, "cashable": 1},
        {"type": "fiscal", "agency": "nhs", "amount": 500_000, "cashable": 0.5},
        {"type": "fiscal", "agency": "dwp", "amount": 600_000}]}}],
}


def cheaper(cost: float) -> dict:
    return {**CASHABLE, "costs": [{**CASHABLE["costs"][0], "amounts": [cost]}]}


def positions(solution, appraisal) -> dict:
    return {r["agency"]: r for r in solution.result(appraisal).partners().to_dict(orient="records")}


def test_cashable_fair_shares_ask_no_partner_for_more_cash_than_it_gets_back():
    # cash back: council 300,000, NHS 0.5 x 500,000 = 250,000, DWP 0: G = 550,000 for costs C = 500,000.
    # shares 300/550 = 54.55% and 250/550 = 45.45%; each puts in C/G = 500/550 = 90.91% of its cash
    a = cba.appraise(cheaper(500_000))
    s = solvers.fair_shares(a, basis="cashable")
    assert s.feasible and s.details["shares"] == pytest.approx({"local_authority": 300 / 550, "nhs": 250 / 550})
    assert s.value == pytest.approx(1 - 500 / 550, rel=1e-12)
    assert "Local authority 54.55%, NHS 45.45%" in s.message and "puts in 90.91% of the cash" in s.message
    assert "DWP gets no cash back and funds nothing" in s.message
    rows = positions(s, a)
    # council funds 500,000 x 300/550 = 272,727.27 <= 300,000; NHS 227,272.73 <= 250,000; DWP nothing
    assert rows["local_authority"]["funding"] == pytest.approx(272_727.2727, rel=1e-9)
    assert rows["nhs"]["funding"] == pytest.approx(227_272.7273, rel=1e-9)
    assert rows["dwp"]["funding"] == 0
    cash = {"local_authority": 300_000, "nhs": 250_000, "dwp": 0}
    for p, row in rows.items():
        assert row["funding"] <= cash[p] + 1e-6
    # the sentence says "ahead by" nothing: every net after is the table's, counted on fiscal savings
    assert "ends ahead" not in s.message and "ends behind" not in s.message


def test_cashable_fair_shares_with_too_little_cash_say_by_how_much():
    # cash back 550,000 against costs of 1,000,000: 55.00% covered, 450,000 short
    s = solvers.fair_shares(cba.appraise(CASHABLE), basis="cashable")
    assert not s.feasible and s.terms is None and s.value is None
    assert s.details["shortfall"] == pytest.approx(450_000)
    assert "£550,000" in s.message and "covers 55.00% of the costs (£1,000,000)" in s.message
    assert "every partner ends" not in s.message


def test_cashable_fair_shares_from_the_command_line_match_the_table(tmp_path, capsys):
    import yaml

    from cba.cli._main import main

    path = tmp_path / "cash.yaml"
    path.write_text(yaml.safe_dump(cheaper(500_000)))
    assert main(["partnership", str(path), "--solve", "fair-shares", "--basis", "cashable"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "on the cashable basis (Local authority 54.55%, NHS 45.45%)" in out
    assert "£272,727" in out and "£227,273" in out and "every partner ends behind" not in out


# a partner whose savings are negative: police loses 100,000 whatever it funds
DEFICIT = {**cheaper(1_000_000), "outcomes": [{**CASHABLE["outcomes"][0], "value": {"components": [
    {"type": "fiscal", "agency": "local_authority", "amount": 300_000},
    {"type": "fiscal", "agency": "nhs", "amount": 500_000},
    {"type": "fiscal", "agency": "dwp", "amount": 600_000},
    {"type": "fiscal", "agency": "police", "amount": -100_000}]}}]}


def test_fair_shares_beside_a_partner_in_deficit_do_not_say_every_partner_ends_ahead():
    # G = 1.4m over the partners with savings, C = 1.0m: each of them ends 1 - 1/1.4 = 28.57% ahead; police -100,000
    a = cba.appraise(DEFICIT)
    s = solvers.fair_shares(a)
    assert f"{s.value:.2%}" == "28.57%"
    assert "every partner ends ahead" not in s.message
    assert "every partner that gets something back ends ahead by 28.57% of it" in s.message
    assert "Police gets nothing back on the fiscal basis, funds nothing and ends £100,000 short" in s.message
    rows = positions(s, a)
    assert rows["police"]["net_after"] == pytest.approx(-100_000)
    assert rows["dwp"]["net_after"] == pytest.approx(600_000 * (1 - 1 / 1.4))


def test_any_split_beside_a_partner_in_deficit_names_the_payment_it_needs():
    # margin 1.3m - 1.0m = 300,000 ahead; police is 100,000 short under fair shares: the partners ahead
    # (1.4m - 1.0m = 400,000 between them) can pay it
    a = cba.appraise(DEFICIT)
    s = solvers.any_split(a)
    assert s.feasible and s.value == pytest.approx(300_000)
    assert s.details["payments_needed"] == pytest.approx({"police": 100_000})
    assert "leaves every partner at least even (the fair-shares split is one)" not in s.message
    assert "Police loses money whatever share of the costs it funds" in s.message
    assert "payments of £100,000 to Police" in s.message
    assert positions(s, a)["police"]["net_after"] == pytest.approx(-100_000)


def test_every_solver_sentence_uses_display_names():
    a = cba.appraise("examples/partnership/back_to_work/model.yaml")
    answers = [solvers.fair_shares(a), solvers.fair_shares(a, basis="cashable"), solvers.any_split(a),
               solvers.gain_share(a, "dwp", "local_authority"),
               solvers.gain_share(a, ["dwp", "nhs"], "local_authority"),
               solvers.gain_share(a, "dwp", "local_authority", target=1e9)]
    for s in answers:
        for word in ("local_authority", "dwp", "nhs"):
            assert word not in s.message, s.message
    assert "for Local authority to break even" in answers[3].message
    assert answers[4].message.startswith("DWP and NHS must pass on")
    c = cba.appraise("examples/partnership/outcomes_contract/model.yaml")
    price = solvers.break_even_price(c, "Child kept out of care", "provider")
    assert "provider" not in price.message and "breaks even at £30,065" in price.message


@pytest.mark.parametrize("target", [math.nan, math.inf, -math.inf, "100", None, True, [0]])
def test_solver_targets_must_be_finite_numbers(target):
    a = cba.appraise(CASHABLE)
    with pytest.raises(CBAError, match="--target"):
        solvers.gain_share(a, "dwp", "local_authority", target=target)
    with pytest.raises(CBAError, match="--target"):
        solvers.break_even_price(cba.appraise(rare(0.5)), "Rare", "provider", target=target)


@pytest.mark.parametrize("kwargs, words", [
    ({"sources": 3}, "--from"), ({"sources": [None]}, "--from"), ({"to": 1.5}, "--to"),
    ({"basis": 1}, "basis"),
])
def test_solver_arguments_of_the_wrong_type_are_refused(kwargs, words):
    args = {"sources": "dwp", "to": "local_authority", **kwargs}
    with pytest.raises(CBAError, match=words):
        solvers.gain_share(cba.appraise(CASHABLE), **args)
    with pytest.raises(CBAError, match="basis"):
        solvers.fair_shares(cba.appraise(CASHABLE), basis=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("target", ["nan", "inf", "-inf"])
def test_a_non_finite_target_on_the_command_line_exits_2(tmp_path, capsys, target):
    import yaml

    from cba.cli._main import main

    path = tmp_path / "cash.yaml"
    path.write_text(yaml.safe_dump(CASHABLE))
    code = main(["partnership", str(path), "--solve", "gain-share", "--from", "dwp", "--to", "local_authority",
                 f"--target={target}"])
    err = capsys.readouterr().err
    assert code == 2 and "--target" in err and "finite" in err and "Traceback" not in err


def rare(success: float, **agreement) -> dict:
    """A provider spends 100,000 in year 0; ``success`` outcomes are paid for in year 1 (no discounting)."""
    return {"name": "Rare outcome", "price_base": "2024/25", "horizon": 2, "discounting": {"rate": 0},
            "agencies": [{"id": "provider", "name": "Provider"}],
            "costs": [{"name": "Delivery", "agency": "provider", "amounts": [100_000]}],
            "outcomes": [{"name": "Rare", "cohort": [1], "success": success, "lag": 1,
                          "value": {"components": [{"type": "fiscal", "agency": "nhs", "amount": 1e6}]}}],
            "partnership": {"outcome_payments": [{"payer": "nhs", "payee": "provider", "outcome": "Rare",
                                                  "basis": "gross", **agreement}]}}


def test_a_solved_price_with_its_own_price_year_is_written_at_that_year():
    # 0.5 outcomes paid in year 1, undiscounted, cover 100,000 at 200,000 each (2024/25 prices); the terms
    # state prices at 2020/21 prices, so the solved deal holds 200,000 / factor(2020/21 -> 2024/25) there
    a = cba.appraise(rare(0.5, price=1, price_year="2020/21"))
    s = solvers.break_even_price(a, "Rare", "provider")
    assert s.value == pytest.approx(200_000, rel=1e-9)
    factor = float(a.compiled.deflator.factor("2020/21", "2024/25"))
    assert factor > 1.05
    assert s.terms.outcome_payments[0].price == pytest.approx(200_000 / factor, rel=1e-12)
    assert positions(s, a)["provider"]["net_after"] == pytest.approx(0, abs=1e-6)
    assert s.solved == {"partnership.outcome_payments[0].price":
                        "the price per outcome of 'Rare' paid to Provider, £200,000"}


def test_a_price_reached_with_no_payment_is_the_deal_at_price_zero():
    # a 1,000,000 fixed payment covers the provider's costs: no price is needed, and the deal returned pays none
    model = rare(0.5, price=70_000)
    model["partnership"]["payments"] = [{"from": "nhs", "to": "provider", "amounts": [1_000_000]}]
    a = cba.appraise(model)
    s = solvers.break_even_price(a, "Rare", "provider")
    assert s.value == 0 and s.terms.outcome_payments[0].price == 0
    assert positions(s, a)["provider"]["net_after"] == pytest.approx(900_000)


# the model's own names for its partners: every sentence and every new agreement uses them, never the ids
NAMED = {
    "name": "Named partners", "price_base": "2024/25", "horizon": 1, "discounting": {"rate": 0},
    "agencies": [{"id": "council", "name": "Wigan Council"}, {"id": "trust", "name": "Bridgewater NHS Trust"},
                 {"id": "provider", "name": "Positive Steps"}],
    "costs": [{"name": "Programme", "agency": "council", "amounts": [1_000_000]}],
    "outcomes": [{"name": "Better lives", "cohort": 1, "success": 1, "value": {"components": [
        {"type": "fiscal", "agency": "council", "amount": 300_000},
        {"type": "fiscal", "agency": "trust", "amount": 900_000}]}}],
}


def test_solver_sentences_and_new_agreements_use_the_models_names():
    a = cba.appraise(NAMED)
    s = solvers.gain_share(a, "trust", "council")
    # the council is 700,000 short; the trust's 900,000 of savings: 700/900 = 77.78% brings it to even
    assert s.value == pytest.approx(7 / 9, rel=1e-12)
    assert s.message == ("Bridgewater NHS Trust must pass on at least 77.78% (a share of its fiscal savings) for "
                         "Wigan Council to break even.")
    assert [g.name for g in s.terms.gain_share] == ["Gain-share Bridgewater NHS Trust to Wigan Council (solved)"]
    fair = solvers.fair_shares(a)
    assert "(Wigan Council 25.00%, Bridgewater NHS Trust 75.00%)" in fair.message
    for answer in (s, fair, solvers.any_split(a)):
        assert not any(word in answer.message for word in ("council", "trust", "provider")), answer.message


@pytest.mark.parametrize("call, words", [
    (lambda a: solvers.gain_share(a, "council", "council"),
     "gain-share: Wigan Council cannot pass a share of its savings to itself (--from and --to both name 'council')"),
    (lambda a: _index(compile_deal(a.compiled, Partnership()), "provider", "--to", a.intervention.agency_names),
     "--to: 'provider' is not a partner of this deal (partners: council (Wigan Council), trust (Bridgewater NHS "
     "Trust))"),
    (lambda a: solvers.gain_share(a, "trust", "mystery"), "unknown partner 'mystery'; use one of "),
    (lambda a: solvers.break_even_price(a, "Better lives", "provider"),
     "no agreement pays Positive Steps for 'Better lives': name the payer (--payer)"),
])
def test_solver_mistakes_name_partners_by_their_names_and_the_ids_to_type(call, words):
    with pytest.raises(CBAError) as err:
        call(cba.appraise(NAMED))
    assert words in str(err.value)
    if "unknown partner" in words:
        assert "council (Wigan Council)" in str(err.value) and "dwp (DWP)" in str(err.value)


def test_a_solution_keeps_the_appraisal_it_answers_but_not_in_its_json():
    a = cba.appraise(NAMED)
    s = solvers.fair_shares(a)
    assert s.appraisal is a and "appraisal" not in s.to_dict() and "appraisal" not in repr(s)
    assert solvers.any_split(a).appraisal is a
    assert solvers.gain_share(a, "trust", "council").details["target"] == 0.0
