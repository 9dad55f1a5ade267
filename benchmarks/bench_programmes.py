"""Benchmark: does a programme of many members load in time linear in its size?

THE MODELS ARE SYNTHETIC: ``N`` member files of one cost line and one outcome each,
with made-up round numbers, listed by one programme file. They describe no real
intervention.

For each number of members it times :func:`cba.load_intervention` of the programme
(every file read once, checked for cycles and files listed twice, each member
validated, the combined model validated) and prints it beside the time at half the
number: a ratio near 2 for a doubled number is linear time (issue 19, item 2).

Run: ``python benchmarks/bench_programmes.py`` (``--sizes`` to choose).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

import cba
import cba.core._limits


def member(i: int) -> dict:
    return {"name": f"Member {i}", "price_base": "2024/25", "horizon": 3,
            "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000, 1000]}],
            "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
                          "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}


def write(folder: Path, n: int) -> Path:
    for i in range(n):
        (folder / f"m{i}.yaml").write_text(yaml.safe_dump(member(i)))
    path = folder / "programme.yaml"
    path.write_text(yaml.safe_dump({"name": "Programme", "interventions": [f"m{i}.yaml" for i in range(n)]}))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400, 800])
    args = parser.parse_args()
    previous, prev_n = None, 0
    with cba.core._limits.override(programme_members=max(args.sizes)):
        for n in args.sizes:
            with tempfile.TemporaryDirectory() as folder:
                path = write(Path(folder), n)
                start = time.perf_counter()
                model = cba.load_intervention(path)
                took = time.perf_counter() - start
            assert len(model.costs) == n
            ratio = f"  x{took / previous:.2f} for x{n / prev_n:.0f} members" if previous and prev_n else ""
            print(f"{n:6,} members: {took:7.3f} s{ratio}")
            previous, prev_n = took, n


if __name__ == "__main__":
    main()
