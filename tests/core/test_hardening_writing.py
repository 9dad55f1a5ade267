"""Safe writing (issue 11, item 6): atomic, never clobbering, never an input, all or none."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

import cba
import cba.core._files
from cba.cli._main import main
from cba.core._errors import CBAError
from cba.core._files import write_file, write_files

from ..conftest import EXAMPLES
from ..unit_costs.test_unit_costs_workbook import make_v14
from .test_hardening_reading import deadline

WORKED = EXAMPLES / "worked_example.yaml"
SPEC = EXAMPLES / "worked_example_uncertainty.yaml"


def run(capsys, *argv, seconds=60):
    with deadline(seconds):
        status = main([str(a) for a in argv])
    return status, capsys.readouterr().err


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "model.yaml"
    path.write_text(WORKED.read_text())
    return path


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(SPEC.read_text().replace("draws: 10000", "draws: 200"))
    return path


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


# ---------------------------------------------------------------- atomic, no clobber
def test_write_file_is_atomic_and_leaves_no_temporary_files(tmp_path):
    out = tmp_path / "out.csv"
    write_file("a,b", out)
    assert out.read_text() == "a,b\n" and leftovers(tmp_path) == []
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~cba.core._files._UMASK)
    with pytest.raises(CBAError, match="already exists; use --force"):
        write_file("c", out)
    write_file(b"c", out, force=True)
    assert out.read_bytes() == b"c" and leftovers(tmp_path) == []


def test_a_failure_while_placing_outputs_removes_those_already_placed(tmp_path, monkeypatch):
    real_link = os.link
    calls = []

    def racing(src, dst, *args, **kwargs):  # another process takes the second name first
        calls.append(dst)
        if len(calls) == 2:
            raise FileExistsError(17, "File exists")
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", racing)
    with pytest.raises(CBAError, match=r"b\.csv: already exists"):
        write_files([("one", tmp_path / "a.csv"), ("two", tmp_path / "b.csv")])
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []


RACER = textwrap.dedent("""
    import sys, time
    from cba.core._errors import CBAError
    from cba.core._files import write_file
    path, letter, start, force = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4] == "1"
    data = letter.encode() * 32_000_000
    while time.time() < start:
        pass
    try:
        write_file(data, path, force=force)
    except CBAError as exc:
        print(exc)
        sys.exit(2)
""")


def race(path, force):
    start = time.time() + 2.0  # both processes are up and spinning before the start
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(path), letter, str(start), "1" if force else "0"],
                              stdout=subprocess.PIPE, text=True) for letter in "ab"]
    return [(p.wait(timeout=60), p.stdout.read()) for p in procs]


def test_two_processes_racing_without_force_one_wins_whole(tmp_path):
    out = tmp_path / "race.bin"
    results = race(out, force=False)
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    assert "already exists" in next(msg for code, msg in results if code == 2)
    data = out.read_bytes()
    assert len(data) == 32_000_000 and data in (b"a" * 32_000_000, b"b" * 32_000_000)
    assert leftovers(tmp_path) == []


def test_two_processes_racing_with_force_never_interleave(tmp_path):
    out = tmp_path / "race.bin"
    out.write_bytes(b"old")
    assert [code for code, _ in race(out, force=True)] == [0, 0]
    data = out.read_bytes()
    assert data in (b"a" * 32_000_000, b"b" * 32_000_000)
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- never an input
@pytest.mark.parametrize("argv", [
    ["appraise", "{model}", "-o", "{model}", "--force"],
    ["appraise", "{model}", "-f", "csv", "-o", "{link}", "--force"],
    ["report", "{model}", "--no-charts", "-o", "{model}", "--force"],
    ["compare", "{model}", str(EXAMPLES / "worked_example.yaml"), "-o", "{model}", "--force"],
    ["scenarios", "{model}", "--spec", "{spec}", "-o", "{spec}", "--force"],
    ["sensitivity", "{model}", "--spec", "{spec}", "--chart", "{spec}.svg", "-o", "{model}", "--force"],
    ["montecarlo", "{model}", "--spec", "{spec}", "--no-progress", "--draws-output", "{spec}", "--force"],
    ["unit-costs", "search", "crime", "--local", "{csv}", "-f", "csv", "-o", "{csv}", "--force"],
    ["unit-costs", "import", "{book}", "-o", "{book}", "--force"],
])
def test_an_output_is_never_one_of_the_inputs_even_with_force(tmp_path, model, spec, capsys, argv):
    csv_path = tmp_path / "local.csv"
    csv_path.write_text((EXAMPLES / "local_unit_costs.csv").read_text())
    book = make_v14(tmp_path / "book.xlsx")
    link = tmp_path / "link.yaml"
    link.symlink_to(model)
    before = {p: p.read_bytes() for p in (model, spec, csv_path, book)}
    args = [a.format(model=model, spec=spec, csv=csv_path, book=book, link=link) for a in argv]
    status, err = run(capsys, *args)
    assert status == 2 and "is one of this command's input files" in err, err
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "u.yaml.svg").exists()


def test_a_model_cannot_overwrite_its_own_local_unit_costs(tmp_path, capsys):
    local = tmp_path / "ours.csv"
    local.write_text((EXAMPLES / "local_unit_costs.csv").read_text())
    model = tmp_path / "m.yaml"
    model.write_text("name: x\nprice_base: 2024/25\nunit_costs: {local: [ours.csv]}\n"
                     "outcomes: [{name: o, cohort: 1, success: 1, value: {unit_cost: CR1.0}}]\n")
    status, err = run(capsys, "appraise", model, "-f", "csv", "-o", local, "--force")
    assert status == 2 and f"{local}: is one of this command's input files" in err


def test_python_write_file_refuses_an_input(tmp_path, model):
    with pytest.raises(CBAError, match="input files"):
        write_file("x", model, force=True, inputs=[model])


# ---------------------------------------------------------------- not a regular file
def test_a_dangling_symlink_is_refused_even_with_force(tmp_path, model, capsys):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "elsewhere" / "target.csv")
    for extra in ([], ["--force"]):
        status, err = run(capsys, "appraise", model, "-o", link, *extra)
        assert status == 2 and "symbolic link to a missing file" in err
    assert not (tmp_path / "elsewhere").exists()


def test_a_symlink_to_a_file_is_written_through_with_force(tmp_path, model, capsys):
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    status, _ = run(capsys, "appraise", model, "-f", "csv", "-o", link, "--force")
    assert status == 0 and link.is_symlink() and target.read_text().startswith("source_type,")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")
def test_a_fifo_or_folder_output_is_refused_without_hanging(tmp_path, model, capsys):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    for target in (fifo, tmp_path):
        status, err = run(capsys, "appraise", model, "-f", "csv", "-o", target, "--force", seconds=10)
        assert status == 2 and ("is a FIFO (named pipe); an output must be a regular file" in err
                                or "is a folder; an output must be a regular file" in err), err


# ---------------------------------------------------------------- all or none
def test_import_with_several_outputs_writes_all_or_none(tmp_path, capsys):
    book = make_v14(tmp_path / "book.xlsx")
    out, notes = tmp_path / "out.csv", tmp_path / "notes.csv"
    notes.write_text("mine")
    status, err = run(capsys, "unit-costs", "import", book, "-o", out, "--notes", notes)
    assert status == 2 and "already exists" in err
    assert not out.exists() and notes.read_text() == "mine"
    status, _ = run(capsys, "unit-costs", "import", book, "-o", out, "--notes", tmp_path / "n2.csv",
                    "--deflator-csv", tmp_path / "d.csv")
    assert status == 0 and out.exists() and (tmp_path / "n2.csv").exists() and (tmp_path / "d.csv").exists()


def test_montecarlo_and_sensitivity_write_all_or_none(tmp_path, model, spec, capsys):
    out = tmp_path / "mc.json"
    draws = tmp_path / "draws.csv"
    draws.write_text("mine")
    status, err = run(capsys, "montecarlo", model, "--spec", spec, "--no-progress", "-f", "json", "-o", out,
                      "--draws-output", draws)
    assert status == 2 and "already exists" in err and not out.exists() and draws.read_text() == "mine"
    chart = tmp_path / "t.svg"
    chart.write_text("mine")
    status, err = run(capsys, "sensitivity", model, "--spec", spec, "--chart", chart, "-o", tmp_path / "s.csv")
    assert status == 2 and not (tmp_path / "s.csv").exists() and chart.read_text() == "mine"


def test_the_same_file_for_two_outputs_is_refused(tmp_path, model, spec, capsys):
    same = tmp_path / "same.csv"
    status, err = run(capsys, "montecarlo", model, "--spec", spec, "--no-progress", "-f", "csv", "-o", same,
                      "--draws-output", same)
    assert status == 2 and "given for two outputs" in err and not same.exists()


def test_a_failed_run_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(WORKED.read_text().replace("success: 0.5", "success: 1.5"))
    out = tmp_path / "out.csv"
    status, _ = run(capsys, "appraise", bad, "-o", out)
    assert status == 2 and not out.exists() and leftovers(tmp_path) == []
