"""The examples that pay as the schemes paid: the Fair Chance Fund ladder, a Life Chances Fund
top-up and the Greater Manchester rough sleeping social impact bond.

Each runs from the command line, and its key figures are pinned with the arithmetic worked
by hand from the rate card and the counts in its README (INDIGO's final results): what each
payer pays, what is unfunded, what the caps cut, and the investor's money. Counts are the
cohort times the reaches the model gives (each a count over the count before, to nine
decimals), so they are whole to about 1e-7 of a person; the money is checked to a penny or so.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import cba

from ..conftest import EXAMPLES, REPO

DEALS = EXAMPLES / "partnership"
NEW = ("fair_chance_fund", "life_chances_fund_top_up", "rough_sleeping_sib")


def run(folder: str):
    return cba.appraise(DEALS / folder / "model.yaml").partnership()


def partners(r) -> dict:
    return {row["agency"]: row for row in r.partners().to_dict(orient="records")}


@pytest.mark.parametrize("command", ["appraise", "partnership"])
@pytest.mark.parametrize("folder", NEW)
def test_the_examples_run_from_the_command_line(folder, command):
    path = DEALS / folder / "model.yaml"
    out = subprocess.run([sys.executable, "-m", "cba", command, str(path), "--format", "json"], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data if command == "partnership" else data["metrics"]["pv_costs"] > 0


@pytest.mark.parametrize("folder", NEW)
def test_the_examples_conserve_money(folder):
    r = run(folder)
    assert r.check().empty
    f = r.flows
    assert f.paid[0].sum() == pytest.approx(f.received[0].sum(), rel=1e-12)


# ---------------------------------------------------------------- the Fair Chance Fund
def test_fair_chance_fund_cap_per_young_person_bites_and_the_award_does_not():
    r = run("fair_chance_fund")
    money = r.flows.contracts[0]
    # rung by rung, count x price (README table): year 0 (2015/16) the first five rungs,
    # 209 x 500 + 192 x 500 + 188 x 1,500 + 182 x 500 + 179 x 1,500 = 842,000;
    # year 1: 165 x 1,500 + 142 x 1,500 + 126 x 200 = 485,700;
    # year 2, the education and work rungs, capped at 15,000 a young person: the cumulative price
    # reaches 14,700 at the entry-level qualification, so 26 weeks full-time pays 300 (not 3,500) to
    # each of 20 and the later rungs nothing: 91 x 500 + 57 x 500 + 30 x 4,500 + 23 x 1,500 + 20 x 300
    # = 249,500
    np.testing.assert_allclose(money.earned[0], [842_000, 485_700, 249_500], atol=0.01)
    # 1,577,200 in all, under the 1,600,000 award: the award does not bind
    assert float(money.paid[0].sum()) == pytest.approx(1_577_200, abs=0.01)
    # the fund's shares: DCLG 10 of 15m, the Cabinet Office 5 of 15m
    np.testing.assert_allclose(money.by_payer[0].sum(axis=1), [1_577_200 * 0.6666666667, 1_577_200 * 0.3333333333],
                               atol=0.01)                           # 1,051,466.67 and 525,733.33
    assert float(money.unfunded[0].sum()) == pytest.approx(0, abs=1e-6)
    p = partners(r)
    assert p["provider"]["received"] == pytest.approx(p["dclg"]["paid"] + p["cabinet_office"]["paid"], rel=1e-12)


def test_fair_chance_fund_without_the_cap_per_young_person_the_award_binds():
    import yaml

    data = yaml.safe_load((DEALS / "fair_chance_fund" / "model.yaml").read_text())
    del data["partnership"]["outcome_payments"][0]["tariffs"][0]["per_person_cap"]
    money = cba.appraise(data).partnership().flows.contracts[0]
    # the same outcomes earn 1,692,700: year 2 would be 365,000 (20 x 3,500 + 16 x 500 + 13 x 500
    # + 11 x 2,500 + 2 x 3,000 + 1 x 3,500 more); the award lets 1,600,000 - 1,327,700 = 272,300 through
    assert float(money.earned[0].sum()) == pytest.approx(1_692_700, abs=0.01)
    np.testing.assert_allclose(money.paid[0], [842_000, 485_700, 272_300], atol=0.01)


# ---------------------------------------------------------------- a Life Chances Fund top-up
def test_life_chances_fund_pays_its_share_up_to_its_award_and_the_councils_up_to_their_commitments():
    r = run("life_chances_fund_top_up")
    money = r.flows.contracts[0]
    # an intake of 63 a year, 60.5 registering (63 x 242 / 252): in the year of intake
    # 60.5 x 4,390 + 59.25 x 1,310 + 44.75 x 8,240 = 711,952.50; a year later
    # 46.25 x 9,340 + 18.5 x 430 + 40.5 x 320 = 452,890 (Level 2, work or training, no reconviction)
    year = 711_952.5
    later = 452_890
    np.testing.assert_allclose(money.earned[0], [year, year + later, year + later, year + later, later], atol=0.01)
    assert float(money.earned[0].sum()) == pytest.approx(4_659_370, abs=0.01)       # INDIGO's price x outcomes
    # the contract maximum, 3,241,776, is reached in year 3: 3,241,776 - 711,952.50 - 2 x 1,164,842.50
    np.testing.assert_allclose(money.paid[0], [year, year + later, year + later, 200_138.5, 0], atol=0.01)
    # the fund pays 0.437715623 of every payment until its 1,418,976 is used up (with the last one);
    # the councils the rest, exactly their 7 x 230,400 + 210,000 = 1,822,800; nothing unfunded
    top, councils = money.top_up[0], money.by_payer[0, 0]
    assert float(top.sum()) == pytest.approx(1_418_976, abs=0.01)
    np.testing.assert_allclose(top[:3], 0.437715623 * money.paid[0, :3], rtol=1e-12)
    assert float(councils.sum()) == pytest.approx(1_822_800, abs=0.01)
    assert float(money.unfunded[0].sum()) == pytest.approx(0, abs=1e-6)
    p = partners(r)
    assert p["dcms"]["paid"] == pytest.approx(float((top * r.flows.discount_factors[0]).sum()), rel=1e-12)
    assert round(p["dcms"]["paid"]) == 1_359_243 and round(p["local_authority"]["paid"]) == 1_746_068


def test_life_chances_fund_at_the_guidance_share_the_councils_maximum_leaves_an_unfunded_part():
    import yaml

    data = yaml.safe_load((DEALS / "life_chances_fund_top_up" / "model.yaml").read_text())
    data["partnership"]["outcome_payments"][0]["top_up"]["share"] = 0.2      # the guidance's "c. 20%"
    money = cba.appraise(data).partnership().flows.contracts[0]
    # the fund pays 20% of 3,241,776 = 648,355.20; the councils owe 2,593,420.80 but committed 1,822,800:
    # 770,620.80 is unfunded and the provider is not paid it
    assert float(money.top_up[0].sum()) == pytest.approx(648_355.2, abs=0.01)
    assert float(money.by_payer[0].sum()) == pytest.approx(1_822_800, abs=0.01)
    assert float(money.unfunded[0].sum()) == pytest.approx(770_620.8, abs=0.01)


# ---------------------------------------------------------------- the rough sleeping social impact bond
def test_rough_sleeping_sib_pays_exactly_its_maximum_in_time_order():
    r = run("rough_sleeping_sib")
    money = r.flows.contracts[0]
    # Each intake of 203 (half the 406 engaged). In its first year, paid a year later:
    # housed 164 x 600 + 164 x 1,500 (3 months) + 157.5 x 1,500 (6 months) + wellbeing 195.5 x 100
    # + 137 x 100 + mental health 64.5 x 200 + alcohol 8.5 x 100 + drugs 40.5 x 120 = 632,510.
    first = 632_510
    # In its second: 12 months 136.5 x 2,600 + 18 months 121.5 x 2,500 + wellbeing 82.5 x 100
    # + mental health 40.5 x 600 + alcohol 4 x 1,100 + drugs 47.5 x 2,600 + qualification 13.5 x 500
    # + volunteering 7.5 x 400 + 5 x 800 + part-time 2 x 1,900 + 1.5 x 1,800 + full-time 3.5 x 2,400
    # + 2.5 x 2,200 = 853,250. In its third: 24 months 97.5 x 1,800 = 175,500.
    second, third = 853_250, 175_500
    np.testing.assert_allclose(money.earned[0], [0, first, first + second, second + third, third], atol=0.01)
    # 3,322,520 earned (INDIGO's 3,324,020 less the one person at 3 months beyond the 328 housed)
    assert float(money.earned[0].sum()) == pytest.approx(3_322_520, abs=0.01)
    # the maximum, 2,629,000 over the whole card, is reached in 2020/21:
    # 2,629,000 - 632,510 - 1,485,760 = 510,730; nothing is paid after it
    np.testing.assert_allclose(money.paid[0], [0, first, first + second, 510_730, 0], atol=0.01)
    assert float(money.paid[0].sum()) == pytest.approx(2_629_000, abs=1e-6)
    assert float(money.unfunded[0].sum()) == pytest.approx(0, abs=1e-6)
    assert money.by_tariff[0].sum(axis=0) == pytest.approx(money.paid[0], abs=1e-6)   # no fee: all by tariff


def test_rough_sleeping_sib_investor_draws_is_repaid_and_takes_the_surplus_under_its_cap():
    r = run("rough_sleeping_sib")
    w = r.flows.investors[0]
    # the provider's 600,000 a year falls due before any payment: the investor draws it all three years
    np.testing.assert_allclose(w.drawn[0], [600_000, 600_000, 600_000, 0, 0])
    # 632,510 repays capital in 2018/19; 2019/20's 1,485,760 repays the rest (1,800,000 - 632,510 =
    # 1,167,490) and 318,270 of return; 2020/21's 510,730 is return: 829,000 < the cap, 0.5 x 1,800,000
    np.testing.assert_allclose(w.repaid_capital[0], [0, 632_510, 1_167_490, 0, 0], atol=0.01)
    np.testing.assert_allclose(w.return_paid[0], [0, 0, 318_270, 510_730, 0], atol=0.01)
    assert float(w.provider_kept[0].sum()) == pytest.approx(0, abs=1e-6)
    row = r.investors().iloc[0]
    assert row["drawn"] == pytest.approx(1_800_000) and row["net"] == pytest.approx(829_000, abs=0.01)
    assert row["money_multiple"] == pytest.approx(2_629_000 / 1_800_000, rel=1e-9)      # 1.46
    assert row["maximum_loss"] == pytest.approx(1_800_000)
    # the investor's yearly net, -600,000, +32,510, +885,760, +510,730: its IRR solves that
    npf = pytest.importorskip("numpy_financial")
    assert row["irr"] == pytest.approx(npf.irr([-600_000, 32_510, 885_760, 510_730, 0]), abs=1e-9)
    p = partners(r)
    assert p["provider"]["net_after"] == pytest.approx(0, abs=1e-6)                # costs paid, payments passed on
    assert p["mhclg"]["paid"] == pytest.approx(
        float((r.flows.contracts[0].paid[0] * r.flows.discount_factors[0]).sum()), rel=1e-12)
    assert p["social_investor"]["peak_deficit_after"] == pytest.approx(600_000)


@pytest.mark.parametrize("folder, fixture", [("rough_sleeping_sib", "gm_rough_sleeping"),
                                             ("life_chances_fund_top_up", "skill_mill")])
def test_the_rate_cards_are_the_hand_built_indigo_fixtures(folder, fixture):
    """The examples and the INDIGO fixtures (tests/data/indigo/) were read from the same data: the same
    prices, the same maximum."""
    import yaml

    path = REPO / "tests" / "data" / "indigo" / f"{fixture}.json"
    if not path.exists():
        pytest.skip("no INDIGO fixture")
    indigo = json.loads(path.read_text())
    terms = yaml.safe_load((DEALS / folder / "model.yaml").read_text())["partnership"]["outcome_payments"][0]
    prices = sorted(rung["price"] for tariff in terms["tariffs"] for rung in tariff["rungs"])
    assert prices == sorted(p["price_per_unit"]["amount"]["value"] for p in indigo["outcome_pricings"])
    finance = indigo["overall_project_finance"]
    assert terms["cap"] == finance["maximum_potential_outcome_payment_v2"]["amount"]["value"]
