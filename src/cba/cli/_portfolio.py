"""``cba portfolio FILE``: which programmes a place's partners should fund together.

Examples::

    cba portfolio examples/portfolio/portfolio.yaml
    cba portfolio examples/portfolio/portfolio.yaml -f json -o portfolio.json
    cba portfolio examples/portfolio/portfolio.yaml --draws 10000 --seed 1 -o report.html
    cba portfolio examples/portfolio/portfolio.yaml -o paper.docx

Exit status 0 with a choice, 1 when no portfolio meets the constraints (the output
then says which constraint binds and by how much), 2 for a mistake in a file.
"""

from __future__ import annotations

import sys

from cba.cli._io import add_output_arguments, check_outputs, check_suffix, output_format, write_outputs
from cba.core._errors import CBAError
from cba.outputs.export._formats import check_output

FORMATS = ("table", "markdown", "json", "csv", "xlsx", "docx", "html")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "portfolio", help="a place's portfolio: the set of programmes to fund within every partner's budget",
        description="Appraise every candidate of a portfolio file on one footing and choose the set that "
                    "maximises the board's objective within each partner's budget in every year and the "
                    "file's structure (exclusive options, dependencies, must-in, must-out, counts), solved "
                    "exactly as a mixed-integer linear programme (HiGHS). With side payments, the deal that "
                    "leaves every partner at its floor. Shows the runners-up, budget use, each partner's "
                    "position, the value of a pound more of budget and the frontier of value against budget.")
    p.add_argument("portfolio", help="portfolio file (YAML or JSON)")
    p.add_argument("--format", "-f", choices=FORMATS, default=None,
                   help="output format (default: from the -o file's suffix, else table)")
    p.add_argument("--no-frontier", action="store_true", help="skip the frontier (one MILP per budget scaling)")
    p.add_argument("--draws", "-n", type=int,
                   help="Monte Carlo draws for each partner's risk on the chosen set, when candidates name an "
                        "uncertainty file (default: the file's 'draws', else 10,000)")
    p.add_argument("--seed", type=int, help="random seed of the risk (default: the file's 'seed', else a new one, "
                                            "printed)")
    p.add_argument("--draws-output", metavar="FILE",
                   help="also write every draw of each partner's net position to this CSV file")
    add_output_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from cba.outputs.export._portfolio import FORMAT_WRITERS
    from cba.portfolios._choose import portfolio
    from cba.portfolios._spec import load_portfolio

    fmt = output_format(args.output, args.format, FORMATS, inputs=[args.portfolio])
    check_output(fmt, args.output, "portfolio")
    if fmt == "html" and args.output in (None, "-"):
        raise CBAError("--format html writes a report: give a file with -o, e.g. -o report.html")
    if args.draws_output:
        check_suffix(args.draws_output, ["csv"], "--draws-output", inputs=[args.portfolio])
    check_outputs([args.output, args.draws_output], args.force, [args.portfolio])  # before the work, not after
    spec = load_portfolio(args.portfolio)
    if (args.draws is not None or args.seed is not None or args.draws_output) and not any(
            c.uncertainty for c in spec.candidates or ()):
        raise CBAError(f"{args.portfolio}: --draws, --seed and --draws-output are for the risk analysis: give "
                       "candidates an uncertainty file ({path: MODEL, uncertainty: FILE})")
    result = portfolio(spec, frontier_points=not args.no_frontier, draws=args.draws, seed=args.seed)
    if result.risk is not None and args.seed is None and spec.seed is None:
        print(f"seed: {result.risk.seed} (pass --seed {result.risk.seed} to repeat this run)", file=sys.stderr)
    if args.draws_output and result.risk is None:
        raise CBAError("--draws-output: no chosen candidate names an uncertainty file, so nothing was drawn")
    inputs = [args.portfolio, *result.candidates.files, *(u for u in result.candidates.uncertainty or () if u)]
    if fmt == "html":
        from cba.outputs.report._portfolio import render_portfolio_report

        out: str | bytes = render_portfolio_report(result)
    else:
        out = FORMAT_WRITERS[fmt](result)
    items: list[tuple[str | bytes, str | None]] = [(out, args.output)]
    if args.draws_output and result.risk is not None:
        from cba.core._escaping import csv_text

        items.append((csv_text(result.risk.draws_frame(result.candidates.partners), index=True), args.draws_output))
    write_outputs(items, args.force, inputs)
    return 0 if result.feasible else 1
