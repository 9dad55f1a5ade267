"""The unit cost datasets: the shipped ones, users' files, and loading them (cached).

:func:`default` is the GMCA Unit Cost Database v1.4 shipped with cba (converted
from the official workbook, see ``unit_costs/README.md``); :func:`supplementary`
is cba's separate set of newer figures from other public sources (:data:`DATASETS`
names both; their files are read by :mod:`cba.unit_costs._shipped`).
:func:`load` loads any of these by name, a tidy CSV file (a user's own unit
costs, :func:`~cba.unit_costs._database.from_csv`) or a workbook by path;
:func:`combined` merges the supplementary data and local files on top, cached by
file time. Each returns a :class:`~cba.unit_costs._database.UnitCostDatabase`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from cba.core._arguments import path_argument
from cba.core._errors import CBAError
from cba.unit_costs._database import UnitCostDatabase, from_csv
from cba.unit_costs._shipped import DATASETS, DEFAULT_DATABASE, read_shipped


def load(name: str) -> UnitCostDatabase:
    """A shipped dataset by name (:data:`DATASETS`), a tidy CSV file or a workbook by path."""
    if isinstance(name, str) and name in DATASETS:
        return _load_shipped(name)
    p = path_argument(name, "unit cost database")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return UnitCostDatabase.from_workbook(p)
    if not p.exists():
        raise CBAError(f"unknown unit cost database {name!r}: use {', '.join(DATASETS)} or the path of a CSV file")
    return from_csv(p)


@cache
def _load_shipped(name: str) -> UnitCostDatabase:
    spec = DATASETS[name]
    costs, notes = read_shipped(name)
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
    from cba.core._arguments import flag, kind_of, path_argument, text_argument

    text_argument(database, "combined: database")
    use_supplementary = flag(use_supplementary, "combined: use_supplementary")
    for name, items in (("local", local), ("agency_ids", agency_ids)):
        if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
            raise CBAError(f"combined: {name}: expected a list, got {kind_of(items)}")
    local = [path_argument(p, "combined: local") for p in local]
    agency_ids = [text_argument(a, "combined: agency_ids") for a in agency_ids]
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
            raise CBAError(f"unknown unit cost database {database!r}: use {', '.join(DATASETS)} "
                           "or the path of a CSV file")
        db_key, db_stamp = str(dbp.resolve()), dbp.stat().st_mtime_ns
    return _combined(db_key, db_stamp, use_supplementary, tuple(stamped), frozenset(agency_ids))


__all__ = ["combined", "default", "load", "supplementary"]
