"""Issue 19, item 8: the importer reads numbers strictly.

Text cells that spell non-finite numbers (``nan``, ``1e400``, ``-Infinity``) or numbers in a
malformed or foreign format (``9,80``, ``1.234,5``) are reported in the notes and left out,
never written as values that cba itself then refuses (or, worse, reads as 980 and 1.2345).
"""

from __future__ import annotations

import csv
import io

import pytest

from cba.cli._main import main
from cba.core._errors import CBAError
from cba.unit_costs._candidates import exclusion_reason
from cba.unit_costs._cells import read_amount
from cba.unit_costs._tidy_csv import read_csv_text
from cba.unit_costs._workbook import read_workbook

from .test_unit_costs_workbook import make_v14

BAD = {"FI1.0": "nan", "FI2.0": "1e400", "FI3.0": "-Infinity", "FI4.0": "9,80", "FI5.0": "1.234,5",
       "FI6.0": "1_000", "FI7.0": "12 345"}
GOOD = {"FI8.0": ("£1,234.50", 1234.5), "FI9.0": ("9.80", 9.8), "FI10.0": (" 2,500 ", 2500.0),
        "FI11.0": ("1.5e3", 1500.0), "FI12.0": (71, 71.0)}


def _rows():
    rows = [("FIRE", "-", code, f"Cost {code}", "Per incident", "Fire Service", None, (text, "2008/09"))
            for code, text in BAD.items()]
    rows += [("FIRE", "-", code, f"Cost {code}", "Per incident", "Fire Service", None, (text, "2008/09"))
             for code, (text, _) in GOOD.items()]
    return rows


@pytest.fixture
def book(tmp_path):
    return make_v14(tmp_path / "ucd-v1.4.xlsx", rows=_rows())


def test_text_cells_that_are_not_finite_english_numbers_are_noted_and_left_out(book):
    data = read_workbook(book)
    notes = {n.code: n.message for n in data.notes if n.kind == "not_a_number"}
    assert sorted(notes) == sorted(BAD)
    assert notes["FI1.0"] == "the fiscal value 'nan' is not a finite number; it was left out"
    assert notes["FI2.0"] == "the fiscal value '1e400' is not a finite number; it was left out"
    assert notes["FI3.0"] == "the fiscal value '-Infinity' is not a finite number; it was left out"
    assert notes["FI4.0"].startswith("the fiscal value '9,80' is not a number in the form 1,234.56 (a decimal comma")
    assert "'1.234,5' is not a number in the form 1,234.56" in notes["FI5.0"]
    by = {c.code: c for c in data.costs}
    assert all(by[code].fiscal is None for code in BAD)
    assert {code: by[code].fiscal.value for code in GOOD} == {code: v for code, (_, v) in GOOD.items()}


def test_the_import_command_writes_only_finite_values_and_notes_the_rest(book, tmp_path, capsys):
    out, notes = tmp_path / "ucd.csv", tmp_path / "notes.csv"
    assert main(["unit-costs", "import", str(book), "-o", str(out), "--notes", str(notes)]) == 0
    values = {r["code"]: r["value"] for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert {values.get(code, "") for code in BAD} == {""}     # the code is kept, without a value
    assert values["FI8.0"] == "1234.5" and values["FI10.0"] == "2500"
    noted = {r["code"] for r in csv.DictReader(io.StringIO(notes.read_text())) if r["kind"] == "not_a_number"}
    assert noted == set(BAD)
    # what cba wrote, cba reads back
    assert len(read_csv_text(out.read_text(), "ucd.csv")) == len(values)


HEADER = "code,value_type,value,price_year,updated_value,description,agency,transfer\n"


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "1e400", "9,80", "1_000", "0x10"])
def test_the_tidy_csv_refuses_the_same_spellings_naming_row_and_column(text):
    with pytest.raises(CBAError, match=r"local\.csv, row 2, column 'value': .*'" + text.replace("+", r"\+")):
        read_csv_text(HEADER + f'X1.0,fiscal,"{text}",2019/20,,A cost,nhs,no\n', "local.csv")
    with pytest.raises(CBAError, match=r"local\.csv, row 2, column 'updated_value': "):
        read_csv_text(HEADER + f'X1.0,fiscal,10,2019/20,"{text}",A cost,nhs,no\n', "local.csv")


def test_candidate_rows_with_such_values_are_excluded():
    row = {"price_year": "2015/16", "source_title": "X", "value_gbp": "nan"}
    assert exclusion_reason(row) == "value 'nan' is not a finite number"
    assert exclusion_reason({**row, "value_gbp": "12.5"}) is None


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), (3, 3.0), (-2.5, -2.5), ("-£5", -5.0), ("£ 1,000,000", 1e6), (".5", 0.5),
    (float("inf"), "inf is not a finite number"), (10 ** 400, None), (True, "True is a yes/no value, not a number"),
    ("1,23", "'1,23' is not a number in the form 1,234.56 (a decimal comma or a misplaced thousands separator?)"),
    ("n/a", "'n/a' is not a number"),
])
def test_read_amount(value, expected):
    got = read_amount(value)
    if value == 10 ** 400:
        assert isinstance(got, str) and got.endswith("is not a finite number")
    else:
        assert got == expected
