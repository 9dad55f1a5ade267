"""What each field of a model file means: the notes behind the JSON Schema and the reference.

The models put each note into their JSON Schema as the field's ``description``
(so ``cba schema`` and editors show it), and the model file reference
(:mod:`cba.outputs._model_reference`) lists it; a test checks that every field has one.
"""

from __future__ import annotations

_RATE = "A fraction in [0, 1]."

#: Meaning of each field, used where the model gives no pydantic ``description``.
FIELD_NOTES: dict[str, dict[str, str]] = {
    "Intervention": {
        "name": "Name of the intervention, shown in every output.",
        "description": "Free text describing the option appraised.",
        "price_base": "Financial year whose prices every amount is converted to, e.g. `2024/25`.",
        "start_year": "Financial year of appraisal year 0; labels years `2025/26`, ... instead of `Year 0`, ....",
        "horizon": "Appraisal period in whole years (1 to 1000). Benefits after it are not counted.",
        "discounting": "Discount schedule: `green_book`, `green_book_health`, `green_book_lower`, "
                       "`{rate: 0.05}` or `{bands: [...]}` (see [DiscountSchedule](#discountschedule)).",
        "first_year_discounted": "Discount year 0 too (the default leaves it undiscounted): appraisal year t "
                                 "then lies t+1 years from the present, and the rate bands follow t+1.",
        "optimism_bias": "Confidence grade to optimism-bias table: `gm` (the published GM table) or a custom "
                         "one (see [OptimismBiasTable](#optimismbiastable)).",
        "deflator": "Name of the GDP deflator series used to change price years.",
        "agencies": "Extra agencies beyond the canonical ones, or new display names for them.",
        "costs": "The cost lines.",
        "outcomes": "The outcomes and their unit values.",
        "unit_costs": "Which unit cost data resolve `unit_cost` codes: a dataset name such as "
                      "`gmca_v1_4` (the default) or settings (see [UnitCostSettings](#unitcostsettings)).",
        "health_discounting": "Discount schedule for value components marked `health: true`; none means "
                              "`green_book_health` with `green_book` discounting, `green_book_lower_health` "
                              "with `green_book_lower`, else the `discounting` schedule.",
        "mutually_exclusive": "Groups of outcome names that are shares of one cohort: each person counts in "
                              "at most one, so their engagement x success may not exceed 1 and the same unit "
                              "cost in two of them is not double counting.",
        "value_for_money": "A value for money category of a ratio, where the guidance applies one: `dft` "
                           "(DfT's categories, for transport schemes) or your own (see "
                           "[ValueForMoneyBands](#valueformoneybands)); none (the default) gives no category.",
        "wellbeing": "The value of one WELLBY, its range and price year, for components counted in WELLBYs "
                     "(see [Wellbeing](#wellbeing)).",
        "distribution": "Income groups and their distributional weights, for a weighted net present value "
                        "beside the unweighted one (see [Distribution](#distribution)).",
        "participants": "Number of people the programme serves, for the accounts per participant; none means "
                        "the largest cohort of any outcome.",
    },
    "Wellbeing": {
        "value": "Value of one WELLBY (a one-point change in life satisfaction on a 0-10 scale for one "
                 "person for one year), in pounds at `price_year` prices.",
        "low": "Low end of the published range (pounds); the default low value of `wellbeing.value` in a "
               "sensitivity analysis.",
        "high": "High end of the published range (pounds).",
        "price_year": "Financial year of the value's prices; uprated to the price base with the deflator.",
        "source": "Where the value comes from (publication, table, date).",
    },
    "Distribution": {
        "elasticity": "Elasticity of the marginal utility of income (default 1.3, the Green Book's, Annex A3).",
        "reference_income": "Reference income (usually the median) that each group's income is compared with.",
        "groups": "Income group name to its `income` (weight `(reference_income / income) ** elasticity`) or "
                  "its `weight`.",
        "source": "Where the incomes or weights come from.",
    },
    "IncomeGroup": {
        "income": "The group's income, on the same basis as `reference_income` (pounds a year).",
        "weight": "The group's weight, given directly instead of an income.",
        "source": "Where the figure comes from.",
    },
    "ValueForMoneyBands": {
        "name": "Whose categories they are, shown with the category (`dft`: DfT's, for transport schemes).",
        "metric": "The ratio categorised: `public_value_roi` (the benefit-cost ratio, default) or another ROI.",
        "bands": "The categories, lowest first; each runs from its `from` to the next band's.",
        "source": "Where the bands come from, shown in the provenance.",
    },
    "ValueForMoneyBand": {
        "name": "Name of the category, e.g. `high`.",
        "from": "Lowest ratio in the category (inclusive); the first band has none.",
    },
    "UnitCostSettings": {
        "database": "A shipped dataset (`gmca_v1_4`) or the path of a tidy unit cost CSV.",
        "supplementary": "Add cba's newer unit costs from other public sources.",
        "local": "Paths of your own unit cost CSV files; their codes win over the database's.",
    },
    "Agency": {
        "id": "Lower-case id used in cost lines and value components, e.g. `youth_offending`.",
        "name": "Display name in tables and charts.",
    },
    "DiscountSchedule": {
        "kind": "`green_book` (3.5% declining after year 30), `green_book_health` (1.5% declining), "
                "`green_book_lower` (3.0% declining: the 2026 lower-rate sensitivity test), "
                "`green_book_lower_health` (1.0% declining: its health rate, years 0-125 only), "
                "`constant` or `custom`; set by the shorthand forms.",
        "rate": "The rate of a constant schedule. " + _RATE,
        "bands": "The bands of a custom schedule; the first starts at year 0.",
    },
    "DiscountBand": {
        "start_year": "First appraisal year the rate applies to.",
        "rate": "Discount rate. " + _RATE,
    },
    "OptimismBiasTable": {
        "name": "Name of the table; `gm` is the published GM table.",
        "grades": "Grade to correction, e.g. `{1: 0.0, 2: 0.05}`; corrections may not fall as the grade rises. "
                  "A correction above 1 (100%) may raise costs but not cut benefits.",
    },
    "CostLine": {
        "name": "What the cost is for.",
        "agency": "Id of the agency that bears the cost.",
        "kind": "`capital`, `revenue` or `in_kind` (resources given without cash changing hands).",
        "amounts": "Cost in each appraisal year from year 0, in pounds; shorter lists are zero-padded.",
        "price_year": "Financial year of the amounts' prices; none means the price base.",
        "confidence": "Evidence grade (1 best to 6 worst); its optimism-bias correction uplifts the cost.",
        "optimism_bias": "Instead of a grade: the Green Book's optimism bias for the project type (see "
                         "[ProjectTypeOptimismBias](#projecttypeoptimismbias)).",
        "source": "Where the figure comes from.",
    },
    "ProjectTypeOptimismBias": {
        "project_type": "`standard_buildings`, `non_standard_buildings`, `standard_civil_engineering`, "
                        "`non_standard_civil_engineering`, `equipment_development` (capital costs) or "
                        "`outsourcing` (operating costs).",
        "bound": "`upper` (the guidance's starting value, default) or `lower` (once risks are mitigated).",
    },
    "Outcome": {
        "name": "The change the intervention produces.",
        "cohort": "Intake: one number (all in year 0) or a list of intakes by year.",
        "engagement": "Share of the cohort that takes part. " + _RATE,
        "success": "Share of those engaged who achieve the outcome. " + _RATE,
        "deadweight": "Share of successes that would have happened anyway. " + _RATE,
        "displacement": "Share of the benefit that displaces benefit elsewhere. " + _RATE,
        "leakage": "Share of the benefit going to people outside the target group or area. " + _RATE,
        "substitution": "Share of the benefit that substitutes for other activity. " + _RATE,
        "attribution": "Share of the benefit owed to other interventions. " + _RATE,
        "lag": "Whole years from intake to the first year of benefit.",
        "duration": "Years each success keeps producing benefit.",
        "drop_off": "Share of the benefit lost each year after the first benefit year. " + _RATE,
        "quantity": "Units of the unit value per success per benefit year (default 1).",
        "confidence": "Evidence grade (1 best to 6 worst); its optimism-bias correction reduces the benefits.",
        "cashable": "Cashable share of the fiscal savings, overriding the components': one rate, or "
                    "`{agency: rate}`.",
        "value": "The value of one success (see [UnitValue](#unitvalue)).",
        "income_group": "Income group of the outcome's participants (a name under `distribution.groups`); "
                        "their benefits are weighted in the distributionally weighted net present value.",
        "source": "Where the rates come from.",
    },
    "UnitValue": {
        "components": "Explicit value components (see [ValueComponent](#valuecomponent)).",
        "unit_cost": "A code in the unit cost database, e.g. `E&E1.0`, resolved to components.",
        "quantity": "Units per success per benefit year (give it here or on the outcome, not both).",
        "exclude": "Value types, agencies, codes or labels of components to leave out.",
    },
    "ValueComponent": {
        "type": "`fiscal` (a saving to a public body), `economic` or `social`.",
        "amount": "Value per unit, in pounds (negative for a dis-benefit).",
        "price_year": "Financial year of the amount's prices; none means the price base.",
        "agency": "For fiscal components: id of the agency that makes the saving.",
        "cashable": "For fiscal components: share of the saving that is cashable (default 0), one rate or a "
                    "list by appraisal year (padded to the horizon with its last value). " + _RATE,
        "transfer": "For fiscal components: a tax or benefit payment, excluded from public value.",
        "saving": "For fiscal components: `reduction` (a budget actually reduced) or `avoidance` (demand "
                  "avoided); the financial case reports each.",
        "health": "For economic and social components: a value of health or life, discounted on the "
                  "health schedule.",
        "lag": "This component's own lag (whole years from intake), replacing the outcome's.",
        "duration": "This component's own duration (years), replacing the outcome's.",
        "drop_off": "This component's own drop-off, replacing the outcome's. " + _RATE,
        "unit": "`wellby`: the amount is in WELLBYs per unit, priced at the model's value of a WELLBY "
                "(social components only).",
        "beneficiary": "Who gains: `taxpayers` (fiscal, through the agency), `participants`, `others` or "
                       "`society`; none means taxpayers for fiscal components and participants otherwise.",
        "source": "Where the value comes from.",
        "unit_cost": "The unit cost database code the value was taken from.",
        "label": "Short name shown in tables.",
        "database": "Title and version of the unit cost data the value came from (set when a code is resolved).",
    },
}
