"""The uncertainty commands and the uncertainty file."""

import json

import matplotlib
import pytest

from cba.cli._main import main
from cba.core._errors import CBAError
from cba.uncertainty._spec import UncertaintySpec, load_spec

from ..uncertainty.test_uncertainty_analyses import FISCAL_PER_SUCCESS, PV_COSTS

matplotlib.use("Agg")

# Illustrative ranges for the spec's worked example: test assumptions, not sourced figures.
SPEC = """\
ranges:
  outcomes[0].success: [0.4, 0.6]
  costs[0].amounts: [0.8, 1.2]
  outcomes[0].engagement:
scenarios:
  low:
    outcomes[0].success: 0.4
  high:
    outcomes[0].success: 0.6
    outcomes[0].duration: 2
switching:
  parameters:
    - outcomes[0].success
    - outcomes[0].deadweight
  metrics: [financial_roi, "net[nhs]"]
distributions:
  outcomes[0].success: {dist: uniform, low: 0.3, high: 0.5}
  costs[0].amounts: {dist: triangular, low: 0.9, mode: 1.0, high: 1.5}
correlation:
  - ["outcomes[0].success", "costs[0].amounts", -0.3]
thresholds:
  payback_period: "<= 3"
relative: 0.1
draws: 2000
seed: 5
"""


@pytest.fixture
def files(tmp_path, worked_example_path):
    spec = tmp_path / "uncertainty.yaml"
    spec.write_text(SPEC)
    return str(worked_example_path), str(spec)


def test_spec_file_reads_every_section(files):
    spec = load_spec(files[1])
    assert spec.ranges["outcomes[0].success"] == [0.4, 0.6] and spec.ranges["outcomes[0].engagement"] is None
    assert spec.scenarios["high"]["outcomes[0].duration"] == 2
    assert spec.switching_parameters == ["outcomes[0].success", "outcomes[0].deadweight"]
    assert spec.switching_metrics == ["financial_roi", "net[nhs]"]
    assert spec.distributions["costs[0].amounts"]["dist"] == "triangular"
    assert (spec.draws, spec.seed, spec.relative) == (2000, 5, 0.1)


@pytest.mark.parametrize("text, message", [
    ("ranges: {outcomes[0].success: [0.4, 0.6]}\n", "quote parameter paths"),
    ("distribution:\n  a: 1\n", "unknown section 'distribution'"),
    ("- a\n", "must be a mapping of sections"),
    ("draws: many\n", "draws: expected a whole number"),
    ("scenarios:\n  low: 0.4\n", "scenarios.low: expected a mapping"),
])
def test_spec_file_errors(tmp_path, text, message):
    p = tmp_path / "u.yaml"
    p.write_text(text)
    with pytest.raises(CBAError) as err:
        load_spec(p)
    assert str(err.value).startswith(str(p)) and message in str(err.value)
    with pytest.raises(CBAError, match="no such file"):
        load_spec(tmp_path / "missing.yaml")
    assert UncertaintySpec.from_dict(None).distributions == {}


def test_scenarios_command(files, capsys):
    assert main(["scenarios", *files[:1], "--spec", files[1], "-m", "financial_roi", "-m", "net[nhs]"]) == 0
    out = capsys.readouterr().out
    # metrics by their labels, never their ids (issue 12, item 5)
    assert "Financial ROI (fiscal benefit per £1 of cost)" in out and "NHS: net position" in out
    assert "1.47" in out and "-£9,662" in out and "Present value of costs" not in out
    assert "financial_roi" not in out and "net[nhs]" not in out
    assert "Assumptions" in out and "pounds at 2024/25 prices" in out


def test_sensitivity_command_and_chart(files, tmp_path, capsys):
    chart = tmp_path / "tornado.png"
    args = ["sensitivity", files[0], "--spec", files[1], "-m", "financial_roi", "--chart", str(chart),
            "-f", "json"]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["parameter"] for r in rows] == ["outcomes[0].success", "costs[0].amounts", "outcomes[0].engagement"]
    eng = rows[2]
    assert (eng["low_value"], eng["high_value"]) == pytest.approx((0.72, 0.88))      # relative: 0.1 of 0.8
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert main(args) == 2                                      # the chart is never overwritten ...
    assert "already exists" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0                         # ... unless asked


def test_switching_command(files, capsys):
    assert main(["switching", files[0], "--spec", files[1]]) == 0
    out = capsys.readouterr().out
    # a table per metric, by label; a parameter with no switching value says why (issue 12, item 5)
    assert "where Financial ROI (fiscal benefit per £1 of cost) reaches 1.00" in out
    row = next(line for line in out.splitlines() if line.startswith("Fewer repeat incidents: success"))
    assert row.split()[-2:] == ["0.5", f"{PV_COSTS / FISCAL_PER_SUCCESS:.6g}"]
    assert "where NHS: net position reaches £0" in out
    assert "none: Fewer repeat incidents: success: the result stays below £0 for every value from 0 to 1" in out
    assert "net[nhs]" not in out and "financial_roi" not in out


def test_montecarlo_command(files, tmp_path, capsys):
    draws = tmp_path / "draws.csv"
    out = tmp_path / "mc.json"
    assert main(["montecarlo", files[0], "--spec", files[1], "--no-progress", "-f", "json", "-o", str(out),
                 "--draws-output", str(draws)]) == 0
    data = json.loads(out.read_text())
    assert data["draws"] == 2000 and data["seed"] == 5
    assert data["summary"]["payback_period"]["threshold"] == "payback_period <= 3"
    lines = draws.read_text().splitlines()
    assert lines[0].startswith("draw,outcomes[0].success,costs[0].amounts,pv_costs") and len(lines) == 2001
    # the same seed from the command line gives the same answer
    assert main(["montecarlo", files[0], "--spec", files[1], "--no-progress", "-f", "json", "--seed", "5",
                 "--draws", "2000", "--chunk-size", "500", "--workers", "2"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["summary"] == data["summary"]
    assert main(["montecarlo", files[0], "--spec", files[1], "--no-progress"]) == 0
    table = capsys.readouterr().out
    assert "Monte Carlo, 2,000 draws, seed 5" in table and "financial_roi" not in table
    row = next(line for line in table.splitlines() if line.startswith("Financial ROI (fiscal benefit per £1 of cost)")
               and "> 1.00" in line)
    assert row.endswith("%")


def test_user_mistakes_exit_2(files, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("distributions:\n  outcomes[0].success: {dist: pert, low: 0.5, mode: 0.2, high: 0.7}\n")
    assert main(["montecarlo", files[0], "--spec", str(bad), "--no-progress"]) == 2
    err = capsys.readouterr().err
    # the message names the uncertainty file and the field in it (issue 11, item 7)
    assert err.startswith(f"cba: error: {bad}: distributions.outcomes[0].success: pert: mode (0.2) must lie between")
    assert "Traceback" not in err
    empty = tmp_path / "empty.yaml"
    empty.write_text("seed: 1\n")
    for cmd in ("scenarios", "sensitivity", "switching", "montecarlo"):
        assert main([cmd, files[0], "--spec", str(empty)]) == 2
        assert "no '" in capsys.readouterr().err
    assert main(["sensitivity", files[0], "--spec", files[1], "--chart", str(tmp_path / "t.gif")]) == 2
    assert "must end in .png, .svg or .pdf" in capsys.readouterr().err
