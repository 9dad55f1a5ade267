"""Print a workbook or a Word document to PDF with LibreOffice, as a reader would."""

from __future__ import annotations

import subprocess
from pathlib import Path


def print_to_pdf(exe: str, path: Path, folder: Path) -> Path:
    """Convert ``path`` to a PDF in ``folder`` with the LibreOffice at ``exe`` (its own profile
    there, so that runs side by side do not share one) and return the PDF's path."""
    run = subprocess.run([exe, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                         capture_output=True, text=True, timeout=300)
    pdf = folder / (path.stem + ".pdf")
    assert run.returncode == 0 and pdf.exists(), run.stderr[-2000:]
    return pdf
