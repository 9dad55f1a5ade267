"""Headless Chromium for the tests of the HTML report (Debian's ``chromium``; ``.ci/run``
installs it). Without it the browser tests are skipped locally and fail under CI
(``CI`` set)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def required_tool(names: tuple[str, ...], package: str, what: str) -> str:
    """The path of a system program a test needs: under CI its absence fails the test
    (``.ci/run`` installs ``package``), elsewhere the test is skipped."""
    for name in names:
        exe = shutil.which(name)
        if exe:
            return exe
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: .ci/run installs Debian's {package} package")
    pytest.skip(f"{what} is not installed (apt-get install {package}); the CI run requires it")


def chromium() -> str:
    return required_tool(("chromium", "chromium-browser"), "chromium", "chromium")


def browse(exe: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True, text=True, timeout=180)


def print_to_pdf(exe: str, page: Path, pdf: Path, profile: Path) -> None:
    """Print ``page`` to ``pdf`` as a browser's "Save as PDF" does, without the browser's own
    header and footer (the report brings its own)."""
    run = browse(exe, page, profile, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert run.returncode == 0 and pdf.exists(), run.stderr[-2000:]
