"""The appraisal computes its results from the engine's totals and builds the ledger
only on demand: every result equals the ledger-based computation it replaced, to
1e-12 relative, on every shipped example model, and the ledger, when built, still
sums to the totals."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

import cba
import cba.outputs.tables._tables as tables
from cba.engine import compile_model
from cba.engine._evaluate import evaluate
from cba.engine._metrics import METRIC_NAMES
from cba.ledger import pv_fiscal_excluding_transfers
from cba.ledger._appraisal import Appraisal
from cba.ledger._groups import central_government_share
from cba.ledger._ledger import build_ledger, totals_from_ledger
from cba.outputs._format import render_table_html, render_table_text
from cba.outputs._summary import render_html

from ..support.strategies import interventions

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
REL = 1e-12


def _is_model(path: Path) -> bool:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and "price_base" in data and "candidates" not in data  # not a portfolio file


MODELS = sorted(p for p in EXAMPLES.rglob("*.yaml") if _is_model(p))


def ledger_appraisal(intervention: cba.Intervention) -> Appraisal:
    """The appraisal as it was computed before: metrics aggregated from the ledger."""
    compiled = compile_model(intervention)
    return Appraisal(intervention, compiled, build_ledger(compiled, evaluate(compiled)))


def ledger_by_year(a: Appraisal) -> pd.DataFrame:
    """The yearly table as it was computed before: sums of ledger rows by year."""
    H = a.compiled.horizon
    led = a.ledger
    out = pd.DataFrame({"year": np.arange(H), "year_label": list(a.compiled.year_labels),
                        "discount_factor": a.compiled.params["discount_factors"]})
    fiscal = led["value_type"] == "fiscal"
    selections = {
        "costs": led["value_type"] == "cost", "fiscal": fiscal, "cashable": fiscal & led["cashable"],
        "transfer": fiscal & led["transfer"], "economic": led["value_type"] == "economic",
        "social": led["value_type"] == "social",
    }
    for name, mask in selections.items():
        g = led[mask].groupby("year")[["real", "discounted"]].sum()
        out[name] = g["real"].reindex(out["year"], fill_value=0.0).to_numpy()
        out[f"discounted_{name}"] = g["discounted"].reindex(out["year"], fill_value=0.0).to_numpy()
    out["public_value"] = out["fiscal"] - out["transfer"] + out["economic"] + out["social"]
    out["discounted_public_value"] = (out["discounted_fiscal"] - out["discounted_transfer"]
                                      + out["discounted_economic"] + out["discounted_social"])
    out["fiscal_net"] = out["fiscal"] - out["costs"]
    out["discounted_fiscal_net"] = out["discounted_fiscal"] - out["discounted_costs"]
    out["cumulative_discounted_fiscal_net"] = out["discounted_fiscal_net"].cumsum()
    return out


def ledger_pv_fiscal_excluding_transfers(a: Appraisal) -> float:
    led = a.ledger
    keep = (led["value_type"] == "fiscal") & ~led["transfer"].astype(bool)
    return float(led.loc[keep, "discounted"].sum())


def ledger_summary_table(a: Appraisal) -> pd.DataFrame:
    """The summary table as it was built before (a DataFrame of rows)."""
    from cba.outputs._labels import SUMMARY_ROWS
    from cba.outputs.tables._frame import _table

    metrics = {**a.metrics, "pv_fiscal_excluding_transfers": ledger_pv_fiscal_excluding_transfers(a)}
    rows = [{"case": case, "metric": m, "label": label, "value": np.nan if metrics[m] is None else metrics[m],
             "unit": kind} for case, m, label, kind in SUMMARY_ROWS]
    if "pv_cost_reduction" in metrics:  # the model classes savings: the financial case shows both
        at = next(i for i, r in enumerate(rows) if r["metric"] == "pv_cashable") + 1
        rows[at:at] = [{"case": "Financial case", "metric": m, "label": label, "value": metrics[m],
                        "unit": "money"} for m, label in (("pv_cost_reduction", "of which cost reduction"),
                                                          ("pv_cost_avoidance", "of which cost avoidance"))]
    notes = []
    if a.value_for_money_bands is not None:   # issue 21: a category only where the model asks for one
        from cba.model._value_for_money import NOT_A_VERDICT

        label = a.value_for_money_bands.label()
        rows.append({"case": "Economic case", "metric": "value_for_money", "label": label[0].upper() + label[1:],
                     "value": a.value_for_money or "none", "unit": "text"})
        notes.append({"label": "Value for money category", "value": NOT_A_VERDICT, "kind": "text"})
    return _table(pd.DataFrame(rows), "Financial and economic case (present values at the price base)",
                  kinds={"value": "@unit", "case": "text", "label": "text"},
                  labels={"case": "Case", "label": "Result", "value": "Value"}, hidden=("metric", "unit"),
                  notes=notes)


def frame_agency_table(a: Appraisal) -> pd.DataFrame:
    """The agency table as it was built before: by_agency() and a total row, in pandas."""
    from cba.outputs.tables._frame import _table
    from cba.outputs.tables._headline import AGENCY_LABELS

    by = a.by_agency()
    m = a.metrics
    cols = ["agency", "agency_name", "pv_costs", "pv_fiscal", "pv_cashable", "pv_transfer", "net",
            "roi", "cost_share", "fiscal_share"]
    by = by[cols]
    costs, fiscal = float(by["pv_costs"].sum()), float(by["pv_fiscal"].sum())
    total = {"agency": "total", "agency_name": "All agencies", "pv_costs": costs, "pv_fiscal": fiscal,
             "pv_cashable": float(by["pv_cashable"].sum()), "pv_transfer": float(by["pv_transfer"].sum()),
             "net": fiscal - costs, "roi": np.nan if m["financial_roi"] is None else m["financial_roi"],
             "cost_share": 1.0 if costs else np.nan, "fiscal_share": 1.0 if fiscal else np.nan}
    frame = pd.concat([by, pd.DataFrame([total])], ignore_index=True)
    wpi = m["wrong_pocket_index"]
    central = central_government_share(a)
    kinds = {c: "money" for c in cols[2:7]}
    kinds.update(roi="ratio", cost_share="share", fiscal_share="share", agency="text", agency_name="text")
    out = _table(frame, "Who pays and who saves (present values at the price base)", kinds=kinds,
                 labels=AGENCY_LABELS, hidden=("agency",),
                 notes=[{"label": "Share of fiscal savings banked by central government (DWP, HMRC, justice)",
                         "value": central, "kind": "share"},
                        {"label": "Wrong-pocket index (0 aligned, 1 all savings in the wrong pocket)",
                         "value": wpi, "kind": "ratio"}])
    out.attrs["wrong_pocket_index"] = wpi
    out.attrs["central_government_share"] = central
    return out


def same(new, old, where: str) -> None:
    """Equal to 1e-12 relative; none (None or NaN) on both sides, or text equal."""
    if isinstance(old, float | int | np.floating | np.integer) and not isinstance(old, bool | np.bool_):
        if math.isnan(old):
            assert new is None or math.isnan(new), where
            return
        assert new is not None and not isinstance(new, bool), where
        assert abs(new - old) <= REL * max(abs(new), abs(old)), (where, new, old)
    elif old is None:
        assert new is None or (isinstance(new, float) and math.isnan(new)), (where, new)
    elif isinstance(old, dict):
        assert new.keys() == old.keys(), where
        for k in old:
            same(new[k], old[k], f"{where}.{k}")
    elif isinstance(old, list):
        assert len(new) == len(old), where
        for i, (x, y) in enumerate(zip(new, old)):
            same(x, y, f"{where}[{i}]")
    else:
        assert new == old, (where, new, old)


def same_frame(new: pd.DataFrame, old: pd.DataFrame, where: str) -> None:
    assert list(new.columns) == list(old.columns), where
    assert list(new.dtypes) == list(old.dtypes), where
    same(new.to_dict(orient="list"), old.to_dict(orient="list"), where)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_gives_the_results_of_the_ledger_path(path):
    new = cba.appraise(path)
    old = ledger_appraisal(new.intervention)
    same(new.metrics, old.metrics, "metrics")
    same_frame(new.by_agency(), old.by_agency(), "by_agency")
    same_frame(new.by_year(), ledger_by_year(old), "by_year")
    same(pv_fiscal_excluding_transfers(new), ledger_pv_fiscal_excluding_transfers(old), "pv_fiscal_excl")
    same_frame(tables.summary_table(new), ledger_summary_table(old), "summary_table")
    assert tables.summary_table(new).attrs == ledger_summary_table(old).attrs
    same_frame(tables.agency_table(new), frame_agency_table(old), "agency_table")
    # the agency table from the same numbers is the same, bit for bit
    pd.testing.assert_frame_equal(tables.agency_table(new), frame_agency_table(new), check_exact=True)
    assert tables.agency_table(new).attrs == frame_agency_table(new).attrs
    # the readable summary, rendered without pandas, is the rendering of the DataFrames
    heading = new.summary().split("\n\n")[0]
    from cba.outputs._format import wrap_lines  # warnings wrap to the screen's width (issue 12, item 5)

    warnings = [line for w in new.warnings for line in wrap_lines(f"WARNING: {w}")]
    assert new.summary() == "\n".join([heading, "", *warnings, *([""] if warnings else []),
                                        render_table_text(tables.summary_table(new)), "",
                                        render_table_text(tables.agency_table(new))])
    assert render_html(new) == (render_html(new).split("<table>")[0] + render_table_html(tables.summary_table(new))
                                + render_table_html(tables.agency_table(new)) + "</div>")
    # every number of the JSON results (metrics, tables, ledger, assumptions)
    new_dict, old_dict = new.to_dict(), old.to_dict()
    for d in (new_dict, old_dict):
        d["provenance"].pop("run_at"), d["provenance"].pop("model_file"), d["provenance"].pop("model_file_sha256")
    same(new_dict, old_dict, "to_dict")


def test_the_ledger_is_built_only_when_asked_for(worked_example_path):
    a = cba.appraise(worked_example_path)
    a.by_agency(), a.by_year(), a.summary(), a.provenance
    assert "ledger" not in a.__dict__
    ledger = a.ledger
    assert a.ledger is ledger                      # built once
    assert len(ledger) and "ledger" in a.__dict__


def test_flows_and_totals_are_the_engines_computed_once(worked_example_path):
    a = cba.appraise(worked_example_path)
    assert a.flows is a.flows and a.totals is a.totals
    fresh = evaluate(a.compiled)
    np.testing.assert_array_equal(a.flows.benefits, fresh.benefits)
    np.testing.assert_array_equal(a.flows.costs, fresh.costs)
    assert a.totals.agencies == a.compiled.agencies
    assert a.totals.costs.shape == (1, len(a.compiled.agencies), a.compiled.horizon)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interventions())
def test_the_ledger_sums_to_the_totals(data):
    a = cba.appraise(data)
    from_ledger = totals_from_ledger(a.ledger, a.compiled.agencies, a.compiled.horizon,
                                     a.compiled.params["discount_factors"])
    for name in ("costs", "fiscal", "cashable", "transfer", "economic", "social", "discount_factors"):
        new, old = getattr(a.totals, name), getattr(from_ledger, name)
        scale = max(1.0, float(np.abs(old).max(initial=0.0)))
        np.testing.assert_allclose(new, old, rtol=1e-12, atol=1e-12 * scale, err_msg=name)
    old = ledger_appraisal(a.intervention)
    for name in METRIC_NAMES:
        x, y = a.metrics[name], old.metrics[name]
        assert (x is None) == (y is None), name
        if x is not None:
            assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6), name
