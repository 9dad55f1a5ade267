"""Issue 19, item 9: the public API's entry points raise cba.CBAError for every wrong argument.

A deal given as text or a number, None or a number where a model, appraisal, folder or
path is expected, a path of the wrong type: each is a CBAError naming the argument,
locally and through Dask, never a TypeError or AttributeError from deep inside.
"""

from __future__ import annotations

import inspect

import pytest

import cba
import cba.engine
import cba.partnership
import cba.portfolios
import cba.uncertainty
import cba.unit_costs
from cba.core._errors import CBAError
from cba.core._files import write_file

from ..conftest import EXAMPLES

WORKED = EXAMPLES / "worked_example.yaml"
DIST = {"outcomes[0].success": {"dist": "uniform", "low": 0.1, "high": 0.9}}
#: Wrong arguments where a model, appraisal, path or list is expected.
WRONG = [None, 42, 1.5, True, b"model.yaml", object(), float("nan")]


@pytest.fixture(scope="module")
def appraisal():
    return cba.appraise(WORKED)


def _count(x):
    """``x`` as a wrong count: 42 is a fine number of draws, a seed or of workers, -42 is not."""
    return -42 if x == 42 and not isinstance(x, bool) else x


#: Each public entry point with the one argument given wrongly (``x``).
ENTRY_POINTS = {
    "cba.appraise": lambda a, x: cba.appraise(x),
    "cba.compare": lambda a, x: cba.compare(x),
    "cba.compare (an option)": lambda a, x: cba.compare([a, x]),
    "cba.load_intervention": lambda a, x: cba.load_intervention(x),
    "cba.Intervention.from_dict": lambda a, x: cba.Intervention.from_dict(x),
    "cba.engine.compile_model": lambda a, x: cba.engine.compile_model(x),
    "Appraisal.partnership": lambda a, x: a.partnership(x) if x is not None else a.partnership(object()),
    "cba.partnership.appraise_deal (appraisal)": lambda a, x: cba.partnership.appraise_deal(x),
    "cba.partnership.appraise_deal (terms)": lambda a, x: cba.partnership.appraise_deal(a, x if x is not None
                                                                                          else "gain"),
    "Appraisal.to_excel": lambda a, x: a.to_excel(x),
    "cba.core._files.write_file": lambda a, x: write_file("text", x),
    "cba.unit_costs.load": lambda a, x: cba.unit_costs.load(x),
    "cba.unit_costs.from_csv": lambda a, x: cba.unit_costs.from_csv(x),
    "UnitCostDatabase.from_workbook": lambda a, x: cba.unit_costs.UnitCostDatabase.from_workbook(x),
    "cba.uncertainty.montecarlo (model)": lambda a, x: cba.uncertainty.montecarlo(x, DIST, draws=10, progress=False),
    "cba.uncertainty.montecarlo (distributions)": lambda a, x: cba.uncertainty.montecarlo(a, x, draws=10,
                                                                                           progress=False),
    "cba.uncertainty.montecarlo (draws)": lambda a, x: cba.uncertainty.montecarlo(a, DIST, draws=_count(x),
                                                                                   progress=False),
    "cba.uncertainty.montecarlo (seed)": lambda a, x: cba.uncertainty.montecarlo(
        a, DIST, draws=10, seed=_count(x) if x is not None else "seed", progress=False),
    "cba.uncertainty.montecarlo (workers)": lambda a, x: cba.uncertainty.montecarlo(
        a, DIST, draws=10, workers=_count(x) if x is not None else "2", progress=False),
    "cba.uncertainty.scenarios": lambda a, x: cba.uncertainty.scenarios(x, {"low": {}}),
    "cba.uncertainty.scenarios (scenarios)": lambda a, x: cba.uncertainty.scenarios(a, x),
    "cba.uncertainty.one_way": lambda a, x: cba.uncertainty.one_way(x, {"outcomes[0].success": [0.4, 0.6]}),
    "cba.uncertainty.switching_value": lambda a, x: cba.uncertainty.switching_value(x, "outcomes[0].success"),
    "cba.uncertainty.switching_value (parameter)": lambda a, x: cba.uncertainty.switching_value(a, x),
    "cba.uncertainty.appraise_many": lambda a, x: cba.uncertainty.appraise_many(x),
    "cba.uncertainty.appraise_many (a model)": lambda a, x: cba.uncertainty.appraise_many([a, x]),
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("wrong", WRONG, ids=["None", "42", "1.5", "True", "bytes", "object", "nan"])
def test_a_wrong_argument_is_a_cba_error(appraisal, entry, wrong):
    try:
        ENTRY_POINTS[entry](appraisal, wrong)
    except CBAError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    except BaseException as exc:  # the point: nothing else may escape
        pytest.fail(f"{entry}({wrong!r}): {type(exc).__name__}: {exc}")
    else:
        pytest.fail(f"{entry}({wrong!r}): no error")


@pytest.mark.parametrize("deal", ["gain_share", 0.2, 3, ["gain_share"], b"x"], ids=repr)
def test_a_deal_given_as_text_or_a_number_names_what_is_expected(appraisal, deal):
    with pytest.raises(CBAError, match=r"^partnership: expected deal terms: a Partnership, a dict"):
        appraisal.partnership(deal)


def test_paths_of_the_wrong_type_name_the_argument():
    with pytest.raises(CBAError, match=r"^load_intervention: path: expected a file path \(text or a pathlib.Path\), "
                                       r"got a dict"):
        cba.load_intervention({"name": "x"})
    with pytest.raises(CBAError, match=r"^unit cost CSV: expected a file path .*got None"):
        cba.unit_costs.from_csv(None)


def test_through_dask_as_locally(appraisal):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        for wrong in (None, 42):
            with pytest.raises(CBAError, match=r"^models\[1\]: expected an Intervention"):
                cba.uncertainty.appraise_many([appraisal, wrong], client=client)
            with pytest.raises(CBAError):
                cba.uncertainty.montecarlo(wrong, DIST, draws=10, progress=False, client=client)


# ---------------------------------------------------------------- every public callable, every argument
#: Wrong values tried in every argument of every public callable (``[None]``: a list holding None).
BAD = {"None": None, "text": "x", "True": True, "object": object(), "nan": float("nan"), "inf": float("inf"),
       "bytes": b"x", "[None]": [None]}
#: What an argument accepts among the wrong values (those combinations are not tried):
#: t text, f True (a yes/no value), o None (optional), n NaN (a number that is none; ``[None]`` is one
#: too), i infinity (an unbounded side).
ACCEPTS = {"t": {"text"}, "f": {"True"}, "o": {"None"}, "n": {"nan", "[None]"}, "i": {"inf"}}
#: Public names that are not in :func:`public_calls`, and why.
NOT_CALLED = {
    # errors, results the library builds, pydantic models (already a ModelError for a wrong field)
    "CBAError", "ModelError", "Appraisal", "PartnershipResult", "MonteCarloResult", "ScenarioResult",
    "SensitivityResult", "SwitchingValue", "Parameter", "UncertaintySpec", "CompiledModel", "Flows", "Totals",
    "PresentValues", "UnitCost", "UnitCostValue", "UnitCostDatabase", "WorkbookData", "DataNote", "Distribution",
    "PortfolioResult", "Candidates",
    # no arguments
    "default", "supplementary", "shipped_groupings", "model_schema", "partnership_schema", "results_schema",
    # covered by ENTRY_POINTS above
    "appraise", "compare", "load_intervention", "compile_model", "load", "from_csv", "appraise_many", "write_file",
    "appraise_deal",
}


def public_calls(t):
    """Each public callable: ``name -> (callable, good positional args, good keyword args, accepts)``,
    ``accepts`` mapping a position or keyword to the codes of :data:`ACCEPTS`."""
    import cba.ledger as L
    import cba.method as M
    import cba.model as MO
    import cba.outputs.charts as C
    import cba.outputs.export as E
    import cba.outputs.report as R
    import cba.outputs.tables as T
    import cba.uncertainty as U
    import cba.unit_costs as UC
    from cba import engine as EN

    a, deal, cm = t["appraisal"], t["deal"], t["compiled"]
    flat = M.Deflator("flat", {"2024/25": 100.0, "2025/26": 100.0})
    cost = next(iter(UC.default()))
    calls = {
        "banded_rates": (M.banded_rates, [33, M.GREEN_BOOK_BAND_STARTS, M.GREEN_BOOK_RATES], {}, {}),
        "discount_factors": (M.discount_factors, [[0.035, 0.035]], {"first_year_discounted": False}, {
            "first_year_discounted": "f"}),
        "schedule_factors": (M.schedule_factors, [5, M.GREEN_BOOK_BAND_STARTS, M.GREEN_BOOK_RATES],
                             {"first_year_discounted": False}, {"first_year_discounted": "f"}),
        "green_book_factors": (M.green_book_factors, [5], {"health": False, "first_year_discounted": False},
                               {"health": "f", "first_year_discounted": "f"}),
        "present_value": (M.present_value, [[1.0, 2.0], [1.0, 0.9]], {}, {}),
        "financial_year": (M.financial_year, ["2024/25"], {}, {}),
        "year_label": (M.year_label, [2024], {}, {}),
        "year_start": (M.year_start, ["2024/25"], {}, {}),
        "benefit_kernel": (M.benefit_kernel, [4, 1, 3, 0.1], {}, {}),
        "benefit_years": (M.benefit_years, [[32.0, 0, 0, 0], M.benefit_kernel(4, 1, 3, 0.1)], {}, {}),
        "net_success_rate": (M.net_success_rate, [0.8, 0.5], dict.fromkeys(M.ADDITIONALITY_RATES, 0.1), {}),
        "uplift_costs": (M.uplift_costs, [1000.0, 0.25], {}, {}),
        "reduce_benefits": (M.reduce_benefits, [1000.0, 0.1], {}, {}),
        "value_for_money": (M.value_for_money, [1.2, ["poor", "low"], [1.0]], {}, {0: "on"}),
        "income_weight": (M.income_weight, [15000, 30000, 1.3], {}, {}),
        "weighted_present_value": (M.weighted_present_value, [[100.0, 50.0], [2.0, 1.0]], {}, {}),
        "cash_factors": (M.cash_factors, [flat, "2024/25", "2024/25", 2], {}, {}),
        "to_cash": (M.to_cash, [[100.0, 100.0], [1.0, 1.02]], {}, {}),
        "to_real": (M.to_real, [[100.0, 100.0], [1.0, 1.02]], {}, {}),
        "Deflator": (M.Deflator, ["mine", {"2020/21": 90.0}], {"vintage": "v", "source": "s"}, {0: "t", "vintage": "t",
                                                                                                  "source": "t"}),
        "Deflator.uplift": (flat.uplift, [49.0, "2024/25", "2025/26"], {}, {1: "o"}),
        "Deflator.factor": (flat.factor, ["2024/25", "2025/26"], {}, {0: "o"}),
        "display_name": (MO.display_name, ["dwp"], {"extra": None}, {0: "t", "extra": "o"}),
        "groups_of": (MO.groups_of, [a.intervention, "tier"], {}, {}),
        "canonical_agency": (UC.canonical_agency, ["Local Authority", None], {}, {0: "to", 1: "to"}),
        "code_level": (UC.code_level, ["CR1.0"], {}, {0: "t"}),
        "normalise_name": (UC.normalise_name, ["Local authority"], {}, {0: "to"}),
        "combined": (UC.combined, ["gmca_v1_4"], {"use_supplementary": False, "local": (), "agency_ids": ()},
                     {"use_supplementary": "f"}),
        "database_for": (UC.database_for, [a.intervention], {}, {}),
        "read_csv": (UC.read_csv, [REPO_UNIT_COSTS], {}, {}),
        "read_lookups_deflator": (UC.read_lookups_deflator, [REPO_UNIT_COSTS], {}, {}),
        "read_workbook": (UC.read_workbook, [REPO_UNIT_COSTS], {}, {}),
        "resolve_unit_value": (UC.resolve_unit_value, [cba.UnitValue(unit_cost="CR1.0"), a.intervention], {}, {}),
        "to_csv_text": (UC.to_csv_text, [[cost]], {}, {}),
        "public_value_of": (UC.public_value_of, [cost], {"children": None}, {"children": "o"}),
        "components_for": (UC.components_for, [cost, UC.default()], {"agency_names": None}, {"agency_names": "o"}),
        "compute": (EN.compute, [t["totals"]], {"include_irr": False}, {"include_irr": "f"}),
        "evaluate": (EN.evaluate, [cm], {"overrides": None}, {"overrides": "o"}),
        "evaluate_totals": (EN.evaluate_totals, [cm], {"overrides": None}, {"overrides": "o"}),
        "irr": (EN.irr, [[-100.0, 60.0, 60.0]], {"low": -0.99, "high": 10.0, "grid": 96, "iterations": 100}, {0: "n"}),
        "payback_period": (EN.payback_period, [[100.0, 0, 0], [0, 60.0, 60.0], [1.0, 0.9, 0.8]], {}, {
            0: "n", 1: "n", 2: "n"}),
        "present_values": (EN.present_values, [t["totals"]], {}, {}),
        "ratio": (EN.ratio, [[1.0], [2.0]], {}, {0: "n", 1: "n"}),
        "reduce_flows": (EN.reduce_flows, [cm, t["flows"]], {}, {}),
        "by_group": (L.by_group, [a, "tier"], {}, {}),
        "by_intervention": (L.by_intervention, [a], {}, {}),
        "central_government_share": (L.central_government_share, [a], {}, {}),
        "pv_fiscal_excluding_transfers": (L.pv_fiscal_excluding_transfers, [a], {}, {}),
        "dominance": (L.dominance, [1.0, 2.0], {"tolerance": 1e-9}, {}),
        "incremental_ratio": (L.incremental_ratio, [1.0, 2.0], {}, {}),
        "Comparison": (L.Comparison, [[a, a], ["a", "b"]], {"reference": 0}, {}),
        "PERT": (U.PERT, [0.1, 0.2, 0.3], {"shape": 4.0}, {}),
        "Beta": (U.Beta, [2.0, 3.0], {"low": 0.0, "high": 1.0}, {}),
        "Discrete": (U.Discrete, [(0.1, 0.2)], {"probabilities": (0.5, 0.5)}, {"probabilities": "o"}),
        "Fixed": (U.Fixed, [0.3], {}, {}),
        "LogNormal": (U.LogNormal, [0.0, 1.0], {}, {}),
        "Normal": (U.Normal, [0.0], {"sd": 1.0}, {}),
        "Triangular": (U.Triangular, [0.1, 0.2, 0.3], {}, {}),
        "TruncatedNormal": (U.TruncatedNormal, [0.5], {"sd": 0.1, "low": 0.0, "high": 1.0}, {"low": "o", "high": "oi"}),
        "Uniform": (U.Uniform, [0.1, 0.9], {}, {}),
        "Threshold": (U.Threshold, ["financial_roi", ">=", 1.0], {}, {0: "t"}),
        "from_spec": (U.from_spec, [{"dist": "uniform", "low": 0.1, "high": 0.9}], {"path": "p"}, {"path": "to"}),
        "load_spec": (U.load_spec, [EXAMPLES / "worked_example_uncertainty.yaml"], {}, {}),
        "metric_names": (U.metric_names, [cm], {"include_agencies": True}, {"include_agencies": "f"}),
        "resolve": (U.resolve, [cm, "outcomes[0].success"], {}, {}),
        "montecarlo": (U.montecarlo, [a, DIST, 10, 1], {"progress": False}, {3: "o", "progress": "fo"}),
        "one_way": (U.one_way, [a, {"outcomes[0].success": [0.4, 0.6]}], {"relative": None, "include_irr": False},
                    {"relative": "o", "include_irr": "f"}),
        "scenarios": (U.scenarios, [a, {"low": {"outcomes[0].success": 0.3}}],
                      {"include_base": True, "include_irr": False}, {"include_base": "f", "include_irr": "f"}),
        "switching_value": (U.switching_value, [a, "outcomes[0].success", "financial_roi", 1.0], {"xtol": 1e-9},
                            {3: "o"}),
        "switching_values": (U.switching_values, [a, ["outcomes[0].success"], "financial_roi", 1.0], {}, {3: "o"}),
        "tornado_data": (U.tornado_data, [a, {"outcomes[0].success": [0.4, 0.6]}, "net_present_public_value"], {}, {}),
        "fields_table": (T.fields_table, [a.intervention], {}, {}),
        "model_tables": (T.model_tables, [a.intervention], {}, {}),
        "all_tables": (T.all_tables, [a], {"include_ledger": False}, {"include_ledger": "f"}),
        "montecarlo_tables": (T.montecarlo_tables, [t["montecarlo"], a], {}, {1: "o"}),
        "scenario_tables": (T.scenario_tables, [t["scenarios"], a], {}, {1: "o"}),
        "sensitivity_tables": (T.sensitivity_tables, [t["sensitivity"], a], {}, {1: "o"}),
        "switching_records": (T.switching_records, [[t["switching"]]], {}, {}),
        "switching_tables": (T.switching_tables, [[t["switching"]], a], {}, {1: "o"}),
        "risk_table": (T.risk_table, [T.summary_table(a), "2024/25"], {}, {1: "t"}),
        "table": (T.table, [a, "summary"], {}, {}),
        "terms_table": (T.terms_table, [deal], {}, {}),
        "text": (T.text, [T.summary_table(a)], {}, {}),
        "benefits_by_year_chart": (C.benefits_by_year_chart, [a], {"discounted": False}, {"discounted": "f"}),
        "costs_by_agency_chart": (C.costs_by_agency_chart, [a], {"discounted": False}, {"discounted": "f"}),
        "histogram": (C.histogram, [t["draws"], "net_present_public_value"], {"bins": 10, "title": "t"},
                      {"title": "to"}),
        "plot": (C.plot, [a, "agencies"], {}, {}),
        "to_svg": (C.to_svg, [t["figure"]], {}, {}),
        "tornado": (C.tornado, [t["tornado"]], {"title": "t", "max_bars": 5, "model": a},
                    {"title": "to", "max_bars": "o", "model": "o"}),
        "render_report": (R.render_report, [a], {"charts": False}, {"charts": "f"}),
        "render_portfolio_report": (R.render_portfolio_report, [t["portfolio"]], {"charts": False}, {"charts": "f"}),
        "portfolio": (cba.portfolio, [PORTFOLIO], {"frontier_points": False, "client": None},
                      {"frontier_points": "f", "client": "o"}),
        "load_portfolio": (cba.portfolios.load_portfolio, [PORTFOLIO], {}, {}),
        "check_output": (E.check_output, ["csv", "out.csv"], {}, {0: "t", 1: "to"}),
        "export": (E.export, [a, "csv"], {}, {}),
        "format_for_path": (E.format_for_path, ["out.csv", None], {}, {0: "to", 1: "to"}),
        "to_docx": (E.to_docx, [a], {"charts": False}, {"charts": "f"}),
        "to_xlsx": (E.to_xlsx, [a], {"charts": False}, {"charts": "f"}),
        "workbook_bytes": (E.workbook_bytes, [{"s": T.summary_table(a)}, "t"], {}, {1: "to"}),
        "write_files": (E.write_files, [[("x", "out.txt")]], {"force": False}, {"force": "f"}),
    }
    for package, first in ((T, a), (C, a), (E, a)):   # the rest take an appraisal or a deal, and nothing else
        for name in package.__all__:
            f = getattr(package, name)
            if callable(f) and name not in calls and name not in NOT_CALLED:
                takes_deal = next(iter(inspect.signature(f).parameters)) == "result"
                calls[name] = (f, [deal if takes_deal else first], {}, {})
    return calls


REPO_UNIT_COSTS = EXAMPLES.parent / "unit_costs" / "gmca_unit_cost_database_v1.4.csv"
PORTFOLIO = EXAMPLES / "portfolio" / "portfolio.yaml"


@pytest.fixture(scope="module")
def things(appraisal):
    import cba.outputs.charts as C
    from cba import engine

    cm = engine.compile_model(appraisal.intervention)
    return {
        "appraisal": appraisal, "compiled": cm, "totals": engine.evaluate_totals(cm), "flows": engine.evaluate(cm),
        "deal": cba.appraise(EXAMPLES / "partnership" / "outcomes_contract" / "model.yaml").partnership(),
        "montecarlo": cba.uncertainty.montecarlo(appraisal, DIST, draws=20, progress=False),
        "draws": cba.uncertainty.montecarlo(appraisal, DIST, draws=20, progress=False, keep_draws=True),
        "scenarios": cba.uncertainty.scenarios(appraisal, {"low": {"outcomes[0].success": 0.3}}),
        "sensitivity": cba.uncertainty.one_way(appraisal, {"outcomes[0].success": [0.4, 0.6]}),
        "switching": cba.uncertainty.switching_value(appraisal, "outcomes[0].success"),
        "tornado": cba.uncertainty.tornado_data(appraisal, {"outcomes[0].success": [0.4, 0.6]}),
        "figure": C.agency_chart(appraisal),
        "portfolio": cba.portfolio(PORTFOLIO, frontier_points=False),
    }


def test_every_public_callable_is_tried(things):
    import importlib

    from .test_public_api import PACKAGES

    tried = set(public_calls(things)) | set(NOT_CALLED) | {m.__name__ for m in _model_classes()}
    public = {name for package in PACKAGES for name in importlib.import_module(package).__all__
              if callable(getattr(importlib.import_module(package), name))}
    missing = public - tried
    assert not missing, f"public callables with no wrong-argument test: {sorted(missing)}"


def test_good_arguments_still_work(things, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, (f, args, kwargs, _) in public_calls(things).items():
        try:
            f(*args, **kwargs)
        except CBAError as exc:   # a good call of these two is refused for what the model is, not its type
            assert name in ("by_intervention", "read_lookups_deflator", "read_workbook"), f"{name}: {exc}"


@pytest.mark.parametrize("bad", list(BAD))
def test_every_public_callable_refuses_a_wrong_argument_with_a_cba_error(things, tmp_path, monkeypatch, bad):
    """Each argument of each public callable in turn given ``BAD[bad]``, the others good: a CBAError, and
    nothing else (no TypeError, AttributeError, ValueError, ZeroDivisionError) and no silent success."""
    monkeypatch.chdir(tmp_path)        # a wrong path given as text writes nothing beside the tests
    failures = []
    for name, (f, args, kwargs, accepts) in public_calls(things).items():
        for slot in [*range(len(args)), *kwargs]:
            if any(bad in ACCEPTS[code] for code in accepts.get(slot, "")):
                continue
            a2, k2 = list(args), dict(kwargs)
            if isinstance(slot, int):
                a2[slot] = BAD[bad]
            else:
                k2[slot] = BAD[bad]
            try:
                f(*a2, **k2)
            except CBAError:
                continue
            except BaseException as exc:  # the point: nothing else may escape
                failures.append(f"{name} [{slot}]: {type(exc).__name__}: {str(exc)[:80]}")
            else:
                failures.append(f"{name} [{slot}]: accepted")
    assert not failures, "\n".join(failures)


def _model_classes():
    import importlib

    import pydantic

    from .test_public_api import PACKAGES

    found = {}
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, pydantic.BaseModel):
                found[name] = obj
    return [found[name] for name in sorted(found)]


@pytest.mark.parametrize("model_class", _model_classes(), ids=lambda c: c.__name__)
def test_the_model_classes_refuse_a_wrong_field_with_a_cba_error(model_class):
    for field in model_class.model_fields:
        for bad in (object(), float("nan"), [None]):   # (pydantic reads bytes as UTF-8 text)
            with pytest.raises(CBAError):
                model_class(**{field: bad})


@pytest.mark.parametrize(("call", "message"), [
    (lambda M: M.discount_factors([0.035, float("nan")]), r"^discount_factors: rates: expected finite numbers"),
    (lambda M: M.discount_factors([0.035, -1.0]), r"^discount_factors: rates: every number must be above -1"),
    (lambda M: M.discount_factors([0.035], first_year_discounted="yes"),
     r"^discount_factors: first_year_discounted: expected True or False, got text"),
    (lambda M: M.banded_rates(5, [0, 31], [0.035]), r"^banded_rates: band_starts must increase from 0, with one rate"),
    (lambda M: M.green_book_factors(10**6), r"^banded_rates: horizon: must be 1001 or less"),
    (lambda M: M.to_real([100.0], [0.0]), r"^to_real: factors: every number must be above 0"),
    (lambda M: M.present_value([1.0, 2.0], [1.0, 0.9, 0.8]), r"^present_value: flows of shape \(2,\) do not match"),
    (lambda M: M.financial_year(["2024/25"]), r"^financial_year: expected a financial year label .*got a list"),
    (lambda M: M.year_label(2024.5), r"^year_label: start: expected a whole number, got 2024.5"),
    (lambda M: M.income_weight(0.0, 30000, 1.3), r"^income_weight: income: every number must be above 0"),
    (lambda M: M.value_for_money(1.0, ["poor"], [1.0]), r"^value_for_money: one more band name than band edges"),
    (lambda M: M.net_success_rate(0.8, None), r"^net_success_rate: success: expected a number or an array of "
                                              r"numbers, got None"),
], ids=lambda x: "" if callable(x) else x[:30])
def test_the_method_names_the_function_and_argument(call, message):
    import cba.method as M

    with pytest.raises(CBAError, match=message):
        call(M)


def test_good_arguments_give_the_same_numbers_bit_for_bit():
    import numpy as np

    import cba.method as M
    from cba.method._additionality import unchecked_benefit_kernel, unchecked_net_success_rate

    x, f = np.array([100.0, 102.0, 7.0]), np.array([1.0, 1.02, 1.0404])
    assert M.to_real(x, f).tobytes() == (x / f).tobytes()            # a division, not a product by 1/f
    assert M.to_cash(x, f).tobytes() == (x * f).tobytes()
    assert M.benefit_kernel(5, 1, 3, 0.1).tobytes() == unchecked_benefit_kernel(5, 1, 3, 0.1).tobytes()
    assert M.net_success_rate(0.8, 0.5, 0.2) == unchecked_net_success_rate(0.8, 0.5, 0.2)
    # by hand: 1000 * (1 + 0.25) = 1250; 15000 earns (30000 / 15000) ** 1.3 = 2 ** 1.3 = 2.4622888...
    assert float(M.uplift_costs(1000, 0.25)) == 1250.0
    assert M.income_weight(15000, 30000, 1.3) == 2.0 ** 1.3
