"""Messages always name the file and stay short (issue 19, item 5)."""

from __future__ import annotations

import copy
import json

import yaml

from cba.cli._main import main

MODEL = {"name": "T", "price_base": "2024/25", "horizon": 2,
         "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000, 1000]}],
         "outcomes": [{"name": "O", "cohort": 10, "success": 0.5,
                       "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_an_integer_too_long_names_the_file_and_field_in_yaml_and_json(tmp_path, capsys):
    big = "9" * 500
    y = tmp_path / "m.yaml"
    y.write_text(yaml.safe_dump(MODEL).replace("- 1000\n", f"- {big}\n", 1))
    status, _, err = run(capsys, "appraise", y)
    assert status == 2 and "m.yaml, line" in err and "costs[0].amounts[0]: an integer of 500 digits" in err
    j = tmp_path / "m.json"
    j.write_text(json.dumps(MODEL).replace("1000", big, 1))
    status, _, err = run(capsys, "appraise", j)
    assert status == 2 and "m.json, line 1: costs[0].amounts[0]: an integer of 500 digits" in err


def test_a_deal_price_year_outside_the_deflator_names_the_model_file(tmp_path, capsys):
    data = copy.deepcopy(MODEL)
    data["partnership"] = {"payments": [{"from": "nhs", "to": "local_authority", "amounts": [100],
                                         "price_year": "1900/01"}]}
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data))
    status, _, err = run(capsys, "partnership", path)
    assert status == 2 and f"{path}: partnership.payments[0].price_year" in err


def test_the_spec_file_of_partnership_is_named(tmp_path, capsys):
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump({**MODEL, "partnership": {"payments": [
        {"from": "nhs", "to": "local_authority", "amounts": [100]}]}}))
    spec = tmp_path / "risk.yaml"
    spec.write_text(yaml.safe_dump({"draws": 10, "distributions": {"outcomes[0].succes": {"uniform": [0.1, 0.2]}}}))
    status, _, err = run(capsys, "partnership", path, "--spec", spec)
    assert status == 2 and f"{spec}: outcomes[0].succes" in err


def test_one_mistake_repeated_through_a_large_file_prints_a_short_message(tmp_path, capsys):
    data = copy.deepcopy(MODEL)
    data["outcomes"] = [{**MODEL["outcomes"][0], "name": f"O{i}", "success": 2, "agency": "x" * 1000}
                        for i in range(5000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data))
    status, _, err = run(capsys, "appraise", path)
    assert status == 2
    assert len(err) < 20_000 and err.count("\n") <= 25
    assert "big.json: outcomes[0].success" in err and "more problems (the first 20 are shown)" in err


def test_a_name_with_a_terminal_escape_is_refused_naming_the_file(tmp_path, capsys):
    data = copy.deepcopy(MODEL)
    data["costs"][0]["name"] = "Staff\x1b[2J"
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(data))
    status, _, err = run(capsys, "appraise", path)
    assert status == 2 and "m.yaml: costs[0].name: holds a line break or control character" in err
    assert "\x1b" not in err


def test_scenario_names_are_names_refused_with_control_characters_or_two_spellings(tmp_path, capsys):
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(MODEL))
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({"scenarios": {"Low\nForged": {"outcomes[0].success": 0.2}}}))
    status, out, err = run(capsys, "scenarios", path, "--spec", spec)
    assert status == 2 and f"{spec}: scenarios: the name" in err and "control character" in err and not out
    spec.write_text(yaml.safe_dump({"scenarios": {"Low": {"outcomes[0].success": 0.2},
                                                  "LOW": {"outcomes[0].success": 0.3}}}))
    status, _, err = run(capsys, "scenarios", path, "--spec", spec)
    assert status == 2 and "'LOW'" in err and "'Low'" in err
