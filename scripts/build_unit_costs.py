#!/usr/bin/env python
"""Rebuild the shipped ``unit_costs/`` data from its sources.

Usage (from the repository root)::

    python scripts/build_unit_costs.py            # write the files
    python scripts/build_unit_costs.py --check    # exit 1 if any file would change

Sources (defaults: the project's shared reference folder next to the repository):

* the official GMCA Unit Cost Database v1.4 workbook
  (``../shared/reference/gmca/unit-cost-database-v1.4.xlsx``; not committed);
* the list of candidate newer unit costs (``../shared/reference/candidate-unit-costs.csv``).

All the logic lives in :mod:`cba.unit_costs._build`; this script only chooses the
paths. The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workbook", type=Path, default=REFERENCE / "gmca" / "unit-cost-database-v1.4.xlsx",
                        help="GMCA Unit Cost Database workbook (.xlsx)")
    parser.add_argument("--candidates", type=Path, default=REFERENCE / "candidate-unit-costs.csv",
                        help="candidate newer unit costs (CSV)")
    parser.add_argument("--out", type=Path, default=REPO / "unit_costs", help="output folder")
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on a difference")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO / "src"))
    from cba.core._errors import CBAError
    from cba.unit_costs._build import build_files, write_files

    try:
        files = build_files(args.workbook, args.candidates)
    except CBAError as exc:
        print(f"build_unit_costs: error: {exc}", file=sys.stderr)
        return 2
    differ = write_files(files, args.out, check=args.check)
    if args.check:
        for rel in differ:
            print(f"differs: {args.out / rel}", file=sys.stderr)
        print(f"{len(files) - len(differ)} of {len(files)} files up to date", file=sys.stderr)
        return 1 if differ else 0
    for rel in files:
        print(f"wrote {args.out / rel}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
