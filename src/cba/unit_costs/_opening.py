"""Opening a workbook safely: one bounded read, a zip-bomb check, cached values streamed.

An ``.xlsx`` file is a zip archive of XML. :func:`open_workbook` reads the file once
through :func:`cba.core._files.read_bytes` (a regular file within the ``workbook_bytes``
limit), checks the sizes its parts declare once uncompressed (:func:`check_archive`)
before openpyxl uncompresses anything, then loads the formulas in full (comments and
merged cells need it) and streams the cached values once in read-only mode.
"""

from __future__ import annotations

import io
from pathlib import Path

import cba.core._limits as limits
from cba.core._errors import CBAError


def check_archive(data: bytes, path: Path) -> None:
    """Refuse a workbook whose contents would be too large once uncompressed.

    An ``.xlsx`` file is a zip archive; a small one can expand to gigabytes (a
    "zip bomb"). The sizes the archive declares are checked before anything is
    uncompressed (Python's zip reader never returns more than the declared size).
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CBAError(f"{path}: not a readable .xlsx workbook (not a zip archive: {exc})") from None
    most = limits.get("workbook_uncompressed_bytes")
    total = sum(e.file_size for e in entries)
    if total > most or len(entries) > 100_000:
        raise CBAError(f"{path}: the workbook holds {total:,} bytes in {len(entries):,} parts once uncompressed, "
                       f"too much to read; {limits.exceeded('workbook_uncompressed_bytes')}")


class _CachedCell:
    __slots__ = ("column", "row", "value")

    def __init__(self, row: int, column: int, value):
        self.row, self.column, self.value = row, column, value


class _CachedSheet:
    """The cached values of one sheet, read once in read-only (streaming) mode."""

    def __init__(self, ws):
        self.title = ws.title
        ws.reset_dimensions()  # trust the cells, not the dimensions the file declares
        self._rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        self.max_row = len(self._rows)

    def cell(self, row: int, column: int) -> _CachedCell:
        values = self._rows[row - 1] if 0 < row <= len(self._rows) else ()
        return _CachedCell(row, column, values[column - 1] if 0 < column <= len(values) else None)

    def iter_rows(self):
        for r, values in enumerate(self._rows, start=1):
            yield tuple(_CachedCell(r, c, v) for c, v in enumerate(values, start=1))


class _CachedValues:
    """A workbook's cached values (what a spreadsheet last computed), sheet by sheet."""

    def __init__(self, wb):
        self.worksheets = [_CachedSheet(ws) for ws in wb.worksheets]
        self._by_title = {ws.title: ws for ws in self.worksheets}

    def __getitem__(self, title: str) -> _CachedSheet:
        return self._by_title[title]


def open_workbook(path: Path):
    """``(formulas, cached)``: the workbook as openpyxl reads it in full, and its cached values."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a core dependency
        raise CBAError("reading workbooks needs openpyxl (pip install openpyxl)") from None
    from cba.core._files import read_bytes

    data = read_bytes(path, "workbook", limit="workbook_bytes")
    check_archive(data, path)
    try:
        # the formulas, cell comments and merged cells need the full reader; the values
        # are streamed once in read-only mode
        formulas = openpyxl.load_workbook(io.BytesIO(data))
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        try:
            cached = _CachedValues(values)
        finally:
            values.close()
    except CBAError:
        raise
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise CBAError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    return formulas, cached
