"""The worked examples: every model runs from the command line, and the headline
figures of each real-programme example are pinned by hand arithmetic.

The hand arithmetic below is independent of the engine: price uplifts are read
straight from the shipped deflator CSV (HM Treasury GDP deflator), discount factors
are ``1/1.035**t`` (Green Book, years 0-30), optimism bias is the GM table (grade 3:
10%, 4: 15%, 6: 40%), and net successes are ``cohort * success * (1 - deadweight)``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import cba

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def _is_model(path: Path) -> bool:
    """Model files are the YAML mappings with a price base (other YAML may sit beside them), except
    portfolio files (they list ``candidates``: tests/portfolios)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and "price_base" in data and "candidates" not in data


MODELS = sorted(p for p in EXAMPLES.rglob("*.yaml") if _is_model(p))
PROGRAMMES = sorted(p.parent.name for p in EXAMPLES.glob("*/model.yaml"))
WORKBOOK = REPO.parent / "shared" / "reference" / "gmca" / "unit-cost-database-v1.4.xlsx"


def deflator_index() -> dict[str, float]:
    path = next((REPO / "unit_costs" / "deflators").glob("hmt_gdp_deflator_*.csv"))
    with path.open() as f:
        return {row["financial_year"]: float(row["index"]) for row in csv.DictReader(f)}


INDEX = deflator_index()


def uplift(price_year: str, base: str = "2024/25") -> float:
    return INDEX[base] / INDEX[price_year]


def DF(t: int) -> float:
    return 1.035 ** -t


# ---------------------------------------------------------------- every model, from the CLI
def test_there_are_at_least_four_real_programme_examples():
    assert len(PROGRAMMES) >= 4, PROGRAMMES
    assert set(PINNED) == set(PROGRAMMES), "every programme example needs pinned figures"


@pytest.mark.parametrize("model", MODELS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_runs_from_the_command_line(model):
    run = subprocess.run([sys.executable, "-m", "cba", "appraise", str(model), "--format", "json"],
                         capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["metrics"]["pv_costs"] is not None
    assert result["name"] == yaml.safe_load(model.read_text())["name"]


@pytest.mark.parametrize("name", PROGRAMMES)
def test_each_programme_has_a_readme_with_sources_and_findings(name):
    readme = (EXAMPLES / name / "README.md").read_text()
    assert "## Where the numbers come from" in readme
    assert "## What the result shows" in readme
    assert len(re.findall(r"<https?://[^>]+>", readme)) >= 2, "cite the sources with their addresses"
    assert f"cba appraise examples/{name}/model.yaml" in readme
    model = (EXAMPLES / name / "model.yaml").read_text()
    assert "ASSUMPTION" in model, "say which parameters are assumptions"
    assert re.search(r"https?://", model), "cite the sources in the model file too"


# ---------------------------------------------------------------- pinned headline figures
def troubled_families():
    f = uplift("2014/15")
    return {
        "pv_costs": 5214 * f,
        "pv_fiscal": 11200 * f,
        "net_present_budget_impact": (11200 - 5214) * f,
        "financial_roi": 11200 / 5214,                      # 2.148: "more than double"
        "pv_public_value": 11200 * f,
        "payback_period": 1,
        "wrong_pocket_index": 1.0,                          # the payer banks nothing
    }


def swindon():
    ob = 0.6                                                 # grade 6: 40% optimism bias
    cohort = [117, 117, 116]
    eviction = (1900 + 1119 + 2787 + 174 + 375 + 2 * 162.44) * uplift("2010/11")
    care = 51080 * uplift("2013/14")
    school = (52 + 423.5) * uplift("2005/06")    # E&S1.0.4 (social services) would double count care
    per_family = 0.8 * ob * (0.667 * eviction + 0.333 * care + 0.667 * school)
    pv_fiscal = sum(n * DF(t) * per_family for t, n in enumerate(cohort))
    # lost earnings arrive at working age: 3 years after each intake; the third intake's
    # year 5 is beyond the five-year horizon (years 0-4) and is not counted
    pv_economic = sum(n * DF(t + 3) * 0.8 * ob * 0.667 * 842 * uplift("2005/06")
                      for t, n in enumerate(cohort) if t + 3 < 5)
    pv_costs = sum(400000 * uplift("2012/13") * 1.10 * DF(t) for t in range(3))
    return {
        "pv_costs": pv_costs,
        "pv_fiscal": pv_fiscal,
        "pv_economic": pv_economic,
        "pv_public_value": pv_fiscal + pv_economic,
        "financial_roi": pv_fiscal / pv_costs,
        "payback_period": 1,
    }


def gloucestershire():
    f = uplift("2014/15")
    exchequer = 0.05 * 554353
    return {
        "pv_costs": 554353 * f,
        "pv_fiscal": (648108 + exchequer) * f,
        "pv_cashable": 648108 * f,
        "pv_public_value": 648108 * f,                      # the Exchequer's share is a transfer
        "financial_roi": (648108 + exchequer) / 554353,     # 1.22
        "cashable_roi": 648108 / 554353,                    # the study's 1.17 to the council
        "wrong_pocket_index": exchequer / (648108 + exchequer),
    }


def working_well():
    jobs = 20000 * 0.2 * (1 - 0.5) * (1 - 0.15)              # 1,700 net jobs after grade-4 OB
    f12 = uplift("2012/13")
    pv_costs = 80_000_000 * uplift("2018/19") * 1.10        # £80m for the 20,000 engaged: £4,000 each
    pv_fiscal = jobs * (7500 + 1132) * f12
    return {
        "pv_costs": pv_costs,
        "pv_fiscal": pv_fiscal,
        "pv_economic": jobs * 12568 * f12,
        "pv_public_value": jobs * (1132 + 12568) * f12,     # DWP's benefit saving is a transfer
        "financial_roi": pv_fiscal / pv_costs,
        "payback_period": None,
        "wrong_pocket_index": 1.0,
    }


PINNED = {
    "troubled_families_2015": troubled_families,
    "swindon_life": swindon,
    "gloucestershire_employment": gloucestershire,
    "gm_working_well": working_well,
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_headline_figures_match_hand_arithmetic(name):
    result = cba.appraise(EXAMPLES / name / "model.yaml")
    for metric, expected in PINNED[name]().items():
        got = result.metrics[metric]
        if expected is None:
            assert got is None, metric
        else:
            assert got == pytest.approx(expected, rel=1e-9), metric
    assert result.check().empty


def test_published_ratios_are_reproduced():
    """The ratios the sources print, at the precision they print them."""
    m = {name: cba.appraise(EXAMPLES / name / "model.yaml").metrics for name in PINNED}
    assert round(m["troubled_families_2015"]["financial_roi"], 2) == 2.15     # 11,200 / 5,214
    assert round(m["gloucestershire_employment"]["cashable_roi"], 2) == 1.17  # "£1.17 for every £1"


def test_agency_ledgers_tell_each_story():
    ww = cba.appraise(EXAMPLES / "gm_working_well" / "model.yaml").by_agency().set_index("agency")
    assert ww.loc["gmca", "cost_share"] == 1.0 and ww.loc["gmca", "pv_fiscal"] == 0
    assert ww.loc["dwp", "fiscal_share"] == pytest.approx(7500 / 8632)        # DWP banks 87%
    glos = cba.appraise(EXAMPLES / "gloucestershire_employment" / "model.yaml").by_agency().set_index("agency")
    assert glos.loc["local_authority", "roi"] == pytest.approx(648108 / 554353)
    swindon = cba.appraise(EXAMPLES / "swindon_life" / "model.yaml").by_agency().set_index("agency")
    assert set(swindon.index) == {"local_authority", "moj", "nhs", "police"}


def test_corrected_examples_carry_no_double_counting_warning():
    """Swindon LIFE once counted E&S1.0.4 (residential and foster care) beside SS1.0 (issue 9)."""
    for name in PINNED:
        assert cba.appraise(EXAMPLES / name / "model.yaml").warnings == [], name
    before = cba.appraise(REPO / "tests" / "data" / "before_issue9" / "swindon_life.yaml")
    assert len(before.warnings) == 1
    assert "E&S1.0.4" in before.warnings[0] and "SS1.0" in before.warnings[0]
    assert "'Child kept out of care'" in before.warnings[0]


# ---------------------------------------------------------------- unit values match the database
def _workbook_rows() -> dict[str, dict]:
    import openpyxl

    wb = openpyxl.load_workbook(WORKBOOK, read_only=True, data_only=True)
    rows = {}
    for sheet in wb.sheetnames:
        if sheet in ("Introduction", "Guidance", "Lookups", "v1.4 update log"):
            continue
        for row in wb[sheet].iter_rows(min_row=3, values_only=True):
            row = tuple(row) + (None,) * 20
            if row[2]:
                rows[str(row[2]).strip()] = {"fiscal": row[7], "fiscal_year": row[8],
                                             "economic": row[10], "economic_year": row[11]}
    return rows


#: Components whose amount is a stated multiple of the database value.
MULTIPLES = {"HO1.0.6": 2}   # two weeks of temporary accommodation, as in HO1.0's scenario


def test_every_unit_cost_code_in_the_examples_matches_the_database():
    if not WORKBOOK.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the GMCA workbook is missing at {WORKBOOK}")
        pytest.skip(f"the GMCA workbook is not beside the repository ({WORKBOOK})")
    rows = _workbook_rows()
    checked = 0
    for model in MODELS:
        for outcome in yaml.safe_load(model.read_text()).get("outcomes", []):
            for comp in outcome["value"].get("components") or []:
                code = comp.get("unit_cost")
                if not code:
                    continue
                assert code in rows, f"{model.name}: {code} is not in the database"
                kind = "economic" if comp["type"] == "economic" else "fiscal"
                row = rows[code]
                assert comp["amount"] == pytest.approx(MULTIPLES.get(code, 1) * row[kind], abs=0.005), (model, code)
                assert comp["price_year"] == row[f"{kind}_year"], (model, code)
                checked += 1
    assert checked >= 15
