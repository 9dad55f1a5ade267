"""No non-finite numbers (issue 11, item 4): overflow names the line or parameter, in the
command line and in Python; a successful run prints no RuntimeWarning."""

from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pytest
import yaml

import cba
from cba.cli._main import main
from cba.core._errors import CBAError, ModelError
from cba.uncertainty import montecarlo, one_way, scenarios, switching_values

from ..conftest import EXAMPLES

WORKED = EXAMPLES / "worked_example.yaml"
BASE = yaml.safe_load(WORKED.read_text())


def model(**changes):
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[int(k)] if k.isdigit() else target[k]
        target[int(keys[-1]) if keys[-1].isdigit() else keys[-1]] = value
    return data


@pytest.fixture(autouse=True)
def runtime_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


@pytest.mark.parametrize("changes,path,says", [
    ({"costs__0__amounts": [1.7e308], "costs__0__price_year": "2010/11"}, "costs[0].amounts[0]",
     "at 2010/11 prices is too large to compute"),
    ({"costs__0__amounts": [1.5e308], "costs__0__confidence": 6}, "costs[0].amounts",
     "with its optimism-bias uplift the cost is too large"),
    ({"outcomes__0__value__components__1__amount": 1e308}, "outcomes[0].value.components[1].amount",
     "the benefit is too large to compute"),
    ({"outcomes__0__cohort": 1e308, "outcomes__0__value__components__0__amount": 1e10},
     "outcomes[0].value.components[0].amount", "too large"),
    ({"outcomes__0__cohort": [1e308, 1e308, 1e308, 1e308], "outcomes__0__duration": 4, "outcomes__0__lag": 0,
      "outcomes__0__drop_off": 0.0, "outcomes__0__engagement": 1.0, "outcomes__0__success": 1.0,
      "outcomes__0__deadweight": 0.0}, "outcomes[0].cohort", "the intake summed over the years is too large"),
    ({"outcomes__0__cohort": [1e308, 0, 0, 0], "outcomes__0__quantity": 1e10}, "outcomes[0].value.components[0].amount",
     "too large"),
    ({"costs__0__amounts": [1e308, 1e308]}, "costs[0].amounts", "the amounts summed over the years are too large"),
])
def test_overflow_in_a_line_names_it(changes, path, says):
    with pytest.raises(ModelError) as info:
        cba.appraise(model(**changes))
    assert isinstance(info.value, ValueError)
    assert any(p == path and says in m for p, m in info.value.problems), info.value.problems


def test_overflow_in_a_sum_names_the_lines_summed():
    data = model(costs__0__amounts=[1e308], costs__1__amounts=[1e308], costs__1__agency="local_authority")
    with pytest.raises(ModelError, match=r"costs\[0\], costs\[1\]: the costs of local_authority in year 0, "
                                         r"the sum of these lines, is too large to compute"):
        cba.appraise(data)


def test_overflow_in_a_present_value_names_the_lines():
    data = model(costs__0__amounts=[1e308], costs__1__amounts=[0, 1e308])
    with pytest.raises(ModelError, match=r"costs\[0\], costs\[1\]: the result pv_costs"):
        cba.appraise(data)


def test_overflow_on_the_command_line_names_the_file_and_line(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text(yaml.safe_dump(model(outcomes__0__value__components__0__amount=1e308)))
    for argv in (["appraise", str(path)], ["report", str(path), "--no-charts", "-o", str(tmp_path / "r.html")],
                 ["compare", str(path), str(WORKED)], ["scenarios", str(path), "--spec",
                                                       str(EXAMPLES / "worked_example_uncertainty.yaml")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"{path}: outcomes[0].value.components[0].amount:" in err and "too large" in err, err
    assert not (tmp_path / "r.html").exists()


def test_a_draw_that_overflows_names_the_parameter(tmp_path, capsys):
    m = cba.Intervention.from_dict(BASE)
    with pytest.raises(CBAError, match=r"with costs\[0\].amounts = [0-9.e+]+: .*too large to compute"):
        montecarlo(m, {"costs[0].amounts": {"dist": "lognormal", "mu": 705, "sigma": 1}}, draws=200, seed=1,
                   progress=False)
    spec = tmp_path / "u.yaml"
    spec.write_text("distributions:\n  costs[0].amounts: {dist: lognormal, mu: 705, sigma: 1}\ndraws: 200\nseed: 1\n")
    assert main(["montecarlo", str(WORKED), "--spec", str(spec), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert f"{spec}: distributions: with costs[0].amounts = " in err and "RuntimeWarning" not in err


def test_scenarios_and_ranges_that_overflow_name_the_parameter():
    m = cba.Intervention.from_dict(BASE)
    with pytest.raises(CBAError, match=r"with outcomes\[0\].value = 1e\+305"):
        scenarios(m, {"huge": {"outcomes[0].value": 1e305}})
    with pytest.raises(CBAError, match=r"with costs = 1e\+305"):
        one_way(m, {"costs": [1.0, 1e305]})


def test_results_are_finite_or_none_for_extreme_but_computable_inputs():
    a = cba.appraise(model(costs__0__amounts=[1e300], outcomes__0__value__components__1__amount=1e-300))
    for k, v in a.metrics.items():
        assert v is None or math.isfinite(v), k
    assert np.isfinite(a.ledger["real"]).all() and np.isfinite(a.ledger["discounted"]).all()
    assert "inf" not in a.to_csv().lower() and "nan" not in a.to_csv().lower()


def test_no_runtime_warning_on_a_long_horizon_with_irr():
    data = model(horizon=1000)
    a = cba.appraise(data)   # the fixture turns a RuntimeWarning into a failure
    assert a.metrics["irr"] is None or math.isfinite(a.metrics["irr"])
    switching_values(data, ["outcomes[0].success"], "financial_roi")


def test_huge_integers_are_errors_not_overflow():
    with pytest.raises(CBAError):
        cba.appraise(model(costs__0__amounts=[10 ** 400]))
    with pytest.raises(CBAError, match="too large to compute"):
        scenarios(cba.Intervention.from_dict(BASE), {"x": {"outcomes[0].success": 10 ** 400}})
    with pytest.raises(CBAError, match="must be a number"):
        montecarlo(BASE, {"outcomes[0].success": {"dist": "uniform", "low": 0, "high": 10 ** 400}}, draws=5,
                   progress=False)


def test_a_unit_cost_that_overflows_at_the_price_base_names_its_code_and_file(tmp_path, capsys):
    import cba.unit_costs

    local = tmp_path / "big.csv"
    local.write_text("code,description,value_type,value,price_year,agency\nBIG1,huge,fiscal,1.7e308,2010/11,police\n")
    for fmt in ("json", "table"):  # the CSV keeps each value at its own price year
        assert main(["unit-costs", "search", "huge", "--local", str(local), "--price-base", "2024/25", "-f", fmt]) == 2
        # the file is named as in provenance: its name and the start of its hash (issue 12, item 10)
        assert "unit cost BIG1 (big.csv (SHA-256 " in (err := capsys.readouterr().err)
        assert "): 1.7e+308 at 2010/11 prices is too large" in err
    db = cba.unit_costs.default().with_local(local)
    for call in (lambda: db.value_at("BIG1", "fiscal", "2024/25"), lambda: db.uplift("2024/25")):
        with pytest.raises(CBAError, match="too large to compute at 2024/25 prices"):
            call()
