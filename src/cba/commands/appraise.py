"""``cba appraise MODEL``: appraise a model file and show or export the results."""

from __future__ import annotations

from ..appraisal import appraise
from ._io import add_output_arguments, write_output

#: Output formats: name -> function(appraisal) -> str or bytes.
FORMATS = {
    "table": lambda a: a.summary(),
    "json": lambda a: a.to_json(),
}


def register(subparsers) -> None:
    p = subparsers.add_parser("appraise", help="appraise a model file (YAML or JSON)",
                              description="Appraise an intervention described in a YAML or JSON model file.")
    p.add_argument("model", help="model file (YAML or JSON)")
    p.add_argument("--format", "-f", choices=sorted(FORMATS), default="table", help="output format (default: table)")
    add_output_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    result = appraise(args.model)
    write_output(FORMATS[args.format](result), args.output, args.force)
    return 0
