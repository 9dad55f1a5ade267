"""Cash terms and real terms: the deflator's cash factors, views in cash, deal payments fixed in cash."""

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba
from cba.core._errors import ModelError
from cba.method._cash import cash_factors
from cba.method._deflators import get
from cba.model import Partnership
from cba.partnership._cash import deal_by_year_in
from cba.partnership._compile import compile_deal

from ..support.deflators import flat_series

# HM Treasury GDP deflator, March 2026 (unit_costs/deflators/hmt_gdp_deflator_2026-03.csv):
# 2024/25 = 100.0000, 2025/26 = 103.2388, 2026/27 = 105.3095 (forecasts after 2024/25).


@pytest.fixture(autouse=True, scope="module")
def zero_inflation():
    """A series with no inflation, registered for this module only."""
    with flat_series("flat_test_series"):
        yield


def model(payments=None, **changes):
    data = {
        "name": "Cash", "price_base": "2024/25", "start_year": "2025/26", "horizon": 2,
        "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000, 1000]}],
        "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5, "duration": 2,
                      "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}],
    }
    if payments is not None:
        data["partnership"] = {"payments": payments}
    data.update(changes)
    return cba.Intervention.from_dict(data)


def test_cash_factors_are_the_deflator_ratio():
    d = cba.Intervention.from_dict({"name": "x", "price_base": "2024/25"}).deflator
    f = cash_factors(get(d), "2024/25", "2025/26", 2)
    assert f.tolist() == pytest.approx([103.2388 / 100.0, 105.3095 / 100.0], abs=1e-12)


def test_cash_deal_amount_is_converted_to_the_price_base_at_the_deflator_ratio():
    # 1,032.388 pounds paid in 2025/26 is 1,032.388 x 100 / 103.2388 = 1,000 at 2024/25 prices;
    # 2,106.19 paid in 2026/27 is 2,106.19 x 100 / 105.3095 = 2,000
    pay = {"from": "local_authority", "to": "police", "amounts": [1032.388, 2106.19], "terms": "cash"}
    a = cba.appraise(model([pay]))
    amounts = compile_deal(a.compiled).params["deal.payments.amounts"][0]
    assert amounts.tolist() == pytest.approx([1000.0, 2000.0], abs=1e-9)
    real = compile_deal(a.compiled, Partnership.model_validate(
        {"payments": [{"from": "local_authority", "to": "police", "amounts": [1000.0, 2000.0]}]}))
    assert real.params["deal.payments.amounts"][0].tolist() == pytest.approx(amounts.tolist(), abs=1e-9)


def test_cash_terms_mistakes_are_named():
    with pytest.raises(ModelError, match="price_year"):
        model([{"from": "local_authority", "to": "police", "amounts": [1], "terms": "cash", "price_year": "2020/21"}])
    far = {"from": "local_authority", "to": "police", "amounts": [1], "terms": "cash"}
    with pytest.raises(ModelError, match=r"partnership\.payments\[0\]\.terms.*not in the deflator series"):
        cba.appraise(model([far], start_year="2040/41", horizon=2)).partnership()


def test_appraisal_by_year_in_cash_terms():
    a = cba.appraise(model())
    real, cash = a.by_year(), a.by_year("cash")
    assert cash["cash_factor"].tolist() == pytest.approx([1.032388, 1.053095], abs=1e-12)
    # costs of 1,000 a year at 2024/25 prices: 1,032.39 and 1,053.10 in cash
    assert cash["costs"].tolist() == pytest.approx([1032.388, 1053.095], abs=1e-9)
    assert cash["discounted_costs"].tolist() == real["discounted_costs"].tolist()   # present values stay real
    ledger = a.cash_ledger()
    assert (ledger["cash"] == ledger["real"] * ledger["cash_factor"]).all()
    assert a.metrics == cba.appraise(model()).metrics   # the appraisal itself is unchanged


money = st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=4)


@settings(max_examples=30, deadline=None)
@given(costs=money, payment=money)
def test_cash_and_real_agree_when_inflation_is_zero(costs, payment):
    H = 4
    m = model([{"from": "local_authority", "to": "police", "amounts": payment, "terms": "cash"}],
              deflator="flat_test_series", horizon=H,
              costs=[{"name": "Staff", "agency": "local_authority", "amounts": costs}])
    a = cba.appraise(m)
    real, cash = a.by_year(), a.by_year("cash")
    for col in ("costs", "fiscal", "public_value", "fiscal_net"):
        assert cash[col].tolist() == real[col].tolist()
    ledger = a.cash_ledger()
    assert ledger["cash"].tolist() == ledger["real"].tolist()
    deal = a.partnership()
    as_real = cba.appraise(m.model_copy(update={"partnership": Partnership.model_validate(
        {"payments": [{"from": "local_authority", "to": "police", "amounts": payment}]})})).partnership()
    assert deal.by_year()["paid"].tolist() == as_real.by_year()["paid"].tolist()
    in_cash = deal_by_year_in(deal, "cash")
    assert in_cash["paid"].tolist() == deal.by_year()["paid"].tolist()


def test_deal_by_year_in_cash_terms():
    pay = {"from": "local_authority", "to": "police", "amounts": [1000.0, 1000.0]}
    deal = cba.appraise(model([pay])).partnership()
    cash = deal_by_year_in(deal, "cash")
    paid = cash[cash["agency"] == "local_authority"]["paid"].to_numpy()
    assert paid == pytest.approx(np.array([1032.388, 1053.095]), abs=1e-9)


def test_cli_terms_cash(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(model().to_yaml())
    run = subprocess.run([sys.executable, "-m", "cba", "appraise", str(path), "--terms", "cash"],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "in cash terms" in run.stdout and "1.032388" in run.stdout
    run = subprocess.run([sys.executable, "-m", "cba", "appraise", str(path), "--terms", "cash", "-f", "json"],
                         capture_output=True, text=True)
    assert json.loads(run.stdout)["by_year_cash"][0]["costs"] == pytest.approx(1032.388)
    run = subprocess.run([sys.executable, "-m", "cba", "appraise", str(path), "--terms", "cash", "-f", "docx",
                          "-o", str(tmp_path / "x.docx")], capture_output=True, text=True)
    assert run.returncode == 2 and "not docx" in run.stderr and not (tmp_path / "x.docx").exists()


def test_cli_workbook_in_cash_terms(tmp_path):
    import openpyxl

    from cba.outputs.export._xlsx import HEADER_ROW

    path, book = tmp_path / "m.yaml", tmp_path / "book.xlsx"
    path.write_text(model().to_yaml())
    run = subprocess.run([sys.executable, "-m", "cba", "appraise", str(path), "--terms", "cash", "-o", str(book)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames.index("Cash by year") == wb.sheetnames.index("Benefits") + 1
    ws = wb["Cash by year"]
    head = [c.value for c in ws[HEADER_ROW]]
    assert head[:3] == ["Year", "Cash factor", "Costs"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value in ("2025/26", "2026/27")]
    # 1,000 a year at 2024/25 prices, paid in 2025/26 and 2026/27: x 1.032388 and x 1.053095
    assert [r[1] for r in rows] == pytest.approx([1.032388, 1.053095], abs=1e-12)
    assert [r[2] for r in rows] == pytest.approx([1032.388, 1053.095], abs=1e-9)
    # fiscal: 10 x 0.5 x 300 = 1,500 a year at 2024/25 prices; in 2025/26 pounds 1,548.582
    assert rows[0][3] == pytest.approx(1548.582, abs=1e-9)
    assert "Cash terms: pounds of each year" in " ".join(
        str(c.value) for r in ws.iter_rows(max_row=HEADER_ROW - 1) for c in r)
    # every other sheet is the real-terms workbook: the costs sheet still at the price base
    import io

    from cba.outputs.export._formats import to_xlsx

    real = openpyxl.load_workbook(io.BytesIO(to_xlsx(cba.appraise(model()), charts=False)))

    def numbers(sheet):
        return [c.value for r in sheet.iter_rows(min_row=HEADER_ROW) for c in r if isinstance(c.value, float)]
    assert numbers(wb["Costs"]) == numbers(real["Costs"]) and numbers(wb["Costs"])
    assert [n for n in wb.sheetnames if n != "Cash by year"] == [*real.sheetnames, "Charts"]
