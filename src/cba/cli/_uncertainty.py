"""Uncertainty commands: ``cba scenarios``, ``cba sensitivity``, ``cba switching``, ``cba montecarlo``.

Each reads a model file and an uncertainty file (``--spec``, see
:mod:`cba.uncertainty._spec`) and prints a table, or writes JSON or CSV.

Examples::

    cba scenarios model.yaml --spec uncertainty.yaml
    cba sensitivity model.yaml --spec uncertainty.yaml --metric financial_roi --chart tornado.png
    cba switching model.yaml --spec uncertainty.yaml --metric "net[dwp]"
    cba montecarlo model.yaml --spec uncertainty.yaml --draws 100000 --seed 1 -f json -o mc.json
"""

from __future__ import annotations

import io
import math
import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cba.cli._io import add_output_arguments, check_outputs, check_suffix, model_inputs, output_format, write_outputs
from cba.core._errors import CBAError
from cba.core._escaping import csv_text
from cba.core._numbers import number

if TYPE_CHECKING:  # pragma: no cover - pandas is imported by the commands that run
    import pandas as pd

FORMATS = ("table", "json", "csv")
DEFAULT_METRICS = ("financial_roi", "net_present_budget_impact", "net_present_public_value")


def _common(p, spec_help: str) -> None:
    p.add_argument("model", help="model file (YAML or JSON)")
    p.add_argument("--spec", "-s", required=True, metavar="FILE", help=spec_help)
    p.add_argument("--format", "-f", choices=FORMATS, default=None,
                   help="output format (default: from the -o file's suffix, else table)")
    add_output_arguments(p)


def register(subparsers) -> None:
    p = subparsers.add_parser("scenarios", help="appraise named scenarios side by side",
                              description="Appraise the scenarios of an uncertainty file side by side, "
                                          "with the model as given as 'base'.")
    _common(p, "uncertainty file with a 'scenarios' section")
    p.add_argument("--metric", "-m", action="append", help="metric to show (repeatable; default: all)")
    p.set_defaults(func=run_scenarios)

    p = subparsers.add_parser("sensitivity", help="one-way sensitivity and tornado data",
                              description="Move each parameter of the 'ranges' section to its low and high "
                                          "value in turn; list metrics by swing, largest first.")
    _common(p, "uncertainty file with a 'ranges' section")
    p.add_argument("--metric", "-m", action="append",
                   help=f"metric (repeatable; default: the file's 'metrics' or {', '.join(DEFAULT_METRICS)})")
    p.add_argument("--relative", type=float, help="move listed parameters by this share of their value "
                                                  "(for ranges given without low and high)")
    p.add_argument("--chart", metavar="FILE", help="write a tornado chart of the first metric (.png, .svg or .pdf)")
    p.set_defaults(func=run_sensitivity)

    p = subparsers.add_parser("switching", help="switching values of parameters",
                              description="The value of each parameter at which a metric crosses its "
                                          "threshold (ROI 1, net value 0), found by root finding.")
    _common(p, "uncertainty file with a 'switching' section (or 'ranges')")
    p.add_argument("--metric", "-m", action="append", help="metric (repeatable; default: the file's)")
    p.add_argument("--threshold", type=float, help="threshold (default: the metric's break-even)")
    p.set_defaults(func=run_switching)

    p = subparsers.add_parser("montecarlo", help="Monte Carlo (probabilistic sensitivity) analysis",
                              description="Draw the parameters of the 'distributions' section and summarise "
                                          "every metric and agency position. Same seed, same results.")
    _common(p, "uncertainty file with a 'distributions' section")
    p.add_argument("--draws", "-n", type=int, help="number of draws (default: the file's, else 10,000)")
    p.add_argument("--seed", type=int, help="random seed (default: the file's, else a new one, printed)")
    p.add_argument("--seed-scheme", type=int, choices=(1, 2), default=None,
                   help="how the seed becomes random numbers (default: the file's, else 2; "
                        "1 repeats runs made before scheme 2 existed)")
    p.add_argument("--irr", action="store_true", help="also compute the internal rate of return (slower)")
    p.add_argument("--metric", "-m", action="append",
                   help="metric to summarise (repeatable; default: the file's 'metrics', else all)")
    p.add_argument("--chunk-size", type=int, help="draws per engine call (default: from a memory budget)")
    p.add_argument("--workers", type=int, help="threads (default: the number of CPUs)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--draws-output", metavar="FILE", help="also write every draw to this CSV file")
    p.set_defaults(func=run_montecarlo)


# ---------------------------------------------------------------- helpers
def _inputs(args, model=None) -> list:
    return [args.model, args.spec, *(model_inputs(model.intervention) if model is not None else [])]


def _load(args, *extra_outputs):
    """The compiled model and the uncertainty file, once the outputs are known to be writable."""
    from cba.uncertainty._core import as_compiled
    from cba.uncertainty._spec import load_spec

    args.format = output_format(args.output, args.format, FORMATS, inputs=_inputs(args))
    if getattr(args, "draws_output", None):
        check_suffix(args.draws_output, ["csv"], "--draws-output", inputs=_inputs(args))

    check_outputs([args.output, *extra_outputs], args.force, _inputs(args))
    return as_compiled(args.model), load_spec(args.spec)


def _need(section: str, value, spec) -> None:
    if not value:
        raise CBAError(f"{spec.source}: no '{section}' section")


def _text(tables) -> str:
    """Tables of :mod:`cba.outputs.tables._uncertainty` as text, one under another."""
    from cba.outputs._format import render_table_text

    return "\n\n".join(render_table_text(t) for t in tables)


def _emit(args, model, frame: pd.DataFrame, text, data, extra=()) -> None:
    """Write the result (and any ``extra`` (data, path) outputs) all or none; ``text()``
    renders the table format."""
    import json

    if args.format == "json":
        out = json.dumps(data, indent=2, allow_nan=False)
    elif args.format == "csv":
        out = csv_text(frame)
    else:
        out = text()
    write_outputs([*extra, (out, args.output)], args.force, _inputs(args, model))


def _records(frame: pd.DataFrame) -> list[dict]:
    def clean(v):
        if isinstance(v, float) and math.isnan(v):
            return None
        if hasattr(v, "item"):
            v = v.item()
            if isinstance(v, float) and math.isnan(v):
                return None
        return v

    return [{k: clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


# ---------------------------------------------------------------- commands
_PATH_START = re.compile(r"^[a-z_]+(\[[^\]]*\])*(\.|:|\[| )")


@contextmanager
def _section(spec, section: str):
    """Name the uncertainty file, and the section, in any error raised inside (once)."""
    from cba.uncertainty._spec import SECTIONS

    try:
        yield
    except CBAError as exc:
        msg, where = str(exc), str(spec.source)
        if msg.startswith(where):
            raise
        if any(msg.startswith(s) and msg[len(s):len(s) + 1] in (".", ":", "[", " ") for s in SECTIONS):
            raise CBAError(f"{where}: {msg}") from None
        sep = "." if _PATH_START.match(msg) and not msg.startswith(("with ", "unknown ", "metric ")) else ": "
        raise CBAError(f"{where}: {section}{sep}{msg}") from None


def _metrics(model, args, spec, default=None):
    """The metrics asked for: on the command line (checked as such), else the file's, else ``default``."""
    from cba.uncertainty._core import check_metric

    if args.metric:
        return [check_metric(model, m) for m in args.metric]
    if spec.metrics:
        with _section(spec, "metrics"):
            return [check_metric(model, m) for m in spec.metrics]
    return default


def run_scenarios(args) -> int:
    from cba.outputs.tables._uncertainty import scenario_tables
    from cba.uncertainty._scenarios import scenarios

    model, spec = _load(args)
    _need("scenarios", spec.scenarios, spec)
    metrics = _metrics(model, args, spec)
    with _section(spec, "scenarios"):
        result = scenarios(model, spec.scenarios, metrics=metrics)
    frame = result.table.reset_index()
    _emit(args, model, frame, lambda: _text(scenario_tables(result, model).values()), result.to_dict())
    return 0


def run_sensitivity(args) -> int:
    from cba.outputs.tables._uncertainty import sensitivity_tables
    from cba.uncertainty import one_way

    if args.chart and Path(args.chart).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise CBAError(f"{args.chart}: the chart file must end in .png, .svg or .pdf")
    if args.relative is not None:
        number(args.relative, "--relative")
    model, spec = _load(args, args.chart)
    ranges = spec.ranges
    _need("ranges", ranges, spec)
    relative = args.relative if args.relative is not None else spec.relative
    metrics = _metrics(model, args, spec, list(DEFAULT_METRICS))
    with _section(spec, "ranges"):
        result = one_way(model, ranges, relative=relative, metrics=metrics)
    frame = result.table.drop(columns=["unit"])
    extra = []
    if args.chart:
        fig = result.chart(result.metrics[0])
        suffix = Path(args.chart).suffix.lower().lstrip(".")
        buf = io.BytesIO()
        fig.savefig(buf, format=suffix)
        extra.append((buf.getvalue(), args.chart))
    _emit(args, model, frame, lambda: _text(sensitivity_tables(result, model).values()), _records(frame), extra)
    return 0


def run_switching(args) -> int:
    from cba.outputs.tables._uncertainty import switching_records, switching_tables
    from cba.uncertainty import switching_value
    from cba.uncertainty._core import check_metric

    if args.threshold is not None:
        number(args.threshold, "--threshold")
    model, spec = _load(args)
    section = "switching" if spec.switching_parameters else "ranges"
    params = spec.switching_parameters or (list(spec.ranges) if spec.ranges else None)
    _need("switching", params, spec)
    assert params is not None  # _need refused an empty section
    if isinstance(params, dict):
        params = {k: (tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in params.items()}
    if args.metric:
        metrics = _metrics(model, args, spec)
    elif spec.switching_metrics:
        with _section(spec, "switching.metrics"):
            metrics = [check_metric(model, m) for m in spec.switching_metrics]
    else:
        metrics = _metrics(model, args, spec, ["financial_roi"])
    items = list(params.items()) if isinstance(params, dict) else [(p, None) for p in params]
    with _section(spec, section):  # as cba.uncertainty.switching_values, keeping each answer
        values = [switching_value(model, path, m, args.threshold, within=within)
                  for m in metrics for path, within in items]
    frame = switching_records(values)
    _emit(args, model, frame, lambda: _text(switching_tables(values, model).values()), _records(frame))
    return 0


def run_montecarlo(args) -> int:
    import sys

    from cba.uncertainty._core import check_draws
    from cba.uncertainty._montecarlo import montecarlo

    for name in ("chunk_size", "workers"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise CBAError(f"--{name.replace('_', '-')}: must be 1 or more, got {value}")
    if args.seed is not None and args.seed < 0:
        raise CBAError(f"--seed: must be a whole number 0 or more, got {args.seed}")
    if args.draws is not None:
        check_draws(args.draws, "--draws")
    model, spec = _load(args, args.draws_output)
    _need("distributions", spec.distributions, spec)
    draws = args.draws if args.draws is not None else (spec.draws if spec.draws is not None else 10_000)
    seed = args.seed if args.seed is not None else spec.seed
    scheme = args.seed_scheme if args.seed_scheme is not None else spec.seed_scheme
    metrics = _metrics(model, args, spec)
    if args.draws_output:  # the kept draws must fit in memory: say so before the run
        from cba.uncertainty._core import metric_names

        n_metrics = len(metrics) if metrics else len(metric_names(model)) - (0 if args.irr else 1)
        check_draws(draws, "--draws" if args.draws is not None else f"{spec.source}: draws",
                    kept_columns=n_metrics + len(spec.distributions))
    thresholds = spec.thresholds
    if metrics:  # the file's thresholds for metrics left out of this run do not apply
        keep = {m.replace(" ", "") for m in metrics}
        thresholds = {k: v for k, v in thresholds.items() if k.replace(" ", "") in keep}
    with _section(spec, "distributions"):
        result = montecarlo(model, spec.distributions, draws=draws, seed=seed, correlation=spec.correlation,
                            thresholds=thresholds, include_irr=args.irr, keep_draws=bool(args.draws_output),
                            metrics=metrics, chunk_size=args.chunk_size, workers=args.workers,
                            progress=False if args.no_progress else None,
                            **({} if scheme is None else {"seed_scheme": scheme}))
    if seed is None:
        print(f"seed: {result.seed} (pass --seed {result.seed} --seed-scheme {result.seed_scheme} to repeat "
              "this run)", file=sys.stderr)
    frame = result.summary.reset_index()
    from cba.outputs.tables._uncertainty import montecarlo_tables

    extra = [(csv_text(result.draws_frame(), index=True), args.draws_output)] if args.draws_output else []
    tables, data = list(montecarlo_tables(result, model).values()), result.to_dict()
    if "net_present_public_value" in result.metrics:   # the accounts, with the chance benefits exceed costs
        from cba.ledger._appraisal import appraise
        from cba.outputs.tables._accounts import accounts_table

        appraisal = appraise(model.intervention)
        tables.append(accounts_table(appraisal, result))
        data["accounts"] = appraisal.accounts(result)
    _emit(args, model, frame, lambda: _text(tables), data, extra)
    return 0
