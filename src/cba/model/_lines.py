"""What an appraisal counts: cost lines, outcomes and the unit values of their successes.

A :class:`CostLine` is a cost borne by one agency, by year; an :class:`Outcome` is a
change for part of a cohort, with its additionality rates, timing and the
:class:`UnitValue` of one success, made of :class:`ValueComponent` parts (fiscal,
economic, social). An :class:`~cba.model._intervention.Intervention` holds lists of both.

Field names are the contract of the model file format: they may be added to, never
renamed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from cba.model._base import (
    AgencyId,
    FinancialYear,
    Grade,
    Name,
    NonNegative,
    Number,
    Rate,
    _Model,
    _not_bool,
)
from cba.model._settings import MAX_YEARS


# ---------------------------------------------------------------- costs and values
class ProjectTypeOptimismBias(_Model):
    """The Green Book's optimism bias for a cost line by project type.

    Written ``optimism_bias: standard_buildings`` (the upper bound) or
    ``{project_type: standard_buildings, bound: lower}``. The bounds are those of
    HM Treasury's supplementary guidance on optimism bias, Table 2
    (:data:`cba.method._optimism_bias.GREEN_BOOK_OPTIMISM_BIAS`): for capital
    expenditure, so for ``kind: capital`` lines, except ``outsourcing``, whose bounds
    are for operating expenditure (``revenue`` or ``in_kind`` lines).

    >>> ProjectTypeOptimismBias.from_dict("equipment_development").correction()
    2.0
    >>> ProjectTypeOptimismBias.from_dict({"project_type": "standard_buildings", "bound": "lower"}).correction()
    0.02
    """

    project_type: Literal["standard_buildings", "non_standard_buildings", "standard_civil_engineering",
                          "non_standard_civil_engineering", "equipment_development", "outsourcing"]
    bound: Literal["upper", "lower"] = "upper"

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data):
        return {"project_type": data} if isinstance(data, str) else data

    def correction(self) -> float:
        """The correction (a fraction: 0.24 is 24%, 2.0 is 200%)."""
        from cba.method._optimism_bias import GREEN_BOOK_OPTIMISM_BIAS

        upper, lower = GREEN_BOOK_OPTIMISM_BIAS[self.project_type]
        return upper if self.bound == "upper" else lower


class CostLine(_Model):
    """A cost of delivering the intervention, borne by one agency.

    ``amounts[t]`` is the cost in year ``t`` (pounds, at ``price_year`` prices, or at
    the price base when no price year is given). Optimism bias uplifts it: by the
    model's table for its ``confidence`` grade, or by the Green Book's bound for its
    project type (``optimism_bias``, :class:`ProjectTypeOptimismBias`); one or the
    other.
    """

    name: Name
    agency: AgencyId
    kind: Literal["capital", "revenue", "in_kind"] = "revenue"
    amounts: list[NonNegative]
    price_year: FinancialYear | None = None
    confidence: Grade | None = None
    optimism_bias: ProjectTypeOptimismBias | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _one_correction(self):
        ob = self.optimism_bias
        if ob is None:
            return self
        if self.confidence is not None:
            raise ValueError("optimism_bias: give a confidence grade or a project type's optimism bias, not both")
        if (ob.project_type == "outsourcing") == (self.kind == "capital"):
            spend = "operating costs (kind revenue or in_kind)" if ob.project_type == "outsourcing" else \
                "capital costs (kind: capital)"
            raise ValueError(f"optimism_bias: the Green Book's bounds for {ob.project_type} are for {spend}")
        return self


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
      the health schedule (see :mod:`cba.method._discounting`);
    * ``lag``, ``duration``, ``drop_off``: this component's own timing, replacing
      the outcome's for this component only (e.g. the economic value of better
      school attendance arrives at working age);
    * ``unit: wellby``: a social value counted in WELLBYs (``amount`` WELLBYs per
      unit), priced at the model's value of a WELLBY (``wellbeing``);
    * ``beneficiary``: who gains, for the accounts by who benefits: ``taxpayers``
      (fiscal components, through their agency), ``participants``, ``others`` or
      ``society``; none means taxpayers for fiscal and participants otherwise.
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
    unit: Literal["wellby"] | None = None
    beneficiary: Literal["taxpayers", "participants", "others", "society"] | None = None
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
        if self.unit == "wellby":
            if self.type != "social":
                raise ValueError("unit: a value counted in WELLBYs is a social value (type: social)")
            if self.price_year is not None:
                raise ValueError("price_year: a value in WELLBYs takes the price year of the value of a WELLBY "
                                 "(wellbeing.price_year)")
        if self.type == "fiscal" and self.beneficiary not in (None, "taxpayers"):
            raise ValueError("beneficiary: a fiscal saving goes to taxpayers, through its agency")
        if self.type != "fiscal" and self.beneficiary == "taxpayers":
            raise ValueError("beneficiary: taxpayers gain through fiscal components (a saving to an agency)")
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


class Outcome(_Model):
    """A change the intervention produces for part of a cohort.

    ``cohort`` is one number (intake in year 0) or a list of intakes by year. Rates
    are fractions in [0, 1]; ``lag`` and ``duration`` are whole years.
    """

    name: Name
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
    income_group: str | None = None
    source: str | None = None

    def cohort_by_year(self, horizon: int) -> list[float]:
        """Intake by year, zero-padded to the horizon."""
        intake = [self.cohort] if not isinstance(self.cohort, list) else list(self.cohort)
        return [float(x) for x in intake] + [0.0] * (horizon - len(intake))

    @property
    def effective_quantity(self) -> float:
        """Units of the value per success per benefit year: this ``quantity``, else the unit value's, else 1."""
        if self.quantity is not None:
            return self.quantity
        if self.value.quantity is not None:
            return self.value.quantity
        return 1.0

