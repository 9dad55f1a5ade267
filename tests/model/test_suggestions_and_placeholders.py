"""A misspelt field or unit cost code gets a suggestion; a cba init model warns until it is filled in."""

import pytest
import yaml

import cba
from cba.cli._init import starter
from cba.cli._main import main

MODEL = {"name": "Typo", "price_base": "2024/25", "horizon": 2,
         "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
         "outcomes": [{"name": "Helped", "cohort": 10, "success": 0.5,
                       "value": {"components": [{"type": "fiscal", "agency": "nhs", "amount": 100}]}}]}


@pytest.mark.parametrize("change, path, suggestion", [
    (lambda m: m.update(horizn=m.pop("horizon")), "horizn", "horizon"),
    (lambda m: m["outcomes"][0].update(deadwieght=0.2), "outcomes[0].deadwieght", "deadweight"),
    (lambda m: m["costs"][0].update(agncy="nhs"), "costs[0].agncy", "agency"),
    (lambda m: m["outcomes"][0]["value"]["components"][0].update(cashabel=0.5),
     "outcomes[0].value.components[0].cashabel", "cashable"),
    (lambda m: m.update(partnership={"gain_share": [{"frm": "nhs", "to": "local_authority", "share": 0.5}]}),
     "partnership.gain_share[0].frm", "from"),
])
def test_a_misspelt_field_gets_a_did_you_mean(tmp_path, capsys, change, path, suggestion):
    import copy

    data = copy.deepcopy(MODEL)
    change(data)
    with pytest.raises(cba.CBAError) as info:
        cba.Intervention.model_validate(data)
    assert f"{path}: Extra inputs are not permitted" in str(info.value)
    assert f"did you mean {suggestion!r}?" in str(info.value)
    file = tmp_path / "typo.yaml"
    file.write_text(yaml.safe_dump(data))
    assert main(["appraise", str(file)]) == 2
    err = capsys.readouterr().err
    assert f"typo.yaml: {path}:" in err and f"did you mean {suggestion!r}?" in err


def test_a_field_like_no_other_gets_no_suggestion():
    with pytest.raises(cba.CBAError) as info:
        cba.Intervention.model_validate({**MODEL, "zzzzqqq": 1})
    assert "zzzzqqq: Extra inputs are not permitted" in str(info.value) and "did you mean" not in str(info.value)


def test_a_misspelt_unit_cost_code_gets_a_did_you_mean():
    data = {**MODEL, "outcomes": [{**MODEL["outcomes"][0], "value": {"unit_cost": "E&E1.O"}}]}
    with pytest.raises(cba.CBAError,
                       match=r"outcomes\[0\].value.unit_cost: unknown unit cost code 'E&E1.O'.*Did you mean E&E1"):
        cba.appraise(data)


def test_a_starter_model_warns_until_its_placeholders_are_replaced(tmp_path, capsys):
    path = tmp_path / "early_help.yaml"
    path.write_text(starter("Early help"))
    a = cba.appraise(path)
    (warning,) = [w for w in a.warnings if "cba init" in w]
    # description, two cost sources, the outcome's source and its three components' sources
    assert "7 placeholders" in warning and "description, costs[0].source, costs[1].source and 4 more" in warning
    assert main(["appraise", str(path)]) == 0
    assert "warning: the model still holds 7 placeholders from cba init" in capsys.readouterr().err
    assert main(["appraise", str(path), "--strict"]) == 2
    # replace every text marked REPLACE: the warning goes
    data = yaml.safe_load(path.read_text())
    data["description"] = "Key workers for families"
    for line in [*data["costs"], *data["outcomes"], *data["outcomes"][0]["value"]["components"]]:
        line["source"] = "Council accounts 2024/25"
    path.write_text(yaml.safe_dump(data))
    assert not [w for w in cba.appraise(path).warnings if "cba init" in w]
    assert main(["appraise", str(path), "--strict"]) == 0
