"""The deal on paper: its terms in words, each partner without and with it, pooled flows, in every output."""

import io

import numpy as np
import pytest
from openpyxl import load_workbook

import cba
from cba.cli._main import main
from cba.core._errors import CBAError
from cba.model._deal_terms import Partnership
from cba.outputs._textgrid import fixed_width
from cba.outputs.charts._deal import charts_to_draw
from cba.outputs.export import _partnership as deal_export
from cba.outputs.report._report import render_report
from cba.outputs.tables._deal import breaks_even, position_sentences, position_table
from cba.outputs.tables._terms import agreements, money, pct, term_sentences, terms_table
from cba.partnership._positions import BREAK_EVEN_TOLERANCE, break_even_year

from ..conftest import EXAMPLES

DEALS = EXAMPLES / "partnership"
#: Every shipped example with a deal.
EXAMPLES_WITH_DEALS = [*sorted(str(p) for p in DEALS.glob("*/model.yaml")), str(DEALS / "programme.yaml")]


@pytest.fixture(scope="module")
def deals():
    return {path: cba.appraise(path) for path in EXAMPLES_WITH_DEALS}


# ---------------------------------------------------------------- sentences, pinned
def test_back_to_work_gain_share_in_words(deals):
    r = deals[str(DEALS / "back_to_work" / "model.yaml")].partnership()
    assert term_sentences(r) == [
        "DWP passes 50% of its cashable savings to Local authority, capped at £250,000 a year, 2025/26 to 2028/29."]


def test_programme_funding_and_pool_in_words(deals):
    r = deals[str(DEALS / "programme.yaml")].partnership()
    assert term_sentences(r) == [
        "Local authority funds 30% and DWP 70% of “Back to work: Employment advisers and in-work support”.",
        "Local authority hosts the “Section 75 pooled budget (council and NHS)”, which pays “Family key workers: "
        "Family support workers”; the partners pay in shares of its spend each year: Local authority 70% and NHS 30%."]


def test_outcome_payment_with_a_top_up_in_words(deals):
    r = deals[str(DEALS / "outcomes_contract" / "model.yaml")].partnership()
    assert term_sentences(r) == [
        "Local authority pays Provider £25,000 per “Child kept out of care” achieved, successes counted net of "
        "deadweight. Central outcomes fund tops up 16.89% of every payment."]


def test_rate_card_payers_maxima_and_top_up_award_in_words(deals):
    r = deals[str(DEALS / "life_chances_fund_top_up" / "model.yaml")].partnership()
    (s,) = term_sentences(r)
    assert s.startswith("Local authority (100%, up to £1,822,800) pays Provider (The Skill Mill) under a rate card "
                        "of 4 tariffs (Registration, four weeks, completion: a ladder of 3 rungs worth up to £13,940 "
                        "per person; Level 2 award: £9,340 per “Young person registers” achieved;")
    # 4,390 + 1,310 + 8,240 = 13,940: the ladder's rungs in full
    assert s.endswith("capped at £3,241,776 over the contract. Life Chances Fund (DCMS) tops up 43.77% of every "
                      "payment, up to £1,418,976.")


def test_prices_by_year_of_intake_fees_count_cap_and_price_year_in_words(deals):
    r = deals[str(DEALS / "troubled_families" / "model.yaml")].partnership()
    (s,) = term_sentences(r)
    assert "Continuous employment (instead): £800, £1,600, £2,400 per “Turned around: adult into continuous work” " \
           "achieved for participants starting in 2012/13 to 2014/15 in turn" in s
    assert "an attachment fee of £3,200, £2,400, £1,600 per participant for participants starting in 2012/13 to " \
           "2014/15 in turn; for at most 3,483 participants (at 2012/13 prices)." in s


def test_social_investment_and_payment_lag_in_words(deals):
    r = deals[str(DEALS / "rough_sleeping_sib" / "model.yaml")].partnership()
    card, investment = term_sentences(r)
    assert card.endswith("capped at £2,629,000 over the contract; paid 1 year after the outcome.")
    assert investment == ("Social investors commits up to £1,800,000 to pay Provider (GM Homes Partnership)'s costs "
                          "ahead of its outcome payments, and is repaid from them: its capital first, then a return "
                          "of up to 50% of the capital drawn.")


TERMS = {
    "funding": [{"cost": "Staff", "shares": {"local_authority": 1.0}, "in_kind": True}],
    "pooled_budget": {"name": "Pool", "host": "nhs", "costs": ["Kit"], "variance": "host", "price_year": "2023/24",
                      "contributions": {"nhs": [100, 100], "police": [50, 25.5]}},
    "gain_share": [{"from": "dwp", "to": "local_authority", "share": 0.25, "basis": "fiscal_excluding_transfers",
                    "outcomes": ["Job"], "start_year": 1, "end_year": 1}],
    "outcome_payments": [
        {"name": "Results", "payers": [{"payer": "nhs", "maximum": 1000}, {"payer": "police"}], "split": "in_order",
         "payee": "provider", "outcome": "Job", "basis": "gross", "price": 300, "attachment_fee": 10,
         "funded_share": 0.5, "threshold": 0.2, "threshold_overall": 0.3, "cap_per_year": 800, "cap": 1500,
         "payment_lag": 2},
        {"name": "Card", "payer": "nhs", "payee": "provider", "basis": "net",
         "tariffs": [{"name": "A", "outcome": "Job", "price": 100},
                     {"name": "B", "outcome": "Job", "price": 50, "unless": "A"}]}],
    "payments": [{"name": "Grant", "from": "dwp", "to": "provider", "amounts": [1000, 0, 500]}],
    "investments": [{"investor": "investor", "provider": "provider", "commitment": 2000, "surplus_share": 0.1}],
}


def test_every_kind_of_agreement_in_words():
    terms = Partnership.from_dict(TERMS)
    names = {"provider": "Provider", "investor": "Investor", "local_authority": "Local authority", "dwp": "DWP",
             "nhs": "NHS", "police": "Police"}
    rows = agreements(terms, names, ["2024/25", "2025/26", "2026/27"], "2024/25")
    assert [r["kind"] for r in rows] == ["funding", "pooled_budget", "gain_share", "outcome_payments",
                                         "outcome_payments", "payments", "investments"]
    assert [r["sentence"] for r in rows] == [
        "Local authority funds all of “Staff” in kind.",
        "NHS hosts the “Pool”, which pays “Kit”; fixed contributions (at 2023/24 prices): NHS £200 over 2024/25 to "
        "2025/26 and Police £75.50 over 2024/25 to 2025/26; NHS, the host, bears an over- or underspend.",
        "DWP passes 25% of its fiscal savings other than tax and benefit transfers from “Job” to Local authority, "
        "in 2025/26.",
        "NHS (up to £1,000) then Police in turn pay Provider £300 per “Job” achieved, every success counted (gross); "
        "an attachment fee of £10 per participant; for 50% of the cohort; nothing paid for an outcome whose success "
        "rate is below 20%; every tariff paid once the success rate across the card reaches 30%; capped at £800 a "
        "year and £1,500 over the contract; paid 2 years after the outcome.",
        "NHS pays Provider under a rate card of 2 tariffs (A: £100 per “Job” achieved; B: £50 per “Job” achieved, "
        "only for those who do not achieve “A”), successes counted net of deadweight.",
        "DWP pays Provider £1,500 in all: £1,000 in 2024/25 and £500 in 2026/27.",
        "Investor commits up to £2,000 to pay Provider's costs ahead of its outcome payments, and is repaid from "
        "them: its capital first, then every further pound of the outcome payments, then 10% of what is left."]
    assert rows[3]["from"] == "NHS and Police" and rows[3]["to"] == "Provider"
    assert "local_authority" not in " ".join(r["sentence"] for r in rows)     # display names, never ids


def test_numbers_as_a_contract_states_them():
    assert (pct(0.5), pct(0.6240123), pct(1.0)) == ("50%", "62.4%", "100%")
    assert (money(4000), money(1234.5), money(-10)) == ("£4,000", "£1,234.50", "-£10")


# ---------------------------------------------------------------- breaking even: one definition
def test_break_even_year_by_hand():
    # puts 40 then 10; gets 0, 30, 20: cumulative 40/50/50 against 0/30/50 -> even at the end of year 3
    assert break_even_year(np.array([40.0, 10.0, 0.0]), np.array([0.0, 30.0, 20.0])) == 3.0
    # a solver's zero, a thousandth of a penny short: still even; two pence short: not
    assert break_even_year(np.array([40.0, 10.0, 0.0]), np.array([0.0, 30.0, 20.0 - 1e-5])) == 3.0
    assert np.isnan(break_even_year(np.array([40.0, 10.0, 0.0]), np.array([0.0, 30.0, 19.98])))
    assert BREAK_EVEN_TOLERANCE == 0.005


def test_a_partner_the_solver_brings_to_zero_breaks_even_everywhere(capsys):
    a = cba.appraise(DEALS / "back_to_work" / "model.yaml")
    from cba.partnership._solvers import gain_share

    s = gain_share(a, "dwp", "local_authority")
    r = a.partnership(s.terms)
    la = r.partners().set_index("agency").loc["local_authority"]
    assert abs(la["net_after"]) <= BREAK_EVEN_TOLERANCE
    assert la["break_even_after"] == "year" and la["payback_year_after"] == "2028/29"
    t = position_table(r).set_index(["agency", "deal"])
    assert t.loc[("local_authority", "with the deal"), "breaks_even"] == "2028/29"
    assert position_sentences(r)[0] == "Local authority: -£516,123 without the deal, £0 with it (breaks even)."
    assert position_sentences(r)[-1] == "With the deal no partner is short: each breaks even or is ahead."
    for fmt in ("table", "markdown"):
        main(["partnership", str(DEALS / "back_to_work" / "model.yaml"), "--solve", "gain-share", "--from", "dwp",
              "--to", "local_authority", "-f", fmt])
        out = " ".join(capsys.readouterr().out.split())
        assert "not by 2028/29" in out            # the council without the deal
        assert "(breaks even)" in out and "Solved: DWP passes 62.4%" in out


def test_never_in_deficit_and_nothing_put_in_read_as_such(deals):
    r = deals[str(DEALS / "outcomes_contract" / "model.yaml")].partnership()
    p = r.partners().set_index("agency")
    assert p.loc["local_authority", "break_even_after"] == "never_in_deficit"
    assert p.loc["local_authority", "peak_deficit_after"] <= BREAK_EVEN_TOLERANCE
    r2 = deals[str(DEALS / "back_to_work" / "model.yaml")].partnership()
    assert r2.partners().set_index("agency").loc["nhs", "break_even_after"] == "nothing_in"
    assert breaks_even("never_in_deficit", None, "2028/29") == "never in deficit"
    assert breaks_even("nothing_in", None, "2028/29") == "puts nothing in"
    assert breaks_even("not_within_horizon", None, "2028/29") == "not by 2028/29"


# ---------------------------------------------------------------- pooled contributions are flows
def test_pooled_contributions_are_flows_to_the_host(deals):
    a = deals[str(DEALS / "programme.yaml")]
    r = a.partnership()
    f = r.flows_between()
    pool = f[f["kind"] == "pool_contribution"]
    assert list(pool["from"]) == ["nhs"] and list(pool["to"]) == ["local_authority"]
    # the NHS pays 30% of the pool's spend each year; its present value is that discounted
    spend = r.pool()["spend"].to_numpy(float)
    df = r.flows.discount_factors[0]
    assert pool["real"].iloc[0] == pytest.approx(0.3 * spend.sum())
    assert pool["pv"].iloc[0] == pytest.approx(0.3 * float((spend * df).sum()))
    assert r.flow_matrix().loc["NHS", "Local authority"] == pytest.approx(pool["pv"].iloc[0])
    # the host's own 70% is not a flow between partners
    assert not ((f["from"] == "local_authority") & (f["kind"] == "pool_contribution")).any()
    assert "deal_flows" in charts_to_draw(r)
    ticks = [t.get_text() for t in r.plot("flows").axes[0].get_yticklabels()]
    assert any("NHS → Local authority" in t and "pooled budget contribution" in t for t in ticks)


def test_the_flows_chart_is_not_drawn_when_nothing_passes():
    a = cba.appraise(EXAMPLES / "partnership" / "back_to_work" / "model.yaml")
    r = a.partnership({"funding": [{"cost": c.name, "shares": {"local_authority": 0.5, "dwp": 0.5}}
                                   for c in a.intervention.costs]})
    assert r.flows_between().empty and list(charts_to_draw(r)) == ["deal_positions"]
    with pytest.raises(CBAError, match="nothing to draw"):
        r.plot("flows")
    with pytest.raises(CBAError, match="unknown deal chart"):
        r.plot("pie")
    assert r.plot().axes[0].get_legend().get_texts()[0].get_text() == "Without the deal"


# ---------------------------------------------------------------- every output of every example
@pytest.mark.parametrize("path", EXAMPLES_WITH_DEALS, ids=lambda p: p.split("partnership/")[-1])
def test_every_output_of_every_deal_shows_terms_positions_and_flows(path, deals, capsys):
    a = deals[path]
    r = a.partnership()
    sentences = term_sentences(r)
    assert sentences and all("_" not in s.split("“")[0] for s in sentences)   # names, not ids
    flows = r.flows_between()
    with fixed_width(100):
        text = deal_export.to_text(r)
    flat = " ".join(text.split())
    md = deal_export.to_markdown(r)
    html = render_report(a)
    for out in (flat, md, html.replace("&#x27;", "'").replace("&quot;", '"')):
        assert "without the deal" in out and "with the deal" in out and "Breaks even" in out
        assert "The terms of the deal" in out
    for s in sentences:
        assert s in md and " ".join(s.split()) in " ".join(html.replace("&#x27;", "'").split())
    for name in flows["from_name"]:
        assert name in md
    # the report opens with the deal: the partners' positions and the terms come before any whole-system figure
    assert html.index('id="deal"') < html.index('id="whole-system"') < html.index('class="headlines"')
    assert "Whole-system payback period (years)" in html
    wb = load_workbook(io.BytesIO(deal_export.to_xlsx(r)))
    assert {"Terms", "Without and with", "Flows"} <= set(wb.sheetnames)
    cells = [str(c.value) for ws in (wb["Terms"],) for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(s in cells for s in sentences)
    with_deal = [c.value for row in wb["Without and with"].iter_rows() for c in row]
    assert "without the deal" in with_deal and "with the deal" in with_deal
    flow_cells = [c.value for row in wb["Flows"].iter_rows() for c in row]
    assert all(n in flow_cells for n in flows["from_name"])
    main(["partnership", path, "-f", "table"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Each partner's net position (present values):" in out and "The terms in words" in out


def test_the_appraisal_workbook_carries_the_terms_and_positions(deals):
    from cba.outputs.export._formats import to_xlsx

    a = deals[str(DEALS / "programme.yaml")]
    wb = load_workbook(io.BytesIO(to_xlsx(a, charts=False)))
    assert {"Deal - Terms", "Deal - Without and with"} <= set(wb.sheetnames)
    flows = [c.value for row in wb["Deal - Flows"].iter_rows() for c in row]
    assert "Pooled budget contribution" in flows and "NHS" in flows


def test_solved_terms_are_marked_only_after_a_solver(deals):
    a = deals[str(DEALS / "back_to_work" / "model.yaml")]
    from cba.partnership._solvers import gain_share

    s = gain_share(a, "dwp", "local_authority")
    r = a.partnership(s.terms)
    plain = terms_table(r)
    assert "solved" not in plain.columns
    marked = terms_table(r, s)
    assert list(marked["solved"]) == [True]
    assert marked["sentence"].iloc[0].startswith("Solved: DWP passes 62.4%")
    assert any(n["value"].startswith("the terms marked answer the question \u201cWhat share of its savings must "
                                     "DWP pass on for Local authority to break even?\u201d DWP must pass on")
               for n in marked.attrs["notes"])
    wb = load_workbook(io.BytesIO(deal_export.to_xlsx(r, solution=s)))
    assert any(str(c.value).startswith("Solved: DWP passes") for row in wb["Terms"].iter_rows() for c in row)
