"""Benchmark: an appraisal, the start-up of ``import cba`` and of the command line,
and a portfolio through ``appraise_many``, each beside its target.

Every figure is the median of ``--repeat`` runs (processes for the start-up
times), and each is printed with a reference measured in the same run, so that a
ratio survives a busy machine:

- appraise: ``cba.appraise("examples/worked_example.yaml")`` in-process (reading,
  validating, compiling, the engine and every metric), beside the ledger-based
  appraisal it replaced (the same, plus building the tidy ledger and aggregating
  the metrics from it). Target: under 4 ms.
- start-up: ``python -c "import cba"`` (target under 0.3 s), ``cba --version``, and
  ``cba appraise examples/family_key_worker.yaml`` as a whole process (target
  under 0.45 s), beside ``python -c pass`` and ``python -c "import numpy, pydantic,
  yaml"`` (what any appraisal must load).
- portfolio: ``appraise_many`` on 1,000 variants of the Monte Carlo benchmark's
  synthetic model (20 outcomes, 10 cost lines, 10 years, 3 agencies; made-up
  numbers, see ``bench_montecarlo.py``), IRR included, the interventions already
  validated; beside the time to compile them alone (the part the batched engine
  does not touch) and one-at-a-time appraisal rows. Target: under 0.5 s.
- model size: ``cba.appraise`` of the same synthetic model with 10,000 outcomes
  (40,000 value components; already validated), target under 0.3 s, and the peak
  memory of an appraisal and of the uncertainty engine (64 draws through the
  general path, every parameter drawn, and through the per-timing profiles) at
  1,000 and 10,000 outcomes: ten times the outcomes should take about ten times
  the memory (linear), not the hundred times of an outcome x component matrix.

Run: ``python benchmarks/bench_core.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORKED = REPO / "examples" / "worked_example.yaml"
FAMILY = REPO / "examples" / "family_key_worker.yaml"
TARGET_APPRAISE_MS = 4.0
TARGET_IMPORT_S = 0.3
TARGET_CLI_S = 0.45
TARGET_PORTFOLIO_S = 0.5
TARGET_LARGE_S = 0.3            # 10,000 outcomes


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def process_times(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """Median wall time of each command, run in turn ``repeat`` times (interleaved, so that
    a busy spell of the machine falls on all of them alike)."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(max(1, repeat)):
        for name, cmd in commands.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def bench_appraise(repeat: int) -> None:
    import cba
    from cba.engine import compile_model
    from cba.engine._evaluate import evaluate
    from cba.ledger._appraisal import Appraisal
    from cba.ledger._ledger import build_ledger

    model = cba.load_intervention(WORKED)

    def ledger_path():
        compiled = compile_model(model)
        return Appraisal(model, compiled, build_ledger(compiled, evaluate(compiled)))

    cba.appraise(WORKED), ledger_path()                                        # warm-up
    from_file = median_time(lambda: cba.appraise(WORKED), repeat) * 1e3
    from_model = median_time(lambda: cba.appraise(model), repeat) * 1e3
    old = median_time(ledger_path, repeat) * 1e3
    print(f"appraise worked example (median of {repeat}): from the file {from_file:.2f} ms, from a loaded "
          f"model {from_model:.2f} ms; the ledger-based appraisal of a loaded model {old:.2f} ms "
          f"({old / from_model:.1f}x)")
    print(f"   target: from the file < {TARGET_APPRAISE_MS} ms: {verdict(from_file < TARGET_APPRAISE_MS)}")


def bench_startup(repeat: int) -> None:
    py = sys.executable
    needs = "python -c 'import numpy, pydantic, yaml'"
    cba_cmd = [str(Path(py).with_name("cba"))] if Path(py).with_name("cba").exists() else [py, "-m", "cba"]
    t = process_times({
        "python -c pass": [py, "-c", "pass"],
        needs: [py, "-c", "import numpy, pydantic, yaml"],
        "python -c 'import cba'": [py, "-c", "import cba"],
        "cba --version": [*cba_cmd, "--version"],
        "cba appraise examples/family_key_worker.yaml": [*cba_cmd, "appraise", str(FAMILY)],
    }, repeat)
    print(f"start-up, whole processes (median of {repeat}):")
    for name, seconds in t.items():
        print(f"   {name:<46} {seconds:6.3f} s")
    imp, cli = t["python -c 'import cba'"], t["cba appraise examples/family_key_worker.yaml"]
    print(f"   targets: import cba {imp:.3f} s < {TARGET_IMPORT_S} s: {verdict(imp < TARGET_IMPORT_S)}; "
          f"cba appraise {cli:.3f} s < {TARGET_CLI_S} s: {verdict(cli < TARGET_CLI_S)} "
          f"({cli / t[needs]:.2f}x the libraries it needs)")


def bench_portfolio(repeat: int, size: int) -> None:
    sys.path.insert(0, str(HERE))
    from bench_montecarlo import synthetic_model
    from cba.engine import compile_model
    from cba.uncertainty import appraise_many
    from cba.uncertainty._distributed import appraisal_row

    base = synthetic_model()
    models = []
    for i in range(size):                       # distinct interventions: success rates vary
        m = base.model_copy(deep=True)
        m.name = f"variant {i}"
        for j, o in enumerate(m.outcomes):
            o.success = min(1.0, o.success * (0.6 + 0.8 * ((i * 7 + j) % 100) / 100))
        models.append(m)
    appraise_many(models[:20])                                                  # warm-up
    batched = median_time(lambda: appraise_many(models), repeat)
    compiling = median_time(lambda: [compile_model(m, provenance=False) for m in models], repeat)  # as appraise_many
    few = models[:max(1, size // 10)]
    one_at_a_time = median_time(lambda: [appraisal_row(m) for m in few], repeat) * size / len(few)
    print(f"portfolio of {size:,} benchmark-size interventions, IRR included (median of {repeat}): "
          f"appraise_many {batched:.3f} s, of which compiling the models about {compiling:.3f} s "
          f"({compiling / batched:.0%}); one at a time {one_at_a_time:.3f} s ({one_at_a_time / batched:.1f}x)")
    print(f"   target: < {TARGET_PORTFOLIO_S} s: {verdict(batched < TARGET_PORTFOLIO_S)}")


def bench_large(repeat: int, size: int) -> None:
    import tracemalloc

    import numpy as np

    sys.path.insert(0, str(HERE))
    import cba
    import cba.engine._profiles as profiles
    from bench_montecarlo import synthetic_model
    from cba.engine import PARAMETER_SHAPES, compile_model
    from cba.engine._evaluate import evaluate_totals

    def engine_memory(compiled) -> tuple[float, float]:
        """Peak bytes of 64 draws through the general path (every parameter drawn) and the profiles."""
        rng = np.random.default_rng(0)
        every = {k: np.repeat(compiled.params[k][None], 64, axis=0) for k in PARAMETER_SHAPES}
        every["success"] = every["success"] * rng.uniform(0.8, 1.2, (64, 1))
        timing = {"success": every["success"], "duration": every["duration"] + rng.integers(0, 2, (64, 1))}
        peaks = []
        for run in (lambda: evaluate_totals(compiled, every), lambda: profiles.present_values(compiled, timing)):
            tracemalloc.start()
            run()
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        return peaks[0], peaks[1]

    rows = []
    for n in (size // 10, size):
        model = synthetic_model(n)
        cba.appraise(model)                                                     # warm-up
        seconds = median_time(lambda model=model: cba.appraise(model).metrics, repeat)
        tracemalloc.start()
        _ = cba.appraise(model).metrics
        appraisal_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        compiled = compile_model(model)
        general, fast = engine_memory(compiled)
        rows.append((n, compiled.n_components, seconds, appraisal_peak, general, fast))
    print(f"model size: the synthetic model with more outcomes (4 value components each), median of {repeat}")
    for n, k, seconds, a, g, f in rows:
        print(f"   {n:>6,} outcomes ({k:,} components): appraise {seconds:.3f} s; peak memory: appraisal "
              f"{a / 2**20:6.1f} MB, 64 draws general path {g / 2**20:6.1f} MB, profiles {f / 2**20:6.1f} MB")
    (n0, k0, _, a0, g0, f0), (n1, k1, t1, a1, g1, f1) = rows
    dense = n1 * k1 * 8
    print(f"   memory x{n1 // n0} outcomes: appraisal x{a1 / a0:.1f}, general path x{g1 / g0:.1f}, profiles "
          f"x{f1 / f0:.1f} (an outcome x component matrix would be x{(n1 * k1) / (n0 * k0):.0f}: "
          f"{dense / 2**30:.1f} GB at {n1:,} outcomes)")
    linear = max(a1 / a0, g1 / g0, f1 / f0) < 1.5 * n1 / n0
    print(f"   target: {n1:,} outcomes appraise in {t1:.3f} s < {TARGET_LARGE_S} s: {verdict(t1 < TARGET_LARGE_S)}; "
          f"memory linear: {verdict(linear)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="median of this many runs (default 7)")
    ap.add_argument("--appraise-repeat", type=int, default=200, help="appraisals timed (default 200)")
    ap.add_argument("--portfolio", type=int, default=1000, help="interventions in the portfolio (default 1000)")
    ap.add_argument("--outcomes", type=int, default=10_000, help="outcomes of the large model (default 10000)")
    ap.add_argument("--only", choices=["startup", "appraise", "portfolio", "size"], nargs="+",
                    help="run only these parts")
    args = ap.parse_args(argv)
    import numpy as np

    print(f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPU(s), "
          f"{platform.machine()}")
    only = set(args.only or ["startup", "appraise", "portfolio", "size"])
    if "startup" in only:
        bench_startup(args.repeat)
    if "appraise" in only:
        bench_appraise(args.appraise_repeat)
    if "portfolio" in only:
        bench_portfolio(args.repeat, args.portfolio)
    if "size" in only:
        bench_large(args.repeat, args.outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
