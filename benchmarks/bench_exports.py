"""Benchmark: business-case tables and exports of a large appraisal.

THE MODEL IS SYNTHETIC. It exists only to measure speed: outcomes, cost lines and a
horizon chosen to make a large ledger. Its cohorts, rates, costs and unit values are
made-up round numbers; they describe no real intervention and must not be used as
evidence for one.

For each size it prints the ledger's rows, the time to build every table, the time
of each export format (Markdown, CSV, JSON, Excel), and the CSV and Excel times as
ratios to a baseline measured in the same run (pandas writing the bare ledger as
CSV), and checks that the Excel
workbook's present value of costs equals the engine's to the penny.

Run: ``python benchmarks/bench_exports.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import io
import platform
import time

import openpyxl

import cba
import cba.outputs.tables._tables as tables
from cba.outputs.export._formats import to_csv, to_json, to_markdown, to_xlsx

AGENCIES = ["local_authority", "nhs", "dwp", "police", "housing"]


def synthetic(outcomes: int, lines: int, horizon: int) -> dict:
    """A made-up model of the given size (see the module docstring)."""
    costs = [{"name": f"cost {i}", "agency": AGENCIES[i % len(AGENCIES)], "amounts": [1000.0] * horizon,
              "confidence": 1 + i % 6} for i in range(lines)]
    outs = [{"name": f"outcome {i}", "cohort": [100.0] * min(horizon, 5), "engagement": 0.8, "success": 0.5,
             "deadweight": 0.2, "lag": i % 3, "duration": 5, "drop_off": 0.1, "confidence": 1 + i % 6,
             "value": {"components": [
                 {"type": "fiscal", "agency": AGENCIES[i % len(AGENCIES)], "amount": 500.0, "cashable": 0.5},
                 {"type": "fiscal", "agency": AGENCIES[(i + 1) % len(AGENCIES)], "amount": 200.0,
                  "transfer": True},
                 {"type": "economic", "amount": 1000.0}, {"type": "social", "amount": 300.0}]}}
            for i in range(outcomes)]
    return {"name": "synthetic", "price_base": "2024/25", "horizon": horizon, "costs": costs, "outcomes": outs}


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5x5x10,20x10x30,50x20x60",
                        help="comma-separated OUTCOMESxLINESxHORIZON (default: %(default)s)")
    args = parser.parse_args()
    print(f"cba {cba.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{'size':>10} {'ledger rows':>11} {'tables s':>9} {'markdown s':>10} {'csv s':>7} "
          f"{'json s':>7} {'xlsx s':>7} {'xlsx KB':>8} {'baseline s':>10} {'csv/base':>8} {'xlsx/base':>9}")
    for size in args.sizes.split(","):
        n_outcomes, n_lines, horizon = (int(x) for x in size.split("x"))
        a = cba.appraise(synthetic(n_outcomes, n_lines, horizon))
        _, t_tables = timed(lambda a=a: tables.all_tables(a))
        _, t_md = timed(lambda a=a: to_markdown(a))
        _, t_csv = timed(lambda a=a: to_csv(a))
        _, t_json = timed(lambda a=a: to_json(a))
        data, t_xlsx = timed(lambda a=a: to_xlsx(a))
        # baseline: pandas writing the bare ledger, the least any export can cost
        _, t_base = timed(lambda a=a: a.ledger.to_csv(index=False))
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        pv = next(r[2] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)
                  if r[1] == "Present value of costs")
        assert round(pv, 2) == round(a.metrics["pv_costs"], 2)
        print(f"{size:>10} {len(a.ledger):>11} {t_tables:>9.3f} {t_md:>10.3f} {t_csv:>7.3f} {t_json:>7.3f} "
              f"{t_xlsx:>7.3f} {len(data) / 1024:>8.0f} {t_base:>10.3f} {t_csv / t_base:>8.1f} {t_xlsx / t_base:>9.1f}")


if __name__ == "__main__":
    main()
