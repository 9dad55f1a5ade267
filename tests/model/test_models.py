"""Validation: every user mistake gives a message naming the field."""

import pytest
import yaml

from cba import CBAError, Intervention, ModelError
from cba.engine._loading import load_intervention
from cba.model import DiscountSchedule, OptimismBiasTable

BASE = {
    "name": "m", "price_base": "2024/25", "horizon": 3,
    "costs": [{"name": "c", "agency": "local_authority", "amounts": [100]}],
    "outcomes": [{"name": "o", "cohort": 10, "success": 0.5,
                  "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 10}]}}],
}


def model(**changes):
    data = yaml.safe_load(yaml.safe_dump(BASE))
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[int(k)] if k.isdigit() else target[k]
        last = keys[-1]
        target[int(last) if last.isdigit() else last] = value
    return Intervention.from_dict(data)


def problems(**changes) -> str:
    with pytest.raises(ModelError) as err:
        model(**changes)
    return str(err.value)


def test_valid_base():
    m = model()
    assert m.outcomes[0].engagement == 1.0 and m.horizon == 3


def test_rate_out_of_range_names_field():
    assert problems(outcomes__0__deadweight=1.4) == "outcomes[0].deadweight: must be between 0 and 1, got 1.4"


def test_negative_cost_names_field():
    assert "costs[0].amounts[0]: must be zero or more, got -5" in problems(costs__0__amounts=[-5])


def test_unknown_agency():
    msg = problems(costs__0__agency="polce")
    assert msg.startswith("costs[0].agency: unknown agency 'polce'")
    assert "declare it under 'agencies'" in msg


def test_declared_agency_is_accepted():
    m = model(costs__0__agency="youth_offending_service",
              agencies=[{"id": "youth_offending_service", "name": "Youth Offending Service"}])
    assert m.agency_names["youth_offending_service"] == "Youth Offending Service"


def test_bad_agency_slug():
    assert "agencies[0].id: must be a lower-case id" in problems(agencies=[{"id": "Bad Id", "name": "x"}])


def test_cohort_longer_than_horizon():
    assert problems(outcomes__0__cohort=[1, 2, 3, 4]) == \
        "outcomes[0].cohort: 4 intake years given but the horizon is 3 years"


def test_amounts_longer_than_horizon():
    assert problems(costs__0__amounts=[1, 2, 3, 4]) == "costs[0].amounts: 4 years given but the horizon is 3 years"


def test_missing_field():
    data = yaml.safe_load(yaml.safe_dump(BASE))
    del data["outcomes"][0]["success"]
    with pytest.raises(ModelError, match=r"outcomes\[0\]\.success: Field required"):
        Intervention.from_dict(data)


def test_typo_field_is_rejected():
    assert "outcomes[0].deadwieght: Extra inputs are not permitted" in problems(outcomes__0__deadwieght=0.2)


def test_fiscal_component_needs_agency():
    msg = problems(outcomes__0__value={"components": [{"type": "fiscal", "amount": 1}]})
    assert msg == "outcomes[0].value.components[0].agency: a fiscal component needs the agency that makes the saving"


def test_economic_component_has_no_agency():
    msg = problems(outcomes__0__value={"components": [{"type": "economic", "amount": 1, "agency": "nhs"}]})
    assert "outcomes[0].value.components[0].agency" in msg


def test_value_needs_something():
    assert "outcomes[0].value: give components or a unit_cost code" in problems(outcomes__0__value={})


def test_bad_price_base():
    assert "price_base: not a financial year label: '2024'" in problems(price_base="2024")


def test_non_finite_rejected():
    assert "outcomes[0].cohort" in problems(outcomes__0__cohort=float("nan"))


def test_grade_not_in_table():
    assert "outcomes[0].confidence: Input should be greater than or equal to 1" in problems(outcomes__0__confidence=0)
    assert problems(outcomes__0__confidence=7) == \
        "outcomes[0].confidence: grade 7 is not in the optimism-bias table 'gm'"


def test_quantity_given_twice():
    value = {"components": [{"type": "social", "amount": 1}], "quantity": 2}
    assert "outcomes[0].quantity: given on the outcome and on its value" in problems(
        outcomes__0__value=value, outcomes__0__quantity=3)


def test_discount_rate_out_of_range():
    assert problems(discounting={"rate": 1.4}) == "discounting.rate: must be between 0 and 1, got 1.4"


def test_discount_shorthands_round_trip():
    for form in ("green_book", "green_book_health", {"rate": 0.05},
                 {"bands": [{"start_year": 0, "rate": 0.04}, {"start_year": 10, "rate": 0.03}]}):
        schedule = DiscountSchedule.from_dict(form)
        assert schedule.model_dump(mode="json") == form
        assert DiscountSchedule.from_dict(schedule.model_dump(mode="json")) == schedule


def test_custom_bands_must_start_at_zero():
    with pytest.raises(ModelError, match="must start at year 0"):
        DiscountSchedule.from_dict({"bands": [{"start_year": 1, "rate": 0.04}]})


def test_optimism_bias_table():
    assert OptimismBiasTable.from_dict("gm").grades == {1: 0.0, 2: 0.05, 3: 0.10, 4: 0.15, 5: 0.25, 6: 0.40}
    custom = OptimismBiasTable.from_dict({"name": "mine", "grades": {1: 0.0, 2: 0.2}})
    assert custom.correction(2) == 0.2
    assert custom.model_dump(mode="json") == {"name": "mine", "grades": {"1": 0.0, "2": 0.2}}
    assert OptimismBiasTable.from_dict(custom.model_dump(mode="json")) == custom
    with pytest.raises(ModelError, match="below that for grade 1"):
        OptimismBiasTable.from_dict({"name": "bad", "grades": {1: 0.3, 2: 0.2}})
    with pytest.raises(ModelError, match="unknown optimism-bias table"):
        OptimismBiasTable.from_dict("hmt")


def test_financial_year_forms_normalised():
    m = model(price_base="2024-25")
    assert m.price_base == "2024/25"


def test_year_labels():
    assert model(start_year="2025/26").year_labels() == ["2025/26", "2026/27", "2027/28"]
    assert model().year_labels() == ["Year 0", "Year 1", "Year 2"]


def test_load_intervention_errors(tmp_path):
    with pytest.raises(CBAError, match="no such file"):
        load_intervention(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(CBAError, match="invalid YAML"):
        load_intervention(bad)
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n")
    with pytest.raises(CBAError, match="must be a mapping"):
        load_intervention(listy)
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text("name: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(CBAError, match="invalid YAML"):
        load_intervention(unsafe)


def test_model_file_error_names_file_and_field(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text(yaml.safe_dump({**BASE, "horizon": 0}))
    with pytest.raises(ModelError) as err:
        load_intervention(p)
    assert str(err.value) == f"{p}: horizon: Input should be greater than or equal to 1, got 0"
