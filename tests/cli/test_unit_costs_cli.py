"""``cba unit-costs``: search, show, import and notes from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cba.cli._main import main
from cba.unit_costs import from_csv

REPO = Path(__file__).resolve().parents[2]
WORKBOOK = REPO.parent / "shared" / "reference" / "gmca" / "unit-cost-database-v1.4.xlsx"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def need_workbook() -> Path:
    if not WORKBOOK.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the GMCA workbook is missing: {WORKBOOK}")
        pytest.skip(f"GMCA workbook not found at {WORKBOOK} (not committed to the project)")
    return WORKBOOK


# ---------------------------------------------------------------- search
def test_search_prints_a_table(capsys):
    status, out, _ = run(capsys, "unit-costs", "search", "jobseeker", "allowance", "--limit", "3")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("10 matches in GMCA Unit Cost Database v1.4 for 'jobseeker allowance'")
    header = next(line for line in lines if line.startswith("Code"))
    assert all(h in header for h in ("Level", "Fiscal", "Economic", "Social", "Price year", "Agency", "RAG"))
    at = next(i for i, line in enumerate(lines) if line.startswith("E&E1.0 "))
    row = lines[at]
    assert "headline" in row and "9,800+" in row and "14,044" in row and "2012/13" in row and "DWP" in row
    # the full description and the unit, wrapped under the figures (issue 12, item 10)
    detail = " ".join(line.strip() for line in lines[at + 1:at + 3])
    assert "Fiscal and economic benefit from a workless claimant entering work. Unit: Per claimant per year" in detail
    assert "... 7 more" in out and "+ partly a transfer payment" in out
    assert max(len(line) for line in lines) <= 100


def test_search_filters_and_price_base(capsys):
    status, out, _ = run(capsys, "unit-costs", "search", "--theme", "crime", "--rag", "R", "--price-base", "2024/25")
    assert status == 0 and out.startswith("2 matches")
    assert "at 2024/25 prices (hmt_2026_03)" in out
    assert "883" in out  # CR1.0: 500 * 100 / 56.6


def test_search_json_and_csv(capsys):
    status, out, _ = run(capsys, "unit-costs", "search", "homicide", "--format", "json", "--supplementary")
    data = json.loads(out)
    assert status == 0 and data["matches"] == len(data["results"]) == 11
    sup = next(r for r in data["results"] if r["code"] == "ho2018-homicide-police")
    assert sup["caveat"].startswith("Secondary quote")
    status, out, _ = run(capsys, "unit-costs", "search", "CR1.0", "--format", "csv", "--limit", "1")
    assert out.splitlines()[0].startswith("database,sheet,row") and len(out.splitlines()) == 2


def test_search_with_no_match(capsys):
    status, out, _ = run(capsys, "unit-costs", "search", "xyzzy")
    assert status == 0 and out.startswith("0 matches")


# ---------------------------------------------------------------- show
def test_show_prints_a_block(capsys):
    status, out, _ = run(capsys, "unit-costs", "show", "e&e1.0", "--price-base", "2024-25")
    assert status == 0
    assert out.startswith("E&E1.0  Job Seeker's Allowance")
    for text in ("level         headline (constituents E&E1.0.1, E&E1.0.2)",
                 "agency        dwp  (source: Multiple / DWP)",
                 "fiscal split", "E&E1.0.1", "transfer", "public value  14,610 at 2012/13 prices",
                 "workbook updated", "10,321 (2015/16)", "at 2024/25",
                 "source        Department for Work and Pensions"):
        assert text in out, text


def test_show_json(capsys):
    status, out, _ = run(capsys, "unit-costs", "show", "CR3.0", "--format", "json")
    data = json.loads(out)
    assert status == 0 and data["code"] == "CR3.0" and data["fiscal_split"] is None
    assert [c["agency"] for c in data["components"]] == ["criminal_justice"]
    assert any(n["kind"] == "split_mismatch" for n in data["notes"])
    assert data["values"][0]["workbook_updated_year"] == "2015/16"


def test_show_unknown_code_exits_2(capsys):
    status, _, err = run(capsys, "unit-costs", "show", "E&E1.00")
    assert status == 2 and err.startswith("cba: error: unknown unit cost code 'E&E1.00'")


def test_malformed_local_csv_gives_file_row_column_and_status_2(tmp_path, capsys):
    bad = tmp_path / "ours.csv"
    bad.write_text("code,description,agency,value_type,value,price_year\nX1.0,ok,nhs,fiscal,10,2023/24\n"
                   "X2.0,bad,nhs,fiscal,12,2023\n")
    status, out, err = run(capsys, "unit-costs", "search", "bad", "--local", str(bad))
    assert status == 2 and out == ""
    assert err.strip() == (f"cba: error: {bad}, row 3, column 'price_year': not a financial year label: '2023' "
                           "(expected e.g. '2024/25')")


def test_malformed_local_csv_exit_status_from_a_real_process(tmp_path):
    bad = tmp_path / "ours.csv"
    bad.write_text("code,value_type,value,price_year\nX1.0,social,lots,2023/24\n")
    proc = subprocess.run([sys.executable, "-m", "cba", "unit-costs", "show", "X1.0", "--local", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "ours.csv, row 2, column 'value': 'lots' is not a number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_local_csv_entries_show(tmp_path, capsys):
    mine = tmp_path / "ours.csv"
    mine.write_text("code,description,agency,value_type,value,price_year,source\n"
                    "LOC1.0,Our visit,nhs,fiscal,80,2023/24,Our finance team\n")
    status, out, _ = run(capsys, "unit-costs", "show", "LOC1.0", "--local", str(mine))
    assert status == 0 and "Our visit" in out and "Our finance team" in out


# ---------------------------------------------------------------- import
def test_import_a_small_workbook_anywhere(tmp_path, capsys):
    from ..unit_costs.test_unit_costs_workbook import make_v14

    book = make_v14(tmp_path / "ucd-v1.4.xlsx")
    out_csv = tmp_path / "out.csv"
    status, _, err = run(capsys, "unit-costs", "import", str(book), "-o", str(out_csv), "--notes",
                         str(tmp_path / "notes.csv"), "--deflator-csv", str(tmp_path / "defl.csv"))
    assert status == 0 and "read 4 codes (5 values) from GMCA Unit Cost Database v1.4" in err
    db = from_csv(out_csv)
    assert db.codes == ["E&E1.0", "E&E1.0.1", "E&E1.0.2", "E&E1.6"] and db.version == "1.4"
    assert (tmp_path / "defl.csv").read_text().startswith("financial_year,pct_change,index,status\n2010/11,")
    # nothing the user wrote is overwritten without --force
    status, _, err = run(capsys, "unit-costs", "import", str(book), "-o", str(out_csv))
    assert status == 2 and "already exists; use --force" in err
    status, _, _ = run(capsys, "unit-costs", "import", str(book), "-o", str(out_csv), "--force")
    assert status == 0


def test_import_the_official_workbook_gives_the_shipped_csv(tmp_path, capsys):
    out_csv = tmp_path / "v1.4.csv"
    status, _, err = run(capsys, "unit-costs", "import", str(need_workbook()), "-o", str(out_csv))
    assert status == 0 and "read 684 codes (780 values)" in err
    assert out_csv.read_bytes() == (REPO / "unit_costs" / "gmca_unit_cost_database_v1.4.csv").read_bytes()


def test_import_a_file_that_is_not_a_workbook(tmp_path, capsys):
    (tmp_path / "x.xlsx").write_text("nope")
    status, _, err = run(capsys, "unit-costs", "import", str(tmp_path / "x.xlsx"), "-o", str(tmp_path / "o.csv"))
    assert status == 2 and "not a readable .xlsx workbook" in err
    assert not (tmp_path / "o.csv").exists()


# ---------------------------------------------------------------- notes
def test_notes(capsys):
    status, out, _ = run(capsys, "unit-costs", "notes", "CR3.0")
    assert status == 0 and out.startswith("1 data note") and "split_mismatch" in out
    status, out, _ = run(capsys, "unit-costs", "notes", "--kind", "blank_code", "--format", "json")
    assert [n["code"] for n in json.loads(out)] == ["CR8.0.1"]
