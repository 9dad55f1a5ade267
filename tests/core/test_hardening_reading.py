"""Bounded reading (issue 11, item 1): no input hangs, eats memory or is read without a limit."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

import cba
import cba.core._limits
import cba.unit_costs
from cba.cli._main import main
from cba.core._errors import CBAError
from cba.core._files import load_data, read_bytes, read_text

from ..conftest import EXAMPLES

WORKED = EXAMPLES / "worked_example.yaml"
SPEC = EXAMPLES / "worked_example_uncertainty.yaml"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")


GIB = 1 << 30


def cli(*argv, timeout=60, env=None, memory=None):
    """Run ``cba`` in a child process: a hang is a failure (``timeout``), and ``memory``
    caps its address space, so a read without a limit fails instead of eating the machine."""
    def cap():
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "cba", *map(str, argv)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, preexec_fn=cap)


class Hang(BaseException):
    """Raised by :func:`deadline`; not an ``OSError``, so no ``except OSError`` can swallow it."""


@contextmanager
def deadline(seconds: int):
    """Fail (rather than hang) when the block takes longer than ``seconds``."""
    def expired(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_main(capsys, argv, seconds=15):
    with deadline(seconds):
        status = main([str(a) for a in argv])
    return status, capsys.readouterr().err


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "model.yaml"
    os.mkfifo(path)
    return path


def zip_bomb(path: Path, size: int = 80_000_000) -> Path:
    """A small .xlsx-named zip whose one member expands to ``size`` bytes of zeros."""
    buf = io.BytesIO()
    with (zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
          z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member):
        block = b"\0" * 1_000_000
        for _ in range(size // len(block)):
            member.write(block)
    path.write_bytes(buf.getvalue())
    return path


# ---------------------------------------------------------------- what is not a regular file
COMMANDS = [
    ["appraise", "{x}"], ["report", "{x}", "-o", "{out}.html"], ["compare", "{x}", str(WORKED)],
    ["scenarios", str(WORKED), "--spec", "{x}"], ["sensitivity", "{x}", "--spec", str(SPEC)],
    ["switching", str(WORKED), "--spec", "{x}"], ["montecarlo", str(WORKED), "--spec", "{x}"],
    ["unit-costs", "search", "--local", "{x}"], ["unit-costs", "search", "--database", "{x}"],
    ["unit-costs", "import", "{x}", "-o", "{out}"],
]
IDS = ["appraise", "report", "compare", "scenarios-spec", "sensitivity-model", "switching-spec", "montecarlo-spec",
       "search-local", "search-database", "import"]


@posix_only
@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_a_fifo_is_refused_by_every_command_without_hanging(fifo, tmp_path, capsys, command):
    status, err = run_main(capsys, [a.format(x=fifo, out=tmp_path / "out.csv") for a in command])
    assert status == 2 and f"{fifo}: is a FIFO (named pipe)" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_dev_zero_is_refused_by_every_command(tmp_path, capsys, command):
    status, err = run_main(capsys, [a.format(x="/dev/zero", out=tmp_path / "out.csv") for a in command])
    assert status == 2 and "/dev/zero: is a device" in err


@posix_only
def test_special_files_end_to_end_exit_2_quickly_in_little_memory(fifo, tmp_path):
    """The issue's 'done when': exit status 2 within seconds, under 1 GB, for a FIFO,
    /dev/zero and a zip bomb, each in a fresh process."""
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    for argv, says in ((["appraise", fifo], "FIFO"), (["montecarlo", WORKED, "--spec", "/dev/zero"], "device"),
                       (["unit-costs", "import", bomb, "-o", tmp_path / "o.csv"], "CBA_MAX_WORKBOOK_UNCOMPRESSED")):
        start = time.monotonic()
        run = cli(*argv, timeout=60, memory=GIB)
        assert run.returncode == 2 and says in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert time.monotonic() - start < 15
    assert not (tmp_path / "o.csv").exists()


def test_a_folder_and_a_socket_are_refused(tmp_path):
    with pytest.raises(CBAError, match="is a folder, not a model file"):
        cba.load_intervention(tmp_path)
    if hasattr(socket, "AF_UNIX"):
        path = tmp_path / "s.yaml"
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
            with pytest.raises(CBAError, match="is a socket"):
                read_text(path, "model file")
        finally:
            server.close()


def test_a_dangling_link_is_named_as_such(tmp_path):
    link = tmp_path / "model.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    with pytest.raises(CBAError, match="symbolic link to a missing file"):
        cba.appraise(link)


# ---------------------------------------------------------------- size limits
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    big.write_text("name: x\n" + "# padding\n" * 2000)
    with cba.core._limits.override(file_bytes=1000), pytest.raises(CBAError) as info:
        cba.load_intervention(big)
    msg = str(info.value)
    assert str(big) in msg and "file_bytes" in msg and "CBA_MAX_FILE_BYTES" in msg
    assert "cba.core._limits.configure(file_bytes=...)" in msg
    # the environment variable raises (or lowers) it too
    monkeypatch.setenv("CBA_MAX_FILE_BYTES", "1000")
    with pytest.raises(CBAError, match="file_bytes is 1,000"):
        read_bytes(big)
    monkeypatch.setenv("CBA_MAX_FILE_BYTES", "100000")
    assert read_bytes(big).startswith(b"name: x")


def test_the_size_limit_is_on_the_command_line_too(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.yaml"
    big.write_text(WORKED.read_text() + "#" * 5000)
    monkeypatch.setenv("CBA_MAX_FILE_BYTES", "2000")
    status, err = run_main(capsys, ["appraise", big])
    assert status == 2 and "CBA_MAX_FILE_BYTES" in err
    monkeypatch.setenv("CBA_MAX_FILE_BYTES", "100000")
    assert run_main(capsys, ["appraise", big])[0] == 0


def test_a_bad_limit_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CBA_MAX_DEPTH", "lots")
    with pytest.raises(CBAError, match="CBA_MAX_DEPTH: expected a whole number"):
        cba.core._limits.get("depth")
    with pytest.raises(CBAError, match="unknown limit"):
        cba.core._limits.configure(speed=3)
    with pytest.raises(CBAError, match="whole number 1 or more"):
        cba.core._limits.configure(depth=True)


def test_local_unit_cost_csv_is_bounded(tmp_path):
    csv_path = tmp_path / "local.csv"
    csv_path.write_text((EXAMPLES / "local_unit_costs.csv").read_text())
    with cba.core._limits.override(file_bytes=100), pytest.raises(CBAError, match="file_bytes"):
        cba.unit_costs.from_csv(csv_path)


# ---------------------------------------------------------------- parsing work is bounded
def billion_laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_expansion_is_bounded(tmp_path, capsys):
    path = tmp_path / "laughs.yaml"
    path.write_text("name: x\nprice_base: 2024/25\n" + billion_laughs())
    start = time.monotonic()
    with pytest.raises(CBAError, match=r"values .*each use of an alias counts in full.*CBA_MAX_VALUES"):
        cba.load_intervention(path)
    assert time.monotonic() - start < 5
    status, err = run_main(capsys, ["scenarios", WORKED, "--spec", path])
    assert status == 2 and "CBA_MAX_VALUES" in err


def test_a_recursive_alias_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("name: x\nprice_base: 2024/25\ncosts: &c [*c]\n")
    with pytest.raises(CBAError, match="line 3: the alias \\*c refers to a list or mapping that contains it"):
        cba.load_intervention(path)


@pytest.mark.parametrize("fmt,text", [("yaml", "a: " + "[" * 200 + "]" * 200),
                                      ("json", '{"a": ' + "[" * 200 + "]" * 200 + "}"),
                                      ("json", "[" * 100_000 + "]" * 100_000), ("yaml", "[" * 100_000 + "]" * 100_000)])
def test_nesting_depth_is_bounded(fmt, text):
    with pytest.raises(CBAError, match=r"nest|depth"):
        cba.core._files.parse_data(text, format=fmt)


def test_integer_length_is_bounded():
    for fmt, text in (("yaml", "horizon: " + "9" * 5000), ("json", '{"horizon": ' + "9" * 5000 + "}")):
        with pytest.raises(CBAError, match=r"5,000 digits.*integer_digits"):
            cba.Intervention.from_yaml(text) if fmt == "yaml" else cba.Intervention.from_json(text)


def test_limits_can_be_raised_for_a_large_but_honest_file():
    text = "a: " + "[" * 70 + "]" * 70
    with pytest.raises(CBAError, match="depth"):
        cba.core._files.parse_data(text)
    with cba.core._limits.override(depth=100):
        data = cba.core._files.parse_data(text)
    assert isinstance(data["a"], list)


# ---------------------------------------------------------------- workbooks
def test_a_zip_bomb_workbook_is_refused_by_a_model_and_the_api(tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    with pytest.raises(CBAError, match="workbook_uncompressed_bytes"):
        cba.unit_costs.UnitCostDatabase.from_workbook(bomb)
    model = tmp_path / "m.yaml"
    model.write_text("name: x\nprice_base: 2024/25\nunit_costs: {database: bomb.xlsx}\n"
                     "outcomes: [{name: o, cohort: 1, success: 1, value: {unit_cost: CR1.0}}]\n")
    with pytest.raises(CBAError, match=f"{model}.*uncompressed"):
        cba.appraise(model)


def test_a_file_that_is_not_a_zip_is_not_a_workbook(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("name,value\n")
    with pytest.raises(CBAError, match=r"not a readable \.xlsx workbook"):
        cba.unit_costs.read_workbook(fake)


def test_a_workbook_is_read_from_disk_once(monkeypatch):
    from cba.unit_costs import read_lookups_deflator

    workbook_path = (Path(__file__).resolve().parents[3] / "shared" / "reference" / "gmca"
                     / "unit-cost-database-v1.4.xlsx")
    if not workbook_path.exists():
        pytest.skip("the GMCA workbook is not beside the repository")
    import cba.core._files

    calls = []
    real = cba.core._files.read_bytes

    def counting(path, *args, **kwargs):
        calls.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(cba.core._files, "read_bytes", counting)
    opened = []
    import openpyxl

    real_load = openpyxl.load_workbook

    def load(source, *args, **kwargs):
        opened.append((type(source).__name__, kwargs.get("read_only", False)))
        return real_load(source, *args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", load)
    read_lookups_deflator(workbook_path)
    assert calls == [workbook_path]
    assert all(kind == "BytesIO" for kind, _ in opened) and (("BytesIO", True) in opened)


# ---------------------------------------------------------------- structured files
def test_load_data_reads_yaml_and_json_by_suffix_and_content(tmp_path):
    (tmp_path / "a.json").write_text('\ufeff{"name": "x"}')
    (tmp_path / "a.txt").write_text('{"name": "y"}')
    (tmp_path / "a.yaml").write_text("\ufeffname: z\n")
    assert load_data(tmp_path / "a.json") == {"name": "x"}
    assert load_data(tmp_path / "a.txt") == {"name": "y"}
    assert load_data(tmp_path / "a.yaml") == {"name": "z"}


def test_text_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: x\ndescription: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CBAError, match=f"{path}, line 2: not UTF-8"):
        cba.load_intervention(path)


def test_a_deflator_csv_is_bounded_and_checked(tmp_path):
    from cba.method._deflators import Deflator

    good = tmp_path / "d.csv"
    good.write_text("\ufefffinancial_year,index\n2019/20,100\n2020/21,102\n")
    assert Deflator.from_csv(good).value("2020/21") == 102.0
    bad = tmp_path / "bad.csv"
    bad.write_text("financial_year,index\n2019/20,100\n2020/21,inf\n")
    with pytest.raises(CBAError, match=r"bad.csv, row 3, column 'index': must be a finite number above 0"):
        Deflator.from_csv(bad)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.csv"
        os.mkfifo(fifo)
        with deadline(10), pytest.raises(CBAError, match="is a FIFO"):
            Deflator.from_csv(fifo)
