"""Fuzzing uncertainty files (issue 11, item 9): malformed sections raise only CBAError,
naming the file; analyses that run give finite money results and safe CSV."""

from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings

import cba
from cba.cli._main import main
from cba.core._errors import CBAError
from cba.uncertainty import montecarlo, one_way, scenarios
from cba.uncertainty._core import as_compiled
from cba.uncertainty._spec import UncertaintySpec

from ..conftest import EXAMPLES
from ..support.strategies import uncertainty_specs

WORKED = as_compiled(EXAMPLES / "worked_example.yaml")
MONEY = ("pv_costs", "pv_fiscal", "pv_public_value", "net_present_budget_impact", "net_present_public_value")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def finite_money(table):
    for metric in MONEY:
        if metric in table.index:
            values = np.asarray(table.loc[metric], dtype=float)
            assert np.isfinite(values).all(), (metric, values)


@FUZZ
@given(uncertainty_specs())
def test_malformed_specs_raise_only_cba_error(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            spec = UncertaintySpec.from_dict(data, source="u.yaml")
        except CBAError as exc:
            assert str(exc).startswith("u.yaml: ")
            return
        runs = []
        if spec.scenarios:
            runs.append(lambda: finite_money(scenarios(WORKED, spec.scenarios).table))
        if spec.ranges:
            runs.append(lambda: _one_way(spec))
        if spec.distributions:
            runs.append(lambda: _montecarlo(spec))
        for run in runs:
            with contextlib.suppress(CBAError):
                run()


def _one_way(spec):
    table = one_way(WORKED, spec.ranges, relative=spec.relative, metrics=list(MONEY)).table
    assert np.isfinite(table[["metric_base", "metric_low", "metric_high"]].to_numpy(float)).all()


def _montecarlo(spec):
    result = montecarlo(WORKED, spec.distributions, draws=min(spec.draws or 64, 64), seed=spec.seed or 0,
                        correlation=spec.correlation, thresholds=spec.thresholds, progress=False, workers=1)
    for metric in MONEY:
        row = result.summary.loc[metric]
        assert all(math.isfinite(float(row[c])) for c in ("mean", "min", "max", "p50")), (metric, row)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(uncertainty_specs())
def test_malformed_spec_files_give_exit_2_naming_the_file(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("spec")
    path = folder / "u.yaml"
    try:
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
    except (ValueError, OverflowError, RecursionError, yaml.YAMLError):
        return
    import contextlib
    import io

    err = io.StringIO()
    for command in ("scenarios", "montecarlo"):
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = main([command, str(EXAMPLES / "worked_example.yaml"), "--spec", str(path), "--no-progress",
                           "-n", "50"] if command == "montecarlo" else
                          [command, str(EXAMPLES / "worked_example.yaml"), "--spec", str(path)])
        assert status in (0, 2)
        if status == 2:
            message = err.getvalue().strip().splitlines()[-1]
            assert message.startswith(f"cba: error: {path}") or message.startswith("cba: error: --"), message
        assert "Traceback" not in err.getvalue()
    assert cba is not None
