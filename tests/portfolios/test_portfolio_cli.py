"""``cba portfolio FILE``: the worked example's figures, every format, -o, and exit status 2 on bad files."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pytest
from openpyxl import load_workbook

import cba
from cba.cli._main import main
from cba.outputs.export._schema_portfolio import portfolio_schema

from ..conftest import EXAMPLES

EXAMPLE = EXAMPLES / "portfolio" / "portfolio.yaml"


def test_worked_example_figures_are_pinned():
    r = cba.portfolio(EXAMPLE)
    assert r.status == "optimal" and r.solution.gap == 0.0
    assert r.chosen == ["Early help: two intakes", "Swindon LIFE", "Troubled families"]
    # net present public values of the three on the portfolio's footing: 333,999 + 3,224,931 + 8,082
    assert r.value == pytest.approx(3_567_011.90, abs=0.01)
    pos = r.positions().set_index("agency")
    # the NHS is £9,816.93 down (early help's two intakes); side payments bring it to its floor of 0
    assert pos.loc["nhs", "side_payment"] == pytest.approx(9_816.93, abs=0.01)
    assert pos.loc["nhs", "net_after"] == pytest.approx(0.0, abs=1e-6)
    assert pos["side_payment"].sum() == pytest.approx(0.0, abs=1e-6)
    b = r.budgets().set_index(["agency", "year"])
    # Swindon LIFE 614,994 + two intakes 40,000 = 654,994 of the council's 1,000,000 in 2026/27
    assert b.loc[("local_authority", "2026/27"), "spend"] == pytest.approx(654_994, abs=1)
    assert b.loc[("nhs", "2026/27"), "headroom"] == pytest.approx(0.0, abs=1e-6)
    # back to work needs the key workers; together they break the council's 2026/27 budget
    assert "Back to work" not in r.chosen
    f = r.frontier()
    assert f["value"].is_monotonic_increasing and len(f) == 7
    # risk: two chosen candidates name uncertainty files; the central figures are the positions
    assert r.risk is not None and r.risk.drawn == ("Early help: two intakes", "Swindon LIFE")
    assert r.risk.draws == 10_000 and r.risk.seed == 20251205
    risk = r.risk_table().set_index("agency")
    assert np.allclose(risk["net_after"], pos["net_after"], rtol=0, atol=1e-6)
    # the NHS, brought exactly to 0 by a fixed side payment, loses money when early help does worse
    assert 0.3 < risk.loc["nhs", "probability_of_loss"] < 0.8
    assert risk.loc["dwp", "probability_of_loss"] == 0.0


def test_a_candidates_warning_names_its_file_as_the_portfolio_file_does():
    # back to work's own deal does not apply on the portfolio's footing: the warning says so, naming
    # the file as portfolio.yaml writes it, not where this machine found it
    warned = [w for w in cba.portfolio(EXAMPLE).candidates.warnings if "partnership deal" in w]
    assert len(warned) == 1
    assert warned[0].startswith("Back to work: its model file (../partnership/back_to_work/model.yaml) has its "
                                "own partnership deal, which does not apply in a portfolio; write the terms under "
                                "this candidate's partnership: in the portfolio file")
    assert str(EXAMPLES.resolve()) not in warned[0]


def test_formats_and_output_file(tmp_path, capsys):
    assert main(["portfolio", str(EXAMPLE), "--no-frontier"]) == 0
    text = capsys.readouterr().out
    assert "proven optimal" in text and "Swindon LIFE" in text and "Value of £1 more (approx.)" in text
    assert main(["portfolio", str(EXAMPLE), "-f", "markdown", "--no-frontier"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# A place") and "| Partner |" in md
    out = tmp_path / "p.json"
    assert main(["portfolio", str(EXAMPLE), "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    schema = portfolio_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert data["status"] == "optimal" and data["solver"]["gap_tolerance"] == 0.0
    assert main(["portfolio", str(EXAMPLE), "-o", str(out)]) == 2          # no overwrite without --force
    assert "exists" in capsys.readouterr().err
    csv = tmp_path / "p.csv"
    assert main(["portfolio", str(EXAMPLE), "-o", str(csv), "--no-frontier"]) == 0
    assert csv.read_text().splitlines()[0].startswith("candidate,chosen,objective")
    xlsx = tmp_path / "p.xlsx"
    assert main(["portfolio", str(EXAMPLE), "-o", str(xlsx)]) == 0
    assert "Positions" in load_workbook(xlsx).sheetnames
    assert main(["schema", "--portfolio"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "PortfolioResultSchema"


@pytest.mark.parametrize(("text", "message"), [
    ("name: x\n", "candidates"),
    ("name: x\ncandidates: [{path: nowhere.yaml}]\n", "nowhere.yaml"),
    ("name: x\ncandidates: [{path: ../worked_example.yaml}]\nbudgets: {police: {2025/26: 1}}\n", "budgets.police"),
    ("name: x\ncandidates: [{path: ../worked_example.yaml}]\nstructure: {include: [Nope]}\n", "Nope"),
    ("name: x\ncandidates: [{path: ../worked_example.yaml}]\nbudgets: {nhs: {2025/26: yes}}\n", "budgets"),
    ("- a list\n", "mapping"),
])
def test_bad_files_exit_2_naming_file_and_field(tmp_path, capsys, text, message):
    folder = tmp_path / "p"
    folder.mkdir()
    (tmp_path / "worked_example.yaml").write_text((EXAMPLES / "worked_example.yaml").read_text())
    f = folder / "portfolio.yaml"
    f.write_text(text)
    assert main(["portfolio", str(f)]) == 2
    err = capsys.readouterr().err
    assert "portfolio.yaml" in err and message in err and "Traceback" not in err


def test_infeasible_exits_1_with_what_binds(tmp_path, capsys):
    f = tmp_path / "portfolio.yaml"
    f.write_text(f"name: x\ncandidates: [{{path: {EXAMPLES / 'worked_example.yaml'}, name: Early help}}]\n"
                 "start_year: 2025/26\nbudgets: {local_authority: {2025/26: 30000}}\n"
                 "structure: {include: [Early help]}\n")
    assert main(["portfolio", str(f)]) == 1
    out = capsys.readouterr().out
    # the worked example's council spends £40,000 in its first year: £10,000 over a budget of £30,000
    assert "budget of local_authority in 2025/26 binds" in out and "£10,000" in out
