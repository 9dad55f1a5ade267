"""Where things are in a GMCA Unit Cost Database workbook: its version, its theme
sheets and their columns.

The reader (:func:`~cba.unit_costs._workbook.read_workbook`) finds the columns of a
theme sheet from its header text, not from fixed positions, because the layout
moved between versions (see :mod:`cba.unit_costs._workbook` for what is known of
each). :func:`find_layout` looks for a "Cost code" header in the first
:data:`HEADER_ROWS` rows, reads one or two header rows (group headers such as
"Fiscal value" over "Estimated cost/saving", "Year", "Updated cost/saving") and
returns the column of each role as a :class:`Layout`. :func:`_theme_layout`
decides which sheets are theme sheets: sheets named as an index, summary,
workings, lookup, guidance or log sheet, sheets of a database merged by local
area and sheets without a theme sheet's columns are skipped with a data note; a
sheet named as one of the v1.4 themes (:data:`THEME_SHEETS`) that lacks a needed
column is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cba.core._errors import CBAError
from cba.unit_costs._record_types import DataNote

#: Value types of a workbook row, in column order.
VALUE_KINDS = ("fiscal", "economic", "social")


# ---------------------------------------------------------------- helpers
def _norm(value) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value).replace("\xa0", " ")).strip().lower()


def _load(path: Path):
    """The workbook with its formulas and its cached values (see :func:`.opening.open_workbook`)."""
    from cba.unit_costs._opening import open_workbook

    return open_workbook(path)


_VERSION_TEXT = re.compile(r"\bv\.?\s*(\d+(?:\.\d+)+)\b", re.I)
_VERSION_FILE = re.compile(r"v(\d+(?:[._-]\d+)+)", re.I)


def _version(wb, path: Path) -> str:
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=1, max_row=6, max_col=10):
            for cell in row:
                if isinstance(cell.value, str) and "database" in cell.value.lower():
                    m = _VERSION_TEXT.search(cell.value)
                    if m:
                        return m.group(1)
    m = _VERSION_FILE.search(path.stem)
    return re.sub(r"[_-]", ".", m.group(1)) if m else ""


# ---------------------------------------------------------------- layout
@dataclass
class Layout:
    """Column numbers (1-based) of one theme sheet, found from its header text."""

    header_row: int
    data_row: int
    columns: dict[str, int]
    values: dict[str, dict[str, int]]  # value type -> {"value"|"year"|"updated": column}


_SUB_HEADER_WORDS = ("level 1", "level 2", "year", "estimated", "updated")
#: Rows searched for the header row.
HEADER_ROWS = 20
#: Theme sheets of v1.4 (a missing column on one of these is an error, not a skip).
THEME_SHEETS = ("crime", "education & skills", "employment & economy", "fire", "health", "housing",
                "social services")
#: Words in the name of a sheet that is never a theme sheet.
NON_THEME_WORDS = ("index", "contents", "summary", "working", "lookup", "guidance", "introduction", "log",
                   "revision", "read me", "readme", "notes", "cover", "instructions", "merged", "by area",
                   "by local")
#: Headers of a local-area column (a database merged by local area).
AREA_HEADERS = ("local authority", "local area", "area", "district", "local authority area", "la", "borough")
#: Fiscal-only value headers of early layouts (no "Estimated").
_PLAIN_VALUE = re.compile(r"^(cost ?/ ?saving|unit cost|cost|value|fiscal (cost|value|saving))( ?\(£\)| £)?$|^£")


def _is_code_header(text: str) -> bool:
    return bool(text) and len(text) <= 30 and re.search(r"\bcode\b", text) is not None


def is_theme_sheet_name(title: str) -> bool:
    """Whether a sheet is named as one of the v1.4 themes.

    >>> is_theme_sheet_name(" Education & Skills"), is_theme_sheet_name("Summary")
    (True, False)
    """
    return _norm(title) in THEME_SHEETS


def is_non_theme_sheet_name(title: str) -> bool:
    """Whether a sheet's name says it is not a theme sheet (index, summary, workings, ...).

    >>> is_non_theme_sheet_name("Workings (crime)"), is_non_theme_sheet_name("Housing")
    (True, False)
    """
    name = _norm(title)
    return any(re.search(rf"\b{re.escape(w)}", name) for w in NON_THEME_WORDS)


def code_header_row(ws) -> int | None:
    """The first of the first :data:`HEADER_ROWS` rows with a "Cost code" header."""
    for r in range(1, min(ws.max_row, HEADER_ROWS) + 1):
        if any(_is_code_header(_norm(ws.cell(r, c).value)) for c in range(1, ws.max_column + 1)):
            return r
    return None


def find_layout(ws) -> Layout | None:
    """Find the columns of a theme sheet from its header text (None: not a theme sheet).

    A sheet is a theme sheet when its header rows name a cost code and at least one
    "Estimated cost/saving" value column.

    Raises
    ------
    CBAError
        When a theme sheet lacks the description column or a value's "Year" column.
    """
    max_col = ws.max_column
    header_row = code_header_row(ws)
    if header_row is None:
        return None
    group = [_norm(ws.cell(header_row, c).value) for c in range(1, max_col + 1)]
    sub = [_norm(ws.cell(header_row + 1, c).value) for c in range(1, max_col + 1)]
    two_rows = any(any(w in s for w in _SUB_HEADER_WORDS) for s in sub)
    if not two_rows:
        sub = [""] * max_col
    # a group header spans its merged cells; unmerged, it spans the empty cells to
    # its right that have a sub-header
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= header_row <= rng.max_row:
            top = _norm(ws.cell(rng.min_row, rng.min_col).value)
            for c in range(rng.min_col, min(rng.max_col, max_col) + 1):
                group[c - 1] = top
    for c in range(1, max_col):
        if not group[c] and sub[c] and group[c - 1] and sub[c - 1]:
            group[c] = group[c - 1]

    columns: dict[str, int] = {}
    values: dict[str, dict[str, int]] = {}

    def put(role: str, col: int) -> None:
        columns.setdefault(role, col)

    for i, (g, s) in enumerate(zip(group, sub)):
        col = i + 1
        label = g or s
        if not label:
            continue
        kind = next((k for k in VALUE_KINDS if k in g), None)
        part = None
        for text in (s, g):
            if "estimated" in text:
                part = "value"
            elif "updated" in text:
                part = "updated"
            elif (re.search(r"\byear\b", text) and "per year" not in text) or text == "price base":
                part = "year"
            elif _PLAIN_VALUE.search(text):
                part = "value"
            if part:
                break
        if _is_code_header(label) and "code" not in columns:
            put("code", col)
        elif "outcome category" in g or g in ("theme", "category"):
            put("theme", col)
        elif "outcome detail" in g:
            put("outcome_detail", col)
        elif ("detail" in g and ("cost" in g or "saving" in g)) or "description" in g:
            put("description", col)
        elif re.match(r"^units?\b(?! ?cost)", g):
            put("unit", col)
        elif "agency" in g:
            put("agency_level_2" if ("level 2" in s or "agency_level_1" in columns) else "agency_level_1", col)
        elif g in AREA_HEADERS:
            put("local_area", col)
        elif part and (kind or not any(k in g for k in ("source", "comment", "rag", "revision"))):
            values.setdefault(kind or "fiscal", {}).setdefault(part, col)
        elif "source" in g:
            put("source", col)
        elif re.match(r"^rag\b", g):
            put("rag", col)
        elif g.startswith("comment"):
            put("comment", col)
        elif "revision" in g:
            put("revision_note" if ("change" in s or not s) else "revision", col)

    where = f"sheet {ws.title!r}"
    usable = {k: v for k, v in values.items() if "value" in v}
    if not usable:
        return None  # a code column but no values: an index or log sheet, not a theme sheet
    if "description" not in columns:
        raise CBAError(f"{where}: no 'Cost / saving detail' (description) column found in the header rows")
    for k, v in usable.items():
        if "year" not in v:
            raise CBAError(f"{where}: the {k} value has no 'Year' column in the header rows")
    return Layout(header_row=header_row, data_row=header_row + (2 if two_rows else 1),
                  columns=columns, values=usable)



# ---------------------------------------------------------------- theme sheets
def _skip(ws, notes: list[DataNote], why: str) -> None:
    notes.append(DataNote("", "skipped_sheet", f"sheet {ws.title!r}: {why}; it was not read as a theme sheet"))


def _theme_layout(ws, path: Path, notes: list[DataNote]) -> Layout | None:
    """The layout of a theme sheet, or None (with a data note when the sheet has a code column)."""
    theme = is_theme_sheet_name(ws.title)
    has_codes = code_header_row(ws) is not None
    if not theme and is_non_theme_sheet_name(ws.title):
        if has_codes:
            _skip(ws, notes, "its name marks an index, summary, workings, lookup, guidance or log sheet")
        return None
    try:
        layout = find_layout(ws)
    except CBAError as exc:
        if theme:
            raise CBAError(f"{path}, {exc}") from None
        _skip(ws, notes, str(exc).split(": ", 1)[-1])
        return None
    if layout is None:
        if has_codes:
            _skip(ws, notes, "it has a cost code column but no value column with a price year")
        return None
    if "local_area" in layout.columns and not theme:
        _skip(ws, notes, "a database merged by local area (a local authority or area column beside the codes)")
        return None
    return layout
