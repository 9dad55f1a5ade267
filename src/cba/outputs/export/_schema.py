"""Published JSON Schemas: the model file format and the results format.

:func:`model_schema` describes a model file (YAML or JSON; YAML is JSON's
superset, so the schema serves editors of both). :func:`results_schema`
describes :meth:`cba.Appraisal.to_dict` (``cba appraise --format json``).

Both are JSON Schema draft 2020-12 documents generated from pydantic models. The
results schema lets objects carry properties it does not list, so a tool written
against this version keeps working when a later version adds a result; the test
suite checks that every property the library writes is listed.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import Field, create_model
from pydantic.json_schema import GenerateJsonSchema

from cba._version import __version__
from cba.engine._metrics import METRIC_NAMES
from cba.outputs.export._schema_base import DRAFT, Num, Open, _trim_all
from cba.outputs.export._schema_partnership import Groups, PartnershipResultSchema
from cba.outputs.export._schema_social import Accounts, Distributional

_FY_PATTERN = r"^\s*\d{4}\s*[/\-]\s*(\d{2}|\d{4})\s*$"


# ---------------------------------------------------------------- the model file
class _ModelSchemaGenerator(GenerateJsonSchema):
    """Adds the ranges and patterns that the models check in validator functions."""

    def function_after_schema(self, schema):
        import cba.model._base as base

        out = self.generate_inner(schema["schema"])
        fn = schema.get("function", {}).get("function")
        extras: dict[Any, dict[str, Any]] = {
            base._rate: {"minimum": 0, "maximum": 1},
            base._non_negative: {"minimum": 0},
            base._fy: {"pattern": _FY_PATTERN, "examples": ["2024/25"]},
            base._slug: {"pattern": "^[a-z][a-z0-9_]*$"},
        }
        extra = extras.get(fn)
        return {**out, **extra} if extra and "$ref" not in out else out


def model_schema() -> dict[str, Any]:
    """JSON Schema of a model file (an :class:`~cba.model._intervention.Intervention`).

    The shorthands a model file may use (``discounting: green_book``, ``{rate:
    0.05}``, ``optimism_bias: gm``) are part of it; checks across fields (a known
    agency, amounts within the horizon) are not expressible in JSON Schema and are
    made by ``cba appraise``.

    >>> s = model_schema()
    >>> s["title"], s["required"]
    ('Intervention', ['name', 'price_base'])
    """
    from cba.model._intervention import Intervention
    from cba.model._settings import DiscountSchedule

    schema = Intervention.model_json_schema(schema_generator=_ModelSchemaGenerator)
    defs = schema["$defs"]
    kinds = list(get_args(DiscountSchedule.model_fields["kind"].annotation))  # the Literal's values
    defs["DiscountSchedule"] = {
        "title": "DiscountSchedule",
        "description": defs["DiscountSchedule"].get("description", ""),
        "anyOf": [
            {"type": "string", "enum": [k for k in kinds if k in ("green_book", "green_book_health")]},
            {"type": "number", "minimum": 0, "maximum": 1, "description": "a constant rate"},
            {k: v for k, v in defs["DiscountSchedule"].items() if k not in ("title", "description")},
        ],
    }
    defs["OptimismBiasTable"] = {
        "title": "OptimismBiasTable",
        "description": defs["OptimismBiasTable"].get("description", ""),
        "anyOf": [{"type": "string", "const": "gm"},
                  {k: v for k, v in defs["OptimismBiasTable"].items() if k not in ("title", "description")}],
    }
    if "UnitCostSettings" in defs:  # `unit_costs: gmca_v1_4` names the database alone
        defs["UnitCostSettings"] = {
            "title": "UnitCostSettings",
            "description": defs["UnitCostSettings"].get("description", ""),
            "anyOf": [{"type": "string", "description": "the unit cost database"},
                      {k: v for k, v in defs["UnitCostSettings"].items() if k not in ("title", "description")}],
        }
    grades = defs["OptimismBiasTable"]["anyOf"][1]["properties"]["grades"]
    grades["propertyNames"] = {"pattern": "^[1-9][0-9]*$"}
    grades["additionalProperties"] = {"type": "number", "minimum": 0, "maximum": 1}
    _trim_all(schema)
    return {"$schema": DRAFT, **schema, "$comment": f"cba-appraisal {__version__} model file"}


# ---------------------------------------------------------------- the results

_METRIC_DOCS = {
    "pv_costs": "present value of all costs after optimism bias (pounds)",
    "pv_fiscal": "present value of all fiscal benefits (pounds)",
    "pv_cashable": "present value of the cashable part of fiscal benefits (pounds)",
    "pv_economic": "present value of economic benefits (pounds)",
    "pv_social": "present value of social benefits (pounds)",
    "pv_public_value": "pv_fiscal minus transfers plus pv_economic plus pv_social (pounds)",
    "net_present_budget_impact": "pv_fiscal - pv_costs (pounds)",
    "net_present_public_value": "pv_public_value - pv_costs (pounds)",
    "financial_roi": "pv_fiscal / pv_costs; null when there are no costs",
    "cashable_roi": "pv_cashable / pv_costs; null when there are no costs",
    "economic_roi": "pv_economic / pv_costs; null when there are no costs",
    "social_roi": "pv_social / pv_costs; null when there are no costs",
    "public_value_roi": "pv_public_value / pv_costs; null when there are no costs",
    "payback_period": "whole years to payback on discounted flows; null when none",
    "irr": "internal rate of return of the fiscal net flow (fraction); null when none",
    "wrong_pocket_index": "mismatch of cost and fiscal shares across agencies, 0 to 1; null when undefined",
}

Metrics = create_model(  # type: ignore[call-overload]  # mypy takes `float | None` for a value, not a type
    "Metrics", __base__=Open,
    **{name: (Num, Field(description=_METRIC_DOCS.get(name, name))) for name in METRIC_NAMES},
    value_for_money=(str | None, Field(description="value for money category of the ratio the model's "
                                                   "value_for_money bands name (whose categories and which ratio: "
                                                   "provenance.value_for_money_bands); null when the model asks "
                                                   "for no category (the default) or the ratio is none")),
    pv_cost_reduction=(Num, Field(default=None, description="present value of fiscal savings classed as cost "
                                                            "reduction (pounds); only when the model classes savings")),
    pv_cost_avoidance=(Num, Field(default=None, description="present value of fiscal savings classed as cost "
                                                            "avoidance (pounds); only when the model classes savings")),
)


class AgencyRow(Open):
    """Who pays and who saves: one agency (present values, pounds)."""

    agency: str
    agency_name: str
    pv_costs: float
    pv_fiscal: float
    pv_cashable: float
    pv_transfer: float
    net: float = Field(description="pv_fiscal - pv_costs")
    cost_share: Num = Field(description="share of all costs; null when there are none")
    fiscal_share: Num = Field(description="share of all fiscal benefit; null when there is none")
    roi: Num = Field(description="pv_fiscal / pv_costs; null when the agency bears no cost")


class YearRow(Open):
    """Flows of one year, real (at the price base) and discounted (pounds)."""

    year: int
    year_label: str
    discount_factor: float
    costs: float
    discounted_costs: float
    fiscal: float
    discounted_fiscal: float
    cashable: float
    discounted_cashable: float
    transfer: float
    discounted_transfer: float
    economic: float
    discounted_economic: float
    social: float
    discounted_social: float
    public_value: float
    discounted_public_value: float
    fiscal_net: float
    discounted_fiscal_net: float
    cumulative_discounted_fiscal_net: float


class LedgerRow(Open):
    """One row of the tidy ledger (see cba.ledger._ledger)."""

    source_type: str = Field(description="'cost' or 'outcome'")
    line: int = Field(description="index of the cost line or outcome in the model")
    source: str = Field(description="name of the cost line or outcome")
    component: int = Field(description="index of the value component within the outcome; -1 for costs")
    unit_cost: str | None
    agency: str | None
    value_type: str = Field(description="'cost', 'fiscal', 'economic' or 'social'")
    cost_kind: str | None
    cashable: bool
    transfer: bool
    year: int
    year_label: str
    real: float = Field(description="pounds at the price base, undiscounted")
    discount_factor: float
    discounted: float = Field(description="real * discount_factor")


class CostLineRow(Open):
    """Assumptions: one cost line."""

    field: str
    name: str
    agency: str
    agency_name: str
    kind: str
    amounts: list[float] = Field(description="amount in each year as entered, at price_year prices")
    total: float
    price_year: str
    uplift: float = Field(description="deflator factor from price_year to the price base")
    confidence: int | None
    optimism_bias: float
    pv_costs: float
    source: str | None


class OutcomeRow(Open):
    """Assumptions: one outcome."""

    field: str
    name: str
    cohort_total: float
    cohort_by_year: str
    engagement: float
    success: float
    deadweight: float
    displacement: float
    leakage: float
    substitution: float
    attribution: float
    net_success_rate: float
    lag: int
    duration: int
    drop_off: float
    quantity: float
    confidence: int | None
    optimism_bias: float
    cashable: str | None
    unit_cost: str | None
    pv_fiscal: float
    pv_economic: float
    pv_social: float
    source: str | None


class UnitValueRow(Open):
    """Assumptions: one value component used; unit cost databases may add provenance
    properties such as database_version, original_source and deflator_vintage."""

    field: str
    outcome: int
    component: int
    outcome_name: str
    label: str | None
    type: str
    agency: str | None
    agency_name: str | None
    unit_cost: str | None
    amount: float
    price_year: str
    uplift: float
    amount_at_price_base: float
    cashable: Num
    transfer: bool
    source: str | None
    database: str | None = Field(None, description="unit cost database the value came from")
    database_version: str | None = Field(None, description="title and version of that database")
    original_source: str | None = Field(None, description="the study or statistic behind the unit cost")
    deflator: str | None = Field(None, description="deflator series that uplifted the value")
    deflator_vintage: str | None = Field(None, description="publication of that deflator series")


class Assumptions(Open):
    cost_lines: list[CostLineRow]
    outcomes: list[OutcomeRow]
    unit_values: list[UnitValueRow]


class Provenance(Open):
    """Where the numbers come from."""

    library: str
    version: str
    model_file: str | None
    model_file_sha256: str | None
    model_sha256: str = Field(description="SHA-256 of the validated model as compact JSON")
    price_base: str
    horizon: int
    deflator: str
    deflator_vintage: str | None
    unit_cost_databases: list[str]
    discounting: str
    first_year_discounted: bool
    optimism_bias_table: str
    value_for_money_bands: str = Field(description="whose value for money categories, of which ratio, their bands "
                                                   "and source; or none")
    health_discounting: str | None = Field(default=None, description="schedule of health components, when any")
    run_at: str = Field(description="ISO 8601 time of the run, UTC")


class AppraisalResult(Open):
    """The results of one appraisal (cba appraise --format json)."""

    name: str
    price_base: str
    horizon: int
    metrics: Metrics
    by_agency: list[AgencyRow]
    by_year: list[YearRow]
    assumptions: Assumptions
    ledger: list[LedgerRow]
    provenance: Provenance
    groups: Groups = Field(description="who pays and who saves by tier of government")
    partnership: PartnershipResultSchema | None = Field(
        None, description="the model's partnership deal, when it has one (as cba partnership --format json)")
    warnings: list[str] = Field(description="possible double counting and other warnings to read beside the results")
    accounts: Accounts = Field(description="benefits by who benefits: taxpayers by agency, participants, others, "
                                           "society; in total and per participant")
    distributional: Distributional | None = Field(
        None, description="the distributionally weighted figures, when the model has income groups")


def results_schema() -> dict[str, Any]:
    """JSON Schema of :meth:`cba.Appraisal.to_dict` / ``cba appraise --format json``.

    >>> s = results_schema()
    >>> s["title"], "metrics" in s["required"]
    ('AppraisalResult', True)
    """
    schema = AppraisalResult.model_json_schema()
    _trim_all(schema)
    return {"$schema": DRAFT, **schema, "$comment": f"cba-appraisal {__version__} results"}
