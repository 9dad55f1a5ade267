"""Option comparison: side by side and incremental, with hand-checked numbers."""

import json
import math

import openpyxl
import pytest

import cba
from cba.ledger._compare import dominance, incremental_ratio

from ..conftest import EXAMPLES

A = EXAMPLES / "options" / "single_intake.yaml"
B = EXAMPLES / "options" / "two_intakes.yaml"
NAME_A, NAME_B = "Key workers: one intake", "Key workers: two intakes"

# Green Book discount factors (3.5%): years 1 to 3
DF1, DF2, DF3 = 1 / 1.035, 1 / 1.035**2, 1 / 1.035**3
# B is A plus a second intake one year later (examples/options/two_intakes.yaml):
#   extra costs: key workers 40,000 in year 1, nurse time 10,000 in year 2
D_COSTS = 40000 * DF1 + 10000 * DF2                      # 38,647.34 + 9,335.11 = 47,982.45
#   extra benefit-years: the second intake's 32 net successes from year 2 (lag 1):
#   32 in year 2, 28.8 in year 3; fiscal 1,000 x (1 - 10% optimism bias) per benefit-year
D_FISCAL = 900 * (32 * DF2 + 28.8 * DF3)                 # 26,885.11 + 23,378.36 = 50,263.46
D_PUBLIC = D_FISCAL * (1000 + 2000 + 500) / 1000         # economic 2,000 and social 500 per 1,000 fiscal


@pytest.fixture(scope="module")
def comparison():
    return cba.compare([A, B])


def test_hand_checked_increments(comparison):
    assert pytest.approx(47982.45, abs=0.005) == D_COSTS
    assert pytest.approx(50263.46, abs=0.005) == D_FISCAL
    inc = comparison.incremental().set_index("metric")[NAME_B]
    assert inc["pv_costs"] == pytest.approx(D_COSTS, rel=1e-12)
    assert inc["pv_fiscal"] == pytest.approx(D_FISCAL, rel=1e-12)
    assert inc["pv_cashable"] == pytest.approx(D_FISCAL / 2, rel=1e-12)
    assert inc["pv_economic"] == pytest.approx(2 * D_FISCAL, rel=1e-12)
    assert inc["pv_public_value"] == pytest.approx(D_PUBLIC, rel=1e-12)
    assert inc["net_present_budget_impact"] == pytest.approx(D_FISCAL - D_COSTS, rel=1e-12)   # 2,281.01
    assert inc["net_present_public_value"] == pytest.approx(D_PUBLIC - D_COSTS, rel=1e-12)    # 127,939.67
    assert inc["incremental_financial_roi"] == pytest.approx(1.047538, abs=1e-6)             # 50,263.46 / 47,982.45
    assert inc["incremental_public_value_roi"] == pytest.approx(3.666385, abs=1e-6)          # x 3.5


def test_side_by_side_holds_each_options_results(comparison):
    side = comparison.side_by_side().set_index("metric")
    assert list(side.columns) == ["case", "label", "unit", NAME_A, NAME_B]
    a, b = (cba.appraise(p) for p in (A, B))
    for metric in ("pv_costs", "pv_fiscal", "net_present_public_value", "financial_roi", "wrong_pocket_index"):
        assert side.loc[metric, NAME_A] == pytest.approx(a.metrics[metric], rel=1e-12)
        assert side.loc[metric, NAME_B] == pytest.approx(b.metrics[metric], rel=1e-12)
    # A is the method's worked example (docs/method.md, section 8)
    assert side.loc["pv_costs", NAME_A] == pytest.approx(49661.8357, abs=1e-4)
    assert side.loc["pv_costs", NAME_B] == pytest.approx(49661.8357 + D_COSTS, abs=1e-4)


def test_by_agency_shows_who_gains_from_switching(comparison):
    t = comparison.by_agency().set_index(["option", "agency"])
    la, nhs = t.loc[(NAME_B, "local_authority")], t.loc[(NAME_B, "nhs")]
    assert la["delta_pv_costs"] == pytest.approx(40000 * DF1)
    assert la["delta_pv_fiscal"] == pytest.approx(D_FISCAL)
    assert la["delta_net"] == pytest.approx(D_FISCAL - 40000 * DF1)          # +11,616.12
    assert nhs["delta_net"] == pytest.approx(-10000 * DF2)                   # -9,335.11
    assert t.loc[(NAME_A, "nhs"), "delta_net"] == 0.0


def test_reference_by_name_file_stem_or_position():
    for ref in (NAME_B, "two_intakes", str(B), 1):
        c = cba.compare([A, B], reference=ref)
        assert c.reference == NAME_B
        inc = c.incremental().set_index("metric")[NAME_A]
        assert inc["pv_costs"] == pytest.approx(-D_COSTS, rel=1e-12)
        # A costs less and yields less: no incremental ratio
        assert math.isnan(inc["incremental_financial_roi"])
    with pytest.raises(cba.CBAError, match="reference: 'C' is not one of the options"):
        cba.compare([A, B], reference="C")


def test_dominance_notes(comparison):
    assert comparison.incremental().attrs["dominance"] == {NAME_B: "trade-off"}
    # B's benefits without any of its costs dominates A; A's costs with none of its benefits is dominated
    free = cba.load_intervention(B).model_copy(deep=True)
    free.costs[0].amounts, free.costs[1].amounts = [0], [0]
    hollow = cba.load_intervention(A).model_copy(deep=True)
    hollow.outcomes[0].success = 0.0
    c = cba.compare({"A": A, "Free": free, "Hollow": hollow})
    assert c.incremental().attrs["dominance"] == {"Free": "dominates", "Hollow": "dominated"}
    assert "it dominates" in str(c) and "it is dominated" in str(c)
    same = cba.compare({"A": A, "A again": A})
    assert same.incremental().attrs["dominance"] == {"A again": "equivalent"}
    assert "the same costs and public value" in str(same)
    assert (dominance(-1, 1), dominance(1, -1), dominance(1, 1)) == ("dominates", "dominated", "trade-off")
    assert incremental_ratio(3.0, 2.0) == 1.5 and math.isnan(incremental_ratio(3.0, 0.0))


@pytest.mark.parametrize("field,change", [
    ("price_base", {"price_base": "2023/24"}),
    ("horizon", {"horizon": 5}),
    ("discounting", {"discounting": {"rate": 0.05}}),
    ("discounting", {"first_year_discounted": True}),
])
def test_options_must_share_a_footing(field, change):
    other = cba.Intervention.from_dict({**cba.load_intervention(B).to_dict(), **change})
    with pytest.raises(cba.CBAError, match=rf"^{field}: options must share"):
        cba.compare([A, other])


def test_needs_two_options_and_unique_names():
    with pytest.raises(cba.CBAError, match="at least two options"):
        cba.compare([A])
    with pytest.raises(cba.CBAError, match="a list of options"):
        cba.compare(str(A))
    c = cba.compare([A, A])
    assert len(set(c.names)) == 2 and all(n.startswith(NAME_A) for n in c.names)
    c = cba.compare([A, B, cba.load_intervention(A)])
    assert c.names == [f"{NAME_A} (single_intake)", NAME_B, f"{NAME_A} (3)"]


def test_comparison_exports(comparison, tmp_path):
    text = str(comparison)
    assert "Options side by side" in text and "Incremental to the reference option" in text and "£47,982" in text
    md = comparison.to_markdown()
    assert md.startswith("# Options compared") and f"| {NAME_A} | {NAME_B} |" in md
    data = json.loads(comparison.to_json())
    assert data["reference"] == NAME_A and data["options"] == [NAME_A, NAME_B]
    inc = {r["metric"]: r for r in data["incremental"]}
    assert inc["pv_costs"][NAME_B] == pytest.approx(D_COSTS)
    assert len(data["appraisals"]) == 2
    csv = comparison.to_csv().splitlines()
    assert csv[0] == "option,reference,case,metric,unit,value,difference"
    assert len(csv) == 1 + 2 * 15
    path = comparison.to_excel(tmp_path / "options.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Side by side", "Incremental", "By agency", "Provenance", "Charts"]
    row = next(r for r in wb["Incremental"].iter_rows(min_row=2) if r[1].value == "Extra present value of costs")
    assert round(row[2].value, 2) == round(D_COSTS, 2) and row[2].number_format.startswith("£")
    html = comparison._repr_html_()
    # side by side, incremental, and who pays and who saves under each option (issue 12, item 5)
    assert html.count("<table>") == 4
