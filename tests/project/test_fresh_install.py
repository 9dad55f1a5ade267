"""A plain install in a fresh virtual environment draws charts and writes the report,
and the README's documentation command works there as written.

One fresh virtual environment (no system site packages) gets ``pip install`` of a
copy of the project, as ``pip install cba-appraisal`` would install it: no extras.
In it, ``cba report`` writes the report with its charts and ``result.plot(...)``
draws a figure. Then the README's docs command (``python -m pip install -e
".[docs]" && mkdocs build --strict``) runs as written in the copy. Packages come from
pip's configured index, as in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv

import pytest

from ..conftest import REPO

COPIED = ("src", "unit_costs", "examples", "docs", "mkdocs.yml", "README.md", "pyproject.toml")


def docs_command() -> str:
    """The README's command that builds the documentation."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Documentation", 1)[1]
    found = re.search(r"`([^`]*mkdocs build[^`]*)`", section)
    assert found, "the README's Documentation section shows no mkdocs command"
    return found.group(1)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    root = tmp_path_factory.mktemp("fresh")
    project = root / "project"
    project.mkdir()
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "site"))
        else:
            shutil.copy2(source, project / name)
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", VIRTUAL_ENV=str(env_dir))
    run = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(project)], cwd=root,
                         env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return project, bin_dir, env


def test_a_plain_install_writes_the_report_with_charts(fresh):
    project, bin_dir, env = fresh
    out = project / "report.html"
    run = subprocess.run([str(bin_dir / "cba"), "report", "examples/worked_example.yaml", "-o", str(out)],
                         cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 5 and "Worked example" in html


def test_a_plain_install_plots(fresh):
    project, bin_dir, env = fresh
    code = ("import cba\nfig = cba.appraise('examples/worked_example.yaml').plot('agencies')\n"
            "fig.savefig('agencies.png')\nimport matplotlib\nprint(matplotlib.__version__)")
    run = subprocess.run([str(bin_dir / "python"), "-c", code], cwd=project, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert (project / "agencies.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_readme_docs_command_runs_as_written(fresh):
    project, _, env = fresh
    command = docs_command()
    assert command == 'python -m pip install -e ".[docs]" && mkdocs build --strict'
    run = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=project, env=env, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert (project / "site" / "index.html").exists() and (project / "site" / "charts" / "index.html").exists()
