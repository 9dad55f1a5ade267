"""Reading the INDIGO tabular export (cba.model._indigo_tables).

The CSV files in tests/data/indigo/tabular/ were written by hand with the figures of the
JSON fixtures beside them (tests/data/indigo/README.md says where each was read).
"""

import shutil

import pytest

from cba.core._errors import CBAError
from cba.model._indigo import read_indigo
from cba.model._indigo_tables import read_indigo_tables

from ..conftest import REPO

FIXTURES = REPO / "tests" / "data" / "indigo"
TABULAR = FIXTURES / "tabular"
PROJECTS = {"INDIGO-POJ-0195": FIXTURES / "skill_mill.json", "INDIGO-POJ-0154": FIXTURES / "gm_rough_sleeping.json"}


def without_source(project):
    data = project.to_dict()
    data.pop("source")
    return data


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(TABULAR, folder)
    return folder


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("project_id", sorted(PROJECTS))
def test_the_tables_give_the_terms_the_project_json_gives(project_id):
    tables = read_indigo_tables(TABULAR, project_id)
    json_project = read_indigo(PROJECTS[project_id])
    assert without_source(tables) == without_source(json_project)
    assert tables.source == str(TABULAR)


def test_the_skill_mill_from_the_tables():
    project = read_indigo_tables(TABULAR, "INDIGO-POJ-0195")
    assert (project.name, project.maximum, project.total_investment) == ("The Skill Mill", 3_241_776, 1_000_000)
    assert [t.price for t in project.payment.tariffs] == [4390, 1310, 8240, 9340, 430, 320]
    assert project.payment.split == "shares" and sum(p.maximum for p in project.payers) == 3_241_776
    assert [i.commitment for i in project.investments] == [362_500, 362_500, 175_000, 100_000]
    assert project.payment.payee == "indigo_org_1116" and project.problems[-1][1].startswith("note:")


def test_greater_manchester_from_the_files_and_a_chosen_payee():
    files = sorted(TABULAR.glob("*.csv"))
    project = read_indigo_tables(files, "INDIGO-POJ-0154", payee="gm_homes")
    assert project.source == str(TABULAR / "original_projects.csv")
    assert project.payment.payee == "gm_homes" and project.payment.cap == 2_629_000
    assert [(p.payer, p.maximum) for p in project.payers] == [("indigo_org_0088", 2_629_000), ("indigo_org_0256", None)]
    assert "£3,324,020" in dict(project.problems)["results"]


def test_a_missing_project_id_names_the_file(export):
    with pytest.raises(CBAError, match=r"original_projects\.csv: no project 'INDIGO-POJ-9999' in its column 'ID'"):
        read_indigo_tables(export, "INDIGO-POJ-9999")


def test_a_missing_needed_file_is_named(export):
    (export / "original_projects_outcome_pricings.csv").unlink()
    with pytest.raises(CBAError, match=r"no file 'original_projects_outcome_pricings\.csv'"):
        read_indigo_tables(export, "INDIGO-POJ-0195")
    (export / "original_projects.csv").unlink()
    with pytest.raises(CBAError, match="no projects file"):
        read_indigo_tables(export, "INDIGO-POJ-0195")


def test_a_missing_optional_file_is_reported(export):
    (export / "original_projects_investments.csv").unlink()
    project = read_indigo_tables(export, "INDIGO-POJ-0195")
    assert project.investments == []
    assert "not given" in dict(project.problems)["projects_investments.csv"]


def test_a_missing_column_is_named_with_its_file(export):
    edit(export / "original_projects_outcome_pricings.csv", "Price Per Unit - Amount - (Value)", "Price")
    with pytest.raises(CBAError) as err:
        read_indigo_tables(export, "INDIGO-POJ-0195")
    assert "original_projects_outcome_pricings.csv: no column 'Price Per Unit - Amount'" in str(err.value)


@pytest.mark.parametrize("cell, words", [
    ("£4390", "expected a number, got text '£4390'"),
    ("TRUE", "expected a number, got true (a yes/no value)"),
    ("-4390", "must be zero or more"),
])
def test_text_or_a_yes_no_value_in_a_column_of_numbers_is_refused(export, cell, words):
    edit(export / "original_projects_outcome_pricings.csv", "outcomemetric1,GBP,4390", f"outcomemetric1,GBP,{cell}")
    with pytest.raises(CBAError) as err:
        read_indigo_tables(export, "INDIGO-POJ-0195")
    message = str(err.value)
    assert "original_projects_outcome_pricings.csv: line 2, column 'Price Per Unit - Amount'" in message
    assert words in message


def test_text_in_a_text_typed_column_is_reported_not_used(export):
    edit(export / "original_projects_results.csv", "outcomemetric1,Final,242", "outcomemetric1,Final,about 242")
    project = read_indigo_tables(export, "INDIGO-POJ-0195")
    assert project.metrics[0].achieved is None
    where, message = next((p, m) for p, m in project.problems if "about 242" in m)
    assert where.endswith("original_projects_results.csv, line 2, column 'Outcomes achieved'")
    assert message.endswith("; not used")


def test_a_row_without_its_id_and_a_repeated_metric_are_errors(export):
    path = export / "original_projects_outcome_payment_commitments.csv"
    edit(path, "INDIGO-POJ-0195,INDIGO-ORG-1117,", "INDIGO-POJ-0195,,")
    with pytest.raises(CBAError, match=r"line 2, column 'Organisation ID': missing: the organisation that commits"):
        read_indigo_tables(export, "INDIGO-POJ-0195")
    edit(path, "INDIGO-POJ-0195,,", "INDIGO-POJ-0195,INDIGO-ORG-1117,")
    edit(export / "original_projects_outcome_metrics.csv", "INDIGO-POJ-0195,outcomemetric2,",
         "INDIGO-POJ-0195,outcomemetric1,")
    with pytest.raises(CBAError, match=r"line 3, column 'Id': 'outcomemetric1' is the id of the outcome metric on "
                                       r"line 2"):
        read_indigo_tables(export, "INDIGO-POJ-0195")


def test_a_project_twice_and_a_file_that_is_not_csv_are_errors(export):
    path = export / "original_projects.csv"
    path.write_text(path.read_text(encoding="utf-8") + "INDIGO-POJ-0195,Again,GBP,1,GBP,,1,\n", encoding="utf-8")
    with pytest.raises(CBAError, match=r"project 'INDIGO-POJ-0195' is on lines 2, 4"):
        read_indigo_tables(export, "INDIGO-POJ-0195")
    path.write_bytes(b"ID,Impact Bond Name\n\xff\xfe,x\n")
    with pytest.raises(CBAError, match="not UTF-8"):
        read_indigo_tables(export, "INDIGO-POJ-0195")
