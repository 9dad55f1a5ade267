"""Settings of the Green Book's wider social view: wellbeing values and distributional weights.

:class:`Wellbeing` holds the value of one WELLBY (a one-point change in life
satisfaction, on a 0-10 scale, for one person for one year) that a value component
counted in WELLBYs (``unit: wellby``) is priced at, with its low and high values
and price year. :class:`Distribution` holds the income groups of the people an
outcome reaches and their distributional weights, from the Green Book's
elasticity of marginal utility of income or given directly.

Field names are the contract of the model file format: they may be added to, never
renamed.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from cba.method._distribution import GREEN_BOOK_ELASTICITY
from cba.model._base import FinancialYear, NonNegative, _Model


class Wellbeing(_Model):
    """The value of one WELLBY, with its range and price year.

    ``value`` prices every component counted in WELLBYs (``unit: wellby``); ``low``
    and ``high`` are the published range, which ``cba sensitivity`` uses for the
    parameter ``wellbeing.value`` when no range is given. Amounts are pounds at
    ``price_year`` prices, uprated to the price base with the model's deflator like
    any other value.
    """

    value: NonNegative
    low: NonNegative | None = None
    high: NonNegative | None = None
    price_year: FinancialYear
    source: str

    @model_validator(mode="after")
    def _range(self):
        if (self.low is None) != (self.high is None):
            raise ValueError("low, high: give both ends of the range or neither")
        if self.low is not None and self.high is not None and not self.low <= self.value <= self.high:
            raise ValueError(f"value {self.value:g} must lie within low {self.low:g} and high {self.high:g}")
        return self


class IncomeGroup(_Model):
    """One income group: its income (for the Green Book's weight) or a weight given directly."""

    income: NonNegative | None = Field(None, gt=0)
    weight: NonNegative | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.income is None) == (self.weight is None):
            raise ValueError("give the group's income or its weight, not both")
        return self


class Distribution(_Model):
    """Distributional weights by income group (Green Book, Annex A3).

    A group's weight is ``(reference_income / income) ** elasticity`` (the
    Green Book's weight from the diminishing marginal utility of income), or the
    ``weight`` given for it. An outcome names its group (``income_group``); the
    benefits that go to its participants are weighted, everything else counts at
    weight 1. The weighted net present value is shown beside the unweighted one,
    never in its place.
    """

    elasticity: NonNegative = GREEN_BOOK_ELASTICITY
    reference_income: NonNegative | None = Field(None, gt=0)
    groups: dict[str, IncomeGroup]
    source: str | None = None

    @model_validator(mode="after")
    def _reference(self):
        if not self.groups:
            raise ValueError("groups: name at least one income group")
        if self.reference_income is None and any(g.income is not None for g in self.groups.values()):
            raise ValueError("reference_income: the Green Book's weight needs the reference (median) income "
                             "that each group's income is compared with")
        return self

    def weights(self) -> dict[str, float]:
        """The weight of each group.

        >>> d = Distribution(reference_income=30000, groups={"low": {"income": 15000}, "set": {"weight": 1.2}})
        >>> {k: round(v, 6) for k, v in d.weights().items()}  # 2 ** 1.3 = 2.462289
        {'low': 2.462289, 'set': 1.2}
        """
        from cba.method._distribution import income_weight  # numpy, on first use

        out: dict[str, float] = {}
        for name, g in self.groups.items():
            if g.weight is not None:
                out[name] = float(g.weight)
            else:
                assert g.income is not None and self.reference_income is not None  # checked above
                out[name] = float(income_weight(g.income, self.reference_income, self.elasticity))
        return out
