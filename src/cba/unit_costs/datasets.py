"""The unit cost datasets: the shipped ones, users' files, and loading them (cached).

:func:`default` is the GMCA Unit Cost Database v1.4 shipped with cba (converted
from the official workbook, see ``unit_costs/README.md``); :func:`supplementary`
is cba's separate set of newer figures from other public sources (:data:`DATASETS`
names both). :func:`from_csv` reads a user's own unit costs in the tidy CSV format
and :func:`load` any of these by name or path; :func:`combined` merges the
supplementary data and local files on top, cached by file time. Each returns a
:class:`~cba.unit_costs.database.UnitCostDatabase`.

These names are also importable from :mod:`cba.unit_costs.database`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..deflators import data_dir
from ..errors import CBAError
from ..escaping import csv_uncell
from .records import DataNote, read_csv_text

if TYPE_CHECKING:  # the database module re-exports this one, so it imports the class when needed
    from .database import UnitCostDatabase

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


# ---------------------------------------------------------------- loading
def read_notes_csv(path: Path) -> list[DataNote]:
    """Data notes written next to a shipped dataset (``code,kind,message``)."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [DataNote(*(csv_uncell(r[k]) for k in ("code", "kind", "message"))) for r in csv.DictReader(fh)]


def notes_csv_text(notes: Iterable[DataNote]) -> str:
    """Data notes as CSV text (``code,kind,message``)."""
    from ..escaping import csv_text

    return csv_text(([n.code, n.kind, n.message] for n in notes), ["code", "kind", "message"])


def from_csv(path: str | Path, *, agency_ids=None, name: str | None = None) -> UnitCostDatabase:
    """A database from a tidy CSV file (a user's own, or one written by ``cba unit-costs import``).

    Errors name the file, row and column (see :func:`~cba.unit_costs.records.read_csv_text`).
    """
    import hashlib

    from ..files import decode_text, read_bytes
    from .database import UnitCostDatabase
    from .records import read_csv_text

    p = Path(path)
    raw = read_bytes(p, "CSV file")
    # provenance names the file and its contents, never where it sits on this computer
    named = f"{p.name} (SHA-256 {hashlib.sha256(raw).hexdigest()[:12]})"
    costs = read_csv_text(decode_text(raw, str(p)), str(p), database=named, agency_ids=agency_ids)
    titles = list(dict.fromkeys(c.database for c in costs if c.database))
    title = titles[0] if len(titles) == 1 else named
    m = re.search(r"v(\d+(?:\.\d+)+)", title)
    return UnitCostDatabase(costs, name=name or str(p), title=title, version=m.group(1) if m else "")


def load(name: str) -> UnitCostDatabase:
    """A shipped dataset by name (:data:`DATASETS`), a tidy CSV file or a workbook by path."""
    if name in DATASETS:
        return _load_shipped(name)
    p = Path(name)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from .database import UnitCostDatabase

        return UnitCostDatabase.from_workbook(p)
    if not p.exists():
        raise CBAError(f"unknown unit cost database {name!r}: use {', '.join(DATASETS)} or the path of a CSV file")
    return from_csv(p)


@lru_cache(maxsize=None)
def _load_shipped(name: str) -> UnitCostDatabase:
    from .database import UnitCostDatabase

    spec = DATASETS[name]
    folder = data_dir()
    path = folder / spec["file"]
    if not path.exists():
        raise CBAError(f"the shipped unit cost data {path} is missing; reinstall cba")
    costs = read_csv_text(path.read_text(encoding="utf-8"), str(path), database=spec["title"])
    notes = read_notes_csv(folder / spec["notes"]) if spec["notes"] else []
    return UnitCostDatabase(costs, name=name, title=spec["title"], version=spec["version"],
                            deflator=spec["deflator"] or None, notes=notes, licence=spec["licence"],
                            attribution=spec["attribution"])


def default() -> UnitCostDatabase:
    """The GMCA Unit Cost Database v1.4 shipped with cba (CC BY 4.0; see :data:`ATTRIBUTION`)."""
    return _load_shipped("gmca_v1_4")


def supplementary() -> UnitCostDatabase:
    """cba's supplementary unit costs: newer figures from other public sources.

    Separate from the GMCA data; rows quoted at second hand carry a ``caveat``.
    """
    return _load_shipped("supplementary")


@lru_cache(maxsize=1)
def supplementary_codes() -> frozenset[str]:
    try:
        return frozenset(c.code for c in supplementary())
    except CBAError:
        return frozenset()


@lru_cache(maxsize=64)
def _combined(database: str, database_stamp: int, use_supplementary: bool, local: tuple[tuple[str, int], ...],
              agency_ids: frozenset[str]) -> UnitCostDatabase:
    db = load(database)
    if use_supplementary:
        db = db.merge(supplementary())
    for path, _ in local:
        db = db.merge(from_csv(path, agency_ids=agency_ids))
    return db


def combined(database: str = DEFAULT_DATABASE, *, use_supplementary: bool = False,
             local: Iterable[str | Path] = (), agency_ids: Iterable[str] = ()) -> UnitCostDatabase:
    """A database with the supplementary data and local files merged on top (cached by file time).

    Parameters
    ----------
    database : str
        A shipped dataset name or the path of a tidy CSV.
    use_supplementary : bool
        Add cba's supplementary dataset.
    local : iterable of path
        Users' tidy CSV files, merged in order (later files win).
    agency_ids : iterable of str
        Agency ids the local files may use besides the canonical ones.
    """
    stamped = []
    for p in local:
        path = Path(p)
        if not path.exists():
            raise CBAError(f"{path}: no such file")
        stamped.append((str(path.resolve()), path.stat().st_mtime_ns))
    db_key, db_stamp = database, 0
    if database not in DATASETS:
        dbp = Path(database)
        if not dbp.exists():
            raise CBAError(f"unknown unit cost database {database!r}: use {', '.join(DATASETS)} or the path of a CSV file")
        db_key, db_stamp = str(dbp.resolve()), dbp.stat().st_mtime_ns
    return _combined(db_key, db_stamp, use_supplementary, tuple(stamped), frozenset(agency_ids))


