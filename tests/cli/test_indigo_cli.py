"""``cba indigo``: an INDIGO project's rate card, payers, investors and problems; its deal as YAML."""

import json

import pytest
import yaml

import cba
from cba.cli._main import main
from cba.model._indigo import read_indigo

from ..conftest import REPO

FIXTURES = REPO / "tests" / "data" / "indigo"
SKILL_MILL = str(FIXTURES / "skill_mill.json")
NORFOLK = str(FIXTURES / "stronger_families_norfolk.json")
GM = str(FIXTURES / "gm_rough_sleeping.json")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_table_shows_the_rate_card_payers_investors_and_problems(capsys):
    code, out, _ = run(capsys, "indigo", SKILL_MILL)
    assert code == 0
    for words in ("The Skill Mill (INDIGO-POJ-0195)", "Rate card: 6 tariffs", "£3,241,776", "£4,390", "£9,340",
                  "Outcome payers (each pays its share of every payment, pro rata to its maximum)", "£1,418,976",
                  "Department for Culture, Media and Sport (DCMS)", "Investors", "£362,500", "Big Issue Invest",
                  "Agencies to declare in the model", "INDIGO-ORG-0171", "What does not add up (0)", "Notes"):
        assert words in out, words


def test_a_mismatch_is_reported_with_both_figures(capsys):
    code, out, _ = run(capsys, "indigo", NORFOLK)
    assert code == 0
    assert "What does not add up (4)" in out and "no rate card" in out
    flat = " ".join(out.split())
    assert "sum to £9,576,245" in flat and "£8,629,679.50" in flat and "£946,565.50 more" in flat


def test_json_holds_everything_read(capsys):
    code, out, _ = run(capsys, "indigo", GM, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "INDIGO-POJ-0154" and data["maximum"] == 2_629_000
    assert [t["price"] for t in data["payment"]["tariffs"]][:4] == [600, 1500, 1500, 2600]
    assert data["payment"]["payers"][0] == {"payer": "indigo_org_0088", "maximum": 2_629_000}
    assert data["problems"][0]["path"] == "service_provisions"
    assert data["agencies"][0]["indigo_id"] == "INDIGO-ORG-0088"


def test_the_deal_is_a_model_files_sections_and_runs(capsys, tmp_path):
    deal_file = tmp_path / "deal.yaml"
    code, _, err = run(capsys, "indigo", SKILL_MILL, "--deal", "-o", str(deal_file))
    assert code == 0 and f"wrote {deal_file}" in err
    text = deal_file.read_text(encoding="utf-8")
    assert text.startswith("# Deal terms of the INDIGO project INDIGO-POJ-0195 The Skill Mill")
    deal = yaml.safe_load(text)
    project = read_indigo(SKILL_MILL)
    # a model whose outcomes are the metrics, each achieved as often as the final results say
    model = {"name": "The Skill Mill at its final results", "price_base": "2024/25", "horizon": 1,
             "agencies": deal["agencies"],
             "costs": [{"name": "Programme", "agency": "indigo_org_1116", "amounts": [1_000_000]}],
             "outcomes": [{"name": m.id, "cohort": m.achieved, "success": 1,
                           "value": {"components": [{"type": "social", "amount": 0}]}} for m in project.metrics],
             "partnership": deal["partnership"]}
    result = cba.appraise(model).partnership()
    assert result.check().empty
    paid = {r["agency"]: r["paid"] for r in result.to_dict()["partners"]}
    # 4,659,370 at the prices, cut to the contract maximum: every payer pays exactly its commitment
    for payer in project.payers:
        assert paid[payer.payer] == pytest.approx(payer.maximum, rel=1e-12)
    assert sum(paid[p.payer] for p in project.payers) == pytest.approx(3_241_776, rel=1e-12)
    # its four investors, with no return cap stated, are one syndicate repaid pari passu: each
    # keeps its own investment and draws in proportion to its commitment; the provider pays the
    # investors no more than the outcome payments and the capital it receives
    investments = deal["partnership"]["investments"]
    assert len(investments) == 4 and {i["provider"] for i in investments} == {"indigo_org_1116"}
    table = result.investors()
    committed = sum(i["commitment"] for i in investments)
    for inv, (_, row) in zip(investments, table.iterrows(), strict=True):
        assert row["drawn"] == pytest.approx(table["drawn"].sum() * inv["commitment"] / committed, rel=1e-12)
    provider = next(r for r in result.to_dict()["partners"] if r["agency"] == "indigo_org_1116")
    assert provider["paid"] <= provider["received"] + 1e-6


def test_the_deal_by_the_output_suffix_and_its_format_checks(capsys, tmp_path):
    out = tmp_path / "gm.yaml"
    assert run(capsys, "indigo", GM, "-o", str(out))[0] == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["partnership"]["outcome_payments"][0]["cap"] == 2_629_000
    code, _, err = run(capsys, "indigo", GM, "-o", str(out))
    assert code == 2 and "exists" in err
    assert run(capsys, "indigo", GM, "-o", str(out), "--force")[0] == 0
    code, _, err = run(capsys, "indigo", GM, "--deal", "--format", "json")
    assert code == 2 and "--deal writes YAML" in err
    code, _, err = run(capsys, "indigo", GM, "-o", str(tmp_path / "gm.csv"))
    assert code == 2 and "cannot write a .csv file" in err
    code, _, err = run(capsys, "indigo", GM, "-o", GM, "--force")
    assert code == 2


def test_a_payee_can_be_chosen(capsys):
    code, out, _ = run(capsys, "indigo", GM, "--deal", "--payee", "gm_homes")
    deal = yaml.safe_load(out)
    assert code == 0 and deal["partnership"]["outcome_payments"][0]["payee"] == "gm_homes"
    assert {"id": "gm_homes", "name": "Gm homes"} in deal["agencies"]


@pytest.mark.parametrize("text, words", [
    ("not json", "invalid JSON"),
    ("[]", "a JSON object"),
    ('{"outcome_pricings": [{"outcome_metric_id": {"value": "m"}, "price_per_unit": {"amount": {"value": "£5"}}}]}',
     "outcome_pricings[0].price_per_unit.amount: expected a number, got text"),
])
def test_a_mistake_exits_2_naming_the_file_and_field(capsys, tmp_path, text, words):
    path = tmp_path / "project.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "indigo", str(path))
    assert code == 2 and out == "" and err.startswith(f"cba: error: {path}") and words in err


def test_indigo_is_listed_in_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "indigo" in capsys.readouterr().out


def test_a_folder_is_the_tabular_export_read_for_one_project(capsys):
    tabular = str(FIXTURES / "tabular")
    code, out, _ = run(capsys, "indigo", tabular, "--project", "INDIGO-POJ-0195", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data.pop("source") == tabular
    from_json = read_indigo(SKILL_MILL).to_dict()
    from_json.pop("source")
    assert data == from_json
    code, out, err = run(capsys, "indigo", tabular)
    assert code == 2 and out == "" and "give --project ID" in err
    code, _, err = run(capsys, "indigo", tabular, "--project", "INDIGO-POJ-9999")
    assert code == 2 and "original_projects.csv: no project 'INDIGO-POJ-9999'" in err
    code, _, err = run(capsys, "indigo", SKILL_MILL, "--project", "INDIGO-POJ-0195")
    assert code == 2 and "--project chooses a project of a tabular export folder" in err
