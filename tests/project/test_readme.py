"""The README's two set-up commands: CI runs the test command, the example runs."""

import re
import subprocess
import sys

from ..conftest import REPO

README = (REPO / "README.md").read_text()


def setup_commands():
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2
    assert "cba appraise examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert setup_commands()[1] in ci


def test_main_command_runs_the_example():
    appraise = setup_commands()[0].split("&&", 1)[1].split()
    assert appraise[:2] == ["cba", "appraise"]
    run = subprocess.run([sys.executable, "-m", "cba", *appraise[1:]], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Who pays and who saves" in run.stdout


def test_the_deal_the_readme_shows_is_what_cba_partnership_prints():
    """Every line of the README's quoted deal (its positions and its terms sentence) is in the output."""
    block = README.split("The back-to-work example opens:", 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]
    lines = [line for line in block.splitlines() if line.strip()]
    assert any(line.startswith("DWP passes 50% of its cashable savings") for line in lines)
    # Markdown: the terminal table wraps the sentence within its column
    run = subprocess.run([sys.executable, "-m", "cba", "partnership", "examples/partnership/back_to_work/model.yaml",
                          "-f", "markdown"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    printed = " ".join(run.stdout.split())
    for line in lines:
        assert " ".join(line.split()) in printed, line
