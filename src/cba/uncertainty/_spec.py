"""The uncertainty file: an analyst's ranges, scenarios and distributions.

A model file holds the facts of an intervention; an uncertainty file (YAML or
JSON) holds what the analyst is unsure of, kept apart so that each range can cite
its own source. Every section is optional::

    # uncertainty.yaml: ranges and distributions for model.yaml.
    # Give the source of every range, as for any other number.
    ranges:                       # one-way sensitivity and tornado: [low, high]
      outcomes[0].success: [0.4, 0.6]
      costs[0].amounts: [0.9, 1.3]          # a multiplier
    scenarios:                    # named overrides, side by side
      pessimistic:
        outcomes[0].success: 0.4
        outcomes[0].duration: 2
      optimistic:
        outcomes[0].success: 0.6
    switching:                    # switching values of these parameters ...
      parameters:
        - outcomes[0].success
        - outcomes[0].deadweight
      metrics: [financial_roi, "net[local_authority]"]    # ... for these metrics
    distributions:                # Monte Carlo
      outcomes[0].success: {dist: pert, low: 0.3, mode: 0.5, high: 0.7}
      costs[0].amounts: {dist: triangular, low: 0.9, mode: 1.0, high: 1.5}
    correlation:
      - ["outcomes[0].success", "costs[0].amounts", -0.3]
    thresholds:                   # added to the defaults (ROI 1, net values 0)
      payback_period: "<= 3"
    draws: 10000
    seed: 20240401
    seed_scheme: 2                # optional: 1 repeats runs made before scheme 2 existed

In YAML, paths with square brackets can be written bare as mapping keys and in
block lists, but must be quoted inside ``[...]`` or ``{...}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cba.core._errors import CBAError, shown

SECTIONS = ("ranges", "relative", "scenarios", "switching", "distributions", "correlation", "thresholds",
            "draws", "seed", "seed_scheme", "metrics")


@dataclass
class UncertaintySpec:
    """The sections of an uncertainty file (see the module docstring)."""

    ranges: dict[str, Any] = field(default_factory=dict)
    relative: float | None = None
    scenarios: dict[str, dict[str, float]] = field(default_factory=dict)
    switching_parameters: Any = None
    switching_metrics: list[str] = field(default_factory=list)
    distributions: dict[str, Any] = field(default_factory=dict)
    correlation: Any = None
    thresholds: dict[str, Any] = field(default_factory=dict)
    draws: int | None = None
    seed: int | None = None
    seed_scheme: int | None = None
    metrics: list[str] | None = None
    source: str | None = None

    @classmethod
    def from_dict(cls, data: Any, source: str | None = None) -> UncertaintySpec:
        """An uncertainty file's parsed sections, checked; a mistake raises a CBAError naming ``source``."""
        where = f"{source}: " if source else ""
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise CBAError(f"{where}an uncertainty file must be a mapping of sections ({', '.join(SECTIONS)})")
        unknown = [k for k in data if k not in SECTIONS]
        if unknown:
            raise CBAError(f"{where}unknown section {unknown[0]!r}; sections are {', '.join(SECTIONS)}")

        def mapping(name):
            v = data.get(name)
            if v is None:
                return {}
            if not isinstance(v, Mapping):
                raise CBAError(f"{where}{name}: expected a mapping of parameter path to ...")
            return {str(k): x for k, x in v.items()}

        def whole(name, minimum):
            v = data.get(name)
            if v is None:
                return None
            if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
                raise CBAError(f"{where}{name}: expected a whole number {minimum} or more, got {shown(v)}")
            return v

        scen = mapping("scenarios")
        raw = data.get("scenarios") or {}
        if len(scen) < len(raw):  # e.g. 1 and "1": one name once written as text
            names = [str(k) for k in raw]
            twice = next(n for n in names if names.count(n) > 1)
            raise CBAError(f"{where}scenarios: two scenarios are both named {twice!r}; give each its own name")
        for name, overrides in scen.items():
            if overrides is not None and not isinstance(overrides, Mapping):
                raise CBAError(f"{where}scenarios.{name}: expected a mapping of parameter path to value")
        switching = data.get("switching") or {}
        if not isinstance(switching, Mapping) or set(switching) - {"parameters", "metrics"}:
            raise CBAError(f"{where}switching: expected 'parameters' and optionally 'metrics'")
        metrics = switching.get("metrics") or []
        if isinstance(metrics, str):
            metrics = [metrics]
        top_metrics = data.get("metrics")
        if isinstance(top_metrics, str):
            top_metrics = [top_metrics]
        relative = data.get("relative")
        if relative is not None and (isinstance(relative, bool) or not isinstance(relative, (int, float))):
            raise CBAError(f"{where}relative: expected a number such as 0.2, got {shown(relative)}")
        return cls(
            ranges=mapping("ranges"), relative=relative,
            scenarios={k: dict(v or {}) for k, v in scen.items()},
            switching_parameters=switching.get("parameters"), switching_metrics=list(metrics),
            distributions=mapping("distributions"), correlation=data.get("correlation"),
            thresholds=mapping("thresholds"), draws=_draws(whole("draws", 1), where), seed=whole("seed", 0),
            seed_scheme=whole("seed_scheme", 1),
            metrics=list(top_metrics) if top_metrics else None, source=source,
        )


def _draws(draws, where: str):
    if draws is None:
        return None
    from cba.uncertainty._core import check_draws

    return check_draws(draws, f"{where}draws")


def load_spec(path: str | Path) -> UncertaintySpec:
    """Read an uncertainty file (YAML or JSON, by suffix or content) through :func:`cba.core._files.load_data`.

    Raises
    ------
    CBAError
        Naming the file for a missing file, invalid YAML or JSON, a duplicate key,
        an unknown section or a bad value in a section.
    """
    from cba.core._arguments import path_argument
    from cba.core._files import load_data

    p = path_argument(path, "load_spec: path")
    try:
        data = load_data(p, "uncertainty file")
    except CBAError as exc:
        msg = str(exc)
        if "invalid YAML" in msg and "flow" in msg:
            msg += (" (inside [...] or {...}, quote parameter paths and agency metrics, "
                    "e.g. [\"outcomes[0].success\", \"net[dwp]\"])")
        raise CBAError(msg) from None
    return UncertaintySpec.from_dict(data, source=str(p))
