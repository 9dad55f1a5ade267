"""``cba report MODEL -o report.html``: a self-contained HTML report of an appraisal."""

from __future__ import annotations

from cba.cli._io import add_output_arguments, check_outputs, check_suffix, check_warnings, model_inputs, write_output


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help="write a self-contained HTML report (tables and charts)",
        description="Appraise a model file and write one self-contained HTML file: headline figures, "
        "the financial and economic case, who pays and who saves, the cost, benefit and assumption "
        "tables, provenance and the charts as inline SVG. It needs no network access and prints on A4: "
        "wide tables on landscape pages or in parts, the intervention and page numbers on every page.")
    p.add_argument("model", help="model file (YAML or JSON)")
    p.add_argument("--no-charts", action="store_true", help="leave the charts out")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (possible double counting) as errors: exit status 2, no output")
    add_output_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    check_suffix(args.output, ["html"], inputs=[args.model])
    from cba.ledger._appraisal import appraise
    from cba.outputs.report._report import render_report

    check_outputs([args.output], args.force, [args.model])  # refuse before the work, not after
    result = appraise(args.model)
    check_warnings(result, args.strict)
    write_output(render_report(result, charts=not args.no_charts), args.output, args.force,
                 [args.model, *model_inputs(result.intervention)])
    return 0
