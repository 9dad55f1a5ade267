"""``cba appraise MODEL``: appraise a model file and show or export the results."""

from __future__ import annotations

from cba.cli._io import add_output_arguments, check_outputs, check_warnings, model_inputs, output_format, write_output
from cba.outputs.export._formats import FORMATS, check_output


def register(subparsers) -> None:
    p = subparsers.add_parser("appraise", help="appraise a model file (YAML or JSON)",
                              description="Appraise an intervention described in a YAML or JSON model file. "
                              "Formats: table (readable text), markdown (tables for a business case), "
                              "csv (the tidy ledger), xlsx (an Excel workbook, needs -o), docx (a Word document of the "
                              "business case, needs -o), json (for other tools).")
    p.add_argument("model", help="model file (YAML or JSON)")
    p.add_argument("--format", "-f", choices=list(FORMATS), default=None,
                   help="output format (default: from the -o file's suffix, else table)")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (possible double counting) as errors: exit status 2, no output")
    p.add_argument("--terms", choices=("real", "cash"), default="real",
                   help="real (default): money at the price base; cash: add the costs and benefits by year in "
                        "pounds of each year, with the deflator's forecast (table, markdown, json, csv; a "
                        "'Cash by year' sheet in xlsx)")
    p.add_argument("--accounts", action="store_true",
                   help="table format: also show the accounts by who benefits (taxpayers by agency, participants, "
                        "others, society); markdown, xlsx and json always hold them")
    add_output_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    fmt = output_format(args.output, args.format, list(FORMATS), inputs=[args.model])
    check_output(fmt, args.output)
    if args.accounts and fmt != "table":
        from cba.core._errors import CBAError

        raise CBAError(f"--accounts is for the table format; the {fmt} output "
                       + ("always holds the accounts" if fmt in ("markdown", "xlsx", "json") else
                          "does not hold them (use table, markdown, xlsx or json)"))
    if args.terms == "cash" and fmt == "docx":
        from cba.core._errors import CBAError

        raise CBAError("--terms cash is for the table, markdown, json, csv and xlsx formats, not docx "
                       "(the Word document is the business case at the price base)")
    from cba.ledger._appraisal import appraise  # here, not at the top: `cba --help` needs none of it

    check_outputs([args.output], args.force, [args.model])  # before the work, not after
    result = appraise(args.model)
    check_warnings(result, args.strict)
    if args.terms == "cash":
        from cba.outputs.export._cash import appraisal_in_cash, appraisal_workbook_in_cash

        output: str | bytes = appraisal_workbook_in_cash(result) if fmt == "xlsx" else appraisal_in_cash(result, fmt)
    else:
        output = FORMATS[fmt](result)
    if args.accounts and fmt == "table":
        from cba.outputs._format import render_table_text
        from cba.outputs.tables._accounts import accounts_table

        output = f"{str(output).rstrip()}\n\n{render_table_text(accounts_table(result))}\n"
    write_output(output, args.output, args.force, [args.model, *model_inputs(result.intervention)])
    return 0
