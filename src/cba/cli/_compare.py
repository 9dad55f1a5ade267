"""``cba compare A.yaml B.yaml [--reference A]``: options side by side and against a reference."""

from __future__ import annotations

from cba.cli._io import add_output_arguments, check_outputs, model_inputs, output_format, write_output
from cba.outputs.export._formats import FORMATS, check_output


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "compare", help="compare options side by side and against a reference option",
        description="Appraise two or more options (model files on the same price base, horizon and "
                    "discounting) and show them side by side and each against a reference option.")
    p.add_argument("models", nargs="+", metavar="MODEL", help="model files, one per option (two or more)")
    p.add_argument("--reference", "-r", metavar="OPTION",
                   help="the option the others are measured against: its name, its file or its file name "
                        "without suffix (default: the first)")
    p.add_argument("--format", "-f", choices=list(FORMATS), default=None,
                   help="output format (default: from the -o file's suffix, else table)")
    add_output_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    fmt = output_format(args.output, args.format, list(FORMATS), inputs=args.models)
    check_output(fmt, args.output)
    from cba.ledger._compare import FORMATS as COMPARISON_FORMATS
    from cba.ledger._compare import compare

    check_outputs([args.output], args.force, args.models)
    result = compare(args.models, reference=args.reference)
    inputs = [*args.models, *(p for a in result.appraisals for p in model_inputs(a.intervention))]
    write_output(COMPARISON_FORMATS[fmt](result), args.output, args.force, inputs)
    return 0
