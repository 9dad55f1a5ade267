"""``cba unit-costs``: search, show and import unit cost databases.

* ``cba unit-costs search TEXT``: a table of matching codes (filters: ``--theme``,
  ``--agency``, ``--type``, ``--rag``, ``--level``);
* ``cba unit-costs show CODE``: everything about one code, with its fiscal split
  by agency, transfer flags, public value, source and data notes;
* ``cba unit-costs import WORKBOOK.xlsx -o FILE.csv``: convert an official GMCA
  workbook (any version, e.g. v3.0) to the tidy CSV cba reads;
* ``cba unit-costs notes [CODE]``: the data notes (constituents that do not add
  up to their headline, corrected codes, ...).

``--supplementary`` adds cba's newer figures, ``--local FILE`` a user's own CSV,
``--price-base YEAR`` shows values uplifted (``--deflator`` chooses the series).
"""

from __future__ import annotations

import json
import sys
import textwrap

from cba.cli._io import add_output_arguments, check_outputs, check_suffix, output_format, write_output, write_outputs
from cba.core._errors import CBAError
from cba.method._deflators import DEFAULT_DEFLATOR, financial_year
from cba.method._deflators import get as get_deflator

TYPES = ("fiscal", "economic", "social", "total")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "unit-costs", help="search, show and import unit cost databases (GMCA Unit Cost Database)",
        description="Search, show and import unit costs. The default data is the GMCA Unit Cost Database v1.4 "
                    "(New Economy / GMCA, CC BY 4.0).")
    sub = p.add_subparsers(dest="unit_costs_command", metavar="ACTION")
    sub.required = True

    def data_options(q) -> None:
        q.add_argument("--database", default="gmca_v1_4",
                       help="shipped dataset (gmca_v1_4, supplementary) or a tidy CSV file (default: gmca_v1_4)")
        q.add_argument("--supplementary", action="store_true", help="add cba's supplementary (newer) unit costs")
        q.add_argument("--local", action="append", default=[], metavar="FILE",
                       help="a CSV of your own unit costs (wins on the same code); may be repeated")
        q.add_argument("--price-base", metavar="YEAR", help="also show values at this price base, e.g. 2024/25")
        q.add_argument("--deflator", default=None,
                       help=f"deflator series for --price-base (default {DEFAULT_DEFLATOR})")

    s = sub.add_parser("search", help="find unit costs by words in their description",
                       description="Find unit costs whose code, description, outcome detail, theme, unit or "
                                   "agency contain every word given.")
    s.add_argument("text", nargs="*", help="words to look for (none: list everything that passes the filters)")
    s.add_argument("--theme", action="append", help="theme or sheet (crime, health, ...); may be repeated")
    s.add_argument("--agency", action="append", help="agency id (dwp, nhs, ...) or workbook name; may be repeated")
    s.add_argument("--type", dest="value_type", action="append", choices=TYPES[:3],
                   help="only codes with a value of this type; may be repeated")
    s.add_argument("--rag", action="append", choices=("R", "A", "G"), help="RAG rating; may be repeated")
    s.add_argument("--level", action="append", choices=("headline", "subsidiary", "constituent"),
                   help="only codes at this level; may be repeated")
    s.add_argument("--headline", action="store_true", help="only headline codes (the same as --level headline)")
    s.add_argument("--comments", action="store_true", help="also search comments and sources")
    s.add_argument("--limit", type=int, default=30, help="most results to show (default 30; 0 for all)")
    s.add_argument("--format", "-f", choices=("table", "json", "csv"), default=None,
                   help="output format (default: from the -o file's suffix, else table)")
    data_options(s)
    add_output_arguments(s)
    s.set_defaults(func=run_search)

    w = sub.add_parser("show", help="show one unit cost in full", description="Show everything about one code.")
    w.add_argument("code", help="cost code, e.g. E&E1.0 (quote it in the shell: 'E&E1.0')")
    w.add_argument("--format", "-f", choices=("text", "json"), default=None,
                   help="output format (default: from the -o file's suffix, else text)")
    data_options(w)
    add_output_arguments(w)
    w.set_defaults(func=run_show)

    i = sub.add_parser("import", help="convert an official GMCA workbook (.xlsx) to cba's tidy CSV",
                       description="Read every coded row of a GMCA Unit Cost Database workbook (any version) "
                                   "and write cba's tidy CSV, one line per code and value type.")
    i.add_argument("workbook", help="the workbook (.xlsx)")
    i.add_argument("--notes", metavar="FILE", help="also write the reader's data notes to this CSV")
    i.add_argument("--deflator-csv", metavar="FILE", help="also write the workbook's Lookups GDP table to this CSV")
    add_output_arguments(i)
    i.set_defaults(func=run_import)

    n = sub.add_parser("notes", help="list data notes (e.g. constituents that do not add up)",
                       description="List the data notes: what cba noticed while reading the data.")
    n.add_argument("code", nargs="?", help="only the notes on this code")
    n.add_argument("--kind", action="append", help="only notes of this kind (split_mismatch, ...)")
    n.add_argument("--format", "-f", choices=("table", "json"), default=None,
                   help="output format (default: from the -o file's suffix, else table)")
    data_options(n)
    add_output_arguments(n)
    n.set_defaults(func=run_notes)


# ---------------------------------------------------------------- helpers
_FORMATS = {"search": ("table", "json", "csv"), "show": ("text", "json"), "notes": ("table", "json")}


def _database(args):
    from cba.unit_costs import combined

    args.format = output_format(args.output, args.format, _FORMATS[args.unit_costs_command], inputs=_inputs(args))

    check_outputs([args.output], args.force, _inputs(args))
    return combined(args.database, use_supplementary=args.supplementary, local=args.local)


def _inputs(args) -> list[str]:
    """The files a search, show or notes command reads: its database and local CSVs."""
    from cba.unit_costs._shipped import DATASETS

    return [*args.local, *([] if args.database in DATASETS else [args.database])]


def _money(x: float | None) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}" if abs(x - round(x)) < 0.005 or abs(x) >= 1000 else f"{x:,.2f}"
    return f"{x:,.2f}"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _uplifted(db, cost, v, base, deflator):
    """``v`` at the price base ``base``, or None without one or a price year.

    The uplift is the database's: :func:`cba.unit_costs._prices.uplifted_value`.
    """
    from cba.unit_costs._prices import uplifted_value

    if base is None or v.price_year is None:
        return None
    return uplifted_value(cost, v, base, deflator)


def _value_dict(db, cost, v, base, deflator) -> dict:
    out = {"value_type": v.value_type, "value": v.value, "price_year": v.price_year}
    if v.formula:
        out["formula"] = v.formula
    if v.updated_value is not None:
        out["workbook_updated_value"] = v.updated_value
        out["workbook_updated_year"] = v.updated_year
    if base is not None:
        out["price_base"] = base
        out["value_at_price_base"] = _uplifted(db, cost, v, base, deflator)
    if v.value_type == "fiscal":
        out["transfer"] = v.transfer
        if v.transfer_basis:
            out["transfer_basis"] = v.transfer_basis
    if v.note:
        out["cell_comment"] = v.note
    return out


def _cost_dict(db, cost, base=None, deflator=None, full=False) -> dict:
    out = {"code": cost.code, "database": cost.database, "description": cost.description, "theme": cost.theme,
           "outcome_detail": cost.outcome_detail, "unit": cost.unit, "level": cost.level or None,
           "parent": cost.parent, "agency": cost.agency, "agency_level_1": cost.agency_level_1 or None,
           "agency_level_2": cost.agency_level_2 or None, "rag": cost.rag or None,
           "values": [_value_dict(db, cost, v, base, deflator) for v in cost.values]}
    if cost.caveat:
        out["caveat"] = cost.caveat
    if full:
        out.update({"source": cost.source, "source_url": cost.source_url or None, "comment": cost.comment,
                    "sheet": cost.sheet, "row": cost.row, "revision": cost.revision or None,
                    "revision_note": cost.revision_note or None})
    return out


# ---------------------------------------------------------------- search
def run_search(args) -> int:
    db = _database(args)
    base = financial_year(args.price_base) if args.price_base else None
    level = args.level
    if args.headline:
        if level and set(level) != {"headline"}:
            raise CBAError(f"--headline shows headline codes only: leave out --level {' '.join(level)}")
        level = ["headline"]
    filtered = db.filter(theme=args.theme, agency=args.agency, value_type=args.value_type, rag=args.rag,
                         level=level)
    text = " ".join(args.text)
    found = filtered.search(text, comments=args.comments) if text.strip() else list(filtered)
    total = len(found)
    if args.limit and args.limit > 0:
        found = found[: args.limit]
    if args.format == "json":
        out = json.dumps({"database": db.title, "query": text, "matches": total,
                          "results": [_cost_dict(db, c, base, args.deflator) for c in found]},
                         indent=2, ensure_ascii=False)
    elif args.format == "csv":
        from cba.unit_costs import to_csv_text

        out = to_csv_text(found)
    else:
        out = _search_table(db, found, total, text, base, args.deflator)
    write_output(out, args.output, args.force, _inputs(args))
    return 0


def _search_table(db, found, total, text, base, deflator) -> str:
    """The matches as a table that fits the screen: one line of figures per code, then its
    full description and unit, wrapped under it."""
    from cba.model._agencies import display_name
    from cba.outputs._textgrid import column_widths, draw, layout, text_width, wrap

    width = text_width()
    prices = f"at {base} prices ({get_deflator(deflator or DEFAULT_DEFLATOR).name})" if base else "at their price year"
    head = f"{total} match{'es' if total != 1 else ''} in {db.title}" + (f" for {text!r}" if text else "")
    if not found:
        return head + "\n"
    marks = set()
    rows, details = [], []
    for c in found:
        cells = []
        years = set()
        for kind in ("fiscal", "economic", "social"):
            v = c.value(kind)
            if v is None and kind == "economic" and c.value("total") is not None:
                v = c.value("total")
                marks.add("~")
            if v is None:
                cells.append("-")
                continue
            amount = _uplifted(db, c, v, base, deflator) if base else v.value
            years.add(v.price_year)
            mark = ""
            if v.value_type == "total":
                mark = "~"
            elif v.transfer in ("yes", "part"):
                mark = "*" if v.transfer == "yes" else "+"
                marks.add(mark)
            cells.append(_money(amount) + mark)
        year = base if base else (years.pop() if len(years) == 1 else ("mixed" if years else "-"))
        if c.caveat:
            marks.add("!")
        level = c.level or "-"
        rows.append([c.code + ("!" if c.caveat else ""), level, *cells, year,
                     display_name(c.agency) if c.agency else "-", c.rag or "-"])
        detail = c.description or ""
        if c.parent and level != "headline":
            detail += f" ({level} of {c.parent})"
        if c.unit:
            detail += f". Unit: {c.unit}"
        details.append(detail)
    header = ["Code", "Level", "Fiscal £", "Economic £", "Social £", "Price year", "Agency", "RAG"]
    right = [False, False, True, True, True, False, False, False]
    out = [*wrap(head + f"; values in pounds {prices}", width, "  "), ""]
    widths = column_widths(header, rows, right, width)
    if widths is not None:  # each code's figures, then its full description under them
        indent = " " * (widths[0] + 2)
        table = draw(header, [], right, widths)
        out += table
        for row, detail in zip(rows, details):
            out += draw(header, [row], right, widths)[len(table):]
            out += [indent + d for d in wrap(detail, width - len(indent))]
    else:  # too narrow for the figures on one block: the table, then the descriptions
        out += [*layout(header, rows, right, width), ""]
        for r, d in zip(rows, details):
            out += wrap(f"{r[0]}: {d}", width, "  ")
    if total > len(found):
        out.append(f"... {total - len(found)} more (use --limit 0 to list all)")
    legend = {"*": "* transfer payment (excluded from public value)",
              "+": "+ partly a transfer payment (see `cba unit-costs show CODE`)",
              "~": "~ a total of fiscal, economic and social costs (cannot value an outcome by code)",
              "!": "! secondary quote: see the caveat with `cba unit-costs show CODE`"}
    levels = ("Level: headline (a code ending .0), subsidiary (a related figure under the same heading: .1, .2, "
              "...) or constituent (one part of a headline's fiscal value: .0.1, .0.2, ...)")
    out += ["", *wrap(levels, width, "  ")]
    if marks:
        out += [legend[m] for m in "*+~!" if m in marks]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- show
def run_show(args) -> int:
    from cba.unit_costs import public_value_of

    db = _database(args)
    cost = db.lookup(args.code)
    base = financial_year(args.price_base) if args.price_base else None
    split = db.fiscal_split(cost.code)
    kids = db.constituents(cost.code)
    notes = db.notes_for(cost.code)
    if args.format == "json":
        data = _cost_dict(db, cost, base, args.deflator, full=True)
        data["constituents"] = [k.code for k in kids]
        data["fiscal_split"] = ([_cost_dict(db, k, base, args.deflator) for k in split] if split else None)
        try:
            data["components"] = [c.to_dict() for c in db.components(cost.code)]
        except CBAError as exc:
            data["components"] = None
            data["components_error"] = str(exc)
        data["public_value_at_price_year"] = public_value_of(cost, db.children)
        data["notes"] = [{"kind": n.kind, "message": n.message} for n in notes]
        write_output(json.dumps(data, indent=2, ensure_ascii=False), args.output, args.force, _inputs(args))
        return 0
    write_output(_show_text(db, cost, split, kids, notes, base, args.deflator), args.output, args.force,
                 _inputs(args))
    return 0


def _wrap(label: str, text: str, width: int | None = None) -> list[str]:
    from cba.outputs._textgrid import text_width

    width = text_width() if width is None else width
    pad = " " * 16
    lines = textwrap.wrap(text, width=width - 16) or [""]
    return [f"  {label:<14}{lines[0]}"] + [pad + line for line in lines[1:]]


def _show_text(db, cost, split, kids, notes, base, deflator) -> str:
    from cba.outputs._textgrid import text_width
    from cba.unit_costs import public_value_of

    out = [*textwrap.wrap(f"{cost.code}  {cost.description}", width=text_width(),
                          subsequent_indent=" " * (len(cost.code) + 2)), ""]
    out += _wrap("database", cost.database + (f" ({db.licence})" if cost.database == db.title and db.licence else ""))
    theme = " > ".join(x for x in (cost.theme, cost.outcome_detail) if x)
    if theme:
        out += _wrap("theme", theme)
    level = cost.level or "-"
    if cost.parent:
        level += f" of {cost.parent}"
    if kids:
        level += f" (constituents {', '.join(k.code for k in kids)})"
    out += _wrap("level", level)
    if cost.unit:
        out += _wrap("unit", cost.unit)
    agency = cost.agency or "-"
    if cost.agency_names:
        agency += f"  (source: {cost.agency_names})"
    out += _wrap("agency", agency)
    if cost.rag:
        out += _wrap("RAG", {"R": "R (red)", "A": "A (amber)", "G": "G (green)"}.get(cost.rag, cost.rag))
    if cost.caveat:
        out += _wrap("CAVEAT", cost.caveat)
    out.append("")
    d = get_deflator(deflator or DEFAULT_DEFLATOR) if base else None
    header = f"  {'values':<14}{'type':<10}{'amount':>12}  {'price year':<11}"
    updated = any(v.updated_value is not None for v in cost.values)
    if updated:
        header += f"{'workbook updated':>18}"
    if base:
        assert d is not None  # set above whenever base is
        header += f"{'at ' + base:>14} ({d.name})"
    out.append(header.rstrip())
    for v in cost.values:
        line = f"  {'':<14}{v.value_type:<10}{_money(v.value):>12}  {v.price_year or '-':<11}"
        if updated:
            up = f"{_money(v.updated_value)} ({v.updated_year})" if v.updated_value is not None else "-"
            line += f"{up:>18}"
        if base:
            line += f"{_money(_uplifted(db, cost, v, base, deflator)):>14}"
        flag = {"yes": "  transfer", "part": "  part transfer"}.get(v.transfer, "")
        if len(line + flag) <= text_width():
            out.append((line + flag).rstrip())
        else:  # a narrow screen: the flag under the figures
            out += [line.rstrip(), f"  {'':<14}{flag.strip()}"]
        if v.formula:
            out.append(f"  {'':<14}{'':<10}{'= ' + v.formula.lstrip('='):>12}")
    if split:
        out.append("")
        out.append(f"  {'fiscal split':<14}(constituents add up to the fiscal value)")
        for k in split:
            f = k.fiscal
            line = f"  {'':<14}{k.code:<10}{_money(f.value):>12}  {f.price_year or '-':<11}{k.agency or '-':<18}"
            if f.transfer in ("yes", "part"):
                line += "transfer" if f.transfer == "yes" else "part transfer"
            out.append(line.rstrip())
    elif cost.fiscal is not None and kids:
        out.append("")
        out += _wrap("fiscal split", f"none: the constituents do not add up to the fiscal value, so all of it goes "
                                     f"to {cost.agency or 'no agency'} when it values an outcome")
    bases = [v.transfer_basis for v in ([cost.fiscal] if cost.fiscal else []) if v.transfer_basis]
    bases += [f"{k.code}: {k.fiscal.transfer_basis}" for k in (split or []) if k.fiscal.transfer_basis]
    for b in bases:
        out += _wrap("transfer", b)
    pv = public_value_of(cost, db.children)
    if pv is not None and any(cost.value(k) for k in ("fiscal", "economic", "social")):
        year = next((v.price_year for v in cost.values), "")
        out.append("")
        out += _wrap("public value", f"{_money(pv)} at {year} prices (fiscal excluding transfers + economic + social)")
    for v in cost.values:
        if v.note:
            out += _wrap("cell comment", f"({v.value_type}) {v.note}")
    out.append("")
    if cost.source:
        out += _wrap("source", cost.source)
    if cost.source_url:
        out += _wrap("address", cost.source_url)
    if cost.comment:
        out += _wrap("comment", cost.comment)
    if cost.revision or cost.revision_note:
        out += _wrap("revision", " - ".join(x for x in (cost.revision, cost.revision_note) if x))
    where = f"sheet {cost.sheet!r}, row {cost.row}" if cost.sheet and cost.row else (cost.sheet or "")
    if where:
        out += _wrap("read from", where)
    for n in notes:
        out += _wrap("NOTE", f"[{n.kind}] {n.message}")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- import
def run_import(args) -> int:
    from cba.unit_costs._lookups import deflator_csv_text
    from cba.unit_costs._shipped import notes_csv_text
    from cba.unit_costs._tidy_csv import to_csv_text
    from cba.unit_costs._workbook import read_workbook

    inputs = [args.workbook]
    check_suffix(args.output, ["csv"], inputs=inputs)
    check_suffix(args.notes, ["csv"], "--notes", inputs=inputs)
    check_suffix(args.deflator_csv, ["csv"], "--deflator-csv", inputs=inputs)
    check_outputs([args.output, args.notes, args.deflator_csv], args.force, inputs)
    data = read_workbook(args.workbook)
    n_values = sum(len(c.values) for c in data.costs)
    outputs = [(to_csv_text(data.costs), args.output)]
    if args.notes:
        outputs.append((notes_csv_text(data.notes), args.notes))
    if args.deflator_csv:
        if not data.deflator_table:
            raise CBAError(f"{args.workbook}: no Lookups GDP table to write")
        outputs.append((deflator_csv_text(data.deflator_table), args.deflator_csv))
    write_outputs(outputs, args.force, inputs)  # all or none
    print(f"read {len(data.costs)} codes ({n_values} values) from {data.title}; {len(data.notes)} data note"
          f"{'s' if len(data.notes) != 1 else ''}" + (f"; updated values at {data.current_year} prices"
                                                       if data.current_year else ""), file=sys.stderr)
    return 0


# ---------------------------------------------------------------- notes
def run_notes(args) -> int:
    db = _database(args)
    notes = db.notes_for(args.code) if args.code else list(db.notes)
    if args.code:
        db.lookup(args.code)
    if args.kind:
        notes = [n for n in notes if n.kind in set(args.kind)]
    if args.format == "json":
        out = json.dumps([{"code": n.code, "kind": n.kind, "message": n.message} for n in notes],
                         indent=2, ensure_ascii=False)
    else:
        lines = [f"{len(notes)} data note{'s' if len(notes) != 1 else ''} in {db.title}"]
        for n in notes:
            lines.append("")
            lines += _wrap(n.code or "-", f"[{n.kind}] {n.message}")
        out = "\n".join(lines) + "\n"
    write_output(out, args.output, args.force, _inputs(args))
    return 0
