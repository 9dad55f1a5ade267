"""The quick-start notebook runs from top to bottom without an error.

Executed with nbclient in a fresh kernel (the ``python3`` kernel of this
environment, from ipykernel), in a temporary working folder so that it cannot
depend on files lying around. Any cell that raises fails the test.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "examples" / "quickstart.ipynb"


def test_quickstart_notebook_runs_without_errors(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()                              # raises CellExecutionError on any error
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]

    def text_of(cell) -> str:
        parts = []
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            parts.append(o.get("text", "") + data.get("text/plain", "") + data.get("text/html", ""))
        return "".join(parts)

    code = [c for c in nb.cells if c.cell_type == "code"]
    # the agency chart was drawn as an image, and the workbook was written and read back
    chart_cell = next(c for c in code if "charts.agency_chart(result)" in c.source)
    assert any("image/png" in o.get("data", {}) for o in chart_cell.outputs)
    assert "Agencies" in text_of(code[-1]) and "Ledger" in text_of(code[-1])
    assert "appraisal.xlsx" in text_of(code[-2]) and "report.html" in text_of(code[-2])
    # the partnership section: the deal's display, its terms in words, each partner without and with it, a chart
    deal_cell = next(c for c in code if c.source.startswith("deal = result.partnership("))
    assert "The terms of the deal" in text_of(deal_cell) and "with the deal" in text_of(deal_cell)
    terms_cell = next(c for c in code if "term_sentences(deal)" in c.source)
    assert "DWP passes 50% of its cashable savings to Local authority" in text_of(terms_cell)
    positions_cell = next(c for c in code if c.source.startswith('deal.tables["deal_positions"]'))
    assert "without the deal" in text_of(positions_cell)
    plot_cell = next(c for c in code if c.source.startswith('deal.plot("positions")'))
    assert any("image/png" in o.get("data", {}) for o in plot_cell.outputs)


def test_notebook_is_stored_without_outputs():
    """Outputs are produced in CI, not committed: the file stays small and reviewable."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
