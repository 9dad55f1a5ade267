"""``cba partnership --solve ... --spec FILE`` gives the risk of the solved deal, not of the old one."""

import json
from pathlib import Path

import pytest
import yaml

from cba.cli._main import main

EXAMPLE = Path("examples/partnership/back_to_work")
SOLVE = ["--solve", "gain-share", "--from", "dwp", "--to", "local_authority"]
RUN = ["--draws", "400", "--seed", "7", "-f", "json"]


def run(capsys, *argv) -> dict:
    code = main(["partnership", *map(str, argv)])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def risk_rows(data: dict) -> dict:
    part = data.get("partnership", data)
    return {r["agency"]: r for r in part["risk"]["partners"]}


def test_the_solved_deal_risk_equals_running_the_solved_deal_directly(tmp_path, capsys):
    # the spec varies the gain-share rate (uniform 0.4 to 0.6): with --solve it is held at the solved rate
    solved = run(capsys, EXAMPLE / "model.yaml", *SOLVE, "--spec", EXAMPLE / "uncertainty.yaml", *RUN)
    rate = solved["solution"]["value"]
    assert rate == pytest.approx(0.6240, abs=5e-5)
    held = solved["partnership"]["risk"]["held_at_solved_value"]
    assert len(held) == 1 and "62.40%" in held[0] and "partnership.gain_share[0].share" in held[0]

    # the solved deal written into a copy of the model, run with the spec less the held range: same figures
    model = yaml.safe_load((EXAMPLE / "model.yaml").read_text())
    model["partnership"]["gain_share"][0]["share"] = rate
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(model, sort_keys=False))
    spec = yaml.safe_load((EXAMPLE / "uncertainty.yaml").read_text())
    del spec["distributions"]["partnership.gain_share[0].share"]
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    direct = run(capsys, tmp_path / "model.yaml", "--spec", tmp_path / "spec.yaml", *RUN)
    assert direct["risk"]["held_at_solved_value"] == []
    figures = ("net_after", "mean", "p5", "median", "p95", "probability_of_loss")
    a, b = risk_rows(solved), risk_rows(direct)
    assert a.keys() == b.keys() == {"local_authority", "dwp", "nhs"}
    for p in a:
        for f in figures:
            assert a[p][f] == pytest.approx(b[p][f], rel=1e-12, abs=1e-6), (p, f)
    # the council is at break-even in the central estimate of the solved deal
    assert a["local_authority"]["net_after"] == pytest.approx(0, abs=1e-6)

    # and it is not the old deal's risk (the file's range replacing the solved rate in every draw)
    old = run(capsys, EXAMPLE / "model.yaml", "--spec", EXAMPLE / "uncertainty.yaml", *RUN)
    assert risk_rows(old)["local_authority"]["mean"] < a["local_authority"]["mean"] - 10_000


def test_the_table_says_which_term_is_held(capsys):
    code = main(["partnership", str(EXAMPLE / "model.yaml"), *SOLVE, "--spec", str(EXAMPLE / "uncertainty.yaml"),
                 "--draws", "200", "--seed", "1"])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert ("Held at the solved value: the share passed on under 'DWP reinvests benefit savings', 62.40% "
            "(the range for partnership.gain_share[0].share in") in out


def test_a_held_term_in_the_correlation_is_refused_naming_both(tmp_path, capsys):
    spec = yaml.safe_load((EXAMPLE / "uncertainty.yaml").read_text())
    spec["correlation"] = [["partnership.gain_share[0].share", "outcomes[0].success", 0.3]]
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    code = main(["partnership", str(EXAMPLE / "model.yaml"), *SOLVE, "--spec", str(tmp_path / "spec.yaml"),
                 "--draws", "50", "--seed", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "spec.yaml: correlation: partnership.gain_share[0].share" in err
    assert "--solve gain-share sets" in err and "DWP reinvests benefit savings" in err


def test_a_spec_varying_only_the_solved_term_is_refused(tmp_path, capsys):
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(
        {"distributions": {"partnership.gain_share[0].share": {"dist": "uniform", "low": 0.4, "high": 0.6}}}))
    code = main(["partnership", str(EXAMPLE / "model.yaml"), *SOLVE, "--spec", str(tmp_path / "spec.yaml"),
                 "--draws", "50", "--seed", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "nothing is left to vary" in err


def test_a_solved_price_is_held_in_every_year(capsys):
    from cba.partnership._solution import Solution

    s = Solution("price", True, 1.0, "", solved={"partnership.outcome_payments[1].price": "the price"})
    assert s.holds("partnership.outcome_payments[1].price") and s.holds("partnership.outcome_payments[1].price[3]")
    assert s.holds(" partnership.outcome_payments[1] .price")
    assert not s.holds("partnership.outcome_payments[1].price_year") and not s.holds(
        "partnership.outcome_payments[10].price") and not s.holds("partnership.outcome_payments[1].attachment_fee")
