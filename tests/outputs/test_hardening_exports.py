"""Injection-safe exports (issue 11, item 5): every CSV the project writes neutralises
formula-like text and keeps numbers as numbers; Markdown escapes raw HTML; charts never
read a name as mathtext."""

from __future__ import annotations

import copy
import csv
import io
import re

import pytest
import yaml

import cba
from cba.cli._main import main
from cba.core._escaping import csv_cell, csv_text, csv_uncell, markdown_text

from ..conftest import EXAMPLES
from ..unit_costs.test_unit_costs_workbook import make_v14

WORKED = EXAMPLES / "worked_example.yaml"
BASE = yaml.safe_load(WORKED.read_text())
NAMES = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
         "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "line one\nline two"]
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_like(cell: str) -> bool:
    return cell[:1] in ("=", "+", "@", "\t", "\r") or (cell.startswith("-") and not _NUMBER.fullmatch(cell))


def assert_safe(text: str, numeric: tuple[str, ...] = ()) -> list[list[str]]:
    """No cell a spreadsheet would execute; the ``numeric`` columns hold plain numbers."""
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not formula_like(cell), cell
    header = rows[0]
    for name in numeric:
        j = header.index(name)
        for row in rows[1:]:
            assert row[j] == "" or _NUMBER.fullmatch(row[j]) or row[j] in ("True", "False"), (name, row[j])
    return rows


def hostile_model(name=NAMES[0]):
    data = copy.deepcopy(BASE)
    data["name"] = name
    data["costs"][0]["name"] = NAMES[1]
    data["costs"][1]["name"] = NAMES[2]
    data["outcomes"][0]["name"] = NAMES[3]
    # a name may not hold a tab or line break (refused at load since issue 19): the agency's
    # formula starts with "=" instead; the tab and carriage return starts are checked on the
    # component label, which is not a name, and by the helpers above
    data["agencies"] = [{"id": "evil", "name": "=1+1 " + NAMES[0]}]
    data["outcomes"][0]["value"]["components"][0]["label"] = NAMES[4] + NAMES[6]
    data["costs"][1]["agency"] = "evil"
    return data


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(hostile_model(), allow_unicode=True))
    return path


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


# ---------------------------------------------------------------- the helpers
@pytest.mark.parametrize("text", NAMES[:6])
def test_csv_cell_neutralises_and_round_trips(text):
    safe = csv_cell(text)
    assert safe.startswith("'") and csv_uncell(safe) == text


@pytest.mark.parametrize("value", [-5, -5.5, 3.0, "-5", "-1.5e3", "plain text", "", None, True])
def test_numbers_and_plain_text_are_left_alone(value):
    assert csv_cell(value) == value


def test_csv_text_quotes_line_breaks_and_keeps_numbers():
    import pandas as pd

    text = csv_text(pd.DataFrame({"name": ["a\nb", "=1"], "value": [-1.5, 2.0]}))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["name", "value"], ["a\nb", "-1.5"], ["'=1", "2.0"]]
    # a lone carriage return inside text is quoted too (the csv module would leave it bare)
    for text in (csv_text(pd.DataFrame({"a\rb": ["c\rd"], "n": [1.5]})), csv_text([["c\rd", 1.5]], ["a\rb", "n"])):
        assert list(csv.reader(io.StringIO(text, newline=""))) == [["a\rb", "n"], ["c\rd", "1.5"]]


def test_markdown_text_escapes_raw_html():
    assert markdown_text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert markdown_text("Fish &amp; chips & peas") == "Fish &amp;amp; chips & peas"


# ---------------------------------------------------------------- every CSV export
def test_ledger_csv(hostile, capsys):
    rows = assert_safe(run(capsys, "appraise", hostile, "-f", "csv"), numeric=("real", "discounted", "year"))
    sources = {r[2] for r in rows[1:]}
    assert "'" + NAMES[1] in sources and "'" + NAMES[3] in sources
    a = cba.appraise(hostile)
    assert assert_safe(a.to_csv()) == rows


def test_comparison_csv(hostile, tmp_path, capsys):
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump(hostile_model(NAMES[3]), allow_unicode=True))
    rows = assert_safe(run(capsys, "compare", hostile, other, "-f", "csv"), numeric=("value", "difference"))
    assert {r[0] for r in rows[1:]} == {"'" + NAMES[0], "'" + NAMES[3]}


@pytest.fixture
def hostile_spec(tmp_path):
    spec = tmp_path / "u.yaml"
    spec.write_text(yaml.safe_dump({
        # a scenario's name is a name: no carriage return (refused since issue 19), a formula instead
        "scenarios": {NAMES[0]: {"outcomes[0].success": 0.4}, NAMES[3]: {"outcomes[0].success": 0.6}},
        "ranges": {"outcomes[0].success": [0.4, 0.6], "costs[0].amounts": [0.8, 1.2]},
        "switching": {"parameters": ["outcomes[0].success", "outcomes[0].deadweight"]},
        "distributions": {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7},
                          "costs[0].amounts": {"dist": "uniform", "low": 0.9, "high": 1.1}},
        "draws": 300, "seed": 1}, sort_keys=False))
    return spec


def test_uncertainty_csvs(hostile, hostile_spec, tmp_path, capsys):
    rows = assert_safe(run(capsys, "scenarios", hostile, "--spec", hostile_spec, "-f", "csv"), numeric=("base",))
    assert rows[0] == ["metric", "base", "'" + NAMES[0], "'" + NAMES[3]]
    for r in rows[1:]:  # numbers under the hostile headers are numbers
        assert all(c == "" or _NUMBER.fullmatch(c) for c in r[1:])
    rows = assert_safe(run(capsys, "sensitivity", hostile, "--spec", hostile_spec, "-f", "csv"),
                       numeric=("metric_low", "metric_high", "swing"))
    assert any(r[rows[0].index("label")].startswith("'" + NAMES[1]) for r in rows[1:])
    assert_safe(run(capsys, "switching", hostile, "--spec", hostile_spec, "-f", "csv"))
    draws = tmp_path / "draws.csv"
    assert_safe(run(capsys, "montecarlo", hostile, "--spec", hostile_spec, "-f", "csv", "--no-progress",
                    "--draws-output", draws), numeric=("mean", "p50"))
    assert_safe(draws.read_text(), numeric=("outcomes[0].success", "financial_roi"))


def test_unit_cost_search_and_import_csvs(tmp_path, capsys):
    local = tmp_path / "local.csv"
    local.write_text("code,description,value_type,value,price_year,agency,comment\n"
                     f'X1,"{NAMES[0].replace(chr(34), chr(34) * 2)}",fiscal,-5,2019/20,police,@cmd\n')
    rows = assert_safe(run(capsys, "unit-costs", "search", "X1", "--local", local, "-f", "csv"), numeric=("value",))
    header = rows[0]
    assert rows[1][header.index("description")] == "'" + NAMES[0] and rows[1][header.index("value")] == "-5"
    book = make_v14(tmp_path / "v14.xlsx", rows=[
        ("EMPLOYMENT & ECONOMY", "BENEFITS", "E&E1.0", NAMES[0], "Per claimant per year", "DWP", "-",
         (9800, "2012/13")),
    ])
    out, notes = tmp_path / "out.csv", tmp_path / "notes.csv"
    run(capsys, "unit-costs", "import", book, "-o", out, "--notes", notes)
    rows = assert_safe(out.read_text(), numeric=("value",))
    assert rows[1][rows[0].index("description")] == "'" + NAMES[0]
    assert rows[1][rows[0].index("agency_level_2")] == "'-"
    assert_safe(notes.read_text())
    db = cba.unit_costs.from_csv(out)  # reads back exactly
    assert db["E&E1.0"].description == NAMES[0]


# ---------------------------------------------------------------- Markdown
def test_markdown_escapes_raw_html_in_user_text(tmp_path):
    data = hostile_model("<script>alert(1)</script>")
    data["description"] = "Made by <b onmouseover=alert(1)>us</b>"
    data["costs"][0]["name"] = "<img src=x onerror=alert(1)>"
    md = cba.appraise(data).to_markdown()
    assert "<script>" not in md and "<img" not in md and "<b " not in md
    assert "# &lt;script&gt;alert(1)&lt;/script&gt;" in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    other = copy.deepcopy(data)
    other["name"] = "<iframe src=x>"
    md = cba.compare([data, other]).to_markdown()
    assert "<iframe" not in md and "<script>" not in md


# ---------------------------------------------------------------- charts
def test_chart_text_never_becomes_mathtext(tmp_path):
    pytest.importorskip("matplotlib")
    from cba.outputs.charts._appraisal import all_charts, to_svg

    data = hostile_model(r"Costs in $\undefinedcommand{x}$ and $$")
    data["agencies"] = [{"id": "evil", "name": r"$\frac{1}{0}$ team"}]
    figs = all_charts(cba.appraise(data))
    for fig in figs.values():
        svg = to_svg(fig)  # a name read as mathtext fails to draw (\undefinedcommand) or draws a fraction
        assert "<svg" in svg
    texts = [t.get_text() for fig in figs.values() for ax in fig.axes for t in ax.get_xticklabels()]
    assert any(r"\$\frac{1}{0}\$ team" in t.replace("\n", " ") for t in texts), texts


def test_tornado_labels_and_report_with_dollar_names(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    data = copy.deepcopy(BASE)
    data["costs"][0]["name"] = r"$\undefinedcommand$"
    model = tmp_path / "m.yaml"
    model.write_text(yaml.safe_dump(data))
    spec = tmp_path / "u.yaml"
    spec.write_text("ranges:\n  costs[0].amounts: [0.8, 1.2]\n")
    run(capsys, "sensitivity", model, "--spec", spec, "--chart", tmp_path / "t.svg")
    assert (tmp_path / "t.svg").read_text().count("<svg") == 1
    data["name"] = r"A $\undefinedcommand$ model"
    model.write_text(yaml.safe_dump(data))
    run(capsys, "report", model, "-o", tmp_path / "r.html")
    assert "undefinedcommand" in (tmp_path / "r.html").read_text()
