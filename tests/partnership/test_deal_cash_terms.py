"""A deal in cash terms: each partner's money and every payment between partners by year in pounds of each
year, in the engine's views and in every output of ``cba partnership --terms cash``."""

import io
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba
from cba.partnership._results import YEAR_MEASURES

from ..support.deflators import flat_series

# HM Treasury GDP deflator, March 2026 (unit_costs/deflators/hmt_gdp_deflator_2026-03.csv):
# 2024/25 = 100.0000, 2025/26 = 103.2388, 2026/27 = 105.3095 (forecasts after 2024/25),
# so with price base 2024/25 the cash factors of 2025/26 and 2026/27 are 1.032388 and 1.053095.


@pytest.fixture(autouse=True, scope="module")
def zero_inflation():
    """A series with no inflation, registered for this module only."""
    with flat_series("flat_deal_test_series"):
        yield


def model(partnership, **changes):
    data = {
        "name": "Cash deal", "price_base": "2024/25", "start_year": "2025/26", "horizon": 2,
        "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000, 1000]}],
        "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5, "duration": 2,
                      "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}],
        "partnership": partnership,
    }
    data.update(changes)
    return cba.Intervention.from_dict(data)


PAYMENT = {"payments": [{"name": "Police contribution", "from": "police", "to": "local_authority",
                         "amounts": [400.0, 500.0]}]}


def test_one_payment_in_cash_at_the_hand_computed_deflator_ratio():
    deal = cba.appraise(model(PAYMENT)).partnership()
    cash = deal.flows_by_year("cash")
    assert cash[["agreement", "from", "to"]].drop_duplicates().values.tolist() == [
        ["Police contribution", "police", "local_authority"]]
    assert cash["year_label"].tolist() == ["2025/26", "2026/27"]
    # 400 at 2024/25 prices paid in 2025/26: 400 x 103.2388 / 100 = 412.9552;
    # 500 paid in 2026/27: 500 x 105.3095 / 100 = 526.5475
    assert cash["cash_factor"].tolist() == pytest.approx([1.032388, 1.053095], abs=1e-12)
    assert cash["amount"].tolist() == pytest.approx([412.9552, 526.5475], abs=1e-9)
    assert deal.flows_by_year()["amount"].tolist() == [400.0, 500.0]          # real: as entered
    # the partners' view agrees: the police pays and the local authority receives the same pounds
    years = deal.by_year("cash").set_index(["agency", "year_label"])
    assert years.loc[("police", "2025/26"), "paid"] == pytest.approx(412.9552, abs=1e-9)
    assert years.loc[("local_authority", "2026/27"), "received"] == pytest.approx(526.5475, abs=1e-9)
    # present values stay at the price base
    assert years["discounted_paid"].tolist() == deal.by_year()["discounted_paid"].tolist()


def test_each_flow_by_year_sums_to_its_total_and_a_pool_contribution_is_a_flow():
    pool = {"pooled_budget": {"host": "local_authority", "variance": "host",
                              "contributions": {"local_authority": [100, 100], "police": [60, 60]}}}
    deal = cba.appraise(model(pool)).partnership()
    real = deal.flows_by_year()
    totals = deal.flows_between()
    assert real["kind"].unique().tolist() == ["pool_contribution"]
    assert real.groupby("from")["amount"].sum().tolist() == totals["real"].tolist() == [120.0]
    # 60 a year into the pool, in 2025/26 and 2026/27 pounds: 61.94328 and 63.1857
    assert deal.flows_by_year("cash")["amount"].tolist() == pytest.approx([61.94328, 63.1857], abs=1e-9)


money = st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=4)


@settings(max_examples=30, deadline=None)
@given(costs=money, payment=money, share=st.floats(min_value=0, max_value=1))
def test_cash_and_real_agree_exactly_when_inflation_is_zero(costs, payment, share):
    deal_terms = {"payments": [{"from": "police", "to": "local_authority", "amounts": payment}],
                  "gain_share": [{"from": "police", "to": "local_authority", "share": share, "basis": "fiscal"}]}
    m = model(deal_terms, deflator="flat_deal_test_series", horizon=4,
              costs=[{"name": "Staff", "agency": "local_authority", "amounts": costs}])
    deal = cba.appraise(m).partnership()
    real, cash = deal.by_year(), deal.by_year("cash")
    assert (cash["cash_factor"] == 1.0).all()
    for name in YEAR_MEASURES:
        assert cash[name].tolist() == real[name].tolist()
    flows_real, flows_cash = deal.flows_by_year(), deal.flows_by_year("cash")
    assert flows_cash["amount"].tolist() == flows_real["amount"].tolist()
    assert len(flows_real) == 2 * 4                                  # two agreements, four years each


def test_terms_must_be_real_or_cash():
    deal = cba.appraise(model(PAYMENT)).partnership()
    with pytest.raises(cba.CBAError, match="expected 'real' or 'cash', got 'nominal'"):
        deal.flows_by_year("nominal")
    with pytest.raises(cba.CBAError, match="expected 'real' or 'cash'"):
        deal.by_year("nominal")


def _run(tmp_path, *extra):
    path = tmp_path / "m.yaml"
    path.write_text(model(PAYMENT).to_yaml())
    return subprocess.run([sys.executable, "-m", "cba", "partnership", str(path), "--terms", "cash", *extra],
                          capture_output=True, text=True)


def test_cli_text_json_and_csv_in_cash_terms(tmp_path):
    run = _run(tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Payments between partners by year in cash terms" in run.stdout and "£413" in run.stdout
    run = _run(tmp_path, "-f", "markdown")
    assert run.returncode == 0 and "| Police contribution |" in run.stdout
    data = json.loads(_run(tmp_path, "-f", "json").stdout)
    assert [p["amount"] for p in data["payments_by_year_cash"]] == pytest.approx([412.9552, 526.5475], abs=1e-9)
    assert {p["agency"] for p in data["by_year_cash"]} == {"local_authority", "police"}
    lines = _run(tmp_path, "-f", "csv").stdout.splitlines()
    head = lines[0].split(",")
    rows = [dict(zip(head, line.split(","))) for line in lines[1:]]
    payments = [r for r in rows if r["row"] == "payment"]
    assert [float(r["amount"]) for r in payments] == pytest.approx([412.9552, 526.5475], abs=1e-9)
    assert {r["row"] for r in rows} == {"partner", "payment"} and len(rows) == 2 * 2 + 2


def test_cli_workbook_in_cash_terms(tmp_path):
    import openpyxl

    from cba.outputs.export._partnership import to_xlsx
    from cba.outputs.export._xlsx import HEADER_ROW

    book = tmp_path / "deal.xlsx"
    run = _run(tmp_path, "-o", str(book))
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(book)
    names = wb.sheetnames
    assert names[names.index("Partners by year") + 1:names.index("Partners by year") + 3] == [
        "Cash by year", "Payments in cash"]
    ws = wb["Payments in cash"]
    assert [c.value for c in ws[HEADER_ROW]] == ["Agreement", "Kind", "From", "To", "2025/26", "2026/27", "Total"]
    row = [c.value for c in ws[HEADER_ROW + 1]]
    # 412.9552 + 526.5475 = 939.5027
    assert row[:4] == ["Police contribution", "Fixed payment", "Police", "Local authority"]
    assert row[4:] == pytest.approx([412.9552, 526.5475, 939.5027], abs=1e-9)
    assert "times the year's cash factor" in " ".join(str(c.value) for r in ws.iter_rows(max_row=HEADER_ROW - 1)
                                                       for c in r)
    years = wb["Cash by year"]
    assert [c.value for c in years[HEADER_ROW]][:3] == ["Partner", "Year", "Cash factor"]
    # every other sheet is the real-terms workbook
    real = openpyxl.load_workbook(io.BytesIO(to_xlsx(cba.appraise(model(PAYMENT)).partnership())))
    assert [n for n in names if n not in ("Cash by year", "Payments in cash")] == real.sheetnames

    def numbers(sheet):
        return [c.value for r in sheet.iter_rows(min_row=HEADER_ROW) for c in r if isinstance(c.value, float)]
    assert numbers(wb["Flows"]) == numbers(real["Flows"]) and numbers(wb["Flows"])


def test_cli_refuses_a_word_document_in_cash_terms(tmp_path):
    run = _run(tmp_path, "-o", str(tmp_path / "deal.docx"))
    assert run.returncode == 2 and "not docx" in run.stderr and not (tmp_path / "deal.docx").exists()


def test_a_deal_without_payments_says_so_in_cash_terms():
    from cba.outputs.tables._cash import deal_cash_flow_table

    deal = cba.appraise(model(None)).partnership()
    table = deal_cash_flow_table(deal)
    assert len(table) == 0 and table.attrs["notes"][0]["value"] == "the deal has no payments between partners"
    assert np.array_equal(deal.by_year("cash")["paid"].to_numpy(), np.zeros(4))
