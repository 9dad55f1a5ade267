"""Tornado chart and Monte Carlo histogram (Agg backend, object API)."""

import io

import matplotlib
import pytest

import cba
from cba.core._errors import CBAError
from cba.outputs.charts._uncertainty import HIGH_COLOUR, LOW_COLOUR, histogram, metric_kind, tornado
from cba.uncertainty import montecarlo, one_way

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def worked():
    from ..conftest import EXAMPLES

    return cba.load_intervention(EXAMPLES / "worked_example.yaml")


def test_tornado_bars_run_from_base_to_each_end(worked):
    s = one_way(worked, {"costs[0].amounts": (0.8, 1.2), "outcomes[0].success": (0.4, 0.6)})
    data = s.tornado("financial_roi")
    fig = tornado(data)
    ax = fig.axes[0]
    labels = [" ".join(t.get_text().split()) for t in ax.get_yticklabels()]     # long names wrap
    assert labels == ["Fewer repeat incidents: success", "Key workers: cost (multiplier)"]
    bars = ax.patches
    assert len(bars) == 4
    base = data["metric_base"].iloc[0]
    ends = sorted(round(b.get_x() + b.get_width(), 9) for b in bars)
    expected = sorted(round(v, 9) for v in [*data["metric_low"], *data["metric_high"]])
    assert ends == expected
    assert all(b.get_x() == pytest.approx(base) for b in bars)
    colours = {matplotlib.colors.to_hex(b.get_facecolor()).upper() for b in bars}
    assert colours == {LOW_COLOUR, HIGH_COLOUR}
    texts = {t.get_text() for t in ax.texts}
    assert {"0.4", "0.6", "×0.8", "×1.2"} <= texts
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    assert b"Fewer repeat incidents: success" in buf.getvalue() or b"<svg" in buf.getvalue()
    assert len(tornado(data, max_bars=1).axes[0].patches) == 2


def test_tornado_needs_one_metric(worked):
    s = one_way(worked, {"outcomes[0].success": (0.4, 0.6)})
    with pytest.raises(CBAError, match="expected the data of one metric"):
        tornado(s.table)
    with pytest.raises(CBAError, match="expected tornado data"):
        tornado("financial_roi")
    ax = s.chart("net[nhs]").axes[0]
    assert ax.get_xlabel().startswith("NHS: net position")                 # a name, never the id
    assert "net[nhs]" not in ax.get_title(loc="left") + ax.get_xlabel()


def test_histogram(worked):
    r = montecarlo(worked, {"outcomes[0].success": {"dist": "uniform", "low": 0.3, "high": 0.5}}, draws=500,
                   seed=1, keep_draws=True, progress=False)
    fig = histogram(r, "financial_roi")
    ax = fig.axes[0]
    assert sum(p.get_height() for p in ax.patches) == 500
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "Draws" and legend[1].startswith("Threshold > 1.00:\nprobability")
    with pytest.raises(CBAError, match="keep_draws=True"):
        histogram(montecarlo(worked, {"outcomes[0].success": 0.4}, draws=5, seed=1, progress=False))


def test_metric_kinds():
    assert [metric_kind(m) for m in ("pv_costs", "roi[nhs]", "irr", "cost_share[dwp]", "payback_period")] == \
        ["money", "ratio", "rate", "share", "years"]
