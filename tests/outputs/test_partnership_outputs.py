"""Agency groups, and the deal in the report, the workbook, Markdown and notebooks."""

import io

import pytest
from openpyxl import load_workbook

import cba
from cba.ledger._groups import by_group, central_government_share
from cba.model._agency_groups import groups_of
from cba.outputs.export._formats import to_markdown, to_xlsx
from cba.outputs.report._report import render_report

from ..conftest import EXAMPLES

DEALS = EXAMPLES / "partnership"

MODEL = {
    "name": "Groups", "price_base": "2024/25", "horizon": 1,
    "agencies": [{"id": "dclg", "name": "DCLG"}, {"id": "provider", "name": "Provider"}],
    "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]},
              {"name": "Grant", "agency": "dclg", "amounts": [500]}],
    "outcomes": [{"name": "Helped", "cohort": 1, "success": 1, "value": {"components": [
        {"type": "fiscal", "agency": "local_authority", "amount": 100},
        {"type": "fiscal", "agency": "police", "amount": 200},
        {"type": "fiscal", "agency": "nhs", "amount": 300},
        {"type": "fiscal", "agency": "dwp", "amount": 400}]}}],
}


def test_the_shipped_tiers_sum_the_agency_ledger():
    a = cba.appraise(MODEL)
    t = by_group(a).set_index("group")
    # council 100 + police 200 local; NHS 300; DWP 400 central; DCLG not assigned a tier
    assert t.loc["local", "pv_fiscal"] == 300 and t.loc["local", "pv_costs"] == 1000
    assert t.loc["nhs", "pv_fiscal"] == 300 and t.loc["central", "pv_fiscal"] == 400
    assert t.loc["unassigned", "pv_costs"] == 500
    assert t["pv_fiscal"].sum() == a.metrics["pv_fiscal"] and t["pv_costs"].sum() == a.metrics["pv_costs"]
    assert central_government_share(a) == pytest.approx(0.4)
    assert t.loc["central", "fiscal_share"] == pytest.approx(0.4)


def test_a_model_places_its_own_agencies_and_declares_groupings():
    a = cba.appraise({**MODEL, "agency_groups": {"tier": {"central": ["dclg"]},
                                                 "funding_stream": {"Council": ["local_authority", "police"],
                                                                    "Health": ["nhs"]}}})
    assert groups_of(a.intervention)["dclg"] == ("central", "Central government")
    assert by_group(a).set_index("group").loc["central", "pv_costs"] == 500
    s = a.by_group("funding_stream").set_index("group")
    assert s.loc["Council", "pv_fiscal"] == 300 and s.loc["unassigned", "pv_fiscal"] == 400
    with pytest.raises(cba.CBAError, match="unknown agency grouping 'colour'"):
        a.by_group("colour")


@pytest.mark.parametrize("groups, path, words", [
    ({"tier": {"central": ["mystery"]}}, "agency_groups.tier.central[0]", "unknown agency 'mystery'"),
    ({"x": {"A": ["nhs"], "B": ["nhs"]}}, "agency_groups.x.B[0]", "already in group 'A'"),
])
def test_grouping_mistakes_name_the_field(groups, path, words):
    with pytest.raises(cba.CBAError) as err:
        cba.appraise({**MODEL, "agency_groups": groups})
    assert f"{path}: " in str(err.value) and words in str(err.value)


def test_the_central_government_share_is_in_the_headline_tables():
    a = cba.appraise(MODEL)
    assert "Share of fiscal savings banked by central government (DWP, HMRC, justice): 40.0%" in a.summary()


def test_the_report_shows_the_deal_with_its_charts():
    a = cba.appraise(DEALS / "outcomes_contract" / "model.yaml")
    html = render_report(a)
    assert 'id="partnership"' in html and "Partnership deal" in html
    for words in ("Who puts in and who gets back", "Flows between partners", "Central outcomes fund",
                  'id="chart-deal_positions"', 'id="chart-deal_flows"', "Net with the deal"):
        assert words in html
    assert html.count("<svg") == 7      # four appraisal charts, who benefits and two of the deal
    plain = render_report(cba.appraise(EXAMPLES / "worked_example.yaml"))
    assert 'id="partnership"' not in plain             # no deal, no section


def test_the_workbook_and_markdown_carry_the_deal():
    a = cba.appraise(DEALS / "back_to_work" / "model.yaml")
    wb = load_workbook(io.BytesIO(to_xlsx(a)))
    assert {"Deal - Partners", "Deal - Flows", "Deal - Partners by year"} <= set(wb.sheetnames)
    ws = wb["Deal - Partners"]
    from cba.outputs.export._xlsx import HEADER_ROW

    header = [c.value for c in ws[HEADER_ROW]]          # under the title block
    assert header[:3] == ["Partner", "Bears without the deal", "Funds with the deal"]
    row = {header[i]: c.value for i, c in enumerate(ws[HEADER_ROW + 1])}
    p = a.partnership().partners().set_index("agency")
    assert row["Partner"] == "Local authority"
    assert row["Net with the deal"] == pytest.approx(p.loc["local_authority", "net_after"])
    md = to_markdown(a)
    assert "## Who puts in and who gets back" in md and "DWP reinvests benefit savings" in md


def test_notebook_display_of_a_deal():
    r = cba.appraise(DEALS / "back_to_work" / "model.yaml").partnership()
    html = r._repr_html_()
    assert html.count("<table>") >= 3 and "Net with the deal" in html
    assert repr(r).startswith("<PartnershipResult 'DWP reinvestment agreement': 3 partners, 1 flows>")
