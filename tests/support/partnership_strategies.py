"""Hypothesis strategies for partnership deals laid over generated interventions."""

from __future__ import annotations

from hypothesis import strategies as st

from .strategies import interventions

rates = st.floats(0, 1, allow_nan=False)
money = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)
#: Amounts from nothing to the largest float: finite, but they overflow once multiplied or added.
extreme_money = st.one_of(money, st.floats(1e150, 1.7e308, allow_nan=False, allow_infinity=False),
                          st.sampled_from([1e300, 1e307, 1.7976931348623157e308]))
PARTNERS = ["local_authority", "nhs", "dwp", "police", "provider", "investor"]


def _shares(draw, partners):
    """Shares over some partners that sum to 1 (the last takes the remainder)."""
    who = draw(st.lists(st.sampled_from(partners), min_size=1, max_size=3, unique=True))
    raw = [draw(st.floats(0.01, 1)) for _ in who]
    total = sum(raw)
    shares = [r / total for r in raw[:-1]]
    shares.append(1.0 - sum(shares))
    return dict(zip(who, [max(0.0, s) for s in shares]))


@st.composite
def deals(draw, data: dict, money=money) -> dict:
    """A valid ``partnership`` section for the intervention ``data`` (amounts drawn from ``money``)."""
    H = data["horizon"]
    costs = [c["name"] for c in data["costs"]]
    outcomes = [o["name"] for o in data["outcomes"]]
    deal: dict = {}
    lines = list(costs)
    if lines and draw(st.booleans()):
        funded = draw(st.lists(st.sampled_from(lines), max_size=len(lines), unique=True))
        deal["funding"] = [{"cost": c, "shares": _shares(draw, PARTNERS), "in_kind": draw(st.booleans())}
                           for c in funded]
        lines = [c for c in lines if c not in funded]
    if lines and draw(st.booleans()):
        pool = {"host": draw(st.sampled_from(PARTNERS)), "costs": lines,
                "variance": draw(st.sampled_from(["proportional", "host"]))}
        if draw(st.booleans()):
            pool["contributions"] = _shares(draw, PARTNERS)
        else:
            who = draw(st.lists(st.sampled_from(PARTNERS), min_size=1, max_size=3, unique=True))
            pool["contributions"] = {p: draw(st.lists(money, min_size=1, max_size=H)) for p in who}
        deal["pooled_budget"] = pool
    gains = []
    for _ in range(draw(st.integers(0, 2))):
        a, b = draw(st.lists(st.sampled_from(PARTNERS), min_size=2, max_size=2, unique=True))
        g = {"from": a, "to": b, "share": draw(rates),
             "basis": draw(st.sampled_from(["cashable", "fiscal", "fiscal_excluding_transfers"]))}
        if draw(st.booleans()):
            g["cap"] = draw(money)
        if draw(st.booleans()):
            start = draw(st.integers(0, H - 1))
            g["start_year"], g["end_year"] = start, draw(st.integers(start, H - 1))
        if outcomes and draw(st.booleans()):
            g["outcomes"] = draw(st.lists(st.sampled_from(outcomes), min_size=1, unique=True))
        gains.append(g)
    if gains:
        deal["gain_share"] = gains
    pays = []
    for _ in range(draw(st.integers(0, 2)) if outcomes else 0):
        a, b = draw(st.lists(st.sampled_from(PARTNERS), min_size=2, max_size=2, unique=True))
        p = {"payer": a, "payee": b, "outcome": draw(st.sampled_from(outcomes)),
             "basis": draw(st.sampled_from(["gross", "net"])),
             "price": draw(st.one_of(money, st.lists(money, min_size=1, max_size=H))),
             "attachment_fee": draw(st.one_of(st.floats(0, 1e4), money)), "funded_share": draw(rates),
             "optimism_bias": draw(st.booleans())}
        if draw(st.booleans()):
            p["threshold"] = draw(rates)
        if draw(st.booleans()):
            p["cap_per_year"] = draw(money)
        if draw(st.booleans()):
            p["cap"] = draw(money)
        if draw(st.booleans()):
            p["top_up"] = {"payer": draw(st.sampled_from([x for x in PARTNERS if x != b])), "share": draw(rates)}
        if draw(st.booleans()):
            p = draw(_as_contract(p, outcomes, H, money, rates))
        pays.append(p)
    if pays:
        deal["outcome_payments"] = pays
    fixed = []
    for _ in range(draw(st.integers(0, 2))):
        a, b = draw(st.lists(st.sampled_from(PARTNERS), min_size=2, max_size=2, unique=True))
        fixed.append({"from": a, "to": b, "amounts": draw(st.lists(money, min_size=1, max_size=H))})
    if fixed:
        deal["payments"] = fixed
    if draw(st.booleans()):  # a social investor funding one partner's costs, repaid from its receipts
        investor, provider = draw(st.lists(st.sampled_from(PARTNERS), min_size=2, max_size=2, unique=True))
        inv = {"investor": investor, "provider": provider, "commitment": draw(money),
               "surplus_share": draw(rates)}
        if draw(st.booleans()):
            inv["return_cap"] = draw(st.floats(0, 2))
        deal["investments"] = [inv]
        others = [p for p in PARTNERS if p not in (investor, provider)]
        if draw(st.booleans()):  # a second investor in the same provider: a syndicate, pari passu
            deal["investments"].append({**inv, "investor": draw(st.sampled_from(others)),
                                        "commitment": draw(money)})
    return deal


@st.composite
def _as_contract(draw, p: dict, outcomes: list[str], H: int, money, rates) -> dict:
    """The agreement written as a contract: a rate card (with ladders), several payers, maxima, a lag."""
    p = dict(p)
    price = p.pop("price")
    outcome = p.pop("outcome")
    tariffs = [{"outcome": outcome, "price": price}]
    for _ in range(draw(st.integers(0, 2))):
        rungs = [{"price": draw(money), "lag": draw(st.integers(0, 2)), "reach": draw(rates)}
                 for _ in range(draw(st.integers(1, 3)))]
        tariff = {"outcome": draw(st.sampled_from(outcomes)), "rungs": rungs}
        if draw(st.booleans()):
            tariff["per_person_cap"] = draw(money)
        tariffs.append(tariff)
    p["tariffs"] = tariffs
    if draw(st.booleans()):
        payer = p.pop("payer")
        others = [x for x in PARTNERS if x not in (payer, p["payee"])]
        second = draw(st.sampled_from(others))
        maxima = [draw(st.one_of(st.none(), money)) for _ in range(2)]
        if draw(st.booleans()):
            s = draw(rates)
            p["payers"] = [{"payer": payer, "share": s}, {"payer": second, "share": 1.0 - s}]
        else:
            p["split"] = "in_order"
            p["payers"] = [{"payer": payer}, {"payer": second}]
        for row, most in zip(p["payers"], maxima, strict=True):
            if most is not None:
                row["maximum"] = most
    if draw(st.booleans()):
        p["payment_lag"] = draw(st.integers(0, H))
    if draw(st.booleans()):
        p["funded_count"] = draw(st.floats(0, 1e5))
    if draw(st.booleans()):
        p["threshold_overall"] = draw(rates)
    if "top_up" in p and draw(st.booleans()):
        p["top_up"] = {**p["top_up"], "award": draw(money)}
    return p


@st.composite
def models_with_deals(draw, max_horizon: int = 6, money=money) -> dict:
    """An intervention with a partnership section (partners declared as agencies; amounts from ``money``)."""
    data = draw(interventions(max_horizon=max_horizon))
    data["agencies"] = [{"id": "provider", "name": "Provider"}, {"id": "investor", "name": "Investor"}]
    data["partnership"] = draw(deals(data, money))
    return data
