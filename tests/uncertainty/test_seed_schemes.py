"""Versioned seed schemes: scheme 1 repeats the draws made before scheme 2 existed,
bit for bit; scheme 2 (the default) builds a generator per parameter and thread
instead of one per parameter and block, and gives the same draws however a run is
chunked or threaded; the scheme is recorded with the results."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

import cba
import cba.uncertainty._sampling as sampling
from cba.core._errors import CBAError
from cba.engine import compile_model
from cba.uncertainty import montecarlo
from cba.uncertainty._sampling import BLOCK, SEED_SCHEME, Sampler
from cba.uncertainty._spec import UncertaintySpec

from ..conftest import EXAMPLES

DISTS = {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7},
         "outcomes[0].deadweight": {"dist": "triangular", "low": 0.1, "mode": 0.2, "high": 0.4},
         "outcomes[0].duration": {"dist": "discrete", "values": [2, 3, 4]},
         "costs[0].amounts": {"dist": "truncnormal", "mean": 1.0, "sd": 0.1, "low": 0.7, "high": 1.5},
         "costs[1].amounts": {"dist": "lognormal", "mean": 1.0, "sd": 0.2},
         "outcomes[0].engagement": {"dist": "uniform", "low": 0.6, "high": 0.9},
         "outcomes[0].drop_off": {"dist": "beta", "a": 2.0, "b": 5.0}}
CORR = [["outcomes[0].success", "costs[0].amounts", -0.4], ["outcomes[0].engagement", "outcomes[0].success", 0.3]]

#: Draws 1000 .. 5099 (parts of three blocks) with seed 20240401, made by the sampler
#: before seed schemes existed (commit 6f67e69): the SHA-256 of every parameter's
#: draws (float64, little-endian, in parameter order) and the first and last draw.
SCHEME_1 = json.loads("""
{"independent": {"sha256": "8eb0a1a3f02f9240ff4a9229fb4a2cdace251cacf010aa5b9c7c162ecf96e12d",
  "first": {"outcomes[0].success": "0x1.3d9fb7e8f846ep-1", "outcomes[0].deadweight": "0x1.a4366b62a28cbp-3",
            "outcomes[0].duration": "0x1.8000000000000p+1", "costs[0].amounts": "0x1.12200d1f6d0e7p+0",
            "costs[1].amounts": "0x1.83021a75ec1a2p-1", "outcomes[0].engagement": "0x1.57f43729c5b8cp-1",
            "outcomes[0].drop_off": "0x1.5aa82201f9e51p-3"},
  "last": {"outcomes[0].success": "0x1.12e0e737f418ap-1", "outcomes[0].deadweight": "0x1.38e7e66d631b2p-3",
           "outcomes[0].duration": "0x1.8000000000000p+1", "costs[0].amounts": "0x1.7fb7d57f46b6cp-1",
           "costs[1].amounts": "0x1.b4c9a7a3ab950p-1", "outcomes[0].engagement": "0x1.5cf7bd0f8b5b2p-1",
           "outcomes[0].drop_off": "0x1.63a6256525668p-1"}},
 "correlated": {"sha256": "23464d4a079f8b5df22bae6f57e63bc08c5a40d4d492aa7f7d4d46f2c87d5c48",
  "first": {"outcomes[0].success": "0x1.d3dc0601b7981p-2", "outcomes[0].deadweight": "0x1.a4366b62a28cbp-3",
            "outcomes[0].duration": "0x1.8000000000000p+1", "costs[0].amounts": "0x1.0e6d1e5deb0a2p+0",
            "costs[1].amounts": "0x1.83021a75ec1a2p-1", "outcomes[0].engagement": "0x1.38a83de27fbe0p-1",
            "outcomes[0].drop_off": "0x1.5aa82201f9e51p-3"},
  "last": {"outcomes[0].success": "0x1.8deaa75bb4edcp-2", "outcomes[0].deadweight": "0x1.38e7e66d631b2p-3",
           "outcomes[0].duration": "0x1.8000000000000p+1", "costs[0].amounts": "0x1.e6d4c43ce5a87p-1",
           "costs[1].amounts": "0x1.b4c9a7a3ab950p-1", "outcomes[0].engagement": "0x1.43cedd2dfa448p-1",
           "outcomes[0].drop_off": "0x1.63a6256525668p-1"}}}
""")


@pytest.fixture(scope="module")
def worked():
    return cba.load_intervention(EXAMPLES / "worked_example.yaml")


@pytest.fixture(scope="module")
def compiled(worked):
    return compile_model(worked)


def fingerprint(draws: dict, paths) -> dict:
    h = hashlib.sha256()
    for p in paths:
        h.update(np.ascontiguousarray(draws[p], dtype="<f8").tobytes())
    return {"sha256": h.hexdigest(), "first": {p: float(draws[p][0]).hex() for p in paths},
            "last": {p: float(draws[p][-1]).hex() for p in paths}}


@pytest.mark.parametrize("kind,corr", [("independent", None), ("correlated", CORR)])
def test_scheme_1_repeats_the_draws_made_before_schemes_existed(compiled, kind, corr):
    s = Sampler(compiled, DISTS, seed=20240401, correlation=corr, seed_scheme=1)
    assert fingerprint(s.sample(1000, 5100), s.paths) == SCHEME_1[kind]


def test_scheme_1_through_montecarlo(worked):
    r = montecarlo(worked, DISTS, draws=5100, seed=20240401, correlation=CORR, keep_draws=True, progress=False,
                   chunk_size=777, seed_scheme=1)
    draws = {p: r.samples[1000:, j] for j, p in enumerate(r.parameters)}
    assert fingerprint(draws, r.parameters) == SCHEME_1["correlated"]
    assert r.seed_scheme == 1 and r.to_dict()["seed_scheme"] == 1


@pytest.mark.parametrize("scheme", [1, 2])
@pytest.mark.parametrize("dists", ["all", "no drop-off"])
def test_same_draws_however_the_run_is_split(worked, scheme, dists):
    # With drop-off drawn the engine takes its general path (benefit-years summed over
    # the kernel's offsets, the powers of 1 - drop-off by repeated multiplication);
    # without, the per-timing profiles (cba.engine._profiles). Both give every draw the same
    # numbers, bit for bit, whatever the chunks, including chunks of 8,192 draws and more.
    chosen = DISTS if dists == "all" else {k: v for k, v in DISTS.items() if "drop_off" not in k}
    kw = dict(draws=20_000, seed=77, correlation=CORR, keep_draws=True, progress=False, seed_scheme=scheme)
    whole = montecarlo(worked, chosen, chunk_size=20_000, workers=1, **kw)
    for chunk_size, workers in ((1000, 2), (BLOCK, 2), (333, 1), (BLOCK * 3, 2), (8192, 2), (16_384, 1)):
        other = montecarlo(worked, chosen, chunk_size=chunk_size, workers=workers, **kw)
        assert np.array_equal(other.samples, whole.samples)
        assert np.array_equal(other.values, whole.values, equal_nan=True)
        assert other.summary.equals(whole.summary)


def test_scheme_2_is_the_default_and_differs_from_scheme_1(compiled):
    assert SEED_SCHEME == 2
    a = Sampler(compiled, DISTS, seed=5).sample(0, 3000)
    b = Sampler(compiled, DISTS, seed=5, seed_scheme=2).sample(0, 3000)
    c = Sampler(compiled, DISTS, seed=5, seed_scheme=1).sample(0, 3000)
    assert all(np.array_equal(a[p], b[p]) for p in a)
    assert not any(np.array_equal(a[p], c[p]) for p in a if "duration" not in p)


def test_scheme_2_blocks_are_the_stream_at_their_offsets(compiled):
    s = Sampler(compiled, {"outcomes[0].engagement": {"dist": "uniform", "low": 0.0, "high": 1.0}}, seed=3)
    x = s.sample(0, 3 * BLOCK)["outcomes[0].engagement"]
    key = sampling.stream_key("outcomes[0].engagement")
    for b in range(3):
        bits = np.random.PCG64(np.random.SeedSequence(3, spawn_key=key))
        bits.advance(b * sampling.STRIDE)
        u = np.random.Generator(bits).random(BLOCK) + 2.0 ** -54
        np.testing.assert_array_equal(x[b * BLOCK:(b + 1) * BLOCK], np.clip(u, 0.0, 1.0))


def test_scheme_2_draws_follow_their_distributions(compiled):
    x = Sampler(compiled, DISTS, seed=11, correlation=CORR).sample(0, 40_000)
    assert x["outcomes[0].engagement"].mean() == pytest.approx(0.75, abs=0.003)
    assert x["outcomes[0].drop_off"].mean() == pytest.approx(2 / 7, abs=0.003)
    assert x["outcomes[0].success"].mean() == pytest.approx(0.5, abs=0.003)
    assert set(np.unique(x["outcomes[0].duration"])) == {2.0, 3.0, 4.0}
    rho = np.corrcoef(x["outcomes[0].success"], x["costs[0].amounts"])[0, 1]
    assert rho == pytest.approx(-0.4, abs=0.03)
    # adding a parameter leaves the draws of the others unchanged
    fewer = {k: v for k, v in DISTS.items() if k != "outcomes[0].deadweight"}
    y = Sampler(compiled, fewer, seed=11, correlation=CORR).sample(0, 40_000)
    assert all(np.array_equal(x[p], y[p]) for p in y)


class _Counted(np.random.PCG64):
    made = 0

    def __init__(self, *args, **kwargs):
        type(self).made += 1
        super().__init__(*args, **kwargs)


@pytest.mark.parametrize("scheme,most", [(1, 7 * 10), (2, 7 + 1)])
def test_scheme_2_builds_one_generator_per_parameter_not_per_block(compiled, monkeypatch, scheme, most):
    monkeypatch.setattr(np.random, "PCG64", _Counted)
    _Counted.made = 0
    Sampler(compiled, DISTS, seed=1, seed_scheme=scheme).sample(0, 10 * BLOCK)   # 7 parameters, 10 blocks
    assert _Counted.made == most


def test_the_scheme_is_checked_and_recorded(worked, tmp_path):
    with pytest.raises(CBAError, match="seed_scheme: must be one of 1, 2, got 3"):
        montecarlo(worked, DISTS, draws=10, seed=1, seed_scheme=3, progress=False)
    with pytest.raises(CBAError, match="seed_scheme"):
        Sampler(compile_model(worked), DISTS, seed_scheme=True)
    assert UncertaintySpec.from_dict({"seed_scheme": 1}).seed_scheme == 1
    r = montecarlo(worked, DISTS, draws=10, seed=1, progress=False)
    assert r.seed_scheme == 2 and json.loads(r.to_json())["seed_scheme"] == 2


def test_the_command_line_takes_and_reports_the_scheme(tmp_path, capsys):
    from cba.cli._main import main

    spec = tmp_path / "u.yaml"
    spec.write_text('distributions:\n  "outcomes[0].success": {dist: uniform, low: 0.3, high: 0.5}\n'
                    "seed: 4\nseed_scheme: 1\ndraws: 300\n")
    model = str(EXAMPLES / "worked_example.yaml")
    assert main(["montecarlo", model, "--spec", str(spec), "--no-progress", "-f", "json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert from_file["seed_scheme"] == 1
    assert main(["montecarlo", model, "--spec", str(spec), "--no-progress", "-f", "json", "--seed-scheme", "2"]) == 0
    from_flag = json.loads(capsys.readouterr().out)
    assert from_flag["seed_scheme"] == 2 and from_flag["summary"] != from_file["summary"]
    assert main(["montecarlo", model, "--spec", str(spec), "--no-progress"]) == 0
    assert "seed 4 (seed scheme 1)" in capsys.readouterr().out
