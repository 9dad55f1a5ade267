"""MkDocs hooks: parts of the user guide generated from the library at build time.

A page asks for generated content with an HTML comment:

``<!-- cba:model-reference -->``
    the model file reference, from the models' JSON schema
    (:func:`cba.outputs._model_reference.model_reference_markdown`);
``<!-- cba:chart NAME -->``
    chart ``NAME`` of :data:`cba.outputs.charts.CHARTS` for the worked example, as inline SVG;
``<!-- cba:examples -->``
    the README of every worked example under ``examples/``.
``<!-- cba:partnership-examples -->``
    the README of every partnership example under ``examples/partnership/``.

Generated content cannot drift from the code: it is the code's own output.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
MARKER = re.compile(r"<!--\s*cba:([a-z-]+)(?:\s+([^>]*?))?\s*-->")


def _model_reference() -> str:
    from cba.outputs._model_reference import model_reference_markdown

    return model_reference_markdown(level=2)


def _chart(name: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import cba
    from cba.outputs import charts

    if name not in charts.CHARTS:
        raise PluginError(f"unknown chart {name!r} in a cba:chart marker")
    fig = charts.CHARTS[name](cba.appraise(EXAMPLES / "worked_example.yaml"))
    svg = charts.to_svg(fig)
    svg = svg[svg.index("<svg"):]                    # drop the XML prologue inside HTML
    svg = "\n".join(line for line in svg.splitlines() if line.strip())
    return f'<div class="cba-chart">\n{svg}\n</div>'


def _demote(markdown: str) -> str:
    return re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", markdown, flags=re.M)


def _examples(folder: Path = EXAMPLES) -> str:
    parts = []
    for readme in sorted(folder.glob("*/README.md")):
        if not (readme.parent / "model.yaml").exists():
            continue
        parts.append(_demote(readme.read_text(encoding="utf-8")).strip())
        parts.append(f"Model file: `{readme.parent.relative_to(ROOT).as_posix()}/model.yaml`.")
    if not parts:
        raise PluginError(f"no worked examples found under {folder.relative_to(ROOT).as_posix()}/")
    return "\n\n".join(parts)


def on_page_markdown(markdown: str, page, config, files) -> str:
    def replace(match: re.Match) -> str:
        kind, arg = match.group(1), (match.group(2) or "").strip()
        if kind == "model-reference":
            return _model_reference()
        if kind == "chart":
            return _chart(arg)
        if kind == "examples":
            return _examples()
        if kind == "partnership-examples":
            return _examples(EXAMPLES / "partnership")
        raise PluginError(f"{page.file.src_path}: unknown marker cba:{kind}")

    return MARKER.sub(replace, markdown)
