"""``cba schema [--results]``: the JSON Schema of model files or of results."""

from __future__ import annotations

import json

from cba.cli._io import add_output_arguments, check_suffix, write_output


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "schema", help="print the JSON Schema of model files (or of results with --results)",
        description="Print the JSON Schema (draft 2020-12) of a model file, for editors and validators, "
                    "or with --results that of 'cba appraise --format json'.")
    p.add_argument("--results", action="store_true", help="the schema of the results instead of the model")
    p.add_argument("--partnership", action="store_true",
                   help="the schema of 'cba partnership --format json' (a deal's results)")
    p.add_argument("--portfolio", action="store_true",
                   help="the schema of 'cba portfolio --format json' (a place's portfolio)")
    add_output_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    check_suffix(args.output, ["json"])
    from cba.outputs.export._schema import model_schema, results_schema

    if args.partnership:
        from cba.outputs.export._schema_partnership import partnership_schema

        schema = partnership_schema()
    elif args.portfolio:
        from cba.outputs.export._schema_portfolio import portfolio_schema

        schema = portfolio_schema()
    else:
        schema = results_schema() if args.results else model_schema()
    write_output(json.dumps(schema, indent=2, ensure_ascii=False), args.output, args.force)
    return 0
