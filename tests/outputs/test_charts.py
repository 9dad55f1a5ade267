"""Charts: what they show, not only that they draw.

The worked example (method spec section 6) gives hand-checked numbers: the local
authority bears 40,000 in year 0, the NHS 10,000 in year 1 (PV 10,000/1.035 =
9,661.8357); fiscal savings to the local authority are 0, 28,800, 25,920, 23,328
by year (half cashable), economic savings twice and social half of those.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import cba
import cba.outputs.charts._appraisal as charts

ROOT = Path(__file__).resolve().parents[2]
WORKED = ROOT / "examples" / "worked_example.yaml"
FISCAL = np.array([0.0, 28800.0, 25920.0, 23328.0])


@pytest.fixture(scope="module")
def worked():
    return cba.appraise(WORKED)


def container(ax, label):
    """The bar container with this legend label."""
    found = [c for c in ax.containers if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.containers]
    return found[0]


def line(ax, label):
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, [ln.get_label() for ln in ax.get_lines()]
    return found[0]


def heights(bars):
    return np.array([b.get_height() for b in bars])


def bottoms(bars):
    return np.array([b.get_y() for b in bars])


def tick_texts(ax, axis="x"):
    """Tick labels, with long labels' line breaks read as spaces."""
    return [" ".join(t.get_text().split()) for t in getattr(ax, f"get_{axis}ticklabels")()]


# ---------------------------------------------------------------- the agency chart
def test_agency_chart_one_bar_per_agency_with_the_ledger_values(worked):
    fig = charts.agency_chart(worked)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert tick_texts(ax) == ["Local authority", "NHS"]
    costs = container(ax, "Costs borne")
    cash = container(ax, "Fiscal savings: cashable")
    rest = container(ax, "Fiscal savings: non-cashable")
    assert len(costs) == len(cash) == len(rest) == 2
    # costs below the axis: 40,000 and 10,000/1.035
    np.testing.assert_allclose(heights(costs), [-40000.0, -10000.0 / 1.035], rtol=1e-12)
    # cashable half of the local authority's PV fiscal (73,063.2037), stacked under the rest
    pv_fiscal = float(np.sum(FISCAL / 1.035 ** np.arange(4)))
    assert pv_fiscal == pytest.approx(73063.2037, abs=1e-4)
    np.testing.assert_allclose(heights(cash), [pv_fiscal / 2, 0.0], rtol=1e-12)
    np.testing.assert_allclose(heights(rest), [pv_fiscal / 2, 0.0], rtol=1e-12)
    np.testing.assert_allclose(bottoms(rest), heights(cash))
    net = line(ax, "Net position (savings minus costs)")
    np.testing.assert_allclose(net.get_ydata(), [pv_fiscal - 40000, -10000 / 1.035], rtol=1e-12)
    np.testing.assert_array_equal(net.get_xdata(), [0, 1])


def test_agency_chart_labels_name_the_intervention_price_base_and_pounds(worked):
    ax = charts.agency_chart(worked).axes[0]
    assert "Worked example" in ax.get_title(loc="left")
    assert "2024/25" in ax.get_title(loc="left")
    assert ax.get_ylabel() == "Present value (£, 2024/25 prices)"
    assert ax.get_xlabel() == "Agency"
    formatter = ax.yaxis.get_major_formatter()
    assert formatter(40000.0, 0) == "£40,000"
    assert formatter(-1234567.0, 0) == "-£1,234,567"
    # each agency's net position is written above its column (a secondary axis's tick labels)
    assert tick_texts(ax.child_axes[0]) == ["net £33,063", "net -£9,662"]
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "Net position (savings minus costs)"


def test_agency_chart_uses_declared_display_names():
    a = cba.appraise({
        "name": "Declared", "price_base": "2024/25", "horizon": 1,
        "agencies": [{"id": "yot", "name": "Youth Offending Team"}],
        "costs": [{"name": "Mentors", "agency": "yot", "amounts": [500]}],
        "outcomes": [{"name": "x", "cohort": 1, "success": 1,
                      "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 800,
                                                "cashable": 1}]}}],
    })
    ax = charts.agency_chart(a).axes[0]
    assert tick_texts(ax) == ["Youth Offending Team", "Police"]
    np.testing.assert_allclose(heights(container(ax, "Fiscal savings: cashable")), [0.0, 800.0])


# ---------------------------------------------------------------- cumulative and payback
def test_cumulative_chart_marks_payback_at_the_right_year(worked):
    ax = charts.cumulative_chart(worked).axes[0]
    c = line(ax, "Cumulative costs").get_ydata()
    f = line(ax, "Cumulative fiscal benefits").get_ydata()
    cost1 = 40000 + 10000 / 1.035
    np.testing.assert_allclose(c, [40000, cost1, cost1, cost1], rtol=1e-12)
    f2 = 28800 / 1.035 + 25920 / 1.035**2                           # 52,022.684
    np.testing.assert_allclose(f[:3], [0.0, 28800 / 1.035, f2], rtol=1e-12)
    marker = line(ax, "Payback")
    # payback period 3 years = the end of year index 2, the first year cumulative fiscal >= cost
    assert worked.metrics["payback_period"] == 3
    np.testing.assert_array_equal(marker.get_xdata(), [2])
    np.testing.assert_allclose(marker.get_ydata(), [f2], rtol=1e-12)
    assert any("Pays back in 3 years" in t.get_text() for t in ax.texts)
    assert tick_texts(ax) == ["Year 0", "Year 1", "Year 2", "Year 3"]
    assert "2024/25" in ax.get_ylabel() and "2024/25" in ax.get_title(loc="left")


def test_cumulative_chart_without_payback_says_so():
    a = cba.appraise({
        "name": "Never", "price_base": "2024/25", "horizon": 3,
        "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
        "outcomes": [{"name": "x", "cohort": 1, "success": 1,
                      "value": {"components": [{"type": "fiscal", "agency": "nhs", "amount": 100}]}}],
    })
    assert a.metrics["payback_period"] is None
    ax = charts.cumulative_chart(a).axes[0]
    assert "Payback" not in [ln.get_label() for ln in ax.get_lines()]
    assert any(t.get_text() == "No payback within the horizon" for t in ax.texts)


# ---------------------------------------------------------------- by year
def test_benefits_by_year_stacks_value_types(worked):
    ax = charts.benefits_by_year_chart(worked).axes[0]
    cash, rest, economic, social = (container(ax, k) for k in (
        "Fiscal savings: cashable", "Fiscal savings: non-cashable", "Economic benefits", "Social benefits"))
    assert len(cash) == len(rest) == len(economic) == len(social) == 4      # one bar per year
    np.testing.assert_allclose(heights(cash), FISCAL / 2, rtol=1e-12)       # half cashable
    np.testing.assert_allclose(heights(rest), FISCAL / 2, rtol=1e-12)
    np.testing.assert_allclose(bottoms(rest), FISCAL / 2, rtol=1e-12)
    np.testing.assert_allclose(heights(economic), 2 * FISCAL, rtol=1e-12)
    np.testing.assert_allclose(bottoms(economic), FISCAL, rtol=1e-12)
    np.testing.assert_allclose(heights(social), FISCAL / 2, rtol=1e-12)
    np.testing.assert_allclose(bottoms(social), 3 * FISCAL, rtol=1e-12)
    assert "Fiscal: transfer payments" not in [c.get_label() for c in ax.containers]   # none in the model
    assert "real terms" in ax.get_ylabel()
    disc = charts.benefits_by_year_chart(worked, discounted=True).axes[0]
    np.testing.assert_allclose(heights(container(disc, "Fiscal savings: cashable")),
                               FISCAL / 2 / 1.035 ** np.arange(4), rtol=1e-12)
    assert "present value" in disc.get_ylabel()


def test_dis_benefits_stack_below_the_axis():
    a = cba.appraise({
        "name": "Mixed", "price_base": "2024/25", "horizon": 1,
        "outcomes": [{"name": "x", "cohort": 1, "success": 1, "value": {"components": [
            {"type": "fiscal", "agency": "nhs", "amount": 100},
            {"type": "economic", "amount": -40},
            {"type": "social", "amount": -10}]}}],
    })
    ax = charts.benefits_by_year_chart(a).axes[0]
    assert heights(container(ax, "Economic benefits"))[0] == -40
    assert bottoms(container(ax, "Economic benefits"))[0] == 0
    assert bottoms(container(ax, "Social benefits"))[0] == -40
    assert ax.get_ylim()[0] < -50


def test_costs_by_agency_and_year(worked):
    ax = charts.costs_by_agency_chart(worked).axes[0]
    la, nhs = container(ax, "Local authority"), container(ax, "NHS")
    np.testing.assert_allclose(heights(la), [40000, 0, 0, 0])
    np.testing.assert_allclose(heights(nhs), [0, 10000, 0, 0])
    assert ax.get_ylim()[1] > 40000                                 # the top bar is not clipped
    assert "costs by agency and year" in ax.get_title(loc="left")


def test_optimism_bias_and_financial_year_labels_reach_the_costs_chart():
    a = cba.appraise({
        "name": "Graded", "price_base": "2024/25", "start_year": "2025/26", "horizon": 2,
        "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000, 1000], "confidence": 5}],
    })
    ax = charts.costs_by_agency_chart(a).axes[0]
    np.testing.assert_allclose(heights(container(ax, "Local authority")), [1250, 1250])  # grade 5: +25%
    assert tick_texts(ax) == ["2025/26", "2026/27"]


# ---------------------------------------------------------------- edges, files, state
def test_an_empty_model_still_draws_every_chart():
    a = cba.appraise({"name": "Empty", "price_base": "2024/25", "horizon": 2})
    figs = charts.all_charts(a)
    assert set(figs) == {"agencies", "cumulative", "benefits", "costs"}
    assert any("No costs or fiscal savings" in t.get_text() for t in figs["agencies"].axes[0].texts)


def test_charts_leave_pyplot_alone_and_save_png_and_svg(worked, tmp_path):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    figs = charts.all_charts(worked)
    assert plt.get_fignums() == before
    for name, fig in figs.items():
        fig.savefig(tmp_path / f"{name}.png")
        fig.savefig(tmp_path / f"{name}.svg")
        assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in (tmp_path / f"{name}.svg").read_text()


def test_to_svg_keeps_text_and_is_reproducible(worked):
    svg = charts.to_svg(charts.agency_chart(worked))
    assert svg.count("<svg") == 1
    assert "Local authority" in svg and "£33,063" in svg.replace("&#163;", "£")
    assert svg == charts.to_svg(charts.agency_chart(worked))


def test_appraisal_plot_delegates(worked):
    fig = worked.plot("cumulative")
    assert [ln.get_label() for ln in fig.axes[0].get_lines()][:2] == ["Cumulative costs",
                                                                     "Cumulative fiscal benefits"]
    with pytest.raises(cba.CBAError, match="unknown chart 'pie'"):
        worked.plot("pie")


# ---------------------------------------------------------------- properties
amounts = st.lists(st.integers(0, 50_000), min_size=1, max_size=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(costs=amounts, value=st.integers(0, 3000), cohort=st.integers(0, 60),
       lag=st.integers(0, 2), agency=st.sampled_from(["nhs", "police", "local_authority"]))
def test_payback_marker_sits_where_cumulative_benefit_first_covers_cost(costs, value, cohort, lag, agency):
    a = cba.appraise({
        "name": "Random", "price_base": "2024/25", "horizon": 5,
        "costs": [{"name": "c", "agency": "local_authority", "amounts": costs}],
        "outcomes": [{"name": "o", "cohort": [cohort] * 5, "success": 0.5, "lag": lag, "duration": 2,
                      "value": {"components": [{"type": "fiscal", "agency": agency, "amount": value}]}}],
    })
    fig = charts.cumulative_chart(a)
    ax = fig.axes[0]
    c = line(ax, "Cumulative costs").get_ydata()
    f = line(ax, "Cumulative fiscal benefits").get_ydata()
    labels = [ln.get_label() for ln in ax.get_lines()]
    if a.metrics["payback_period"] is None:
        assert "Payback" not in labels
    else:
        t = int(line(ax, "Payback").get_xdata()[0])
        assert f[t] >= c[t] and c[t] > 0
        assert all(not (f[s] >= c[s] and c[s] > 0) for s in range(t))
    agency_ax = charts.agency_chart(a).axes[0]
    table = a.by_agency()
    assert len(container(agency_ax, "Costs borne")) == len(table)
    assert -heights(container(agency_ax, "Costs borne")).sum() == pytest.approx(a.metrics["pv_costs"])
    fiscal = heights(container(agency_ax, "Fiscal savings: cashable")) + heights(
        container(agency_ax, "Fiscal savings: non-cashable"))
    assert fiscal.sum() == pytest.approx(a.metrics["pv_fiscal"])
