"""The portfolio's Word document (a board paper), and what keeps each candidate out.

The hand-checked figures use :func:`tests.portfolios.test_choice.small` (its docstring
has the candidates' spend and nets by hand).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from docx import Document

from cba.cli._main import main
from cba.core._errors import CBAError
from cba.outputs.export._docx_portfolio import portfolio_docx
from cba.portfolios._choose import portfolio

from ..conftest import EXAMPLES
from .test_choice import small, spec

EXAMPLE = EXAMPLES / "portfolio" / "portfolio.yaml"


def read(data: bytes):
    """The document's headings (style name, text), every paragraph's text, tables as lists of rows, pictures."""
    d = Document(io.BytesIO(data))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    text = "\n".join(p.text for p in d.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    head = d.sections[0].header.paragraphs[0].text
    return headings, text, tables, len(d.inline_shapes), head


def table_after(tables, first_heading: str):
    return next(t for t in tables if t[0][0] == first_heading)


# ---------------------------------------------------------------- what keeps a candidate out
def reasons(r) -> list[tuple]:
    def given(v):
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else v

    f = r.kept_out()
    return [(row.candidate, row.kind, given(row.agency), given(row.year), given(row.other),
             None if np.isnan(row.over) else round(row.over, 9)) for row in f.itertuples()]


def test_what_keeps_each_candidate_out_hand_checked():
    # {A, C, D}: council spends 70 then 50. B adds 30 and 30: year 1 100 > 80 (20 over),
    # year 2 80 > 50 (30 over); the NHS's 20 is untouched by B
    assert reasons(portfolio(spec(), small())) == [
        ("B", "budget", "local_authority", "2025/26", None, 20.0),
        ("B", "budget", "local_authority", "2026/27", None, 30.0)]
    # council floor -50, {A, D}: council 70 then 10, net -45. B: year 1 100 > 80 (20 over), year 2 40,
    # net -35 >= -50. C: year 1 70, year 2 50 = 50 (not over), NHS 20 = 20; net -45 - 10 = -55, 5 short
    assert reasons(portfolio(spec(floors={"local_authority": -50}), small())) == [
        ("B", "budget", "local_authority", "2025/26", None, 20.0),
        ("C", "floor", "local_authority", None, None, 5.0)]


def test_structure_value_and_pooled_floors_keep_candidates_out():
    # A or B, D needs B: {A, C} (150) is best. B: exclusive with A; council 60 + 30 = 90 > 80 (10 over),
    # 40 + 30 = 70 > 50 (20 over). D: needs B; 70 <= 80 and 50 <= 50, so nothing else
    r = portfolio(spec(structure={"exclusive": [["A", "B"]], "requires": {"D": ["B"]}}), small())
    assert r.chosen == ["A", "C"]
    assert reasons(r) == [("B", "exclusive", None, None, "A", None),
                          ("B", "budget", "local_authority", "2025/26", None, 10.0),
                          ("B", "budget", "local_authority", "2026/27", None, 20.0),
                          ("D", "requires", None, None, "B", None)]
    # fiscal objective: {A, D} (30 + 10). C (-5) breaks nothing (council 70, 50; NHS 20): it adds no value
    r = portfolio(spec(objective="fiscal"), small())
    assert r.chosen == ["A", "D"]
    assert ("C", "value", None, None, None, None) in reasons(r)
    # side payments, NHS floor 40, {A, D}: total net 40 = the floors' 0 + 40. C's nets -10 + 5 take it to 35
    # (5 short); B's 10 - 20 to 30 (10 short), and B's council year 1 is 100 > 80
    r = portfolio(spec(side_payments=True, floors={"nhs": 40}), small())
    assert reasons(r) == [("B", "budget", "local_authority", "2025/26", None, 20.0),
                          ("B", "floor", None, None, None, 10.0),
                          ("C", "floor", None, None, None, 5.0)]


def test_nothing_is_kept_out_of_an_infeasible_result():
    r = portfolio(spec(budgets={"local_authority": {"2025/26": 5, "2026/27": 5}}, structure={"min_count": 1}),
                  small())
    assert not r.feasible and r.kept_out().empty


# ---------------------------------------------------------------- the Word document
@pytest.fixture(scope="module")
def example_docx(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("paper") / "paper.docx"
    assert main(["portfolio", str(EXAMPLE), "--draws", "500", "--seed", "1", "-f", "docx", "-o", str(out)]) == 0
    return out.read_bytes()


def test_the_example_paper_has_every_section_in_order(example_docx):
    headings, text, tables, pictures, head = read(example_docx)
    assert headings == ["A place's portfolio, spending round 2025/26 to 2027/28", "Warnings", "The decision",
                        "The choice and the runners-up", "What binds", "Budgets by partner and year",
                        "Each partner's position, before and after side payments", "Each partner's risk",
                        "Frontier: value against budget", "The frontier in figures", "Candidates"]
    assert head == "A place's portfolio, spending round 2025/26 to 2027/28: portfolio"
    assert pictures == 3                                          # budgets, risk, frontier
    # the decision: the pinned value, the solver's proof, its tolerance and time limit, what is used up
    assert "Value of the choice: £3,567,012" in text
    assert "Programmes chosen: 3 of 7: Early help: two intakes; Swindon LIFE; Troubled families." in text
    assert "proven optimal (gap 0); gap tolerance 0, time limit 60 s" in text
    assert "Budgets used to the last pound: NHS 2026/27; NHS 2027/28." in text
    # the value of a pound more, labelled as an approximation, beside its table
    assert "It is an approximation" in text
    budgets = table_after(tables, "Partner")
    assert budgets[0][-1] == "Value of £1 more (approx.)"
    assert budgets[-2] == ["NHS", "2026/27", "£10,000", "£10,000", "£0", "19.93"]


def test_a_blank_cell_is_no_taller_than_the_table_font(example_docx):
    # an empty cell's height is its paragraph mark's: at the table font's 8pt (w:sz counts half points),
    # not the body's 10pt, so that a row with a blank "Short by" is as tall as the others
    from docx.oxml.ns import qn

    d = Document(io.BytesIO(example_docx))
    kept = next(t for t in d.tables if t.rows[0].cells[0].text == "Candidate not chosen")
    blank = kept.rows[1].cells[3].paragraphs[0]
    assert blank.text == ""
    assert blank._p.pPr.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) == "16"


def test_the_example_paper_tables(example_docx):
    _, _, tables, _, _ = read(example_docx)
    runners = table_after(tables, "Rank")
    assert [r[0] for r in runners[1:]] == ["1", "2", "3", "4"] and runners[1][1] == "£3,567,012"
    kept = table_after(tables, "Candidate not chosen")
    assert kept[0] == ["Candidate not chosen", "Objective value", "Adding it alone would break", "Short by"]
    rows = {(r[0], r[2]): r[3] for r in kept[1:]}
    assert rows[("Employment support", "Local authority's budget in 2025/26")] == "£210,490"
    assert rows[("Early help: one intake", "NHS's budget in 2026/27")] == "£10,000"
    assert rows[("Early help: one intake", "an alternative to Early help: two intakes, which is chosen")] == ""
    assert rows[("Back to work", "needs Family key workers, which is not chosen")] == ""
    assert rows[("Family key workers", "adds no value (objective value of 0 or less)")] == ""
    positions = table_after(tables, "Partner")          # the first "Partner" table is the budgets'
    assert positions[0][1] == "Year"
    side = next(t for t in tables if t[0][:4] == ["Partner", "Net, no deal", "Net after the deals",
                                                  "Side payment received"])
    assert next(r for r in side if r[0] == "NHS")[3] == "£9,817"
    risk = next(t for t in tables if "Chance of a loss" in t[0])
    assert len(risk) == 1 + 7 and risk[0][0] == "Partner"


def test_a_paper_without_charts_risk_or_frontier_and_a_name_with_control_characters():
    r = portfolio(spec(name="Board\x07 paper"), small(), frontier_points=False)
    headings, text, tables, pictures, head = read(portfolio_docx(r, charts=False))
    assert headings[0] == "Board paper" and head == "Board paper: portfolio"
    assert pictures == 0 and "Each partner's risk" not in headings
    assert not any(h.startswith("Frontier") for h in headings)
    kept = table_after(tables, "Candidate not chosen")
    # candidates given as arrays have no partner names: the ids are shown
    assert kept[1:] == [["B", "£80", "local_authority's budget in 2025/26", "£20"],
                        ["B", "£80", "local_authority's budget in 2026/27", "£30"]]
    # council 80 then 50 with 70 and 50 spent: year 2 used to the last pound; NHS 20 of 20
    assert "Budgets used to the last pound: local_authority 2026/27; nhs 2025/26." in text
    # with charts, the budgets chart and the frontier's (no risk)
    r = portfolio(spec(), small())
    headings, _, _, pictures, _ = read(portfolio_docx(r))
    assert pictures == 2 and "Frontier: value against budget" in headings


def test_an_infeasible_paper_says_what_binds():
    r = portfolio(spec(budgets={"local_authority": {"2025/26": 5, "2026/27": 5}}, structure={"min_count": 1}),
                  small())
    headings, text, tables, pictures, _ = read(portfolio_docx(r))
    assert headings[1:] == ["No portfolio meets the constraints", "What binds", "Candidates"]
    assert "budget of local_authority in 2026/27 binds" in text and pictures == 0
    binding = table_after(tables, "Constraint")
    assert any(row[0] == "budget of local_authority in 2026/27" and row[2] == "35" for row in binding)


def test_to_docx_writes_and_never_overwrites(tmp_path):
    r = portfolio(spec(), small(), frontier_points=False)
    path = r.to_docx(tmp_path / "p.docx")
    assert read(path.read_bytes())[0][0] == "Test"
    with pytest.raises(CBAError, match="exists"):
        r.to_docx(tmp_path / "p.docx")
    assert r.to_docx(tmp_path / "p.docx", force=True) == tmp_path / "p.docx"


def test_docx_needs_an_output_file(capsys):
    assert main(["portfolio", str(EXAMPLE), "-f", "docx", "--no-frontier"]) == 2
    assert "-o portfolio.docx" in capsys.readouterr().err


@pytest.mark.parametrize("bad", [None, "x", 1])
def test_the_paper_refuses_what_is_not_a_portfolio(bad):
    with pytest.raises(CBAError):
        portfolio_docx(bad)


def test_a_choice_not_proven_optimal_says_so_with_its_gap_and_bound():
    # the solver stopped at its time limit with the choice 180 and a bound of 198: a gap of
    # (198 - 180) / 180 = 10%; the paper must not call it optimal
    import dataclasses

    r = portfolio(spec(), small(), frontier_points=False)
    r.solution = dataclasses.replace(r.solution, status="time_limit", bound=198.0, gap=0.1)
    _, text, _, _, _ = read(portfolio_docx(r, charts=False))
    assert "not proven optimal: within a proven gap of 10.0% of the best possible (bound £198)" in text
    assert "proven optimal (gap 0)" not in text
