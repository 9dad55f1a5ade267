"""The printed report: every example's report printed to A4 PDF by headless Chromium.

Each report (every model under ``examples/``, with the partnership examples and the
programme, whose reports have the partnership section) is printed with Chromium's
print to PDF, as a reader would with "Save as PDF", and read back with pypdf:

- every page is A4 (portrait, or landscape for the wide tables);
- every page carries the intervention's name and "Page i of n";
- the title and every column heading of every table of the report are in the
  text: a table cut at the edge of the paper loses the headings of its last
  columns (Chromium leaves out text beyond the page), so this fails.

Text is compared with all white space removed (and ligatures spelt out), so
headings that wrap over lines still match. Without Chromium the tests are skipped locally and fail under CI.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader

import cba
import cba.outputs.tables._tables as tables
from cba.outputs._format import column_label, visible_columns
from cba.outputs.report._report import TABLE_SECTIONS, render_report

from ..conftest import EXAMPLES
from ..support.browser import chromium, print_to_pdf

MODELS = sorted(p for p in [*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*/model.yaml"),
                            *EXAMPLES.glob("options/*.yaml"), *EXAMPLES.glob("partnership/*/model.yaml"),
                            EXAMPLES / "partnership" / "programme.yaml"]
                if "uncertainty" not in p.name)
A4 = sorted((595.0, 842.0))        # points, either way round


def squash(text: str) -> str:
    """Text without white space, ligatures (fi, fl) spelt out."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def report_tables(appraisal) -> list:
    """Every table the report shows, in order."""
    frames = [tables.summary_table(appraisal), tables.agency_table(appraisal)]
    if getattr(appraisal.intervention, "partnership", None) is not None:
        from cba.outputs.tables._deal import deal_tables

        frames += list(deal_tables(appraisal.partnership()).values())
    frames += [tables.table(appraisal, n) for _, names in TABLE_SECTIONS for n in names]
    return frames


def test_every_example_is_printed():
    names = {p.relative_to(EXAMPLES).as_posix() for p in MODELS}
    assert {"worked_example.yaml", "gm_working_well/model.yaml", "partnership/back_to_work/model.yaml",
            "partnership/programme.yaml"} <= names
    assert len(names) >= 13


@pytest.mark.parametrize("model", MODELS, ids=[p.relative_to(EXAMPLES).as_posix() for p in MODELS])
def test_printed_report_keeps_every_table_whole(model, tmp_path):
    exe = chromium()
    appraisal = cba.appraise(model)
    page = tmp_path / "report.html"
    page.write_text(render_report(appraisal), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    print_to_pdf(exe, page, pdf, tmp_path / "profile")

    reader = PdfReader(pdf)
    texts = [squash(p.extract_text()) for p in reader.pages]
    n = len(texts)
    name = squash(appraisal.intervention.name)
    for i, (p, text) in enumerate(zip(reader.pages, texts), start=1):
        size = sorted((float(p.mediabox.width), float(p.mediabox.height)))
        assert size == pytest.approx(A4, abs=1.5), f"page {i} is not A4: {size}"
        assert name in text, f"page {i} does not name the intervention"
        assert f"Page{i}of{n}" in text, f"page {i} has no page number"
    document = "".join(texts)
    if getattr(appraisal.intervention, "partnership", None) is not None:
        assert "Partnershipdeal" in document
    missing = []
    for frame in report_tables(appraisal):
        title = str(frame.attrs.get("title") or "")
        # a table cut into parts carries "(part i of n)" after its title
        if title and squash(title) not in document and squash(title) + "(part1of" not in document:
            missing.append(f"title {title!r}")
        for column in visible_columns(frame):
            heading = column_label(frame, column)
            if squash(heading) not in document:
                missing.append(f"{title}: column {heading!r}")
    assert not missing, "not in the printed report:\n" + "\n".join(missing)
