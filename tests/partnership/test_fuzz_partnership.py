"""Fuzzing deals (issue 11, item 9, for the partnership section): a malformed deal raises
only CBAError; a deal that appraises gives finite positions and conserves money."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings

import cba
from cba.core._errors import CBAError

from ..support.partnership_strategies import models_with_deals
from ..support.strategies import mutated

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(mutated(models_with_deals(max_horizon=4)))
def test_malformed_deals_raise_only_cba_errors_and_good_ones_stay_finite(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            r = cba.appraise(data).partnership()
        except CBAError:
            return
        for name, values in r.positions.items():
            v = np.asarray(values, dtype=float)
            assert not np.isinf(v).any(), name
        assert r.check().empty
        out = json.loads(r.to_json())          # allow_nan=False: no NaN or inf reaches the JSON
        assert all(p["net_after"] is None or math.isfinite(p["net_after"]) for p in out["partners"])
