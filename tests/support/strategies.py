"""Hypothesis strategies that build valid interventions."""

from __future__ import annotations

from hypothesis import strategies as st

from cba.model._agencies import CANONICAL_AGENCIES

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


# ---------------------------------------------------------------- malformed input (fuzzing)
#: Values a careless or hostile user might put anywhere: wrong types, extreme numbers,
#: odd text, deep nesting.
hostile_scalars = st.one_of(
    st.booleans(), st.none(), st.integers(-10, 10), st.integers(min_value=10 ** 15, max_value=10 ** 40),
    st.just(10 ** 400), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 1.7e308, 5e-324, -0.0, 1e300]),
    st.text(max_size=12), st.sampled_from(["=1+1", "@SUM(A1)", "-2+3", "\t", "\r\n", "\x00", "$x$", "<b>",
                                           "2024/25", "1900/01", "yes", "0.5", "nhs", "E&E1.0", "green_book"]),
)


def _deep(depth: int):
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


hostile_values = st.one_of(
    hostile_scalars,
    st.lists(hostile_scalars, max_size=4),
    st.dictionaries(st.text(max_size=6), hostile_scalars, max_size=3),
    st.integers(50, 3000).map(_deep),
)


def _paths(data, max_depth: int = 8):
    """Every (path, value) in nested dicts and lists, down to ``max_depth``."""
    todo = [((), data)]
    while todo:
        prefix, value = todo.pop()
        yield prefix, value
        if len(prefix) >= max_depth:
            continue
        if isinstance(value, dict):
            todo.extend(((*prefix, k), v) for k, v in value.items())
        elif isinstance(value, list):
            todo.extend(((*prefix, i), v) for i, v in enumerate(value))


@st.composite
def mutated(draw, base):
    """``base`` (a strategy of plain data) with a few values replaced, keys dropped or added."""
    import copy

    data = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p, _ in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(hostile_values)
        elif action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(hostile_values)
    return data


#: Uncertainty sections with plausible and implausible contents for the worked example.
_parameter_paths = st.sampled_from(["outcomes[0].success", "outcomes[0].deadweight", "outcomes[0].duration",
                                    "outcomes[0].lag", "costs[0].amounts", "costs", "discount_rate",
                                    "outcomes[0].value", "outcomes[0].cohort", "outcomes[9].success", "bogus",
                                    "costs[0].amounts[0]", "outcomes[0].confidence"])
_distributions = st.one_of(
    st.fixed_dictionaries({"dist": st.just("uniform"), "low": st.floats(-1, 2), "high": st.floats(-1, 2)}),
    st.fixed_dictionaries({"dist": st.just("pert"), "low": st.floats(0, 1), "mode": st.floats(0, 1),
                           "high": st.floats(0, 1)}),
    st.fixed_dictionaries({"dist": st.just("lognormal"), "mu": st.floats(-5, 800), "sigma": st.floats(0.01, 5)}),
    st.fixed_dictionaries({"dist": st.sampled_from(["normal", "beta", "discrete", "nope"]),
                           "mean": hostile_scalars}),
    hostile_values,
)


@st.composite
def uncertainty_specs(draw):
    rarely = st.integers(0, 7).map(lambda n: n == 7)  # hypothesis leans to small values: 7 is the rare one
    spec = {}
    if draw(st.booleans()):
        spec["ranges"] = draw(st.dictionaries(_parameter_paths, st.one_of(
            st.tuples(st.floats(-2, 3), st.floats(-2, 3)).map(list), hostile_values), max_size=3))
    if draw(st.booleans()):
        spec["scenarios"] = draw(st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(["base", "label"])),
                                                 st.dictionaries(_parameter_paths, st.one_of(
                                                     st.floats(0, 1), st.integers(0, 5), hostile_values),
                                                     max_size=2), max_size=3))
    if draw(st.booleans()):
        spec["distributions"] = draw(st.dictionaries(_parameter_paths, _distributions, max_size=3))
    if draw(st.booleans()):
        spec["draws"] = draw(st.one_of(hostile_scalars, st.integers(-5, 300)) if draw(rarely) else st.integers(1, 300))
    if draw(st.booleans()):
        spec["seed"] = draw(hostile_scalars if draw(rarely) else st.integers(0, 10 ** 6))
    if draw(st.booleans()):
        spec["thresholds"] = draw(st.dictionaries(st.sampled_from(["financial_roi", "net[nhs]", "nope"]),
                                                  hostile_values, max_size=2))
    if draw(rarely):
        spec["correlation"] = draw(hostile_values)
    if draw(rarely):
        spec[draw(st.text(max_size=6))] = draw(hostile_values)
    return spec


#: One CSV cell: plain or formula-like text, quotes, separators and line breaks, numbers.
csv_cells = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab =+-@\t\r\n\",'$<>|&1.e")), max_size=8),
    st.floats(allow_nan=False, allow_infinity=False).map(repr), st.integers(-10 ** 6, 10 ** 6).map(str),
)
