"""The user guide: it builds with ``mkdocs build --strict``, and its generated parts
(model file reference, charts, examples) are complete."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cba.model._field_notes import FIELD_NOTES
from cba.outputs._model_reference import field_note, model_reference_markdown, schema, schema_fields

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    return out


def test_the_guide_builds_strictly_with_every_page_in_the_nav(site):
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text().replace("!!python", "#"))
    pages = [next(iter(item.values())) for item in config["nav"]]
    for page in pages:
        assert (REPO / "docs" / page).exists(), page
        built = site / ("index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html")
        assert built.exists(), built


def test_model_reference_page_lists_every_field(site):
    html = (site / "model-reference" / "index.html").read_text()
    for model, field in schema_fields():
        assert f"<code>{field}</code>" in html, (model, field)
    for model in {m for m, _ in schema_fields()}:
        assert f'id="{model.lower()}"' in html, model


def test_charts_and_examples_are_generated(site):
    charts = (site / "charts" / "index.html").read_text()
    assert charts.count("<svg") == 4 and "Worked example: who pays and who saves" in charts
    examples = (site / "examples" / "index.html").read_text()
    for readme in (REPO / "examples").glob("*/README.md"):
        title = readme.read_text().splitlines()[0].lstrip("# ").strip()
        assert title.split(":")[0] in examples, title
    api = (site / "api" / "index.html").read_text()
    for name in ("appraise", "Appraisal", "agency_chart", "render_report", "Intervention"):
        assert name in api, name


# ---------------------------------------------------------------- the generator itself
def test_every_field_of_every_model_is_in_the_reference_with_a_meaning():
    text = model_reference_markdown()
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M))
    s = schema()
    defs = {**s["$defs"], "Intervention": s}
    assert set(sections) == set(defs)
    for model, field in schema_fields():
        row = re.search(rf"^\| `{field}` \| (.*)$", sections[model], flags=re.M)
        assert row, (model, field)
        assert field_note(model, field, defs[model]["properties"][field]), f"{model}.{field} has no meaning"
        assert not row.group(1).rstrip(" |").endswith("|  "), (model, field)


def test_field_notes_name_only_real_fields():
    real = set(schema_fields())
    stale = [(m, f) for m, fields in FIELD_NOTES.items() for f in fields if (m, f) not in real]
    assert not stale, f"notes for fields that no longer exist: {stale}"


def test_a_new_field_shows_up_in_the_reference():
    s = schema()
    s["$defs"]["Outcome"]["properties"]["new_rate"] = {"type": "number", "description": "A new rate."}
    text = model_reference_markdown(s)
    assert "| `new_rate` | number | none | A new rate. |" in text


# ---------------------------------------------------------------- docstrings render cleanly
def test_docstrings_parse_as_numpy_style():
    import griffe
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    handler = Collect()
    logging.getLogger("griffe").addHandler(handler)
    try:
        package = griffe.load("cba", search_paths=[str(REPO / "src")], docstring_parser="numpy")
        problems: dict[str, set[str]] = {}

        def walk(obj):
            if obj.is_alias:
                return
            if obj.docstring:
                before = len(messages)
                obj.docstring.parse("numpy")
                if len(messages) > before:
                    problems.setdefault(str(obj.relative_filepath), set()).add(obj.name)
            for member in obj.members.values():
                walk(member)

        walk(package)
    finally:
        logging.getLogger("griffe").removeHandler(handler)
    # numpy-style docstrings griffe cannot parse render badly in the API reference
    assert not problems, f"docstrings griffe cannot parse (put doctests under an Examples heading): {problems}"


# ---------------------------------------------------------------- the API reference (issue 12, item 9)
ROLE = re.compile(r":(func|class|mod|meth|attr|data|obj|exc):")


def test_no_raw_sphinx_roles_or_rst_in_the_built_site(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not ROLE.search(text), (page, ROLE.search(text).group(0))
        assert ".. [" not in text and "<p>=====" not in text, page
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    # roles became links to the objects' entries or code: the reference documents the public
    # API only, so a role naming a public object links to it (by any path, internal ones too)
    # and one naming an internal object is code
    assert api.count('class="autorefs autorefs-internal"') > 200
    assert re.search(r'<a class="autorefs autorefs-internal" [^>]*href="#cba\.engine\.evaluate"><code>', api)


def test_every_link_of_the_site_leads_to_a_page_and_an_anchor_that_exist(site):
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if a.get("id"):
                self.ids.add(a["id"])
            if tag == "a" and a.get("href"):
                self.hrefs.append(a["href"])

    parsed = {}
    for page in site.rglob("*.html"):  # 404.html links from the site's root, wherever it is served
        p = Links()
        p.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = p
    broken = []
    for page, p in parsed.items():
        if page.name == "404.html":
            continue
        for href in p.hrefs:
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue                     # another site
            path, _, anchor = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists() or (anchor and target.suffix == ".html" and anchor not in parsed[target].ids):
                broken.append((page.relative_to(site.resolve()), href))
    assert not broken, broken[:20]
