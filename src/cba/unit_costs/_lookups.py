"""The price base of a GMCA workbook: the GDP deflator table of its Lookups sheet.

The ``Lookups`` sheet holds the GDP table the workbook uplifts with (year, %
change on previous year, cumulative index with 1989/90 = 100, "f" marking
forecasts) and the "current year" its "Updated cost/saving" columns are at.
:func:`read_lookups_table` reads the table, :func:`read_lookups_deflator` turns it
into a :class:`~cba.method._deflators.Deflator` and :func:`deflator_csv_text` writes it as
the CSV cba ships.

References
----------
.. [1] New Economy / GMCA Research, "Unit Cost Database v1.4", March 2015,
   Creative Commons Attribution 4.0. Sheet Lookups.
"""

from __future__ import annotations

from pathlib import Path

from cba.core._errors import CBAError
from cba.method._deflators import Deflator, financial_year
from cba.unit_costs._codes import clean_text
from cba.unit_costs._layout import _load, _norm, _version
from cba.unit_costs._tidy_csv import format_number


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
    assert year_col is not None  # found with the header
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
        cell_pct = ws.cell(r, pct_col).value if pct_col else None
        change = float(cell_pct) if isinstance(cell_pct, (int, float)) else None
        index = ws.cell(r, idx_col).value
        if not isinstance(index, (int, float)):
            if previous is None or change is None:
                raise CBAError(f"sheet 'Lookups', row {r}: no index value for {year} and none can be computed")
            index = (1 + change / 100) * previous
        forecast = _norm(ws.cell(r, year_col - 1).value) == "f" if year_col > 1 else False
        rows.append((year, change, float(index), forecast))
        previous = float(index)
    return rows, current_year, vintage


def read_lookups_deflator(path: str | Path, name: str | None = None) -> Deflator:
    """The GDP deflator series of a workbook's Lookups sheet as a :class:`~cba.method._deflators.Deflator`.

    The series is named ``gmca_v`` + the version (``gmca_v1_4``); cba ships the
    v1.4 table as ``unit_costs/deflators/gmca_v1_4_lookups.csv`` and registers it
    under that name:

    >>> import cba.method._deflators as deflators
    >>> round(float(deflators.get("gmca_v1_4").uplift(500, "2002/03", "2015/16")), 2)   # CR1.0
    673.23
    """
    from cba.core._arguments import path_argument, text_argument

    path = path_argument(path, "read_lookups_deflator: path")
    if name is not None:
        text_argument(name, "read_lookups_deflator: name")
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
