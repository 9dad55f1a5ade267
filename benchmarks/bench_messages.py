"""Benchmark: is a file with one mistake repeated reported in time linear in its size?

THE MODELS ARE SYNTHETIC: ``N`` outcomes, each with a success rate of 2 (out of range)
and an unknown agency, with made-up round numbers. They describe no real intervention.

For each size it times :func:`cba.load_intervention` up to its :class:`cba.ModelError`
and prints the time beside the time at half the size (a ratio near 2 for a doubled
size is linear time), with the length of the message, which stays the same whatever
the size (at most ``cba.core._errors.MAX_PROBLEMS`` problems are written; issue 19,
item 5).

Run: ``python benchmarks/bench_messages.py`` (``--sizes`` to choose).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import cba


def model(n: int) -> dict:
    return {"name": "Repeated mistake", "price_base": "2024/25", "horizon": 2,
            "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
            "outcomes": [{"name": f"Outcome {i}", "cohort": 10, "success": 2,
                          "value": {"components": [{"type": "fiscal", "agency": "nobody", "amount": 300}]}}
                         for i in range(n)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000, 40_000])
    args = parser.parse_args()
    previous, previous_n = None, 0
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.json"
            path.write_text(json.dumps(model(n)))
            start = time.perf_counter()
            try:
                cba.load_intervention(path)
            except cba.ModelError as exc:
                message, problems = str(exc), len(exc.problems)
            took = time.perf_counter() - start
        ratio = f"  x{took / previous:.2f} for x{n / previous_n:.0f}" if previous and previous_n else ""
        print(f"{n:7,} outcomes: {took:7.3f} s, {problems:,} problems, message {len(message):,} characters{ratio}")
        previous, previous_n = took, n


if __name__ == "__main__":
    main()
