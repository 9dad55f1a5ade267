"""compile_model's options: without provenance it gives the same arrays (a portfolio's
metrics need nothing else), and it leaves Python's cycle collector as it found it."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pytest
import yaml

import cba
from cba.engine import compile_model

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MODELS = sorted(p for p in EXAMPLES.rglob("*.yaml")
                if isinstance(d := yaml.safe_load(p.read_text(encoding="utf-8")), dict) and "price_base" in d
                and "candidates" not in d)  # a portfolio file is not a model
ARRAYS = ("cost_agency", "component_outcome", "component_type", "component_agency", "component_transfer",
          "component_health", "component_saving", "component_lag", "component_duration", "component_drop_off")


@pytest.mark.parametrize("path", MODELS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_without_provenance_the_arrays_are_the_same(path):
    model = cba.load_intervention(path)
    full, lean = compile_model(model), compile_model(model, provenance=False)
    assert full.cost_info and (full.component_info or not full.n_components)
    assert lean.cost_info == [] and lean.component_info == []
    assert lean.agencies == full.agencies and lean.warnings == full.warnings and lean.horizon == full.horizon
    assert sorted(lean.params) == sorted(full.params)
    for k, v in full.params.items():
        assert lean.params[k].dtype == v.dtype and np.array_equal(lean.params[k], v, equal_nan=True), k
    for name in ARRAYS:
        assert np.array_equal(getattr(lean, name), getattr(full, name), equal_nan=True), name


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(enabled):
    model = cba.load_intervention(EXAMPLES / "worked_example.yaml")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        compile_model(model)
        assert gc.isenabled() is enabled
        with pytest.raises(cba.CBAError):              # and after an error too
            compile_model(model.model_copy(update={"deflator": "no_such_series"}))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
