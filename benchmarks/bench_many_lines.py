"""Benchmark: a JSON model of 300,000 one-year cost lines, appraised in < 20 s and < 1 GB.

THE MODEL IS SYNTHETIC: ``N`` cost lines of 1,000 pounds in one year, spread over five
agencies, and one outcome, with made-up round numbers for timing only; it describes no
real intervention.

Each run is a whole process, ``python -m cba appraise model.json`` (the default table
output, or ``--format`` to another file), timed from start to exit, with its peak
resident memory as the operating system counts it (``ru_maxrss`` of the child, the
interpreter and its libraries included). The figures are printed beside the targets of
issue 19, item 7 (under 20 s and under 1 GB for 300,000 lines), with the time and memory
per line so that sizes can be compared (linear: the same per line at every size).

Run: ``python benchmarks/bench_many_lines.py`` (``--sizes 75000,150000,300000``,
``--formats table,csv`` to choose, ``--repeat`` for the median of several runs). A format
refused by the ``export_rows`` limit (JSON, Markdown, the workbook beyond 50,000 ledger
rows) is timed to its refusal and marked so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AGENCIES = ["local_authority", "nhs", "dwp", "police", "housing"]
TARGET_SECONDS, TARGET_BYTES = 20.0, 1_000_000_000
SUFFIX = {"table": ".txt", "markdown": ".md", "json": ".json", "csv": ".csv", "xlsx": ".xlsx"}


def model(n: int) -> dict:
    """The synthetic model: ``n`` one-year cost lines (made-up round numbers) and one outcome."""
    return {"name": "synthetic (made-up numbers)", "price_base": "2024/25", "horizon": 1,
            "costs": [{"name": f"cost {i}", "agency": AGENCIES[i % 5], "amounts": [1000]} for i in range(n)],
            "outcomes": [{"name": "outcome", "cohort": 10, "success": 0.5,
                          "value": {"components": [{"type": "fiscal", "agency": "nhs", "amount": 300}]}}]}


def run(path: Path, fmt: str, folder: Path) -> tuple[float, int, bool]:
    """Seconds and peak resident bytes of one ``cba appraise`` process, and whether it was
    refused by the ``export_rows`` limit (exit status 2 naming it)."""
    out = folder / f"out{SUFFIX[fmt]}"
    if out.exists():
        out.unlink()
    argv = [sys.executable, "-m", "cba", "appraise", str(path)]
    argv += [] if fmt == "table" else ["--format", fmt, "-o", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    refused = proc.returncode == 2 and "export_rows" in err
    if proc.returncode != 0 and not refused:
        raise SystemExit(f"cba appraise --format {fmt} failed ({proc.returncode}): {err[-500:]}")
    return seconds, usage.ru_maxrss * 1024, refused   # ru_maxrss: kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="75000,150000,300000", help="comma-separated numbers of cost lines")
    parser.add_argument("--formats", default="table", help="comma-separated: table, markdown, json, csv, xlsx")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size and format (the median is shown)")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'lines':>8} {'format':>8} {'file MB':>8} | {'seconds':>8} {'target':>7} {'us/line':>8} | "
          f"{'peak MB':>8} {'target':>7} {'KB/line':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in [int(s) for s in args.sizes.split(",")]:
            path = folder / f"model_{n}.json"
            path.write_text(json.dumps(model(n)))
            for fmt in args.formats.split(","):
                runs = [run(path, fmt, folder) for _ in range(args.repeat)]
                seconds = statistics.median(r[0] for r in runs)
                peak = statistics.median(r[1] for r in runs)
                met = "yes" if seconds < TARGET_SECONDS and peak < TARGET_BYTES else "NO"
                if runs[0][2]:
                    met += "; refused by the export_rows limit"
                print(f"{n:>8,} {fmt:>8} {path.stat().st_size / 1e6:8.1f} | {seconds:8.2f} {'< 20':>7} "
                      f"{seconds / n * 1e6:8.1f} | {peak / 1e6:8.0f} {'< 1000':>7} {peak / n / 1e3:8.2f}"
                      f"  (target met at 300,000 lines: {met})" if n == 300_000 else
                      f"{n:>8,} {fmt:>8} {path.stat().st_size / 1e6:8.1f} | {seconds:8.2f} {'':>7} "
                      f"{seconds / n * 1e6:8.1f} | {peak / 1e6:8.0f} {'':>7} {peak / n / 1e3:8.2f}")


if __name__ == "__main__":
    main()
