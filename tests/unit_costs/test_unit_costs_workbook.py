"""The workbook reader on small workbooks built here with openpyxl, in both layouts.

The v1.4 layout (agencies before the fiscal, economic and social value groups,
two header rows, merged group headers) and the v1.2 layout (fiscal value only,
the unit after the agencies, no value-type group header) are read by the same
code, which finds columns from the header text. These tests run anywhere; the
tests against the official workbook are in test_unit_costs_shipped.py.
"""

from __future__ import annotations

import pytest

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.comments import Comment  # noqa: E402

from cba.core._errors import CBAError  # noqa: E402
from cba.unit_costs import UnitCostDatabase, read_lookups_deflator, read_workbook  # noqa: E402
from cba.unit_costs._layout import find_layout  # noqa: E402

V14_HEAD_1 = ["Outcome category", "Outcome detail", "Cost code", "Cost / saving detail", "Unit",
              "Agency bearing the cost / making the fiscal saving", None, "Fiscal value", None, None,
              "Economic value", None, None, "Social value", None, None, "Original source", "RAG assessment",
              "Comment", "v.1.4 revisions", None]
V14_HEAD_2 = [None, None, None, None, None, "Level 1", "Level 2", "Estimated cost/saving", "Year",
              "Updated cost/saving", "Estimated cost/saving", "Year", "Updated cost/saving",
              "Estimated cost/saving", "Year", "Updated cost/saving", None, None, None, "New / update",
              "Changes made"]
UPDATED = ('=IF({c}{r}>0,({c}{r}*VLOOKUP(Lookups!$K$11,Lookups!$M$10:$P$40,4,0)'
           '/VLOOKUP({y}{r},Lookups!$M$10:$P$40,4,0)),"")')


def v14_row(r, theme, detail, code, desc, unit, l1, l2, fiscal=None, economic=None, social=None,
            source="A source", rag="G", comment=None):
    def trio(value, col, ycol, ucol):
        if value is None:
            return [None, None, UPDATED.format(c=col, y=ycol, r=r)]
        amount, year = value
        return [amount, year, UPDATED.format(c=col, y=ycol, r=r)]
    return [theme, detail, code, desc, unit, l1, l2, *trio(fiscal, "H", "I", "J"), *trio(economic, "K", "L", "M"),
            *trio(social, "N", "O", "P"), source, rag, comment, None, None]


def add_lookups(wb, with_index=False, current="2015/16"):
    ws = wb.create_sheet("Lookups")
    ws["B2"] = "Cost Database - Lookups"
    ws["M4"] = ("• GDP Lookup Tables are based on 'GDP deflators at market prices, and money GDP: March 2015 "
                "(Budget 2015)', released on 19 March 2015")
    ws["K9"], ws["M9"], ws["N9"], ws["P9"] = "Current Year", "Year", "% change on previous year", "GDP cumulative"
    ws["K11"] = current
    pct = {"2010/11": 2.768, "2011/12": 1.79, "2012/13": 1.614, "2013/14": 2.123, "2014/15": 1.7, "2015/16": 1.4}
    index = 100.0
    for i, (year, p) in enumerate(pct.items()):
        r = 10 + i
        ws.cell(r, 13, year)
        ws.cell(r, 14, p)
        if i:
            index = (1 + p / 100) * index
        ws.cell(r, 16, index if with_index else (100 if i == 0 else f"=(1+N{r}/100)*P{r - 1}"))
        if year >= "2014/15":
            ws.cell(r, 12, "f")
    return pct


def make_v14(path, rows=None, *, with_index=False, intro="Unit Cost Database (v.1.4) - Introduction"):
    wb = openpyxl.Workbook()
    intro_ws = wb.active
    intro_ws.title = "Introduction"
    intro_ws["C2"] = intro
    ws = wb.create_sheet("Employment & Economy")
    ws.append(V14_HEAD_1)
    ws.append(V14_HEAD_2)
    for rng in ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:G1", "H1:J1", "K1:M1", "N1:P1", "Q1:Q2",
                "R1:R2", "S1:S2", "T1:U1"):
        ws.merge_cells(rng)
    rows = rows if rows is not None else [
        ("EMPLOYMENT & ECONOMY", "BENEFITS", "E&E1.0", "Job Seeker's Allowance \nFiscal and economic benefit",
         "Per claimant per year", "Multiple", "DWP", (9800, "2012/13"), (14044, "2012/13")),
        ("EMPLOYMENT & ECONOMY", "BENEFITS", "E&E1.0.1", "JSA - benefits payments", "Per claimant per year",
         "DWP", "HM Treasury", (9234, "2012/13")),
        ("EMPLOYMENT & ECONOMY", "BENEFITS", "E&E1.0.2", "JSA - improved health", "Per claimant per year",
         "NHS", None, (566, "2012/13")),
        ("EMPLOYMENT & ECONOMY", "BENEFITS", "E&E1.6", "Cost of processing each new claim", "Per claim",
         "dwp", "JCP", (71, "2012/13")),
    ]
    for i, row in enumerate(rows):
        ws.append(v14_row(3 + i, *row))
    add_lookups(wb, with_index=with_index)
    wb.create_sheet("v1.4 update log").append([None, "Database theme", "Cost code", "Revisions"])
    wb.save(path)
    return path


def make_v12(path, *, two_rows=True):
    """The v1.2 layout: fiscal value only, unit after the agencies, no value-type group."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Crime"
    if two_rows:
        ws.append(["Outcome category", "Outcome detail", "Cost code", "Cost / saving detail",
                   "Agency making the saving", None, "Unit", None, None, None, "Original source", "RAG", "Comment"])
        ws.append([None, None, None, None, "Level 1", "Level 2", None, "Estimated cost/saving", "Year",
                   "Updated cost/saving"])
        ws.merge_cells("E1:F1")
    else:
        ws.append(["Outcome category", "Outcome detail", "Cost code", "Cost / saving detail", "Agency",
                   "Unit", "Estimated cost/saving", "Year", "Updated cost/saving", "Original source", "RAG",
                   "Comment"])
    data = [("CRIME", "ANTI-SOCIAL BEHAVIOUR", "CR1.0", "Anti-social behaviour", "Police", "Local authority",
             "Per incident", 500, "2002/03"),
            ("CRIME", "ANTI-SOCIAL BEHAVIOUR", "CR1.1", "No further action", "Police", None, "Per incident", 35,
             "2002/03")]
    for theme, detail, code, desc, l1, l2, unit, value, year in data:
        if two_rows:
            ws.append([theme, detail, code, desc, l1, l2, unit, value, year, None, "LSE", "R", None])
        else:
            ws.append([theme, detail, code, desc, l1, unit, value, year, None, "LSE", "R", None])
    wb.save(path)
    return path


# ---------------------------------------------------------------- v1.4 layout
def test_reads_every_coded_row_with_its_fields(tmp_path):
    data = read_workbook(make_v14(tmp_path / "ucd-v1.4.xlsx"))
    assert data.version == "1.4" and data.title == "GMCA Unit Cost Database v1.4"
    assert [c.code for c in data.costs] == ["E&E1.0", "E&E1.0.1", "E&E1.0.2", "E&E1.6"]
    head = data.costs[0]
    assert head.theme == "EMPLOYMENT & ECONOMY" and head.outcome_detail == "BENEFITS"
    assert head.description == "Job Seeker's Allowance / Fiscal and economic benefit"
    assert head.unit == "Per claimant per year"
    assert (head.agency_level_1, head.agency_level_2, head.agency) == ("Multiple", "DWP", "dwp")
    assert head.value_types == ("fiscal", "economic")
    assert (head.fiscal.value, head.fiscal.price_year) == (9800.0, "2012/13")
    assert (head.economic.value, head.economic.price_year) == (14044.0, "2012/13")
    assert head.source == "A source" and head.rag == "G"
    assert (head.level, head.parent) == ("headline", None)
    kid = data.costs[1]
    assert (kid.level, kid.parent, kid.agency) == ("constituent", "E&E1.0", "dwp")
    assert data.costs[3].level == "subsidiary"
    assert data.costs[3].agency == "dwp"  # agency names match whatever their case
    assert (head.sheet, head.row) == ("Employment & Economy", 3)


def test_columns_are_found_from_header_text_not_position(tmp_path):
    path = make_v14(tmp_path / "ucd-v1.4.xlsx")
    wb = openpyxl.load_workbook(path)
    layout = find_layout(wb["Employment & Economy"])
    assert layout.columns["code"] == 3 and layout.columns["unit"] == 5
    assert layout.columns["agency_level_1"] == 6 and layout.columns["agency_level_2"] == 7
    assert layout.values == {"fiscal": {"value": 8, "year": 9, "updated": 10},
                             "economic": {"value": 11, "year": 12, "updated": 13},
                             "social": {"value": 14, "year": 15, "updated": 16}}
    assert layout.data_row == 3
    assert find_layout(wb["Lookups"]) is None and find_layout(wb["v1.4 update log"]) is None


def test_a_shuffled_layout_without_merged_headers_reads_the_same(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Health"
    ws.append(["Social value", None, None, "Cost code", "Unit", "Fiscal value", None, None, "Comment",
               "Cost / saving detail", "Agency bearing the cost", None, "Outcome category"])
    ws.append(["Estimated cost/saving", "Year", "Updated cost/saving", None, None, "Estimated cost/saving", "Year",
               "Updated cost/saving", None, None, "Level 1", "Level 2", None])
    ws.append([300, "2013/14", None, "HE1.0", "Per visit", 120, "2013/14", None, "note", "A visit", "NHS", "GP",
               "HEALTH"])
    wb.save(tmp_path / "shuffled.xlsx")
    (c,) = read_workbook(tmp_path / "shuffled.xlsx").costs
    assert (c.code, c.description, c.unit, c.theme, c.comment) == ("HE1.0", "A visit", "Per visit", "HEALTH", "note")
    assert (c.agency_level_1, c.agency_level_2, c.agency) == ("NHS", "GP", "nhs")
    assert (c.fiscal.value, c.social.value, c.social.price_year) == (120.0, 300.0, "2013/14")


def test_lookups_deflator_is_chained_when_the_workbook_has_no_cached_index(tmp_path):
    path = make_v14(tmp_path / "ucd-v1.4.xlsx", with_index=False)
    d = read_lookups_deflator(path)
    assert d.name == "gmca_v1_4" and d.base == "2010/11"
    assert d.value("2011/12") == pytest.approx(101.79, rel=1e-14)               # 100 * 1.0179
    assert d.value("2012/13") == pytest.approx(100 * 1.0179 * 1.01614, rel=1e-14)
    assert d.forecast == frozenset({"2014/15", "2015/16"})
    assert "Budget 2015" in d.vintage
    data = read_workbook(path)
    assert data.current_year == "2015/16" and data.costs[0].fiscal.updated_year == "2015/16"
    # openpyxl wrote formulas without results, so there is no cached updated value
    assert data.costs[0].fiscal.updated_value is None


def test_lookups_deflator_uses_cached_index_values(tmp_path):
    d = read_lookups_deflator(make_v14(tmp_path / "ucd-v1.4.xlsx", with_index=True))
    assert d.value("2011/12") == pytest.approx(101.79, rel=1e-14)


def test_transfer_comment_with_an_amount_flags_the_matching_constituent(tmp_path):
    path = make_v14(tmp_path / "ucd-v1.4.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Employment & Economy"]["H3"].comment = Comment(
        "When calculating total public value, the £9,234 fiscal benefit to DWP should be excluded, as it is a "
        "transfer payment.  Total public value is £14,610 (2012/13 prices).", "test")
    wb.save(path)
    data = read_workbook(path, further_transfers={})
    by = {c.code: c for c in data.costs}
    assert by["E&E1.0.1"].fiscal.transfer == "yes"
    assert by["E&E1.0"].fiscal.transfer == "part"
    assert by["E&E1.0.2"].fiscal.transfer == "no" and by["E&E1.6"].fiscal.transfer == "no"
    assert "£9,234" in by["E&E1.0"].fiscal.note
    assert not [n for n in data.notes if n.kind == "public_value_check"]  # 566 + 14,044 = 14,610


def test_transfer_comment_without_amount_flags_the_whole_value(tmp_path):
    path = make_v14(tmp_path / "ucd-v1.4.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Employment & Economy"]["H6"].comment = Comment("the fiscal benefit should be excluded, as it is a "
                                                       "transfer payment.", "test")
    wb.save(path)
    by = {c.code: c for c in read_workbook(path, further_transfers={}).costs}
    assert by["E&E1.6"].fiscal.transfer == "yes"


def test_wrong_stated_public_value_is_a_data_note(tmp_path):
    path = make_v14(tmp_path / "ucd-v1.4.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Employment & Economy"]["H3"].comment = Comment(
        "the £9,234 fiscal benefit to DWP should be excluded, as it is a transfer payment. Total public value "
        "is £15,000 (2012/13 prices).", "test")
    wb.save(path)
    notes = read_workbook(path, further_transfers={}).notes
    assert [n.code for n in notes if n.kind == "public_value_check"] == ["E&E1.0"]


def test_further_transfer_list_applies_and_parents_follow(tmp_path):
    data = read_workbook(make_v14(tmp_path / "ucd-v1.4.xlsx"),
                         further_transfers={"E&E1.0.1": "benefit payments", "E&E1.0.2": "test", "X9.9": "absent"})
    by = {c.code: c for c in data.costs}
    assert by["E&E1.0.1"].fiscal.transfer == "yes" and "benefit payments" in by["E&E1.0.1"].fiscal.transfer_basis
    assert by["E&E1.0"].fiscal.transfer == "yes"  # every constituent of the split is a transfer
    assert [n.code for n in data.notes if n.kind == "transfer_list"] == ["X9.9"]


def test_version_without_a_transfer_list_gets_a_note(tmp_path):
    path = make_v14(tmp_path / "book.xlsx", intro="Unit Cost Database (v.3.0) - Introduction")
    data = read_workbook(path)
    assert data.version == "3.0" and data.title == "GMCA Unit Cost Database v3.0"
    assert any(n.kind == "transfer_list" and "3.0" in n.message for n in data.notes)
    assert all(c.fiscal.transfer == "no" for c in data.costs)  # v1.4's list is not applied to v3.0 codes


def test_formula_values_blank_codes_and_unknown_agencies_are_noted(tmp_path):
    rows = [
        ("FIRE", "-", "FI1.0", "A fire", "Per incident", "Multiple", "Multiple", ("=100*2", "2008/09")),
        ("FIRE", "-", None, "An uncoded row with a value", "Per incident", "Fire Service", None, (50, "2008/09")),
        ("FIRE", "-", "FI2.0", "Mars", "Per incident", "Mars Agency", None, (10, "2008/09")),
        ("FIRE", "-", "FI3.0", "No year", "Per incident", "Fire Service", None, (10, None)),
        ("FIRE", "-", "FI4.0", "Text value", "Per incident", "Fire Service", None, ("n/a", "2008/09")),
        ("FIRE", "-", "FI2.0", "Duplicate", "Per incident", "Fire Service", None, (10, "2008/09")),
    ]
    data = read_workbook(make_v14(tmp_path / "ucd-v1.4.xlsx", rows=rows))
    kinds = {(n.code, n.kind) for n in data.notes}
    assert ("FI1.0", "no_cached_value") in kinds       # a formula openpyxl saved without its result
    assert ("", "blank_code") in kinds
    assert ("FI2.0", "unknown_agency") in kinds
    assert ("FI3.0", "no_price_year") in kinds
    assert ("FI4.0", "not_a_number") in kinds
    assert ("FI2.0", "duplicate_code") in kinds
    by = {c.code: c for c in data.costs}
    assert by["FI2.0"].agency == "other" and by["FI2.0"].description == "Mars"
    assert by["FI1.0"].fiscal is None and by["FI3.0"].fiscal.price_year is None


def test_database_from_workbook(tmp_path):
    db = UnitCostDatabase.from_workbook(make_v14(tmp_path / "ucd-v1.4.xlsx"))
    assert len(db) == 4 and db.version == "1.4" and db.deflator == "gmca_v1_4"
    assert [c.code for c in db.fiscal_split("E&E1.0")] == ["E&E1.0.1", "E&E1.0.2"]


# ---------------------------------------------------------------- v1.2 layout
@pytest.mark.parametrize("two_rows", [True, False])
def test_reads_the_v1_2_layout(tmp_path, two_rows):
    data = read_workbook(make_v12(tmp_path / "unit-cost-database-v1.2.xlsx", two_rows=two_rows))
    assert data.version == "1.2"  # from the file name: this workbook has no introduction
    assert [c.code for c in data.costs] == ["CR1.0", "CR1.1"]
    cr = data.costs[0]
    assert cr.value_types == ("fiscal",)
    assert (cr.fiscal.value, cr.fiscal.price_year) == (500.0, "2002/03")
    assert cr.unit == "Per incident" and cr.agency == "police" and cr.rag == "R" and cr.source == "LSE"
    assert data.deflator is None and any(n.kind == "no_deflator" for n in data.notes)


# ---------------------------------------------------------------- errors
def test_missing_year_column_is_an_error_naming_the_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Health"
    ws.append(["Cost code", "Cost / saving detail", "Estimated cost/saving"])
    ws.append(["HE1.0", "A visit", 100])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(CBAError, match=r"sheet 'Health'.*'Year'"):
        read_workbook(tmp_path / "bad.xlsx")


def test_not_a_workbook_and_missing_file(tmp_path):
    (tmp_path / "x.xlsx").write_text("not a zip")
    with pytest.raises(CBAError, match=r"not a readable \.xlsx"):
        read_workbook(tmp_path / "x.xlsx")
    with pytest.raises(CBAError, match="no such file"):
        read_workbook(tmp_path / "absent.xlsx")
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(CBAError, match="no theme sheet"):
        read_workbook(tmp_path / "empty.xlsx")
