"""cba's supplementary unit costs: which candidates are kept, caveats, totals."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from cba.unit_costs import supplementary
from cba.unit_costs._candidates import EXCLUDED_REASONS, TOTAL_COMMENT, convert_candidates, exclusion_reason

REPO = Path(__file__).resolve().parents[2]
CANDIDATES = REPO.parent / "shared" / "reference" / "candidate-unit-costs.csv"
HEADER = ("id,theme,description,unit,value_gbp,price_year,agency,value_type,cashable,confidence,"
          "source_title,source_url\n")


def need_candidates() -> Path:
    if not CANDIDATES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the candidate list is missing: {CANDIDATES}")
        pytest.skip(f"{CANDIDATES} not found (reference data, not committed to the project)")
    return CANDIDATES


def test_exclusions_follow_the_rules_on_the_candidate_list():
    text = need_candidates().read_text(encoding="utf-8")
    costs, excluded = convert_candidates(text)
    assert excluded == EXCLUDED_REASONS
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(costs) + len(excluded) == len(rows)
    for row in rows:
        assert (exclusion_reason(row) is None) == (row["id"] not in excluded)


def test_shipped_supplementary_rows():
    sup = supplementary()
    assert len(sup) == 25
    assert not set(sup.codes) & set(EXCLUDED_REASONS)
    for c in sup:
        assert c.source and c.source_url.startswith("https://"), c.code
        (v,) = c.values
        assert v.price_year is not None


def test_secondary_quotes_keep_their_caveat():
    sup = supplementary()
    secondary = [c for c in sup if c.caveat]
    assert len(secondary) == 18  # 15 newspaper + 3 blog; the 2 trade-press quotes state no price year
    assert all(c.caveat.startswith("Secondary quote (") for c in secondary)
    assert sup["ho2019-da-police"].caveat.startswith("Secondary quote (blog)")
    assert sup["pssru2023-gp-incl"].caveat == ""


def test_totals_are_not_economic_values():
    sup = supplementary()
    totals = [c for c in sup if c.value("total") is not None]
    assert len(totals) == 11   # the ten Home Office 2018 per-offence totals and the 2019 per-victim total
    assert all(c.economic is None and c.comment == TOTAL_COMMENT for c in totals)
    assert not [c for c in sup if c.economic is not None]


def test_conversion_rules_on_small_input():
    text = HEADER + (
        'a,crime,"X - total economic and social cost",per offence,100,2015/16,other,economic,,'
        'secondary quote (newspaper),Home Office,https://x\n'
        "b,health,Visit,per visit,40,2022/23,nhs,fiscal,,,PSSRU,https://y\n"
        "c,other,Lifetime,per person,5,not stated,other,fiscal,,,IPPR,https://z\n"
        "d,other,WELLBY,per WELLBY,13000,2019,other,social,,,HMT,https://w\n")
    costs, excluded = convert_candidates(text)
    assert [c.code for c in costs] == ["a", "b"] and set(excluded) == {"c", "d"}
    a, b = costs
    assert a.value_types == ("total",) and a.caveat.startswith("Secondary quote (newspaper)")
    assert a.theme == "CRIME" and a.agency is None
    assert (b.fiscal.value, b.fiscal.price_year, b.agency, b.theme) == (40.0, "2022/23", "nhs", "HEALTH")
    assert (b.sheet, b.row) == ("candidate-unit-costs.csv", 3)
