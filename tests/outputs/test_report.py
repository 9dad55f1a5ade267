"""The HTML report: self-contained, escaped, and rendered by a real browser.

The browser tests open the report in headless Chromium (Debian's ``chromium``
package; ``.ci/run`` installs it; see ``tests/support/browser.py``), read back the rendered
DOM, and compare the headline figures in the page with the engine's metrics
formatted by ``fmt()``. A screenshot is kept in the test's temporary folder.
Without Chromium they are skipped locally and fail under CI (``CI`` set). The
printed report is tested in ``test_report_print.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
import yaml

import cba
from cba.ledger import pv_fiscal_excluding_transfers
from cba.outputs._format import fmt
from cba.outputs._labels import SUMMARY_ROWS
from cba.outputs.report._report import HEADLINES, inline_svg, render_report

from ..support.browser import browse, chromium

REPO = Path(__file__).resolve().parents[2]
WORKED = REPO / "examples" / "worked_example.yaml"
HOSTILE = {
    "name": "<script>alert('x')</script> & \"Sons\"",
    "description": "A <b>bold</b> claim & more",
    "price_base": "2024/25", "horizon": 2,
    "agencies": [{"id": "yot", "name": "Youth <Offending> Team"}],
    "costs": [{"name": "Staff <i>", "agency": "yot", "amounts": [1000], "source": "<img src=x onerror=alert(1)>"}],
    "outcomes": [{"name": "Fewer </td> call-outs", "cohort": 10, "success": 0.5,
                  "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}],
}


class DOM(HTMLParser):
    """Just enough of the DOM for the checks: text, headline cards, tags, ids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: dict[str, int] = {}
        self.ids: list[str] = []
        self.headlines: dict[str, str] = {}
        self._metric: str | None = None
        self._in_value = False
        self.svg_text: list[str] = []
        self._svg_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in a:
            self.ids.append(a["id"])
        if "data-metric" in a:
            self._metric = a["data-metric"]
        if tag == "div" and a.get("class") == "value" and self._metric:
            self._in_value = True
        if tag == "svg":
            self._svg_depth += 1

    def handle_endtag(self, tag):
        if tag == "div" and self._in_value:
            self._in_value = False
            self._metric = None
        if tag == "svg":
            self._svg_depth -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._in_value and self._metric:
            self.headlines[self._metric] = self.headlines.get(self._metric, "") + data.strip()
        if self._svg_depth:
            self.svg_text.append(data)

    @property
    def page_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(html: str) -> DOM:
    dom = DOM()
    dom.feed(html)
    return dom


def expected_headlines(result) -> dict[str, str]:
    return {m: fmt(result.metrics[m], kind) for m, _, kind in HEADLINES}


# ---------------------------------------------------------------- the document itself
@pytest.fixture(scope="module")
def worked():
    return cba.appraise(WORKED)


@pytest.fixture(scope="module")
def worked_html(worked):
    return render_report(worked)


def test_headline_figures_are_the_engines(worked, worked_html):
    dom = parse(worked_html)
    assert dom.headlines == expected_headlines(worked)
    # hand-checked values of the method spec's worked example
    assert dom.headlines["pv_costs"] == "£49,662" and dom.headlines["financial_roi"] == "1.47"
    assert dom.headlines["payback_period"] == "3"


def test_every_summary_figure_and_agency_row_is_in_the_page(worked, worked_html):
    text = parse(worked_html).page_text
    metrics = {**worked.metrics, "pv_fiscal_excluding_transfers": pv_fiscal_excluding_transfers(worked)}
    for _, metric, label, kind in SUMMARY_ROWS:
        assert f"{label} {fmt(metrics[metric], kind)}" in text, metric
    for row in worked.by_agency().itertuples():
        assert f"{row.agency_name} {fmt(row.pv_costs)} {fmt(row.pv_fiscal)}" in text


def test_self_contained_no_scripts_no_external_resources(worked_html):
    dom = parse(worked_html)
    assert "script" not in dom.tags and "link" not in dom.tags and "img" not in dom.tags
    assert "iframe" not in dom.tags
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", worked_html)
    assert "@import" not in worked_html and "url(http" not in worked_html
    # the only absolute URLs are XML namespace names inside the SVGs, never fetched
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", worked_html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls


def test_charts_are_inline_svg_with_unique_ids(worked_html):
    dom = parse(worked_html)
    assert dom.tags.get("svg") == 5 and dom.tags.get("figure") == 5
    assert len(dom.ids) == len(set(dom.ids)), "ids must be unique across the inlined charts"
    svg_text = " ".join(dom.svg_text)
    assert "Local authority" in svg_text and "£40,000" in svg_text        # text kept as text
    for name in ("agencies", "cumulative", "benefits", "costs", "accounts"):
        assert f"chart-{name}" in dom.ids


def test_print_stylesheet_and_metadata(worked_html):
    assert worked_html.startswith("<!DOCTYPE html>")
    assert "@media print" in worked_html and "break-inside: avoid" in worked_html
    assert '<meta charset="utf-8">' in worked_html
    assert "CC BY 4.0" in worked_html


def test_all_user_text_is_escaped():
    html = render_report(cba.appraise(HOSTILE))
    dom = parse(html)
    assert "script" not in dom.tags and "img" not in dom.tags and "b" not in dom.tags and "i" not in dom.tags
    text = dom.page_text
    for literal in (HOSTILE["name"], HOSTILE["description"], "Youth <Offending> Team", "Staff <i>",
                    "<img src=x onerror=alert(1)>", "Fewer </td> call-outs"):
        assert literal in text, literal


def test_without_charts_there_is_no_svg(worked):
    assert "<svg" not in render_report(worked, charts=False)


def test_inline_svg_prefixes_ids_and_references():
    svg = '<?xml version="1.0"?>\n<svg><defs><path id="a"/></defs><use xlink:href="#a"/><g clip-path="url(#a)"/></svg>'
    out = inline_svg(svg, "k")
    assert out == '<svg><defs><path id="k-a"/></defs><use xlink:href="#k-a"/><g clip-path="url(#k-a)"/></svg>'


# ---------------------------------------------------------------- the command
def cba_cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "cba", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_writes_refuses_to_overwrite_and_forces(tmp_path):
    out = tmp_path / "report.html"
    run = cba_cli("report", str(WORKED), "-o", str(out))
    assert run.returncode == 0, run.stderr
    first = out.read_text()
    assert first.startswith("<!DOCTYPE html>") and first.count("<svg") == 5
    out.write_text("mine")
    run = cba_cli("report", str(WORKED), "-o", str(out))
    assert run.returncode == 2 and "already exists" in run.stderr and "Traceback" not in run.stderr
    assert out.read_text() == "mine"
    assert cba_cli("report", str(WORKED), "-o", str(out), "--force").returncode == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_cli_bad_model_is_one_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**HOSTILE, "outcomes": [{**HOSTILE["outcomes"][0], "success": 2}]}))
    run = cba_cli("report", str(bad), "-o", str(tmp_path / "r.html"))
    assert run.returncode == 2
    assert "outcomes[0].success" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "r.html").exists()


def test_cli_prints_to_stdout_without_output_and_can_leave_charts_out():
    run = cba_cli("report", str(WORKED), "--no-charts")
    assert run.returncode == 0 and run.stdout.startswith("<!DOCTYPE html>") and "<svg" not in run.stdout


# ---------------------------------------------------------------- in a real browser
@pytest.mark.parametrize("model", [WORKED, REPO / "examples" / "gm_working_well" / "model.yaml"],
                         ids=["worked_example", "gm_working_well"])
def test_report_renders_in_chromium(model, tmp_path):
    exe = chromium()
    page = tmp_path / "report.html"
    run = cba_cli("report", str(model), "-o", str(page))
    assert run.returncode == 0, run.stderr
    result = cba.appraise(model)

    dumped = browse(exe, page, tmp_path / "profile", "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = parse(dumped.stdout)
    assert dom.headlines == expected_headlines(result)           # what the reader sees
    assert dom.tags.get("svg") == 5 and dom.tags.get("figure") == 5
    assert result.intervention.name in dom.page_text
    assert all(name in " ".join(dom.svg_text) for name in result.by_agency()["agency_name"].str.split().str[0])

    shot = tmp_path / "report.png"
    taken = browse(exe, page, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1200,2000",
                   "--hide-scrollbars")
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    image = matplotlib.image.imread(shot)
    assert image.shape[:2] == (2000, 1200)
    # something was painted: many pixels are far from white
    ink = (image[..., :3].mean(axis=-1) < 0.6).mean()
    assert ink > 0.01, f"the screenshot looks blank ({ink:.4f} of pixels inked)"


def test_escaped_report_stays_inert_in_chromium(tmp_path):
    exe = chromium()
    page = tmp_path / "hostile.html"
    page.write_text(render_report(cba.appraise(HOSTILE)), encoding="utf-8")
    dumped = browse(exe, page, tmp_path / "profile", "--dump-dom")
    assert dumped.returncode == 0
    dom = parse(dumped.stdout)
    assert "script" not in dom.tags and "img" not in dom.tags
    assert HOSTILE["name"] in dom.page_text
