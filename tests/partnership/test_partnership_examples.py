"""The partnership examples: they run from the command line, and their figures are pinned.

Where a figure can be checked by hand it is (the Troubled Families maximum, the top-up
share, the gain-share as a share of DWP's savings, the programme as the sum of its
members); the net positions the READMEs quote are pinned as regression values.
"""

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
    data["outcomes"][0]["success"] = 1.0
    r = cba.appraise(data).partnership()
    assert round(float(r.flows_between()["real"].sum()), 2) == 13_933_333.33   # 4,180 x 5/6 x 4,000


def test_troubled_families_figures():
    p = positions(DEALS / "troubled_families" / "model.yaml")
    assert p["local_authority"]["net_before"] == pytest.approx(-56_471_006, abs=1)
    assert p["local_authority"]["net_after"] == pytest.approx(-38_645_506, abs=1)
    assert p["dclg"]["paid"] == pytest.approx(17_825_500, abs=1)
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
    assert p["nhs"]["net_after"] == pytest.approx(-74_929, abs=1)
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
