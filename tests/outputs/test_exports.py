"""Exports: the Excel workbook (reopened and checked), Markdown, CSV, JSON and the schemas."""

import io
import json

import jsonschema
import openpyxl
import pandas as pd
import pytest
import yaml

import cba
from cba.core._files import write_file
from cba.outputs.export._formats import SHEET_NAMES, to_csv, to_markdown, to_xlsx
from cba.outputs.export._schema import model_schema, results_schema
from cba.outputs.export._xlsx import HEADER_ROW, NONE_FOOTNOTE, NUMBER_FORMATS

from ..conftest import EXAMPLES, REPO

WORKED = EXAMPLES / "worked_example.yaml"
INJECTION = '=HYPERLINK("x")'
MONEY = NUMBER_FORMATS["money"]


@pytest.fixture(scope="module")
def worked():
    return cba.appraise(WORKED)


@pytest.fixture(scope="module")
def workbook(worked, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "worked.xlsx"
    worked.to_excel(path)
    return openpyxl.load_workbook(path)


def rows(ws):
    return [[c for c in r] for r in ws.iter_rows()]


def find_row(ws, first_cells):
    for r in ws.iter_rows():
        if [c.value for c in r[: len(first_cells)]] == list(first_cells):
            return r
    raise AssertionError(f"no row starting {first_cells} in {ws.title}")


def header(ws):
    """The column headings (under the title block)."""
    return [c.value for c in ws[HEADER_ROW]]


def data_rows(ws):
    return ws.iter_rows(min_row=HEADER_ROW + 1)


# ---------------------------------------------------------------- Excel
def test_sheet_names(workbook):
    assert workbook.sheetnames == ["Cover", "Summary", "Agencies", "Who benefits", "Costs", "Benefits", "Cost lines",
                                   "Outcomes", "Unit values", "Provenance", "Ledger", "Charts"]
    assert list(SHEET_NAMES.values()) == workbook.sheetnames[1:-1]


def test_summary_figures_equal_the_engine_to_the_penny(workbook, worked):
    ws = workbook["Summary"]
    assert header(ws) == ["Case", "Result", "Value"]
    labels = {"pv_costs": "Present value of costs", "pv_fiscal": "Present value of fiscal benefits",
              "net_present_budget_impact": "Net present budget impact",
              "net_present_public_value": "Net present public value"}
    for metric, label in labels.items():
        cell = next(r[2] for r in data_rows(ws) if r[1].value == label)
        assert cell.data_type == "n" and isinstance(cell.value, float)
        assert round(cell.value, 2) == round(worked.metrics[metric], 2)
        assert cell.value == pytest.approx(worked.metrics[metric], rel=1e-14)   # unrounded, in fact
        assert cell.number_format == MONEY
    roi = next(r[2] for r in data_rows(ws) if str(r[1].value).startswith("Financial ROI"))
    assert roi.value == pytest.approx(1.471214, abs=1e-6) and roi.number_format == "0.00"
    payback = next(r[2] for r in data_rows(ws) if str(r[1].value).startswith("Payback"))
    assert payback.value == 3 and payback.number_format == "0"


def test_agency_sheet_figures_and_formats(workbook):
    ws = workbook["Agencies"]
    assert header(ws)[:3] == ["Agency", "Pays (PV costs)", "Banks (PV fiscal)"]
    nhs = find_row(ws, ["NHS"])
    assert round(nhs[1].value, 2) == 9661.84 and nhs[1].number_format == MONEY
    assert round(nhs[5].value, 2) == -9661.84                 # net position
    la = find_row(ws, ["Local authority"])
    assert round(la[2].value, 2) == 73063.20 and round(la[5].value, 2) == 33063.20
    share = la[header(ws).index("Share of costs")]
    assert share.number_format == "0.0%" and share.value == pytest.approx(0.80545, abs=1e-5)
    wpi = find_row(ws, [next(c.value for c in ws["A"] if str(c.value).startswith("Wrong-pocket"))])
    value = wpi[len(header(ws)) - 1]                          # a note's value sits in the last column
    assert value.value == pytest.approx(0.194553, abs=1e-6) and value.number_format == "0.00"


def test_cost_and_benefit_sheets(workbook):
    costs = workbook["Costs"]
    assert header(costs) == ["Basis", "Agency", "Year 0", "Year 1", "Year 2", "Year 3", "Total"]
    total = find_row(costs, ["discounted", "All agencies"])
    assert round(total[6].value, 2) == 49661.84 and total[6].number_format == MONEY
    ben = find_row(workbook["Benefits"], ["real", "fiscal", "Local authority"])
    assert [round(c.value, 2) for c in ben[3:7]] == [0, 28800, 25920, 23328]


def test_numbers_are_numbers_and_headers_frozen(workbook):
    for ws in workbook:
        if ws.title in ("Charts", "Cover"):
            continue
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}", ws.title
        assert all(c.font.bold for c in ws[HEADER_ROW] if c.value is not None)
        for row in data_rows(ws):
            for c in row:
                if isinstance(c.value, str):
                    # text that looks like a number means a number was stored as text
                    try:
                        float(c.value.replace(",", "").replace("£", ""))
                    except ValueError:
                        continue
                    # the only texts that may look like numbers: intakes by year (a list, "100, 120")
                    heading = ws.cell(HEADER_ROW, c.column).value
                    assert (ws.title, heading) == ("Outcomes", "Cohort by intake year"), (ws.title, c.coordinate)
    ledger = workbook["Ledger"]
    real = header(ledger).index("Real terms (£)")
    rows = [r for r in data_rows(ledger) if r[0].value is not None]
    assert rows and all(r[real].data_type == "n" for r in rows)


def test_column_widths_follow_content(workbook):
    ws = workbook["Provenance"]
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width > 8
    assert workbook["Summary"].column_dimensions["B"].width >= len("Financial ROI (fiscal benefit per £1 of cost)")


def test_no_formula_injection(tmp_path):
    model = cba.load_intervention(WORKED).model_copy(deep=True)
    model.costs[0].name = INJECTION
    model.costs[1].name = "+SUM(A1:A9)"
    model.outcomes[0].name = "-2+3"
    model.outcomes[0].source = "@cmd"
    path = tmp_path / "evil.xlsx"
    cba.appraise(model).to_excel(path)
    wb = openpyxl.load_workbook(path)
    cell = find_row(wb["Cost lines"], [INJECTION])[0]      # the first column names the line
    assert cell.value == INJECTION and cell.data_type == "s" and cell.quotePrefix
    ledger = wb["Ledger"]
    source = header(ledger).index("Cost line or outcome")
    texts = {r[source].value: r[source] for r in data_rows(ledger)}
    for text in (INJECTION, "+SUM(A1:A9)", "-2+3"):
        assert texts[text].data_type == "s" and texts[text].quotePrefix
    outcome = find_row(wb["Outcomes"], ["-2+3"])
    assert outcome[0].value == "-2+3" and outcome[0].data_type == "s"
    formulas = [(ws.title, c.coordinate) for ws in wb for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []
    # and in the file itself: no <f> element anywhere
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_control_characters_do_not_break_the_workbook():
    model = cba.load_intervention(WORKED).model_copy(deep=True)
    # a name with a control character is refused since issue 19; the workbook must still cope
    # with one that got past (set here without the model's checks)
    model.costs[0].__dict__["name"] = "bell\x07 here"
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(cba.appraise(model))))
    assert wb["Cost lines"].cell(HEADER_ROW + 1, 1).value == "bell\ufffd here"


def test_to_excel_never_overwrites(tmp_path, worked):
    path = tmp_path / "r.xlsx"
    path.write_text("precious")
    with pytest.raises(cba.CBAError, match="already exists"):
        worked.to_excel(path)
    assert path.read_text() == "precious"
    worked.to_excel(path, force=True)
    assert openpyxl.load_workbook(path).sheetnames[:2] == ["Cover", "Summary"]
    with pytest.raises(cba.CBAError, match="no such folder"):
        write_file("x", tmp_path / "missing" / "r.md")


# ---------------------------------------------------------------- Markdown, CSV
def test_markdown(worked):
    md = to_markdown(worked)
    assert md.startswith("# Worked example\n")
    for title in ("## Financial and economic case", "## Who pays and who saves", "## Costs by agency",
                  "## Benefits by value type", "## Assumptions: cost lines", "## Assumptions: outcomes",
                  "## Assumptions: unit values", "## Provenance"):
        assert title in md
    assert "| Financial case | Net present budget impact | £23,401 |" in md
    assert "| NHS | £9,662 | £0 | £0 | £0 | -£9,662 |" in md
    assert "| :--- | :--- | ---: |" in md
    assert worked.to_markdown() == md.replace(worked.run_at, worked.run_at)


def test_csv_is_the_ledger(worked):
    back = pd.read_csv(io.StringIO(to_csv(worked)))
    assert list(back.columns) == list(worked.ledger.columns)
    assert len(back) == len(worked.ledger)
    assert back["discounted"].sum() == pytest.approx(worked.ledger["discounted"].sum(), rel=1e-15)
    costs = back[back.value_type == "cost"]
    assert costs["discounted"].sum() == pytest.approx(worked.metrics["pv_costs"], rel=1e-15)


# ---------------------------------------------------------------- JSON and schemas
def declared_everywhere(data, schema, defs, path="$"):
    """Every property in ``data`` is listed in ``schema`` (recursively)."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].split("/")[-1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        schema = options[0] if len(options) == 1 else schema
    if isinstance(data, dict) and "properties" in schema:
        for k, v in data.items():
            assert k in schema["properties"], f"{path}.{k} is not in the results schema"
            declared_everywhere(v, schema["properties"][k], defs, f"{path}.{k}")
    elif isinstance(data, list) and "items" in schema:
        for i, v in enumerate(data[:3]):
            declared_everywhere(v, schema["items"], defs, f"{path}[{i}]")


def test_results_validate_against_the_published_schema(worked):
    schema = results_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(worked.to_json())
    jsonschema.validate(data, schema)
    declared_everywhere(data, schema, schema["$defs"])
    assert data["metrics"]["pv_costs"] == worked.metrics["pv_costs"]
    assert data["assumptions"]["cost_lines"][1]["amounts"] == [0.0, 10000.0, 0.0, 0.0]
    assert data["provenance"]["model_file_sha256"] == worked.provenance["model_file_sha256"]
    assert len(data["ledger"]) == len(worked.ledger)
    broken = {**data, "metrics": {**data["metrics"], "pv_costs": "lots"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def example_models():
    """Every model file under examples/ (YAML mappings with a name and a price base)."""
    out = []
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        # a programme file (it lists `interventions`) is not a model: see
        # tests/partnership/test_partnership_programme.py
        if isinstance(data, dict) and {"name", "price_base"} <= data.keys() and "interventions" not in data \
                and "candidates" not in data:  # nor a portfolio file (tests/portfolios)
            out.append(path)
    return out


def test_the_examples_include_models():
    assert EXAMPLES / "worked_example.yaml" in example_models() and len(example_models()) >= 3


@pytest.mark.parametrize("path", example_models(), ids=lambda p: str(p.relative_to(REPO)))
def test_example_models_validate_against_the_model_schema(path):
    validator = jsonschema.Draft202012Validator(model_schema())
    errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
    assert errors == []


@pytest.mark.parametrize("change,message", [
    ({"horizon": 0}, "less than the minimum"),
    ({"price_base": "2024"}, "does not match"),
    ({"colour": "red"}, "Additional properties"),
    ({"discounting": "treasury"}, "'treasury'"),
    ({"outcomes": [{"name": "o", "cohort": 1, "success": 1.4, "value": {"unit_cost": "X"}}]}, "1.4"),
    ({"costs": [{"name": "c", "agency": "NHS", "amounts": [1]}]}, "does not match"),
])
def test_model_schema_rejects_mistakes(change, message):
    data = {**yaml.safe_load(WORKED.read_text()), **change}
    with pytest.raises(jsonschema.ValidationError, match=message):
        jsonschema.validate(data, model_schema())


def test_model_schema_accepts_the_shorthands():
    base = yaml.safe_load(WORKED.read_text())
    for disc in ("green_book", "green_book_health", {"rate": 0.05}, {"bands": [{"start_year": 0, "rate": 0.03}]}):
        jsonschema.validate({**base, "discounting": disc, "optimism_bias": "gm"}, model_schema())
    jsonschema.validate({**base, "optimism_bias": {"name": "mine", "grades": {"1": 0.0, "2": 0.2}}}, model_schema())
    assert "Examples" not in json.dumps(model_schema())   # doctests stay out of the schema


# ---------------------------------------------------------------- invariants
from hypothesis import given, settings  # noqa: E402

from ..support.strategies import interventions  # noqa: E402


@settings(max_examples=15, deadline=None)
@given(interventions(max_horizon=5))
def test_any_workbook_holds_the_engines_figures(data):
    a = cba.appraise(data)
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(a, charts=False)))
    summary = {r[1].value: r[2] for r in data_rows(wb["Summary"])}
    notes = [c.value for c in wb["Summary"]["A"]]
    for metric, label in (("pv_costs", "Present value of costs"), ("pv_fiscal", "Present value of fiscal benefits"),
                          ("financial_roi", "Financial ROI (fiscal benefit per £1 of cost)")):
        value = a.metrics[metric]
        cell = summary[label]
        if value is None:               # none: a blank cell and a footnote, never the text "none"
            assert cell.value is None and NONE_FOOTNOTE in notes
        else:
            assert cell.data_type == "n" and cell.value == pytest.approx(value, rel=1e-12, abs=1e-9)
    assert not [c for ws in wb for r in ws.iter_rows() for c in r if c.data_type == "f"]
    ledger = wb["Ledger"]
    n = len(a.ledger)                   # one row per ledger row, then a blank row before any footnote
    assert ledger.cell(HEADER_ROW + n + 1, 1).value is None
    if n:
        assert ledger.cell(HEADER_ROW + n, 1).value is not None
        # 13 columns: the zero-based line and year indices are not shown
        assert [t.ref for t in ledger.tables.values()] == [f"A{HEADER_ROW}:M{HEADER_ROW + n}"]
    jsonschema.validate(json.loads(a.to_json()), results_schema())
