"""The tidy CSV format of unit costs: writing it, and reading it with checks.

The tidy CSV holds one line per code and value type, in the columns of
:data:`CSV_COLUMNS`; the same format serves the shipped data, files written by
``cba unit-costs import`` and a user's own unit costs. :func:`to_csv_text` writes
it (deterministic, safe to open in a spreadsheet, read back exactly);
:func:`read_csv_text` reads it into :class:`~cba.unit_costs._record_types.UnitCost`
records, and every mistake names the file, row and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from cba.core._errors import CBAError
from cba.unit_costs._cells import read_amount
from cba.unit_costs._codes import code_key, code_level, normalise_code
from cba.unit_costs._record_types import VALUE_TYPES, UnitCost, UnitCostValue

#: Columns of the tidy CSV, in order (one line per code and value type).
CSV_COLUMNS = (
    "database", "sheet", "row", "theme", "outcome_detail", "code", "level", "parent",
    "description", "unit", "agency_level_1", "agency_level_2", "agency", "value_type",
    "value", "value_formula", "price_year", "updated_value", "updated_year", "transfer",
    "transfer_basis", "value_note", "source", "source_url", "rag", "caveat", "comment",
    "revision", "revision_note",
)

#: Columns a user's own CSV must have.
REQUIRED_COLUMNS = ("code", "value_type", "value", "price_year")
#: Columns read when present but written only when used (``health``: yes for an
#: economic or social value of health or life, see :mod:`cba.method._discounting`;
#: ``health_basis``: why).
OPTIONAL_COLUMNS = ("health", "health_basis")


def format_number(x: float | None) -> str:
    """Shortest text that reads back as the same float (whole numbers without ``.0``).

    >>> format_number(9800.0), format_number(327.8333333333333), format_number(None)
    ('9800', '327.8333333333333', '')
    """
    if x is None:
        return ""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def to_csv_text(costs: Iterable[UnitCost]) -> str:
    """The tidy CSV text of unit costs (UTF-8, ``\\n`` line ends, deterministic).

    Examples
    --------
    >>> from cba.unit_costs._record_types import UnitCost, UnitCostValue
    >>> cost = UnitCost("CR1.0", "Anti-social behaviour", (UnitCostValue("fiscal", 500, "2002/03", transfer="no"),),
    ...                 agency_level_1="Police", agency="police", level="headline")
    >>> print(to_csv_text([cost]).splitlines()[1])
    ,,,,,CR1.0,headline,,Anti-social behaviour,,Police,,police,fiscal,500,,2002/03,,,no,,,,,,,,,
    """
    from cba.core._arguments import kind_of

    if isinstance(costs, (str, bytes)) or not hasattr(costs, "__iter__"):
        raise CBAError(f"to_csv_text: costs: expected a list of UnitCost, got {kind_of(costs)}")
    costs = list(costs)
    for i, cost in enumerate(costs):
        if not isinstance(cost, UnitCost):
            raise CBAError(f"to_csv_text: costs[{i}]: expected a UnitCost, got {kind_of(cost)}")
    from cba.core._escaping import csv_text

    costs = list(costs)
    columns = CSV_COLUMNS + (OPTIONAL_COLUMNS if any(v.health for c in costs for v in c.values) else ())
    rows = []
    for c in costs:
        common = {
            "database": c.database, "sheet": c.sheet, "row": "" if c.row is None else str(c.row),
            "theme": c.theme, "outcome_detail": c.outcome_detail, "code": c.code, "level": c.level,
            "parent": c.parent or "", "description": c.description, "unit": c.unit,
            "agency_level_1": c.agency_level_1, "agency_level_2": c.agency_level_2,
            "agency": c.agency or "", "source": c.source, "source_url": c.source_url, "rag": c.rag,
            "caveat": c.caveat, "comment": c.comment, "revision": c.revision,
            "revision_note": c.revision_note,
        }
        for v in c.values or (None,):
            row = dict(common)
            if v is not None:
                row.update({
                    "value_type": v.value_type, "value": format_number(v.value),
                    "value_formula": v.formula, "price_year": v.price_year or "",
                    "updated_value": format_number(v.updated_value), "updated_year": v.updated_year or "",
                    "transfer": v.transfer, "transfer_basis": v.transfer_basis, "value_note": v.note,
                    "health": "yes" if v.health else "", "health_basis": v.health_basis,
                })
            rows.append([row.get(col, "") for col in columns])
    return csv_text(rows, columns)  # safe to open in a spreadsheet; read back exactly


_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}


def read_csv_text(text: str, origin: str, *, database: str | None = None,
                  agency_ids: Collection[str] | None = None) -> list[UnitCost]:
    """Read tidy CSV text into unit costs; mistakes name the file, row and column.

    Parameters
    ----------
    text : str
        CSV with a header line; columns from :data:`CSV_COLUMNS`, of which
        :data:`REQUIRED_COLUMNS` must be present.
    origin : str
        File name used in error messages and as the default database title.
    database : str, optional
        Database title for rows whose ``database`` column is empty.
    agency_ids : collection of str, optional
        Agency ids accepted in the ``agency`` column besides the canonical ones
        (any lower-case slug is accepted when not given).

    Raises
    ------
    CBAError
        ``FILE, row N, column 'value': 'abc' is not a number`` and the like.
    """
    from cba.core._escaping import csv_uncell
    from cba.method._deflators import financial_year
    from cba.model._agencies import CANONICAL_AGENCIES, SLUG
    from cba.unit_costs._agencies import canonical_agency, is_known

    text = text[1:] if text.startswith("\ufeff") else text
    # strict: an unterminated quote or stray text after a closing quote is an error, not merged rows
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise CBAError(f"{origin}: the file is empty (expected a header line with "
                       f"{', '.join(REQUIRED_COLUMNS)})") from None
    except csv.Error as exc:
        raise CBAError(f"{origin}, row 1{_quote_problem(text, 1, []) or f': not valid CSV ({exc})'}") from None
    header = [h.strip().lstrip("\ufeff").strip() for h in header]
    for i, h in enumerate(header, start=1):
        if h not in CSV_COLUMNS and h not in OPTIONAL_COLUMNS:
            raise CBAError(f"{origin}, row 1, column {i} {h!r}: unknown column "
                           f"(known: {', '.join(CSV_COLUMNS + OPTIONAL_COLUMNS)})")
        if header.index(h) != i - 1:
            raise CBAError(f"{origin}, row 1, column {i} {h!r}: the column appears twice")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CBAError(f"{origin}, row 1: missing column{'s' if len(missing) > 1 else ''} "
                       f"{', '.join(map(repr, missing))}")

    order: list[str] = []
    fields: dict[str, dict] = {}
    values: dict[str, list[UnitCostValue]] = {}
    first_row: dict[str, int] = {}
    previous_line = reader.line_num
    while True:
        row_no = previous_line + 1  # the line a record starts on
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CBAError(f"{origin}, row {row_no}"
                           f"{_quote_problem(text, row_no, header) or f': not valid CSV ({exc})'}") from None
        previous_line = reader.line_num
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(header):
            raise CBAError(f"{origin}, row {row_no}: {len(raw)} fields but the header has {len(header)} columns")
        if len(raw) < len(header):
            raise CBAError(f"{origin}, row {row_no}, column {len(raw) + 1} {header[len(raw)]!r}: the row ends "
                           f"after {len(raw)} field{'s' if len(raw) != 1 else ''} but the header has "
                           f"{len(header)} columns")
        rec = {h: csv_uncell(raw[i].strip()) for i, h in enumerate(header)}

        def bad(column: str, message: str, row_no: int = row_no):
            return CBAError(f"{origin}, row {row_no}, column {column!r}: {message}")

        code = normalise_code(rec["code"])
        if not code:
            raise bad("code", "a cost code is needed")
        key = code_key(code)
        vtype = rec["value_type"].lower()
        value_text = rec["value"]
        if vtype and vtype not in VALUE_TYPES:
            raise bad("value_type", f"{rec['value_type']!r} is not one of {', '.join(VALUE_TYPES[:3])}")
        if not vtype and value_text:
            raise bad("value_type", f"give the value type of {value_text!r} ({', '.join(VALUE_TYPES[:3])})")

        # code-level fields: the first line of a code gives them
        if key not in fields:
            level, parent = code_level(code)
            agency_text = rec.get("agency", "")
            l1, l2 = rec.get("agency_level_1", ""), rec.get("agency_level_2", "")
            agency: str | None
            if agency_text:
                if (agency_text in CANONICAL_AGENCIES
                        or (SLUG.match(agency_text) and (agency_ids is None or agency_text in agency_ids))):
                    agency = agency_text
                elif is_known(agency_text):
                    agency = canonical_agency(agency_text)
                elif SLUG.match(agency_text):
                    raise bad("agency", f"{agency_text!r} is not a canonical agency id "
                                        f"({', '.join(CANONICAL_AGENCIES)}); declare it under 'agencies' in the model")
                else:
                    raise bad("agency", f"{agency_text!r} is not an agency id ({', '.join(CANONICAL_AGENCIES)}) "
                                        "or a known agency name")
            else:
                agency = canonical_agency(l1, l2)
            rag = rec.get("rag", "").upper()
            if rag not in ("", "R", "A", "G"):
                raise bad("rag", f"{rec['rag']!r} is not a RAG rating (R, A or G)")
            row_field = rec.get("row", "")
            fields[key] = dict(
                code=code, description=rec.get("description", ""), theme=rec.get("theme", ""),
                outcome_detail=rec.get("outcome_detail", ""), unit=rec.get("unit", ""),
                agency_level_1=l1, agency_level_2=l2, agency=agency,
                level=rec.get("level", "") or level, parent=rec.get("parent", "") or parent,
                source=rec.get("source", ""), source_url=rec.get("source_url", ""), rag=rag,
                comment=rec.get("comment", ""), caveat=rec.get("caveat", ""),
                revision=rec.get("revision", ""), revision_note=rec.get("revision_note", ""),
                database=rec.get("database", "") or database or origin,
                sheet=rec.get("sheet", "") or ("" if "row" in header else origin),
                row=int(row_field) if row_field.isdigit() else (None if "row" in header else row_no),
            )
            order.append(key)
            values[key] = []
            first_row[key] = row_no
        if not vtype:
            continue
        if any(v.value_type == vtype for v in values[key]):
            raise bad("value_type", f"code {code} has a second {vtype} value (first on row {first_row[key]})")
        amount = read_amount(value_text, grouped=False)
        if not isinstance(amount, float):
            raise bad("value", amount or "a value is needed")
        year_text = rec["price_year"]
        if not year_text:
            raise bad("price_year", "a price year is needed (e.g. 2019/20)")
        try:
            year = financial_year(year_text)
        except CBAError as exc:
            raise bad("price_year", str(exc)) from None
        updated, updated_year = None, None
        if rec.get("updated_value"):
            u = read_amount(rec["updated_value"], grouped=False)
            if isinstance(u, str):
                raise bad("updated_value", u)
            updated = u
        if rec.get("updated_year"):
            try:
                updated_year = financial_year(rec["updated_year"])
            except CBAError as exc:
                raise bad("updated_year", str(exc)) from None
        transfer_text = rec.get("transfer", "").lower()
        if vtype == "fiscal":
            if transfer_text in _TRUE:
                transfer = "yes"
            elif transfer_text == "part":
                transfer = "part"
            elif transfer_text in _FALSE:
                transfer = "no"
            else:
                raise bad("transfer", f"{rec['transfer']!r} is not yes, no or part")
            if fields[key]["agency"] is None:
                raise bad("agency", f"the fiscal value of {code} needs the agency that bears it")
        else:
            if transfer_text not in ("", "no", "n", "false", "0"):
                raise bad("transfer", f"only fiscal values can be transfers, not {vtype} values")
            transfer = ""
        health_text = rec.get("health", "").lower()
        if health_text not in _TRUE | _FALSE:
            raise bad("health", f"{rec['health']!r} is not yes or no")
        health = health_text in _TRUE
        if health and vtype not in ("economic", "social"):
            raise bad("health", f"only economic and social values can be health values, not {vtype} values "
                                "(a fiscal saving is cash, discounted at the standard rate)")
        health_basis = rec.get("health_basis", "")
        if health_basis and not health:
            raise bad("health_basis", "a reason is given but health is not yes")
        values[key].append(UnitCostValue(
            value_type=vtype, value=amount, price_year=year, formula=rec.get("value_formula", ""),
            updated_value=updated, updated_year=updated_year, transfer=transfer,
            transfer_basis=rec.get("transfer_basis", ""), note=rec.get("value_note", ""), health=health,
            health_basis=health_basis,
        ))

    out = []
    for key in order:
        vals = tuple(sorted(values[key], key=lambda v: VALUE_TYPES.index(v.value_type)))
        out.append(UnitCost(values=vals, **fields[key]))
    return out


def _quote_problem(text: str, row_no: int, header: list[str]) -> str:
    """``", column N 'name': ..."`` for the first quoting mistake of the record starting on line ``row_no``."""
    lines = text.splitlines(keepends=True)
    record = "".join(lines[row_no - 1:])
    field, start, quoted, i = 1, True, False, 0
    while i < len(record):
        ch = record[i]
        if quoted:
            if ch == '"':
                if record[i + 1:i + 2] == '"':
                    i += 1
                elif record[i + 1:i + 2] not in (",", "\n", "\r", ""):
                    problem = "text follows the closing quote of a quoted value"
                    break
                else:
                    quoted = False
        elif start and ch == '"':
            quoted = True
        elif ch == ",":
            field += 1
            start = True
            i += 1
            continue
        elif ch in "\r\n":
            return ""
        start = False
        i += 1
    else:
        if not quoted:
            return ""
        problem = "a quoted value is never closed (a \" is missing)"
    name = f" {header[field - 1]!r}" if field <= len(header) else ""
    return f", column {field}{name}: {problem}"


def read_csv(path: str | Path, **kwargs: Any) -> list[UnitCost]:
    """Read a tidy CSV file (see :func:`read_csv_text`)."""
    from cba.core._arguments import path_argument

    path = path_argument(path, "read_csv: path")
    from cba.core._files import read_text

    return read_csv_text(read_text(path, "CSV file", encoding="utf-8-sig"), str(Path(path)), **kwargs)
