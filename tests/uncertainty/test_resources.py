"""Issue 19, item 7: the number of threads is bounded by the machine, and the chunks in memory
by a budget, not by the number of workers asked for."""

from __future__ import annotations

import numpy as np
import pytest

import cba
import cba.uncertainty._montecarlo as mc
from cba.uncertainty._core import MAX_THREADS, max_threads

from ..conftest import EXAMPLES

DISTS = {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7}}


@pytest.fixture(scope="module")
def worked():
    return cba.load_intervention(EXAMPLES / "worked_example.yaml")


def test_max_threads_is_the_cpus_this_process_may_use(monkeypatch):
    monkeypatch.setattr(mc.core.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert max_threads() == 3
    monkeypatch.setattr(mc.core.os, "sched_getaffinity", lambda pid: set(range(500)), raising=False)
    assert max_threads() == MAX_THREADS == 64


def _spy(monkeypatch):
    seen = {}
    real = mc._map_local

    def spy(fn, model, sampler, spans, args, n, ahead=None):
        seen.update(n=n, ahead=ahead)
        return real(fn, model, sampler, spans, args, n, ahead)

    monkeypatch.setattr(mc, "_map_local", spy)
    return seen


def test_a_thousand_workers_start_no_more_threads_than_cpus(worked, monkeypatch):
    monkeypatch.setattr(mc.core.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    seen = _spy(monkeypatch)
    many = cba.uncertainty.montecarlo(worked, DISTS, draws=20_000, seed=5, workers=1000, chunk_size=2048,
                                      progress=False, keep_draws=True)
    assert seen["n"] == 2 and seen["ahead"] == 4
    one = cba.uncertainty.montecarlo(worked, DISTS, draws=20_000, seed=5, workers=1, chunk_size=2048,
                                     progress=False, keep_draws=True)
    assert np.array_equal(many.values, one.values, equal_nan=True)   # the same draws, whatever the threads


def test_chunks_in_flight_fit_the_memory_budget_whatever_the_workers(worked, monkeypatch):
    """A chunk of 2,048 draws at a pretended 64 KB a draw is 128 MB: two fit the 256 MB budget, so
    at most two threads work and two chunks are in memory at once, even with 64 CPUs and workers."""
    monkeypatch.setattr(mc.core.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.setattr(mc, "bytes_per_draw", lambda model, sampler: 64 * 1024)
    seen = _spy(monkeypatch)
    cba.uncertainty.montecarlo(worked, DISTS, draws=20_000, seed=5, workers=64, chunk_size=2048, progress=False)
    assert seen["n"] * 2048 * 64 * 1024 <= mc.IN_FLIGHT_MEMORY
    assert seen["ahead"] * 2048 * 64 * 1024 <= mc.IN_FLIGHT_MEMORY
