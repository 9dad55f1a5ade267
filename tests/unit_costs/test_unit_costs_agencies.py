"""The documented mapping from the workbook's agency names to the canonical agencies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cba.model._agencies import CANONICAL_AGENCIES
from cba.unit_costs import AGENCY_NAMES, canonical_agency, default
from cba.unit_costs._agencies import UMBRELLA_NAMES, is_known, normalise_name


@pytest.mark.parametrize("level_1, level_2, expected", [
    # the examples, in the workbook's own spellings
    ("Local authority", None, "local_authority"),
    ("Local Authority", "Social Services", "local_authority"),
    ("DWP", "JCP", "dwp"),
    ("HM Treasury", None, "hmrc"),
    ("HM Revenue and Customs", "DWP", "hmrc"),
    ("Criminal Justice System", None, "criminal_justice"),
    ("Criminal Justice System", "Prison", "criminal_justice"),
    ("Criminal Justice System", "Police", "police"),
    ("RSL", None, "housing"),
    # level 1 decides
    ("Police", "Local authority", "police"),
    ("DWP", "HM Treasury", "dwp"),
    ("NHS", "Local authority", "nhs"),
    ("Local authority", "RSL", "local_authority"),
    ("Schools", "Department for Education", "education"),
    ("Ministry of Justice", "HM Treasury", "criminal_justice"),
    ("Court", "Legal aid", "criminal_justice"),
    ("Prison / Young Offenders Institute", None, "criminal_justice"),
    ("Probation", None, "criminal_justice"),
    ("Fire Service", None, "fire"),
    # umbrellas defer to level 2
    ("Multiple", "DWP", "dwp"),
    ("Multiple", "Multiple", "other"),
    ("Multiple", None, "other"),
    (None, "NHS", "nhs"),
    ("-", "Police", "police"),
    # placeholders and unknown names
    ("Police", "-", "police"),
    (None, None, None),
    ("Mars Agency", None, "other"),
])
def test_mapping(level_1, level_2, expected):
    assert canonical_agency(level_1, level_2) == expected


def test_every_mapped_id_is_canonical():
    assert set(AGENCY_NAMES.values()) <= set(CANONICAL_AGENCIES)
    assert set(CANONICAL_AGENCIES) <= set(AGENCY_NAMES.values())  # every canonical agency is reachable
    assert all(k == normalise_name(k) for k in AGENCY_NAMES)      # keys are stored normalised
    assert set(AGENCY_NAMES) >= UMBRELLA_NAMES


@settings(max_examples=50)
@given(st.sampled_from(sorted(AGENCY_NAMES)), st.data())
def test_case_and_spacing_do_not_matter(name, data):
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    variant = "".join(ch.upper() if f else ch for ch, f in zip(name, flips))
    variant = "  " + variant.replace(" ", data.draw(st.sampled_from([" ", "  ", "\xa0"]))) + " "
    assert normalise_name(variant) == name
    if name not in UMBRELLA_NAMES:
        assert canonical_agency(variant) == AGENCY_NAMES[name]


def test_every_agency_name_in_the_shipped_data_is_known():
    db = default()
    names = {n for c in db for n in (c.agency_level_1, c.agency_level_2) if n}
    unknown = sorted(n for n in names if not is_known(n))
    assert unknown == []
    assert not [n for n in db.notes if n.kind == "unknown_agency"]


def test_original_names_are_kept_beside_the_canonical_id():
    c = default()["E&E1.0.1"]
    assert (c.agency_level_1, c.agency_level_2, c.agency) == ("DWP", "HM Treasury", "dwp")
    assert c.agency_names == "DWP / HM Treasury"


def test_every_fiscal_value_has_an_agency():
    assert all(c.agency in CANONICAL_AGENCIES for c in default() if c.fiscal is not None)


def test_the_documented_table_is_the_mapping():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "unit-costs.md").read_text(encoding="utf-8")
    rows = {tuple(cell.strip() for cell in line.strip("|").split("|"))
            for line in text.splitlines() if line.startswith("| ") and line.count("|") == 3}
    documented = {name: agency for name, agency in rows if agency in CANONICAL_AGENCIES}
    assert documented == AGENCY_NAMES
