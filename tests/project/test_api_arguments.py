"""Issue 19, item 9: the public API's entry points raise cba.CBAError for every wrong argument.

A deal given as text or a number, None or a number where a model, appraisal, folder or
path is expected, a path of the wrong type: each is a CBAError naming the argument,
locally and through Dask, never a TypeError or AttributeError from deep inside.
"""

from __future__ import annotations

import pytest

import cba
import cba.engine
import cba.partnership
import cba.uncertainty
import cba.unit_costs
from cba.core._errors import CBAError
from cba.core._files import write_file

from ..conftest import EXAMPLES

WORKED = EXAMPLES / "worked_example.yaml"
DIST = {"outcomes[0].success": {"dist": "uniform", "low": 0.1, "high": 0.9}}
#: Wrong arguments where a model, appraisal, path or list is expected.
WRONG = [None, 42, 1.5, True, b"model.yaml", object(), float("nan")]


@pytest.fixture(scope="module")
def appraisal():
    return cba.appraise(WORKED)


def _count(x):
    """``x`` as a wrong count: 42 is a fine number of draws, a seed or of workers, -42 is not."""
    return -42 if x == 42 and not isinstance(x, bool) else x


#: Each public entry point with the one argument given wrongly (``x``).
ENTRY_POINTS = {
    "cba.appraise": lambda a, x: cba.appraise(x),
    "cba.compare": lambda a, x: cba.compare(x),
    "cba.compare (an option)": lambda a, x: cba.compare([a, x]),
    "cba.load_intervention": lambda a, x: cba.load_intervention(x),
    "cba.Intervention.from_dict": lambda a, x: cba.Intervention.from_dict(x),
    "cba.engine.compile_model": lambda a, x: cba.engine.compile_model(x),
    "Appraisal.partnership": lambda a, x: a.partnership(x) if x is not None else a.partnership(object()),
    "cba.partnership.appraise_deal (appraisal)": lambda a, x: cba.partnership.appraise_deal(x),
    "cba.partnership.appraise_deal (terms)": lambda a, x: cba.partnership.appraise_deal(a, x if x is not None
                                                                                          else "gain"),
    "Appraisal.to_excel": lambda a, x: a.to_excel(x),
    "cba.core._files.write_file": lambda a, x: write_file("text", x),
    "cba.unit_costs.load": lambda a, x: cba.unit_costs.load(x),
    "cba.unit_costs.from_csv": lambda a, x: cba.unit_costs.from_csv(x),
    "UnitCostDatabase.from_workbook": lambda a, x: cba.unit_costs.UnitCostDatabase.from_workbook(x),
    "cba.uncertainty.montecarlo (model)": lambda a, x: cba.uncertainty.montecarlo(x, DIST, draws=10, progress=False),
    "cba.uncertainty.montecarlo (distributions)": lambda a, x: cba.uncertainty.montecarlo(a, x, draws=10,
                                                                                           progress=False),
    "cba.uncertainty.montecarlo (draws)": lambda a, x: cba.uncertainty.montecarlo(a, DIST, draws=_count(x),
                                                                                   progress=False),
    "cba.uncertainty.montecarlo (seed)": lambda a, x: cba.uncertainty.montecarlo(
        a, DIST, draws=10, seed=_count(x) if x is not None else "seed", progress=False),
    "cba.uncertainty.montecarlo (workers)": lambda a, x: cba.uncertainty.montecarlo(
        a, DIST, draws=10, workers=_count(x) if x is not None else "2", progress=False),
    "cba.uncertainty.scenarios": lambda a, x: cba.uncertainty.scenarios(x, {"low": {}}),
    "cba.uncertainty.scenarios (scenarios)": lambda a, x: cba.uncertainty.scenarios(a, x),
    "cba.uncertainty.one_way": lambda a, x: cba.uncertainty.one_way(x, {"outcomes[0].success": [0.4, 0.6]}),
    "cba.uncertainty.switching_value": lambda a, x: cba.uncertainty.switching_value(x, "outcomes[0].success"),
    "cba.uncertainty.switching_value (parameter)": lambda a, x: cba.uncertainty.switching_value(a, x),
    "cba.uncertainty.appraise_many": lambda a, x: cba.uncertainty.appraise_many(x),
    "cba.uncertainty.appraise_many (a model)": lambda a, x: cba.uncertainty.appraise_many([a, x]),
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("wrong", WRONG, ids=["None", "42", "1.5", "True", "bytes", "object", "nan"])
def test_a_wrong_argument_is_a_cba_error(appraisal, entry, wrong):
    try:
        ENTRY_POINTS[entry](appraisal, wrong)
    except CBAError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    except BaseException as exc:  # the point: nothing else may escape
        pytest.fail(f"{entry}({wrong!r}): {type(exc).__name__}: {exc}")
    else:
        pytest.fail(f"{entry}({wrong!r}): no error")


@pytest.mark.parametrize("deal", ["gain_share", 0.2, 3, ["gain_share"], b"x"], ids=repr)
def test_a_deal_given_as_text_or_a_number_names_what_is_expected(appraisal, deal):
    with pytest.raises(CBAError, match=r"^partnership: expected deal terms: a Partnership, a dict"):
        appraisal.partnership(deal)


def test_paths_of_the_wrong_type_name_the_argument():
    with pytest.raises(CBAError, match=r"^load_intervention: path: expected a file path \(text or a pathlib.Path\), "
                                       r"got a dict"):
        cba.load_intervention({"name": "x"})
    with pytest.raises(CBAError, match=r"^unit cost CSV: expected a file path .*got None"):
        cba.unit_costs.from_csv(None)


def test_through_dask_as_locally(appraisal):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        for wrong in (None, 42):
            with pytest.raises(CBAError, match=r"^models\[1\]: expected an Intervention"):
                cba.uncertainty.appraise_many([appraisal, wrong], client=client)
            with pytest.raises(CBAError):
                cba.uncertainty.montecarlo(wrong, DIST, draws=10, progress=False, client=client)
