"""The shipped GMCA Unit Cost Database v1.4: against the official workbook, and on its own.

The workbook is not committed; tests that need it read
``<repo>/../shared/reference/gmca/unit-cost-database-v1.4.xlsx``. Where it is
absent they skip with the reason, except when the ``CI`` environment variable is
set: there it must be present, so they fail.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

import cba.method._deflators as deflators
from cba.unit_costs import CSV_COLUMNS, default, public_value_of, read_lookups_deflator, read_workbook
from cba.unit_costs._build import supplementary_files, workbook_files
from cba.unit_costs._codes import code_key

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "reference"
WORKBOOK = REFERENCE / "gmca" / "unit-cost-database-v1.4.xlsx"
CANDIDATES = REFERENCE / "candidate-unit-costs.csv"
SHIPPED = REPO / "unit_costs"


def need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {path} is missing (the reference data must be present in CI)")
        pytest.skip(f"{path} not found: the official reference data is not committed to the project")
    return path


@pytest.fixture(scope="module")
def workbook():
    return read_workbook(need(WORKBOOK))


# ---------------------------------------------------------------- against the workbook
def test_every_coded_row_is_read(workbook):
    assert workbook.version == "1.4" and workbook.current_year == "2015/16"
    assert len(workbook.costs) == 684
    assert len({code_key(c.code) for c in workbook.costs}) == 684
    assert {c.sheet for c in workbook.costs} == {"Crime", "Education & Skills", "Employment & Economy", "Fire",
                                                  "Health", "Housing", "Social Services"}


def test_uplift_reproduces_every_cached_updated_value(workbook):
    """Every coded row and value type: the embedded deflator at 2015/16, to 1e-9 relative."""
    d = workbook.deflator
    checked = 0
    for c in workbook.costs:
        for v in c.values:
            if v.value <= 0:   # the workbook's formula leaves the updated value blank
                assert v.updated_value is None
                continue
            assert v.updated_value is not None, (c.code, v.value_type)
            got = d.uplift(v.value, v.price_year, "2015/16")
            assert math.isclose(got, v.updated_value, rel_tol=1e-9), (c.code, v.value_type, got, v.updated_value)
            checked += 1
    assert checked == 779  # 780 values, one of them zero (CR8.18.5)
    cr = next(c for c in workbook.costs if c.code == "CR1.0")
    assert round(d.uplift(cr.fiscal.value, cr.fiscal.price_year, "2015/16"), 2) == 673.23


def test_lookups_deflator_matches_the_shipped_vintage():
    from_workbook = read_lookups_deflator(need(WORKBOOK))
    shipped = deflators.get("gmca_v1_4")
    assert from_workbook.index == shipped.index  # exactly
    assert from_workbook.forecast == shipped.forecast
    assert from_workbook.name == "gmca_v1_4"


def test_regenerating_the_shipped_files_gives_the_same_bytes():
    files = workbook_files(need(WORKBOOK))
    assert set(files) == {"gmca_unit_cost_database_v1.4.csv", "gmca_unit_cost_database_v1.4_notes.csv",
                          "deflators/gmca_v1_4_lookups.csv"}
    for rel, text in files.items():
        assert (SHIPPED / rel).read_bytes() == text.encode("utf-8"), rel


def test_regenerating_the_supplementary_files_gives_the_same_bytes():
    files = supplementary_files(need(CANDIDATES))
    for rel, text in files.items():
        assert (SHIPPED / rel).read_bytes() == text.encode("utf-8"), rel


def test_shipped_csv_equals_a_fresh_read(workbook):
    db = default()
    assert [c.code for c in db] == [c.code for c in workbook.costs]
    for a, b in zip(db, workbook.costs):
        assert a.values == b.values, a.code
        assert (a.description, a.agency, a.parent, a.rag) == (b.description, b.agency, b.parent, b.rag)


# ---------------------------------------------------------------- the shipped data on its own
def test_shipped_data_reproduces_the_workbooks_updated_values():
    """The same check, from the shipped CSV (which keeps the workbook's cached values)."""
    d = deflators.get("gmca_v1_4")
    n = 0
    for c in default():
        for v in c.values:
            if v.updated_value is not None:
                assert math.isclose(d.uplift(v.value, v.price_year, v.updated_year), v.updated_value, rel_tol=1e-9)
                n += 1
    assert n == 779


def test_shipped_csv_layout():
    text = (SHIPPED / "gmca_unit_cost_database_v1.4.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == ",".join(CSV_COLUMNS) + ",health,health_basis"   # issue 21: the QALY values are flagged
    assert text.endswith("\n") and "\r" not in text
    assert len(lines) == 1 + 780 + 1  # header, one line per code and value type, final newline
    assert not any('"' in line and line.count('"') % 2 for line in lines)  # no field spans lines


def test_hand_checked_entries():
    db = default()
    cr = db["CR1.0"]
    assert (cr.fiscal.value, cr.fiscal.price_year, cr.agency, cr.rag) == (500.0, "2002/03", "police", "R")
    assert cr.fiscal.updated_value == pytest.approx(673.23, abs=0.005)
    jsa = db["e&e1.0"]
    assert (jsa.fiscal.value, jsa.economic.value, jsa.social) == (9800.0, 14044.0, None)
    assert [(k.code, k.agency, k.fiscal.value) for k in db.fiscal_split("E&E1.0")] == [
        ("E&E1.0.1", "dwp", 9234.0), ("E&E1.0.2", "nhs", 566.0)]
    assert public_value_of(jsa, db.children) == 14610.0          # 566 + 14,044
    es5 = db["E&S5.0"]
    assert es5.fiscal.formula == "=3308/40" and es5.fiscal.value == pytest.approx(82.7)


def test_the_blank_code_row_is_cr8_0_1_and_says_so():
    db = default()
    c = db["CR8.0.1"]
    assert (c.fiscal.value, c.agency, c.row) == (227.92, "police", 58)
    assert [n.kind for n in db.notes_for("CR8.0.1")] == ["blank_code"]
    # with it, CR8.0's constituents add up to 609 within rounding
    assert sum(k.fiscal.value for k in db.fiscal_split("CR8.0")) == pytest.approx(608.99)


def test_constituents_that_do_not_add_up_are_data_notes():
    db = default()
    kinds = {(n.code, n.kind) for n in db.notes}
    for code in ("CR1.4", "CR3.0", "HE7.1", "HO1.0", "SS1.1", "SS5.0"):
        assert (code, "split_mismatch") in kinds, code
        assert db.fiscal_split(code) is None
    for code in ("CR8.1", "E&S1.0", "SS2.0"):
        assert (code, "split_rounding") in kinds, code
        assert db.fiscal_split(code) is not None
    for code in ("E&E1.0", "CR2.0", "HE11.0"):  # exact splits: no note
        assert not [n for n in db.notes_for(code) if n.kind.startswith("split")]
    cr3 = next(n for n in db.notes_for("CR3.0") if n.kind == "split_mismatch")
    assert "314,082" in cr3.message and "33,785" in cr3.message


def test_every_stated_public_value_matches_the_transfer_flags():
    """The 12 cell comments state the public value; the flags must give the same number."""
    db = default()
    from cba.unit_costs._transfers import parse_transfer_comment

    stated = {}
    for c in db:
        if c.fiscal is not None:
            is_transfer, _, pv, _ = parse_transfer_comment(c.fiscal.note)
            if is_transfer:
                stated[c.code] = pv
    assert sorted(stated) == sorted(["E&E1.0", "E&E2.0", "E&E3.0"] + [f"E&S{i}.0" for i in range(5, 14)])
    assert stated["E&E1.0"] == 14610 and stated["E&E2.0"] == 13700 and stated["E&E3.0"] == 9267
    for code, pv in stated.items():
        assert abs(public_value_of(db[code], db.children) - pv) <= 0.5, code  # the comments round to £1


def test_missing_reference_data_skips_locally_and_fails_in_ci(tmp_path, monkeypatch):
    absent = tmp_path / "absent.xlsx"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not committed"):
        need(absent)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        need(absent)
