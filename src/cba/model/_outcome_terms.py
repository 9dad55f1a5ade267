"""Outcome payments as contracts are signed: rate cards, ladders, several payers, a top-up.

An :class:`OutcomePayment` pays a payee (a provider, or a council) for outcomes
achieved. The simplest pays one price for one outcome. A contract as signed (the
Government Outcomes Lab's INDIGO data records many) pays a **rate card**: several
:class:`Tariff` s, each for an outcome, some of them **ladders** of :class:`Rung` s
(entry, then sustained at 3, 6, 12 months), under one contract maximum (``cap``);
it may cap what any one participant earns (``per_person_cap`` on a ladder); the bill
is shared by several :class:`Payer` s, each up to its committed maximum, and a
:class:`TopUp` fund pays a share of every payment up to its award. Payments can be
made ``payment_lag`` years after the outcomes are achieved.

Everything is counted per participant: the participants of an intake year are the
outcome's cohort times its engagement rate times ``funded_share`` (and at most
``funded_count`` over the contract); an outcome is achieved by participants times its
success rate (on ``basis``, after optimism bias); a rung is reached by those at the
previous rung times its ``reach``. How the engine turns these into money, and how a
year that crosses a maximum is cut, is in :mod:`cba.partnership._evaluate`.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from cba.model._base import AgencyId, FinancialYear, Name, NonNegative, NonNegativeWhole, Rate, _Model

#: A price, fee or contribution: one amount for every year, or a list by year.
Amounts = NonNegative | list[NonNegative]


class TopUp(_Model):
    """A third partner that pays a share of every outcome payment (a top-up fund), up to its award."""

    payer: AgencyId = Field(description="Partner that pays the top-up, e.g. a central fund.")
    share: Rate = Field(description="Share of each payment the top-up payer covers. A fraction in [0, 1].")
    award: NonNegative | None = Field(None, description="The most the top-up pays over the contract (pounds "
                                      "at the price base, undiscounted); none means no limit.")


class Payer(_Model):
    """One of several commissioners sharing an agreement's outcome payments."""

    payer: AgencyId = Field(description="Partner that pays.")
    share: Rate | None = Field(None, description="Its share of each payment (with `split: shares`). A "
                               "fraction in [0, 1].")
    maximum: NonNegative | None = Field(None, description="The most it pays over the contract (its "
                                        "committed maximum, pounds at the price base, undiscounted).")


class Rung(_Model):
    """One rung of a ladder (progression) tariff: a price for those who get this far."""

    name: Name | None = Field(None, description="Name of the rung, e.g. `sustained 6 months`.")
    price: Amounts = Field(0.0, description="Pounds per participant reaching this rung: one price, or a "
                           "list by year of intake.")
    lag: NonNegativeWhole = Field(0, description="Years after the previous rung (the first rung: after the "
                                  "outcome is achieved) at which this rung is reached.")
    reach: Rate = Field(1.0, description="Share of those at the previous rung who reach this one (the "
                        "first rung: of those achieving the outcome). A fraction in [0, 1].")


class Tariff(_Model):
    """One line of a rate card: a price for an outcome, or a ladder of rungs for it."""

    name: Name | None = Field(None, description="Name of the tariff, shown in tables.")
    outcome: str = Field(description="Name of the outcome paid for (as in `outcomes`).")
    price: Amounts = Field(0.0, description="Pounds per outcome achieved, for a tariff without rungs: one "
                           "price, or a list by year of intake.")
    rungs: list[Rung] | None = Field(None, description="A ladder: the rungs in order, each with its price, "
                                     "lag and the share reaching it.")
    per_person_cap: NonNegative | None = Field(None, description="The most paid for one participant over "
                                               "the ladder's rungs (pounds at the prices' price year, like "
                                               "the prices).")
    unless: str | None = Field(None, description="Name of another tariff of the card: this one pays only for "
                               "participants who do not achieve that one (an alternative results payment); "
                               "counted as if the two outcomes were independent.")

    @model_validator(mode="after")
    def _one_form(self) -> Tariff:
        if self.rungs is not None and not self.rungs:
            raise ValueError("rungs: give at least one rung, or leave rungs out and give a price")
        if self.rungs is not None and self.price != 0.0:
            raise ValueError("price: a ladder's prices are its rungs'; give either price or rungs")
        if self.rungs is not None:  # what one person can earn up the ladder must be a number
            total = sum(max(r.price if isinstance(r.price, list) else [r.price], default=0.0) for r in self.rungs)
            if not math.isfinite(total):
                raise ValueError("rungs: the prices up the ladder add up to more than can be computed "
                                 "(beyond 1.8e+308 pounds a person)")
        return self

    def ladder(self) -> list[Rung]:
        """The tariff as rungs (a tariff without rungs is one rung at its price)."""
        return list(self.rungs) if self.rungs is not None else [Rung(price=self.price)]


class OutcomePayment(_Model):
    """Payment by results: payers pay a payee for outcomes achieved.

    For participants starting in year ``c`` (the outcome's cohort), the payee
    receives ``attachment_fee[c]`` per participant in year ``c`` and ``price[c]`` per
    outcome achieved in the year the outcome is first achieved (``c + lag``), both
    for the ``funded_share`` of the cohort only. Outcomes are counted on ``basis``:
    ``gross`` (every success, what a commissioner observes) or ``net`` (successes
    net of deadweight, as against a comparison group), after the outcome's
    optimism-bias correction unless ``optimism_bias`` is false. No results payment
    is made while the outcome's success rate on that basis is below
    ``threshold``. Payments are capped at ``cap_per_year`` each year and ``cap``
    over the contract; a ``top_up`` payer covers its share of what is paid.

    A rate card gives ``tariffs`` instead of ``outcome`` and ``price``; ``cap`` is
    then the one maximum over all of them. ``payers`` shares the bill between
    several commissioners (``split: shares`` or ``in_order``), each up to its
    maximum; what no payer will cover is reported as unfunded, and the payee is not
    paid it.
    """

    name: Name | None = Field(None, description="Name of the agreement, shown in tables.")
    payer: AgencyId | None = Field(None, description="Partner that pays for the outcomes (the commissioner); "
                                   "or give `payers`.")
    payers: list[Payer] | None = Field(None, description="Several commissioners sharing the payments, each up "
                                       "to its maximum.")
    split: Literal["shares", "in_order"] | None = Field(None, description="How `payers` share a payment: by "
                                                 "their `share`s, or in the order listed, each paying until "
                                                 "its maximum is reached (default: shares).")
    payee: AgencyId = Field(description="Partner paid for the outcomes (a provider, or a council).")
    outcome: str | None = Field(None, description="Name of the outcome paid for (as in `outcomes`); or give "
                                "`tariffs`.")
    tariffs: list[Tariff] | None = Field(None, description="A rate card: a tariff (or ladder) for each outcome "
                                         "paid for, under one contract maximum (`cap`).")
    basis: Literal["gross", "net"] = Field(
        description="Count outcomes `gross` (every success) or `net` of deadweight; must be chosen.")
    price: Amounts = Field(0.0, description="Pounds per outcome achieved: one price, or a list by year of "
                           "intake (the year the participant started).")
    attachment_fee: Amounts = Field(0.0, description="Pounds per participant engaged, paid in the year of "
                                    "intake: one fee, or a list by year of intake.")
    funded_share: Rate = Field(1.0, description="Share of the cohort the agreement pays for (Troubled "
                               "Families: 5 of every 6 families). A fraction in [0, 1].")
    funded_count: NonNegative | None = Field(None, description="The most participants the agreement pays for "
                                             "over the contract, first come first funded (\"up to N "
                                             "families\").")
    threshold: Rate | None = Field(None, description="Success rate (on `basis`) below which no results "
                                   "payment is made for an outcome (per cohort). A fraction in [0, 1].")
    threshold_overall: Rate | None = Field(None, description="Success rate across all the rate card's "
                                           "outcomes, weighted by participants, at which every tariff pays "
                                           "(with `threshold`: either condition pays). A fraction in [0, 1].")
    cap_per_year: NonNegative | None = Field(None, description="Largest total payment in any one year "
                                             "(pounds at the price base).")
    cap: NonNegative | None = Field(None, description="Largest total payment over the contract, the contract "
                                    "maximum (pounds at the price base, undiscounted).")
    payment_lag: NonNegativeWhole | None = Field(None, description="Years between achieving an outcome (or engaging a "
                                          "participant) and being paid for it; payments falling beyond the "
                                          "horizon are not counted (default 0).")
    top_up: TopUp | None = Field(None, description="A partner that covers a share of every payment.")
    optimism_bias: bool = Field(True, description="Reduce the expected count of outcomes by the outcome's "
                                "optimism-bias correction, as its benefits are.")
    price_year: FinancialYear | None = Field(None, description="Price year of every amount of the agreement "
                                             "(`price`, `attachment_fee`, the tariffs' prices and per-person caps, "
                                             "`cap`, `cap_per_year`, the payers' maxima and the top-up's award); "
                                             "none means the price base.")
    terms: Literal["real", "cash"] | None = Field(
        None, description="`cash`: every amount of the agreement (prices, fees, caps, maxima, the top-up's award) "
        "is in pounds of the year it is paid, and each year's payments are converted to the price base with the "
        "deflator's forecast; `real` or none: at `price_year` prices.")

    @model_validator(mode="after")
    def _one_form(self) -> OutcomePayment:
        if self.terms == "cash" and self.price_year is not None:
            raise ValueError("price_year: cash amounts are in pounds of the year paid; give terms: cash or a "
                             "price_year, not both")
        if (self.payer is None) == (self.payers is None):
            raise ValueError("payer: give either payer or payers")
        if self.payers is not None:
            if not self.payers:
                raise ValueError("payers: name at least one payer")
            names = [p.payer for p in self.payers]
            if len(set(names)) < len(names):
                raise ValueError("payers: a payer is listed twice")
            shares = [p.share for p in self.payers]
            if self.split in (None, "shares"):
                if any(s is None for s in shares):
                    raise ValueError("payers: with split: shares, give every payer a share")
                total = sum(s for s in shares if s is not None)
                if abs(total - 1.0) > 1e-9:
                    raise ValueError(f"payers: the shares must sum to 1, got {total:.10g}")
            elif any(s is not None for s in shares):
                raise ValueError("payers: with split: in_order, payers pay in turn up to their maxima; give no "
                                 "shares")
        if (self.outcome is None) == (self.tariffs is None):
            raise ValueError("outcome: give either outcome (with price) or tariffs (a rate card)")
        if self.tariffs is not None:
            if not self.tariffs:
                raise ValueError("tariffs: give at least one tariff")
            names = [tariff.name or tariff.outcome for tariff in self.tariffs]
            for j, tariff in enumerate(self.tariffs):
                if tariff.unless is not None and (tariff.unless not in names or names.index(tariff.unless) == j):
                    raise ValueError(f"tariffs[{j}].unless: {tariff.unless!r} is not another tariff of the card "
                                     f"(tariffs: {', '.join(names)})")
            if self.price != 0.0:
                raise ValueError("price: a rate card's prices are its tariffs'; give either price or tariffs")
        return self

    @property
    def payer_ids(self) -> list[str]:
        """Every partner that pays under the agreement, top-up last."""
        ids = [self.payer] if self.payer is not None else [p.payer for p in self.payers or []]
        return [*ids, *([self.top_up.payer] if self.top_up is not None else [])]

    @property
    def outcomes(self) -> list[str]:
        """The outcomes paid for, in order (one for a single tariff)."""
        return [self.outcome] if self.outcome is not None else [t.outcome for t in self.tariffs or []]

    @property
    def card(self) -> list[Tariff]:
        """The agreement as a rate card (one tariff for a single outcome and price)."""
        if self.tariffs is not None:
            return list(self.tariffs)
        assert self.outcome is not None  # checked: one of outcome or tariffs
        return [Tariff(outcome=self.outcome, price=self.price)]

    @property
    def is_simple(self) -> bool:
        """One outcome, one payer, no maxima on payers or top-up, no lag, count cap or overall threshold:
        the form every agreement had before rate cards (evaluated by the same code as then, so to the last digit)."""
        return (self.tariffs is None and self.payers is None and not self.payment_lag
                and self.funded_count is None and self.threshold_overall is None
                and (self.top_up is None or self.top_up.award is None))
