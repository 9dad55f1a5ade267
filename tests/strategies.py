"""Hypothesis strategies that build valid interventions."""

from __future__ import annotations

from hypothesis import strategies as st

from cba.agencies import CANONICAL_AGENCIES

AGENCIES = sorted(CANONICAL_AGENCIES)
rates = st.floats(0, 1, allow_nan=False)
money = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)
price_years = st.sampled_from([None, "2010/11", "2015/16", "2020/21", "2024/25"])
grades = st.one_of(st.none(), st.integers(1, 6))


@st.composite
def components(draw):
    kind = draw(st.sampled_from(["fiscal", "economic", "social"]))
    comp = {"type": kind, "amount": draw(money)}
    if (py := draw(price_years)) is not None:
        comp["price_year"] = py
    if kind == "fiscal":
        comp["agency"] = draw(st.sampled_from(AGENCIES))
        comp["cashable"] = draw(rates)
        comp["transfer"] = draw(st.booleans())
    return comp


@st.composite
def interventions(draw, max_horizon: int = 8):
    horizon = draw(st.integers(1, max_horizon))
    costs = []
    for i in range(draw(st.integers(0, 3))):
        line = {"name": f"cost {i}", "agency": draw(st.sampled_from(AGENCIES)),
                "kind": draw(st.sampled_from(["capital", "revenue", "in_kind"])),
                "amounts": draw(st.lists(money, min_size=1, max_size=horizon))}
        if (py := draw(price_years)) is not None:
            line["price_year"] = py
        if (g := draw(grades)) is not None:
            line["confidence"] = g
        costs.append(line)
    outcomes = []
    for i in range(draw(st.integers(0, 3))):
        cohort = draw(st.one_of(st.floats(0, 1000), st.lists(st.floats(0, 1000), min_size=1, max_size=horizon)))
        o = {"name": f"outcome {i}", "cohort": cohort, "engagement": draw(rates), "success": draw(rates),
             "deadweight": draw(rates), "displacement": draw(rates), "leakage": draw(rates),
             "substitution": draw(rates), "attribution": draw(rates),
             "lag": draw(st.integers(0, horizon)), "duration": draw(st.integers(1, horizon + 1)),
             "drop_off": draw(rates), "quantity": draw(st.floats(0, 10)),
             "value": {"components": draw(st.lists(components(), min_size=1, max_size=3))}}
        if (g := draw(grades)) is not None:
            o["confidence"] = g
        outcomes.append(o)
    discounting = draw(st.sampled_from(["green_book", "green_book_health", {"rate": 0.05},
                                        {"bands": [{"start_year": 0, "rate": 0.04}, {"start_year": 2, "rate": 0.02}]}]))
    return {"name": "generated", "price_base": draw(st.sampled_from(["2020/21", "2024/25"])),
            "horizon": horizon, "discounting": discounting,
            "first_year_discounted": draw(st.booleans()), "costs": costs, "outcomes": outcomes}
