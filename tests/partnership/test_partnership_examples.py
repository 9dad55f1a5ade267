"""The partnership examples: they run from the command line, and their figures are pinned.

Where a figure can be checked by hand it is (the Troubled Families maximum, the top-up
share, the gain-share as a share of DWP's savings, the programme as the sum of its
members); the net positions the READMEs quote are pinned as regression values.
"""

import re
import shlex
import subprocess
import sys

import numpy as np
import pytest
import yaml

import cba
import cba.partnership._solvers as solvers

from ..conftest import EXAMPLES, REPO
from ..project.test_docs_commands import extract_commands

DEALS = EXAMPLES / "partnership"


def positions(path) -> dict:
    r = cba.appraise(path).partnership()
    return {row["agency"]: row for row in r.partners().to_dict(orient="records")}


def test_troubled_families_pays_the_published_maximum_when_every_family_is_turned_around():
    data = yaml.safe_load((DEALS / "troubled_families" / "model.yaml").read_text())
    data["price_base"] = "2012/13"          # the deal's cash amounts are at 2012/13 prices
    data["outcomes"][0]["success"] = 1.0    # every family by the crime/ASB and school attendance route ...
    data["outcomes"][1]["success"] = 0.0
    data["partnership"]["outcome_payments"][0]["tariffs"][0]["rungs"][1]["reach"] = 1.0   # ... with progress to work
    r = cba.appraise(data).partnership()
    # the first 3,483 families attached, each paid its attachment fee and results up to 4,000:
    # 3,483 x 4,000 = 13,932,000, "just under 14m" (4,180 x 5/6 = 3,483.33, whole families)
    assert float(r.flows_between()["real"].sum()) == pytest.approx(13_932_000, abs=0.01)
    # by the other route (continuous employment, 4,000 with the fee) the maximum is the same
    data["outcomes"][0]["success"], data["outcomes"][1]["success"] = 0.0, 1.0
    assert float(cba.appraise(data).partnership().flows_between()["real"].sum()) == pytest.approx(13_932_000,
                                                                                                   abs=0.01)


def test_troubled_families_pays_as_phase_one_paid():
    # At 2012/13 prices. 1,393.333333 families attached a year; DCLG pays for the first 3,483:
    # all of 2012/13's and 2013/14's, and 3,483 - 2 x 1,393.333333 = 696.333334 of 2014/15's.
    data = yaml.safe_load((DEALS / "troubled_families" / "model.yaml").read_text())
    data["price_base"] = "2012/13"
    r = cba.appraise(data).partnership()
    money = r.flows.contracts[0]
    funded = [1393.333333, 1393.333333, 3483 - 2 * 1393.333333]
    fees = [funded[0] * 3200, funded[1] * 2400, funded[2] * 1600]     # 4,458,666.67, 3,344,000.00, 1,114,133.33
    # results a year after attachment: 80.71% by crime/ASB and attendance (3,900 less the fee, and 100 for
    # the 9.51% who also progress to work), 8.91% by continuous employment (4,000 less the fee)
    crime, work, progress = 0.807081672, 0.089118819, 0.095082180
    results = [f * (crime * (r1 + progress * 100) + work * r2)
               for f, r1, r2 in zip(funded, (700, 1500, 2300), (800, 1600, 2400))]
    np.testing.assert_allclose(money.earned[0], [fees[0], fees[1] + results[0], fees[2] + results[1], results[2]],
                               rtol=1e-12)
    assert sum(fees) == pytest.approx(8_916_800, abs=0.01)
    assert float(money.paid[0].sum()) == pytest.approx(13_157_046.38, abs=0.01)
    assert float(money.unfunded[0].sum()) == pytest.approx(0, abs=1e-6)     # rounding only


def test_troubled_families_figures():
    # The results in parts and the count cap moved DCLG's payment from 17,825,500 (5/6 of every
    # year's intake, results at 800, 1,600, 2,400 for all 89.6% turned around) to 17,711,264: the
    # first 3,483 families are funded (more of the early, fee-heavy years) and the crime/ASB route
    # pays 100 less to those who do not progress to work. The appraisal is unchanged.
    p = positions(DEALS / "troubled_families" / "model.yaml")
    assert p["local_authority"]["net_before"] == pytest.approx(-56_471_006, abs=1)
    assert p["local_authority"]["net_after"] == pytest.approx(-38_759_742, abs=1)
    assert p["dclg"]["paid"] == pytest.approx(17_711_264, abs=1)
    assert p["public_sector"]["savings"] == pytest.approx(52_901_748, abs=1)


def test_back_to_work_gain_share_is_half_of_dwps_cashable_savings_capped():
    a = cba.appraise(DEALS / "back_to_work" / "model.yaml")
    r = a.partnership()
    led = a.ledger
    dwp_cashable = (led[(led.agency == "dwp") & (led.value_type == "fiscal") & led.cashable]
                    .groupby("year")["real"].sum().reindex(range(a.compiled.horizon), fill_value=0).to_numpy())
    expected = np.minimum(0.5 * dwp_cashable, 250_000)
    np.testing.assert_allclose(r.flows.transfers[0, 0], expected, rtol=1e-12)
    p = positions(DEALS / "back_to_work" / "model.yaml")
    assert p["local_authority"]["net_before"] == pytest.approx(-516_123, abs=1)
    assert p["local_authority"]["net_after"] == pytest.approx(-64_483, abs=1)
    assert p["dwp"]["net_after"] == pytest.approx(283_789, abs=1)
    s = solvers.gain_share(a, "dwp", "local_authority")
    assert f"{s.value:.2%}" == "62.40%"


def test_outcomes_contract_top_up_share_and_the_two_prices():
    a = cba.appraise(DEALS / "outcomes_contract" / "model.yaml")
    f = a.partnership().flows_between()
    top = float(f.loc[f.kind == "top_up", "real"].sum())
    assert top / float(f["real"].sum()) == pytest.approx(1_617_248 / (1_617_248 + 7_958_997), rel=1e-7)
    s = solvers.break_even_price(a, "Child kept out of care", "provider")
    assert round(s.value) == 30_065 and round(s.details["value_ceiling"]) == 199_473
    after = {r["agency"]: r for r in s.result(a).partners().to_dict(orient="records")}
    assert after["provider"]["net_after"] == pytest.approx(0.0, abs=1e-6)


def test_programme_is_the_sum_of_its_members_on_one_footing():
    a = cba.appraise(DEALS / "programme.yaml")
    p = positions(DEALS / "programme.yaml")
    assert p["local_authority"]["net_before"] == pytest.approx(-905_363, abs=1)
    # the council and the NHS pool the family support workers (section 75: 70% / 30%) and DWP
    # funds 70% of the employment advisers by its own agreement: the NHS funds 0.3 x 508,818
    assert p["nhs"]["net_after"] == pytest.approx(78_812 - 0.3 * 508_818.114996, abs=1)      # -73,833
    assert p["local_authority"]["net_after"] == pytest.approx(-391_431, abs=1)
    assert sum(row["net_before"] for row in p.values()) == pytest.approx(90_422, abs=1)
    members = [cba.appraise(EXAMPLES / "family_key_worker.yaml"),
               cba.appraise({**yaml.safe_load((DEALS / "back_to_work" / "model.yaml").read_text()), "horizon": 5,
                             "partnership": None})]
    assert a.metrics["pv_costs"] == pytest.approx(sum(m.metrics["pv_costs"] for m in members), rel=1e-12)
    assert a.metrics["pv_fiscal"] == pytest.approx(sum(m.metrics["pv_fiscal"] for m in members), rel=1e-12)


@pytest.mark.parametrize("readme", sorted(DEALS.rglob("README.md")), ids=lambda p: p.parent.name)
def test_every_command_in_the_partnership_readmes_runs(readme, tmp_path):
    commands = extract_commands(readme.read_text(encoding="utf-8"), str(readme))
    assert commands
    for c in commands:
        words = shlex.split(c.text)
        out = subprocess.run([sys.executable, "-m", "cba", *words[1:]], cwd=REPO, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == c.status, f"{c}: {out.stderr}"


# ---------------------------------------------------------------- every number in a model is cited in its README
#: Fields that are structure, not figures to source (whole years, grades); 0 and 1 (none, all) need no source.
STRUCTURAL = {"horizon", "lag", "duration", "confidence", "payment_lag"}
NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(\s*%)?")


def model_numbers(node, key=None):
    """Every number of a model file, with the field it is under (booleans are not numbers)."""
    if isinstance(node, bool):
        return
    if isinstance(node, (int, float)):
        if key not in STRUCTURAL and node not in (0, 1):
            yield key, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from model_numbers(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from model_numbers(v, key)


def readme_numbers(text: str) -> list[tuple[float, float]]:
    """The numbers a README states, each with the tolerance it is stated to: 3,483 and 0.807081672
    exactly (to 1e-9 relative); 16.89% as the fraction 0.1689 to the precision it is printed."""
    out = []
    for m in NUMBER.finditer(text):
        raw = m.group(1).rstrip(",")
        if "," in raw and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
            continue
        value = float(raw.replace(",", ""))
        out.append((value, 1e-9 * max(1.0, value)))
        if m.group(2):
            decimals = len(raw.split(".")[1]) if "." in raw else 0
            out.append((value / 100, 0.5 * 10.0 ** -decimals / 100))
    return out


def test_the_citation_check_reads_numbers_as_a_person_writes_them():
    found = readme_numbers("up to £4,000 per family; 16.89% = 1,617,248 / 9,576,245; reach 0.807881773")
    for x in (4000, 0.1688812264, 1_617_248, 0.807881773):
        assert any(abs(x - v) <= tol for v, tol in found), x
    for x in (4001, 0.17, 0.80788):
        assert not any(abs(x - v) <= tol for v, tol in found), x


@pytest.mark.parametrize("folder", sorted(p.parent for p in DEALS.glob("*/model.yaml")), ids=lambda p: p.name)
def test_every_number_in_a_model_is_cited_in_its_readme(folder):
    """Every figure an example ships names its source, or says it is an assumption, in its README:
    so each number of its model file must appear there (a computed one with its arithmetic)."""
    model = yaml.safe_load((folder / "model.yaml").read_text(encoding="utf-8"))
    readme = (folder / "README.md").read_text(encoding="utf-8")
    found = readme_numbers(readme)
    missing = sorted({(key, x) for key, x in model_numbers(model)
                      if not any(abs(x - v) <= tol for v, tol in found)}, key=str)
    assert not missing, f"{folder.name}/README.md does not cite {missing}"
    assert "## Where the numbers come from" in readme
    assert re.search(r"\bassum", readme, flags=re.I), "say which figures are assumptions"
