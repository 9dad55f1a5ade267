"""Deflators: financial-year labels, named series with vintages, uplift and its errors.

Hand-checked figures come from the series files themselves:

* HM Treasury March 2026 (``unit_costs/deflators/hmt_gdp_deflator_2026-03.csv``,
  2024/25 = 100): 2022/23 91.2996, 2018/19 78.7948, 2015/16 74.5804, so
  49 at 2022/23 -> 49 * 100 / 91.2996 = 53.6695 at 2024/25;
  8,640 at 2018/19 -> 10,965.19; 20,128 at 2015/16 -> 26,988.3 (the reference
  README's worked uplifts).
* GMCA v1.4 Lookups (1989/90 = 100, chained from % changes): 2002/03
  145.54412602660028, 2015/16 195.9696985671229, so CR1.0's 500 at 2002/03 ->
  500 * 195.9697 / 145.5441 = 673.23 at 2015/16, the workbook's own updated value.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba.method._deflators as deflators
from cba.core._errors import CBAError
from cba.method._deflators import Deflator, financial_year, year_label, year_start

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- labels
@pytest.mark.parametrize("label, expected", [
    ("2024/25", "2024/25"), ("2024-25", "2024/25"), ("2024/2025", "2024/25"), ("2024-2025", "2024/25"),
    (" 2024 / 25 ", "2024/25"), ("1999/00", "1999/00"), ("1999-2000", "1999/00"),
])
def test_financial_year_labels_in_either_form(label, expected):
    assert financial_year(label) == expected


@pytest.mark.parametrize("label", ["2024", "2024/26", "24/25", "2024/24", "next year", ""])
def test_financial_year_rejects_other_text(label):
    with pytest.raises(CBAError, match="financial year"):
        financial_year(label)


@given(st.integers(min_value=1900, max_value=2200))
def test_year_label_and_start_are_inverse(start):
    assert year_start(year_label(start)) == start
    assert financial_year(f"{start}-{(start + 1) % 100:02d}") == year_label(start)


# ---------------------------------------------------------------- the HM Treasury series
def test_default_series_is_hm_treasury_march_2026():
    d = Deflator.default()
    assert d.name == "hmt_2026_03"
    assert d.first_year == "2000/01" and d.last_year == "2030/31"
    assert d.value("2024/25") == 100.0
    assert "2025/26" in d.forecast and "2024/25" not in d.forecast
    assert "March 2026" in d.vintage


@pytest.mark.parametrize("amount, year, expected, places", [
    (49, "2022/23", 53.6695, 4),          # 49 * 100 / 91.2996
    (8640, "2018/19", 10965.19, 2),       # 8640 * 100 / 78.7948
    (20128, "2015/16", 26988.3, 1),       # 20128 * 100 / 74.5804
])
def test_hmt_worked_uplifts(amount, year, expected, places):
    assert round(Deflator.default().uplift(amount, year, "2024/25"), places) == expected


def test_dash_labels_are_accepted_by_uplift():
    d = Deflator.default()
    assert d.uplift(49, "2022-23", "2024-25") == d.uplift(49, "2022/23", "2024/25")


def test_year_outside_the_series_is_an_error_naming_the_year_and_range():
    d = Deflator.default()
    with pytest.raises(CBAError) as err:
        d.uplift(100, "1998/99", "2024/25")
    msg = str(err.value)
    assert "1998/99" in msg and "hmt_2026_03" in msg and "2000/01 to 2030/31" in msg
    with pytest.raises(CBAError, match="2031/32"):
        d.factor(None, "2031/32")  # the price base must be in the series too


# ---------------------------------------------------------------- the GMCA v1.4 vintage
def test_gmca_v1_4_series_is_registered_with_its_vintage():
    assert "gmca_v1_4" in deflators.available()
    d = deflators.get("gmca_v1_4")
    assert d.first_year == "1989/90" and d.last_year == "2019/20"
    assert d.value("1989/90") == 100.0
    assert d.value("1990/91") == pytest.approx(108.27, rel=1e-15)   # 100 * (1 + 8.27/100)
    assert "Budget 2015" in d.vintage
    assert d.forecast == frozenset({"2014/15", "2015/16", "2016/17", "2017/18", "2018/19", "2019/20"})


def test_gmca_v1_4_reproduces_cr1_0():
    d = deflators.get("gmca_v1_4")
    assert round(d.uplift(500, "2002/03", "2015/16"), 2) == 673.23
    assert d.uplift(500, "2002/03", "2015/16") == pytest.approx(500 * 195.9696985671229 / 145.54412602660028,
                                                                 rel=1e-12)


def test_gmca_v1_4_index_is_the_chain_of_its_percent_changes():
    path = REPO / "unit_costs" / "deflators" / "gmca_v1_4_lookups.csv"
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    index = 100.0
    for i, row in enumerate(rows):
        if i:
            index = (1 + float(row["pct_change"]) / 100) * index
        assert float(row["index"]) == index  # exactly the workbook's arithmetic


def test_out_of_range_for_gmca_series_names_its_range():
    with pytest.raises(CBAError, match="1989/90 to 2019/20"):
        deflators.get("gmca_v1_4").uplift(1, "2010/11", "2024/25")


def test_unknown_series_lists_the_available_ones():
    with pytest.raises(CBAError) as err:
        deflators.get("hmt_1999")
    assert "hmt_2026_03" in str(err.value) and "gmca_v1_4" in str(err.value)


# ---------------------------------------------------------------- construction and CSV
def test_deflator_normalises_labels_and_rejects_bad_values():
    d = Deflator("mine", {"2020-21": 90, "2021/22": 100})
    assert list(d.index) == ["2020/21", "2021/22"]
    with pytest.raises(CBAError, match="positive"):
        Deflator("bad", {"2020/21": 0})
    with pytest.raises(CBAError, match="positive"):
        Deflator("bad", {"2020/21": float("nan")})


def test_from_csv_names_the_row_of_a_mistake(tmp_path):
    p = tmp_path / "series.csv"
    p.write_text("financial_year,index\n2020/21,90\n2021-22,abc\n")
    with pytest.raises(CBAError, match=r"series.csv, row 3"):
        Deflator.from_csv(p)


def test_register_makes_a_series_available(tmp_path):
    d = Deflator("test_series_x", {"2020/21": 50.0, "2021/22": 100.0}, vintage="test")
    deflators.register(d)
    assert deflators.get("test_series_x") is d
    assert deflators.get(d) is d
    assert deflators.get("test_series_x").uplift(10, "2020/21", "2021/22") == 20.0


# ---------------------------------------------------------------- properties
YEARS = list(Deflator.default().index)


@settings(max_examples=50)
@given(st.sampled_from(YEARS), st.sampled_from(YEARS), st.sampled_from(YEARS))
def test_factors_chain_and_invert(a, b, c):
    d = Deflator.default()
    assert d.factor(a, b) * d.factor(b, a) == pytest.approx(1.0, rel=1e-12)
    assert d.factor(a, b) * d.factor(b, c) == pytest.approx(d.factor(a, c), rel=1e-12)


@settings(max_examples=50)
@given(st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=1, max_size=5),
       st.sampled_from(YEARS))
def test_uplift_is_linear_and_works_on_arrays(amounts, year):
    d = Deflator.default()
    arr = np.asarray(amounts)
    out = d.uplift(arr, year, "2024/25")
    assert out.shape == arr.shape
    np.testing.assert_allclose(out, arr * d.factor(year, "2024/25"), rtol=1e-15)
    assert d.uplift(arr, None, "2024/25") is not None
    np.testing.assert_array_equal(d.uplift(arr, None, "2024/25"), arr)
