"""Names are identities (issue 19, item 3): one spelling per agency, cost line and outcome;
no control characters; a deal refers to one line; grouping and tier names are defined ones."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cba
from cba.model._names import mixed_script, name_key, skeleton

BASE = {
    "name": "Names",
    "price_base": "2024/25",
    "horizon": 2,
    "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]},
              {"name": "Rooms", "agency": "nhs", "amounts": [500]}],
    "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
                  "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}},
                 {"name": "Fewer admissions", "cohort": 10, "success": 0.5,
                  "value": {"components": [{"type": "fiscal", "agency": "nhs", "amount": 200}]}}],
}


def model(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def refused(data, *parts):
    with pytest.raises(cba.CBAError) as err:
        cba.Intervention.from_dict(data)
    for part in parts:
        assert part in str(err.value), str(err.value)
    return str(err.value)


@pytest.mark.parametrize("second", ["staff", " Staff", "Sta  ff".replace("  ", "") + " ", "STAFF", "Ｓｔａｆｆ",
                                    "Ѕtaff"])  # the last with a Cyrillic Ѕ
def test_cost_line_names_that_differ_only_in_form_are_refused_with_both_spellings(second):
    data = model()
    data["costs"][1]["name"] = second
    msg = refused(data, "costs[1].name", repr("Staff"), repr(second))
    assert "costs[0].name" in msg


def test_outcome_names_spelt_alike_are_refused():
    data = model()
    data["outcomes"][1]["name"] = "fewer  CALL-OUTS"
    msg = refused(data, "outcomes[1].name", "'Fewer call-outs'")
    assert "'fewer  CALL-OUTS'" in msg and "outcomes[0].name" in msg    # both spellings, both places


def test_agency_names_that_differ_only_by_case_or_script_are_refused():
    refused(model(agencies=[{"id": "dwp_local", "name": "dwp"}]), "agencies[0].name", "'DWP'", "'dwp'")
    # a Cyrillic Р (U+0420) in a Latin name
    msg = refused(model(agencies=[{"id": "dwp_local", "name": "DW\u0420 local"}]), "agencies[0].name")
    assert "mixes Latin with Cyrillic" in msg
    # wholly Cyrillic look-alike of a Latin name
    refused(model(agencies=[{"id": "coe", "name": "Coe"}, {"id": "x", "name": "\u0421\u043e\u0435"}]),
            "agencies[1].name", "'Coe'")


def test_a_declared_agency_may_rename_a_canonical_one():
    m = cba.Intervention.from_dict(model(agencies=[{"id": "dwp", "name": "Department for Work and Pensions"}]))
    assert m.agency_names["dwp"] == "Department for Work and Pensions"


def test_exact_duplicate_line_names_are_allowed_until_a_deal_names_them():
    data = model()
    data["costs"][1]["name"] = "Staff"
    m = cba.Intervention.from_dict(data)  # two lines called Staff: each is its own row
    assert [c.name for c in m.costs] == ["Staff", "Staff"]
    data["partnership"] = {"funding": [{"cost": "Staff", "shares": {"nhs": 1.0}}]}
    msg = refused(data, "partnership.funding[0].cost", "2 cost lines are called 'Staff'")
    assert msg.startswith("partnership.funding[0].cost") or "partnership.funding[0].cost:" in msg
    data = model()
    data["outcomes"][1]["name"] = "Fewer call-outs"
    data["partnership"] = {"gain_share": [{"from": "police", "to": "local_authority", "share": 0.5,
                                           "outcomes": ["Fewer call-outs"]}]}
    msg = refused(data, "partnership.gain_share[0].outcomes[0]", "2 outcomes are called 'Fewer call-outs'")
    assert "Fewer call-outs" in msg


@pytest.mark.parametrize("field", ["name", "costs", "outcomes", "agencies", "partnership"])
@pytest.mark.parametrize("bad", ["a\nb", "a\rb", "a\x1b[2Jb", "a\tb", "a\u2028b", "a\u202eb", "a\x00b"])
def test_control_characters_in_any_name_are_refused_naming_the_field(field, bad):
    data = model()
    where = {"name": "name", "costs": "costs[0].name", "outcomes": "outcomes[0].name",
             "agencies": "agencies[0].name", "partnership": "partnership.name"}[field]
    if field == "name":
        data["name"] = bad
    elif field == "agencies":
        data["agencies"] = [{"id": "youth", "name": bad}]
    elif field == "partnership":
        data["partnership"] = {"name": bad}
    else:
        data[field][0]["name"] = bad
    msg = refused(data, where, "control character")
    assert f"{where}:" in msg and bad not in msg     # the field named, the character shown escaped


def test_control_characters_are_refused_in_a_model_file_naming_the_file(tmp_path):
    import json

    data = model()
    data["costs"][0]["name"] = "Staff\n-------\nForged row"
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data))
    with pytest.raises(cba.CBAError, match=r"m\.json: costs\[0\]\.name: holds a line break"):
        cba.load_intervention(path)


def test_grouping_and_tier_names_must_be_defined():
    # a typo in a tier's group would move DWP out of central government
    refused(model(agency_groups={"tier": {"centrl": ["dwp"]}}), "agency_groups.tier.centrl", "no group 'centrl'")
    # a grouping spelt like the shipped one but not it
    refused(model(agency_groups={"Tier": {"central": ["dwp"]}}), "agency_groups.Tier", "spelt like the shipped")
    refused(model(agency_groups={"t\u0456er": {"central": ["dwp"]}}), "spelt like the shipped")
    refused(model(agency_groups={"mine": {"A": ["nhs"], "a": ["dwp"]}}), "agency_groups.mine", "'a' and 'A'")
    refused(model(agency_groups={"mine": {"A\nB": ["nhs"]}}), "control character")
    ok = cba.Intervention.from_dict(model(agency_groups={"tier": {"central": ["nhs"]},
                                                         "funding": {"Council": ["local_authority"]}}))
    assert ok.agency_groups["tier"]["central"] == ["nhs"]


def test_the_helpers():
    assert name_key("  Key\u00a0 Workers ") == name_key("key workers")
    assert name_key("\ufb01nance") == "finance"  # NFKC: the ligature fi
    assert skeleton("\u0440\u043e\u04cf\u0456\u0441\u0435") == "police"  # Cyrillic look-alikes
    assert mixed_script("Police \u0440olice") == "\u0440olice"
    assert mixed_script("\u03b2-blocker prescriptions") is None  # a Greek letter as its own word


def test_text_tables_and_markdown_neutralise_control_characters():
    from cba.core._escaping import csv_cell, markdown_text, plain_text
    from cba.outputs._textgrid import layout

    lines = layout(["Line", "Cost"], [["Staff\n------  forged", "1"], ["\x1b[2JClear", "2"]], [False, True],
                   width=60)
    assert len(lines) == 4 and not any("\x1b" in line for line in lines)
    assert "\\x1b[2JClear" in lines[3]
    assert markdown_text("Deal\n# Forged heading", cell=True) == "Deal # Forged heading"
    assert "\x1b" not in markdown_text("a\x1b[31mb") and plain_text("a\u202eb") == "a\\u202eb"
    assert csv_cell("a\x1bb") == "a\\x1bb" and csv_cell("a\nb") == "a\nb"


def test_a_deal_name_in_a_markdown_heading_is_escaped():
    from cba.outputs.export._partnership import to_markdown

    data = model(partnership={"name": "<script>alert(1)</script>",
                              "payments": [{"from": "nhs", "to": "local_authority", "amounts": [10]}]})
    md = to_markdown(cba.appraise(data).partnership())
    assert md.startswith("# &lt;script&gt;") and "<script>" not in md


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_TEXT, min_size=2, max_size=4), agency=_TEXT, deal=_TEXT)
def test_fuzzed_names_give_a_model_or_a_cba_error(names, agency, deal):
    data = model(agencies=[{"id": "youth", "name": agency}], partnership={"name": deal})
    data["costs"] = [{"name": n, "agency": "youth", "amounts": [1]} for n in names]
    data["outcomes"][0]["name"] = names[0]
    try:
        m = cba.Intervention.from_dict(data)
    except cba.CBAError:
        return
    keys = [skeleton(n) for n in names]
    for i, a in enumerate(names):  # what is accepted has one spelling per name
        for j, b in enumerate(names):
            if keys[i] == keys[j]:
                assert a == b
    assert str(m)  # the model's text has no control character from a name
    assert not any(ch in str(m) for ch in "\x1b\x00\u202e")


def test_agreement_names_spelt_alike_are_refused():
    pays = [{"from": "nhs", "to": "local_authority", "amounts": [10], "name": "Grant"},
            {"from": "dwp", "to": "local_authority", "amounts": [10], "name": "grant"}]
    msg = refused(model(partnership={"payments": pays}), "partnership", "'grant' and 'Grant'")
    assert "agreement" in msg
