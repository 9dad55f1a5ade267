"""Value for money categories of a benefit-cost ratio, as a part of the model file.

``value_for_money:`` in a model file asks for a value for money category of a
benefit-cost ratio and says whose categories they are (``dft``: the Department for
Transport's, for transport schemes). Without it no category is given: the GM method
presents the net present public value and the benefit-cost ratio without categories,
and HM Treasury's Green Book Review 2025 says that "a BCR of less than one does not
automatically constitute poor value for money". A category, when asked for, is named
for its basis (which ratio, whose categories) and shown beside the ratio, never alone.
The arithmetic is :func:`cba.method._value_for_money.value_for_money`; see
``docs/method.md`` for the sources.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import Field, model_validator

from cba.method._value_for_money import value_for_money
from cba.model._base import Name, Number, _Model

#: DfT's value for money categories of the benefit-cost ratio: (name, lowest BCR).
DFT_VALUE_FOR_MONEY: tuple[tuple[str, float | None], ...] = (
    ("poor", None), ("low", 1.0), ("medium", 1.5), ("high", 2.0), ("very high", 4.0),
)
#: Whose categories the ``dft`` bands are.
DFT_VALUE_FOR_MONEY_NAME = "DfT value for money category (transport schemes)"
#: Where the ``dft`` bands come from (the bands themselves are said once, by ``describe``).
DFT_VALUE_FOR_MONEY_SOURCE = (
    "Department for Transport, Value for Money Framework, value for money categories; see docs/method.md"
)


class ValueForMoneyBand(_Model):
    """One value for money category: its name and the lowest ratio it takes (inclusive)."""

    name: Name
    from_: Number | None = Field(default=None, alias="from")


class ValueForMoneyBands(_Model):
    """How the benefit-cost ratio is put into a value for money category.

    Written ``value_for_money: dft`` (DfT's categories for transport schemes, see
    :data:`DFT_VALUE_FOR_MONEY`) or ``{name: ..., metric: public_value_roi, bands:
    [{name: poor}, {name: low, from: 1.0}, ...], source: ...}``. Each band runs from
    its ``from`` (inclusive) to the next band's; the first has no lower bound. A ratio
    that is none (no costs) has no category. ``name`` says whose categories they are
    (it labels the category wherever it is shown). A model without ``value_for_money``
    gets no category.

    >>> ValueForMoneyBands().category(1.5)
    'medium'
    >>> ValueForMoneyBands().category(1.4999)
    'low'
    >>> ValueForMoneyBands().label()
    'DfT value for money category (transport schemes) of the benefit-cost ratio (public_value_roi)'
    """

    name: str = DFT_VALUE_FOR_MONEY_NAME
    metric: Literal["public_value_roi", "financial_roi", "cashable_roi", "economic_roi",
                    "social_roi"] = "public_value_roi"
    bands: list[ValueForMoneyBand] = Field(default_factory=lambda: [
        ValueForMoneyBand(name=n, **{"from": f}) for n, f in DFT_VALUE_FOR_MONEY])
    source: str = DFT_VALUE_FOR_MONEY_SOURCE

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            if data != "dft":
                raise ValueError(f"unknown value for money bands {data!r}: use 'dft' or {{bands: [...], source: ...}}")
            return {}
        return data

    @model_validator(mode="before")
    @classmethod
    def _own_name(cls, data: Any) -> Any:
        # bands of the model's own are not DfT's: they say so unless named
        if isinstance(data, dict) and "bands" in data and "name" not in data:
            return {**data, "name": "value for money category (the model's own bands)"}
        return data

    @model_validator(mode="after")
    def _ordered(self):
        if not self.bands:
            raise ValueError("bands: at least one band is needed")
        if self.bands[0].from_ is not None:
            raise ValueError("bands[0].from: the first band has no lower bound (leave 'from' out)")
        starts = [b.from_ for b in self.bands[1:] if b.from_ is not None]
        if len(starts) < len(self.bands) - 1:
            raise ValueError("bands: every band after the first needs 'from'")
        if starts != sorted(set(starts)):
            raise ValueError("bands: 'from' must increase from one band to the next")
        names = [b.name for b in self.bands]
        if len(set(names)) != len(names):
            raise ValueError("bands: each band needs its own name")
        return self

    def edges(self) -> tuple[list[str], list[float]]:
        """Band names and the lower edges of every band but the first."""
        return [b.name for b in self.bands], [float(cast(float, b.from_)) for b in self.bands[1:]]  # set: _ordered

    def category(self, ratio: float | None) -> str | None:
        """The band a ratio falls in; ``None`` when the ratio is none (NaN)."""
        names, edges = self.edges()
        return value_for_money(ratio, names, edges)

    def describe(self) -> str:
        """The bands in words: each category and the range of the ratio it covers."""
        names, edges = self.edges()
        parts = [f"{names[0]} below {edges[0]:g}"] if edges else [names[0]]
        for i, e in enumerate(edges, start=1):
            parts.append(f"{names[i]} from {e:g}" + (f" to {edges[i]:g}" if i < len(edges) else ""))
        return ", ".join(parts)

    def label(self) -> str:
        """What the category is: whose categories, of which ratio."""
        return f"{self.name} of {_RATIOS[self.metric]} ({self.metric})"


#: The ratio each metric is, in words.
_RATIOS = {"public_value_roi": "the benefit-cost ratio", "financial_roi": "the financial return",
           "cashable_roi": "the cashable return", "economic_roi": "the economic return",
           "social_roi": "the social return"}

#: What HM Treasury says a ratio's category is not (shown beside any category).
NOT_A_VERDICT = ("a category summarises the monetised ratio only, not a verdict: HM Treasury's Green Book "
                 "Review 2025 says \"a BCR of less than one does not automatically constitute poor value "
                 "for money\" and that the Green Book does not endorse \"arbitrary 'BCR thresholds'\"")
