"""Building the shipped ``unit_costs/`` files from their sources.

``scripts/build_unit_costs.py`` calls :func:`build_files` and writes (or, with
``--check``, compares) the result. The output is deterministic: the same
workbook and candidate list give the same bytes, which a test checks.

Files (relative to ``unit_costs/``):

* ``gmca_unit_cost_database_v1.4.csv``: every coded row of the workbook, one line
  per code and value type (:data:`~cba.unit_costs._tidy_csv.CSV_COLUMNS`);
* ``gmca_unit_cost_database_v1.4_notes.csv``: what the reader noticed;
* ``deflators/gmca_v1_4_lookups.csv``: the workbook's Lookups GDP table;
* ``supplementary_unit_costs.csv`` and ``supplementary_excluded.csv``: cba's
  supplementary data and the candidates left out, with the reason.
"""

from __future__ import annotations

from pathlib import Path

from cba.core._errors import CBAError
from cba.unit_costs._candidates import convert_candidates
from cba.unit_costs._lookups import deflator_csv_text
from cba.unit_costs._shipped import notes_csv_text
from cba.unit_costs._tidy_csv import to_csv_text
from cba.unit_costs._workbook import read_workbook


def workbook_files(workbook: str | Path) -> dict[str, str]:
    """The files made from a GMCA workbook: ``{relative path: text}``."""
    data = read_workbook(workbook)
    version = data.version or "unknown"
    files = {
        f"gmca_unit_cost_database_v{version}.csv": to_csv_text(data.costs),
        f"gmca_unit_cost_database_v{version}_notes.csv": notes_csv_text(data.notes),
    }
    if data.deflator_table:
        files[f"deflators/gmca_v{version.replace('.', '_')}_lookups.csv"] = deflator_csv_text(data.deflator_table)
    return files


def supplementary_files(candidates: str | Path) -> dict[str, str]:
    """The supplementary files made from the candidate list: ``{relative path: text}``."""
    p = Path(candidates)
    if not p.exists():
        raise CBAError(f"{p}: no such file")
    costs, excluded = convert_candidates(p.read_text(encoding="utf-8"), p.name)
    lines = ["id,reason"] + [f"{k},{v}" if "," not in v else f'{k},"{v}"' for k, v in excluded.items()]
    return {
        "supplementary_unit_costs.csv": to_csv_text(costs),
        "supplementary_excluded.csv": "\n".join(lines) + "\n",
    }


def build_files(workbook: str | Path | None = None, candidates: str | Path | None = None) -> dict[str, str]:
    """All files to write under ``unit_costs/`` from the sources given."""
    files: dict[str, str] = {}
    if workbook is not None:
        files.update(workbook_files(workbook))
    if candidates is not None:
        files.update(supplementary_files(candidates))
    return files


def write_files(files: dict[str, str], out_dir: str | Path, *, check: bool = False) -> list[str]:
    """Write files under ``out_dir`` (or, with ``check``, list those that differ)."""
    out = Path(out_dir)
    differ = []
    for rel, text in files.items():
        path = out / rel
        data = text.encode("utf-8")
        if check:
            if not path.exists() or path.read_bytes() != data:
                differ.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return differ
