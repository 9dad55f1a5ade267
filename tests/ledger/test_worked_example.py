"""The method spec's worked example (section 6), by hand and through every entry point."""

import json
import subprocess
import sys

import pytest

import cba

# Hand arithmetic, independent of the engine:
# net successes 100 * 0.8 * 0.5 * (1 - 0.2) = 32; benefit-years 0, 32, 28.8, 25.92;
# OB for grade 3 is 10%, so fiscal flows are 1000 * 0.9 * B = 0, 28800, 25920, 23328.
DF = [1.0, 1 / 1.035, 1 / 1.035**2, 1 / 1.035**3]
FISCAL = [0.0, 28800.0, 25920.0, 23328.0]
PV_FISCAL = sum(f * d for f, d in zip(FISCAL, DF))
PV_COSTS = 40000.0 + 10000.0 * DF[1]
EXPECTED = {
    "pv_costs": PV_COSTS,
    "pv_fiscal": PV_FISCAL,
    "pv_cashable": 0.5 * PV_FISCAL,
    "pv_economic": 2 * PV_FISCAL,
    "pv_social": 0.5 * PV_FISCAL,
    "pv_public_value": 3.5 * PV_FISCAL,
    "net_present_budget_impact": PV_FISCAL - PV_COSTS,
    "net_present_public_value": 3.5 * PV_FISCAL - PV_COSTS,
    "financial_roi": PV_FISCAL / PV_COSTS,
    "cashable_roi": 0.5 * PV_FISCAL / PV_COSTS,
    "economic_roi": 2 * PV_FISCAL / PV_COSTS,
    "social_roi": 0.5 * PV_FISCAL / PV_COSTS,
    "public_value_roi": 3.5 * PV_FISCAL / PV_COSTS,
    # cumulative discounted fiscal passes cumulative cost in year 2 -> 3 years
    "payback_period": 3,
    # cost shares 40000/PV_COSTS and the rest; the local authority banks everything
    "wrong_pocket_index": 0.5 * (abs(40000 / PV_COSTS - 1) + abs(10000 * DF[1] / PV_COSTS - 0)),
}
# The figures printed in the spec, at their printed precision.
PRINTED = {
    "pv_costs": 49661.8357, "pv_fiscal": 73063.2037, "pv_cashable": 36531.6019,
    "pv_economic": 146126.4075, "pv_social": 36531.6019, "pv_public_value": 255721.2131,
    "net_present_budget_impact": 23401.3680, "financial_roi": 1.471214,
    "net_present_public_value": 206059.3774, "public_value_roi": 5.149250,
    "payback_period": 3, "wrong_pocket_index": 0.194553,
}


def _check(metrics):
    for name, value in EXPECTED.items():
        assert metrics[name] == pytest.approx(value, rel=1e-9, abs=1e-9), name
    for name, value in PRINTED.items():
        places = len(str(value).split(".")[1]) if "." in str(value) else 0
        assert round(metrics[name], places) == pytest.approx(value, abs=10 ** -places), name


def test_python_api(worked_example_path):
    a = cba.appraise(worked_example_path)
    _check(a.metrics)
    # irr of the undiscounted fiscal net flow -40000, 18800, 25920, 23328
    flows = [-40000.0, 28800.0 - 10000.0, 25920.0, 23328.0]
    r = a.metrics["irr"]
    assert sum(x / (1 + r) ** t for t, x in enumerate(flows)) == pytest.approx(0, abs=1e-6)


def test_fiscal_by_year(worked_example_path):
    years = cba.appraise(worked_example_path).by_year()
    assert years["fiscal"].tolist() == pytest.approx(FISCAL, rel=1e-12)
    assert years["discount_factor"].tolist() == pytest.approx(DF, rel=1e-12)
    assert years["cumulative_discounted_fiscal_net"].iloc[-1] == pytest.approx(PV_FISCAL - PV_COSTS, rel=1e-12)


def test_agency_ledger(worked_example_path):
    table = cba.appraise(worked_example_path).by_agency().set_index("agency")
    assert table.loc["local_authority", "pv_costs"] == pytest.approx(40000.0, rel=1e-12)
    assert table.loc["local_authority", "pv_fiscal"] == pytest.approx(PV_FISCAL, rel=1e-9)
    assert table.loc["local_authority", "net"] == pytest.approx(PV_FISCAL - 40000, rel=1e-9)
    assert table.loc["nhs", "pv_costs"] == pytest.approx(10000 * DF[1], rel=1e-12)
    assert table.loc["nhs", "pv_fiscal"] == 0
    assert table.loc["nhs", "net"] == pytest.approx(-10000 * DF[1], rel=1e-12)
    # rounded to the penny as printed in the spec
    assert round(table.loc["local_authority", "net"], 2) == 33063.20
    assert round(table.loc["nhs", "net"], 2) == -9661.84


def test_command_line_json(worked_example_path):
    out = subprocess.run([sys.executable, "-m", "cba", "appraise", str(worked_example_path), "--format", "json"],
                         capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    _check(data["metrics"])
    assert set(data["metrics"]) == set(cba.engine._metrics.METRIC_NAMES) | {"value_for_money"}  # issue 9: VfM category
    agencies = {row["agency"]: row for row in data["by_agency"]}
    assert set(agencies) == {"local_authority", "nhs"}
    for row in agencies.values():
        assert {"pv_costs", "pv_fiscal", "pv_cashable", "net"} <= set(row)
    assert agencies["nhs"]["roi"] == 0.0
    assert len(data["by_year"]) == 4


def test_json_null_for_none(tmp_path):
    model = tmp_path / "nocost.yaml"
    model.write_text(
        "name: No costs\nprice_base: 2024/25\nhorizon: 2\n"
        "outcomes:\n  - {name: o, cohort: 1, success: 1, value: {components: [{type: social, amount: 5}]}}\n")
    out = subprocess.run([sys.executable, "-m", "cba", "appraise", str(model), "--format", "json"],
                         capture_output=True, text=True, check=True)
    metrics = json.loads(out.stdout)["metrics"]
    for name in ("financial_roi", "public_value_roi", "payback_period", "irr", "wrong_pocket_index"):
        assert metrics[name] is None, name
    assert '"financial_roi": null' in out.stdout
