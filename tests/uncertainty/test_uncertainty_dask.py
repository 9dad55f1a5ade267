"""Monte Carlo and portfolio appraisal on a local Dask cluster: identical to the local run."""

import pickle

import distributed
import numpy as np
import pytest

import cba
from cba.core._errors import CBAError
from cba.engine import compile_model
from cba.uncertainty import appraise_many, montecarlo
from cba.uncertainty._sampling import Sampler

DISTS = {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7},
         "outcomes[0].duration": {"dist": "discrete", "values": [2, 3, 4]},
         "costs[0].amounts": {"dist": "triangular", "low": 0.9, "mode": 1.0, "high": 1.5},
         "costs[1].amounts": {"dist": "lognormal", "mean": 1.0, "sd": 0.2}}
CORR = [["outcomes[0].success", "costs[0].amounts", -0.4]]


@pytest.fixture(scope="module")
def worked():
    from ..conftest import EXAMPLES

    return cba.load_intervention(EXAMPLES / "worked_example.yaml")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def test_montecarlo_on_dask_equals_local(worked, client):
    kw = dict(draws=6000, seed=404, correlation=CORR, keep_draws=True, progress=False, include_irr=True)
    local = montecarlo(worked, DISTS, chunk_size=6000, workers=1, **kw)
    remote = montecarlo(worked, DISTS, client=client, chunk_size=1024, **kw)
    assert np.array_equal(remote.values, local.values, equal_nan=True)
    assert np.array_equal(remote.samples, local.samples)
    assert remote.summary.equals(local.summary)
    assert remote.seed == local.seed == 404


def test_portfolio_on_dask_equals_local(worked, client):
    models = []
    for s in (0.2, 0.35, 0.5, 0.65, 0.8):
        m = worked.model_copy(deep=True)
        m.outcomes[0].success = s
        m.name = f"success {s}"
        models.append(m)
    models.append({"name": "tiny", "price_base": "2024/25", "horizon": 1,
                   "costs": [{"name": "c", "agency": "dwp", "amounts": [100]}]})
    local = appraise_many(models)
    remote = appraise_many(models, client=client, batch_size=2)
    assert local.equals(remote)
    assert list(local["name"]) == [m.name if hasattr(m, "name") else m["name"] for m in models]
    # the same numbers as appraising each one alone
    for i, m in enumerate(models[:5]):
        a = cba.appraise(m).metrics
        assert local.loc[i, "financial_roi"] == pytest.approx(a["financial_roi"], rel=1e-12)
        assert local.loc[i, "irr"] == pytest.approx(a["irr"], rel=1e-9)
    assert np.isnan(local.loc[5, "net[local_authority]"]) and local.loc[5, "net[dwp]"] == -100.0


def test_work_pickles_for_process_workers(worked):
    """Process-based clusters send the model and sampler by pickle: they must survive it."""
    m = compile_model(worked)
    s = Sampler(m, DISTS, seed=9, correlation=CORR)
    s2 = pickle.loads(pickle.dumps(s))
    m2 = pickle.loads(pickle.dumps(m))
    a, b = s.sample(100, 2100), s2.sample(100, 2100)
    assert all(np.array_equal(a[p], b[p]) for p in a)
    assert m2.agencies == m.agencies and np.array_equal(m2.params["cost_real"], m.params["cost_real"])


def test_not_a_client(worked):
    with pytest.raises(CBAError, match=r"expected a dask\.distributed\.Client"):
        montecarlo(worked, DISTS, draws=10, client="localhost:8786", progress=False)
    with pytest.raises(CBAError, match=r"expected a dask\.distributed\.Client"):
        appraise_many([worked], client=object())
