"""``-o case.docx``: the Word document from ``cba appraise``, ``cba compare`` and ``cba partnership``."""

import docx
import pytest
import yaml

from cba.cli._main import main

from ..conftest import EXAMPLES
from ..outputs.test_docx import captioned, headings, pictures, rows

WORKED = EXAMPLES / "worked_example.yaml"
DEAL = EXAMPLES / "partnership" / "back_to_work" / "model.yaml"
OPTIONS = [EXAMPLES / "options" / "single_intake.yaml", EXAMPLES / "options" / "two_intakes.yaml"]


def test_appraise_chooses_word_from_the_suffix(tmp_path, capsys):
    out = tmp_path / "case.docx"
    assert main(["appraise", str(WORKED), "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().err
    document = docx.Document(str(out))
    assert headings(document)[:3] == ["Worked example", "Financial and economic case", "Who pays and who saves"]
    assert pictures(document) == 4


def test_appraise_of_a_deal_model_opens_with_the_deal(tmp_path):
    out = tmp_path / "case.docx"
    assert main(["appraise", str(DEAL), "-o", str(out)]) == 0
    document = docx.Document(str(out))
    assert headings(document)[:4] == ["Back to work with DWP reinvestment", "The deal: DWP reinvestment agreement",
                                      "The whole system", "Financial and economic case"]
    texts = [p.text for p in document.paragraphs]
    assert "Still short with the deal: Local authority by £64,483." in texts


@pytest.mark.parametrize("argv, words", [
    (["appraise", str(WORKED), "--format", "docx"], "--format docx writes a binary file: give one with -o"),
    (["appraise", str(WORKED), "--format", "docx", "-o", "case.xlsx"], "--format docx writes .docx files"),
    (["compare", *map(str, OPTIONS), "-f", "docx"], "give one with -o"),
    (["partnership", str(DEAL), "-f", "docx"], "--format docx writes a binary file: give one with -o, e.g. -o deal"),
    (["appraise", str(WORKED), "-o", "case.doc"], "cannot write a .doc file"),
])
def test_word_needs_a_docx_file(argv, words, capsys):
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_compare_writes_word(tmp_path):
    out = tmp_path / "options.docx"
    assert main(["compare", *map(str, OPTIONS), "-o", str(out)]) == 0
    document = docx.Document(str(out))
    assert "Options side by side" in headings(document) and pictures(document) == 2
    assert main(["compare", *map(str, OPTIONS), "-o", str(out)]) == 2          # never over a file without --force
    assert main(["compare", *map(str, OPTIONS), "-o", str(out), "--force"]) == 0


def test_partnership_writes_the_deal_and_never_overwrites(tmp_path, capsys):
    out = tmp_path / "deal.docx"
    assert main(["partnership", str(DEAL), "-o", str(out)]) == 0
    document = docx.Document(str(out))
    assert headings(document)[1:3] == ["The deal: DWP reinvestment agreement", "The whole system"]
    assert "Partnership deal in detail" in headings(document)
    found = captioned(document)
    partners = next(t for c, t in found.items() if c.startswith("Who puts in and who gets back"))
    assert [r[0] for r in rows(partners)[1:]] == ["Local authority", "DWP", "NHS", "All partners"]
    before = out.read_bytes()
    assert main(["partnership", str(DEAL), "-o", str(out)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err and out.read_bytes() == before


def test_partnership_word_with_a_solver_and_risk(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"distributions": {
        "outcomes[0].success": {"dist": "uniform", "low": 0.2, "high": 0.4}}}))
    out = tmp_path / "deal.docx"
    assert main(["partnership", str(DEAL), "--solve", "fair-shares", "--spec", str(spec), "--draws", "50",
                 "--seed", "1", "-f", "docx", "-o", str(out)]) == 0
    document = docx.Document(str(out))
    assert any(p.text.startswith("Question: What are fair shares of the costs") for p in document.paragraphs)
    assert not any(p.text.startswith("Question (") for p in document.paragraphs)
    assert any(c.startswith("Risk under the deal") and "50 Monte Carlo draws (seed 1" in c
               for c in captioned(document))


def test_partnership_word_notes_a_solved_term_held_at_its_value(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"distributions": {
        "outcomes[0].success": {"dist": "uniform", "low": 0.2, "high": 0.4},
        "partnership.gain_share[0].share": {"dist": "uniform", "low": 0.3, "high": 0.6}}}))
    out = tmp_path / "deal.docx"
    assert main(["partnership", str(DEAL), "--solve", "gain-share", "--from", "dwp", "--to", "local_authority",
                 "--spec", str(spec), "--draws", "20", "--seed", "1", "-o", str(out)]) == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    held = [t for t in texts if t.startswith("Held at the solved value: ")]
    assert len(held) == 1 and "62.40%" in held[0] and "partnership.gain_share[0].share" in held[0]
