"""Every `cba` command in the README and docs/ runs as written.

The convention (docs/cli.md, "Commands in the documentation run as tests"):

- commands are found in fenced ``console`` blocks (lines starting ``$ ``) and in
  ``bash``, ``sh`` and ``shell`` blocks (every line that is not a comment);
- a line ending in ``\\`` continues on the next line;
- only commands that start with ``cba`` or ``python -m cba`` are run (installs and
  other tools are not);
- the commands of one file run in order, in one fresh scratch folder holding copies
  of ``examples/``, ``unit_costs/`` and ``tests/data/indigo/`` (the INDIGO project
  files the docs read), so ``cba init x`` then ``cba appraise
  x.yaml`` works and ``-o`` files never land in the repository;
- each must exit 0, unless its line ends with a comment ``# exit N``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import REPO

FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
SHELL_LANGUAGES = {"bash", "sh", "shell", "zsh"}
EXPECT = re.compile(r"\s+#\s*exits?\s+(\d+)\s*$")
COPIED = ("examples", "unit_costs", "tests/data/indigo")


@dataclass(frozen=True)
class Command:
    file: str
    line: int
    text: str
    status: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}"


def _is_cba(text: str) -> bool:
    words = text.split()
    return bool(words) and (words[0] == "cba" or words[:3] == ["python", "-m", "cba"]
                            or words[:3] == ["python3", "-m", "cba"])


def extract_commands(markdown: str, file: str = "<doc>") -> list[Command]:
    """The runnable ``cba`` commands of a Markdown text, with their line numbers."""
    out: list[Command] = []
    fence = language = None
    pending, start = "", 0
    for number, raw in enumerate(markdown.splitlines(), start=1):
        m = FENCE.match(raw)
        if fence is None:
            if m:
                fence, language = m.group(1), m.group(2).lower()
            continue
        if m and raw.strip().startswith(fence) and not m.group(2):
            fence = language = None
            pending = ""
            continue
        if language not in SHELL_LANGUAGES | {"console"}:
            continue
        line = raw.strip()
        if pending:
            text = pending + " " + line
        elif language == "console":
            if not line.startswith("$ "):
                continue
            text, start = line[2:].strip(), number
        else:
            if not line or line.startswith("#"):
                continue
            text, start = line, number
        if text.endswith("\\"):
            pending = text[:-1].rstrip()
            continue
        pending = ""
        status = 0
        if (e := EXPECT.search(text)) is not None:
            status, text = int(e.group(1)), text[: e.start()]
        if _is_cba(text) and not re.search(r"\bpip\s+install\b", text):
            out.append(Command(file, start, text.strip(), status))
    return out


def documented_files() -> list[Path]:
    files = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    return [f for f in files if f.exists()]


def _shell(command: str) -> str:
    """The command with its ``cba`` run by this interpreter (same environment)."""
    words = shlex.split(command, comments=True, posix=True)
    skip = 1 if words[0] == "cba" else 3
    head = command.split(None, skip)
    rest = head[skip] if len(head) > skip else ""
    return f"{shlex.quote(sys.executable)} -m cba {rest}"


def run_in(folder: Path, command: Command) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-o", "pipefail", "-c", _shell(command.text)], cwd=folder, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)


def scratch(tmp_path: Path) -> Path:
    for name in COPIED:
        if (REPO / name).exists():
            shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


FILES = [f for f in documented_files() if extract_commands(f.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("doc", FILES, ids=[str(f.relative_to(REPO)) for f in FILES])
def test_documented_commands_run(doc, tmp_path):
    folder = scratch(tmp_path)
    rel = str(doc.relative_to(REPO))
    failures = []
    for command in extract_commands(doc.read_text(encoding="utf-8"), rel):
        run = run_in(folder, command)
        if run.returncode != command.status:
            failures.append(f"{command}\n  exited {run.returncode} (expected {command.status})\n"
                            f"  {run.stderr.strip()[-2000:]}")
    assert not failures, "documented commands that do not run as written:\n" + "\n".join(failures)


def test_the_cli_guide_and_readme_have_commands():
    cli = extract_commands((REPO / "docs" / "cli.md").read_text(encoding="utf-8"), "docs/cli.md")
    verbs = {c.text.split()[1] for c in cli}
    assert {"appraise", "compare", "init", "schema"} <= verbs
    assert extract_commands((REPO / "README.md").read_text(encoding="utf-8"), "README.md")


SAMPLE = """\
Intro.

```console
$ cba appraise examples/worked_example.yaml
Worked example
$ cba appraise missing.yaml   # exit 2
$ ls -l
```

```bash
# a comment
python -m pip install cba-appraisal
cba compare examples/options/single_intake.yaml \\
    examples/options/two_intakes.yaml
python -m cba --version
```

```python
cba.appraise("x")
```

```yaml
cba: not a command
```
"""


def test_extraction_follows_the_convention():
    found = extract_commands(SAMPLE, "sample.md")
    assert [(c.line, c.text, c.status) for c in found] == [
        (4, "cba appraise examples/worked_example.yaml", 0),
        (6, "cba appraise missing.yaml", 2),
        (13, "cba compare examples/options/single_intake.yaml examples/options/two_intakes.yaml", 0),
        (15, "python -m cba --version", 0),
    ]
    assert str(found[0]) == "sample.md:4: cba appraise examples/worked_example.yaml"


def test_a_failing_command_is_reported_with_file_and_line(tmp_path):
    command = extract_commands("```console\n$ cba appraise nowhere.yaml\n```\n", "docs/x.md")[0]
    run = run_in(scratch(tmp_path), command)
    assert run.returncode == 2 and "nowhere.yaml: no such file" in run.stderr
    assert str(command).startswith("docs/x.md:2: ")
