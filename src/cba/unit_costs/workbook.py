"""Reader for the official GMCA Unit Cost Database workbooks (``.xlsx``).

Every theme sheet (Crime, Education & Skills, ...) holds one coded row per unit
cost under one or two header rows. The reader finds its columns from the header
text, not from fixed positions, because the layout moved between versions: v1.2
had no economic or social columns and put the unit after the agencies; v1.4 added
the economic and social value columns and moved the agencies next to the fiscal
value; v3.0 keeps the v1.4 leading columns. The header may sit in any of the first
:data:`HEADER_ROWS` rows (title rows above it are skipped). A value column is one
headed "Estimated cost/saving" (or, in fiscal-only layouts, "Cost/saving",
"Unit cost", "Cost (£)", "Value (£)"), with a "Year" or "Price year" column beside it.

A sheet is read as a theme sheet when one of its first rows has a "Cost code"
header and its columns include a description and a value with its year. Sheets
that are not theme sheets are skipped with a data note, not an error: index,
contents, summary, workings, lookup, guidance and log sheets (by name), sheets of
a database merged by local area (a "Local authority" or "Area" column beside the
code), and any other sheet that lacks a theme sheet's columns. A sheet named as
one of the v1.4 themes (:data:`THEME_SHEETS`) that lacks a needed column is an
error, since it is then the data that is malformed. Theme-named sheets are read
first, so that a code repeated on another sheet never replaces the theme sheet's
row.

What is known of each layout (what cba can confirm, and its tests build):

* v1.4 (March 2015, CC BY 4.0; the workbook cba ships): seven theme sheets, two
  header rows (group headers Fiscal / Economic / Social value over "Estimated
  cost/saving", "Year", "Updated cost/saving"), agencies Level 1 and Level 2
  before the values, a Lookups sheet with the GDP deflator table, and
  Introduction, Guidance and update-log sheets.
* v1.2 (2013/14): a fiscal value only, with the unit after the agencies.
* Earlier New Economy versions (1.0, 1.1, fiscal only): cba could not confirm
  their header text from a public copy; the reader accepts the fiscal-only
  header forms listed above, a single header row, and title rows above it.
* v3.0 (2026, CC BY 4.0): keeps the v1.4 leading columns.

Values are read as the workbook last computed them (openpyxl ``data_only``), with
the formula kept alongside when a value is itself a formula (``=3308/40``). The
"Updated cost/saving" columns give the workbook's own uplift to the Lookups
sheet's "current year"; cba keeps them to check its own uplift against.

The ``Lookups`` sheet's GDP table (year, % change on previous year, cumulative
index with 1989/90 = 100, "f" marking forecasts) is read by
:func:`read_lookups_deflator`.

References
----------
.. [1] New Economy / GMCA Research, "Unit Cost Database v1.4", March 2015,
   Creative Commons Attribution 4.0. Sheets Guidance and Lookups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..deflators import Deflator, financial_year
from ..errors import CBAError
from .agencies import canonical_agency, is_known
from .hierarchy import children_of, fiscal_split
from .records import (
    DataNote,
    UnitCost,
    UnitCostValue,
    clean_text,
    code_key,
    code_level,
    format_number,
    normalise_code,
)
from .transfers import FURTHER_TRANSFERS, parse_transfer_comment

VALUE_KINDS = ("fiscal", "economic", "social")

#: Rows of a workbook version whose cost code cell is blank but which are coded
#: rows: (version, sheet, row) -> (code, start of the description, reason).
CODE_CORRECTIONS: dict[tuple[str, str, int], tuple[str, str, str]] = {
    ("1.4", "Crime", 58): (
        "CR8.0.1",
        "Crime - average fiscal cost per incident of crime, across all types of crime; police costs",
        "its cost code cell is blank; it is the police constituent of CR8.0 (it sits between CR8.0 and "
        "CR8.0.2, its description says so, the v1.4 update log lists 'CR8.0.1 - CR 8.19.5', and with it "
        "the constituents add up to the headline)",
    ),
}


@dataclass
class WorkbookData:
    """What :func:`read_workbook` found.

    Attributes
    ----------
    costs : list of UnitCost
        Every coded row, in sheet and row order.
    notes : list of DataNote
        Everything odd the reader met (blank codes, unknown agency names, values
        without a price year, transfer comments it could not match, ...).
    deflator : Deflator or None
        The Lookups sheet's GDP deflator series.
    version : str
        Database version (``1.4``), from the Introduction sheet or the file name.
    title : str
        ``GMCA Unit Cost Database v1.4``.
    current_year : str or None
        The Lookups sheet's "current year": the price base of the "Updated" columns.
    deflator_table : list of tuple
        ``(year, pct_change, index, forecast)`` rows of the Lookups GDP table.
    """

    costs: list[UnitCost]
    notes: list[DataNote]
    deflator: Deflator | None
    version: str
    title: str
    current_year: str | None
    path: str = ""
    deflator_table: list[tuple[str, float | None, float, bool]] = field(default_factory=list)
    deflator_vintage: str = ""


# ---------------------------------------------------------------- helpers
def _norm(value) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value).replace("\xa0", " ")).strip().lower()


def _load(path: Path):
    """The workbook with its formulas and its cached values (see :func:`.opening.open_workbook`)."""
    from .opening import open_workbook

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


# ---------------------------------------------------------------- deflator
def read_lookups_table(wb) -> tuple[list[tuple[str, float | None, float, bool]], str | None, str]:
    """The GDP table of a workbook's Lookups sheet.

    Returns
    -------
    (rows, current_year, vintage)
        ``rows`` are ``(financial year, % change on previous year, cumulative index,
        forecast)``; the index is the workbook's cached value, or, for a workbook
        saved without cached values, recomputed the workbook's way (each year's
        index is the previous one times ``1 + pct/100``).
    """
    ws = next((s for s in wb.worksheets if s.title.strip().lower() == "lookups"), None)
    if ws is None:
        raise CBAError("the workbook has no 'Lookups' sheet with a GDP deflator table")
    year_col = pct_col = idx_col = header = None
    current_year = None
    vintage = ""
    for row in ws.iter_rows():
        for cell in row:
            text = _norm(cell.value)
            if not text:
                continue
            if "gdp deflators at market prices" in text and not vintage:
                vintage = clean_text(cell.value).lstrip("•").strip()
            if text == "current year" and current_year is None:
                for r in range(cell.row + 1, cell.row + 6):
                    v = ws.cell(r, cell.column).value
                    if v not in (None, ""):
                        current_year = financial_year(str(v).strip())
                        break
            if header is None and text == "year":
                right = {_norm(ws.cell(cell.row, c).value): c for c in range(cell.column + 1, cell.column + 6)}
                pct = next((c for t, c in right.items() if "% change" in t and "decimal" not in t), None)
                idx = next((c for t, c in right.items() if "cumulative" in t or t.startswith("gdp")), None)
                if idx is not None:
                    header, year_col, pct_col, idx_col = cell.row, cell.column, pct, idx
    if header is None:
        raise CBAError("sheet 'Lookups': no GDP table found (a 'Year' header with a 'GDP cumulative' column)")
    rows: list[tuple[str, float | None, float, bool]] = []
    previous = None
    for r in range(header + 1, ws.max_row + 1):
        label = ws.cell(r, year_col).value
        if label in (None, ""):
            break
        try:
            year = financial_year(str(label).strip())
        except CBAError:
            break
        pct = ws.cell(r, pct_col).value if pct_col else None
        pct = float(pct) if isinstance(pct, (int, float)) else None
        index = ws.cell(r, idx_col).value
        if not isinstance(index, (int, float)):
            if previous is None or pct is None:
                raise CBAError(f"sheet 'Lookups', row {r}: no index value for {year} and none can be computed")
            index = (1 + pct / 100) * previous
        forecast = _norm(ws.cell(r, year_col - 1).value) == "f" if year_col > 1 else False
        rows.append((year, pct, float(index), forecast))
        previous = float(index)
    return rows, current_year, vintage


def read_lookups_deflator(path: str | Path, name: str | None = None) -> Deflator:
    """The GDP deflator series of a workbook's Lookups sheet as a :class:`~cba.deflators.Deflator`.

    The series is named ``gmca_v`` + the version (``gmca_v1_4``); cba ships the
    v1.4 table as ``unit_costs/deflators/gmca_v1_4_lookups.csv`` and registers it
    under that name:

    >>> from cba import deflators
    >>> round(float(deflators.get("gmca_v1_4").uplift(500, "2002/03", "2015/16")), 2)   # CR1.0
    673.23
    """
    p = Path(path)
    formulas, cached = _load(p)
    rows, _, vintage = read_lookups_table(cached)
    version = _version(formulas, p)
    return _deflator_from_rows(rows, version, vintage, name)


def _deflator_from_rows(rows, version: str, vintage: str, name: str | None = None) -> Deflator:
    slug = version.replace(".", "_") if version else "unknown"
    return Deflator(
        name=name or f"gmca_v{slug}",
        index={y: i for y, _, i, _ in rows},
        vintage=(f"GMCA Unit Cost Database v{version} Lookups sheet: {vintage}" if vintage
                 else f"GMCA Unit Cost Database v{version} Lookups sheet"),
        base=rows[0][0] if rows else "",
        forecast=frozenset(y for y, _, _, f in rows if f),
        source=f"New Economy / GMCA, Unit Cost Database v{version}, sheet Lookups (GDP Lookup table)",
    )


def deflator_csv_text(rows) -> str:
    """The Lookups GDP table as CSV text (``financial_year,pct_change,index,status``).

    >>> print(deflator_csv_text([("1989/90", 7.79, 100.0, False), ("1990/91", 8.27, 108.27, False)]), end="")
    financial_year,pct_change,index,status
    1989/90,7.79,100,outturn
    1990/91,8.27,108.27,outturn
    """
    lines = ["financial_year,pct_change,index,status"]
    for year, pct, index, forecast in rows:
        lines.append(f"{year},{format_number(pct)},{format_number(index)},{'forecast' if forecast else 'outturn'}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- theme sheets
def _number(value) -> float | None | str:
    """A cell's number, None for blank, or the text when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", "").replace("£", "")
    try:
        return float(text)
    except ValueError:
        return str(value)


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


def read_workbook(path: str | Path, *, further_transfers: dict[str, str] | None = None) -> WorkbookData:
    """Read every coded row of every theme sheet of a GMCA Unit Cost Database workbook.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file.
    further_transfers : dict of str to str, optional
        Codes whose fiscal value is a transfer payment, with the reason, beyond
        the workbook's cell comments. Default: cba's list for the workbook's
        version (:data:`~cba.unit_costs.transfers.FURTHER_TRANSFERS`), none for
        versions without one.

    Returns
    -------
    WorkbookData

    Raises
    ------
    CBAError
        For a file that is not a workbook, or a theme sheet whose header rows lack
        a needed column.
    """
    p = Path(path)
    formulas, cached = _load(p)
    version = _version(formulas, p)
    title = f"GMCA Unit Cost Database v{version}" if version else "GMCA Unit Cost Database"
    notes: list[DataNote] = []
    try:
        table, current_year, vintage = read_lookups_table(cached)
        deflator = _deflator_from_rows(table, version, vintage)
    except CBAError as exc:
        table, current_year, vintage, deflator = [], None, "", None
        notes.append(DataNote("", "no_deflator", f"{exc}: the workbook's own deflator is not available"))

    costs: list[UnitCost] = []
    seen: dict[str, tuple[str, int]] = {}
    # theme-named sheets first: their rows win over a code repeated elsewhere
    sheets = sorted(formulas.worksheets, key=lambda w: not is_theme_sheet_name(w.title))
    for fws in sheets:
        layout = _theme_layout(fws, p, notes)
        if layout is None:
            continue
        vws = cached[fws.title]
        cols = layout.columns

        def text(r: int, role: str, prose: bool = False, cols=cols, fws=fws) -> str:
            c = cols.get(role)
            return clean_text(fws.cell(r, c).value, prose=prose) if c else ""

        for r in range(layout.data_row, fws.max_row + 1):
            code = normalise_code(text(r, "code"))
            description = text(r, "description")
            if not code:
                has_value = any(isinstance(_number(vws.cell(r, v["value"]).value), float)
                                for v in layout.values.values())
                if not (description and has_value):
                    continue
                fix = CODE_CORRECTIONS.get((version, fws.title, r))
                if fix and description.startswith(fix[1]) and code_key(fix[0]) not in seen:
                    code = fix[0]
                    notes.append(DataNote(code, "blank_code", f"sheet {fws.title!r}, row {r}: read as {code}: {fix[2]}"))
                else:
                    notes.append(DataNote("", "blank_code", f"sheet {fws.title!r}, row {r}: a row with a value but no "
                                                            f"cost code was left out ({description[:80]})"))
                    continue
            if code_key(code) in seen:
                s, rr = seen[code_key(code)]
                notes.append(DataNote(code, "duplicate_code", f"sheet {fws.title!r}, row {r}: code already used on "
                                                              f"sheet {s!r}, row {rr}; the later row was left out"))
                continue
            seen[code_key(code)] = (fws.title, r)
            level, parent = code_level(code)
            if not level:
                notes.append(DataNote(code, "unparsed_code", f"sheet {fws.title!r}, row {r}: the code does not follow "
                                                             "the X.n / X.n.m scheme, so it has no place in the hierarchy"))
            l1, l2 = text(r, "agency_level_1"), text(r, "agency_level_2")
            for name in (l1, l2):
                if not is_known(name):
                    notes.append(DataNote(code, "unknown_agency", f"agency name {name!r} is not in cba's agency "
                                                                  "table; it counts as 'other'"))
            agency = canonical_agency(l1, l2)
            vals: list[UnitCostValue] = []
            for kind in VALUE_KINDS:
                spec = layout.values.get(kind)
                if not spec:
                    continue
                fcell = fws.cell(r, spec["value"])
                formula = fcell.value if isinstance(fcell.value, str) and fcell.value.startswith("=") else ""
                number = _number(vws.cell(r, spec["value"]).value if formula else fcell.value)
                year_raw = fws.cell(r, spec["year"]).value
                if number is None:
                    if formula:
                        notes.append(DataNote(code, "no_cached_value", f"the {kind} value is a formula ({formula}) with "
                                                                       "no saved result; open and save the workbook "
                                                                       "in a spreadsheet program"))
                    continue
                if isinstance(number, str):
                    notes.append(DataNote(code, "not_a_number", f"the {kind} value {number!r} is not a number; "
                                                                "it was left out"))
                    continue
                year = None
                if year_raw not in (None, ""):
                    try:
                        year = financial_year(str(year_raw).strip())
                    except CBAError:
                        notes.append(DataNote(code, "bad_year", f"the {kind} price year {year_raw!r} is not a "
                                                                "financial year"))
                else:
                    notes.append(DataNote(code, "no_price_year", f"the {kind} value has no price year"))
                updated = None
                if "updated" in spec:
                    u = _number(vws.cell(r, spec["updated"]).value)
                    updated = u if isinstance(u, float) else None
                if number <= 0:
                    notes.append(DataNote(code, "non_positive", f"the {kind} value is {format_number(number)}; the "
                                                                "workbook leaves its updated value blank"))
                comment = fcell.comment.text if fcell.comment is not None else ""
                vals.append(UnitCostValue(
                    value_type=kind, value=number, price_year=year, formula=formula,
                    updated_value=updated, updated_year=current_year if "updated" in spec else None,
                    transfer="no" if kind == "fiscal" else "", note=clean_text(comment, prose=True),
                ))
            if any(v.value_type == "fiscal" for v in vals) and agency is None:
                notes.append(DataNote(code, "no_agency", "a fiscal value with no agency; it counts as 'other'"))
                agency = "other"
            costs.append(UnitCost(
                code=code, description=description, values=tuple(vals), theme=text(r, "theme"),
                outcome_detail=text(r, "outcome_detail"), unit=text(r, "unit"), agency_level_1=l1,
                agency_level_2=l2, agency=agency, level=level, parent=parent,
                source=text(r, "source", prose=True), rag=text(r, "rag").upper(),
                comment=text(r, "comment", prose=True), revision=text(r, "revision"),
                revision_note=text(r, "revision_note", prose=True), database=title, sheet=fws.title, row=r,
            ))

    if not costs:
        raise CBAError(f"{p}: no theme sheet with a 'Cost code' column was found")
    further = FURTHER_TRANSFERS.get(version, {}) if further_transfers is None else further_transfers
    if further_transfers is None and version not in FURTHER_TRANSFERS:
        notes.append(DataNote("", "transfer_list", f"cba has no transfer list for version {version or '(unknown)'}: "
                                                   "only the workbook's cell comments flag transfer payments; check "
                                                   "benefit and tax entries by hand"))
    costs, transfer_notes = apply_transfers(costs, further, version)
    notes.extend(transfer_notes)
    return WorkbookData(costs=costs, notes=notes, deflator=deflator, version=version, title=title,
                        current_year=current_year, path=str(p), deflator_table=table, deflator_vintage=vintage)


def apply_transfers(costs: list[UnitCost], further: dict[str, str], version: str = "") -> tuple[list[UnitCost], list[DataNote]]:
    """Flag transfer payments from cell comments, the further list and the hierarchy.

    See :mod:`cba.unit_costs.transfers` for the rules. Returns the updated costs
    and data notes (comments naming an amount no constituent has, listed codes
    missing from the data, stated public values that do not match).
    """
    notes: list[DataNote] = []
    by_key = {code_key(c.code): i for i, c in enumerate(costs)}
    costs = list(costs)

    def flag(i: int, state: str, basis: str) -> None:
        c = costs[i]
        f = c.fiscal
        joined = f"{f.transfer_basis}; {basis}" if f.transfer_basis else basis
        costs[i] = c.with_value(replace(f, transfer=state, transfer_basis=joined))

    kids = children_of(costs)
    stated: list[tuple[int, float, str | None]] = []
    for i, c in enumerate(list(costs)):
        f = c.fiscal
        if f is None:
            continue
        is_transfer, amount, public_value, pv_year = parse_transfer_comment(f.note)
        if not is_transfer:
            continue
        if public_value is not None:
            stated.append((i, public_value, pv_year))
        if amount is None or abs(amount - f.value) <= 0.5:
            flag(i, "yes", "the workbook's cell comment on the fiscal value calls it a transfer payment")
            continue
        match = [k for k in kids.get(code_key(c.code), []) if k.fiscal is not None and abs(k.fiscal.value - amount) <= 0.5]
        if match:
            k = by_key[code_key(match[0].code)]
            flag(k, "yes", f"the workbook's cell comment on the fiscal value of {c.code} calls this "
                           f"£{amount:,.2f} a transfer payment".replace(".00 ", " "))
            flag(i, "part", f"the workbook's cell comment on the fiscal value: £{amount:,.2f} of it "
                            f"({match[0].code}) is a transfer payment".replace(".00 ", " "))
        else:
            flag(i, "part", f"the workbook's cell comment on the fiscal value calls £{amount:,.2f} of it "
                            "a transfer payment".replace(".00 ", " "))
            notes.append(DataNote(c.code, "transfer_unmatched", f"the fiscal value's comment names a transfer of "
                                                                f"£{amount:,.2f} but no constituent has that "
                                                                "value"))
    label = f"cba's transfer list for v{version}" if version else "cba's transfer list"
    for code, reason in further.items():
        i = by_key.get(code_key(code))
        if i is None or costs[i].fiscal is None:
            notes.append(DataNote(code, "transfer_list", f"listed as a transfer in {label} but not in the data "
                                                         "with a fiscal value"))
            continue
        flag(i, "yes", f"{label}: {reason}")
    # parents of split constituents
    kids = children_of(costs)
    for i, c in enumerate(list(costs)):
        parts = fiscal_split(c, kids)
        if not parts or c.fiscal.transfer != "no":
            continue
        states = [p.fiscal.transfer for p in parts]
        if all(s == "yes" for s in states):
            flag(i, "yes", "all its constituents are transfer payments")
        elif any(s in ("yes", "part") for s in states):
            which = ", ".join(p.code for p in parts if p.fiscal.transfer in ("yes", "part"))
            flag(i, "part", f"its constituents {which} are transfer payments")
    # the public value the comments state, against the flags
    kids = children_of(costs)
    for i, value, _year in stated:
        c = costs[i]
        got = public_value_of(c, kids)
        if got is not None and abs(got - value) > 0.5 + 1e-9 * value:
            notes.append(DataNote(c.code, "public_value_check", f"the comment states a public value of "
                                                                f"{format_number(value)}, the flags give "
                                                                f"{format_number(got)}"))
    return costs, notes


def public_value_of(cost: UnitCost, children=None) -> float | None:
    """Public value of one unit at the entry's own prices: fiscal excluding transfers + economic + social.

    None when its values are at different price years (uplift them first).

    Examples
    --------
    >>> from cba.unit_costs import default
    >>> db = default()
    >>> public_value_of(db["E&E1.0"], db.children)   # 566 + 14,044 at 2012/13 prices
    14610.0
    """
    years = {v.price_year for v in cost.values if v.value_type in VALUE_KINDS}
    if len(years) > 1:
        return None
    total = 0.0
    f = cost.fiscal
    if f is not None:
        parts = fiscal_split(cost, children) if children is not None else None
        if parts:
            if len({p.fiscal.price_year for p in parts} | years) > 1 or any(p.fiscal.transfer == "part" for p in parts):
                return None
            total += sum(p.fiscal.value for p in parts if p.fiscal.transfer != "yes")
        elif f.transfer == "part":
            return None
        elif f.transfer != "yes":
            total += f.value
    for kind in ("economic", "social"):
        v = cost.value(kind)
        if v is not None:
            total += v.value
    return total
