"""The workbook as a finance officer prints it: a cover sheet, a ledger that reads as a table, numbers as
numbers, display names rather than ids."""

import io

import openpyxl
import pytest

import cba
from cba.outputs.export._formats import to_xlsx
from cba.outputs.export._xlsx import HEADER_ROW, NUMBER_FORMATS

WORKED = "examples/worked_example.yaml"


@pytest.fixture(scope="module")
def worked():
    return cba.appraise(WORKED)


@pytest.fixture(scope="module")
def book(worked):
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(worked, charts=False)))


def cover_rows(ws) -> dict:
    return {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def headers(ws) -> list:
    return [c.value for c in ws[HEADER_ROW] if c.value is not None]


def test_the_cover_sheet_comes_first_with_title_model_price_base_headline_and_contents(book, worked):
    assert book.sheetnames[0] == "Cover"
    ws = book["Cover"]
    assert ws["A1"].value == "Worked example" and ws["A1"].font.b
    rows = cover_rows(ws)
    assert rows["Model file"].value == "worked_example.yaml"
    assert rows["Price base"].value == "2024/25 prices"
    assert rows["Horizon (years)"].value == 4 and rows["Horizon (years)"].data_type == "n"
    # the headline is the engine's figures, as number cells in the workbook's money format
    for label, metric in (("Present value of costs", "pv_costs"), ("Present value of fiscal benefits", "pv_fiscal"),
                          ("Net present public value", "net_present_public_value")):
        cell = rows[label]
        assert cell.data_type == "n" and cell.value == pytest.approx(worked.metrics[metric], rel=1e-12)
        assert cell.number_format == NUMBER_FORMATS["money"]
    assert rows["Present value of costs"].value == pytest.approx(49_661.84, abs=0.01)
    assert not [k for k in rows if "value for money" in str(k).lower()]   # no category unless the model asks
    # the contents: every other sheet, each a link to it
    for name in book.sheetnames[1:]:
        assert name in rows and rows[name].value, name
        assert ws.cell(rows[name].row, 1).hyperlink.location == f"'{name}'!A1"


def test_the_ledger_sheet_shows_no_zero_based_index(book, worked):
    ws = book["Ledger"]
    head = headers(ws)
    assert "Line" not in head and "Year index" not in head
    assert head[:4] == ["Source type", "Cost line or outcome", "Value component", "Year"]
    component = [ws.cell(r, 3).value for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(worked.ledger))]
    outcomes = worked.ledger["component"] >= 0
    # components numbered from 1 within their outcome; costs have none (a blank cell)
    assert sorted({c for c in component if c is not None}) == sorted(set(worked.ledger["component"][outcomes] + 1))
    assert min(c for c in component if c is not None) == 1
    # text beside a number is left-aligned, so its indent keeps it apart from the number
    year = ws.cell(HEADER_ROW + 1, 4)
    assert year.alignment.horizontal == "left" and year.alignment.indent == 1


def test_assumption_sheets_show_names_and_words_not_ids(book):
    costs = book["Cost lines"]
    assert headers(costs)[0] == "Cost line" and "Field" not in headers(costs)
    kinds = {costs.cell(r, headers(costs).index("Kind") + 1).value for r in range(HEADER_ROW + 1, costs.max_row)}
    assert "In kind" in kinds and "in_kind" not in kinds
    units = book["Unit values"]
    assert "Field" not in headers(units)
    texts = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("costs[", "outcomes[")) or t in ("in_kind", "hmt_2026_03")]
    provenance = {r[0].value: r[1] for r in book["Provenance"].iter_rows(min_row=HEADER_ROW + 1) if r[0].value}
    assert provenance["Deflator"].value.startswith("HM Treasury GDP deflators")
    assert provenance["Horizon (years)"].value == 4 and provenance["Horizon (years)"].data_type == "n"
    assert provenance["Value for money bands"].value.startswith("none: the model asks for no value for money")


def test_a_value_for_money_category_on_the_cover_is_named_for_its_basis_and_not_a_verdict():
    from cba.model._value_for_money import NOT_A_VERDICT

    model = cba.load_intervention(WORKED).model_copy(update={"value_for_money": "dft"})
    a = cba.appraise(model)
    assert a.value_for_money == "very high"              # public value ROI above 4 in the DfT bands
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(a, charts=False)))
    ws = book["Cover"]
    values = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(1, ws.max_row + 1)]
    at = next(i for i, (k, _) in enumerate(values) if k and "DfT value for money category" in k)
    assert values[at][1] == "very high" and values[at + 1][1] == NOT_A_VERDICT
    provenance = {r[0].value: r[1] for r in book["Provenance"].iter_rows(min_row=HEADER_ROW + 1) if r[0].value}
    assert provenance["Value for money bands"].value.startswith("DfT value for money category (transport schemes)")


def test_a_cashable_share_is_a_percentage_cell(tmp_path):
    model = cba.load_intervention(WORKED).model_copy(deep=True)
    model.outcomes[0].cashable = 0.5
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(cba.appraise(model), charts=False)))
    ws = wb["Outcomes"]
    col = headers(ws).index("Cashable override") + 1
    cell = ws.cell(HEADER_ROW + 1, col)
    assert cell.value == 0.5 and cell.data_type == "n" and "%" in cell.number_format
    # the JSON keeps its contract: the override as text
    assert cba.appraise(model).to_dict()["assumptions"]["outcomes"][0]["cashable"] == "0.5"
