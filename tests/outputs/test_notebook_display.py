"""Notebooks: every result object shows labelled HTML tables, and Monte Carlo progress
bars show in a Jupyter kernel (issue 12, item 8)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

import cba
from cba.uncertainty import montecarlo, one_way, scenarios, switching_value, switching_values
from cba.uncertainty._spec import load_spec

REPO = Path(__file__).resolve().parents[2]
WORKED = str(REPO / "examples" / "worked_example.yaml")
SPEC = load_spec(REPO / "examples" / "worked_example_uncertainty.yaml")
DEAL = REPO / "examples" / "partnership" / "back_to_work" / "model.yaml"


class Tables(HTMLParser):
    """The captions, headings and cells of an HTML page."""

    def __init__(self):
        super().__init__()
        self.captions, self.headings, self.cells, self._in = [], [], [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("caption", "th", "td"):
            self._in, self._text = tag, ""

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag == self._in:
            {"caption": self.captions, "th": self.headings, "td": self.cells}[tag].append(self._text.strip())
            self._in = None


def parsed(obj) -> Tables:
    page = obj._repr_html_()
    assert page.startswith("<div class='cba-result'>") and page.endswith("</div>")
    t = Tables()
    t.feed(page)
    assert t.captions and t.headings and t.cells
    # labels, never metric ids or field paths
    text = " ".join(t.captions + t.headings + t.cells)
    assert not re.search(r"\b(financial_roi|net_present_public_value|pv_costs|net\[)", text), text
    return t


@pytest.fixture(scope="module")
def deal():
    return cba.appraise(DEAL)


def test_scenarios_sensitivity_and_switching_show_labelled_tables():
    t = parsed(scenarios(WORKED, SPEC.scenarios))
    assert "Financial ROI (fiscal benefit per £1 of cost)" in t.cells and "Local authority: net position" in t.cells
    assert "Assumptions of each scenario" in t.captions and "pessimistic" in t.headings
    t = parsed(one_way(WORKED, SPEC.ranges, relative=SPEC.relative, metrics=["financial_roi"]))
    assert any(c.startswith("one-way sensitivity of Financial ROI") for c in t.captions)
    assert "Fewer repeat incidents: success" in t.cells and "Swing" in t.headings
    t = parsed(switching_value(WORKED, "discount_rate", "net_present_public_value"))
    assert "Switching value" in t.headings and "none" in t.cells
    frame = switching_values(WORKED, ["outcomes[0].success", "discount_rate"], "net_present_public_value")
    assert isinstance(frame, pd.DataFrame) and type(frame.head()) is pd.DataFrame  # still a plain table
    t = parsed(frame)
    assert t.captions == ["Where Net present public value reaches £0"]


def test_monte_carlo_shows_spread_range_and_chances():
    r = montecarlo(WORKED, SPEC.distributions, draws=500, seed=3, thresholds=SPEC.thresholds, progress=False)
    t = parsed(r)
    assert any("Monte Carlo, 500 draws, seed 3" in c for c in t.captions)
    assert {"Mean", "5th percentile", "Median", "95th percentile", "Chance", "Test"} <= set(t.headings)
    assert "Payback period (years)" in t.cells


def test_comparison_partnership_and_solutions_show_labelled_tables(deal):
    c = cba.compare([REPO / "examples/options/single_intake.yaml", REPO / "examples/options/two_intakes.yaml"])
    t = parsed(c)
    assert any(x.startswith("Who pays and who saves under Key workers: two intakes") for x in t.captions)
    assert "Change in net position" in t.headings
    t = parsed(deal.partnership())
    assert any(x.startswith("Who puts in and who gets back") for x in t.captions) and "DWP" in t.cells
    import cba.partnership._solvers as solvers

    t = parsed(solvers.fair_shares(deal))
    assert "Shares by partner" in t.captions and "Local authority" in t.cells
    assert any(c.endswith("%") for c in t.cells)


def test_a_solution_shows_its_question_in_words_and_the_terms_it_set(deal):
    import cba.partnership._solvers as solvers
    from cba.outputs.tables._terms import term_sentences

    s = solvers.gain_share(deal, "dwp", "local_authority")
    assert s.appraisal is deal                           # the solver keeps what it answered
    page = s._repr_html_()
    t = parsed(s)
    question = "What share of its savings must DWP pass on for Local authority to break even?"
    assert f"Question: {question}" in page and question in t.cells and "gain-share" not in t.cells
    assert any(c.startswith("The terms of the deal") for c in t.captions) and "Set by the solver" in t.headings
    solved = term_sentences(deal.partnership(s.terms))[0]
    assert solved.startswith("DWP passes 62.4% of its cashable savings to Local authority")
    assert "The terms it sets:" in page and f"Solved: {solved}" in t.cells and "yes" in t.cells
    assert page.index("The terms it sets:") < page.index("<table")


def test_a_solution_without_an_answer_says_it_sets_no_terms(deal):
    import cba.partnership._solvers as solvers

    s = solvers.gain_share(deal, "nhs", "local_authority", target=1e9)
    assert not s.feasible and s.terms is None
    t = parsed(s)
    assert "No terms are set: the question has no answer." in s._repr_html_()
    assert not any(c.startswith("The terms of the deal") for c in t.captions) and "no" in t.cells


def test_shares_by_partner_use_the_models_own_names():
    import cba.partnership._solvers as solvers

    model = {"name": "Named", "price_base": "2024/25", "horizon": 1,
             "agencies": [{"id": "youth", "name": "Youth Justice Service"}],
             "costs": [{"name": "Mentors", "agency": "local_authority", "amounts": [1000]}],
             "outcomes": [{"name": "Fewer offences", "cohort": 10, "success": 1, "value": {"components": [
                 {"type": "fiscal", "agency": "youth", "amount": 300}]}}]}
    s = solvers.fair_shares(cba.appraise(model))
    t = parsed(s)
    assert "Youth Justice Service" in t.cells and "Youth" not in t.cells


def test_progress_bar_in_a_notebook_kernel(tmp_path):
    """In a Jupyter kernel the automatic bar is shown (its output is not a terminal)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import cba.core._progress as p\n"
        "assert p.in_notebook()\n"
        "bar = p.progress_bar(100, None, 4)\n"
        "print('shown' if not bar.disable else 'hidden')\n"
        "bar.update(100); bar.close()"),
        nbformat.v4.new_code_cell(
            "from cba.uncertainty import montecarlo\n"
            f"r = montecarlo({WORKED!r}, {{'outcomes[0].success': {{'dist': 'uniform', 'low': 0.4, 'high': 0.6}}}},\n"
            "               draws=400, seed=1, chunk_size=100, progress=True)")]
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "shown" in out
    # the bar itself reached the cell's output (text, or tqdm's widget when ipywidgets is installed)
    bar = nb.cells[1].outputs
    assert any("Monte Carlo" in o.get("text", "") and "400/400" in o.get("text", "") for o in bar) or \
        any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in bar), bar


def test_progress_bar_outside_a_notebook(monkeypatch):
    import cba.core._progress as progress

    assert not progress.in_notebook()
    assert progress.progress_bar(10, None, 4).disable      # not a terminal: hidden
    assert progress.progress_bar(10, None, 1).disable      # one chunk: hidden
    assert not progress.progress_bar(10, True, 1).disable  # asked for: shown
    # in a notebook with ipywidgets, tqdm's notebook-aware bar (tqdm.auto) is used
    import importlib.util

    import tqdm.auto

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    assert progress._bar_class(True) is tqdm.auto.tqdm
