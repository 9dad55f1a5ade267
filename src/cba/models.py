"""Typed models of an appraisal's input.

An :class:`Intervention` holds everything the engine needs: price base, horizon,
discounting, optimism-bias table, cost lines by agency and year, and outcomes with
their cohort, additionality rates, timing and unit value. Models validate on
construction and serialise to and from JSON and YAML without loss.

Field names are the contract of the model file format: they may be added to, never
renamed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    model_serializer,
    model_validator,
)

from .agencies import CANONICAL_AGENCIES
from .deflators import DEFAULT_DEFLATOR
from .discounting import (
    GREEN_BOOK_BAND_STARTS,
    GREEN_BOOK_HEALTH_RATES,
    GREEN_BOOK_LOWER_RATES,
    GREEN_BOOK_RATES,
    banded_rates,
    discount_factors,
)
from .errors import CBAError, ModelError, in_file
from .value_for_money import (  # noqa: F401  (re-exported: part of the model file format)
    DFT_VALUE_FOR_MONEY,
    DFT_VALUE_FOR_MONEY_SOURCE,
    ValueForMoneyBand,
    ValueForMoneyBands,
)
from .model_base import (  # noqa: F401  (re-exported: the field types are part of cba.models)
    AgencyId,
    FinancialYear,
    Grade,
    NonNegative,
    NonNegativeWhole,
    Number,
    Rate,
    Whole,
    _not_bool,
    _fy,
    _Model,
    _non_negative,
    _rate,
    _slug,
)
from .partnership.terms import (  # noqa: F401  (the deal's models are part of the model file)
    Funding,
    GainShare,
    OutcomePayment,
    Partnership,
    Payment,
    PooledBudget,
    TopUp,
)


#: The longest horizon, lag, duration or band start, in years (whole numbers far beyond it
#: would overflow the engine's integer arithmetic; no appraisal needs them).
MAX_YEARS = 1000


# ---------------------------------------------------------------- agencies
class Agency(_Model):
    """An organisation that bears costs or banks fiscal savings.

    ``id`` is a lower-case slug; the canonical ids are listed in
    :data:`cba.agencies.CANONICAL_AGENCIES`.
    """

    id: AgencyId
    name: str

    @classmethod
    def canonical(cls) -> list["Agency"]:
        return [cls(id=k, name=v) for k, v in CANONICAL_AGENCIES.items()]


# ---------------------------------------------------------------- schedules
class DiscountBand(_Model):
    """A discount rate in force from ``start_year`` until the next band starts."""

    start_year: Annotated[int, Field(ge=0, le=MAX_YEARS), BeforeValidator(_not_bool)]
    rate: Rate


class DiscountSchedule(_Model):
    """How future years are discounted.

    Written in a model file as ``green_book`` (the Green Book STPR schedule),
    ``green_book_health`` (the Green Book rate for health and life values),
    ``green_book_lower`` (the lower-rate sensitivity test of the February 2026
    Green Book update), ``{rate: 0.05}`` (a constant rate) or
    ``{bands: [{start_year: 0, rate: 0.035}, ...]}`` (custom bands). See
    :mod:`cba.discounting` for the sources.

    Examples
    --------
    >>> DiscountSchedule.from_dict("green_book").factors(3).round(6)
    array([1.      , 0.966184, 0.933511])
    >>> DiscountSchedule.from_dict({"rate": 0.05}).factors(2)
    array([1.        , 0.95238095])
    """

    kind: Literal["green_book", "green_book_health", "green_book_lower", "constant", "custom"] = "green_book"
    rate: Rate | None = None
    bands: list[DiscountBand] | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"kind": data}
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return {"kind": "constant", "rate": data}
        if isinstance(data, dict) and "kind" not in data:
            if "bands" in data:
                return {"kind": "custom", **data}
            if "rate" in data:
                return {"kind": "constant", **data}
        return data

    @model_validator(mode="after")
    def _consistent(self):
        if self.kind == "constant" and self.rate is None:
            raise ValueError("a constant discount schedule needs a rate, e.g. {rate: 0.035}")
        if self.kind == "custom":
            if not self.bands:
                raise ValueError("a custom discount schedule needs bands, e.g. {bands: [{start_year: 0, rate: 0.035}]}")
            starts = [b.start_year for b in self.bands]
            if starts[0] != 0 or starts != sorted(set(starts)):
                raise ValueError("custom bands must start at year 0 and have increasing start years")
        if self.kind in GREEN_BOOK_SCHEDULES and (self.rate is not None or self.bands):
            raise ValueError(f"{self.kind} takes no rate or bands")
        if self.kind == "constant" and self.bands:
            raise ValueError("a constant schedule takes a rate, not bands")
        return self

    @model_serializer(mode="plain")
    def _compact(self):
        if self.kind == "constant":
            return {"rate": self.rate}
        if self.kind == "custom":
            return {"bands": [{"start_year": b.start_year, "rate": b.rate} for b in self.bands or []]}
        return self.kind

    def rates(self, horizon: int):
        """Rate in force in each year ``0 .. horizon-1``."""
        if self.kind == "green_book":
            return banded_rates(horizon, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_RATES)
        if self.kind == "green_book_health":
            return banded_rates(horizon, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_HEALTH_RATES)
        if self.kind == "green_book_lower":
            return banded_rates(horizon, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_LOWER_RATES)
        if self.kind == "constant":
            return banded_rates(horizon, [0], [self.rate])
        bands = self.bands or []
        return banded_rates(horizon, [b.start_year for b in bands], [b.rate for b in bands])

    def factors(self, horizon: int, first_year_discounted: bool = False):
        """Discount factors for years ``0 .. horizon-1``."""
        return discount_factors(self.rates(horizon), first_year_discounted)

    def describe(self) -> str:
        if self.kind == "green_book":
            return "HM Treasury Green Book STPR (3.5% for years 0-30, declining thereafter)"
        if self.kind == "green_book_health":
            return "HM Treasury Green Book health rate (1.5% for years 0-30, declining thereafter)"
        if self.kind == "green_book_lower":
            return ("HM Treasury Green Book lower-rate sensitivity test, February 2026 update "
                    "(3.0% for years 0-30, declining thereafter)")
        if self.kind == "constant":
            return f"constant {self.rate:.4%}"
        return "custom bands " + ", ".join(f"{b.rate:.4%} from year {b.start_year}" for b in self.bands or [])


#: Schedules named by the Green Book (they take no rate or bands).
GREEN_BOOK_SCHEDULES = ("green_book", "green_book_health", "green_book_lower")


def default_health_schedule(discounting: DiscountSchedule) -> DiscountSchedule:
    """The schedule for health components when ``health_discounting`` is not given.

    The Green Book discounts health and life values at its health rate beside the
    standard rate, so ``green_book`` and its lower-rate sensitivity test put
    health components on ``green_book_health``; any other schedule (a constant or
    custom rate, or ``green_book_health`` itself) is the analyst's choice for the
    whole model and applies to health components too.

    >>> default_health_schedule(DiscountSchedule.from_dict("green_book")).kind
    'green_book_health'
    >>> default_health_schedule(DiscountSchedule.from_dict({"rate": 0.05})).rate
    0.05
    """
    if discounting.kind in ("green_book", "green_book_lower"):
        return DiscountSchedule(kind="green_book_health")
    return discounting


#: GM confidence grade -> optimism bias correction (the published six values).
GM_OPTIMISM_BIAS: dict[int, float] = {1: 0.0, 2: 0.05, 3: 0.10, 4: 0.15, 5: 0.25, 6: 0.40}


class OptimismBiasTable(_Model):
    """Confidence grade -> optimism bias correction.

    ``gm`` is the published GM table (grade 1: 0%, 2: 5%, 3: 10%, 4: 15%, 5: 25%,
    6: 40%). A custom table is ``{name: mine, grades: {1: 0.0, 2: 0.1}}``; its
    corrections must not fall as the grade rises (a weaker grade never carries a
    smaller correction).

    >>> OptimismBiasTable.from_dict("gm").correction(3)
    0.1
    >>> OptimismBiasTable.from_dict("gm").correction(None)
    0.0
    """

    name: str = "gm"
    grades: dict[Grade, Rate] = Field(default_factory=lambda: dict(GM_OPTIMISM_BIAS))

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            if data != "gm":
                raise ValueError(f"unknown optimism-bias table {data!r}: use 'gm' or {{name: ..., grades: {{1: 0.0, ...}}}}")
            return {"name": "gm"}
        if isinstance(data, dict) and "grades" not in data and data.get("name", "gm") == "gm":
            return {"name": "gm"}
        return data

    @model_validator(mode="after")
    def _monotone(self):
        if not self.grades:
            raise ValueError("grades: at least one grade is needed")
        items = sorted(self.grades.items())
        for (g0, v0), (g1, v1) in zip(items, items[1:]):
            if v1 < v0:
                raise ValueError(f"grades: the correction for grade {g1} ({v1}) is below that for grade {g0} ({v0})")
        return self

    @model_serializer(mode="plain")
    def _compact(self):
        if self.name == "gm" and self.grades == GM_OPTIMISM_BIAS:
            return "gm"
        return {"name": self.name, "grades": {int(k): v for k, v in sorted(self.grades.items())}}

    def correction(self, grade: int | None) -> float:
        """Optimism bias for a grade; no grade means no correction."""
        if grade is None:
            return 0.0
        try:
            return float(self.grades[grade])
        except KeyError:
            raise CBAError(f"confidence grade {grade} is not in the optimism-bias table {self.name!r} "
                           f"(grades {', '.join(map(str, sorted(self.grades)))})") from None


# ---------------------------------------------------------------- costs and values
class CostLine(_Model):
    """A cost of delivering the intervention, borne by one agency.

    ``amounts[t]`` is the cost in year ``t`` (pounds, at ``price_year`` prices, or at
    the price base when no price year is given). Optimism bias for ``confidence``
    uplifts it.
    """

    name: str
    agency: AgencyId
    kind: Literal["capital", "revenue", "in_kind"] = "revenue"
    amounts: list[NonNegative]
    price_year: FinancialYear | None = None
    confidence: Grade | None = None
    source: str | None = None


class ValueComponent(_Model):
    """One part of a unit value: fiscal, economic or social.

    A fiscal component names the agency that makes the saving, the share of it that
    is cashable (default 0) and whether it is a transfer payment (tax, benefits:
    a saving to the agency, excluded from public value).

    Judgements a component may carry beyond its amount:

    * ``cashable``: one share, or a list of shares by appraisal year (padded to
      the horizon with its last value), for savings that become cashable only at
      scale or once a service is decommissioned;
    * ``saving``: ``reduction`` (a budget actually reduced) or ``avoidance``
      (demand that would have come and did not); the financial case reports each;
    * ``health``: an economic or social value of health or life, discounted on
      the health schedule (see :mod:`cba.discounting`);
    * ``lag``, ``duration``, ``drop_off``: this component's own timing, replacing
      the outcome's for this component only (e.g. the economic value of better
      school attendance arrives at working age).
    """

    type: Literal["fiscal", "economic", "social"]
    amount: Number
    price_year: FinancialYear | None = None
    agency: AgencyId | None = None
    cashable: Rate | list[Rate] | None = None
    transfer: bool = False
    saving: Literal["reduction", "avoidance"] | None = None
    health: bool | None = None
    lag: Annotated[int, Field(ge=0, le=MAX_YEARS), BeforeValidator(_not_bool)] | None = None
    duration: Annotated[int, Field(ge=1, le=MAX_YEARS), BeforeValidator(_not_bool)] | None = None
    drop_off: Rate | None = None
    source: str | None = None
    unit_cost: str | None = None
    label: str | None = None
    database: str | None = None  # title and version of the unit cost data it came from

    @model_validator(mode="after")
    def _fiscal_fields(self):
        if self.type == "fiscal":
            if self.agency is None:
                raise ValueError("agency: a fiscal component needs the agency that makes the saving")
            if self.health:
                raise ValueError("health: a fiscal saving is cash and is discounted at the standard rate; "
                                 "health: true is for economic or social values of health and life")
        else:
            extra = [f for f in ("agency", "cashable", "saving") if getattr(self, f) is not None]
            if self.transfer:
                extra.append("transfer")
            if extra:
                raise ValueError(f"{', '.join(extra)}: only fiscal components carry an agency, cashable share, "
                                 "saving class or transfer flag")
        if isinstance(self.cashable, list) and not self.cashable:
            raise ValueError("cashable: give one share or a list of shares by year, not an empty list")
        return self

    @property
    def has_own_timing(self) -> bool:
        """Whether this component sets its own lag, duration or drop-off."""
        return self.lag is not None or self.duration is not None or self.drop_off is not None

    def cashable_by_year(self, horizon: int) -> list[float] | None:
        """Cashable share in each year ``0 .. horizon-1`` (a list is padded with its last value).

        >>> ValueComponent(type="fiscal", agency="nhs", amount=1, cashable=[0, 0.5]).cashable_by_year(4)
        [0.0, 0.5, 0.5, 0.5]
        """
        if self.cashable is None:
            return None
        shares = self.cashable if isinstance(self.cashable, list) else [self.cashable]
        shares = [float(x) for x in shares[:horizon]]
        return shares + [shares[-1]] * (horizon - len(shares))


class UnitValue(_Model):
    """The value of one success: explicit components or a unit-cost code.

    ``unit_cost`` names a code in the unit cost database (for example ``E&E1.0``);
    it is resolved to components before the engine runs.
    """

    components: list[ValueComponent] | None = None
    unit_cost: str | None = None
    quantity: NonNegative | None = None
    exclude: list[str] | None = None

    @model_validator(mode="after")
    def _something(self):
        if not self.components and not self.unit_cost:
            raise ValueError("give components or a unit_cost code")
        return self


class UnitCostSettings(_Model):
    """Which unit cost data resolve ``unit_cost`` codes (see :mod:`cba.unit_costs`).

    Written ``unit_costs: gmca_v1_4`` or ``unit_costs: {database: gmca_v1_4,
    supplementary: true, local: [our_costs.csv]}``. ``database`` is a shipped
    dataset or the path of a tidy CSV (e.g. a newer workbook converted with ``cba
    unit-costs import``); ``supplementary`` adds cba's newer figures from other
    public sources; ``local`` files are the user's own unit costs, which win on the
    same code. Relative paths are relative to the model file.
    """

    database: str = "gmca_v1_4"
    supplementary: bool = False
    local: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"database": data}
        return data


class Outcome(_Model):
    """A change the intervention produces for part of a cohort.

    ``cohort`` is one number (intake in year 0) or a list of intakes by year. Rates
    are fractions in [0, 1]; ``lag`` and ``duration`` are whole years.
    """

    name: str
    cohort: NonNegative | list[NonNegative]
    engagement: Rate = 1.0
    success: Rate
    deadweight: Rate = 0.0
    displacement: Rate = 0.0
    leakage: Rate = 0.0
    substitution: Rate = 0.0
    attribution: Rate = 0.0
    lag: Annotated[int, Field(ge=0, le=MAX_YEARS), BeforeValidator(_not_bool)] = 0
    duration: Annotated[int, Field(ge=1, le=MAX_YEARS), BeforeValidator(_not_bool)] = 1
    drop_off: Rate = 0.0
    quantity: NonNegative | None = None
    confidence: Grade | None = None
    cashable: Rate | dict[AgencyId, Rate] | None = None
    value: UnitValue
    source: str | None = None

    def cohort_by_year(self, horizon: int) -> list[float]:
        """Intake by year, zero-padded to the horizon."""
        intake = [self.cohort] if not isinstance(self.cohort, list) else list(self.cohort)
        return [float(x) for x in intake] + [0.0] * (horizon - len(intake))

    @property
    def effective_quantity(self) -> float:
        if self.quantity is not None:
            return self.quantity
        if self.value.quantity is not None:
            return self.value.quantity
        return 1.0


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

    name: str
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
    agency_groups: dict[str, dict[str, list[AgencyId]]] | None = Field(
        None, description="Agency groupings: grouping name to {group: [agency ids]}. A grouping called `tier` "
        "adds to or overrides the shipped tiers of government (`local`, `nhs`, `central`, `outside`).")
    partnership: Partnership | None = Field(
        None, description="A partnership deal: who funds what, pooled budget, gain-share, outcome payments "
        "and fixed payments (see [Partnership](#partnership)).")
    #: Folder of the model file, for relative paths in ``unit_costs`` (set by load_intervention).
    _base_dir: Path | None = PrivateAttr(default=None)
    #: For a programme's combined model, its interventions (set by cba.partnership.programme).
    _programme: list | None = PrivateAttr(default=None)
    #: SHA-256 of the model file's bytes as read (set by load_intervention).
    _source_sha256: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _cross_checks(self):
        problems = list(self.problems())
        if problems:
            raise ModelError(problems)
        from .model_checks import register_root

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
        from .model_checks import structure_problems

        problems = list(structure_problems(self))
        if not problems:
            problems = list(self.problems())
        if problems:
            raise ModelError(problems)

    def problems(self):
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
                yield f"costs[{i}].confidence", f"grade {c.confidence} is not in the optimism-bias table {self.optimism_bias.name!r}"
        for i, o in enumerate(self.outcomes):
            if isinstance(o.cohort, list) and len(o.cohort) > H:
                yield f"outcomes[{i}].cohort", f"{len(o.cohort)} intake years given but the horizon is {H} years"
            if o.confidence is not None and o.confidence not in grades:
                yield f"outcomes[{i}].confidence", f"grade {o.confidence} is not in the optimism-bias table {self.optimism_bias.name!r}"
            if o.quantity is not None and o.value.quantity is not None:
                yield f"outcomes[{i}].quantity", "given on the outcome and on its value; give it once"
            if isinstance(o.cashable, dict):
                for a in o.cashable:
                    if a not in known:
                        yield f"outcomes[{i}].cashable.{a}", unknown(a)
            for j, comp in enumerate(o.value.components or []):
                if comp.agency is not None and comp.agency not in known:
                    yield f"outcomes[{i}].value.components[{j}].agency", unknown(comp.agency)
                if isinstance(comp.cashable, list) and len(comp.cashable) > H:
                    yield (f"outcomes[{i}].value.components[{j}].cashable",
                           f"{len(comp.cashable)} years given but the horizon is {H} years")
        if self.agency_groups:
            from .partnership.groups import grouping_problems

            yield from grouping_problems(self.agency_groups, known)
        if self.partnership is not None:
            yield from self.partnership.problems(self, known)
        yield from self._exclusive_problems()

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
        from .deflators import year_label, year_start

        first = year_start(self.start_year)
        return [year_label(first + t) for t in range(self.horizon)]

    def discount_factors(self):
        """Discount factors of the standard schedule (costs and every non-health value)."""
        return self.discounting.factors(self.horizon, self.first_year_discounted)

    @property
    def health_schedule(self) -> DiscountSchedule:
        """The schedule for health components: ``health_discounting``, or the default
        that goes with ``discounting`` (:func:`default_health_schedule`)."""
        return self.health_discounting or default_health_schedule(self.discounting)

    def health_discount_factors(self):
        """Discount factors for value components marked ``health: true``."""
        return self.health_schedule.factors(self.horizon, self.first_year_discounted)

    # ---- display (cba.presentation)
    def __str__(self) -> str:
        from .presentation import render_model_text

        return render_model_text(self)

    def _repr_html_(self) -> str:
        from .presentation import render_model_html

        return render_model_html(self)


def load_intervention(path: str | Path) -> Intervention:
    """Read a model file (YAML or JSON, by suffix or content) into an :class:`Intervention`.

    The file is read and parsed by :func:`cba.files.load_data` (bounded, strict:
    duplicate keys are errors). User mistakes raise :class:`~cba.errors.CBAError`
    with the file and field path.
    """
    import hashlib

    from .files import data_format, decode_text, parse_data, read_bytes

    p = Path(path)
    raw = read_bytes(p, "model file")
    try:
        text = decode_text(raw, str(p))
        data = parse_data(text, "model file", source=str(p), format=data_format(p, text))
        if not isinstance(data, dict):
            raise CBAError(f"{p}: a model file must be a mapping of fields (name, price_base, costs, ...)")
        from .partnership.programme import build_programme, is_programme

        if is_programme(data):  # several interventions on one footing, one deal
            model = build_programme(data, p.resolve().parent, str(p))
        else:
            model = Intervention.from_dict(data)
            model._base_dir = p.resolve().parent
    except CBAError as exc:
        raise in_file(p, exc) from None
    model._source_sha256 = hashlib.sha256(raw).hexdigest()
    return model
