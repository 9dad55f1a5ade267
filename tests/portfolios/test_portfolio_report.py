"""The HTML report of a portfolio: every section, the charts, escaping, and the infeasible case."""

from __future__ import annotations

import re

import pytest

from cba.cli._main import main
from cba.outputs.report import render_portfolio_report
from cba.portfolios._choose import portfolio

from ..conftest import EXAMPLES
from .test_choice import small, spec

EXAMPLE = EXAMPLES / "portfolio" / "portfolio.yaml"


@pytest.fixture(scope="module")
def example_html(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["portfolio", str(EXAMPLE), "--draws", "500", "--seed", "1", "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_example_report_has_every_section_and_chart(example_html):
    html = example_html
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http://" not in html.split("<svg")[0]
    for heading in ("The choice", "What binds", "Budgets by partner and year",
                    "Each partner&#x27;s position, before and after side payments", "Each partner&#x27;s risk",
                    "Frontier: value against budget", "Candidates"):
        assert f"<h2>{heading}</h2>" in html, heading
    # the three charts: budgets, risk, frontier
    assert html.count("<svg") == 3
    assert 'id="chart-portfolio-frontier"' in html and 'id="chart-portfolio-risk"' in html
    # the solver's proof and settings, and the duals labelled as an approximation
    assert "proven optimal" in html and "gap tolerance 0" in html and "time limit 60 s" in html
    assert "Value of £1 more (approx.)" in html and "an approximation" in html
    # the pinned choice's value and the NHS's side payment
    assert "£3,567,012" in html and "£9,817" in html
    # the runners-up table: four ranks
    assert len(re.findall(r"<td[^>]*>4</td>", html)) >= 1
    # what keeps the others out: early help's one intake alone would break the NHS's 2026/27 budget by
    # £10,000 (its £10,000 budget is spent on the two intakes); back to work needs the key workers
    assert "What keeps each other candidate out" in html and "NHS&#x27;s budget in 2026/27" in html
    assert "£10,000" in html and "needs Family key workers, which is not chosen" in html


def test_names_from_the_file_are_escaped_and_charts_optional():
    r = portfolio(spec(name="Board <b>&</b>"), small(), frontier_points=True)
    html = render_portfolio_report(r, charts=False)
    assert "Board &lt;b&gt;&amp;&lt;/b&gt;" in html and "<b>&" not in html
    assert "<svg" not in html and "<h2>Frontier: value against budget</h2>" in html
    assert "Each partner&#x27;s risk" not in html     # no uncertainty files: no risk section


def test_an_infeasible_portfolio_reports_what_binds():
    r = portfolio(spec(budgets={"local_authority": {"2025/26": 5, "2026/27": 5}}, structure={"min_count": 1}),
                  small())
    assert not r.feasible
    html = render_portfolio_report(r)
    assert "No portfolio meets the constraints" in html and "<h2>What binds</h2>" in html
    assert "budget of local_authority in 2026/27 binds" in html and "<svg" not in html


def test_html_needs_an_output_file(capsys):
    assert main(["portfolio", str(EXAMPLE), "-f", "html", "--no-frontier"]) == 2
    assert "-o report.html" in capsys.readouterr().err
