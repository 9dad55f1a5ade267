"""``cba indigo PROJECT.json``: an impact bond in the INDIGO data standard, read as deal terms.

Examples::

    cba indigo tests/data/indigo/skill_mill.json
    cba indigo tests/data/indigo/tabular --project INDIGO-POJ-0195
    cba indigo tests/data/indigo/skill_mill.json --format json -o skill_mill_terms.json
    cba indigo tests/data/indigo/skill_mill.json --deal -o skill_mill_deal.yaml

Prints the rate card (each outcome metric with its price, target and outcomes achieved),
the outcome payers with their maxima, the investors, the agencies a model must declare
and what does not add up (:mod:`cba.model._indigo`). ``--deal`` prints the ``agencies``
and ``partnership`` sections a model file can use instead. A folder is the dataset's
tabular export (one CSV file per component), read for the project ``--project`` names
(:mod:`cba.model._indigo_tables`).
"""

from __future__ import annotations

import json
from typing import Any

from cba.cli._io import add_output_arguments, check_outputs, output_format, write_output
from cba.core._errors import CBAError

FORMATS = ("table", "json", "yaml")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "indigo", help="read an impact bond in the INDIGO data standard: rate card, payers, investors, problems",
        description="Read a project file of the Government Outcomes Lab's INDIGO data standard (JSON) as deal "
                    "terms: the rate card (one tariff per priced outcome metric, under the project's maximum "
                    "potential outcome payment), the outcome payers with their maxima, the investors, the agencies "
                    "to declare, and what does not add up. --deal prints the 'agencies' and 'partnership' "
                    "sections of a model file instead. A folder is the dataset's tabular export (one CSV file "
                    "per component), read for the project --project names.")
    p.add_argument("project", help="INDIGO project file (JSON), or a folder of the tabular export (CSV files)")
    p.add_argument("--project", dest="project_id", metavar="ID",
                   help="the project to read from a tabular export folder (its INDIGO id, such as INDIGO-POJ-0195)")
    p.add_argument("--format", "-f", choices=FORMATS, default=None,
                   help="output format (default: from the -o file's suffix, else table); yaml is the deal (--deal)")
    p.add_argument("--deal", action="store_true",
                   help="print the 'agencies' and 'partnership' sections a model file can use (YAML)")
    p.add_argument("--payee", metavar="AGENCY",
                   help="the agency paid for outcomes (default: the project's single service provider, else "
                        "'provider')")
    add_output_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from cba.model._indigo import read_indigo
    from cba.model._indigo_tables import read_indigo_tables

    tabular = Path(args.project).is_dir()
    if tabular and not args.project_id:
        raise CBAError(f"{args.project}: a folder is the INDIGO tabular export; give --project ID, the project's "
                       "INDIGO id (such as INDIGO-POJ-0195)")
    if args.project_id and not tabular:
        raise CBAError(f"{args.project}: --project chooses a project of a tabular export folder; a project file "
                       "holds one project")
    if args.deal and args.format not in (None, "yaml"):
        raise CBAError(f"--deal writes YAML; leave out --format {args.format} or give --format yaml")
    fmt = output_format(args.output, "yaml" if args.deal else args.format, FORMATS, inputs=[args.project])
    check_outputs([args.output], args.force, [args.project])
    project = (read_indigo_tables(args.project, args.project_id, payee=args.payee) if tabular
               else read_indigo(args.project, payee=args.payee))
    if fmt == "json":
        text = json.dumps(project.to_dict(), indent=2, ensure_ascii=False)
    elif fmt == "yaml":
        text = deal_yaml(project)
    else:
        text = report_text(project)
    write_output(text, args.output, args.force, [args.project])
    return 0


def _line(text: Any) -> str:
    """User text on one line, without control characters (for a comment or a heading)."""
    from cba.cli._main import printable

    return printable(" ".join(str(text).split()))


def deal_yaml(project) -> str:
    """The ``agencies`` and ``partnership`` sections for the project's terms, as commented YAML."""
    import yaml

    deal = project.deal()
    what = " ".join(x for x in (project.id, _line(project.name or "")) if x)
    head = [f"# Deal terms of the INDIGO project {what}, read by cba from {_line(project.source)}.",
            "# The tariffs pay for outcomes named by the INDIGO metric ids: rename them to the model's outcomes.",
            "# Amounts are as in the contract (pounds, undiscounted). Read the problems `cba indigo` reports first."]
    body = yaml.safe_dump(deal, sort_keys=False, allow_unicode=True)
    if project.investments and "investments" not in deal["partnership"]:
        kept = yaml.safe_dump({"investments": [i.to_dict() for i in project.investments]}, sort_keys=False,
                              allow_unicode=True)
        body += "# The investors' terms (not yet part of a partnership section):\n"
        body += "".join(f"# {line}\n" for line in kept.splitlines())
    return "\n".join(head) + "\n" + body


def _table(title: str, columns: dict[str, list], kinds: dict[str, str], labels: dict[str, str],
           blank: tuple[str, ...] = ()) -> str:
    from cba.outputs._format import render_table_text
    from cba.outputs.tables._headline import PlainTable

    return render_table_text(PlainTable(columns, {"title": title, "kinds": kinds, "labels": labels, "blank": blank,
                                                  "none_note": "none: not given in the INDIGO file"}))


def report_text(project) -> str:
    """The project's terms and problems for people."""
    from cba.model._indigo_values import money
    from cba.outputs._format import wrap_lines

    names = {a.id: a.name for a in project.agencies}
    out = [_line(f"{project.name or 'An unnamed project'} ({project.id or 'no INDIGO id'})"),
           _line(f"read from {project.source}; amounts as in the contract, in {project.currency or 'pounds'}, "
                 "undiscounted"), ""]
    payment = project.payment
    if payment is not None:
        title = (f"Rate card: {len(payment.card)} tariffs paid to {payment.payee}, outcomes counted gross, under a "
                 f"contract maximum of {money(payment.cap) if payment.cap is not None else 'none stated'}")
    else:
        title = "Outcome metrics (no rate card: see the problems below)"
    metrics = project.metrics
    out.append(_table(title, {
        "id": [m.id for m in metrics],
        "metric": [_line((m.definition or "").splitlines()[0] if m.definition else "") for m in metrics],
        "price": [m.price for m in metrics], "target": [m.target for m in metrics],
        "achieved": [m.achieved for m in metrics]},
        {"id": "text", "metric": "text", "price": "money", "target": "number", "achieved": "number"},
        {"id": "Outcome (metric id)", "metric": "Metric", "price": "Price", "target": "Target",
         "achieved": "Achieved (final)"}, blank=("target", "achieved")))
    if project.payers:
        split = payment.split if payment is not None else "in_order"
        how = ("each pays its share of every payment, pro rata to its maximum" if split == "shares"
               else "in order, each until its maximum")
        out += ["", _table(f"Outcome payers ({how})", {
            "payer": [p.payer for p in project.payers], "name": [_line(names.get(p.payer, "")) for p in project.payers],
            "maximum": [p.maximum for p in project.payers], "share": [p.share for p in project.payers]},
            {"payer": "text", "name": "text", "maximum": "money", "share": "share"},
            {"payer": "Payer", "name": "Name", "maximum": "Maximum", "share": "Share"}, blank=("share",))]
    if project.investments:
        out += ["", _table("Investors", {
            "investor": [i.investor for i in project.investments],
            "name": [_line(names.get(i.investor, "")) for i in project.investments],
            "provider": [i.provider for i in project.investments],
            "commitment": [i.commitment for i in project.investments]},
            {"investor": "text", "name": "text", "provider": "text", "commitment": "money"},
            {"investor": "Investor", "name": "Name", "provider": "Provider", "commitment": "Commitment"})]
    if project.agencies:
        out += ["", _table("Agencies to declare in the model", {
            "id": [a.id for a in project.agencies], "name": [_line(a.name) for a in project.agencies],
            "indigo": [project.organisation_ids.get(a.id, "") for a in project.agencies]},
            {"id": "text", "name": "text", "indigo": "text"},
            {"id": "Agency id", "name": "Name", "indigo": "INDIGO id"})]
    problems = [(p, m) for p, m in project.problems if not m.startswith("note: ")]
    notes = [(p, m[len("note: "):]) for p, m in project.problems if m.startswith("note: ")]
    for heading, items in ((f"What does not add up ({len(problems)})", problems), ("Notes", notes)):
        if items or heading.startswith("What"):
            out += ["", heading]
            out += [line for p, m in items for line in wrap_lines(_line(f"{p}: {m}"), indent="    ")]
            if not items:
                out.append("nothing")
    return "\n".join(out)
