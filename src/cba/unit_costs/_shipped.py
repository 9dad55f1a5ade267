"""The unit cost datasets shipped with cba: their names, files and notes.

:data:`DATASETS` names the shipped datasets (the GMCA Unit Cost Database v1.4 and
cba's supplementary figures) with their files, titles and licences.
:func:`read_shipped` reads one dataset's records and data notes, and
:func:`supplementary_codes` lists the supplementary codes. Nothing here builds a
:class:`~cba.unit_costs._database.UnitCostDatabase`: that is
:mod:`cba.unit_costs._datasets`, which loads these files into databases.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from cba.core._errors import CBAError
from cba.core._escaping import csv_uncell
from cba.method._deflators import data_dir
from cba.unit_costs._record_types import DataNote, UnitCost
from cba.unit_costs._tidy_csv import read_csv_text

ATTRIBUTION = "Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0"

#: Shipped datasets: name -> file names and description (files in ``data_dir()``).
DATASETS: dict[str, dict[str, str]] = {
    "gmca_v1_4": {
        "file": "gmca_unit_cost_database_v1.4.csv",
        "notes": "gmca_unit_cost_database_v1.4_notes.csv",
        "title": "GMCA Unit Cost Database v1.4",
        "version": "1.4",
        "deflator": "gmca_v1_4",
        "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "attribution": ATTRIBUTION,
    },
    "supplementary": {
        "file": "supplementary_unit_costs.csv",
        "notes": "",
        "title": "cba supplementary unit costs",
        "version": "2026-03",
        "deflator": "",
        "licence": "figures from the public sources named on each row",
        "attribution": "Compiled for cba from the public sources named on each row; see unit_costs/README.md",
    },
}

DEFAULT_DATABASE = "gmca_v1_4"


def read_notes_csv(path: Path) -> list[DataNote]:
    """Data notes written next to a shipped dataset (``code,kind,message``)."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [DataNote(*(csv_uncell(r[k]) for k in ("code", "kind", "message"))) for r in csv.DictReader(fh)]


def notes_csv_text(notes: Iterable[DataNote]) -> str:
    """Data notes as CSV text (``code,kind,message``)."""
    from cba.core._escaping import csv_text

    return csv_text(([n.code, n.kind, n.message] for n in notes), ["code", "kind", "message"])


def read_shipped(name: str) -> tuple[list[UnitCost], list[DataNote]]:
    """The records and data notes of a shipped dataset (not cached).

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS`.

    Returns
    -------
    costs : list of UnitCost
        One per code, in file order.
    notes : list of DataNote
        The notes file's notes (none when the dataset has no notes file).

    Raises
    ------
    CBAError
        When the data file is missing, or a row of it is not valid.
    """
    spec = DATASETS[name]
    folder = data_dir()
    path = folder / spec["file"]
    if not path.exists():
        raise CBAError(f"the shipped unit cost data {path} is missing; reinstall cba")
    costs = read_csv_text(path.read_text(encoding="utf-8"), str(path), database=spec["title"])
    notes = read_notes_csv(folder / spec["notes"]) if spec["notes"] else []
    return costs, notes


@lru_cache(maxsize=1)
def supplementary_codes() -> frozenset[str]:
    """The codes of cba's supplementary dataset (none when it cannot be read)."""
    try:
        # one record per code (the reader groups rows by code), as in the database
        return frozenset(c.code for c in read_shipped("supplementary")[0])
    except CBAError:
        return frozenset()


__all__ = [
    "ATTRIBUTION", "DATASETS", "DEFAULT_DATABASE", "notes_csv_text", "read_notes_csv", "read_shipped",
    "supplementary_codes",
]
