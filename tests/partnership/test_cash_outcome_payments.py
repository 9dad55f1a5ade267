"""Outcome payments in cash terms: prices, fees and caps in pounds of the year paid, converted to the price
base year by year with the deflator."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba
from cba.core._errors import ModelError

from ..support.deflators import flat_series

# HM Treasury GDP deflator, March 2026 (unit_costs/deflators/hmt_gdp_deflator_2026-03.csv):
# 2024/25 = 100.0000, 2025/26 = 103.2388, 2026/27 = 105.3095. With start_year 2025/26 the
# cash factors of appraisal years 0 and 1 are 1.032388 and 1.053095.
F0, F1 = 1.032388, 1.053095


@pytest.fixture(autouse=True, scope="module")
def zero_inflation():
    """A series with no inflation, registered for this module only."""
    with flat_series("flat_test_series_op"):
        yield


def model(agreement, **changes):
    # 10 people start in year 0, half of them achieve the outcome in year 0 (lag 0): 5 outcomes
    data = {
        "name": "Cash outcome payments", "price_base": "2024/25", "start_year": "2025/26", "horizon": 2,
        "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000, 1000]}],
        "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
                      "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}],
        "partnership": {"outcome_payments": [{"payer": "local_authority", "payee": "police",
                                              "outcome": "Fewer call-outs", "basis": "gross", **agreement}]},
    }
    data.update(changes)
    return cba.Intervention.from_dict(data)


def paid(m):
    """What the payer pays each year under the deal (pounds at the price base)."""
    years = cba.appraise(m).partnership().by_year()
    return years[years["agency"] == "local_authority"]["paid"].tolist()


def test_a_price_in_cash_is_converted_at_the_year_paid():
    # 5 outcomes x 1,032.388 pounds of 2025/26 = 5,161.94 paid in year 0;
    # at 2024/25 prices 5,161.94 / 1.032388 = 5,000.00
    assert paid(model({"price": 1032.388, "terms": "cash"})) == pytest.approx([5000.0, 0.0], abs=1e-9)
    # the same price read as 2024/25 pounds: 5 x 1,032.388 = 5,161.94 (no conversion)
    assert paid(model({"price": 1032.388})) == pytest.approx([5161.94, 0.0], abs=1e-9)


def test_a_fee_and_a_cap_in_cash():
    # attachment fee 100 per participant, paid in the intake year: 10 x 100 = 1,000 of 2025/26
    # = 1,000 / 1.032388 = 968.6281 at 2024/25 prices; with the price 1,000 of 2025/26 the year's
    # cash total is 1,000 + 5 x 1,000 = 6,000, capped at the contract maximum of 3,000 pounds of the
    # year paid: 3,000 / 1.032388 = 2,905.8842 at 2024/25 prices
    assert paid(model({"price": 0, "attachment_fee": 100, "terms": "cash"}))[0] == pytest.approx(
        1000 / F0, abs=1e-9)
    assert round(1000 / F0, 4) == 968.6281
    capped = paid(model({"price": 1000, "attachment_fee": 100, "cap": 3000, "terms": "cash"}))
    assert capped == pytest.approx([3000 / F0, 0.0], abs=1e-9) and round(3000 / F0, 4) == 2905.8842


def test_a_rate_card_paid_a_year_later_is_converted_at_that_year():
    # a contract-form agreement (payment_lag 1): the 5 outcomes of year 0 are paid in year 1 (2026/27)
    # at 1,053.095 pounds of that year each: 5,265.475 cash, 5,265.475 / 1.053095 = 5,000 at 2024/25 prices
    card = {"outcome": None, "tariffs": [{"outcome": "Fewer call-outs", "price": 1053.095}], "payment_lag": 1,
            "terms": "cash"}
    assert paid(model(card)) == pytest.approx([0.0, 5000.0], abs=1e-9)
    # a payer's maximum of 2,106.19 pounds of 2026/27 binds in cash: 2,106.19 / 1.053095 = 2,000 real
    card["payers"], card["payer"] = [{"payer": "local_authority", "share": 1, "maximum": 2106.19}], None
    assert paid(model(card)) == pytest.approx([0.0, 2000.0], abs=1e-9)


def test_cash_with_a_price_year_is_refused_and_a_year_out_of_the_series_is_named():
    with pytest.raises(ModelError, match="price_year"):
        model({"price": 1, "terms": "cash", "price_year": "2020/21"})
    with pytest.raises(ModelError, match=r"partnership\.outcome_payments\[0\]\.terms.*not in the deflator series"):
        cba.appraise(model({"price": 1, "terms": "cash"}, start_year="2040/41")).partnership()


amount = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@settings(max_examples=25, deadline=None)
@given(price=st.lists(amount, min_size=1, max_size=3), fee=amount,
       cap=st.none() | amount, cap_per_year=st.none() | amount, card=st.booleans(), lag=st.integers(0, 2))
def test_cash_and_real_agree_when_inflation_is_zero(price, fee, cap, cap_per_year, card, lag):
    agreement = {"attachment_fee": fee, "cap": cap, "cap_per_year": cap_per_year}
    if card:
        agreement.update(outcome=None, tariffs=[{"outcome": "Fewer call-outs", "price": price}], payment_lag=lag)
    else:
        agreement["price"] = price
    real = model(agreement, deflator="flat_test_series_op", horizon=3)
    cash = model({**agreement, "terms": "cash"}, deflator="flat_test_series_op", horizon=3)
    a, b = cba.appraise(real).partnership(), cba.appraise(cash).partnership()
    assert b.by_year()["paid"].tolist() == a.by_year()["paid"].tolist()
    assert b.by_year()["received"].tolist() == a.by_year()["received"].tolist()


def test_unchanged_without_cash_terms():
    # no agreement in cash: no conversion array at all (the evaluation is the same code as before)
    from cba.partnership._compile import compile_deal

    a = cba.appraise(model({"price": 100}))
    assert compile_deal(a.compiled).pay_cash_factor is None
