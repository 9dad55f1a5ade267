"""JSON Schema of a partnership deal's results (``cba partnership --format json``).

The contract other tools read: ``partners`` (every partner without the deal, ``_before``, and with it, ``_after``)
and ``flows`` (every flow between partners), present values in pounds at the price
base, year labels as in the model, ``null`` for none. Objects may carry properties
the schema does not list, so a tool written against this version keeps working when
a later version adds one; the test suite checks that every property the library
writes is listed.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cba._version import __version__
from cba.outputs.export._schema_base import DRAFT, Num, Open, _trim_all


class PartnerRow(Open):
    """One partner of the deal, without the deal (``_before``) and with it (``_after``) (present values, pounds)."""

    agency: str = Field(description="partner id (an agency of the model, or one the deal names)")
    agency_name: str
    costs_before: float = Field(description="costs it bears without the deal, after optimism bias")
    funding: float = Field(description="what it funds under the deal, cash and in kind")
    funding_cash: float
    funding_in_kind: float
    savings: float = Field(description="fiscal savings it banks")
    savings_cashable: float
    received: float = Field(description="what it receives under the deal's agreements")
    paid: float = Field(description="what it pays under the deal's agreements")
    net_before: float = Field(description="savings - costs_before")
    net_after: float = Field(description="savings - funding + received - paid")
    change: float = Field(description="net_after - net_before")
    roi_before: Num = Field(description="savings / costs_before; null when it bears no cost")
    roi_after: Num = Field(description="(savings + received) / (funding + paid); null when it puts nothing in")
    payback_year_before: str | None
    payback_year_after: str | None
    payback_year: str | None = Field(description="the year label in which it breaks even with the deal; "
                                     "null when it never does")
    peak_deficit_before: float
    peak_deficit_after: float
    peak_deficit: float = Field(description="largest cumulative discounted shortfall with the deal")
    break_even_before: str = Field(description="how it stands on breaking even without the deal: 'nothing_in' "
                                   "(it puts nothing in), 'never_in_deficit', 'year' (it breaks even in "
                                   "payback_year_before) or 'not_within_horizon'; within half a penny of zero "
                                   "counts as zero")
    break_even_after: str = Field(description="the same with the deal (payback_year_after)")


class FlowRow(Open):
    """One flow between partners: an agreement and its payer."""

    from_: str = Field(alias="from", description="payer")
    to: str = Field(description="payee")
    agreement: str
    kind: str = Field(description="'gain_share', 'outcome_payment', 'top_up', 'payment', 'investment', "
                      "'investor_repayment' or 'pool_contribution' (a partner paying into a pooled budget that "
                      "another partner hosts)")
    from_name: str
    to_name: str
    real: float = Field(description="undiscounted total (pounds at the price base)")
    pv: float = Field(description="present value")


class PoolRow(Open):
    """The pooled budget in one year: spend and, by partner id, contributions."""

    year: str
    spend: float


class RiskRow(Open):
    agency: str
    mean: float
    p5: float
    median: float
    p95: float
    probability_of_loss: float = Field(description="share of draws with a net position with the deal below 0")


class Risk(Open):
    draws: int
    seed: int
    partners: list[RiskRow]


class ContractRow(Open):
    """An outcome-payment agreement written as a contract (rate card, several payers, ...)."""

    agreement: str
    earned: float = Field(description="what the outcomes and fees earned before any cap (undiscounted)")
    due: float = Field(description="what was due after the contract maximum and the yearly cap")
    payers: float = Field(description="what the payers paid")
    top_up: float = Field(description="what the top-up paid")
    unfunded: float = Field(description="due but beyond every payer's maximum: not paid to the payee")
    unfunded_pv: float = Field(description="the unfunded part's present value")


class InvestorRow(Open):
    """A social investment: the investor's money under the deal (undiscounted unless stated)."""

    agreement: str
    investor: str
    provider: str
    commitment: float
    drawn: float
    repaid_capital: float
    return_paid: float
    surplus_paid: float
    net: float
    net_pv: float = Field(description="present value of what the investor got back minus what it drew")
    money_multiple: Num = Field(description="received / drawn; null when nothing was drawn")
    irr: Num = Field(description="internal rate of return; null when the flows never change sign")
    maximum_loss: float = Field(description="the capital drawn when no outcome is achieved")


class PartnershipResultSchema(Open):
    """A partnership deal laid over an appraisal (cba partnership --format json)."""

    name: str
    intervention: str
    price_base: str
    years: list[str]
    partners: list[PartnerRow]
    flows: list[FlowRow]
    pool: list[PoolRow] | None
    shortfall: float = Field(description="how far the partnership as a whole is from breaking even; 0 when it does")
    contracts: list[ContractRow] | None = Field(None, description="only when an agreement is written as a "
                                                "contract: what each earned, was due, paid and left unfunded")
    investors: list[InvestorRow] | None = Field(None, description="only with social investments")
    terms: dict[str, Any] = Field(description="the deal's terms, as in the model file")
    risk: Risk | None = Field(None, description="with --spec: each partner's net position under uncertainty")
    warnings: list[str] = Field(default_factory=list, description="the appraisal's warnings (possible double "
                                "counting)")


class GroupRow(Open):
    group: str
    group_name: str
    agencies: str
    pv_costs: float
    pv_fiscal: float
    pv_cashable: float
    pv_transfer: float
    net: float
    cost_share: Num
    fiscal_share: Num


class Groups(Open):
    """Who pays and who saves by tier of government."""

    tier: list[GroupRow]
    central_government_share: Num = Field(description="share of all fiscal savings banked by central "
                                          "government; null when there are none")


def partnership_schema() -> dict[str, Any]:
    """JSON Schema of ``cba partnership --format json`` (without ``--solve``).

    >>> s = partnership_schema()
    >>> s["title"], {"partners", "flows"} <= set(s["required"])
    ('PartnershipResultSchema', True)
    """
    schema = PartnershipResultSchema.model_json_schema(by_alias=True)
    _trim_all(schema)
    return {"$schema": DRAFT, **schema,
            "$comment": f"cba-appraisal {__version__} partnership results"}
