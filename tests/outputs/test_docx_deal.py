"""The Word document of a deal opens with the deal, as the report does: each partner without and with
it, who is still short, the terms in words and as a table, each partner side by side; then the whole
system, labelled as such; the deal in detail after who pays and who saves."""

import pytest

import cba
from cba.outputs._format import fmt
from cba.outputs.export._docx import _height, _lines, _widths
from cba.outputs.export._docx_case import appraisal_docx
from cba.outputs.export._partnership import to_docx as deal_docx
from cba.outputs.report._layout import PORTRAIT_EM, text_em
from cba.outputs.tables._deal import position_sentences, position_table
from cba.outputs.tables._terms import question, term_sentences, terms_table
from cba.partnership._solvers import fair_shares, gain_share

from ..conftest import EXAMPLES
from .test_docx import captioned, headings, items, read, rows

DEAL = EXAMPLES / "partnership" / "back_to_work" / "model.yaml"
SIB = EXAMPLES / "partnership" / "rough_sleeping_sib" / "model.yaml"
WORKED = EXAMPLES / "worked_example.yaml"


@pytest.fixture(scope="module")
def deal():
    result = cba.appraise(DEAL).partnership()
    return result, read(deal_docx(result))


def texts(document) -> list[str]:
    return [v for k, v in items(document) if k == "text"]


def order(document) -> list[str]:
    """Headings, captions and texts in the order they come (tables and pictures left out)."""
    return [v for k, v in items(document) if k in ("heading", "caption", "text")]


def test_the_deal_comes_first_then_the_whole_system_then_the_business_case(deal):
    result, document = deal
    assert headings(document)[:6] == ["Back to work with DWP reinvestment", "The deal: DWP reinvestment agreement",
                                      "The whole system", "Financial and economic case", "Who pays and who saves",
                                      "Partnership deal in detail"]
    body = order(document)
    positions, terms = position_sentences(result), term_sentences(result)
    assert positions[-1] == "Still short with the deal: Local authority by £64,483."
    assert positions[0] == "Local authority: -£516,123 without the deal, -£64,483 with it (behind by £64,483)."
    assert terms == ["DWP passes 50% of its cashable savings to Local authority, capped at £250,000 a year, "
                     "2025/26 to 2028/29."]
    at = body.index("The deal: DWP reinvestment agreement")
    expected = ["Each partner's net position (present values: what it gets back minus what it puts in), without "
                "and with the deal:", *positions, "The terms, one sentence for each agreement:", *terms,
                terms_table(result).attrs["title"], position_table(result).attrs["title"]]
    assert body[at + 1:at + 1 + len(expected)] == expected
    whole = body.index("The whole system")
    assert at + len(expected) < whole < body.index("Headline figures for the whole system") \
        < body.index("Financial and economic case") < body.index("Partnership deal in detail")


def test_the_sentences_are_bullets_and_the_shortfall_stands_out(deal):
    result, document = deal
    paragraphs = {p.text: p for p in document.paragraphs}
    for sentence in [*position_sentences(result)[:-1], *term_sentences(result)]:
        assert paragraphs[sentence].style.name == "List Bullet"
    short = paragraphs[position_sentences(result)[-1]]
    assert short.style.name == "Normal" and all(r.bold for r in short.runs)


def test_the_terms_and_positions_tables_read_as_the_deal(deal):
    result, document = deal
    found = captioned(document)
    terms = rows(found[terms_table(result).attrs["title"]])
    assert terms[0] == ["Agreement", "Kind", "Pays", "Receives", "The terms in words"]
    assert [r[4] for r in terms[1:]] == term_sentences(result)
    assert terms[1][:4] == ["DWP reinvests benefit savings", "Gain-share", "DWP", "Local authority"]
    sides = rows(found[position_table(result).attrs["title"]])
    assert sides[0] == ["Partner", "Deal", "Net position", "Return per £1 put in", "Breaks even", "Peak deficit"]
    p = result.partners().set_index("agency")
    assert sides[1][:3] == ["Local authority", "without the deal", fmt(p.loc["local_authority", "net_before"])]
    assert sides[2][:3] == ["Local authority", "with the deal", "-£64,483"]
    assert sides[2][4] == "not by 2028/29"            # still short at the horizon's end


def test_the_whole_systems_figures_are_labelled_as_the_whole_systems(deal):
    result, document = deal
    headline = dict(r for r in rows(captioned(document)["Headline figures for the whole system"])[1:])
    assert headline["Whole-system payback period (years)"] == fmt(result.appraisal.metrics["payback_period"],
                                                                  "years")
    assert headline["Whole-system net present budget impact"] == "£284,021"
    assert "Payback period (years)" not in headline and "Headline figures" not in captioned(document)
    # the terms and the positions open the document once: the deal in detail holds the other tables
    assert sum(1 for c in captioned(document) if c == terms_table(result).attrs["title"]) == 1
    in_detail = order(document)[order(document).index("Partnership deal in detail"):]
    assert terms_table(result).attrs["title"] not in in_detail
    assert any(c.startswith("Who puts in and who gets back") for c in in_detail)


def test_appraise_of_a_deal_model_opens_with_its_deal():
    a = cba.appraise(DEAL)
    document = read(appraisal_docx(a, charts=False))
    assert headings(document)[1:3] == ["The deal: DWP reinvestment agreement", "The whole system"]
    assert term_sentences(a.partnership())[0] in texts(document)


def test_a_solved_deal_opens_with_the_question_the_answer_and_the_solved_terms():
    a = cba.appraise(DEAL)
    solution = gain_share(a, "dwp", "local_authority")
    result = a.partnership(solution.terms)
    document = read(appraisal_docx(a, charts=False, deal=result, solution=solution))
    body = order(document)
    at = body.index("The deal: DWP reinvestment agreement")
    assert body[at + 1:at + 3] == [
        "Question: What share of its savings must DWP pass on for Local authority to break even?",
        f"Answer: {solution.message}"]
    assert not any(t.startswith("Question (") or "(gain-share)" in t for t in body)   # in words, not its id
    assert position_sentences(result)[-1] == "With the deal no partner is short: each breaks even or is ahead."
    assert position_sentences(result)[-1] in body
    assert term_sentences(result)[0] in body and "62.4%" in term_sentences(result)[0]
    marked = rows(captioned(document)[terms_table(result).attrs["title"]])
    assert marked[0][-1] == "Set by the solver" and marked[1][-1] == "yes"
    assert marked[1][4] == "Solved: " + term_sentences(result)[0]


def test_a_model_without_a_deal_under_cba_partnership_says_so():
    result = cba.appraise(WORKED).partnership()
    document = read(appraisal_docx(result.appraisal, charts=False, deal=result))
    body = order(document)
    at = body.index("The deal: partnership deal")
    assert body[at + 1] == ("The model has no partnership deal: every partner funds what it bears and nothing "
                            "passes between partners.")
    assert not any(t.startswith("Still short") for t in body) and term_sentences(result) == []
    found = captioned(document)
    assert rows(found[terms_table(result).attrs["title"]]) == [["Agreement", "Kind", "Pays", "Receives",
                                                                "The terms in words"]]


def test_fair_shares_question_reads_in_words():
    a = cba.appraise(DEAL)
    assert question(fair_shares(a, basis="cashable")) == ("What are fair shares of the costs, in proportion to "
                                                         "what each partner gets back on the cashable basis?")


# ---------------------------------------------------------------- the terms table's columns
def test_lines_wrap_between_words():
    # "aaa bbb": 3 x 0.58 = 1.74 em a word, 0.34 em between: 3.82 em, plus 1 em of cell padding
    assert _lines("aaa bbb", 4.82) == 1 and _lines("aaa bbb", 4.8) == 2
    assert _lines("", 3.0) == 1 and _lines("aaa", 1.0) == 1         # a word longer than the cell stays one line


def test_a_rate_card_sentence_gets_the_room_and_the_table_fits_the_page():
    result = cba.appraise(SIB).partnership()
    frame = terms_table(result)
    from cba.outputs.export._docx import _cells

    header, cells, _numeric, right = _cells(frame)
    room_mm = 186.0
    widths = _widths(frame, header, cells, room_mm, right)
    assert sum(widths) <= room_mm + 1e-9
    assert widths[4] == max(widths) and widths[4] > room_mm / 2       # the sentences' column is the widest
    ems = [w / (8 * 25.4 / 72) for w in widths]
    evenly = [room_mm / (8 * 25.4 / 72) / len(widths)] * len(widths)
    assert _height(header, cells, ems) < _height(header, cells, evenly)   # shorter than equal columns
    for i, column in enumerate(header):                                      # no word is cut
        assert ems[i] >= max(text_em(w) for t in [c[i] for c in cells] for w in t.split()) + 1.0 - 1e-9, column
    assert sum(ems) <= PORTRAIT_EM + 2


def test_the_rate_card_terms_are_in_the_document():
    result = cba.appraise(SIB).partnership()
    document = read(appraisal_docx(result.appraisal, charts=False))
    terms = rows(captioned(document)[terms_table(result).attrs["title"]])
    assert [r[4] for r in terms[1:]] == term_sentences(result) and len(terms) == 3
    assert terms[1][4].startswith("MHCLG (Rough Sleeping SIB programme) pays Provider (GM Homes Partnership)")
