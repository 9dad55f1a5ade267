"""``cba partnership``: formats, solvers, risk, and deal terms in the uncertainty commands."""

import json

import pytest
import yaml
from openpyxl import load_workbook

import cba
from cba.cli._main import main
from cba.uncertainty import one_way, scenarios, switching_value

from ..partnership.test_partnership import WRONG_POCKET


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "wrong_pocket.yaml"
    path.write_text(yaml.safe_dump({**WRONG_POCKET, "partnership": {"gain_share": [
        {"name": "DWP reinvestment", "from": "dwp", "to": "local_authority", "share": 0.5, "basis": "fiscal"}]}}))
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_table_shows_every_partner_before_and_after(model, capsys):
    code, out, _ = run(capsys, "partnership", str(model))
    assert code == 0
    for words in ("Who puts in and who gets back", "without the deal", "with the deal", "DWP reinvestment",
                  "Local authority", "-£700,000", "-£400,000", "£300,000"):
        assert words in out


def test_json_is_the_contract(model, capsys):
    _code, out, _ = run(capsys, "partnership", str(model), "--format", "json")
    data = json.loads(out)
    la = next(p for p in data["partners"] if p["agency"] == "local_authority")
    assert (la["net_before"], la["net_after"], la["received"]) == (-700000.0, -400000.0, 300000.0)
    assert data["flows"][0] == {**data["flows"][0], "from": "dwp", "to": "local_authority",
                                "agreement": "DWP reinvestment", "pv": 300000.0}


@pytest.mark.parametrize("argv, words", [
    # DWP's existing agreement is re-priced and NHS's added: 0.7m from 1.1m of savings
    (["--solve", "gain-share", "--from", "nhs", "--from", "dwp", "--to", "local_authority"], "63.64%"),
    (["--solve", "fair-shares"], "28.57%"),
    (["--solve", "any-split"], "£400,000 ahead"),
    (["--solve", "price", "--outcome", "Better lives", "--payee", "local_authority", "--payer", "nhs"],
     "breaks even at £400,000 per outcome"),
])
def test_solvers_from_the_command_line(model, capsys, argv, words):
    code, out, _ = run(capsys, "partnership", str(model), *argv)
    assert code == 0 and words in out


def test_a_solution_as_json_carries_the_solved_deal(model, capsys):
    _code, out, _ = run(capsys, "partnership", str(model), "--solve", "gain-share", "--from", "nhs",
                        "--to", "local_authority", "-f", "json")
    data = json.loads(out)
    # the deal already passes 0.3m from DWP: NHS must cover the other 0.4m of its 0.5m
    assert data["solution"]["value"] == pytest.approx(0.8)
    la = next(p for p in data["partnership"]["partners"] if p["agency"] == "local_authority")
    assert la["net_after"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("argv, words", [
    (["--solve", "gain-share", "--to", "local_authority"], "needs --from"),
    (["--solve", "price", "--outcome", "Better lives"], "needs --outcome NAME and --payee"),
    (["--solve", "price", "--outcome", "Nope", "--payee", "nhs", "--payer", "dwp"], "no outcome is called 'Nope'"),
    (["--solve", "gain-share", "--from", "mystery", "--to", "nhs"], "unknown partner 'mystery'"),
    (["--from", "dwp"], "--from is for --solve"),
    (["--draws", "10"], "add --spec"),
    (["-f", "xlsx"], "give one with -o"),
])
def test_command_line_mistakes_exit_2(model, capsys, argv, words):
    code, _, err = run(capsys, "partnership", str(model), *argv)
    assert code == 2 and words in err and "Traceback" not in err


def test_a_solver_with_no_answer_says_by_how_much(model, capsys):
    code, out, _ = run(capsys, "partnership", str(model), "--solve", "gain-share", "--from", "nhs",
                       "--to", "local_authority", "--target", "500000")
    assert code == 0 and "No gain-share from NHS is enough" in out and "£400,000 short" in out


def test_risk_gives_each_partner_its_chance_of_losing_money(model, tmp_path, capsys):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"distributions": {
        "outcomes[0].success": {"dist": "uniform", "low": 0.5, "high": 1.0},
        "partnership.gain_share[0].share": {"dist": "uniform", "low": 0.2, "high": 0.8}}}))
    _code, out, _ = run(capsys, "partnership", str(model), "--spec", str(spec), "--draws", "2000", "--seed", "3",
                        "-f", "json")
    risk = {p["agency"]: p for p in json.loads(out)["risk"]["partners"]}
    # the council bears 1.0m and gets back at most 0.3 + 0.8 x 0.6 = 0.78m: it always loses
    assert risk["local_authority"]["probability_of_loss"] == 1.0
    assert risk["nhs"]["probability_of_loss"] == 0.0
    assert risk["dwp"]["p5"] < risk["dwp"]["median"] < risk["dwp"]["p95"]
    _code, out2, _ = run(capsys, "partnership", str(model), "--spec", str(spec), "--draws", "2000", "--seed", "3",
                         "-f", "json")
    assert out2 == out   # same seed, same result


def test_csv_and_xlsx(model, tmp_path, capsys):
    _code, out, _ = run(capsys, "partnership", str(model), "-f", "csv")
    header = out.splitlines()[0].split(",")
    assert header[:4] == ["agency", "agency_name", "costs_before", "funding"] and "net_after" in header
    path = tmp_path / "deal.xlsx"
    assert main(["partnership", str(model), "-o", str(path)]) == 0
    wb = load_workbook(path)
    assert {"Partners", "Flows", "Partners by year"} <= set(wb.sheetnames)
    assert main(["partnership", str(model), "-o", str(path)]) == 2      # never over a file without --force


def test_deal_terms_in_scenarios_sensitivity_and_switching_values(model):
    s = scenarios(model, {"more": {"partnership.gain_share[0].share": 0.8}})
    assert s.table.loc["net_after[local_authority]", "more"] == pytest.approx(-1_000_000 + 300_000 + 480_000)
    sens = one_way(model, {"partnership.gain_share[0].share": [0.0, 1.0]}, metrics=["net_after[dwp]"])
    row = sens.table.iloc[0]
    assert (row["metric_low"], row["metric_high"]) == pytest.approx((600_000, 0.0))
    sv = switching_value(model, "partnership.gain_share[0].share", "net_after[dwp]", threshold=300_000)
    assert sv.value == pytest.approx(0.5, rel=1e-9)
    with pytest.raises(cba.CBAError, match="deal has 1 gain share agreement"):
        scenarios(model, {"x": {"partnership.gain_share[3].share": 0.5}})
    with pytest.raises(cba.CBAError, match="between 0 and 1"):
        scenarios(model, {"x": {"partnership.gain_share[0].share": 1.5}})


def test_the_scenarios_command_shows_deal_metrics(model, tmp_path, capsys):
    spec = tmp_path / "spec.yaml"
    spec.write_text("scenarios:\n  generous:\n    partnership.gain_share[0].share: 0.9\n")
    code, out, _ = run(capsys, "scenarios", str(model), "--spec", str(spec), "-m", "net_after[local_authority]")
    assert code == 0 and "Local authority: net position with the deal" in out and "generous" in out
    assert "-£160,000" in out     # -1.0m + 0.3m + 0.9 x 0.6m


def test_deal_json_validates_against_the_published_schema(tmp_path, capsys):
    import jsonschema

    from cba.outputs.export._schema import results_schema
    from cba.outputs.export._schema_partnership import partnership_schema

    from ..conftest import EXAMPLES
    from ..outputs.test_exports import declared_everywhere

    schema = partnership_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    spec = EXAMPLES / "partnership" / "back_to_work" / "uncertainty.yaml"
    for argv in (["partnership", str(EXAMPLES / "partnership" / "outcomes_contract" / "model.yaml"), "-f", "json"],
                 ["partnership", str(EXAMPLES / "partnership" / "back_to_work" / "model.yaml"), "-f", "json",
                  "--spec", str(spec), "--draws", "500"]):
        assert main(argv) == 0
        data = json.loads(capsys.readouterr().out)
        jsonschema.validate(data, schema)
        declared_everywhere(data, schema, schema["$defs"])
    # an appraisal of a model with a deal carries the deal and the tiers in its JSON
    a = cba.appraise(EXAMPLES / "partnership" / "troubled_families" / "model.yaml")
    data = json.loads(a.to_json())
    full = results_schema()
    jsonschema.validate(data, full)
    declared_everywhere(data, full, full["$defs"])
    assert data["partnership"]["partners"][0]["agency"] == "local_authority"
    assert data["groups"]["central_government_share"] == 0.0
    assert main(["schema", "--partnership"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "PartnershipResultSchema"


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_solvers_question_reads_in_words_not_as_its_option(model, capsys, fmt):
    code, out, _ = run(capsys, "partnership", str(model), "--solve", "gain-share", "--from", "nhs", "--to",
                       "local_authority", "-f", fmt)
    flat = " ".join(out.split())
    assert code == 0 and "Question (" not in flat and "(gain-share)" not in flat
    assert "Question: What share of its savings must NHS pass on for Local authority to break even?" in flat
    assert "Answer: NHS must pass on at least 80.00%" in flat
    assert flat.index("Question: ") < flat.index("Answer: ")


def test_help_says_without_and_with_the_deal(capsys):
    with pytest.raises(SystemExit):
        main(["partnership", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "today" not in text and "before and after" not in text
    assert "without the deal and funds with it" in text and "peak deficit without the deal and with the deal" in text
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = " ".join(capsys.readouterr().out.split())
    assert "each partner without and with the deal" in listing and "before and after" not in listing
