"""The Excel workbooks a finance team prints: the appraisal's (``cba appraise -o x.xlsx``),
the partnership's (``cba partnership -o x.xlsx``) and the comparison's.

Every sheet is opened with openpyxl and checked for what a board pack needs: a
title block (intervention, table, what the figures are with the price base); A4
print set-up (orientation by width, one page wide, the header row repeated, a
footer with the intervention and page numbers); whole-pound formats with negatives
in brackets; numbers stored as numbers (a blank cell and a footnote where a value
is none); agency names, not ids, and Yes/No, not True/False; filterable Excel
tables; and a sheet of charts. LibreOffice prints the workbook to PDF and the
summary takes exactly one page. Without LibreOffice (``soffice``) that test is
skipped locally and fails under CI (``.ci/run`` installs it).
"""

from __future__ import annotations

import io
import re
import unicodedata

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import cba
from cba.outputs.export._formats import to_xlsx
from cba.outputs.export._partnership import to_xlsx as deal_xlsx
from cba.outputs.export._xlsx import HEADER_ROW, NONE_FOOTNOTE, NUMBER_FORMATS, PORTRAIT_LIMIT

from ..conftest import EXAMPLES
from ..support.browser import required_tool
from ..support.libreoffice import print_to_pdf

MONEY = NUMBER_FORMATS["money"]
OPTIONS = [EXAMPLES / "options" / "single_intake.yaml", EXAMPLES / "options" / "two_intakes.yaml"]
APPRAISALS = {"worked_example": EXAMPLES / "worked_example.yaml",
              "gm_working_well": EXAMPLES / "gm_working_well" / "model.yaml",       # payback none, transfers
              "outcomes_contract": EXAMPLES / "partnership" / "outcomes_contract" / "model.yaml"}


def book(kind: str):
    """(workbook, appraisals it is about, its heading)."""
    if kind in APPRAISALS:
        a = cba.appraise(APPRAISALS[kind])
        return openpyxl.load_workbook(io.BytesIO(to_xlsx(a))), [a], a.intervention.name
    if kind == "partnership":
        a = cba.appraise(EXAMPLES / "partnership" / "back_to_work" / "model.yaml")
        return openpyxl.load_workbook(io.BytesIO(deal_xlsx(a.partnership()))), [a], a.intervention.name
    c = cba.compare(OPTIONS)
    return (openpyxl.load_workbook(io.BytesIO(c.to_xlsx_bytes())), c.appraisals,
            f"Options compared: {'; '.join(c.names)}")


KINDS = [*APPRAISALS, "partnership", "comparison"]


@pytest.fixture(scope="module", params=KINDS)
def workbook(request):
    return book(request.param)


def tables(wb):
    return [ws for ws in wb if ws.title not in ("Charts", "Cover")]


def width(ws) -> float:
    return sum(ws.column_dimensions[get_column_letter(j)].width or 8 for j in range(1, ws.max_column + 1))


def test_every_sheet_opens_with_a_title_block(workbook):
    wb, appraisals, heading = workbook
    price_base = appraisals[0].intervention.price_base
    for ws in wb:
        assert ws["A1"].value == heading and ws["A1"].font.b, ws.title
        assert ws["A2"].value and ws["A2"].font.b, ws.title
        assert price_base in ws["A3"].value, ws.title
        assert any(w in ws["A3"].value for w in ("present value", "Present value", "real terms", "Real terms",
                                                 "as entered", "Where")), ws.title
    summary = next(iter(wb))
    if summary.title == "Summary":
        assert "after optimism bias" in summary["A3"].value and "discounted to year 0" in summary["A3"].value


def test_every_sheet_prints_on_a4_one_page_wide_with_footer(workbook):
    wb, _, heading = workbook
    for ws in wb:
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1, ws.title
        assert setup.orientation == ("portrait" if width(ws) <= PORTRAIT_LIMIT else "landscape"), ws.title
        one_page = ws.title in ("Cover", "Summary", "Side by side", "Partners")
        assert setup.fitToHeight == (1 if one_page else 0), ws.title
        footer = ws.oddFooter
        assert footer.left.text.replace("&&", "&").rstrip("…") in heading
        assert "&P" in footer.right.text and "&N" in footer.right.text and footer.center.text == "&A"
        if ws.title not in ("Charts", "Cover"):
            assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", ws.title
            assert ws.freeze_panes == f"A{HEADER_ROW + 1}", ws.title


def test_tidy_sheets_are_filterable_excel_tables(workbook):
    wb, _, _ = workbook
    for ws in tables(wb):
        headings = [c.value for c in ws[HEADER_ROW] if c.value is not None]
        assert headings and all(isinstance(h, str) for h in headings), ws.title
        assert len(set(headings)) == len(headings), ws.title
        (table,) = ws.tables.values()
        first, last = table.ref.split(":")
        assert first == f"A{HEADER_ROW}", ws.title
        assert last == f"{get_column_letter(len(headings))}{int(re.sub(r'[A-Z]', '', last))}"
        assert ws.auto_filter.ref is None                   # the table filters; no second filter


def test_numbers_are_numbers_in_whole_pounds_with_brackets(workbook):
    wb, appraisals, _ = workbook
    ids = {a for x in appraisals for a in x.compiled.agencies}
    names = {x.intervention.agency_names.get(a, a) for x in appraisals for a in ids}
    money = 0
    for ws in tables(wb):
        (table,) = ws.tables.values()
        last = int(re.sub(r"[A-Z]", "", table.ref.split(":")[1]))
        for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=last):
            for c in row:
                assert not isinstance(c.value, bool), (ws.title, c.coordinate, c.value)
                assert c.value not in ("True", "False", "none", "None"), (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value not in names:
                    assert c.value not in ids, (ws.title, c.coordinate, c.value)   # a name, not an id
                if c.number_format == MONEY:
                    money += 1
                    assert isinstance(c.value, (int, float)), (ws.title, c.coordinate)
    assert money > 10
    assert "0.00" not in MONEY and "(£#,##0)" in MONEY


def test_a_value_that_is_none_is_a_blank_cell_with_a_footnote():
    wb, (a,), _ = book("gm_working_well")
    assert a.metrics["payback_period"] is None
    ws = wb["Summary"]
    row = next(r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[1].value == "Payback period (years)")
    assert row[2].value is None
    assert NONE_FOOTNOTE in [c.value for c in ws["A"]]
    ledger = wb["Ledger"]
    heads = [c.value for c in ledger[HEADER_ROW]]
    transfer = [ledger.cell(r, heads.index("Transfer") + 1).value for r in range(HEADER_ROW + 1, HEADER_ROW + 5)]
    assert set(transfer) <= {"Yes", "No"} and "Yes" in [c.value for c in ledger["J"]]
    agencies = {ledger.cell(r, heads.index("Agency") + 1).value for r in range(HEADER_ROW + 1, ledger.max_row)}
    assert "DWP" in agencies and "dwp" not in agencies and "gmca" not in agencies


def test_a_sheet_of_charts(workbook):
    wb, appraisals, _ = workbook
    charts = wb["Charts"]
    expected = {"comparison": len(appraisals)}.get(wb.properties.title)
    assert len(charts._images) >= (expected or 2)
    captions = [c.value for c in charts["A"] if isinstance(c.value, str)]
    assert len(captions) >= len(charts._images) + 3                 # title block and a caption per chart


# ---------------------------------------------------------------- printed by LibreOffice
def soffice() -> str:
    return required_tool(("soffice", "libreoffice"), "libreoffice-calc-nogui", "LibreOffice")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("kind", ["worked_example", "gm_working_well", "comparison"])
def test_the_summary_prints_on_one_a4_page(kind, tmp_path):
    from pypdf import PdfReader

    exe = soffice()
    wb, _, heading = book(kind)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    pdf = print_to_pdf(exe, path, tmp_path)
    pages = [squash(p.extract_text()) for p in PdfReader(pdf).pages]
    first = wb.sheetnames[0]
    total = len(pages)
    on_first = [i for i, text in enumerate(pages, start=1) if f"{squash(first)}Page{i}of{total}" in text]
    assert on_first == [1], f"the {first} sheet printed on pages {on_first}"
    second = wb.sheetnames[1]
    assert f"{squash(second)}Page2of{total}" in pages[1]
    assert squash(wb[first]["A2"].value) in pages[0]
    footer = squash(wb[first].oddFooter.left.text.replace("&&", "&"))
    assert footer and all(footer in text for text in pages)          # the intervention on every page
    assert squash(heading) in pages[0]
