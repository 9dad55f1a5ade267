"""Charts that cannot mislead: layout checked from the renderer's bounding boxes, one
palette across every chart, transfers as their own category, names and the price
base in titles, sensible one-year charts, whole-number histograms.

The layout checks (:mod:`tests.chart_checks`) draw each figure and require every
piece of text inside the figure and clear of every other piece of text, and every
bar, marker and value label inside its axes: for every chart type, on every
example model and on awkward ones (one year, thirty years, many agencies with long
names).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.colors import to_hex

import cba
import cba.outputs.charts._appraisal as charts
import cba.outputs.charts._deal as deal_charts
from cba.outputs._palette import CANONICAL_AGENCY_COLOURS, CAPTIONS, COLOURS, DEAL_CAPTIONS, LABELS
from cba.outputs.charts._uncertainty import histogram
from cba.uncertainty import (
    montecarlo,
    one_way,
)
from cba.uncertainty._spec import load_spec

from ..conftest import EXAMPLES
from ..support.chart_checks import layout_problems, texts

MODELS = sorted(p for p in [*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*/model.yaml"),
                            *EXAMPLES.glob("options/*.yaml"), *EXAMPLES.glob("partnership/*/model.yaml"),
                            EXAMPLES / "partnership" / "programme.yaml"]
                if "uncertainty" not in p.name)

ONE_YEAR = {"name": "One-year pilot", "price_base": "2024/25", "horizon": 1,
            "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
            "outcomes": [{"name": "Fewer call-outs", "cohort": 10, "success": 0.5,
                          "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}]}

LONG_NAMES = [f"{w} Metropolitan Borough Council adult social care and health partnership"
              for w in ("Northern", "Southern", "Eastern", "Western", "Central", "Coastal")]
WIDE = {
    "name": "A thirty-year programme with many partners whose names are long, to test the layout of every chart",
    "price_base": "2024/25", "start_year": "2025/26", "horizon": 30,
    "agencies": [{"id": f"council_{i}", "name": n} for i, n in enumerate(LONG_NAMES)],
    "costs": [{"name": f"Team {i}", "agency": f"council_{i}", "amounts": [150000 * (i + 1)] * 5}
              for i in range(len(LONG_NAMES))],
    "outcomes": [{"name": "Fewer admissions", "cohort": [200] * 10, "success": 0.3, "duration": 5,
                  "value": {"components": [
                      {"type": "fiscal", "agency": "nhs", "amount": 2400, "cashable": 0.3},
                      {"type": "fiscal", "agency": "dwp", "amount": 1800, "transfer": True},
                      {"type": "fiscal", "agency": "council_2", "amount": 900, "cashable": 1},
                      {"type": "economic", "amount": 3000}, {"type": "social", "amount": -400}]}}],
}


def all_figures(appraisal) -> dict:
    figs = charts.all_charts(appraisal)
    if getattr(appraisal.intervention, "partnership", None) is not None:
        figs.update(deal_charts.all_deal_charts(appraisal.partnership()))
    return figs


def bars(ax, label):
    found = [c for c in ax.containers if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.containers]
    return found[0]


def colour(bar_container) -> str:
    return to_hex(bar_container.patches[0].get_facecolor()).upper()


@pytest.mark.parametrize("model", [*MODELS, "one_year", "wide"],
                         ids=[*(p.relative_to(EXAMPLES).as_posix() for p in MODELS), "one_year", "wide"])
def test_every_chart_is_laid_out_cleanly(model):
    data = {"one_year": ONE_YEAR, "wide": WIDE}.get(model, model)
    for name, fig in all_figures(cba.appraise(data)).items():
        assert layout_problems(fig) == [], name


def test_uncertainty_charts_are_laid_out_cleanly():
    for model, spec in ((EXAMPLES / "worked_example.yaml", EXAMPLES / "worked_example_uncertainty.yaml"),
                        (EXAMPLES / "partnership/back_to_work/model.yaml",
                         EXAMPLES / "partnership/back_to_work/uncertainty.yaml")):
        s = load_spec(spec)
        m = cba.load_intervention(model)
        if s.ranges:
            sens = one_way(m, s.ranges, relative=s.relative)
            for metric in ("financial_roi", "net_present_public_value", "payback_period", "net[local_authority]"):
                assert layout_problems(sens.chart(metric)) == [], (model.name, metric)
        r = montecarlo(m, s.distributions, draws=500, seed=1, keep_draws=True, progress=False)
        for metric in ("financial_roi", "net_present_public_value", "payback_period", "net[local_authority]"):
            assert layout_problems(histogram(r, metric)) == [], (model.name, metric)


def test_the_layout_check_can_fail():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.bar([0], [10])
    ax.set_ylim(0, 5)                                   # the bar is clipped
    ax.text(0.1, 0.5, "one label", transform=ax.transAxes)
    ax.text(0.12, 0.5, "another label", transform=ax.transAxes)
    fig.text(0.9, 0.5, "far beyond the right edge")
    problems = " | ".join(layout_problems(fig))
    assert "reaches outside the axes" in problems
    assert "overlaps text" in problems
    assert "leaves the figure" in problems


# ---------------------------------------------------------------- transfers
def test_transfers_are_their_own_category():
    a = cba.appraise(EXAMPLES / "gm_working_well" / "model.yaml")
    table = a.by_agency().set_index("agency")
    ax = charts.agency_chart(a).axes[0]
    transfer = bars(ax, LABELS["transfer"])
    cash, rest = bars(ax, LABELS["cashable"]), bars(ax, LABELS["non_cashable"])
    order = list(a.by_agency()["agency"])
    heights = {k: np.array([b.get_height() for b in c]) for k, c in
               (("transfer", transfer), ("cash", cash), ("rest", rest))}
    np.testing.assert_allclose(heights["transfer"], table.loc[order, "pv_transfer"], rtol=1e-12)
    np.testing.assert_allclose(heights["transfer"] + heights["cash"] + heights["rest"],
                               table.loc[order, "pv_fiscal"], rtol=1e-12)
    assert heights["transfer"][order.index("dwp")] > 0 and heights["rest"][order.index("dwp")] == 0
    ben = charts.benefits_by_year_chart(a).axes[0]
    yearly = np.array([b.get_height() for b in bars(ben, LABELS["transfer"])])
    assert yearly.sum() == pytest.approx(a.by_year()["transfer"].sum(), rel=1e-12)
    assert len({colour(transfer), colour(cash), colour(rest)}) == 3


# ---------------------------------------------------------------- one palette
def test_each_concept_and_agency_keeps_its_colour_in_every_chart():
    wide = cba.appraise(WIDE)
    agencies_ax = charts.agency_chart(wide).axes[0]
    benefits_ax = charts.benefits_by_year_chart(wide).axes[0]
    for concept in ("cashable", "non_cashable", "transfer"):
        assert colour(bars(agencies_ax, LABELS[concept])) == colour(bars(benefits_ax, LABELS[concept])) \
            == COLOURS[concept].upper()
    assert colour(bars(agencies_ax, LABELS["cost"])) == COLOURS["cost"].upper()
    # agencies: the same colour in the costs chart and in the deal's charts, never a concept's colour
    a = cba.appraise(EXAMPLES / "partnership" / "back_to_work" / "model.yaml")
    costs_ax = charts.costs_by_agency_chart(a).axes[0]
    result = a.partnership()
    after = bars(deal_charts.positions_chart(result).axes[0], "With the deal")
    partners = result.partners().set_index("agency_name")
    checked = 0
    for c in costs_ax.containers:
        agency = partners.index.get_loc(c.get_label())
        assert to_hex(after.patches[agency].get_facecolor()).upper() == colour(c)
        assert colour(c) == CANONICAL_AGENCY_COLOURS[partners["agency"].iloc[agency]].upper()
        checked += 1
    assert checked >= 1
    concept_colours = {v.upper() for k, v in COLOURS.items() if k not in ("net", "payback")}
    assert not concept_colours & {v.upper() for v in CANONICAL_AGENCY_COLOURS.values()}


def test_flows_are_drawn_in_the_payers_colour():
    r = cba.appraise(EXAMPLES / "partnership" / "outcomes_contract" / "model.yaml").partnership()
    ax = deal_charts.flows_chart(r).axes[0]
    positions = deal_charts.positions_chart(r).axes[0]
    partners = list(r.partners()["agency"])
    after = bars(positions, "With the deal")
    for bar, payer in zip(ax.patches, r.flows_between()["from"]):
        assert to_hex(bar.get_facecolor()) == to_hex(after.patches[partners.index(payer)].get_facecolor())


# ---------------------------------------------------------------- words
def test_every_chart_has_a_caption_that_says_what_is_drawn():
    assert set(CAPTIONS) == set(charts.CHARTS) and set(DEAL_CAPTIONS) == set(deal_charts.DEAL_CHARTS)
    assert "transfer" in CAPTIONS["agencies"] and "cashable" in CAPTIONS["agencies"]
    assert "optimism-bias" in CAPTIONS["costs"] and "real terms" in CAPTIONS["benefits"]
    assert "payer" in DEAL_CAPTIONS["deal_flows"]


def test_titles_use_display_names_and_the_price_base_never_ids():
    a = cba.appraise(WIDE)
    for name, fig in all_figures(a).items():
        words = " ".join(t.get_text() for t in texts(fig))
        assert "council_" not in words and "local_authority" not in words, name
        assert "2024/25" in fig.axes[0].get_title(loc="left"), name
    s = one_way(cba.appraise(EXAMPLES / "worked_example.yaml"), {"outcomes[0].success": (0.4, 0.6)},
                metrics=["net[local_authority]", "financial_roi"])
    fig = s.chart("net[local_authority]")
    words = " ".join(t.get_text() for t in texts(fig))
    assert "Local authority: net position" in words and "net[" not in words and "2024/25" in words
    assert "Worked example" in fig.axes[0].get_title(loc="left")


# ---------------------------------------------------------------- one year, whole numbers
def test_a_one_year_model_has_sensible_charts():
    a = cba.appraise(ONE_YEAR)
    figs = charts.all_charts(a)
    for name in ("benefits", "costs"):
        ax = figs[name].axes[0]
        bar = ax.patches[0]
        width = bar.get_window_extent().width / ax.get_window_extent().width
        assert 0.1 < width < 0.4, (name, width)                    # a bar, not a wall
    ax = figs["cumulative"].axes[0]
    assert {t.get_text() for t in ax.texts} >= {"£1,000", "£1,500"}   # single points say what they are
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Year 0"]


def test_payback_histogram_has_one_bar_per_whole_year():
    model = cba.load_intervention(EXAMPLES / "worked_example.yaml")
    spec = load_spec(EXAMPLES / "worked_example_uncertainty.yaml")
    r = montecarlo(model, spec.distributions, draws=400, seed=3, keep_draws=True, progress=False)
    ax = histogram(r, "payback_period").axes[0]
    centres = [p.get_x() + p.get_width() / 2 for p in ax.patches]
    assert centres and all(c == pytest.approx(round(c)) for c in centres)
    assert all(p.get_width() < 1 for p in ax.patches)
    values = r.values[:, r.metrics.index("payback_period")]
    assert sum(p.get_height() for p in ax.patches) == np.count_nonzero(~np.isnan(values))
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(t.isdigit() for t in ticks)
