"""An impact bond from the INDIGO **tabular export** (one CSV file per component), read as deal terms.

The Government Outcomes Lab publishes the INDIGO impact bond dataset
(https://golab.bsg.ox.ac.uk/knowledge-bank/indigo/impact-bond-dataset-v2/) also as
tables: one CSV file per component of a project, each row naming its project in a
``Project ID`` column (``original_projects.csv``, ``original_projects_outcome_pricings.csv``,
``original_projects_outcome_payment_commitments.csv``, ``original_projects_investments.csv``,
``original_projects_results.csv``, ..., and ``original_organisations.csv``; the column
names are the fields' labels, ``Price Per Unit - Amount - (Value)``).
:func:`read_indigo_tables` reads one project's rows into the same project data the JSON
reader reads (:func:`cba.model._indigo.indigo_from_dict`), so the terms, the choices and
the problems are those of :mod:`cba.model._indigo`.

- **The files.** The projects file is the one whose name ends in ``projects.csv``; the
  others share its prefix (``original_``). ``projects``, ``projects_outcome_metrics``,
  ``projects_outcome_pricings`` and ``projects_outcome_payment_commitments`` are needed;
  a missing ``projects_results``, ``projects_investments``,
  ``projects_service_provisions``, ``projects_outcome_payments`` or ``organisations``
  file is reported as a problem and read as no rows.
- **The columns.** Matched by label, ignoring case, spacing and a trailing ``- (Value)``;
  every column read (:data:`COLUMNS`) must be there, and other columns are not read.
- **The project's maximum** is the projects file's ``Overall project finance - Maximum
  potential outcome payment`` (amount and currency), read as the project JSON's
  ``maximum_potential_outcome_payment_v2``, the object with the same parts.
- **Values** are checked cell by cell as the JSON reader checks them
  (:class:`~cba.model._indigo_values.Values`): text, a yes/no value or a negative in a
  column of numbers (a price, a maximum, a commitment, a target) is an error naming the
  file, its line and the column; in a column the standard types as text (a pricing's
  maximum if all targets are achieved, outcomes achieved, a maximum potential return) it
  is reported and not used. A row without the id the terms need is an error.

The problems' paths are the project JSON's (``outcome_payment_commitments[1]`` is the
project's second row of the commitments file), so that both forms report alike; a
problem found in a cell names the file, line and column instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from cba.core._errors import CBAError
from cba.core._files import read_text
from cba.model._indigo import IndigoProject, indigo_from_dict
from cba.model._indigo_values import Values

#: The files needed, by component (the name after the export's prefix, without ``.csv``).
NEEDED = ("projects", "projects_outcome_metrics", "projects_outcome_pricings", "projects_outcome_payment_commitments")
#: The files read when given; a missing one is reported.
OPTIONAL = ("projects_results", "projects_investments", "projects_service_provisions", "projects_outcome_payments",
            "organisations")
_FINANCE = "Overall project finance - "
#: The columns read from each file (besides ``Project ID``; the projects file's id is ``ID``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "projects": ("ID", "Impact Bond Name", f"{_FINANCE}Maximum potential outcome payment - Currency",
                 f"{_FINANCE}Maximum potential outcome payment - Amount",
                 f"{_FINANCE}Total investment commitment - Currency",
                 f"{_FINANCE}Total investment commitment - Amount - Min",
                 f"{_FINANCE}Total investment commitment - Amount - Exact",
                 f"{_FINANCE}Total investment commitment - Amount - Max"),
    "projects_outcome_metrics": ("Id", "Outcome Definition",
                                 "Targeted number of service users Or beneficiaries (total)", "Outcome metric target"),
    "projects_outcome_pricings": ("Outcome Metric Id", "Currency", "Price Per Unit - Amount",
                                  "Maximum Price if all targets achieved - Amount"),
    "projects_outcome_payment_commitments": ("Organisation ID", "Maximum potential Outcome payment - Currency",
                                             "Maximum potential Outcome payment - Amount"),
    "projects_results": ("Outcome Metric Id", "Result type", "Outcomes achieved"),
    "projects_investments": ("Id", "Organisation ID", "Investment Commitment - Currency",
                             "Investment Commitment - Amount - Min", "Investment Commitment - Amount - Exact",
                             "Investment Commitment - Amount - Max", "Maximum Potential Return"),
    "projects_service_provisions": ("Id", "Organisation ID"),
    "projects_outcome_payments": ("Recipient Organisation ID",),
    "organisations": ("ID", "Name"),
}


def _label(header: str) -> str:
    """A column label as matched: lower case, single spaces, without a trailing ``- (Value)``."""
    text = " ".join(header.split()).lower()
    return text[: -len(" - (value)")].rstrip() if text.endswith(" - (value)") else text


class _Cell:
    """One cell's text, with where it is (file, line, column) for messages."""

    def __init__(self, path: Path, line: int, column: str, text: str) -> None:
        self.path, self.line, self.column, self.text = path, line, column, text.strip()

    @property
    def where(self) -> str:
        return f"{self.path}, line {self.line}, column {self.column!r}"


class _Row(dict[str, "_Cell"]):
    """A row: column -> :class:`_Cell`."""

    line: int = 0


class _Reader:
    """The export's files for one project, read with their problems."""

    def __init__(self, files: dict[str, Path | None], project_id: str, source: str) -> None:
        self.files, self.id, self.source = files, project_id, source
        self.problems: list[tuple[str, str]] = []

    def rows(self, component: str) -> list[_Row]:
        """The rows of ``component`` for the project (all rows for the organisations file)."""
        path = self.files.get(component)
        if path is None:
            self.problems.append((f"{component}.csv", f"the tabular export's {component} file is not given; "
                                  "read as no rows"))
            return []
        text = read_text(path, f"INDIGO {component.replace('_', ' ')} file (CSV)")
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
            if header is None:
                raise CBAError(f"{path}: empty; expected a header row naming the columns")
            index: dict[str, int] = {}
            for i, h in enumerate(header):
                index.setdefault(_label(h), i)
            key = "ID" if component in ("projects", "organisations") else "Project ID"
            wanted = dict.fromkeys((key, *COLUMNS[component]))
            for column in wanted:
                if _label(column) not in index:
                    raise CBAError(f"{path}: no column {column!r} (the INDIGO tabular export's "
                                   f"{component.replace('_', ' ')} file has it)")
            out = []
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue

                def cell(column: str, cells: list[str] = cells, line: int = reader.line_num) -> _Cell:
                    i = index[_label(column)]
                    return _Cell(path, line, column, cells[i] if i < len(cells) else "")

                if component != "organisations" and cell(key).text != self.id:
                    continue
                row = _Row((c, cell(c)) for c in wanted)
                row.line = reader.line_num
                out.append(row)
        except csv.Error as exc:
            raise CBAError(f"{path}, line {reader.line_num}: not a CSV file the tabular export writes "
                           f"({exc})") from None
        return out

    # ---------------------------------------------------------------- values
    def text(self, cell: _Cell, required: str = "") -> str | None:
        if not cell.text and required:
            raise CBAError(f"{cell.where}: missing: {required}")
        return cell.text or None

    def number(self, cell: _Cell, strict: bool = True) -> float | None:
        """A number as the JSON reader reads it (``true``/``false`` are yes/no values); see the module."""
        value: Any = cell.text
        if value.lower() in ("true", "false"):
            value = value.lower() == "true"
        v = Values(str(cell.path))
        x = v.number(value, f"line {cell.line}, column {cell.column!r}", strict=strict)
        self.problems += [(cell.where, message) for _, message in v.problems]
        return x


def _wrapped(value: Any) -> dict[str, Any]:
    return {"value": value}


def _amount(r: _Reader, currency: _Cell, amount: _Cell) -> dict[str, Any]:
    return {"currency": _wrapped(r.text(currency)), "amount": _wrapped(r.number(amount))}


def _project_data(r: _Reader) -> dict[str, Any]:
    """The project's rows as the project JSON's data (see the module)."""
    projects = r.rows("projects")
    if not projects:
        raise CBAError(f"{r.files['projects']}: no project {r.id!r} in its column 'ID'")
    if len(projects) > 1:
        raise CBAError(f"{r.files['projects']}: project {r.id!r} is on lines "
                       f"{', '.join(str(p.line) for p in projects)}; an id names one project")
    p = projects[0]
    f = _FINANCE
    total = {"currency": _wrapped(r.text(p[f"{f}Total investment commitment - Currency"])),
             "amount": {k.lower(): _wrapped(r.number(p[f"{f}Total investment commitment - Amount - {k}"]))
                        for k in ("Min", "Exact", "Max")}}
    data: dict[str, Any] = {
        "id": r.id, "name": _wrapped(r.text(p["Impact Bond Name"])),
        "overall_project_finance": {
            "total_investment_commitment": total,
            "maximum_potential_outcome_payment_v2": _amount(
                r, p[f"{f}Maximum potential outcome payment - Currency"],
                p[f"{f}Maximum potential outcome payment - Amount"])}}
    metrics: list[dict[str, Any]] = []
    seen: dict[str | None, int] = {}
    for m in r.rows("projects_outcome_metrics"):
        metric_id = r.text(m["Id"], required="every outcome metric needs its id (pricings and results refer to it)")
        if metric_id in seen:
            raise CBAError(f"{m['Id'].where}: {metric_id!r} is the id of the outcome metric on line "
                           f"{seen[metric_id]} too; ids are unique within a project")
        seen[metric_id] = m.line
        metrics.append({"id": metric_id, "definition": _wrapped(r.text(m["Outcome Definition"])),
                        "targeted_number_of_service_users_or_beneficiaries_total": _wrapped(
                            r.number(m["Targeted number of service users Or beneficiaries (total)"])),
                        "outcome_metric_target": _wrapped(r.text(m["Outcome metric target"]))})
    data["outcome_metrics"] = metrics
    data["outcome_pricings"] = [
        {"outcome_metric_id": _wrapped(r.text(q["Outcome Metric Id"], required="the id of the outcome metric priced")),
         "currency": _wrapped(r.text(q["Currency"])),
         "price_per_unit": {"amount": _wrapped(r.number(q["Price Per Unit - Amount"]))},
         "maximum_price_if_all_targets_achieved": {
             "amount": _wrapped(r.number(q["Maximum Price if all targets achieved - Amount"], strict=False))}}
        for q in r.rows("projects_outcome_pricings")]
    results = []
    for x in r.rows("projects_results"):
        metric, kind = r.text(x["Outcome Metric Id"]), r.text(x["Result type"])
        final = metric is not None and (kind or "").lower() == "final"     # the JSON reader adds only these
        results.append({"outcome_metric_id": _wrapped(metric), "result_type": _wrapped(kind),
                        "outcomes_achieved": _wrapped(r.number(x["Outcomes achieved"], strict=False) if final
                                                      else None)})
    data["results"] = results
    organisations: list[str] = []

    def org(cell: _Cell, what: str = "") -> str | None:
        found = r.text(cell, required=what)
        if found:
            organisations.append(found)
        return found

    data["outcome_payment_commitments"] = [
        {"organisation_id": _wrapped(org(c["Organisation ID"], "the organisation that commits to pay for outcomes")),
         "maximum_potential_outcome_payment": _amount(r, c["Maximum potential Outcome payment - Currency"],
                                                      c["Maximum potential Outcome payment - Amount"])}
        for c in r.rows("projects_outcome_payment_commitments")]
    data["investments"] = [
        {"id": r.text(i["Id"]), "organisation_id": _wrapped(org(i["Organisation ID"], "the organisation that invests")),
         "investment_commitment": {
             "currency": _wrapped(r.text(i["Investment Commitment - Currency"])),
             "amount": {k.lower(): _wrapped(r.number(i[f"Investment Commitment - Amount - {k}"]))
                        for k in ("Min", "Exact", "Max")}},
         "maximum_potential_return": _wrapped(r.number(i["Maximum Potential Return"], strict=False))}
        for i in r.rows("projects_investments")]
    data["service_provisions"] = [{"id": r.text(s["Id"]), "organisation_id": _wrapped(org(s["Organisation ID"]))}
                                  for s in r.rows("projects_service_provisions")]
    data["outcome_payments"] = [{"recipient_organisation_id": _wrapped(org(o["Recipient Organisation ID"]))}
                                for o in r.rows("projects_outcome_payments")]
    named = set(organisations)
    data["organisations"] = [{"id": o["ID"].text, "name": _wrapped(r.text(o["Name"]))}
                             for o in r.rows("organisations") if o["ID"].text in named]
    return data


def _files(folder_or_files: str | Path | Sequence[str | Path]) -> tuple[dict[str, Path | None], str]:
    """The export's files by component, and the name of what was given (the folder, else the projects file)."""
    folder = isinstance(folder_or_files, (str, Path)) and Path(folder_or_files).is_dir()
    if isinstance(folder_or_files, (str, Path)):
        given = Path(folder_or_files)
        if folder:
            paths = sorted(p for p in given.iterdir() if p.name.lower().endswith(".csv"))
            where = str(given)
        else:
            paths, where = [given], str(given)
    else:
        paths = [Path(p) for p in folder_or_files]
        where = ", ".join(str(p) for p in paths) or "no files"
    by_name: dict[str, Path] = {}
    for p in paths:
        if p.name in by_name:
            raise CBAError(f"{p}: two files named {p.name!r} given ({by_name[p.name]}); give one export")
        by_name[p.name] = p
    projects = [n for n in by_name if n == "projects.csv" or n.endswith("_projects.csv")]
    if len(projects) != 1:
        raise CBAError(f"{where}: " + (f"{len(projects)} projects files ({', '.join(projects)}); give one export"
                                       if projects else "no projects file of the INDIGO tabular export (a CSV file "
                                       "named like 'original_projects.csv')"))
    prefix = projects[0][: -len("projects.csv")]
    files: dict[str, Path | None] = {}
    for component in (*NEEDED, *OPTIONAL):
        name = f"{prefix}{component}.csv"
        files[component] = by_name.get(name)
        if files[component] is None and component in NEEDED:
            raise CBAError(f"{where}: no file {name!r}: the INDIGO tabular export's "
                           f"{component.replace('_', ' ')} are needed")
    return files, where if folder else str(by_name[projects[0]])


def read_indigo_tables(folder_or_files: str | Path | Sequence[str | Path], project_id: str, *,
                       payee: str | None = None) -> IndigoProject:
    """Read one project of the INDIGO tabular export as deal terms (see the module).

    Parameters
    ----------
    folder_or_files : str, Path or sequence of them
        The folder holding the export's CSV files, or the files.
    project_id : str
        The project's INDIGO id (``INDIGO-POJ-0195``), as in the projects file's ``ID`` column.
    payee : str, optional
        The agency id paid for outcomes (see :func:`cba.model._indigo.read_indigo`).

    Raises
    ------
    CBAError
        A needed file or column is missing, the project is not in the projects file (or
        is twice), a file is not UTF-8 CSV or over the ``file_bytes`` limit, or a cell
        the terms need is malformed; the message names the file (and its line and column).
    """
    if not isinstance(project_id, str) or not project_id.strip():
        raise CBAError("read_indigo_tables: give the project's INDIGO id (such as 'INDIGO-POJ-0195')")
    files, source = _files(folder_or_files)
    reader = _Reader(files, project_id.strip(), source)
    data = _project_data(reader)
    project = indigo_from_dict(data, source, payee=payee)
    return replace(project, problems=[*reader.problems, *project.problems])
