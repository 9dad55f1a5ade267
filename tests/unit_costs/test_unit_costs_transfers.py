"""Transfer payments: from the workbook's cell comments and cba's documented list."""

from __future__ import annotations

import pytest

from cba.unit_costs import FURTHER_TRANSFERS, UnitCost, UnitCostValue, default, public_value_of
from cba.unit_costs._transfer_flags import apply_transfers
from cba.unit_costs._transfers import parse_transfer_comment

COMMENTED = ["E&E1.0", "E&E2.0", "E&E3.0"] + [f"E&S{i}.0" for i in range(5, 14)]


def test_the_jsa_headline_public_value_is_566_plus_14044():
    db = default()
    head, dwp, nhs = db["E&E1.0"], db["E&E1.0.1"], db["E&E1.0.2"]
    assert head.fiscal.transfer == "part"
    assert dwp.fiscal.transfer == "yes" and dwp.fiscal.value == 9234
    assert nhs.fiscal.transfer == "no" and nhs.fiscal.value == 566
    assert public_value_of(head, db.children) == 566 + 14044 == 14610
    # both sources of the flag are recorded
    assert "cell comment" in dwp.fiscal.transfer_basis and "transfer list" in dwp.fiscal.transfer_basis


def test_cell_comments_flag_the_twelve_headlines():
    db = default()
    for code in COMMENTED:
        assert "transfer payment" in db[code].fiscal.note, code
    for code in (f"E&S{i}.0" for i in range(5, 14)):   # no amount named: the whole value (tax to HMT)
        assert db[code].fiscal.transfer == "yes" and db[code].agency == "hmrc"
        assert public_value_of(db[code], db.children) == db[code].economic.value
    for code in ("E&E1.0", "E&E2.0", "E&E3.0"):        # the named amount is the DWP constituent
        assert db[code].fiscal.transfer == "part"
        assert db[f"{code}.1"].fiscal.transfer == "yes" and db[f"{code}.1"].agency == "dwp"
        assert db[f"{code}.2"].fiscal.transfer == "no" and db[f"{code}.2"].agency == "nhs"


def test_the_further_list_is_flagged_and_every_code_exists():
    db = default()
    listed = FURTHER_TRANSFERS["1.4"]
    assert "E&E1.0.1" in listed  # the JSA headline's DWP benefit saving
    for code, reason in listed.items():
        assert code in db, code
        assert db[code].fiscal is not None, code
        assert db[code].fiscal.transfer == "yes", code
        assert reason and reason in db[code].fiscal.transfer_basis
    assert not [n for n in db.notes if n.kind == "transfer_list"]


@pytest.mark.parametrize("code", ["E&E1.1", "E&E2.3", "E&E3.8", "E&E5.0", "E&E9.0", "HO7.0", "HO7.7", "E&E10.0.2"])
def test_benefit_and_tax_payments_are_transfers(code):
    assert default()[code].fiscal.is_transfer


@pytest.mark.parametrize("code", [
    "E&E1.6",   # cost of processing a JSA claim: DWP staff time, a real resource
    "E&E1.9",   # Jobcentre Plus adviser time
    "E&E11.0",  # Troubled Families Employment Adviser staffing
    "HO8.0",    # cost of processing a Housing Benefit application
    "HO4.2",    # accommodation usually met through Housing Benefit: the resource is real
    "CR1.0", "HE2.0", "SS1.0",
])
def test_resource_costs_are_not_transfers(code):
    assert default()[code].fiscal.transfer == "no"


def test_counts():
    db = default()
    states = [c.fiscal.transfer for c in db if c.fiscal is not None]
    assert states.count("part") == 3   # E&E1.0, E&E2.0, E&E3.0
    # the nine E&S comments plus the list (which also holds the three DWP constituents
    # the E&E comments name)
    assert states.count("yes") == 9 + len(FURTHER_TRANSFERS["1.4"]) == 68


def test_parse_transfer_comment():
    assert parse_transfer_comment(None) == (False, None, None, None)
    assert parse_transfer_comment("Total public value is £5 (2010/11 prices).") == (False, None, None, None)
    got = parse_transfer_comment("the £7,500 fiscal benefit to DWP should be excluded, as it is a transfer "
                                 "payment.  Total public value is £13,700 (2012/13 prices).")
    assert got == (True, 7500.0, 13700.0, "2012/13")


def _cost(code, value, parent=None, note=""):
    level = "constituent" if parent else "headline"
    return UnitCost(code, code, (UnitCostValue("fiscal", value, "2020/21", transfer="no", note=note),),
                    agency="dwp", level=level, parent=parent, database="t")


def test_apply_transfers_rules():
    note = "the £30 fiscal benefit should be excluded, as it is a transfer payment. Total public value is £70."
    costs = [_cost("A1.0", 100, note=note), _cost("A1.0.1", 30, "A1.0"), _cost("A1.0.2", 70, "A1.0"),
             _cost("B1.0", 50, note="the £20 should be excluded, as it is a transfer payment."),
             _cost("C1.0", 10), _cost("C1.0.1", 6, "C1.0"), _cost("C1.0.2", 4, "C1.0")]
    out, notes = apply_transfers(costs, {"C1.0.1": "r1", "C1.0.2": "r2"})
    by = {c.code: c.fiscal.transfer for c in out}
    assert by == {"A1.0": "part", "A1.0.1": "yes", "A1.0.2": "no", "B1.0": "part", "C1.0": "yes",
                  "C1.0.1": "yes", "C1.0.2": "yes"}
    assert [(n.code, n.kind) for n in notes] == [("B1.0", "transfer_unmatched")]


def test_the_documented_list_is_the_list():
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "unit-costs.md").read_text(encoding="utf-8")
    section = text.split("## Transfer payments", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| E&E") or line.startswith("| HO")]
    documented = {code for line in table for code in re.findall(r"(?:E&E|HO)[0-9.]+[0-9]", line.split("|")[1])}
    assert documented == set(FURTHER_TRANSFERS["1.4"])
