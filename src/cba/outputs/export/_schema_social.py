"""The results schema of the accounts by who benefits and the distributionally weighted figures."""

from __future__ import annotations

from pydantic import Field

from cba.outputs.export._schema_base import Num, Open


class AccountsRow(Open):
    """The accounts in one row: in total or per participant (pounds at the price base, discounted;
    null where a figure per participant of a vanishing cohort overflows)."""

    taxpayers: dict[str, Num] = Field(description="benefits to taxpayers through each agency (agency id: pounds)")
    participants: Num = Field(description="benefits to the participants (less transfers they no longer receive)")
    others: Num = Field(description="benefits to other people")
    society: Num = Field(description="benefits to society at large")
    total_benefits: Num = Field(description="every account together: the public value of the benefits")
    net_cost: Num = Field(description="present value of the costs")
    benefits_minus_costs: Num
    benefit_cost_ratio: Num = Field(description="total_benefits / net_cost; null when there are no costs")
    chance_benefits_exceed_costs: Num = Field(description="share of Monte Carlo draws with benefits above costs; "
                                                          "null without a Monte Carlo run")


class Accounts(Open):
    """Accounts by who benefits (Washington State Institute for Public Policy's presentation)."""

    columns: list[str] = Field(description="the accounts that occur, as table columns")
    participants: float = Field(description="people counted for the figures per participant")
    total: AccountsRow
    per_participant: AccountsRow | None = Field(description="total divided by participants; null when none")


class Distributional(Open):
    """The distributionally weighted figures, beside the unweighted ones (Green Book, Annex A3)."""

    benefits: float = Field(description="present value of public value, unweighted")
    npv: float = Field(description="net present public value, unweighted")
    weighted_benefits: float = Field(description="present value of public value, distributionally weighted")
    weighted_npv: float = Field(description="net present public value, distributionally weighted")
    elasticity: float = Field(description="elasticity of the marginal utility of income")
    weights: dict[str, float] = Field(description="weight of each income group")
