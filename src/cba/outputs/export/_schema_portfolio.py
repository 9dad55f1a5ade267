"""JSON Schema of a portfolio's results (``cba portfolio --format json``).

The contract other tools read: the choice, the solver's proof, and every view of
:class:`~cba.portfolios._result.PortfolioResult` as records. Money is in pounds at the
price base (values, nets and side payments present values; budgets and spend real),
``null`` for none. Objects may carry properties the schema does not list, so a tool
written against this version keeps working when a later version adds one.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cba._version import __version__
from cba.outputs.export._schema_base import DRAFT, Num, Open, _trim_all


class SolverRow(Open):
    """How sure the answer is, and under what settings."""

    bound: Num = Field(description="the solver's proven upper bound on the objective")
    gap: Num = Field(description="(bound - value) / |value|: 0 when proven optimal")
    gap_tolerance: float = Field(description="the relative gap the solver was allowed to stop at")
    time_limit: float = Field(description="seconds each MILP could run for")
    seconds: float
    relaxation_value: Num = Field(description="the linear relaxation's value, an upper bound")


class CandidateRow(Open):
    candidate: str
    chosen: bool
    objective: float = Field(description="the candidate's value under the objective (present value)")
    public_value: Num = None
    fiscal: Num = None
    spend: float = Field(description="what every partner spends on it, real, all years")


class RunnerRow(Open):
    rank: int = Field(description="1: the choice")
    value: float
    below_best: float
    count: int
    candidates: list[str]
    status: str = Field(default="optimal", description="the solver's status for this set: 'optimal', 'gap' "
                        "(within the tolerance) or 'time_limit'")
    gap: Num = Field(default=None, description="(bound - value) / |value| proven for this set: 0 when proven "
                     "the best not yet listed")


class BudgetRow(Open):
    agency: str
    agency_name: str
    year: str
    budget: Num = Field(description="null: no budget given (not limited)")
    spend: float = Field(description="spend on the chosen set, real")
    headroom: Num
    per_pound: Num = Field(description="the linear relaxation's dual: objective per extra pound (an approximation)")


class PositionRow(Open):
    agency: str
    agency_name: str
    net_before: float = Field(description="net position on the chosen set with no deal")
    net_deals: float = Field(description="after the candidates' deals")
    side_payment: float = Field(description="received under the side payments (negative: paid); sums to zero")
    net_after: float = Field(description="net_deals + side_payment")
    floor: Num


class FrontierRow(Open):
    scaling: float
    total_budget: float
    value: Num
    count: int | None
    candidates: list[str]
    status: str
    gap: Num = Field(default=None, description="(bound - value) / |value| proven at this point: 0 when proven "
                     "optimal; null when no portfolio was found")


class BindingRow(Open):
    constraint: str
    kind: str = Field(description="'budget', 'floor' or 'count'")
    agency: str | None
    year: str | None
    limit: float
    shortfall_alone: Num = Field(description="the smallest shortfall when only this constraint is relaxed; "
                                 "null when that alone cannot help")
    shortfall_jointly: Num


class RiskRow(Open):
    agency: str
    agency_name: str
    net_after: float = Field(description="central net position after side payments (present value)")
    mean: float
    p5: float
    median: float
    p95: float
    probability_of_loss: float = Field(description="share of draws with a net position below 0")


class RiskSection(Open):
    """Each partner's net position on the chosen set under Monte Carlo (side payments fixed)."""

    draws: int
    seed: int = Field(description="same seed, same result")
    drawn: list[str] = Field(description="the chosen candidates whose assumptions were drawn")
    independent: bool = Field(description="true: different candidates' draws are independent")
    partners: list[RiskRow]


class PortfolioResultSchema(Open):
    """A place's portfolio (cba portfolio --format json)."""

    name: str
    price_base: str
    objective: str
    weights: dict[str, float]
    status: str = Field(description="'optimal', 'gap', 'time_limit' or 'infeasible'")
    feasible: bool
    chosen: list[str]
    value: Num
    solver: SolverRow
    side_payments: bool
    message: str | None = Field(description="when infeasible: which constraint binds and by how much")
    candidates: list[CandidateRow]
    runners_up: list[RunnerRow]
    budgets: list[BudgetRow]
    positions: list[PositionRow]
    frontier: list[FrontierRow]
    binding: list[BindingRow]
    risk: RiskSection | None = Field(description="null when no chosen candidate names an uncertainty file")
    warnings: list[str]


def portfolio_schema() -> dict[str, Any]:
    """JSON Schema of ``cba portfolio --format json``.

    >>> s = portfolio_schema()
    >>> s["title"], {"chosen", "solver", "positions"} <= set(s["required"])
    ('PortfolioResultSchema', True)
    """
    schema = PortfolioResultSchema.model_json_schema(by_alias=True)
    _trim_all(schema)
    return {"$schema": DRAFT, **schema, "$comment": f"cba-appraisal {__version__} portfolio results"}
