"""``cba init [NAME]``: write a commented starter model that runs as written."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from cba.core._errors import CBAError
from cba.core._files import write_file

#: The starter model. Every figure is the method's worked example (docs/method.md,
#: section 8), there only so that the file runs; each is marked for replacement.
STARTER = """\
# A starter model for `cba` (written by `cba init`).
#
# Run it:       cba appraise {file}
# Export it:    cba appraise {file} -o {xlsx}
#
# EVERY FIGURE BELOW IS A PLACEHOLDER. The numbers are the worked example of the
# method (docs/method.md, section 8, "The worked example"), there only so that this
# file runs as written. They are not evidence about your intervention: replace each
# line marked REPLACE with your own figure, and say where it comes from in `source`.
# The method and every field: docs/method.md. The model schema: `cba schema`.

name: {name}
description: >-
  REPLACE: what the intervention does, for whom, and what it replaces.
price_base: 2024/25          # financial year whose prices all results are in
# start_year: 2025/26        # optional: label the years as financial years
horizon: 4                   # REPLACE: years appraised (year 0 is the first year of delivery)
discounting: green_book      # HM Treasury Green Book rates; or green_book_health, or {{rate: 0.05}}
optimism_bias: gm            # the GM confidence-grade table (grade 1: 0% ... grade 6: 40%)

# Agencies: local_authority, nhs, dwp, hmrc, police, criminal_justice, fire,
# education, housing, other. Declare others here, e.g.
# agencies: [{{id: youth_offending, name: Youth offending service}}]

costs:
  # One line per cost, by agency and year (pounds). `amounts[t]` is year t.
  - name: Key workers
    agency: local_authority
    kind: revenue            # revenue, capital or in_kind
    amounts: [40000]         # REPLACE: worked-example figure (docs/method.md, section 8)
    # price_year: 2023/24    # if the amounts are at another year's prices
    # confidence: 2          # evidence grade 1-6: raises the cost by optimism bias
    source: "REPLACE: where the cost comes from (placeholder: docs/method.md worked example)"
  - name: Nurse time
    agency: nhs
    kind: in_kind
    amounts: [0, 10000]      # REPLACE: worked-example figure (docs/method.md, section 8)
    source: "REPLACE: where the cost comes from (placeholder: docs/method.md worked example)"

outcomes:
  - name: Fewer repeat incidents
    cohort: 100              # REPLACE: people starting in year 0; or by year, e.g. [100, 120]
    engagement: 0.8          # REPLACE: share of the cohort who take part
    success: 0.5             # REPLACE: share of those engaged who achieve the outcome
    deadweight: 0.2          # REPLACE: share of successes that would have happened anyway
    # displacement, leakage, substitution, attribution: further shares removed (default 0)
    confidence: 3            # REPLACE: evidence grade 1-6 (grade 3: benefits cut by 10%)
    lag: 1                   # REPLACE: years from intake to the first year of benefit
    duration: 3              # REPLACE: years the benefit lasts
    drop_off: 0.1            # REPLACE: share of the benefit lost each year after the first
    source: "REPLACE: the evaluation behind these rates (placeholder: docs/method.md worked example)"
    value:
      # The value of one success for one year, by value type. A fiscal value names
      # the agency that saves and the share of the saving that is cashable. A unit
      # cost code from the database can stand instead: `unit_cost: CODE`.
      components:
        - {{type: fiscal, agency: local_authority, amount: 1000, cashable: 0.5,
           source: "REPLACE: placeholder from the docs/method.md worked example"}}
        - {{type: economic, amount: 2000, source: "REPLACE: placeholder from the docs/method.md worked example"}}
        - {{type: social, amount: 500, source: "REPLACE: placeholder from the docs/method.md worked example"}}
"""


def starter(name: str, file: str = "model.yaml") -> str:
    """The starter model text for an intervention called ``name``.

    >>> import cba
    >>> m = cba.Intervention.from_yaml(starter("Early help"))
    >>> m.name, len(m.costs), len(m.outcomes)
    ('Early help', 2, 1)
    """
    return STARTER.format(name=json.dumps(name, ensure_ascii=False), file=shlex.quote(file),
                          xlsx=shlex.quote(str(Path(file).with_suffix(".xlsx"))))


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "init", help="write a commented starter model (NAME.yaml) that runs as written",
        description="Write a commented starter model file. Its figures are the method's worked example, "
                    "each marked REPLACE; it never overwrites a file unless --force is given.")
    p.add_argument("name", nargs="?", default="model",
                   help="the model's name; the file is NAME.yaml (default: model)")
    p.add_argument("-o", "--output", help="write to this file instead of NAME.yaml")
    p.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    name = args.name.strip()
    if not name:
        raise CBAError("NAME: give a name for the model, e.g. cba init early_help")
    from cba.cli._io import check_suffix

    check_suffix(args.output, ["yaml"])
    path = Path(args.output) if args.output else Path(name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    title = Path(name).stem if name.endswith((".yaml", ".yml")) else Path(name).name
    write_file(starter(title, str(path)), path, force=args.force)
    print(f"wrote {path}; replace every figure marked REPLACE, then run: cba appraise {shlex.quote(str(path))}",
          file=sys.stderr)
    return 0
