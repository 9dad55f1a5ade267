"""The choice: a hand-checked small portfolio, its structure, side payments and diagnosis.

The four candidates of :func:`small` (two partners, two years), worked by hand:

=========  =====  ===============  =============  ==============
candidate  value  council spend    NHS spend y1   net (council, NHS)
=========  =====  ===============  =============  ==============
A          100    60, 0            0              -50, 80
B           80    30, 30           0               10, -20
C           50    0, 40            20             -10, 5
D           30    10, 10           0                5, 5
=========  =====  ===============  =============  ==============

Budgets: council 80 then 50, NHS 20 in year 1. A and B together need 90 > 80 in
year 1; B and C need 70 > 50 in year 2. The feasible sets, best first: {A, C, D}
(spend 70 and 50, NHS 20: value 180), {A, C} 150, {A, D} 130, {B, D} 110.
"""

from __future__ import annotations

import numpy as np
import pytest

from cba.core._errors import CBAError
from cba.portfolios._candidates import Candidates
from cba.portfolios._choose import portfolio
from cba.portfolios._spec import PortfolioSpec

YEARS = ["2025/26", "2026/27"]


def small() -> Candidates:
    return Candidates.from_arrays(
        ["A", "B", "C", "D"], ["local_authority", "nhs"], YEARS,
        {"public_value": [100, 80, 50, 30], "fiscal": [30, -10, -5, 10]},
        [[[60, 0], [0, 0]], [[30, 30], [0, 0]], [[0, 40], [20, 0]], [[10, 10], [0, 0]]],
        [[-50, 80], [10, -20], [-10, 5], [5, 5]], price_base="2024/25")


def spec(**fields) -> PortfolioSpec:
    data = {"name": "Test", "candidates": [{"path": "unused.yaml"}],
            "budgets": {"local_authority": {"2025/26": 80, "2026/27": 50}, "nhs": {"2025/26": 20}}}
    data.update(fields)
    return PortfolioSpec.from_dict(data)


def test_hand_checked_choice_runners_up_and_budget_use():
    r = portfolio(spec(), small())
    assert r.status == "optimal" and r.solution.gap == 0.0
    assert r.chosen == ["A", "C", "D"] and r.value == 180.0
    ru = r.runners_up()
    assert ru["value"].tolist() == [180.0, 150.0, 130.0, 110.0]
    assert ru["candidates"].tolist()[1:] == [["A", "C"], ["A", "D"], ["B", "D"]]
    b = r.budgets().set_index(["agency", "year"])
    # council: A 60 + D 10 = 70 in year 1; C 40 + D 10 = 50 in year 2; NHS: C 20
    assert b.loc[("local_authority", "2025/26"), "spend"] == 70.0
    assert b.loc[("local_authority", "2026/27"), "headroom"] == 0.0
    assert b.loc[("nhs", "2025/26"), "spend"] == 20.0
    assert np.isnan(b.loc[("nhs", "2026/27"), "budget"])
    # no side payments: positions are the sums of the chosen nets (-50-10+5, 80+5+5)
    assert r.positions()["net_after"].tolist() == [-55.0, 90.0]


def test_fiscal_and_weighted_objectives():
    # fiscal values 30, -10, -5, 10: {A, D} = 40 is the best feasible
    assert portfolio(spec(objective="fiscal"), small()).chosen == ["A", "D"]
    # 0.5 x public value + 1 x fiscal: A 80, B 30, C 20, D 25 -> {A, C, D} 125 beats {A, D} 105
    r = portfolio(spec(objective={"public_value": 0.5, "fiscal": 1}), small())
    assert r.chosen == ["A", "C", "D"] and r.value == pytest.approx(125.0)


def test_structure_holds():
    # excluding C: {A, D} 130; requiring C for A: {A, C, D} still; A and C exclusive: {A, D} 130
    assert portfolio(spec(structure={"exclude": ["C"]}), small()).chosen == ["A", "D"]
    assert portfolio(spec(structure={"exclusive": [["A", "C"]]}), small()).chosen == ["A", "D"]
    # B must be in: {B, D} 110 (B with A breaks year 1, B with C year 2)
    assert portfolio(spec(structure={"include": ["B"]}), small()).chosen == ["B", "D"]
    # D requires B: {A, C} 150 (D is no longer free to join A and C)
    assert portfolio(spec(structure={"requires": {"D": ["B"]}}), small()).chosen == ["A", "C"]
    assert portfolio(spec(structure={"max_count": 1}), small()).chosen == ["A"]


def test_side_payments_sum_to_zero_and_floors_hold():
    # {A, C, D}: council -55, NHS 90; every partner's floor 0: the NHS pays the council 55
    r = portfolio(spec(side_payments=True), small())
    assert r.chosen == ["A", "C", "D"]
    assert r.side_payments.tolist() == [55.0, -55.0]
    assert r.positions()["net_after"].tolist() == [0.0, 35.0]
    # the NHS names a floor of 40: {A, C, D} has 35 in all, short; {A, D} has -45 + 85 = 40, just enough
    r = portfolio(spec(side_payments=True, floors={"nhs": 40}), small())
    assert r.chosen == ["A", "D"] and r.value == 130.0
    assert r.side_payments.tolist() == [45.0, -45.0] and r.side_payments.sum() == 0.0
    assert r.positions()["net_after"].tolist() == [0.0, 40.0]


def test_floors_without_side_payments_bind_each_partner():
    # the council will lose at most 50: {A, C, D} (-55) and {A, C} (-60) are out, {A, D} (-45) is best
    r = portfolio(spec(floors={"local_authority": -50}), small())
    assert r.chosen == ["A", "D"] and r.side_payments.tolist() == [0.0, 0.0]


def test_infeasible_names_the_binding_budget_and_by_how_much():
    # council budgets of 5 and 5, at least one programme: alone, year 1 needs 55 more (A), year 2 needs
    # 35 more (C, which spends nothing in year 1); all relaxed at least cost, D needs 5 in each year
    r = portfolio(spec(budgets={"local_authority": {"2025/26": 5, "2026/27": 5}}, structure={"min_count": 1}),
                  small())
    assert not r.feasible and r.chosen == [] and r.status == "infeasible"
    assert "budget of local_authority in 2026/27 binds" in r.message and "£35" in r.message
    t = r.binding_table().set_index("constraint")
    assert t.loc["budget of local_authority in 2026/27", "shortfall_alone"] == pytest.approx(35.0)
    assert t.loc["budget of local_authority in 2025/26", "shortfall_alone"] == pytest.approx(55.0)
    assert t.loc["number chosen", "shortfall_alone"] == pytest.approx(1.0)
    assert t.loc["budget of local_authority in 2025/26", "shortfall_jointly"] == pytest.approx(5.0)


def test_a_diagnosis_stopped_by_the_time_limit_says_its_shortfalls_may_be_more_than_needed(monkeypatch):
    # the same portfolio, with every search for the least shortfall reported as stopped by the time
    # limit (the slack searches are the MILPs whose objective is zero on the candidates)
    import types

    import scipy.optimize

    real = scipy.optimize.milp

    def stopped(c, **kwargs):
        res = real(c, **kwargs)
        if not np.any(c[:4]):
            return types.SimpleNamespace(**{**dict(res), "status": 1})
        return res

    monkeypatch.setattr(scipy.optimize, "milp", stopped)
    r = portfolio(spec(budgets={"local_authority": {"2025/26": 5, "2026/27": 5}}, structure={"min_count": 1}),
                  small())
    assert "binds" in r.message and "£35" in r.message
    assert "time limit (60 s) stopped the search" in r.message and "may be more than is needed" in r.message
    monkeypatch.setattr(scipy.optimize, "milp", real)
    assert "time limit" not in portfolio(spec(budgets={"local_authority": {"2025/26": 5, "2026/27": 5}},
                                              structure={"min_count": 1}), small()).message


def test_infeasible_structure_names_the_conflict():
    r = portfolio(spec(structure={"include": ["A", "B"], "exclusive": [["A", "B"]]}), small())
    assert not r.feasible
    assert "whatever the budgets" in r.message and "at most one of A, B" in r.message
    assert "include: A" in r.message


def test_frontier_is_monotone_and_hand_checked_at_the_budgets():
    r = portfolio(spec(frontier=[0.5, 1.0, 2.0]), small())
    f = r.frontier()
    assert f.loc[f["scaling"] == 1.0, "value"].item() == 180.0
    # doubled: council 160 and 100, NHS 40: all four fit (100 and 80, NHS 20) -> 260
    assert f.loc[f["scaling"] == 2.0, "value"].item() == 260.0
    assert f["value"].is_monotonic_increasing


def test_marginal_value_of_budget_from_the_relaxation():
    r = portfolio(spec(), small())
    b = r.budgets().set_index(["agency", "year"])
    per = b["per_pound"]
    assert np.isnan(per.loc[("nhs", "2026/27")])          # no budget
    assert (per.dropna() >= 0).all()
    assert r.relaxation is not None and r.relaxation.value >= r.value   # the relaxation bounds the MILP


def test_structure_names_must_be_candidates():
    with pytest.raises(CBAError, match=r"structure.exclude\[0\].*no candidate is called 'E'"):
        portfolio(spec(structure={"exclude": ["E"]}), small())
    with pytest.raises(CBAError, match=r"budgets.police.*no candidate has a partner"):
        portfolio(spec(budgets={"police": {"2025/26": 1}}), small())
    with pytest.raises(CBAError, match=r"budgets.nhs.2030/31.*no candidate runs in"):
        portfolio(spec(budgets={"nhs": {"2030/31": 1}}), small())


@pytest.mark.parametrize(("fields", "match"), [
    ({"budgets": {"nhs": {"2025/26": True}}}, "budgets"),
    ({"budgets": {"nhs": {"2025/26": -1}}}, "budgets"),
    ({"objective": "npv"}, "objective"),
    ({"structure": {"min_count": 3, "max_count": 2}}, "min_count"),
    ({"programme": "p.yaml"}, "candidates"),
    ({"side_payments": 1}, "side_payments"),
    ({"budget": {}}, "budget"),
])
def test_bad_spec_is_a_cba_error_naming_the_field(fields, match):
    with pytest.raises(CBAError, match=match):
        spec(**fields)


def test_what_the_solver_prints_goes_to_standard_error(capfd):
    # the HiGHS bundled with scipy prints debugging lines to file descriptor 1 on some hard problems;
    # they must not land in JSON written to standard output
    import os

    from cba.portfolios._milp import quiet_solver

    with quiet_solver():
        os.write(1, b"solver chatter\n")
    print("ours")
    out, err = capfd.readouterr()
    assert out == "ours\n" and "solver chatter" in err


def test_runners_up_and_frontier_state_each_sets_status_and_gap():
    r = portfolio(spec(runners_up=2, frontier=[0.5, 1.0]), small())
    ru = r.runners_up()
    assert list(ru.columns[-2:]) == ["status", "gap"]
    assert ru["rank"].tolist() == [1, 2, 3] and ru["value"].tolist() == [180.0, 150.0, 130.0]
    assert ru["status"].tolist() == ["optimal"] * 3 and ru["gap"].tolist() == [0.0] * 3
    f = r.frontier()
    assert list(f.columns[-2:]) == ["status", "gap"] and (f["gap"] == 0.0).all()
