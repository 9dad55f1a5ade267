"""Strict parsing (issue 11, item 3): duplicate keys, booleans, byte-order marks, reserved
scenario names, short and badly quoted CSV rows."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

import cba
import cba.uncertainty
import cba.unit_costs
from cba.cli._main import main
from cba.core._errors import CBAError
from cba.uncertainty import scenarios
from cba.uncertainty._spec import UncertaintySpec, load_spec
from cba.unit_costs import from_csv
from cba.unit_costs._tidy_csv import read_csv_text

from ..conftest import EXAMPLES

WORKED = EXAMPLES / "worked_example.yaml"
BASE = yaml.safe_load(WORKED.read_text())


# ---------------------------------------------------------------- duplicate keys
@pytest.mark.parametrize("suffix,text,key,line", [
    (".yaml", "name: A\nprice_base: 2024/25\nname: B\n", "name", 3),
    (".yaml", "name: A\nprice_base: 2024/25\ncosts:\n  - name: c\n    agency: nhs\n    amounts: [1]\n    agency: dwp\n",
     "agency", 7),
    (".json", '{\n  "name": "A",\n  "price_base": "2024/25",\n  "name": "B"\n}', "name", 4),
    (".json", '{"name": "A", "price_base": "2024/25",\n "costs": [{"name": "c", "agency": "nhs",\n'
              ' "amounts": [1], "agency": "dwp"}]}', "agency", 3),
])
def test_duplicate_keys_are_errors_naming_the_key_and_line(tmp_path, suffix, text, key, line):
    path = tmp_path / f"model{suffix}"
    path.write_text(text)
    with pytest.raises(CBAError) as info:
        cba.load_intervention(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}, line {line}: duplicate key {key!r} (first on line ")


def test_duplicate_keys_in_text_given_in_python():
    with pytest.raises(CBAError, match="line 2: duplicate key 'name'"):
        cba.Intervention.from_yaml("name: a\nname: b\nprice_base: 2024/25\n")
    with pytest.raises(CBAError, match="duplicate key 'name'"):
        cba.Intervention.from_json('{"name": "a", "name": "b", "price_base": "2024/25"}')


def test_duplicate_keys_in_an_uncertainty_file(tmp_path, capsys):
    spec = tmp_path / "u.yaml"
    spec.write_text("scenarios:\n  low:\n    outcomes[0].success: 0.3\n    outcomes[0].success: 0.4\n")
    assert main(["scenarios", str(WORKED), "--spec", str(spec)]) == 2
    assert f"{spec}, line 4: duplicate key 'outcomes[0].success' (first on line 3)" in capsys.readouterr().err


def test_yaml_merge_keys_still_work_and_explicit_keys_win():
    data = cba.core._files.parse_data("base: &b {a: 1, b: 2}\nother:\n  <<: *b\n  b: 3\n")
    assert data["other"] == {"a": 1, "b": 3}


def test_the_strict_parser_reads_what_safe_load_reads():
    text = (EXAMPLES / "worked_example_uncertainty.yaml").read_text()
    assert cba.core._files.parse_data(text) == yaml.safe_load(text)
    for model in EXAMPLES.rglob("*.yaml"):
        text = model.read_text()
        assert cba.core._files.parse_data(text) == yaml.safe_load(text), model


# ---------------------------------------------------------------- booleans are not numbers
def _with(path: str, value):
    data = copy.deepcopy(BASE)
    target = data
    keys = path.split(".")
    for k in keys[:-1]:
        target = target[int(k)] if k.isdigit() else target[k]
    last = keys[-1]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


BOOLEAN_FIELDS = [
    "outcomes.0.success", "outcomes.0.cohort", "outcomes.0.engagement", "outcomes.0.deadweight",
    "outcomes.0.lag", "outcomes.0.duration", "outcomes.0.drop_off", "outcomes.0.confidence",
    "outcomes.0.quantity", "outcomes.0.cashable", "outcomes.0.value.components.0.amount",
    "outcomes.0.value.components.0.cashable", "costs.0.amounts.0", "costs.0.confidence", "horizon",
]


@pytest.mark.parametrize("field", BOOLEAN_FIELDS)
@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_never_taken_as_a_number(field, value):
    with pytest.raises(CBAError) as info:
        cba.Intervention.from_dict(_with(field, value))
    path = field.replace(".0", "[0]")
    assert f"{path}: expected a number, got {str(value).lower()}" in str(info.value)


@pytest.mark.parametrize("text", ["cohort: yes", "cohort: [100, true]", "cohort: on"])
def test_yes_and_on_in_yaml_are_not_numbers(text):
    model = WORKED.read_text().replace("cohort: 100", text)
    with pytest.raises(CBAError, match="expected a number, got true"):
        cba.Intervention.from_yaml(model)


def test_booleans_in_discounting_and_optimism_bias_tables():
    for change in ({"discounting": {"rate": True}}, {"discounting": {"bands": [{"start_year": False, "rate": 0.03}]}},
                   {"optimism_bias": {"name": "mine", "grades": {1: True}}}):
        with pytest.raises(CBAError, match="expected a number"):
            cba.Intervention.from_dict({**BASE, **change})


def test_booleans_in_uncertainty_inputs():
    model = cba.Intervention.from_dict(BASE)
    with pytest.raises(CBAError, match=r"scenarios\.low: outcomes\[0\]\.success: expected a number, got true"):
        scenarios(model, {"low": {"outcomes[0].success": True}})
    with pytest.raises(CBAError, match="expected a number, got true"):
        cba.uncertainty.one_way(model, {"outcomes[0].success": [True, 0.6]})
    with pytest.raises(CBAError, match="low must be a number, got false"):
        cba.uncertainty.montecarlo(model, {"outcomes[0].success": {"dist": "uniform", "low": False, "high": 1}},
                                   draws=10, seed=1, progress=False)
    with pytest.raises(CBAError, match=r"thresholds\.financial_roi: expected a number, got true"):
        cba.uncertainty.montecarlo(model, {"outcomes[0].success": {"dist": "uniform", "low": 0.1, "high": 1}},
                                   draws=10, seed=1, thresholds={"financial_roi": True}, progress=False)


# ---------------------------------------------------------------- byte-order marks
def test_a_byte_order_mark_is_accepted_in_json_yaml_and_csv(tmp_path):
    j = tmp_path / "m.json"
    j.write_bytes(b"\xef\xbb\xbf" + json.dumps(BASE).encode("utf-8"))
    y = tmp_path / "m.yaml"
    y.write_bytes(b"\xef\xbb\xbf" + WORKED.read_bytes())
    assert cba.appraise(j).metrics == cba.appraise(y).metrics == cba.appraise(WORKED).metrics
    assert cba.Intervention.from_json("\ufeff" + json.dumps(BASE)).name == "Worked example"
    spec = tmp_path / "u.json"
    spec.write_bytes(b"\xef\xbb\xbf" + b'{"draws": 5}')
    assert load_spec(spec).draws == 5
    c = tmp_path / "local.csv"
    c.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "local_unit_costs.csv").read_bytes())
    assert len(from_csv(c)) == len(from_csv(EXAMPLES / "local_unit_costs.csv"))


# ---------------------------------------------------------------- scenario names
@pytest.mark.parametrize("name", ["base", "metric", "label", "unit", "parameter"])
def test_a_scenario_may_not_take_a_reserved_name(name):
    with pytest.raises(CBAError, match=f"scenarios.{name}: the name '{name}' is reserved"):
        scenarios(cba.Intervention.from_dict(BASE), {name: {"outcomes[0].success": 0.2}})


def test_base_is_allowed_without_the_base_column():
    result = scenarios(cba.Intervention.from_dict(BASE), {"base": {"outcomes[0].success": 0.2}}, include_base=False)
    assert result.names == ["base"]


def test_scenario_names_equal_as_text_are_refused(tmp_path, capsys):
    with pytest.raises(CBAError, match="two scenarios are named '1'"):
        scenarios(cba.Intervention.from_dict(BASE),
                  {1: {"outcomes[0].success": 0.2}, "1": {"outcomes[0].success": 0.3}})
    spec = tmp_path / "u.yaml"
    spec.write_text("scenarios:\n  1:\n    outcomes[0].lag: 2\n  '1':\n    outcomes[0].lag: 3\n")
    assert main(["scenarios", str(WORKED), "--spec", str(spec)]) == 2
    assert f"{spec}: scenarios: two scenarios are both named '1'" in capsys.readouterr().err


def test_a_base_scenario_in_a_file_is_refused_not_shown_as_the_model(tmp_path, capsys):
    spec = tmp_path / "u.yaml"
    spec.write_text("scenarios:\n  base:\n    outcomes[0].success: 0.1\n")
    assert main(["scenarios", str(WORKED), "--spec", str(spec)]) == 2
    assert f"{spec}: scenarios.base: the name 'base' is reserved for the model as given" in capsys.readouterr().err


# ---------------------------------------------------------------- spec values
@pytest.mark.parametrize("text,message", [
    ("draws: 0\n", "draws: expected a whole number 1 or more, got 0"),
    ("draws: -5\n", "draws: expected a whole number 1 or more, got -5"),
    ("draws: true\n", "draws: expected a whole number 1 or more, got True"),
    ("draws: 1000000000000\n", "draws: 1,000,000,000,000 draws are more than one run may make"),
    ("seed: -1\n", "seed: expected a whole number 0 or more"),
])
def test_spec_draws_and_seed_are_checked(tmp_path, text, message):
    spec = tmp_path / "u.yaml"
    spec.write_text(text)
    with pytest.raises(CBAError) as info:
        load_spec(spec)
    assert str(info.value).startswith(f"{spec}: {message}")


def test_spec_from_dict_refuses_zero_draws_too():
    with pytest.raises(CBAError, match="draws"):
        UncertaintySpec.from_dict({"draws": 0})


# ---------------------------------------------------------------- local unit cost CSVs
HEADER = "code,description,value_type,value,price_year,agency\n"


@pytest.mark.parametrize("body,message", [
    ('X1,"never closed,fiscal,1,2019/20,police\nX2,b,fiscal,2,2019/20,police\n',
     "row 2, column 2 'description': a quoted value is never closed"),
    ('X1,"quoted"then text,fiscal,1,2019/20,police\n', "row 2, column 2 'description': text follows the closing quote"),
    ("X1,desc,fiscal,1\n", "row 2, column 5 'price_year': the row ends after 4 fields but the header has 6 columns"),
    ("X1,desc,fiscal,1,2019/20,police,extra\n", "row 2: 7 fields but the header has 6 columns"),
])
def test_bad_csv_rows_name_file_row_and_column(tmp_path, body, message):
    path = tmp_path / "local.csv"
    path.write_text(HEADER + body)
    with pytest.raises(CBAError) as info:
        from_csv(path)
    assert str(info.value) == f"{path}, {message}" or str(info.value).startswith(f"{path}, {message}")


def test_csv_text_round_trips_through_the_reader():
    text = HEADER + "X1,\"=HYPERLINK(\"\"http://x\"\")\",fiscal,-5,2019/20,police\n"
    cost = read_csv_text(text, "t.csv")[0]
    assert cost.description == '=HYPERLINK("http://x")' and cost.fiscal.value == -5.0
    again = read_csv_text(cba.unit_costs.to_csv_text([cost]), "again.csv")[0]
    assert again.description == cost.description and again.values == cost.values


# ---------------------------------------------------------------- every model field refuses booleans
def _bare_numbers(tp, guarded: bool) -> list:
    """Bare ``float`` or ``int`` types in an annotation, outside the boolean guard."""
    from typing import Annotated, get_args, get_origin

    from pydantic import BeforeValidator

    from cba.model._base import _not_bool

    if get_origin(tp) is Annotated:
        base, *meta = get_args(tp)
        here = any(isinstance(m, BeforeValidator) and m.func is _not_bool for m in meta)
        return _bare_numbers(base, guarded or here)
    if tp in (float, int):
        return [] if guarded else [tp]
    found = []
    for arg in get_args(tp):
        if isinstance(arg, type) or get_args(arg):
            found += _bare_numbers(arg, False)
    return found


def test_no_model_field_takes_a_boolean_as_a_number():
    """Every numeric field of every model (the lead's new ones included, once imported) uses
    the guarded types of cba.model._base (Number, Whole, Rate, ...), never bare float or int."""
    import importlib
    import pkgutil

    import cba as package
    from cba.model._base import _Model, _not_bool

    for info in pkgutil.walk_packages(package.__path__, "cba."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    models, todo = [], [_Model]
    while todo:
        cls = todo.pop()
        models.append(cls)
        todo += cls.__subclasses__()
    offenders = []
    for cls in models:
        for name, field in cls.model_fields.items():
            guarded = any(getattr(m, "func", None) is _not_bool for m in field.metadata)
            if _bare_numbers(field.annotation, guarded):
                offenders.append(f"{cls.__name__}.{name}")
    assert len(models) > 8 and not offenders, offenders


def test_control_characters_from_user_text_are_escaped_in_messages(tmp_path, capsys):
    spec = tmp_path / "u.yaml"
    spec.write_text('scenarios:\n  "\\r\\e[2J":\n    outcomes[0].success: yes\n')
    assert main(["scenarios", str(WORKED), "--spec", str(spec)]) == 2
    err = capsys.readouterr().err
    # since issue 19 the name itself is refused (a name is one line of text), escaped in the message
    assert "\r" not in err and "\x1b" not in err and "scenarios: the name '\\r\\x1b[2J'" in err
