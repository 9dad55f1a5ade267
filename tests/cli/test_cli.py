"""The command line: results, and exit status 2 with one clear message for user mistakes."""

import json
import subprocess
import sys

import pytest
import yaml

from cba.cli._main import main

GOOD = {
    "name": "m", "price_base": "2024/25", "horizon": 2,
    "costs": [{"name": "c", "agency": "local_authority", "amounts": [100]}],
    "outcomes": [{"name": "o", "cohort": 10, "success": 0.5,
                  "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 30}]}}],
}


def write(tmp_path, data, name="m.yaml"):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return p


def test_table_output(tmp_path, capsys):
    assert main(["appraise", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "Present value of costs" in out and "£100" in out
    assert "Police" in out and "£150" in out


def test_json_output_to_file_refuses_overwrite(tmp_path, capsys):
    model = write(tmp_path, GOOD)
    out = tmp_path / "result.json"
    assert main(["appraise", str(model), "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["metrics"]["pv_fiscal"] == 150.0
    out.write_text("precious")
    assert main(["appraise", str(model), "--format", "json", "-o", str(out)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert out.read_text() == "precious"
    assert main(["appraise", str(model), "--format", "json", "-o", str(out), "--force"]) == 0
    assert json.loads(out.read_text())["metrics"]["pv_costs"] == 100.0


MISTAKES = {
    "missing file": (None, "no such file"),
    "invalid yaml": ("name: [oops\n", "invalid YAML"),
    "rate of 1.4": ({**GOOD, "outcomes": [{**GOOD["outcomes"][0], "success": 1.4}]},
                    "outcomes[0].success: must be between 0 and 1, got 1.4"),
    "unknown agency": ({**GOOD, "costs": [{**GOOD["costs"][0], "agency": "nhs_trust"}]},
                       "costs[0].agency: unknown agency 'nhs_trust'"),
    "cohort longer than horizon": ({**GOOD, "outcomes": [{**GOOD["outcomes"][0], "cohort": [1, 2, 3]}]},
                                   "outcomes[0].cohort: 3 intake years given but the horizon is 2 years"),
    "discount rate of 1.4": ({**GOOD, "discounting": {"rate": 1.4}}, "discounting.rate: must be between 0 and 1"),
    "price year outside deflator": ({**GOOD, "costs": [{**GOOD["costs"][0], "price_year": "1980/81"}]},
                                    "costs[0].price_year: price year 1980/81 is not in the deflator series"),
    "not a mapping": ("- a\n- b\n", "must be a mapping"),
    "unknown deflator": ({**GOOD, "deflator": "nope"}, "deflator: unknown deflator series 'nope'"),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_user_mistakes_exit_2_with_field_message(tmp_path, case):
    data, expected = MISTAKES[case]
    path = tmp_path / "missing.yaml" if data is None else write(tmp_path, data)
    run = subprocess.run([sys.executable, "-m", "cba", "appraise", str(path), "--format", "json"],
                         capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    assert expected in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("cba: error: ")


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["appraise"])
    assert exit_.value.code == 2
