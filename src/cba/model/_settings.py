"""Settings of an appraisal: agencies, discount schedules, optimism bias, unit cost data.

The models here say how an :class:`~cba.model._intervention.Intervention` is appraised rather than
what it does: the agencies it declares, the discount schedule (:class:`DiscountSchedule`,
with the Green Book schedules of :mod:`cba.method._discounting`), the optimism-bias table
(:class:`OptimismBiasTable`) and which unit cost data resolve ``unit_cost`` codes
(:class:`UnitCostSettings`).

Field names are the contract of the model file format: they may be added to, never
renamed.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from pydantic import BeforeValidator, Field, model_serializer, model_validator

from cba.core._errors import CBAError
from cba.method._discounting import (
    GREEN_BOOK_BAND_STARTS,
    GREEN_BOOK_HEALTH_RATES,
    GREEN_BOOK_LOWER_HEALTH_LAST_YEAR,
    GREEN_BOOK_LOWER_HEALTH_RATES,
    GREEN_BOOK_LOWER_RATES,
    GREEN_BOOK_RATES,
    banded_rates,
    discount_factors,
)
from cba.method._discounting import MAX_YEARS as MAX_YEARS  # the longest horizon, lag, duration or band start
from cba.model._agencies import CANONICAL_AGENCIES
from cba.model._base import AgencyId, Grade, Name, NonNegative, Rate, _Model, _not_bool

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


# ---------------------------------------------------------------- agencies
class Agency(_Model):
    """An organisation that bears costs or banks fiscal savings.

    ``id`` is a lower-case slug; the canonical ids are listed in
    :data:`cba.model._agencies.CANONICAL_AGENCIES`.
    """

    id: AgencyId
    name: Name

    @classmethod
    def canonical(cls) -> list[Agency]:
        """Every canonical agency (:data:`~cba.model.CANONICAL_AGENCIES`) with its display name."""
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
    Green Book update), ``green_book_lower_health`` (the health rate of that
    test, published for years 0-125 only), ``{rate: 0.05}`` (a constant rate) or
    ``{bands: [{start_year: 0, rate: 0.035}, ...]}`` (custom bands). See
    :mod:`cba.method._discounting` for the sources.

    Examples
    --------
    >>> DiscountSchedule.from_dict("green_book").factors(3).round(6)
    array([1.      , 0.966184, 0.933511])
    >>> DiscountSchedule.from_dict({"rate": 0.05}).factors(2)
    array([1.        , 0.95238095])
    """

    kind: Literal["green_book", "green_book_health", "green_book_lower", "green_book_lower_health",
                  "constant", "custom"] = "green_book"
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

    def rates(self, horizon: int) -> np.ndarray:
        """Rate in force in each year ``0 .. horizon-1``."""
        if self.kind == "green_book":
            return banded_rates(horizon, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_RATES)
        if self.kind == "green_book_health":
            return banded_rates(horizon, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_HEALTH_RATES)
        if self.kind == "green_book_lower":
            return banded_rates(horizon, GREEN_BOOK_BAND_STARTS, GREEN_BOOK_LOWER_RATES)
        if self.kind == "green_book_lower_health":
            if horizon > GREEN_BOOK_LOWER_HEALTH_LAST_YEAR + 1:
                raise CBAError(
                    f"green_book_lower_health: the Green Book publishes the health rate of the lower-rate "
                    f"test for years 0-{GREEN_BOOK_LOWER_HEALTH_LAST_YEAR} only (Annex A6, Table 8); this "
                    f"appraisal reaches year {horizon - 1} (with the first year discounted, the horizon "
                    "counts one year more). Shorten the horizon or give health_discounting a schedule")
            return banded_rates(horizon, GREEN_BOOK_BAND_STARTS[:3], GREEN_BOOK_LOWER_HEALTH_RATES)
        if self.kind == "constant":
            return banded_rates(horizon, [0], [cast(float, self.rate)])  # set: see _consistent
        bands = self.bands or []
        return banded_rates(horizon, [b.start_year for b in bands], [b.rate for b in bands])

    def factors(self, horizon: int, first_year_discounted: bool = False) -> np.ndarray:
        """Discount factors for appraisal years ``0 .. horizon-1``.

        The bands count years from the present; with ``first_year_discounted``
        appraisal year ``t`` lies ``t + 1`` years away, so it takes the rates of
        years ``1 .. t + 1`` (:func:`cba.method._discounting.schedule_factors`).
        """
        if first_year_discounted:
            return discount_factors(self.rates(horizon + 1)[1:], first_year_discounted=True)
        return discount_factors(self.rates(horizon))

    def describe(self) -> str:
        """The schedule in words, for reports and provenance."""
        if self.kind == "green_book":
            return "HM Treasury Green Book STPR (3.5% for years 0-30, declining thereafter)"
        if self.kind == "green_book_health":
            return "HM Treasury Green Book health rate (1.5% for years 0-30, declining thereafter)"
        if self.kind == "green_book_lower":
            return ("HM Treasury Green Book lower-rate sensitivity test, February 2026 update "
                    "(3.0% for years 0-30, declining thereafter)")
        if self.kind == "green_book_lower_health":
            return ("HM Treasury Green Book health rate of the lower-rate test (1.0% for years 0-30, "
                    "0.86% for 31-75, 0.71% for 76-125)")
        if self.kind == "constant":
            return f"constant {self.rate:.4%}"
        return "custom bands " + ", ".join(f"{b.rate:.4%} from year {b.start_year}" for b in self.bands or [])


#: Schedules named by the Green Book (they take no rate or bands).
GREEN_BOOK_SCHEDULES = ("green_book", "green_book_health", "green_book_lower", "green_book_lower_health")


def default_health_schedule(discounting: DiscountSchedule) -> DiscountSchedule:
    """The schedule for health components when ``health_discounting`` is not given.

    The Green Book discounts health and life values at its health rate beside the
    standard rate, so ``green_book`` puts health components on
    ``green_book_health``, and its lower-rate sensitivity test on the health rate
    of that test, ``green_book_lower_health`` (Annex A6, Table 8); any other
    schedule (a constant or custom rate, or a health schedule itself) is the
    analyst's choice for the whole model and applies to health components too.

    >>> default_health_schedule(DiscountSchedule.from_dict("green_book")).kind
    'green_book_health'
    >>> default_health_schedule(DiscountSchedule.from_dict("green_book_lower")).kind
    'green_book_lower_health'
    >>> default_health_schedule(DiscountSchedule.from_dict({"rate": 0.05})).rate
    0.05
    """
    if discounting.kind == "green_book":
        return DiscountSchedule(kind="green_book_health")
    if discounting.kind == "green_book_lower":
        return DiscountSchedule(kind="green_book_lower_health")
    return discounting


#: GM confidence grade -> optimism bias correction (the published six values).
GM_OPTIMISM_BIAS: dict[int, float] = {1: 0.0, 2: 0.05, 3: 0.10, 4: 0.15, 5: 0.25, 6: 0.40}


class OptimismBiasTable(_Model):
    """Confidence grade -> optimism bias correction.

    ``gm`` is the published GM table (grade 1: 0%, 2: 5%, 3: 10%, 4: 15%, 5: 25%,
    6: 40%). A custom table is ``{name: mine, grades: {1: 0.0, 2: 0.1}}``; its
    corrections must not fall as the grade rises (a weaker grade never carries a
    smaller correction). A correction may exceed 1 (the Green Book's upper bounds
    for capital costs reach 200%, see :data:`cba.method._optimism_bias.GREEN_BOOK_CAPITAL_UPPER_BOUNDS`)
    but then only cost lines may use that grade: benefits are cut by ``1 - OB``.

    >>> OptimismBiasTable.from_dict("gm").correction(3)
    0.1
    >>> OptimismBiasTable.from_dict("gm").correction(None)
    0.0
    """

    name: Name = "gm"
    grades: dict[Grade, NonNegative] = Field(default_factory=lambda: dict(GM_OPTIMISM_BIAS))

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            if data != "gm":
                raise ValueError(f"unknown optimism-bias table {data!r}: use 'gm' or "
                                 "{name: ..., grades: {1: 0.0, ...}}")
            return {"name": "gm"}
        if isinstance(data, dict) and "grades" not in data and data.get("name", "gm") == "gm":
            return {"name": "gm"}
        return data

    @model_validator(mode="after")
    def _monotone(self):
        if not self.grades:
            raise ValueError("grades: at least one grade is needed")
        items = sorted(self.grades.items())
        for (g0, v0), (g1, v1) in pairwise(items):
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

