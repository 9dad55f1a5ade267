"""Fuzzing models (issue 11, item 9): malformed models raise only CBAError; every model
that appraises gives finite results, and exports that are safe and finite."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cba
from cba.core._errors import CBAError

from ..support.strategies import interventions, mutated

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))


def check_appraise_or_cba_error(data):
    """Appraise; a mistake must be a CBAError, and a result must be finite throughout."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            a = cba.appraise(data)
        except CBAError:
            return None
    for name, value in a.metrics.items():
        assert value is None or math.isfinite(value), name
    assert np.isfinite(a.ledger["real"].to_numpy(float)).all()
    for frame in (a.by_agency(), a.by_year()):
        numbers = frame.select_dtypes("number").to_numpy(float)
        assert not np.isinf(numbers).any()
    json.loads(a.to_json())  # allow_nan=False: raises on a non-finite number
    return a


@FUZZ
@given(mutated(interventions()))
def test_malformed_models_raise_only_cba_error(data):
    check_appraise_or_cba_error(data)


@FUZZ
@given(interventions(), st.sampled_from([1e150, 1e200, 1e300, 1e306, 1.79e308]))
def test_extreme_amounts_give_finite_results_or_name_the_line(data, big):
    for line in data["costs"]:
        line["amounts"] = [big] * len(line["amounts"])
    for o in data["outcomes"]:
        o["cohort"] = big if not isinstance(o["cohort"], list) else [big] * len(o["cohort"])
    check_appraise_or_cba_error(data)


@FUZZ
@given(mutated(interventions()), st.sampled_from(["yaml", "json"]), st.booleans(), st.booleans())
def test_malformed_model_text_raises_only_cba_error(data, fmt, bom, duplicate):
    try:
        text = yaml.safe_dump(data) if fmt == "yaml" else json.dumps(data)
    except (ValueError, OverflowError, RecursionError, yaml.YAMLError):
        return  # not serialisable: nothing to parse
    if duplicate:  # the top-level name given twice
        if fmt == "yaml" and text.startswith("name:"):
            text = "name: first\n" + text
        elif fmt == "json" and text.startswith('{"name":'):
            text = '{"name": "first", ' + text[1:]
        else:
            duplicate = False
    if bom:
        text = "\ufeff" + text
    try:
        model = cba.Intervention.from_yaml(text) if fmt == "yaml" else cba.Intervention.from_json(text)
    except CBAError:
        return
    assert not duplicate, "a duplicate key was accepted"
    check_appraise_or_cba_error(model)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=200))
def test_any_text_is_a_model_or_a_cba_error(text):
    for fmt in ("yaml", "json"):
        try:
            data = cba.core._files.parse_data(text, format=fmt)
        except CBAError:
            continue
        # what parses is plain data: mappings, lists, text, numbers, booleans or nothing
        assert data is None or isinstance(data, (dict, list, str, int, float, bool))
