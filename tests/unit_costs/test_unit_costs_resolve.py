"""Outcomes valued by unit-cost code: components, uplift, provenance, overrides, errors.

Hand arithmetic uses the HM Treasury March 2026 index (2012/13 71.5454, 2002/03
56.6000, 2024/25 100), Green Book discount factors 1/1.035**t, the GM optimism
bias table (grade 3: 10%, 4: 15%, 2: 5%) and the database's own figures.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest
import yaml

import cba
from cba import Intervention, UnitValue
from cba.core._errors import CBAError, ModelError
from cba.engine import compile_model
from cba.unit_costs import default, resolve_unit_value

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "back_to_work_by_code.yaml"
F_2012 = 100 / 71.5454     # 2012/13 -> 2024/25, HM Treasury March 2026


def model(value, **extra):
    data = {"name": "t", "price_base": "2024/25", "horizon": 1,
            "costs": [{"name": "c", "agency": "local_authority", "amounts": [1000]}],
            "outcomes": [{"name": "o", "cohort": 1, "success": 1, "value": value, **extra.pop("outcome", {})}]}
    data.update(extra)
    return Intervention.from_dict(data)


def test_e_e1_0_resolves_to_split_fiscal_economic_with_provenance():
    comps = resolve_unit_value(UnitValue(unit_cost="e&e1.0"), model({"unit_cost": "E&E1.0"}))
    got = [(c.type, c.agency, c.amount, c.price_year, c.transfer, c.label, c.unit_cost) for c in comps]
    assert got == [("fiscal", "dwp", 9234.0, "2012/13", True, "E&E1.0.1", "E&E1.0"),
                   ("fiscal", "nhs", 566.0, "2012/13", False, "E&E1.0.2", "E&E1.0"),
                   ("economic", None, 14044.0, "2012/13", False, "E&E1.0", "E&E1.0")]
    assert all(c.database == "GMCA Unit Cost Database v1.4" for c in comps)
    assert all(c.cashable is None for c in comps)  # 0 unless the analyst says otherwise
    assert "HC Deb 6 February 2013" in comps[0].source and "RAG G" in comps[0].source


def test_appraisal_by_code_uplifts_and_keeps_transfers_out_of_public_value():
    a = cba.appraise(model({"unit_cost": "E&E1.0", "quantity": 1}))
    m = a.metrics
    assert m["pv_fiscal"] == pytest.approx(9800 * F_2012, rel=1e-12)
    assert m["pv_economic"] == pytest.approx(14044 * F_2012, rel=1e-12)
    assert m["pv_public_value"] == pytest.approx(14610 * F_2012, rel=1e-12)   # 566 + 14,044
    ag = a.by_agency().set_index("agency")
    assert ag.loc["dwp", "pv_transfer"] == pytest.approx(9234 * F_2012, rel=1e-12)
    assert ag.loc["nhs", "pv_fiscal"] == pytest.approx(566 * F_2012, rel=1e-12)


def test_by_code_equals_the_same_components_typed_in():
    typed = {"components": [
        {"type": "fiscal", "agency": "dwp", "amount": 9234, "price_year": "2012/13", "transfer": True},
        {"type": "fiscal", "agency": "nhs", "amount": 566, "price_year": "2012/13"},
        {"type": "economic", "amount": 14044, "price_year": "2012/13"}]}
    kwargs = {"horizon": 3, "outcome": {"cohort": [10, 5], "success": 0.4, "deadweight": 0.2, "duration": 2,
                                        "confidence": 3, "cashable": {"dwp": 0.5}}}
    by_code = cba.appraise(model({"unit_cost": "E&E1.0"}, **dict(kwargs, outcome=dict(kwargs["outcome"]))))
    by_hand = cba.appraise(model(typed, **dict(kwargs, outcome=dict(kwargs["outcome"]))))
    for k, v in by_hand.metrics.items():
        if v is None:
            assert by_code.metrics[k] is None
        else:
            assert by_code.metrics[k] == pytest.approx(v, rel=1e-12), k


def test_provenance_of_each_number():
    compiled = compile_model(model({"unit_cost": "CR1.0"}))
    (info,) = compiled.component_info
    assert info["unit_cost"] == "CR1.0" and info["label"] == "CR1.0"
    assert info["database_version"] == "GMCA Unit Cost Database v1.4"
    assert info["deflator"] == "hmt_2026_03" and "March 2026" in info["deflator_vintage"]
    assert info["uplift"] == pytest.approx(100 / 56.6, rel=1e-12)
    assert info["real_amount"] == pytest.approx(883.3922261, rel=1e-9)   # 500 * 100 / 56.6
    a = cba.appraise(model({"unit_cost": "CR1.0"}))
    assert a.provenance["unit_cost_databases"] == ["GMCA Unit Cost Database v1.4"]


def test_the_workbooks_own_deflator_can_be_chosen():
    compiled = compile_model(model({"unit_cost": "CR1.0"}, price_base="2015/16", deflator="gmca_v1_4"))
    assert round(compiled.component_info[0]["real_amount"], 2) == 673.23   # the workbook's updated value


def test_cashable_share_per_agency_and_overall():
    per_agency = cba.appraise(model({"unit_cost": "E&E1.0"}, outcome={"cashable": {"nhs": 0.25}}))
    ag = per_agency.by_agency().set_index("agency")
    assert ag.loc["nhs", "pv_cashable"] == pytest.approx(0.25 * 566 * F_2012, rel=1e-12)
    assert ag.loc["dwp", "pv_cashable"] == 0.0
    overall = cba.appraise(model({"unit_cost": "E&E1.0"}, outcome={"cashable": 1.0}))
    assert overall.metrics["pv_cashable"] == pytest.approx(9800 * F_2012, rel=1e-12)


@pytest.mark.parametrize("exclude, fiscal, economic", [
    (["E&E1.0.1"], 566, 14044),         # a constituent row
    (["dwp"], 566, 14044),              # an agency
    (["economic"], 9800, 0),            # a value type
    (["fiscal"], 0, 14044),
])
def test_components_can_be_dropped(exclude, fiscal, economic):
    m = cba.appraise(model({"unit_cost": "E&E1.0", "exclude": exclude})).metrics
    assert m["pv_fiscal"] == pytest.approx(fiscal * F_2012, rel=1e-12)
    assert m["pv_economic"] == pytest.approx(economic * F_2012, rel=1e-12)


def test_excluding_something_that_is_not_there_is_an_error():
    with pytest.raises(ModelError) as err:
        compile_model(model({"unit_cost": "E&E1.0", "exclude": ["E&E1.0.9"]}))
    assert err.value.problems[0][0] == "outcomes[0].value.exclude"
    assert "'E&E1.0.9' matches no component" in err.value.problems[0][1] and "E&E1.0.2" in err.value.problems[0][1]


def test_headline_whose_constituents_do_not_add_up_goes_to_its_own_agency():
    comps = resolve_unit_value(UnitValue(unit_cost="CR3.0"), model({"unit_cost": "CR3.0"}))
    assert [(c.type, c.agency, c.amount, c.label) for c in comps] == [("fiscal", "criminal_justice", 33785.0,
                                                                        "CR3.0")]


def test_unknown_code_is_a_model_error_at_the_field():
    with pytest.raises(ModelError) as err:
        compile_model(model({"unit_cost": "E&E1.00"}))
    path, msg = err.value.problems[0]
    assert path == "outcomes[0].value.unit_cost" and "Did you mean E&E1.0" in msg


def test_supplementary_codes_need_the_setting_and_keep_their_caveat():
    with pytest.raises(ModelError, match="supplementary: true"):
        compile_model(model({"unit_cost": "ho2018-rape-police"}))
    m = model({"unit_cost": "ho2018-rape-police"}, unit_costs={"supplementary": True})
    (c,) = resolve_unit_value(m.outcomes[0].value, m)
    assert (c.agency, c.amount, c.price_year) == ("police", 6360.0, "2015/16")
    assert "caveat: Secondary quote (newspaper)" in c.source
    assert c.database == "cba supplementary unit costs"


def test_a_total_cannot_value_an_outcome():
    with pytest.raises(ModelError, match="total of fiscal, economic and social"):
        compile_model(model({"unit_cost": "ho2018-homicide-total"}, unit_costs={"supplementary": True}))


def write_model(folder: Path, value, csv_text=None, **extra):
    if csv_text is not None:
        (folder / "ours.csv").write_text(csv_text, encoding="utf-8")
    data = {"name": "t", "price_base": "2024/25", "horizon": 1,
            "unit_costs": {"local": ["ours.csv"]} if csv_text is not None else None,
            "costs": [{"name": "c", "agency": "local_authority", "amounts": [1000]}],
            "outcomes": [{"name": "o", "cohort": 1, "success": 1, "value": value}], **extra}
    data = {k: v for k, v in data.items() if v is not None}
    path = folder / "model.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


HEADER = "code,description,agency,value_type,value,price_year\n"


def test_local_csv_is_found_next_to_the_model_and_wins(tmp_path, monkeypatch):
    path = write_model(tmp_path, {"unit_cost": "CR1.0"}, HEADER + "CR1.0,Our ASB cost,police,fiscal,700,2024/25\n")
    monkeypatch.chdir(REPO)  # relative to the model file, not the working folder
    a = cba.appraise(path)
    assert a.metrics["pv_fiscal"] == 700.0
    # provenance names the file and the hash of its bytes, never its absolute path (issue 12, item 10)
    digest = hashlib.sha256((tmp_path / "ours.csv").read_bytes()).hexdigest()[:12]
    assert a.compiled.component_info[0]["database_version"] == f"ours.csv (SHA-256 {digest})"
    assert str(tmp_path) not in json.dumps(a.to_dict())


def test_malformed_local_csv_names_file_row_and_column(tmp_path):
    path = write_model(tmp_path, {"unit_cost": "CR1.0"}, HEADER + "CR1.0,Ours,police,fiscal,seven,2024/25\n")
    with pytest.raises(ModelError) as err:
        cba.appraise(path)
    assert "ours.csv, row 2, column 'value': 'seven' is not a number" in str(err.value)


def test_price_year_outside_the_models_deflator_suggests_a_series(tmp_path):
    path = write_model(tmp_path, {"unit_cost": "OLD1.0"}, HEADER + "OLD1.0,Old figure,nhs,fiscal,100,1995/96\n")
    with pytest.raises(ModelError) as err:
        cba.appraise(path)
    msg = str(err.value)
    assert "outcomes[0].value.unit_cost" in msg and "1995/96" in msg
    assert "'hmt_2026_03' (2000/01 to 2030/31)" in msg and "gmca_v1_4 (1989/90 to 2019/20)" in msg


def test_custom_agencies_in_a_local_csv_must_be_declared(tmp_path):
    csv_text = HEADER + "YOT1.0,Youth offending visit,youth_offending,fiscal,80,2024/25\n"
    path = write_model(tmp_path, {"unit_cost": "YOT1.0"}, csv_text)
    with pytest.raises(ModelError, match="declare it under 'agencies'"):
        cba.appraise(path)
    path = write_model(tmp_path, {"unit_cost": "YOT1.0"}, csv_text,
                       agencies=[{"id": "youth_offending", "name": "Youth offending team"}])
    assert cba.appraise(path).by_agency().set_index("agency").loc["youth_offending", "pv_fiscal"] == 80.0


def test_database_setting_accepts_an_imported_csv(tmp_path):
    (tmp_path / "v3.csv").write_text("database,code,description,agency,value_type,value,price_year\n"
                                     "GMCA Unit Cost Database v3.0,CR1.0,ASB,police,fiscal,900,2024/25\n")
    path = write_model(tmp_path, {"unit_cost": "CR1.0"}, unit_costs={"database": "v3.csv"})
    a = cba.appraise(path)
    assert a.metrics["pv_fiscal"] == 900.0
    assert a.provenance["unit_cost_databases"] == ["GMCA Unit Cost Database v3.0"]


def test_settings_round_trip_and_shorthand():
    m = model({"unit_cost": "CR1.0"}, unit_costs="gmca_v1_4")
    assert m.unit_costs.database == "gmca_v1_4" and m.unit_costs.supplementary is False
    again = Intervention.from_json(m.to_json())
    assert again.unit_costs == m.unit_costs


# ---------------------------------------------------------------- the example model
def test_example_values_its_outcomes_by_code_and_matches_hand_arithmetic():
    a = cba.appraise(EXAMPLE)
    S = 1 + 1 / 1.035                                 # two intake years, benefits in years 0 and 1
    jsa = 150 * 0.8 * 0.3 * (1 - 0.4) * (1 - 0.10)    # 19.44 net successes a year after OB (grade 3)
    esa = 50 * 0.7 * 0.15 * (1 - 0.3) * (1 - 0.15)    # 3.12375 (grade 4)
    fiscal = jsa * (9234 + 566) + esa * 7500 + jsa * 71   # E&E2.0.2 (NHS) excluded
    transfer = jsa * 9234 + esa * 7500
    economic = jsa * 14044 + esa * 12568
    m = a.metrics
    assert m["pv_costs"] == pytest.approx(250000 * 1.05 * S, rel=1e-12)
    assert m["pv_fiscal"] == pytest.approx(F_2012 * S * fiscal, rel=1e-12)
    assert m["pv_cashable"] == pytest.approx(F_2012 * S * jsa * 9234, rel=1e-12)
    assert m["pv_economic"] == pytest.approx(F_2012 * S * economic, rel=1e-12)
    assert m["pv_public_value"] == pytest.approx(F_2012 * S * (fiscal - transfer + economic), rel=1e-12)
    codes = {c["unit_cost"] for c in a.compiled.component_info}
    assert codes == {"E&E1.0", "E&E2.0", "E&E1.6"}
    assert all(c["database_version"] == "GMCA Unit Cost Database v1.4" for c in a.compiled.component_info)


def test_example_comments_cite_every_code_and_mark_assumptions():
    text = EXAMPLE.read_text()
    data = yaml.safe_load(text)
    for o in data["outcomes"]:
        code = o["value"]["unit_cost"]
        assert f"GMCA UCD v1.4 {code}" in text
    assert text.count("ASSUMPTION") >= 10
    json.dumps(data)  # plain data
    assert math.isfinite(cba.appraise(EXAMPLE).metrics["pv_public_value"])


def test_error_from_resolve_is_a_cba_error():
    with pytest.raises(CBAError):
        default().components("ho2018-homicide-total")


# ---------------------------------------------------------------- properties over the shipped data
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

USABLE = [c.code for c in default() if c.fiscal is not None or c.economic is not None or c.social is not None]


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(USABLE))
def test_components_add_up_to_the_entry(code):
    db = default()
    cost = db[code]
    comps = db.components(code)
    fiscal = [c for c in comps if c.type == "fiscal"]
    if cost.fiscal is None:
        assert fiscal == []
    else:
        parts = db.fiscal_split(code)
        assert abs(sum(c.amount for c in fiscal) - cost.fiscal.value) <= 0.5 * max(1, len(parts or [])) + 1e-9
        for c in fiscal:
            row = db[c.label]
            assert c.transfer == (row.fiscal.transfer == "yes") and c.agency == row.agency
    for kind in ("economic", "social"):
        got = [c.amount for c in comps if c.type == kind]
        assert got == ([cost.value(kind).value] if cost.value(kind) else [])
    assert all(c.unit_cost == cost.code for c in comps)
