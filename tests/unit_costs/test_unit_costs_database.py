"""The UnitCostDatabase API: lookup, search, filters, pandas view, uplift, local CSVs."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba.method._deflators as deflators
from cba.core._errors import CBAError
from cba.unit_costs import (
    CSV_COLUMNS,
    UnitCost,
    UnitCostDatabase,
    UnitCostValue,
    combined,
    default,
    from_csv,
    supplementary,
    to_csv_text,
)
from cba.unit_costs._tidy_csv import read_csv_text

HEADER = "code,description,agency,value_type,value,price_year,transfer,source\n"


def write(tmp_path, text, name="mine.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------- lookup
def test_lookup_ignores_case_and_spaces():
    db = default()
    assert db["e&e1.0"] is db["E&E1.0"] is db.get(" E&E 1.0 ")
    assert "cr1.0" in db and "CR99.0" not in db and 5 not in db
    assert len(db) == 684 and db.title == "GMCA Unit Cost Database v1.4" and db.version == "1.4"


def test_unknown_code_suggests_close_ones():
    with pytest.raises(CBAError, match=r"unknown unit cost code 'E&E1.00'.*Did you mean E&E1.0"):
        default().lookup("E&E1.00")


def test_supplementary_code_gives_a_hint():
    with pytest.raises(CBAError, match=r"supplementary: true"):
        default().lookup("pssru2023-gp-incl")
    assert combined(use_supplementary=True)["pssru2023-gp-incl"].fiscal.value == 49.0


# ---------------------------------------------------------------- search
def test_search_finds_every_word_and_ranks_the_description_first():
    db = default()
    found = db.search("jobseeker allowance")
    assert [c.code for c in found[:3]] == ["E&E1.0", "E&E1.1", "E&E1.2"]
    assert all(c.code.startswith("E&E1") for c in found)
    assert db.search("no such words xyzzy") == []
    assert db.search("") == []


def test_search_by_code_puts_it_and_its_constituents_first():
    found = default().search("CR8.0")
    assert [c.code for c in found[:7]] == ["CR8.0", "CR8.0.1", "CR8.0.2", "CR8.0.3", "CR8.0.4", "CR8.0.5",
                                           "CR8.0.6"]


def test_search_matches_agency_names_and_limits():
    db = default()
    assert all("police" in (c.agency, c.agency_level_1.lower()) or "police" in c.description.lower()
               or "police" in c.outcome_detail.lower() for c in db.search("police"))
    assert len(db.search("cost", limit=5)) == 5


def test_search_in_comments_is_optional():
    db = default()
    # "Policy Simulation Model" appears only in E&E1.0's comment
    assert db.search("simulation") == []
    assert "E&E1.0" in [c.code for c in db.search("simulation", comments=True)]


# ---------------------------------------------------------------- filters
def test_filters():
    db = default()
    crime = db.filter(theme="crime")
    assert len(crime) and all(c.theme == "CRIME" for c in crime)
    red = db.filter(rag="r")
    assert sorted(c.code for c in red) == ["CR1.0", "CR1.1", "HO6.1"]
    social = db.filter(value_type="social")
    assert len(social) == 25 and all(c.social is not None for c in social)
    dwp = db.filter(agency="DWP")
    assert all(c.agency == "dwp" for c in dwp)
    assert db.filter(agency="HM Treasury").codes == db.filter(agency="hmrc").codes  # workbook names map
    both = db.filter(theme=["fire", "housing"], level="headline")
    assert {c.sheet for c in both} == {"Fire", "Housing"} and all(c.level == "headline" for c in both)
    assert db.filter(theme="Employment & Economy").codes == db.filter(theme="employment").codes
    with pytest.raises(CBAError, match="unknown value type"):
        db.filter(value_type="fiscall")


# ---------------------------------------------------------------- pandas view and uplift
def test_to_frame_is_one_row_per_code_and_value_type():
    frame = default().to_frame()
    # the shipped data has health values (issue 21): the optional health columns come last
    assert list(frame.columns) == [*CSV_COLUMNS, "health", "health_basis"]
    assert len(frame) == 780 and frame["value"].dtype == float
    row = frame[(frame["code"] == "E&E1.0") & (frame["value_type"] == "economic")].iloc[0]
    assert row["value"] == 14044.0 and row["price_year"] == "2012/13"


def test_uplift_to_any_price_base_with_a_chosen_series():
    db = default()
    hmt = db.uplift("2024-25")
    row = hmt[(hmt["code"] == "CR1.0")].iloc[0]
    assert row["price_base"] == "2024/25" and row["deflator"] == "hmt_2026_03"
    assert row["uplifted_value"] == pytest.approx(500 * 100 / 56.6, rel=1e-12)   # 883.3922
    gm = db.uplift("2015/16", deflator="gmca_v1_4")
    ok = gm["updated_value"].notna()
    assert ((gm.loc[ok, "uplifted_value"] - gm.loc[ok, "updated_value"]).abs()
            <= 1e-9 * gm.loc[ok, "updated_value"].abs()).all()


def test_uplift_outside_the_series_names_code_year_and_range():
    with pytest.raises(CBAError, match=r"unit cost CR1.0: .*2024/25.*gmca_v1_4.*1989/90 to 2019/20"):
        default().uplift("2024/25", deflator="gmca_v1_4")


def test_value_at():
    db = default()
    assert db.value_at("CR1.0", "fiscal", "2015/16", deflator="gmca_v1_4") == pytest.approx(
        673.2312, abs=1e-4)  # 500 * 195.96970 / 145.54413
    with pytest.raises(CBAError, match="no social value"):
        db.value_at("CR1.0", "social", "2015/16")


# ---------------------------------------------------------------- local CSVs
def test_local_csv_merges_and_wins_on_the_same_code(tmp_path):
    p = write(tmp_path, HEADER + "E&E1.0,Our own JSA figure,dwp,fiscal,10000,2023/24,no,Local evaluation\n"
                                 "LOC1.0,A local service,Local authority,fiscal,250,2023-24,,Finance team\n")
    db = default().with_local(p)
    assert len(db) == 685
    mine = db["E&E1.0"]
    assert (mine.description, mine.fiscal.value, mine.economic) == ("Our own JSA figure", 10000.0, None)
    assert db.fiscal_split("E&E1.0") is None  # the database's constituents do not split the user's figure
    assert db["LOC1.0"].agency == "local_authority" and db["LOC1.0"].fiscal.price_year == "2023/24"
    assert [n.kind for n in db.notes_for("E&E1.0")] == ["replaced"]
    assert db["E&E1.0.1"].fiscal.value == 9234.0  # untouched entries stay


def test_combined_is_cached_until_the_file_changes(tmp_path):
    p = write(tmp_path, HEADER + "LOC1.0,A,nhs,fiscal,1,2023/24,,s\n")
    first = combined(local=[p])
    assert combined(local=[p]) is first
    import os
    import time
    p.write_text(HEADER + "LOC1.0,A,nhs,fiscal,2,2023/24,,s\n")
    os.utime(p, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert combined(local=[p])["LOC1.0"].fiscal.value == 2.0


@pytest.mark.parametrize("body, where", [
    ("X1.0,d,nhs,fiscal,abc,2023/24,,s\n", "row 2, column 'value': 'abc' is not a number"),
    ("X1.0,d,nhs,fiscal,1,2023,,s\n", "row 2, column 'price_year'"),
    ("X1.0,d,nhs,fiscal,1,,,s\n", "row 2, column 'price_year': a price year is needed"),
    ("X1.0,d,nhs,fiscall,1,2023/24,,s\n", "row 2, column 'value_type'"),
    ("X1.0,d,,fiscal,1,2023/24,,s\n", "row 2, column 'agency'"),
    ("X1.0,d,Mars Agency,fiscal,1,2023/24,,s\n", "row 2, column 'agency'"),
    ("X1.0,d,nhs,fiscal,1,2023/24,maybe,s\n", "row 2, column 'transfer'"),
    ("X1.0,d,,economic,1,2023/24,yes,s\n", "row 2, column 'transfer'"),
    ("X1.0,d,nhs,fiscal,1,2023/24,,s\nX1.0,d,nhs,fiscal,2,2023/24,,s\n", "row 3, column 'value_type'"),
    (",d,nhs,fiscal,1,2023/24,,s\n", "row 2, column 'code'"),
    ("X1.0,d,nhs,fiscal,inf,2023/24,,s\n", "row 2, column 'value'"),
])
def test_malformed_csv_names_file_row_and_column(tmp_path, body, where):
    p = write(tmp_path, HEADER + body)
    with pytest.raises(CBAError) as err:
        from_csv(p)
    assert str(err.value).startswith(str(p)) and where in str(err.value)


def test_malformed_header_and_files(tmp_path):
    with pytest.raises(CBAError, match=r"row 1, column 2 'vaule': unknown column"):
        from_csv(write(tmp_path, "code,vaule\nX,1\n"))
    with pytest.raises(CBAError, match=r"row 1: missing columns 'value_type', 'value', 'price_year'"):
        from_csv(write(tmp_path, "code,description\nX,1\n"))
    with pytest.raises(CBAError, match="the file is empty"):
        from_csv(write(tmp_path, ""))
    with pytest.raises(CBAError, match="no such file"):
        from_csv(tmp_path / "absent.csv")
    with pytest.raises(CBAError, match=r"row 3: 9 fields"):
        from_csv(write(tmp_path, HEADER + "X1.0,d,nhs,fiscal,1,2023/24,,s\nX2.0,d,nhs,fiscal,1,2023/24,,s,extra\n"))


def test_row_numbers_count_lines_of_quoted_multiline_fields(tmp_path):
    p = write(tmp_path, HEADER + 'X1.0,"two\nlines",nhs,fiscal,1,2023/24,,s\nX2.0,d,nhs,fiscal,abc,2023/24,,s\n')
    with pytest.raises(CBAError, match=r"row 4, column 'value'"):
        from_csv(p)


def test_custom_agency_ids_need_declaring(tmp_path):
    p = write(tmp_path, HEADER + "X1.0,d,youth_offending,fiscal,1,2023/24,,s\n")
    assert from_csv(p)["X1.0"].agency == "youth_offending"   # any slug when no list is given
    with pytest.raises(CBAError, match="column 'agency'"):
        from_csv(p, agency_ids={"other_slug"})


# ---------------------------------------------------------------- round trip
text_st = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip)
value_st = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
year_st = st.integers(min_value=1990, max_value=2040).map(lambda y: f"{y}/{(y + 1) % 100:02d}")


@st.composite
def costs(draw):
    n = draw(st.integers(min_value=1, max_value=4))
    out = []
    for i in range(n):
        kinds = draw(st.lists(st.sampled_from(["fiscal", "economic", "social"]), min_size=1, max_size=3,
                              unique=True))
        kinds.sort(key=["fiscal", "economic", "social"].index)
        values = tuple(UnitCostValue(k, draw(value_st), draw(year_st),
                                     transfer=draw(st.sampled_from(["yes", "no", "part"])) if k == "fiscal" else "",
                                     note=draw(text_st))
                       for k in kinds)
        out.append(UnitCost(code=f"T{i}.0", description=draw(text_st), values=values, unit=draw(text_st),
                            agency=draw(st.sampled_from(["nhs", "dwp", "police"])), level="headline",
                            source=draw(text_st), rag=draw(st.sampled_from(["", "R", "A", "G"])),
                            database="test db", sheet="s", row=i + 3))
    return out


@settings(max_examples=50, deadline=None)
@given(costs())
def test_csv_round_trip_is_exact(items):
    text = to_csv_text(items)
    back = read_csv_text(text, "memory.csv")
    assert back == items
    assert to_csv_text(back) == text


def test_databases_built_in_code():
    db = UnitCostDatabase([UnitCost("A1.0", "head", (UnitCostValue("fiscal", 10, "2020/21", transfer="no"),),
                                    agency="nhs"),
                           UnitCost("A1.0.1", "part", (UnitCostValue("fiscal", 4, "2020/21", transfer="no"),),
                                    agency="nhs", level="constituent", parent="A1.0"),
                           UnitCost("B1.0.1", "orphan", (UnitCostValue("fiscal", 4, "2020/21", transfer="no"),),
                                    agency="nhs", level="constituent", parent="B1.0")], name="t")
    kinds = {(n.code, n.kind) for n in db.notes}
    assert ("B1.0.1", "orphan") in kinds and ("A1.0", "split_mismatch") in kinds
    assert isinstance(db.check(), pd.DataFrame) and len(db.check()) == 2
    assert db.fiscal_split("A1.0") is None


def test_supplementary_dataset_is_separate_and_labelled():
    sup = supplementary()
    assert sup.title == "cba supplementary unit costs" and len(sup) == 25
    assert not set(sup.codes) & set(default().codes)
    assert all(c.database == "cba supplementary unit costs" for c in sup)
    assert math.isclose(deflators.get("hmt_2026_03").uplift(sup["ho2021-cin"].fiscal.value, "2018/19", "2024/25"),
                        10965.19, abs_tol=0.005)   # the reference README's worked uplift
