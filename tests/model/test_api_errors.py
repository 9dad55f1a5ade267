"""Models built or changed in Python: every mistake is a CBAError naming its field path,
one message per mistake, all the mistakes of a model together (issue 12, item 7)."""

from __future__ import annotations

import copy

import pytest
from pydantic import ValidationError

import cba
from cba import CBAError, ModelError

BASE = {
    "name": "API", "price_base": "2024/25", "horizon": 3,
    "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [100.0]}],
    "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5, "deadweight": 0.2,
                  "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 30.0}]}}],
}


def data(**changes):
    d = copy.deepcopy(BASE)
    for key, value in changes.items():
        target, *path = key.split("__")
        here = d
        parts = [target, *path]
        for p in parts[:-1]:
            here = here[int(p)] if p.isdigit() else here[p]
        last = parts[-1]
        here[int(last) if last.isdigit() else last] = value
    return d


def problems(build) -> list[tuple[str, str]]:
    with pytest.raises(ModelError) as err:
        build()
    assert isinstance(err.value, CBAError) and not isinstance(err.value, ValidationError)
    assert str(err.value) == "\n".join(f"{p}: {m}" if p else m for p, m in err.value.problems)
    return err.value.problems


def paths(build) -> list[str]:
    return [p for p, _ in problems(build)]


@pytest.mark.parametrize("build", [
    lambda d: cba.Intervention(**d),
    lambda d: cba.Intervention.from_dict(d),
    lambda d: cba.Intervention.model_validate(d),
    lambda d: cba.appraise(d),
], ids=["constructor", "from_dict", "model_validate", "appraise"])
def test_field_and_cross_field_mistakes_are_reported_together(build):
    # a rate out of range (a field), more amounts than years and an unknown agency (checks across fields)
    d = data(outcomes__0__deadweight=1.4, costs__0__amounts=[1, 2, 3, 4, 5],
             outcomes__0__value__components__0__agency="nobody")
    got = problems(lambda: build(d))
    assert [p for p, _ in got] == ["outcomes[0].deadweight", "costs[0].amounts",
                                   "outcomes[0].value.components[0].agency"]
    assert got[0][1] == "must be between 0 and 1, got 1.4"
    assert got[1][1] == "5 years given but the horizon is 3 years"
    assert got[2][1].startswith("unknown agency 'nobody'")


def test_a_required_field_with_a_bad_value_does_not_hide_the_other_mistakes():
    d = data(outcomes__0__success=2, costs__0__agency="nobody")
    assert paths(lambda: cba.Intervention(**d)) == ["outcomes[0].success", "costs[0].agency"]
    d = data(outcomes__0__success="often", horizon=0)
    assert paths(lambda: cba.Intervention(**d)) == ["horizon", "outcomes[0].success"]


def test_a_mistake_caused_by_another_is_not_reported_twice():
    # the bad agency id is one mistake: its stand-in must not show up as an unknown agency too
    d = data(costs__0__agency="Local Authority")
    assert paths(lambda: cba.Intervention(**d)) == ["costs[0].agency"]
    # a misspelt field is one mistake
    d = data(outcomes__0__deadwieght=0.2)
    got = problems(lambda: cba.Intervention(**d))
    assert got == [("outcomes[0].deadwieght", "Extra inputs are not permitted, got 0.2; did you mean 'deadweight'?")]


def test_one_message_per_mistake_for_a_value_of_several_types():
    # cohort is a number or a list of numbers: a bad number gets the number's message only
    d = data(outcomes__0__cohort=-1)
    assert problems(lambda: cba.Intervention(**d)) == [("outcomes[0].cohort", "must be zero or more, got -1.0")]
    # a list with a bad item: that item's message only
    d = data(outcomes__0__cohort=[1, -1])
    assert problems(lambda: cba.Intervention(**d)) == [("outcomes[0].cohort[1]", "must be zero or more, got -1.0")]
    # cashable is a share or a share per agency
    d = data(outcomes__0__cashable=1.4)
    assert problems(lambda: cba.Intervention(**d)) == [("outcomes[0].cashable", "must be between 0 and 1, got 1.4")]
    d = data(outcomes__0__cashable={"police": 2})
    assert paths(lambda: cba.Intervention(**d)) == ["outcomes[0].cashable.police"]
    # neither type: one message
    d = data(outcomes__0__cohort="many")
    assert paths(lambda: cba.Intervention(**d)) == ["outcomes[0].cohort"]


def test_several_checks_across_fields_are_several_problems():
    d = data(costs=[{"name": "A", "agency": "nobody", "amounts": [1, 2, 3, 4]},
                    {"name": "B", "agency": "nhs", "amounts": [1, 2, 3, 4]}])
    assert paths(lambda: cba.Intervention(**d)) == ["costs[0].agency", "costs[0].amounts", "costs[1].amounts"]


def test_changing_a_nested_model_names_its_path_and_keeps_the_old_value():
    model = cba.Intervention(**BASE)
    with pytest.raises(ModelError) as err:
        model.outcomes[0].deadweight = 1.4
    assert str(err.value) == "outcomes[0].deadweight: must be between 0 and 1, got 1.4"
    assert model.outcomes[0].deadweight == 0.2
    with pytest.raises(ModelError, match=r"^outcomes\[0\]\.value\.components\[0\]\.amount: "):
        model.outcomes[0].value.components[0].amount = "lots"
    # a good change is kept, and the model still appraises
    model.outcomes[0].deadweight = 0.3
    assert cba.appraise(model).metrics["pv_fiscal"] > 0
    # a change that breaks a check across fields of the whole model is reported, with every
    # such mistake and its path, when the model is appraised (or checked)
    model.costs[0].amounts = [1, 2, 3, 4]
    model.outcomes[0].value.components[0].agency = "nobody"
    got = problems(lambda: cba.appraise(model))
    assert [p for p, _ in got] == ["costs[0].amounts", "outcomes[0].value.components[0].agency"]
    assert got[0][1] == "4 years given but the horizon is 3 years"
    with pytest.raises(ModelError):
        model.check()
    model.costs[0].amounts = [100.0]
    model.outcomes[0].value.components[0].agency = "police"
    model.check()


def test_a_new_list_is_checked_and_its_items_named_by_their_new_paths():
    model = cba.Intervention(**BASE)
    model.costs = [*model.costs, cba.CostLine(name="Extra", agency="nhs", amounts=[5.0])]
    with pytest.raises(ModelError, match=r"^costs\[1\]\.agency: must be a lower-case id"):
        model.costs[1].agency = "N H S"
    with pytest.raises(ModelError, match=r"^costs\[0\]\.agency: must be a lower-case id"):
        model.costs = [{"name": "C", "agency": "LA X", "amounts": [1]}]


def test_model_copy_checks_the_update():
    model = cba.Intervention(**BASE)
    with pytest.raises(ModelError, match=r"^horizon: "):
        model.model_copy(update={"horizon": -3})
    with pytest.raises(ModelError, match=r"^costs\[0\]\.amounts: 1 years given but the horizon is 0|^horizon"):
        model.model_copy(update={"horizon": 0})
    copied = model.model_copy(update={"name": "Copy"})
    assert copied.name == "Copy" and copied.costs == model.costs
    assert cba.appraise(copied).metrics == cba.appraise(model).metrics
    # private state (the model file's folder and hash) travels with a copy
    loaded = cba.engine._loading.load_intervention("examples/worked_example.yaml")
    again = loaded.model_copy(update={"name": "Again"})
    assert again._source_sha256 == loaded._source_sha256 and again._base_dir == loaded._base_dir


def test_a_model_changed_in_place_is_checked_when_appraised():
    model = cba.Intervention(**BASE)
    model.costs.append(cba.CostLine(name="Long", agency="nhs", amounts=[1.0] * 5))
    with pytest.raises(ModelError, match=r"^costs\[1\]\.amounts: 5 years given but the horizon is 3 years$"):
        cba.appraise(model)
    model = cba.Intervention(**BASE)
    model.costs.append({"name": "Raw", "agency": "nhs", "amounts": [1.0]})
    with pytest.raises(ModelError, match=r"^costs\[1\]: expected a CostLine, got dict$"):
        cba.appraise(model)
    model = cba.Intervention(**BASE)
    model.costs[0].amounts.append("x")
    model.outcomes[0].cohort = [1.0]
    model.outcomes[0].cohort.append(float("nan"))
    got = problems(lambda: cba.appraise(model))
    assert [p for p, _ in got] == ["costs[0].amounts[1]", "outcomes[0].cohort[1]"]
    assert got[0][1] == "expected a number, got 'x'" and got[1][1] == "expected a finite number, got nan"


def test_unchanged_models_give_the_same_numbers():
    a = cba.appraise("examples/worked_example.yaml")
    b = cba.appraise(cba.engine._loading.load_intervention("examples/worked_example.yaml"))
    assert a.metrics == b.metrics
    assert a.metrics["financial_roi"] == pytest.approx(1.4712, abs=1e-4)
