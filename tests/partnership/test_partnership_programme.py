"""Programmes: several interventions on one footing, summed by agency, with one deal."""

import json

import pytest
import yaml

import cba
from cba.cli._main import main
from cba.engine._loading import members
from cba.ledger._programme import by_intervention

EARLY_HELP = {
    "name": "Early help", "price_base": "2024/25", "horizon": 3,
    "costs": [{"name": "Key workers", "agency": "local_authority", "amounts": [100000, 100000]}],
    "outcomes": [{"name": "Fewer care entries", "cohort": 40, "success": 0.3, "duration": 2,
                  "value": {"components": [{"type": "fiscal", "agency": "local_authority", "amount": 5000},
                                           {"type": "fiscal", "agency": "police", "amount": 1000}]}}],
}
BACK_TO_WORK = {
    "name": "Back to work", "price_base": "2020/21", "horizon": 2,
    "costs": [{"name": "Advisers", "agency": "local_authority", "amounts": [50000]}],
    "outcomes": [{"name": "Into work", "cohort": 30, "success": 0.4, "lag": 1,
                  "value": {"components": [{"type": "fiscal", "agency": "dwp", "amount": 6000, "cashable": 0.5,
                                            "transfer": True}]}}],
}


@pytest.fixture
def programme(tmp_path):
    (tmp_path / "early_help.yaml").write_text(yaml.safe_dump(EARLY_HELP))
    sub = tmp_path / "work"
    sub.mkdir()
    (sub / "back_to_work.yaml").write_text(yaml.safe_dump(BACK_TO_WORK))
    prog = {"name": "Whole place", "price_base": "2024/25", "horizon": 3,
            "interventions": ["early_help.yaml", {"path": "work/back_to_work.yaml", "name": "Work"}],
            "partnership": {"gain_share": [{"from": "dwp", "to": "local_authority", "share": 0.5,
                                            "basis": "cashable"}]}}
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(prog, sort_keys=False))
    return path


def test_a_programme_sums_its_interventions_by_agency_on_one_footing(programme):
    a = cba.appraise(programme)
    assert [m["name"] for m in members(a.intervention)] == ["Early help", "Work"]
    assert [c.name for c in a.intervention.costs] == ["Early help: Key workers", "Work: Advisers"]
    # each member appraised on the programme's footing (price base 2024/25, horizon 3); an amount with
    # no price year is at its own model's price base
    one = cba.appraise(EARLY_HELP)
    rebased = {**BACK_TO_WORK, "price_base": "2024/25", "horizon": 3,
               "costs": [{**BACK_TO_WORK["costs"][0], "price_year": "2020/21"}],
               "outcomes": [{**BACK_TO_WORK["outcomes"][0], "value": {"components": [
                   {**BACK_TO_WORK["outcomes"][0]["value"]["components"][0], "price_year": "2020/21"}]}}]}
    two = cba.appraise(rebased)
    by = a.by_agency().set_index("agency")
    for agency in by.index:
        expected = sum(float(x.by_agency().set_index("agency")["net"].get(agency, 0.0)) for x in (one, two))
        assert by.loc[agency, "net"] == pytest.approx(expected, rel=1e-12)
    t = by_intervention(a).set_index("intervention")
    assert t.loc["Early help", "pv_costs"] == pytest.approx(one.metrics["pv_costs"], rel=1e-12)
    assert t.loc["Work", "pv_fiscal"] == pytest.approx(two.metrics["pv_fiscal"], rel=1e-12)
    assert t.loc["Programme", "net"] == pytest.approx(a.metrics["net_present_budget_impact"], rel=1e-12)


def test_one_deal_across_the_programme(programme):
    r = cba.appraise(programme).partnership()
    p = r.partners().set_index("agency")
    two = cba.appraise({**BACK_TO_WORK, "price_base": "2024/25", "horizon": 3})
    assert p.loc["dwp", "paid"] > 0
    assert p.loc["dwp", "paid"] == pytest.approx(p.loc["local_authority", "received"])
    assert r.check().empty
    assert two.metrics["pv_cashable"] > 0


def test_the_programme_command_line(programme, capsys):
    assert main(["partnership", str(programme), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intervention"] == "Whole place"
    assert {p["agency"] for p in data["partners"]} == {"local_authority", "police", "dwp"}
    assert main(["appraise", str(programme)]) == 0
    assert "Whole place" in capsys.readouterr().out


def test_programme_mistakes_name_the_programme_and_the_member(tmp_path):
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump({**EARLY_HELP, "outcomes": [
        {**EARLY_HELP["outcomes"][0], "deadweight": 1.4}]}))
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({"name": "P", "interventions": ["bad.yaml"]}))
    with pytest.raises(cba.CBAError) as err:
        cba.appraise(path)
    assert "p.yaml" in str(err.value) and "bad.yaml: outcomes[0].deadweight" in str(err.value)
    path.write_text(yaml.safe_dump({"name": "P", "interventions": ["missing.yaml"]}))
    with pytest.raises(cba.CBAError, match=r"p\.yaml: .*missing\.yaml: no such file"):
        cba.appraise(path)
    path.write_text(yaml.safe_dump({"name": "P", "interventions": []}))
    with pytest.raises(cba.CBAError, match=r"p\.yaml: interventions: list the model files"):
        cba.appraise(path)
    path.write_text(yaml.safe_dump({"name": "P", "interventions": ["bad.yaml"], "colour": "red"}))
    with pytest.raises(cba.CBAError, match=r"p\.yaml: unknown field 'colour'"):
        cba.appraise(path)
    assert main(["partnership", str(path)]) == 2


def test_a_programme_deal_refers_to_lines_by_their_programme_names(tmp_path, programme):
    data = yaml.safe_load(programme.read_text())
    data["partnership"] = {"funding": [{"cost": "Work: Advisers", "shares": {"dwp": 1}}]}
    programme.write_text(yaml.safe_dump(data))
    p = cba.appraise(programme).partnership().partners().set_index("agency")
    assert p.loc["dwp", "funding"] > 0
    data["partnership"] = {"funding": [{"cost": "Advisers", "shares": {"dwp": 1}}]}
    programme.write_text(yaml.safe_dump(data))
    with pytest.raises(cba.CBAError, match=r"partnership\.funding\[0\]\.cost: no cost line is called 'Advisers'"):
        cba.appraise(programme)


def test_warnings_reach_the_deal_output_and_strict_makes_them_errors(capsys):
    from ..conftest import EXAMPLES

    prog = str(EXAMPLES / "partnership" / "programme.yaml")
    assert main(["partnership", prog, "-f", "json"]) == 0
    out = capsys.readouterr()
    assert "possible double counting" in json.loads(out.out)["warnings"][0]
    assert main(["partnership", prog, "--strict"]) == 2
    assert "possible double counting" in capsys.readouterr().err


def test_an_output_may_not_replace_a_programme_member(programme, capsys):
    member = programme.parent / "early_help.yaml"
    before = member.read_text()
    assert main(["partnership", str(programme), "-f", "json", "-o", str(member), "--force"]) == 2
    assert "early_help.yaml" in capsys.readouterr().err
    assert member.read_text() == before
    assert main(["partnership", str(programme), "-o", str(programme), "--force"]) == 2
