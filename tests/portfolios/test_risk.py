"""Each partner's risk on the chosen portfolio: Monte Carlo over the candidates' uncertainty files.

Two tiny candidates, one year (no discounting, no optimism bias), each a council
cost of £1,000 and a saving to the council of £300 per success in a cohort of 10:

    net of the council = 10 x success x 300 - 1000      (present value, year 0)

so success 0.5 gives 500; success 0.1 gives 300 - 1000 = -700 (a loss); success 0.9
gives 2,700 - 1,000 = 1,700. The police bank £50 per success: 10 x 0.5 x 50 = 250.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from openpyxl import load_workbook

from cba.cli._main import main
from cba.core._errors import CBAError
from cba.portfolios._choose import portfolio
from cba.portfolios._risk import candidate_seed

MODEL = """\
name: {name}
price_base: 2024/25
start_year: 2025/26
horizon: 1
costs: [{{name: Staff, agency: local_authority, amounts: [1000]}}]
outcomes:
  - name: Fewer call-outs
    cohort: 10
    success: 0.5
    value:
      components:
        - {{type: fiscal, agency: local_authority, amount: 300}}
        - {{type: fiscal, agency: police, amount: 50}}
"""


def files(tmp_path, a_spec: str | None, b_spec: str | None, extra: str = "") -> str:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(MODEL.format(name=name.upper()))
    lines = ["name: Risk test", "price_base: 2024/25", "start_year: 2025/26", "candidates:"]
    for name, spec in (("a", a_spec), ("b", b_spec)):
        entry = f"  - {{path: {name}.yaml, name: {name.upper()}"
        if spec is not None:
            (tmp_path / f"{name}_u.yaml").write_text(spec)
            entry += f", uncertainty: {name}_u.yaml"
        lines.append(entry + "}")
    (tmp_path / "p.yaml").write_text("\n".join(lines) + "\n" + extra)
    return str(tmp_path / "p.yaml")


FIXED = "distributions:\n  outcomes[0].success: {dist: fixed, value: 0.5}\n"
TWO_POINT = ("distributions:\n  outcomes[0].success: {dist: discrete, values: [0.1, 0.9], "
             "probabilities: [0.3, 0.7]}\n")
HALF = "distributions:\n  outcomes[0].success: {dist: discrete, values: [0.1, 0.9], probabilities: [0.5, 0.5]}\n"


def test_a_degenerate_distribution_gives_the_deterministic_positions(tmp_path):
    r = portfolio(files(tmp_path, FIXED, None), draws=50, seed=3)
    assert r.chosen == ["A", "B"] and r.risk is not None
    assert r.risk.drawn == ("A",)
    pos = r.positions().set_index("agency")
    # two candidates: council 500 + 500 = 1,000; police 250 + 250 = 500
    assert pos.loc["local_authority", "net_after"] == pytest.approx(1000.0, abs=1e-9)
    assert pos.loc["police", "net_after"] == pytest.approx(500.0, abs=1e-9)
    t = r.risk_table().set_index("agency")
    for p in ("local_authority", "police"):
        assert np.allclose(r.risk.net[:, r.candidates.partners.index(p)], pos.loc[p, "net_after"], rtol=0,
                           atol=1e-9)
        assert t.loc[p, "p5"] == pytest.approx(pos.loc[p, "net_after"], abs=1e-9)
        assert t.loc[p, "p95"] == pytest.approx(pos.loc[p, "net_after"], abs=1e-9)
        assert t.loc[p, "probability_of_loss"] == 0.0


def test_a_two_point_distribution_gives_its_chance_of_a_loss(tmp_path):
    # B alone is drawn: the council's total is 500 (A) + either -700 (p 0.3) or 1,700 (p 0.7):
    # -200, a loss, with chance 0.3; 2,200 otherwise
    r = portfolio(files(tmp_path, None, TWO_POINT), draws=20_000, seed=11)
    net = r.risk.net[:, r.candidates.partners.index("local_authority")]
    assert set(np.round(net, 6)) == {-200.0, 2200.0}
    t = r.risk_table().set_index("agency")
    # sd of a share over 20,000 draws: sqrt(0.3 x 0.7 / 20,000) = 0.0032; allow four
    assert t.loc["local_authority", "probability_of_loss"] == pytest.approx(0.3, abs=0.013)
    # police: 250 + 10 x 0.1 x 50 = 300 or 250 + 450 = 700, never a loss
    assert t.loc["police", "probability_of_loss"] == 0.0
    assert t.loc["police", "p5"] == pytest.approx(300.0) and t.loc["police", "p95"] == pytest.approx(700.0)


def test_candidates_are_drawn_independently(tmp_path):
    # each loses 700 or gains 1,700 with chance 1/2; the total is a loss only when both lose
    # (-1,400); one loss is 1,000, none 3,400: chance of a loss 1/4, of 1,000 one half
    r = portfolio(files(tmp_path, HALF, HALF), draws=20_000, seed=5)
    net = r.risk.net[:, r.candidates.partners.index("local_authority")]
    assert set(np.round(net, 6)) == {-1400.0, 1000.0, 3400.0}
    assert (net < 0).mean() == pytest.approx(0.25, abs=0.013)    # sd sqrt(0.25 x 0.75 / 20,000) = 0.0031
    assert (np.round(net) == 1000).mean() == pytest.approx(0.5, abs=0.015)
    # the same seed gives the same draws; candidates' seeds differ
    again = portfolio(files(tmp_path, HALF, HALF), draws=20_000, seed=5)
    assert np.array_equal(again.risk.net, r.risk.net)
    assert candidate_seed(5, 0) != candidate_seed(5, 1)


def test_side_payments_are_fixed_amounts_added_to_every_draw(tmp_path):
    # police floor 400 with side payments: central council 1,000, police 500 -> no shortfall; a floor
    # of 600 for the police: shortfall 100, paid by the council (the only partner above its floor)
    extra = "side_payments: true\nfloors: {police: 600}\n"
    r = portfolio(files(tmp_path, None, TWO_POINT, extra), draws=2_000, seed=2)
    pos = r.positions().set_index("agency")
    assert pos.loc["police", "side_payment"] == pytest.approx(100.0)
    assert pos.loc["local_authority", "side_payment"] == pytest.approx(-100.0)
    net = r.risk.net[:, r.candidates.partners.index("local_authority")]
    # -200 - 100 = -300, or 2,200 - 100 = 2,100
    assert set(np.round(net, 6)) == {-300.0, 2100.0}
    police = r.risk.net[:, r.candidates.partners.index("police")]
    assert set(np.round(police, 6)) == {400.0, 800.0}     # 300 + 100, 700 + 100


def test_cli_outputs_include_the_risk(tmp_path, capsys):
    path = files(tmp_path, None, TWO_POINT, "draws: 1000\nseed: 7\n")
    assert main(["portfolio", path, "--no-frontier"]) == 0
    text = capsys.readouterr().out
    assert "Each partner's risk on the chosen set" in text and "Chance of a loss" in text
    assert main(["portfolio", path, "--no-frontier", "-f", "json", "--draws", "500", "--seed", "1",
                 "--draws-output", str(tmp_path / "d.csv")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["risk"]["draws"] == 500 and data["risk"]["seed"] == 1 and data["risk"]["drawn"] == ["B"]
    assert data["risk"]["independent"] is True
    rows = {row["agency"]: row for row in data["risk"]["partners"]}
    assert 0 < rows["local_authority"]["probability_of_loss"] < 1
    draws = (tmp_path / "d.csv").read_text().splitlines()
    assert draws[0] == "draw,net_after[local_authority],net_after[police]" and len(draws) == 501
    assert main(["portfolio", path, "--no-frontier", "-f", "markdown"]) == 0
    assert "| Partner | Net, central |" in capsys.readouterr().out
    assert main(["portfolio", path, "--no-frontier", "-o", str(tmp_path / "p.xlsx")]) == 0
    assert "Risk" in load_workbook(tmp_path / "p.xlsx").sheetnames
    # no candidate names an uncertainty file: --draws is a mistake, said so
    (tmp_path / "plain").mkdir()
    plain = files(tmp_path / "plain", None, None)
    assert main(["portfolio", plain, "--no-frontier", "--draws", "100"]) == 2
    assert "for the risk analysis" in capsys.readouterr().err


def test_bad_uncertainty_files_are_named(tmp_path, capsys):
    path = files(tmp_path, None, "distributions:\n  outcomes[5].success: {dist: fixed, value: 0.5}\n")
    with pytest.raises(CBAError, match=r"candidate 'B': uncertainty: .*outcomes\[5\]"):
        portfolio(path, draws=10, seed=1)
    (tmp_path / "b_u.yaml").unlink()
    assert main(["portfolio", path, "--no-frontier"]) == 2
    assert "candidates[1].uncertainty" in capsys.readouterr().err
    path = files(tmp_path, None, "ranges: {}\n")
    assert main(["portfolio", path, "--no-frontier"]) == 2
    assert "no 'distributions' section" in capsys.readouterr().err
