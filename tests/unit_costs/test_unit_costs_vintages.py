"""The workbook reader across database vintages, on small workbooks built here.

Layouts (see :mod:`cba.unit_costs._workbook` for what is known of each):

* early fiscal-only (v1.0-v1.2 style): one header row under title rows, a fiscal
  value only, headed "Cost/saving" or "Fiscal cost (£)" with a "Price year";
* v1.2: a fiscal value only, the unit after the agencies (also in
  test_unit_costs_workbook.py);
* v1.4 with extra sheets that are not theme sheets but carry a cost code column: an
  index, a summary placed before the theme sheets, a database merged by local
  area, a workings sheet; each is skipped with a data note, and the theme sheet's
  rows are the ones read.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

openpyxl = pytest.importorskip("openpyxl")

from cba.core._errors import CBAError  # noqa: E402
from cba.unit_costs import read_csv, read_workbook  # noqa: E402

from .test_unit_costs_workbook import make_v14  # noqa: E402


def make_fiscal_only(path, *, value_header="Cost/saving", year_header="Price year", title_rows=3):
    """An early fiscal-only layout: title rows, then one header row, no economic or social value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Crime"
    for i in range(title_rows):
        ws.append([f"New Economy Unit Cost Database - title line {i + 1}"] if i == 0 else [])
    ws.append(["Outcome category", "Cost code", "Cost / saving detail", "Agency", "Unit", value_header,
               year_header, "Source", "Comment"])
    ws.append(["CRIME", "CR1.0", "Anti-social behaviour", "Police", "Per incident", 500, "2002/03", "LSE", None])
    ws.append(["CRIME", "CR1.1", "No further action", "Police", "Per incident", 35, "2002/03", "LSE", None])
    ws.append([None, None, None, None, None, None, None, None, None])
    wb.save(path)
    return path


@pytest.mark.parametrize("value_header, year_header, title_rows", [
    ("Cost/saving", "Price year", 3),
    ("Fiscal cost (£)", "Year", 0),
    ("Unit cost", "Price base", 12),
])
def test_reads_fiscal_only_layouts(tmp_path, value_header, year_header, title_rows):
    path = make_fiscal_only(tmp_path / "unit-cost-database-v1.0.xlsx", value_header=value_header,
                            year_header=year_header, title_rows=title_rows)
    data = read_workbook(path)
    assert data.version == "1.0"
    assert [c.code for c in data.costs] == ["CR1.0", "CR1.1"]
    cr = data.costs[0]
    assert cr.value_types == ("fiscal",)
    assert (cr.fiscal.value, cr.fiscal.price_year, cr.agency, cr.unit) == (500.0, "2002/03", "police", "Per incident")


def add_extra_sheets(path):
    wb = openpyxl.load_workbook(path)
    # a summary placed before the theme sheets, repeating a code with another value
    summary = wb.create_sheet("Summary", 0)
    summary.append(["Cost code", "Cost / saving detail", "Estimated cost/saving", "Year"])
    summary.append(["E&E1.0", "JSA (summary copy)", 1, "2012/13"])
    index = wb.create_sheet("Index")
    index.append(["Theme", "Cost code", "Cost / saving detail"])
    index.append(["Employment & Economy", "E&E1.0", "Job Seeker's Allowance"])
    area = wb.create_sheet("Bolton")
    area.append(["Local authority", "Cost code", "Cost / saving detail", "Estimated cost/saving", "Year"])
    area.append(["Bolton", "E&E1.0", "JSA in Bolton", 9000, "2012/13"])
    workings = wb.create_sheet("Workings")
    workings.append(["Cost code", "Numerator", "Denominator"])
    workings.append(["E&E1.0", 98000, 10])
    odd = wb.create_sheet("Extra costs")  # not a theme name: lacks the description column
    odd.append(["Cost code", "Estimated cost/saving", "Year"])
    odd.append(["E&E9.0", 12, "2012/13"])
    wb.save(path)
    return path


def test_sheets_that_are_not_theme_sheets_are_skipped_with_a_note(tmp_path):
    path = add_extra_sheets(make_v14(tmp_path / "unit-cost-database-v1.4.xlsx"))
    data = read_workbook(path)
    assert [c.code for c in data.costs] == ["E&E1.0", "E&E1.0.1", "E&E1.0.2", "E&E1.6"]
    e = data.costs[0]
    assert (e.sheet, e.fiscal.value) == ("Employment & Economy", 9800.0)  # not the summary's copy
    skipped = {n.message.split("'")[1] for n in data.notes if n.kind == "skipped_sheet"}
    assert skipped == {"Summary", "Index", "Bolton", "Workings", "Extra costs", "v1.4 update log"}
    bolton = next(n.message for n in data.notes if n.kind == "skipped_sheet" and "Bolton" in n.message)
    assert "merged by local area" in bolton
    assert not any(n.kind == "duplicate_code" for n in data.notes)


def test_a_theme_sheet_missing_a_column_is_still_an_error(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Housing"
    ws.append(["Cost code", "Estimated cost/saving", "Year"])
    ws.append(["HO1.0", 6680, "2010/11"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(CBAError, match=r"sheet 'Housing'.*description"):
        read_workbook(tmp_path / "bad.xlsx")


@pytest.mark.parametrize("layout", ["fiscal_only", "extra_sheets"])
def test_unit_costs_import_reads_each_layout(tmp_path, layout):
    if layout == "fiscal_only":
        path = make_fiscal_only(tmp_path / "unit-cost-database-v1.0.xlsx")
        codes = ["CR1.0", "CR1.1"]
    else:
        path = add_extra_sheets(make_v14(tmp_path / "unit-cost-database-v1.4.xlsx"))
        codes = ["E&E1.0", "E&E1.0.1", "E&E1.0.2", "E&E1.6"]
    out = tmp_path / "out.csv"
    run = subprocess.run([sys.executable, "-m", "cba", "unit-costs", "import", str(path), "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    costs = read_csv(out)
    assert [c.code for c in costs] == codes
