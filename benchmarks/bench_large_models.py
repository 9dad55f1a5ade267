"""Benchmark: do large model files run in time linear in their size?

THE MODELS ARE SYNTHETIC: ``N`` cost lines and ``N`` outcomes with made-up round
numbers, written as a YAML file. They describe no real intervention.

For each size it times reading the file (bounded read and strict parse,
:func:`cba.core._files.load_data`), validating it into an :class:`~cba.Intervention`,
appraising it (engine, ledger, metrics, finite checks) and writing the ledger as CSV,
and prints each time beside the time at half the size: a ratio near 2 for a doubled
size is linear time (the target of issue 11, item 2: linear, or refused with a
message). The largest size also reports the file size against the ``file_bytes``
limit.

Run: ``python benchmarks/bench_large_models.py`` (``--sizes`` to choose).
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

import cba
import cba.core._limits
from cba.core._files import load_data

AGENCIES = ["local_authority", "nhs", "dwp", "police", "housing"]


def model_text(n: int) -> str:
    lines = ["# synthetic: made-up round numbers for timing only", "name: synthetic", "price_base: 2024/25",
             "horizon: 5", "costs:"]
    lines += [f"  - {{name: cost {i}, agency: {AGENCIES[i % 5]}, amounts: [1000, 500]}}" for i in range(n)]
    lines.append("outcomes:")
    lines += [f"  - {{name: outcome {i}, cohort: 10, success: 0.5, value: {{components: "
              f"[{{type: fiscal, agency: {AGENCIES[(i + 1) % 5]}, amount: 300}}]}}}}" for i in range(n)]
    return "\n".join(lines) + "\n"


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="12500,25000,50000,100000",
                        help="comma-separated numbers of cost lines (and outcomes), each double the last")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"cba {cba.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{'lines':>8} {'file MB':>8} | {'read s':>7} {'x':>5} | {'validate s':>10} {'x':>5} | "
          f"{'appraise s':>10} {'x':>5} | {'csv s':>6} {'x':>5}")
    previous = None
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            path = Path(folder) / f"model_{n}.yaml"
            path.write_text(model_text(n))
            data, t_read = timed(lambda path=path: load_data(path, "model file"))
            model, t_valid = timed(lambda data=data: cba.Intervention.from_dict(data))
            result, t_appraise = timed(lambda model=model: cba.appraise(model))
            _, t_csv = timed(result.to_csv)
            times = (t_read, t_valid, t_appraise, t_csv)
            ratios = [f"{t / p:5.2f}" if previous else "    -" for t, p in zip(times, previous or times)]
            print(f"{2 * n:>8,} {path.stat().st_size / 1e6:8.1f} | {t_read:7.2f} {ratios[0]} | "
                  f"{t_valid:10.2f} {ratios[1]} | {t_appraise:10.2f} {ratios[2]} | {t_csv:6.2f} {ratios[3]}")
            previous = times
    print(f"(lines = cost lines + outcomes; x = time / time at half the size; the file_bytes limit is "
          f"{cba.core._limits.get('file_bytes') / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
