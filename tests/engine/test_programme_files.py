"""Programme files are bounded (issue 19, item 2): cycles, files listed twice, too many or too
deeply nested members refused before any work, with the chain of files; member settings
carried or refused; names colliding across members refused."""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cba
import cba.core._limits
from cba.engine import _loading

MODEL = {"name": "M", "price_base": "2024/25", "horizon": 2,
         "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
         "outcomes": [{"name": "Calls", "cohort": 10, "success": 0.5,
                       "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}


def write(path, data):
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def programme(path, members, **more):
    return write(path, {"name": "P", "interventions": members, **more})


def refused(path, *parts):
    with pytest.raises(cba.CBAError) as err:
        cba.load_intervention(path)
    for part in parts:
        assert part in str(err.value), str(err.value)
    return str(err.value)


def test_a_programme_that_includes_itself_is_refused_with_the_chain(tmp_path):
    p = programme(tmp_path / "p.yaml", ["p.yaml"])
    msg = refused(p, "include each other", "p.yaml -> ")
    assert msg.count("p.yaml") >= 3      # the file named, then the chain p.yaml -> p.yaml


def test_a_cycle_through_a_symlink_and_dotdot_is_refused(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "m.yaml", MODEL)
    p = programme(tmp_path / "p.yaml", ["m.yaml", {"path": "sub/q.yaml", "name": "Q"}])
    os.symlink(tmp_path / "p.yaml", tmp_path / "sub" / "link.yaml")
    programme(tmp_path / "sub" / "q.yaml", ["link.yaml"])
    msg = refused(p, "include each other", "q.yaml", "link.yaml")
    assert msg.count("->") == 2
    programme(tmp_path / "sub" / "q.yaml", ["../sub/../p.yaml"])
    refused(p, "include each other")


def test_fan_out_is_refused_at_the_first_repeat(tmp_path):
    write(tmp_path / "m.yaml", MODEL)
    for level in range(30):  # each level lists the one below twice: 2**30 members if expanded
        below = "m.yaml" if level == 0 else f"l{level - 1}.yaml"
        programme(tmp_path / f"l{level}.yaml", [{"path": below, "name": "A"}, {"path": below, "name": "B"}])
    with cba.core._limits.override(programme_depth=40):
        msg = refused(tmp_path / "l29.yaml", "is listed twice", "a programme counts each model file once")
    # found at the first repeat (the model file under the lowest level), each chain 30 files long
    assert "m.yaml is listed twice" in msg and msg.count(" -> ") == 2 * 30
    msg = refused(tmp_path / "l29.yaml", "nested more than 8 deep")
    assert "l29.yaml" in msg


def test_members_and_depth_are_limited(tmp_path):
    for i in range(5):
        write(tmp_path / f"m{i}.yaml", {**MODEL, "name": f"M{i}"})
    p = programme(tmp_path / "p.yaml", [f"m{i}.yaml" for i in range(5)])
    assert len(cba.load_intervention(p).costs) == 5
    with cba.core._limits.override(programme_members=4):
        refused(p, "more than 4 model files", "CBA_MAX_PROGRAMME_MEMBERS")
    q = programme(tmp_path / "q.yaml", ["p.yaml"])
    r = programme(tmp_path / "r.yaml", ["q.yaml"])
    assert len(cba.load_intervention(r).costs) == 5
    with cba.core._limits.override(programme_depth=2):
        refused(r, "nested more than 2 deep", "r.yaml -> ", "q.yaml -> ", "p.yaml", "programme_depth")
    assert q.exists()


def test_nothing_is_appraised_before_a_cycle_is_found(tmp_path, monkeypatch):
    write(tmp_path / "m.yaml", MODEL)
    p = programme(tmp_path / "p.yaml", ["m.yaml", {"path": "p.yaml", "name": "Again"}])
    calls = []
    monkeypatch.setattr(_loading.Intervention, "from_dict", classmethod(lambda cls, d: calls.append(d)))
    refused(p, "include each other")
    assert calls == []


def test_member_settings_are_carried_or_refused(tmp_path):
    health = {"rate": 0.015}
    write(tmp_path / "a.yaml", {**MODEL, "name": "A", "health_discounting": health,
                                "mutually_exclusive": [["Calls", "Calls 2"]],
                                "outcomes": [*MODEL["outcomes"], {**MODEL["outcomes"][0], "name": "Calls 2",
                                                                  "success": 0.2}]})
    write(tmp_path / "b.yaml", {**MODEL, "name": "B", "health_discounting": health})
    p = programme(tmp_path / "p.yaml", ["a.yaml", "b.yaml"])
    m = cba.load_intervention(p)
    assert m.health_discounting is not None and m.health_discounting.rate == 0.015
    assert m.mutually_exclusive == [["A: Calls", "A: Calls 2"]]
    write(tmp_path / "b.yaml", {**MODEL, "name": "B"})  # B discounts health at the default
    refused(p, "health_discounting: the interventions differ", "a.yaml", "b.yaml")
    programme(p, ["a.yaml", "b.yaml"], first_year_discounted=True)
    refused(p, "health_discounting")
    write(tmp_path / "b.yaml", {**MODEL, "name": "B", "first_year_discounted": False, "health_discounting": health})
    refused(p, "first_year_discounted: ", "b.yaml sets its own")
    write(tmp_path / "b.yaml", {**MODEL, "name": "B", "discounting": {"rate": 0.1}, "health_discounting": health})
    programme(p, ["a.yaml", "b.yaml"])
    refused(p, "discounting: the interventions differ")


def test_names_colliding_across_members_are_refused(tmp_path):
    write(tmp_path / "a.yaml", {**MODEL, "costs": [{"name": "b: Staff", "agency": "nhs", "amounts": [1]}]})
    write(tmp_path / "b.yaml", MODEL)
    p = programme(tmp_path / "p.yaml", [{"path": "a.yaml", "name": "A"}, {"path": "b.yaml", "name": "A: b"}])
    msg = refused(p, "two members each have a cost line named 'A: b: Staff'")
    assert "p.yaml" in msg
    programme(p, [{"path": "a.yaml", "name": "Work"}, {"path": "b.yaml", "name": "work "}])
    msg = refused(p, "'work ' and 'Work'")
    assert "p.yaml" in msg
    programme(p, [{"path": "a.yaml", "name": "Work\nForged"}, "b.yaml"])
    msg = refused(p, "p.yaml", "control character")
    assert "\nForged" not in msg        # the line break is shown escaped, never printed


def test_members_agency_groups_add_up(tmp_path):
    write(tmp_path / "a.yaml", {**MODEL, "name": "A", "agencies": [{"id": "dclg", "name": "DCLG"}],
                                "agency_groups": {"tier": {"central": ["dclg"]}}})
    write(tmp_path / "b.yaml", {**MODEL, "name": "B", "agency_groups": {"tier": {"central": ["nhs"]}}})
    m = cba.load_intervention(programme(tmp_path / "p.yaml", ["a.yaml", "b.yaml"]))
    assert m.agency_groups["tier"]["central"] == ["dclg", "nhs"]  # B's group no longer replaces A's


def test_a_programme_of_many_members_is_read_once_per_file(tmp_path, monkeypatch):
    n = 300
    for i in range(n):
        write(tmp_path / f"m{i}.yaml", {**MODEL, "name": f"M{i}"})
    p = programme(tmp_path / "p.yaml", [f"m{i}.yaml" for i in range(n)])
    reads = []
    real = _loading.read_bytes
    monkeypatch.setattr(_loading, "read_bytes", lambda path, what: reads.append(path) or real(path, what))
    m = cba.load_intervention(p)
    assert len(m.costs) == n and len(reads) == n + 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(edges=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.sampled_from(["", "X", "x", "x\n"])),
                      min_size=1, max_size=8))
def test_fuzzed_programme_graphs_give_a_model_or_a_cba_error(tmp_path_factory, edges):
    folder = tmp_path_factory.mktemp("fuzz")
    write(folder / "f4.yaml", MODEL)
    lists: dict[int, list] = {i: [] for i in range(4)}
    for src, dst, name in edges:
        lists[src].append({"path": f"f{dst}.yaml", "name": name} if name else f"f{dst}.yaml")
    for i in range(4):
        if lists[i]:
            programme(folder / f"f{i}.yaml", lists[i])
        else:
            write(folder / f"f{i}.yaml", {**MODEL, "name": f"F{i}"})
    try:
        cba.load_intervention(folder / "f0.yaml")
    except cba.CBAError as exc:
        assert len(str(exc)) < 5000


def test_a_members_own_deal_is_never_dropped_silently(tmp_path):
    # with no deal of its own, a programme warns that a member's deal does not apply (--strict
    # refuses it); with one, the programme's deal replaces the members' as documented, and no warning
    deal = {"gain_share": [{"from": "police", "to": "local_authority", "share": 0.5}]}
    member = write(tmp_path / "m.yaml", {**MODEL, "partnership": deal})
    plain = cba.appraise(programme(tmp_path / "p.yaml", [{"path": "m.yaml", "name": "Member"}]))
    assert [w for w in plain.warnings if "Programme member 'Member'" in w and "does not apply" in w]
    with_deal = cba.appraise(programme(tmp_path / "q.yaml", [{"path": "m.yaml", "name": "Member"}],
                                       partnership={"gain_share": [{"from": "police", "to": "local_authority",
                                                                    "share": 0.25}]}))
    assert not [w for w in with_deal.warnings if "does not apply" in w]
    assert member.exists()
