"""Reader for the official GMCA Unit Cost Database workbooks (``.xlsx``).

Every theme sheet (Crime, Education & Skills, ...) holds one coded row per unit
cost under one or two header rows. The reader finds its columns from the header
text, not from fixed positions, because the layout moved between versions: v1.2
had no economic or social columns and put the unit after the agencies; v1.4 added
the economic and social value columns and moved the agencies next to the fiscal
value; v3.0 keeps the v1.4 leading columns. The header may sit in any of the first
:data:`~cba.unit_costs._layout.HEADER_ROWS` rows (title rows above it are skipped). A value column is one
headed "Estimated cost/saving" (or, in fiscal-only layouts, "Cost/saving",
"Unit cost", "Cost (£)", "Value (£)"), with a "Year" or "Price year" column beside it.

A sheet is read as a theme sheet when one of its first rows has a "Cost code"
header and its columns include a description and a value with its year. Sheets
that are not theme sheets are skipped with a data note, not an error: index,
contents, summary, workings, lookup, guidance and log sheets (by name), sheets of
a database merged by local area (a "Local authority" or "Area" column beside the
code), and any other sheet that lacks a theme sheet's columns. A sheet named as
one of the v1.4 themes (:data:`~cba.unit_costs._layout.THEME_SHEETS`) that lacks a needed column is an
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
:func:`~cba.unit_costs._lookups.read_lookups_deflator` (in :mod:`cba.unit_costs._lookups`).

This module reads the rows; the reader's other parts live beside it:
:mod:`cba.unit_costs._layout` (the workbook's version, which sheets are theme sheets,
their header columns), :mod:`cba.unit_costs._lookups` (the Lookups sheet's GDP deflator
table), :mod:`cba.unit_costs._transfer_flags` (transfer flags and public value) and
:mod:`cba.unit_costs._health_flags` (health values, discounted at the health rate).

References
----------
.. [1] New Economy / GMCA Research, "Unit Cost Database v1.4", March 2015,
   Creative Commons Attribution 4.0. Sheets Guidance and Lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cba.core._arguments import path_argument
from cba.core._errors import CBAError
from cba.method._deflators import Deflator, financial_year
from cba.unit_costs._agencies import canonical_agency, is_known
from cba.unit_costs._cells import read_amount
from cba.unit_costs._codes import clean_text, code_key, code_level, normalise_code
from cba.unit_costs._health_flags import HEALTH_VALUES, apply_health_flags
from cba.unit_costs._layout import VALUE_KINDS, _load, _theme_layout, _version, is_theme_sheet_name
from cba.unit_costs._lookups import _deflator_from_rows, read_lookups_table
from cba.unit_costs._record_types import DataNote, UnitCost, UnitCostValue
from cba.unit_costs._tidy_csv import format_number
from cba.unit_costs._transfer_flags import apply_transfers
from cba.unit_costs._transfers import FURTHER_TRANSFERS

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


# ---------------------------------------------------------------- rows
def _number(value) -> float | str | None:
    """A cell's number, None for blank, or the reason it is not a finite number in an English
    spreadsheet's form (:func:`cba.unit_costs._cells.read_amount`: no ``nan``, ``1e400``, ``9,80``)."""
    return read_amount(value)


def read_workbook(path: str | Path, *, further_transfers: dict[str, str] | None = None) -> WorkbookData:
    """Read every coded row of every theme sheet of a GMCA Unit Cost Database workbook.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file.
    further_transfers : dict of str to str, optional
        Codes whose fiscal value is a transfer payment, with the reason, beyond
        the workbook's cell comments. Default: cba's list for the workbook's
        version (:data:`~cba.unit_costs._transfers.FURTHER_TRANSFERS`), none for
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
    path = path_argument(path, "read_workbook: path")
    p = path_argument(path, "workbook")
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
                    notes.append(DataNote(code, "blank_code",
                                          f"sheet {fws.title!r}, row {r}: read as {code}: {fix[2]}"))
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
                                                             "the X.n / X.n.m scheme, so it has no place in the "
                                                             "hierarchy"))
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
                        notes.append(DataNote(code, "no_cached_value", f"the {kind} value is a formula ({formula}) "
                                                                       "with no saved result; open and save the "
                                                                       "workbook in a spreadsheet program"))
                    continue
                if isinstance(number, str):
                    notes.append(DataNote(code, "not_a_number", f"the {kind} value {number}; it was left out"))
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
                    if isinstance(u, str):
                        notes.append(DataNote(code, "not_a_number", f"the updated {kind} value {u}; it was "
                                                                    "left out"))
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
    costs, health_notes = apply_health_flags(costs, HEALTH_VALUES.get(version, {}), version)
    notes.extend(health_notes)
    return WorkbookData(costs=costs, notes=notes, deflator=deflator, version=version, title=title,
                        current_year=current_year, path=str(p), deflator_table=table, deflator_vintage=vintage)
