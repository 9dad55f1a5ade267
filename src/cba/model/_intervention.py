"""Typed models of an appraisal's input.

An :class:`Intervention` holds everything the engine needs: price base, horizon,
discounting, optimism-bias table, cost lines by agency and year, and outcomes with
their cohort, additionality rates, timing and unit value. Models validate on
construction and serialise to and from JSON and YAML without loss.

This module holds :class:`Intervention` (its checks across fields); reading a model
file is :func:`cba.engine._loading.load_intervention`. The models nested in it live
beside it:

- :mod:`cba.model._settings`: :class:`~cba.model._settings.Agency`,
  :class:`~cba.model._settings.DiscountSchedule`, :class:`~cba.model._settings.OptimismBiasTable`,
  :class:`~cba.model._settings.UnitCostSettings`;
- :mod:`cba.model._lines`: :class:`~cba.model._lines.CostLine`, :class:`~cba.model._lines.Outcome`,
  :class:`~cba.model._lines.UnitValue`, :class:`~cba.model._lines.ValueComponent`;
- :mod:`cba.model._base`: the shared field types; :mod:`cba.model._deal_terms`: the
  deal; :mod:`cba.model._value_for_money`: the value-for-money bands.

Field names are the contract of the model file format: they may be added to, never
renamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator

from cba.core._accessors import accessor
from cba.core._errors import ModelError
from cba.method._deflators import DEFAULT_DEFLATOR
from cba.model._agencies import CANONICAL_AGENCIES
from cba.model._base import AgencyId, FinancialYear, Name, _Model, _not_bool
from cba.model._deal_terms import Partnership
from cba.model._lines import CostLine, Outcome
from cba.model._settings import (
    MAX_YEARS,
    Agency,
    DiscountSchedule,
    OptimismBiasTable,
    UnitCostSettings,
    default_health_schedule,
)
from cba.model._social_terms import Distribution, Wellbeing
from cba.model._value_for_money import ValueForMoneyBands

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


class Intervention(_Model):
    """The appraisal input: one option for delivering a service.

    Examples
    --------
    >>> model = Intervention.from_yaml('''
    ... name: Tiny
    ... price_base: 2024/25
    ... horizon: 2
    ... costs: [{name: Staff, agency: local_authority, amounts: [1000]}]
    ... outcomes:
    ...   - name: Fewer call-outs
    ...     cohort: 10
    ...     success: 0.5
    ...     value: {components: [{type: fiscal, agency: police, amount: 300}]}
    ... ''')
    >>> model.horizon, model.costs[0].kind
    (2, 'revenue')
    """

    name: Name
    description: str | None = None
    price_base: FinancialYear
    start_year: FinancialYear | None = None
    horizon: Annotated[int, Field(ge=1, le=MAX_YEARS), BeforeValidator(_not_bool)] = 5
    discounting: DiscountSchedule = Field(default_factory=DiscountSchedule)
    first_year_discounted: bool = False
    optimism_bias: OptimismBiasTable = Field(default_factory=OptimismBiasTable)
    deflator: str = DEFAULT_DEFLATOR
    agencies: list[Agency] = Field(default_factory=list)
    costs: list[CostLine] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    unit_costs: UnitCostSettings | None = None
    health_discounting: DiscountSchedule | None = None
    mutually_exclusive: list[Annotated[list[str], Field(min_length=2)]] | None = None
    value_for_money: ValueForMoneyBands | None = None
    wellbeing: Wellbeing | None = None
    distribution: Distribution | None = None
    participants: Annotated[float, Field(gt=0), BeforeValidator(_not_bool)] | None = None
    agency_groups: dict[str, dict[str, list[AgencyId]]] | None = Field(
        None, description="Agency groupings: grouping name to {group: [agency ids]}. A grouping called `tier` "
        "adds to or overrides the shipped tiers of government (`local`, `nhs`, `central`, `outside`).")
    partnership: Partnership | None = Field(
        None, description="A partnership deal: who funds what, pooled budget, gain-share, outcome payments "
        "and fixed payments (see [Partnership](#partnership)).")
    #: Folder of the model file, for relative paths in ``unit_costs`` (set by load_intervention).
    _base_dir: Path | None = PrivateAttr(default=None)
    #: For a programme's combined model, its interventions (set by cba.engine._loading).
    _programme: list | None = PrivateAttr(default=None)
    #: The model file it was read from, for messages (set by load_intervention).
    _source_file: str | None = PrivateAttr(default=None)
    #: SHA-256 of the model file's bytes as read (set by load_intervention).
    _source_sha256: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _cross_checks(self):
        problems = list(self.problems())
        if problems:
            raise ModelError(problems)
        from cba.model._checks import register_root

        register_root(self)  # so that a change to a nested model is named by its path
        return self

    def check(self) -> None:
        """Check the model as it stands, after changes to the models nested in it (an outcome's
        rate, a list appended to): :func:`cba.appraise` calls it.

        A change to a nested model is checked at once on its own (a rate out of range is
        refused, named by its path in the model); the checks across fields of the whole
        model (more amounts than years, an unknown agency) are made here.

        Raises
        ------
        ModelError
            Every mistake, with its field path: an item of the wrong type in a list,
            and every check across fields (:meth:`problems`).
        """
        from cba.model._checks import structure_problems

        problems = list(structure_problems(self))
        if not problems:
            problems = list(self.problems())
        if problems:
            raise ModelError(problems)

    def problems(self) -> Iterator[tuple[str, str]]:
        """Yield ``(path, message)`` for every cross-field inconsistency."""
        known = dict(CANONICAL_AGENCIES)
        for i, a in enumerate(self.agencies):
            if a.id in known and a.id not in CANONICAL_AGENCIES:
                yield f"agencies[{i}].id", f"agency {a.id!r} is declared twice"
            known[a.id] = a.name

        def unknown(agency):
            return (f"unknown agency {agency!r}; use one of {', '.join(sorted(known))} "
                    "or declare it under 'agencies'")

        grades = self.optimism_bias.grades
        H = self.horizon
        for i, c in enumerate(self.costs):
            if c.agency not in known:
                yield f"costs[{i}].agency", unknown(c.agency)
            if len(c.amounts) > H:
                yield f"costs[{i}].amounts", f"{len(c.amounts)} years given but the horizon is {H} years"
            if c.confidence is not None and c.confidence not in grades:
                yield (f"costs[{i}].confidence",
                       f"grade {c.confidence} is not in the optimism-bias table {self.optimism_bias.name!r}")
        for i, o in enumerate(self.outcomes):
            if isinstance(o.cohort, list) and len(o.cohort) > H:
                yield f"outcomes[{i}].cohort", f"{len(o.cohort)} intake years given but the horizon is {H} years"
            if o.confidence is not None and o.confidence not in grades:
                yield (f"outcomes[{i}].confidence",
                       f"grade {o.confidence} is not in the optimism-bias table {self.optimism_bias.name!r}")
            elif o.confidence is not None and grades[o.confidence] > 1:
                yield (f"outcomes[{i}].confidence",
                       f"grade {o.confidence} carries a correction of {grades[o.confidence]:.0%} in the "
                       f"optimism-bias table {self.optimism_bias.name!r}; a correction above 100% raises costs "
                       "only (a benefit cannot be cut below zero)")
            if o.quantity is not None and o.value.quantity is not None:
                yield f"outcomes[{i}].quantity", "given on the outcome and on its value; give it once"
            if o.income_group is not None and (self.distribution is None
                                               or o.income_group not in self.distribution.groups):
                groups = ", ".join(self.distribution.groups) if self.distribution else "none: add 'distribution'"
                yield f"outcomes[{i}].income_group", f"unknown income group {o.income_group!r} (groups: {groups})"
            if isinstance(o.cashable, dict):
                for key in o.cashable:
                    if key not in known:
                        yield f"outcomes[{i}].cashable.{key}", unknown(key)
            for j, comp in enumerate(o.value.components or []):
                if comp.agency is not None and comp.agency not in known:
                    yield f"outcomes[{i}].value.components[{j}].agency", unknown(comp.agency)
                if comp.unit == "wellby" and self.wellbeing is None:
                    yield (f"outcomes[{i}].value.components[{j}].unit",
                           "a value in WELLBYs needs the value of a WELLBY: add 'wellbeing' (value, low, high, "
                           "price_year, source)")
                if isinstance(comp.cashable, list) and len(comp.cashable) > H:
                    yield (f"outcomes[{i}].value.components[{j}].cashable",
                           f"{len(comp.cashable)} years given but the horizon is {H} years")
        yield from self._name_problems(known)
        if self.agency_groups:
            from cba.model._agency_groups import grouping_problems

            yield from grouping_problems(self.agency_groups, known)
        if self.partnership is not None:
            yield from self.partnership.problems(self, known)
        yield from self._exclusive_problems()

    def _name_problems(self, known: dict[str, str]) -> Iterator[tuple[str, str]]:
        """Agency, cost line and outcome names that are different spellings of one name."""
        from cba.model._names import clashes

        declared = {a.id: i for i, a in enumerate(self.agencies)}
        yield from clashes((f"agencies[{declared[a]}].name" if a in declared else f"agency {a!r}", name)
                           for a, name in known.items())
        yield from clashes((f"costs[{i}].name", c.name) for i, c in enumerate(self.costs))
        yield from clashes((f"outcomes[{i}].name", o.name) for i, o in enumerate(self.outcomes))

    def _exclusive_problems(self):
        """Outcomes declared mutually exclusive share one cohort and split it."""
        by_name: dict[str, list[int]] = {}
        for i, o in enumerate(self.outcomes):
            by_name.setdefault(o.name, []).append(i)
        for g, group in enumerate(self.mutually_exclusive or []):
            where = f"mutually_exclusive[{g}]"
            found = []
            for name in group:
                idx = by_name.get(name, [])
                if not idx:
                    yield where, f"no outcome is named {name!r} (outcomes: {', '.join(by_name) or 'none'})"
                elif len(idx) > 1:
                    yield where, f"{len(idx)} outcomes are named {name!r}; give them distinct names"
                elif idx[0] in found:
                    yield where, f"{name!r} is named twice"
                else:
                    found.append(idx[0])
            if len(found) != len(group):
                continue
            H = self.horizon
            first = self.outcomes[found[0]]
            for i in found[1:]:
                if self.outcomes[i].cohort_by_year(H) != first.cohort_by_year(H):
                    yield where, (f"{self.outcomes[i].name!r} and {first.name!r} have different cohorts; mutually "
                                  "exclusive outcomes are shares of one cohort (give them the same cohort)")
            share = sum(self.outcomes[i].engagement * self.outcomes[i].success for i in found)
            if share > 1.0 + 1e-12:
                yield where, (f"engagement x success adds up to {share:.4g} over these outcomes; mutually exclusive "
                              "outcomes count each person once, so it must not exceed 1")

    # ---- convenience
    @property
    def agency_names(self) -> dict[str, str]:
        """Display names of every agency the model may use."""
        return {**CANONICAL_AGENCIES, **{a.id: a.name for a in self.agencies}}

    def year_labels(self) -> list[str]:
        """Label of each appraisal year: a financial year when ``start_year`` is set."""
        if self.start_year is None:
            return [f"Year {t}" for t in range(self.horizon)]
        from cba.method._deflators import year_label, year_start

        first = year_start(self.start_year)
        return [year_label(first + t) for t in range(self.horizon)]

    def discount_factors(self) -> np.ndarray:
        """Discount factors of the standard schedule (costs and every non-health value)."""
        return self.discounting.factors(self.horizon, self.first_year_discounted)

    @property
    def health_schedule(self) -> DiscountSchedule:
        """The schedule for health components: ``health_discounting``, or the default
        that goes with ``discounting`` (:func:`default_health_schedule`)."""
        return self.health_discounting or default_health_schedule(self.discounting)

    def health_discount_factors(self) -> np.ndarray:
        """Discount factors for value components marked ``health: true``."""
        return self.health_schedule.factors(self.horizon, self.first_year_discounted)

    # ---- display (cba.outputs, reached through cba.core._accessors)
    def __str__(self) -> str:
        return str(accessor("model.text")(self))

    def _repr_html_(self) -> str:
        return str(accessor("model.html")(self))
