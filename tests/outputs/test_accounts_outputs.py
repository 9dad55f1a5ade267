"""The accounts by who benefits in every output: Markdown, the workbook, the report, the terminal and
the Monte Carlo outputs (with the chance that benefits exceed costs)."""

import io
import json

import openpyxl
import pandas as pd
import pytest
import yaml

import cba
from cba.cli._main import main
from cba.outputs.export._formats import to_markdown, to_xlsx
from cba.outputs.export._xlsx import HEADER_ROW
from cba.outputs.report._report import render_report
from cba.outputs.tables._tables import TABLES, all_tables

# One year, undiscounted. 10 people x success 0.5 = 5 successes; each saves the police 100
# (fiscal: taxpayers) and is worth 1,000 to the participant (economic): police 500,
# participants 5,000, total benefits 5,500; cost 1,000 (local authority, no optimism bias);
# benefits minus costs 4,500; ratio 5.5. Participants counted: the cohort, 10; per participant
# police 50, participants 500, total 550, net cost 100, benefits minus costs 450.
MODEL = {
    "name": "Accounts", "price_base": "2024/25", "horizon": 1,
    "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000]}],
    "outcomes": [{"name": "Into work", "cohort": 10, "success": 0.5, "value": {"components": [
        {"type": "fiscal", "agency": "police", "amount": 100}, {"type": "economic", "amount": 1000}]}}],
}
TOTAL_ROW = "| Total | £500 | £5,000 | £5,500 | £1,000 | £4,500 | 5.50 |"
PER_PARTICIPANT_ROW = "| Per participant | £50 | £500 | £550 | £100 | £450 | 5.50 |"


@pytest.fixture(scope="module")
def appraisal():
    return cba.appraise(MODEL)


def test_the_catalogue_holds_the_accounts_after_who_pays(appraisal):
    assert list(TABLES)[:3] == ["summary", "agencies", "accounts"]
    frame = all_tables(appraisal)["accounts"]
    total = frame.set_index("row").loc["total"]
    assert total["taxpayers:police"] == pytest.approx(500.0) and total["participants"] == pytest.approx(5000.0)
    assert total["benefit_cost_ratio"] == pytest.approx(5.5)
    # no Monte Carlo run: the chance column is there for code, but not shown
    assert "chance_benefits_exceed_costs" in frame.attrs["hidden"]


def test_markdown_holds_the_hand_checked_accounts(appraisal):
    md = to_markdown(appraisal)
    assert "## Accounts by who benefits (present values at the price base)" in md
    assert TOTAL_ROW in md and PER_PARTICIPANT_ROW in md
    assert "Chance benefits exceed costs" not in md      # no Monte Carlo run, no empty column
    assert md.index("Accounts by who benefits") < md.index("## Costs")


def test_workbook_has_a_who_benefits_sheet(appraisal):
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(appraisal, charts=False)))
    assert book.sheetnames.index("Who benefits") == book.sheetnames.index("Agencies") + 1
    ws = book["Who benefits"]
    head = [c.value for c in ws[HEADER_ROW]]
    assert head == ["Accounts", "Taxpayers: Police", "Participants", "Total benefits", "Net cost",
                    "Benefits minus costs", "Benefit-cost ratio"]
    rows = {r[0].value: [c.value for c in r[1:7]] for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value}
    assert rows["Total"] == pytest.approx([500.0, 5000.0, 5500.0, 1000.0, 4500.0, 5.5])
    assert rows["Per participant"] == pytest.approx([50.0, 500.0, 550.0, 100.0, 450.0, 5.5])
    assert "who gains" in " ".join(str(c.value) for r in ws.iter_rows(max_row=HEADER_ROW - 1) for c in r)


def test_report_has_a_who_benefits_section_with_the_chart(appraisal):
    html = render_report(appraisal)
    start = html.index('<h2 id="who-benefits">Who benefits</h2>')
    section = html[start:html.index("<h2", start + 10)]
    assert "£5,500" in section and "£4,500" in section and "5.50" in section
    assert 'id="chart-accounts"' in section
    assert html.index("Who pays and who saves") < start
    assert 'id="chart-accounts"' not in render_report(appraisal, charts=False)


def test_terminal_shows_the_accounts_only_when_asked(tmp_path, capsys):
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(MODEL))
    assert main(["appraise", str(path)]) == 0
    assert "Accounts by who benefits" not in capsys.readouterr().out
    assert main(["appraise", str(path), "--accounts"]) == 0
    out = capsys.readouterr().out
    assert "Accounts by who benefits" in out and "£5,500" in out and "Participants counted: 10" in out
    assert main(["appraise", str(path), "--accounts", "-f", "markdown"]) == 2
    assert "always holds the accounts" in capsys.readouterr().err


def test_montecarlo_gives_the_chance_benefits_exceed_costs(tmp_path, capsys):
    # success uniform on [0, 1]: benefits 10 x s x 1,100 = 11,000 s against costs 1,000, so benefits
    # exceed costs when s > 1/11: a chance of 10/11 = 0.909; the column is the share of the draws
    path, spec, draws = tmp_path / "m.yaml", tmp_path / "u.yaml", tmp_path / "draws.csv"
    path.write_text(yaml.safe_dump(MODEL))
    spec.write_text("distributions:\n  outcomes[0].success: {dist: uniform, low: 0, high: 1}\n")   # ASSUMPTION: test
    args = ["montecarlo", str(path), "--spec", str(spec), "--draws", "4000", "--seed", "7", "--no-progress"]
    assert main([*args, "-f", "json", "--draws-output", str(draws)]) == 0
    data = json.loads(capsys.readouterr().out)
    npv = pd.read_csv(draws)["net_present_public_value"]
    chance = data["accounts"]["total"]["chance_benefits_exceed_costs"]
    assert chance == pytest.approx(float((npv > 0).mean()), abs=1e-12)
    assert chance == pytest.approx(10 / 11, abs=0.02)
    assert data["accounts"]["total"]["total_benefits"] == pytest.approx(5500.0)   # the model as given
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Chance" in out and f"{chance:.1%}" in out
