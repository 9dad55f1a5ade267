"""The Word document: every table of the business case by its caption, its key cells, the charts
as pictures, A4 pages it fits, plain text from the user, and LibreOffice converting it to PDF."""

import io
import itertools
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

import cba
import cba.outputs.charts._appraisal as appraisal_charts
from cba.model._agencies import display_name
from cba.outputs._format import fmt
from cba.outputs._palette import CAPTIONS
from cba.outputs.charts._deal import DEAL_CHARTS
from cba.outputs.export._docx import word_text
from cba.outputs.export._docx_case import appraisal_docx, comparison_docx
from cba.outputs.export._formats import to_docx
from cba.outputs.export._partnership import to_docx as deal_docx
from cba.outputs.report._report import TABLE_SECTIONS
from cba.outputs.tables._deal import deal_tables
from cba.outputs.tables._tables import agency_table, summary_table, table

from ..conftest import EXAMPLES
from ..support.browser import required_tool
from ..support.libreoffice import print_to_pdf

WORKED = EXAMPLES / "worked_example.yaml"
DEAL = EXAMPLES / "partnership" / "back_to_work" / "model.yaml"
OPTIONS = sorted((EXAMPLES / "options").glob("*.yaml"))


# ---------------------------------------------------------------- reading a document back
def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def items(document) -> list[tuple[str, object]]:
    """The body in order: ("heading", text), ("caption", text), ("table", Table), ("picture", count)."""
    out: list[tuple[str, object]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            out.append(("table", block))
            continue
        assert isinstance(block, Paragraph)
        style = block.style.name
        pictures = len(block._p.findall(".//" + qn("w:drawing")))
        if pictures:
            out.append(("picture", pictures))
        elif style.startswith("Heading") or style == "Title":
            out.append(("heading", block.text))
        elif style == "Caption":
            out.append(("caption", block.text))
        else:
            out.append(("text", block.text))
    return out


def captioned(document) -> dict[str, Table]:
    """Every table by the caption above it."""
    body, out = items(document), {}
    for (kind, value), (next_kind, next_value) in itertools.pairwise(body):
        if kind == "caption" and next_kind == "table":
            out[value] = next_value
    return out


def rows(t: Table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in t.rows]


def headings(document) -> list[str]:
    return [v for k, v in items(document) if k == "heading"]


def pictures(document) -> int:
    return sum(v for k, v in items(document) if k == "picture")


def parts_of(title: str, found: dict) -> list[str]:
    """The captions of a table, whole or cut into parts by columns."""
    return [c for c in found if c == title or (c.startswith(title + " (part ") and c.endswith(")"))]


@pytest.fixture(scope="module")
def worked():
    a = cba.appraise(WORKED)
    return a, read(to_docx(a))


@pytest.fixture(scope="module")
def deal():
    a = cba.appraise(DEAL)
    result = a.partnership()
    return a, result, read(deal_docx(result))


# ---------------------------------------------------------------- an appraisal
def test_sections_follow_the_report(worked):
    _a, document = worked
    assert headings(document) == ["Worked example", "Financial and economic case", "Who pays and who saves",
                                  "Charts", *(h for h, _ in TABLE_SECTIONS)]
    assert document.core_properties.title == "Worked example"


def test_every_table_is_there_by_its_caption(worked):
    a, document = worked
    found = captioned(document)
    assert "Headline figures" in found
    for name in ("summary", "agencies", "costs", "benefits", "cost_lines", "outcomes", "unit_values",
                 "provenance"):
        assert parts_of(table(a, name).attrs["title"], found), name


def test_key_cells_read_as_every_other_output_formats_them(worked):
    a, document = worked
    found = captioned(document)
    headline = dict(r for r in rows(found["Headline figures"])[1:])
    npv = fmt(a.metrics["net_present_budget_impact"], "money")
    assert npv == "£23,401" and headline["Net present budget impact"] == npv      # the README's figure
    summary = {r[1]: r[2] for r in rows(found[summary_table(a).attrs["title"]])[1:]}
    assert summary["Net present budget impact"] == npv
    ledger = rows(found[agency_table(a).attrs["title"]])
    assert ledger[0][:3] == ["Agency", "Pays (PV costs)", "Banks (PV fiscal)"]
    by_agency = {r[0]: r for r in ledger[1:]}
    agencies = a.by_agency()
    assert len(agencies) == 2 and len(ledger) == 1 + len(agencies) + 1          # heading, agencies, total
    for _, row in agencies.iterrows():
        name = display_name(row["agency"], a.intervention.agency_names)
        assert name == row["agency_name"] and by_agency[name][5] == fmt(row["net"], "money")
        assert by_agency[name][1] == fmt(row["pv_costs"], "money")
        assert by_agency[name][2] == fmt(row["pv_fiscal"], "money")


def test_the_charts_are_pictures_with_their_captions(worked):
    _a, document = worked
    body = items(document)
    assert pictures(document) == len(appraisal_charts.CHARTS) == 4
    for name in appraisal_charts.CHARTS:
        at = body.index(("caption", CAPTIONS[name]))
        assert body[at - 1][0] == "picture"                          # the caption is under its chart
    for shape in document.inline_shapes:
        image = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
        assert image.content_type == "image/png" and image.blob.startswith(b"\x89PNG")
        assert shape.width.mm <= 170.1 and shape.height.mm <= 105.1        # two charts to a page


def test_tables_fit_their_pages_and_repeat_their_heading_row(worked, deal):
    for document in (worked[1], deal[2]):
        sections = list(document.sections)
        i, orientations = 0, set()
        for block in document.iter_inner_content():
            width = sections[i].page_width - sections[i].left_margin - sections[i].right_margin
            if isinstance(block, Table):
                assert sum(c.width for c in block.columns) <= width
                header = block.rows[0]._tr.trPr
                assert header is not None and header.find(qn("w:tblHeader")) is not None
                orientations.add(sections[i].orientation)
            elif block._p.pPr is not None and block._p.pPr.find(qn("w:sectPr")) is not None:
                i += 1                                                           # the end of a section
        assert WD_ORIENT.LANDSCAPE in orientations          # the assumption tables need a landscape page
        for s in sections:                                  # A4, portrait or landscape
            size = (round(s.page_width.mm), round(s.page_height.mm))
            assert size == ((210, 297) if s.orientation == WD_ORIENT.PORTRAIT else (297, 210))


def test_without_charts_there_are_no_pictures():
    document = read(to_docx(cba.appraise(WORKED), charts=False))
    assert pictures(document) == 0 and "Charts" not in headings(document)


# ---------------------------------------------------------------- a deal
def test_the_deal_holds_every_table_of_the_deal(deal):
    a, result, document = deal
    found = captioned(document)
    at = headings(document).index("Partnership deal in detail")
    assert at == headings(document).index("Who pays and who saves") + 1
    tables = deal_tables(result)
    assert {"deal_partners", "deal_flows", "deal_years"} <= set(tables)
    for frame in tables.values():            # whatever tables the deal has, new ones included
        assert parts_of(frame.attrs["title"], found), frame.attrs["title"]
    partners = rows(found[parts_of(tables["deal_partners"].attrs["title"], found)[0]])
    names = [r[0] for r in partners[1:]]
    assert {"Local authority", "DWP", "NHS"} <= set(names)
    flows = rows(found[parts_of(tables["deal_flows"].attrs["title"], found)[0]])
    assert flows[1][-1] == fmt(result.flows_between()["pv"].sum(), "money") == "£451,640"
    assert pictures(document) == len(appraisal_charts.CHARTS) + len(DEAL_CHARTS)
    assert captioned(document)[summary_table(a).attrs["title"]] is not None   # the business case is there too


def test_a_deal_with_a_solution_and_a_risk_table():
    from cba.partnership._solvers import fair_shares
    from cba.uncertainty._deal_risk import deal_risk

    a = cba.appraise(DEAL)
    solution = fair_shares(a)
    result = a.partnership(solution.terms)
    model = a.intervention.model_copy(update={"partnership": solution.terms})
    risk, _ = deal_risk(model, {"outcomes[0].success": {"dist": "uniform", "low": 0.2, "high": 0.4}},
                        draws=50, seed=1)
    document = read(appraisal_docx(a, charts=False, deal=result, solution=solution, risk=risk))
    texts = [v for k, v in items(document) if k == "text"]
    assert "Question: What are fair shares of the costs, in proportion to what each partner gets back on the fiscal " \
           "basis?" in texts and f"Answer: {solution.message}" in texts
    found = captioned(document)
    risk_caption = [c for c in found if c.startswith("Risk under the deal")]
    assert len(risk_caption) == 1
    assert {r[0] for r in rows(found[risk_caption[0]])[1:]} >= {"Local authority", "DWP"}


def test_a_model_without_a_deal_has_no_deal_section(worked):
    assert not any(h.startswith(("The deal", "Partnership deal", "The whole system")) for h in headings(worked[1]))


# ---------------------------------------------------------------- a comparison
def test_a_comparison_holds_its_tables_charts_and_each_options_assumptions():
    c = cba.compare(OPTIONS)
    document = read(comparison_docx(c))
    found = captioned(document)
    for frame in (c.tables()["side_by_side"], c.tables()["incremental"], c.tables()["provenance"]):
        assert parts_of(frame.attrs["title"], found), frame.attrs["title"]
    assert sum(1 for cap in found if cap.startswith("Who pays and who saves under ")) == len(c.names)
    for name in c.names:
        assert f"Assumptions: {name}" in headings(document)
    assert pictures(document) == len(c.names)
    side = rows(found[c.tables()["side_by_side"].attrs["title"]])
    assert side[0][2:] == list(c.names)


# ---------------------------------------------------------------- text from the user, and files
def test_text_from_the_user_goes_in_as_plain_text():
    # names are one line of text without control characters (the model refuses them); a description may hold any
    model = {"name": "Pilot <b>one</b> =SUM(A1)", "price_base": "2024/25", "horizon": 1,
             "description": "First line\nsecond\x00 line\x07 \x1b[31m\x9b",
             "costs": [{"name": "Staff & co", "agency": "local_authority", "amounts": [1000]}],
             "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
                           "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}
    a = cba.appraise(model)
    assert "\x00" in a.intervention.description and "\x9b" in a.intervention.description
    document = read(to_docx(a, charts=False))
    assert headings(document)[0] == a.intervention.name == "Pilot <b>one</b> =SUM(A1)"
    assert "First line second line [31m" in [p.text for p in document.paragraphs]
    body = "".join(p.text for p in document.paragraphs) + "".join(c.text for t in document.tables
                                                                   for r in t.rows for c in r.cells)
    assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in body)


@pytest.mark.parametrize("text, expected", [
    ("a\tb\r\nc", "a b c"), ("\x00\x01x\x7f\x80\x9f", "x"), ("ok £ – é", "ok £ – é"), ("\ud800z\uffff", "z")])
def test_word_text(text, expected):
    assert word_text(text) == expected


def test_writes_never_overwrite_without_force(tmp_path):
    a = cba.appraise(WORKED)
    path = tmp_path / "case.docx"
    assert a.to_docx(path) == path and read(path.read_bytes()).paragraphs[0].text == "Worked example"
    path.write_bytes(b"precious")
    with pytest.raises(cba.CBAError, match="already exists"):
        a.to_docx(path)
    assert path.read_bytes() == b"precious"
    a.to_docx(path, force=True)
    assert headings(read(path.read_bytes()))[0] == "Worked example"
    c = cba.compare(OPTIONS)
    out = c.to_docx(tmp_path / "options.docx")
    assert headings(read(out.read_bytes()))[0].startswith("Options compared: ")
    with pytest.raises(cba.CBAError, match="already exists"):
        c.to_docx(out)


# ---------------------------------------------------------------- LibreOffice
def writer() -> str:
    """LibreOffice with Writer (``soffice`` alone may have only Calc)."""
    exe = required_tool(("soffice", "libreoffice"), "libreoffice-writer-nogui", "LibreOffice Writer")
    registry = Path(exe).resolve().parent.parent / "share" / "registry" / "writer.xcd"
    if not registry.exists():
        required_tool(("no-such-program-libreoffice-writer",), "libreoffice-writer-nogui", "LibreOffice Writer")
    return exe


@pytest.mark.parametrize("kind", ["worked_example", "deal", "comparison", "gm_working_well"])
def test_libreoffice_converts_it_to_pdf(kind, tmp_path):
    from pypdf import PdfReader

    exe = writer()
    if kind == "comparison":
        data, expected = cba.compare(OPTIONS).to_docx_bytes(), "Options side by side"
    elif kind == "deal":
        data, expected = deal_docx(cba.appraise(DEAL).partnership()), "Partnership deal in detail"
    elif kind == "gm_working_well":     # its assumptions once filled a landscape page to the last line
        data, expected = to_docx(cba.appraise(EXAMPLES / "gm_working_well" / "model.yaml")), "Working Well"
    else:
        data, expected = to_docx(cba.appraise(WORKED)), "£23,401"
    path = tmp_path / "case.docx"
    path.write_bytes(data)
    pdf = print_to_pdf(exe, path, tmp_path)
    reader = PdfReader(pdf)
    assert len(reader.pages) > 0
    text = "".join(p.extract_text() for p in reader.pages)
    assert expected in text
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    if kind == "deal":                 # page 1 holds the deal: who is short, the terms, then the whole system
        first = " ".join(reader.pages[0].extract_text().split())
        for words in ("The deal: DWP reinvestment agreement", "Still short with the deal: Local authority by "
                      "£64,483.", "DWP passes 50% of its cashable savings to Local authority", "The whole system"):
            assert words in first, words
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes <= {(595, 842), (842, 595)}                      # A4, portrait or landscape
    for i, page in enumerate(reader.pages, start=1):               # no page holds only its head and foot
        lines = [ln for ln in page.extract_text().splitlines() if ln.strip()]
        assert len([ln for ln in lines if ": cost-benefit appraisal" not in ln and "Price base" not in ln
                    and f"Page {i} of" not in ln]) > 0 or page.images, f"page {i} is empty"
