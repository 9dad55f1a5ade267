"""Command-line outputs: every format, never overwriting, exit 2 for mistakes; init, schema, compare."""

import json
import subprocess
import sys

import jsonschema
import openpyxl
import pytest
import yaml

import cba
from cba.cli._init import starter
from cba.cli._main import main
from cba.outputs.export._formats import FORMATS
from cba.outputs.export._schema import model_schema, results_schema

from ..conftest import EXAMPLES

WORKED = EXAMPLES / "worked_example.yaml"
A = EXAMPLES / "options" / "single_intake.yaml"
B = EXAMPLES / "options" / "two_intakes.yaml"
SUFFIX = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv", "xlsx": "xlsx", "docx": "docx"}


def check_output(fmt, path):
    if fmt == "docx":
        import docx

        title = docx.Document(str(path)).paragraphs[0].text
        assert title == "Worked example" or title.startswith("Options compared: Key workers")
        return
    if fmt == "xlsx":
        assert openpyxl.load_workbook(path).sheetnames[0] in ("Cover", "Side by side")
        return
    text = path.read_text()
    if fmt == "json":
        json.loads(text)
    elif fmt == "csv":
        assert text.count("\n") > 2 and "," in text.splitlines()[0]
    else:
        assert "£" in text


# ---------------------------------------------------------------- appraise
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_writes_and_never_overwrites(tmp_path, capsys, fmt):
    out = tmp_path / f"result.{SUFFIX[fmt]}"
    assert main(["appraise", str(WORKED), "--format", fmt, "-o", str(out)]) == 0
    check_output(fmt, out)
    assert f"wrote {out}" in capsys.readouterr().err
    out.write_text("precious")
    assert main(["appraise", str(WORKED), "--format", fmt, "-o", str(out)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert out.read_text() == "precious"
    assert main(["appraise", str(WORKED), "--format", fmt, "-o", str(out), "--force"]) == 0
    check_output(fmt, out)


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_text_formats_print(capsys, fmt):
    assert main(["appraise", str(WORKED), "--format", fmt]) == 0
    out = capsys.readouterr().out
    expected = {"table": "Net present budget impact", "markdown": "| Financial case | Net present budget impact",
                "json": '"net_present_budget_impact": 23401.36', "csv": "source_type,line,source"}[fmt]
    assert expected in out


def test_format_follows_the_output_suffix(tmp_path):
    for fmt, suffix in SUFFIX.items():
        out = tmp_path / f"r.{suffix}"
        assert main(["appraise", str(WORKED), "-o", str(out)]) == 0
        check_output(fmt, out)
    assert (tmp_path / "r.md").read_text().startswith("# Worked example")


def test_xlsx_needs_a_file(capsys):
    assert main(["appraise", str(WORKED), "--format", "xlsx"]) == 2
    assert "give one with -o" in capsys.readouterr().err


MISTAKE = """name: m
price_base: 2024/25
horizon: 2
costs: [{name: c, agency: local_authority, amounts: [100]}]
outcomes:
  - {name: o, cohort: 10, success: 0.5, deadweight: 1.4,
     value: {components: [{type: fiscal, agency: police, amount: 30}]}}
"""


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_user_mistake_exits_2_with_the_field_for_every_format(tmp_path, fmt):
    model = tmp_path / "bad.yaml"
    model.write_text(MISTAKE)
    out = tmp_path / f"out.{SUFFIX[fmt]}"
    run = subprocess.run([sys.executable, "-m", "cba", "appraise", str(model), "--format", fmt, "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr == f"cba: error: {model}: outcomes[0].deadweight: must be between 0 and 1, got 1.4\n"
    assert not out.exists()


# ---------------------------------------------------------------- compare
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_compare_every_format(tmp_path, fmt):
    out = tmp_path / f"options.{SUFFIX[fmt]}"
    assert main(["compare", str(A), str(B), "--format", fmt, "-o", str(out)]) == 0
    check_output(fmt, out)
    assert main(["compare", str(A), str(B), "--format", fmt, "-o", str(out)]) == 2


def test_compare_reference_and_mistakes(tmp_path, capsys):
    assert main(["compare", str(A), str(B), "--reference", "two_intakes", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reference"] == "Key workers: two intakes"
    assert main(["compare", str(A), str(B), "--reference", "nope"]) == 2
    assert "reference: 'nope' is not one of the options" in capsys.readouterr().err
    later = tmp_path / "later.yaml"
    later.write_text(B.read_text().replace("price_base: 2024/25", "price_base: 2023/24"))
    assert main(["compare", str(A), str(later)]) == 2
    assert "price_base: options must share a price base" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text(MISTAKE)
    assert main(["compare", str(A), str(bad)]) == 2
    assert "outcomes[0].deadweight: must be between 0 and 1" in capsys.readouterr().err
    assert main(["compare", str(A)]) == 2
    assert "at least two options" in capsys.readouterr().err


# ---------------------------------------------------------------- init
def test_init_writes_a_starter_that_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "early_help"]) == 0
    path = tmp_path / "early_help.yaml"
    text = path.read_text()
    assert "REPLACE" in text and "docs/method.md" in text
    assert main(["appraise", str(path)]) == 0
    assert "Net present budget impact" in capsys.readouterr().out
    jsonschema.validate(yaml.safe_load(text), model_schema())
    # never over a file
    path.write_text("mine")
    assert main(["init", "early_help"]) == 2
    assert "already exists" in capsys.readouterr().err and path.read_text() == "mine"
    assert main(["init", "early_help", "--force"]) == 0 and "REPLACE" in path.read_text()
    assert main(["init", "x", "-o", str(tmp_path / "other.yaml")]) == 0
    assert cba.load_intervention(tmp_path / "other.yaml").name == "x"


def test_starter_figures_are_the_worked_example():
    """Every number in the starter is the method's worked example (no invented figures)."""
    start = cba.Intervention.from_yaml(starter("s")).to_dict()
    worked = cba.load_intervention(WORKED).to_dict()
    for key in ("price_base", "horizon", "discounting"):
        assert start[key] == worked[key]
    strip = ("source", "description")

    def numbers(node):
        if isinstance(node, dict):
            return {k: numbers(v) for k, v in node.items() if k not in strip}
        if isinstance(node, list):
            return [numbers(v) for v in node]
        return node

    assert numbers(start["costs"]) == numbers(worked["costs"])
    assert numbers(start["outcomes"]) == numbers(worked["outcomes"])
    assert cba.appraise(cba.Intervention.from_yaml(starter("s"))).metrics == pytest.approx(
        cba.appraise(WORKED).metrics, nan_ok=True)


def test_init_names_with_spaces_quote_their_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "Early help"]) == 0
    text = (tmp_path / "Early help.yaml").read_text()
    assert "cba appraise 'Early help.yaml'" in text
    assert cba.load_intervention(tmp_path / "Early help.yaml").name == "Early help"


# ---------------------------------------------------------------- schema
def test_schema_command(capsys, tmp_path):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "Intervention" and printed == json.loads(json.dumps(model_schema()))
    assert main(["schema", "--results"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert results["title"] == "AppraisalResult" and results["$comment"] == results_schema()["$comment"]
    assert main(["appraise", str(WORKED), "--format", "json", "-o", str(tmp_path / "r.json")]) == 0
    jsonschema.validate(json.loads((tmp_path / "r.json").read_text()), results)
    out = tmp_path / "schema.json"
    assert main(["schema", "-o", str(out)]) == 0 and main(["schema", "-o", str(out)]) == 2
