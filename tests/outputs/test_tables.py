"""Business-case tables: every figure an aggregation of the ledger, hand-checked."""

import hashlib
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba
from cba.outputs import tables
from cba.outputs._format import fmt, render_table_html, render_table_markdown, render_table_text

from ..conftest import EXAMPLES
from ..support.strategies import interventions

WORKED = EXAMPLES / "worked_example.yaml"
DF1 = 1 / 1.035          # Green Book discount factor, year 1 (docs/method.md, section 4)


@pytest.fixture(scope="module")
def worked():
    return cba.appraise(WORKED)


def by_metric(frame):
    return frame.set_index("metric")["value"]


# ---------------------------------------------------------------- summary
def test_summary_figures_are_the_worked_example(worked):
    v = by_metric(tables.summary_table(worked))
    # docs/method.md section 8
    assert v["pv_costs"] == pytest.approx(49661.8357, abs=1e-4)
    assert v["pv_fiscal"] == pytest.approx(73063.2037, abs=1e-4)
    assert v["pv_cashable"] == pytest.approx(36531.6019, abs=1e-4)
    assert v["net_present_budget_impact"] == pytest.approx(23401.3680, abs=1e-4)
    assert v["financial_roi"] == pytest.approx(1.471214, abs=1e-6)
    assert v["payback_period"] == 3
    assert v["pv_fiscal_excluding_transfers"] == pytest.approx(73063.2037, abs=1e-4)  # no transfers
    assert v["pv_public_value"] == pytest.approx(255721.2131, abs=1e-4)
    assert v["net_present_public_value"] == pytest.approx(206059.3774, abs=1e-4)
    assert v["public_value_roi"] == pytest.approx(5.149250, abs=1e-6)
    assert set(tables.summary_table(worked)["case"]) == {"Financial case", "Economic case"}


def test_fiscal_excluding_transfers_hand_checked():
    # a 1,000 saving to DWP of which 400 is a benefit payment (a transfer), 1 year, no discounting
    model = {"name": "t", "price_base": "2024/25", "horizon": 1,
             "costs": [{"name": "c", "agency": "local_authority", "amounts": [500]}],
             "outcomes": [{"name": "o", "cohort": 1, "success": 1, "value": {"components": [
                 {"type": "fiscal", "agency": "dwp", "amount": 600},
                 {"type": "fiscal", "agency": "dwp", "amount": 400, "transfer": True}]}}]}
    v = by_metric(tables.summary_table(cba.appraise(model)))
    assert v["pv_fiscal"] == 1000.0
    assert v["pv_fiscal_excluding_transfers"] == 600.0
    assert v["pv_public_value"] == 600.0
    assert v["net_present_public_value"] == 100.0


def test_undefined_results_are_nan_and_render_as_none():
    model = {"name": "no costs", "price_base": "2024/25", "horizon": 1,
             "outcomes": [{"name": "o", "cohort": 1, "success": 1,
                           "value": {"components": [{"type": "social", "amount": 10}]}}]}
    t = tables.summary_table(cba.appraise(model))
    assert math.isnan(by_metric(t)["financial_roi"])
    row = t[t.metric == "financial_roi"].index[0]
    assert render_table_text(t).splitlines()[row + 3].endswith("none")


# ---------------------------------------------------------------- who pays, who saves
def test_agency_table_worked_example(worked):
    t = tables.agency_table(worked).set_index("agency")
    assert list(t.index) == ["local_authority", "nhs", "total"]
    assert t.loc["local_authority", "pv_costs"] == pytest.approx(40000.0)
    assert t.loc["local_authority", "pv_fiscal"] == pytest.approx(73063.2037, abs=1e-4)
    assert t.loc["local_authority", "pv_cashable"] == pytest.approx(36531.6019, abs=1e-4)
    assert t.loc["local_authority", "net"] == pytest.approx(33063.2037, abs=1e-4)
    assert t.loc["nhs", "pv_costs"] == pytest.approx(10000 * DF1)
    assert t.loc["nhs", "net"] == pytest.approx(-9661.8357, abs=1e-4)
    assert t.loc["local_authority", "cost_share"] == pytest.approx(40000 / 49661.8357, abs=1e-6)
    assert t.loc["total", "roi"] == pytest.approx(1.471214, abs=1e-6)
    assert t.loc["total", "cost_share"] == 1.0
    wpi = tables.agency_table(worked).attrs["wrong_pocket_index"]
    assert wpi == pytest.approx(0.194553, abs=1e-6)
    assert "Wrong-pocket index" in render_table_text(tables.agency_table(worked))
    assert render_table_text(tables.agency_table(worked)).rstrip().endswith("0.19")


def test_agency_roi_is_none_for_an_agency_that_pays_nothing(worked):
    model = cba.load_intervention(WORKED).model_copy(deep=True)
    model.outcomes[0].value.components[0].agency = "police"
    t = tables.agency_table(cba.appraise(model)).set_index("agency")
    assert math.isnan(t.loc["police", "roi"])
    assert t.loc["police", "pv_costs"] == 0.0


# ---------------------------------------------------------------- by year
def test_cost_table_real_and_discounted(worked):
    t = tables.cost_table(worked)
    assert list(t.columns) == ["basis", "agency", "agency_name", "Year 0", "Year 1", "Year 2", "Year 3", "total"]
    real = t[t.basis == "real"].set_index("agency")
    disc = t[t.basis == "discounted"].set_index("agency")
    assert real.loc["nhs", "Year 1"] == 10000.0
    assert disc.loc["nhs", "Year 1"] == pytest.approx(10000 * DF1)
    assert real.loc["total", "total"] == 50000.0
    assert disc.loc["total", "total"] == pytest.approx(worked.metrics["pv_costs"], abs=1e-9)


def test_cost_table_includes_optimism_bias():
    # grade 5 (OB 25%): a cost of 1,000 becomes 1,250 (docs/method.md, section 2)
    model = {"name": "ob", "price_base": "2024/25", "horizon": 1,
             "costs": [{"name": "c", "agency": "police", "amounts": [1000], "confidence": 5}]}
    t = tables.cost_table(cba.appraise(model))
    assert t[(t.basis == "real") & (t.agency == "police")]["total"].item() == 1250.0
    lines = tables.cost_line_table(cba.appraise(model))
    assert lines["optimism_bias"].item() == 0.25 and lines["total"].item() == 1000.0
    assert lines["pv_costs"].item() == 1250.0


def test_benefit_table_worked_example(worked):
    t = tables.benefit_table(worked)
    real = t[t.basis == "real"]
    fiscal = real[(real.value_type == "fiscal") & (real.agency == "local_authority")]
    # fiscal flows 0, 28,800, 25,920, 23,328 (docs/method.md, section 8)
    assert fiscal[["Year 0", "Year 1", "Year 2", "Year 3"]].to_numpy()[0].tolist() == pytest.approx(
        [0, 28800, 25920, 23328])
    disc = t[t.basis == "discounted"].set_index(["value_type", "agency"], drop=False)
    assert disc[(disc.value_type == "fiscal") & (disc.agency == "total")]["total"].item() == pytest.approx(
        worked.metrics["pv_fiscal"], abs=1e-9)
    assert disc[disc.value_type == "economic"]["total"].item() == pytest.approx(worked.metrics["pv_economic"])
    assert disc[disc.value_type == "social"]["total"].item() == pytest.approx(worked.metrics["pv_social"])


def test_year_columns_follow_start_year():
    model = cba.load_intervention(WORKED).model_copy(update={"start_year": "2025/26"})
    t = tables.cost_table(cba.appraise(model))
    assert list(t.columns[3:7]) == ["2025/26", "2026/27", "2027/28", "2028/29"]


# ---------------------------------------------------------------- assumptions
def test_cost_lines_show_uplift_to_the_price_base():
    model = {"name": "u", "price_base": "2024/25", "horizon": 2,
             "costs": [{"name": "Old prices", "agency": "nhs", "amounts": [100, 50], "price_year": "2020/21",
                        "confidence": 2, "source": "a survey"}]}
    a = cba.appraise(model)
    t = tables.cost_line_table(a)
    factor = cba.method._deflators.get("hmt_2026_03").factor("2020/21", "2024/25")
    row = t.iloc[0]
    assert row["field"] == "costs[0]" and row["price_year"] == "2020/21" and row["source"] == "a survey"
    assert row["Year 0"] == 100.0 and row["Year 1"] == 50.0 and row["total"] == 150.0
    assert row["uplift"] == pytest.approx(factor, rel=1e-12)
    assert row["confidence"] == 2 and row["optimism_bias"] == 0.05
    assert row["pv_costs"] == pytest.approx((100 + 50 * DF1) * factor * 1.05, rel=1e-12)


def test_outcome_assumptions(worked):
    row = tables.outcome_table(worked).iloc[0]
    assert row["field"] == "outcomes[0]" and row["cohort_total"] == 100.0
    assert row["net_success_rate"] == pytest.approx(0.32)       # 0.8 x 0.5 x (1 - 0.2)
    assert (row["lag"], row["duration"], row["drop_off"], row["confidence"]) == (1, 3, 0.1, 3)
    assert row["optimism_bias"] == 0.10
    assert row["pv_fiscal"] == pytest.approx(worked.metrics["pv_fiscal"])
    assert row["pv_economic"] == pytest.approx(worked.metrics["pv_economic"])


def test_unit_values_and_database_provenance_when_present(worked):
    t = tables.unit_value_table(worked)
    assert t["type"].tolist() == ["fiscal", "economic", "social"]
    assert t["amount_at_price_base"].tolist() == [1000.0, 2000.0, 500.0]
    assert t["cashable"].iloc[0] == 0.5 and math.isnan(t["cashable"].iloc[1])
    assert "database_version" not in t.columns
    # a unit value resolved from a database carries its provenance: the table shows it
    a = cba.appraise(WORKED)
    a.compiled.component_info[0].update(unit_cost="X1.0", database_version="GMCA v1.4",
                                        original_source="A report (2019)", deflator_vintage="GMCA 2019")
    t = tables.unit_value_table(a)
    assert t.loc[0, "unit_cost"] == "X1.0" and t.loc[0, "database_version"] == "GMCA v1.4"
    assert t.loc[0, "original_source"] == "A report (2019)" and t.loc[1, "database_version"] is None
    assert "Database version" in render_table_text(t, width=1000)  # one line per row at this width
    assert a.provenance["unit_cost_databases"] == ["GMCA v1.4"]


# ---------------------------------------------------------------- provenance
def test_provenance_names_file_hash_deflator_and_run_time(worked):
    t = tables.provenance_table(worked).set_index("item")["value"]
    assert t["model_file_sha256"] == hashlib.sha256(WORKED.read_bytes()).hexdigest()
    # the deflator by its title (its vintage), not its id, in one row
    assert t["deflator"].startswith("HM Treasury GDP deflators, March 2026") and "deflator_vintage" not in t
    assert worked.provenance["deflator"] == "hmt_2026_03"
    assert t["version"] == cba.__version__
    assert "Green Book" in t["discounting"]
    assert t["run_at"].endswith("+00:00")
    # the content hash identifies the model whatever its file looks like
    same = cba.appraise(cba.load_intervention(WORKED))
    assert same.provenance["model_sha256"] == worked.provenance["model_sha256"]
    assert same.provenance["model_file_sha256"] is None


def test_every_table_renders_in_every_form(worked):
    for name, frame in worked.tables().items():
        assert isinstance(frame, pd.DataFrame), name
        text, md, html = render_table_text(frame), render_table_markdown(frame), render_table_html(frame)
        assert frame.attrs["title"] in text and frame.attrs["title"] in md
        assert html.startswith("<table>") and html.count("<tr>") == len(frame) + 1
    with pytest.raises(cba.CBAError, match="unknown table 'nope'"):
        worked.table("nope")


def test_text_rendering_escapes_nothing_and_html_escapes_everything():
    model = cba.load_intervention(WORKED).model_copy(deep=True)
    model.costs[0].name = "<script>alert(1)</script> | pipe"
    a = cba.appraise(model)
    assert "<script>" not in a.table("cost_lines").pipe(render_table_html)
    assert "&lt;script&gt;" in render_table_html(a.table("cost_lines"))
    assert "\\| pipe" in render_table_markdown(a.table("cost_lines"))


# ---------------------------------------------------------------- formatting
@pytest.mark.parametrize("value,kind,text", [
    (23401.368, "money", "£23,401"), (-9661.84, "money", "-£9,662"), (-0.4, "money", "£0"),
    (1234567.5, "money", "£1,234,568"), (1.471214, "ratio", "1.47"), (0.194553, "share", "19.5%"),
    (0.2, "rate", "20.0%"), (0.1225, "rate", "12.25%"), (3.0, "years", "3"), (0.966184, "factor", "0.966184"),
    (None, "money", "none"), (float("nan"), "ratio", "none"), (None, "text", ""), (False, "bool", "no"),
])
def test_fmt(value, kind, text):
    assert fmt(value, kind) == text


# ---------------------------------------------------------------- display of models and results
def test_appraisal_prints_and_renders_html(worked):
    text = str(worked)
    assert "Net present budget impact" in text and "£23,401" in text and "Who pays and who saves" in text
    html = worked._repr_html_()
    assert html.count("<table>") == 2 and "£23,401" in html


def test_intervention_prints_and_renders_as_tables():
    model = cba.load_intervention(WORKED)
    text = str(model)
    assert "Key workers" in text and "£40,000" in text and "80.0%" in text
    assert "fiscal £1,000 to Local authority, 50.0% cashable" in text
    html = model._repr_html_()
    assert html.count("<table>") == 3 and "Nurse time" in html
    assert "<table>" in model.costs[0]._repr_html_()


# ---------------------------------------------------------------- invariants
@settings(max_examples=40, deadline=None)
@given(interventions())
def test_tables_reconcile_with_the_metrics(data):
    a = cba.appraise(data)
    m = {k: (np.nan if v is None else v) for k, v in a.metrics.items()}
    tol = dict(rel=1e-9, abs=1e-6)
    summary = by_metric(tables.summary_table(a))
    for k in ("pv_costs", "pv_fiscal", "pv_public_value", "financial_roi"):
        assert summary[k] == pytest.approx(m[k], nan_ok=True, **tol)
    ag = tables.agency_table(a)
    parts, total = ag[ag.agency != "total"], ag[ag.agency == "total"].iloc[0]
    for col in ("pv_costs", "pv_fiscal", "pv_cashable", "pv_transfer", "net"):
        assert parts[col].sum() == pytest.approx(total[col], **tol)
    assert total["pv_costs"] == pytest.approx(m["pv_costs"], **tol)
    costs = tables.cost_table(a)
    assert costs[(costs.basis == "discounted") & (costs.agency == "total")]["total"].item() == pytest.approx(
        m["pv_costs"], **tol)
    ben = tables.benefit_table(a)
    disc = ben[ben.basis == "discounted"]
    assert disc[(disc.value_type == "fiscal") & (disc.agency == "total")]["total"].item() == pytest.approx(
        m["pv_fiscal"], **tol)
    assert disc[disc.value_type == "economic"]["total"].item() == pytest.approx(m["pv_economic"], **tol)
    lines = tables.cost_line_table(a)
    assert lines["pv_costs"].sum() == pytest.approx(m["pv_costs"], **tol)
    assert summary["pv_fiscal_excluding_transfers"] == pytest.approx(
        m["pv_public_value"] - m["pv_economic"] - m["pv_social"], **tol)


@settings(max_examples=25, deadline=None)
@given(interventions(), st.sampled_from(list(tables.TABLES)))
def test_any_table_of_any_model_renders(data, name):
    frame = cba.appraise(data).table(name)
    assert render_table_text(frame) and render_table_markdown(frame) and render_table_html(frame)
