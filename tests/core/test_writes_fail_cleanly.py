"""Issue 19, item 6: outputs fail cleanly.

``-o folder/`` is refused; a write that fails part way (disk full, the file-size limit,
any OSError of the writer, the workbook's included) exits 2 with a message and leaves
nothing behind; SIGTERM or SIGINT during a write leaves no temporary file.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys

import pytest

import cba
import cba.core._files as files
from cba.cli._main import main
from cba.core._errors import CBAError
from cba.core._files import write_file, write_files
from cba.core._signals import Stopped

from ..conftest import EXAMPLES

WORKED = EXAMPLES / "worked_example.yaml"


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    return status, capsys.readouterr().err


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------- folder names
@pytest.mark.parametrize("name", ["out/", "out" + os.sep, "existing/", "existing", ".", ""])
def test_an_output_naming_a_folder_is_refused(tmp_path, capsys, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing").mkdir()
    status, err = run(capsys, "appraise", WORKED, "--format", "json", "-o", name)
    assert status == 2
    assert "folder" in err and "Traceback" not in err
    assert leftovers(tmp_path) == ["existing"]            # no file "out" made from "out/"
    assert leftovers(tmp_path / "existing") == []


def test_python_write_file_refuses_a_folder_name(tmp_path):
    with pytest.raises(CBAError, match=r"names a folder; give a file name"):
        write_file("x", f"{tmp_path}/new/")
    with pytest.raises(CBAError, match=r"is a folder; an output must be a regular file"):
        write_file("x", tmp_path)
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- failures part way
def _fails_part_way(monkeypatch, code=errno.ENOSPC):
    real = os.fsync

    def fsync(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.os, "fsync", fsync)
    return real


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EIO])
def test_a_write_that_fails_part_way_exits_2_and_leaves_nothing(tmp_path, capsys, monkeypatch, code):
    _fails_part_way(monkeypatch, code)
    status, err = run(capsys, "appraise", WORKED, "-o", tmp_path / "out.json")
    assert status == 2
    assert f"out.json: cannot be written ({os.strerror(code)}); nothing was written" in err
    assert leftovers(tmp_path) == []


def test_several_outputs_one_failing_leave_none(tmp_path, monkeypatch):
    """The second file's write fails: the first, already written, is not left behind either."""
    calls = []
    real = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
    with pytest.raises(CBAError, match=r"b\.txt: cannot be written"):
        write_files([("a", tmp_path / "a.txt"), ("b", tmp_path / "b.txt")])
    assert leftovers(tmp_path) == []


def test_the_workbook_writer_failing_exits_2(tmp_path, capsys, monkeypatch):
    import openpyxl.workbook.workbook as wb

    def save(self, filename):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(wb.Workbook, "save", save)
    status, err = run(capsys, "appraise", WORKED, "-o", tmp_path / "out.xlsx")
    assert status == 2 and "No space left on device" in err and "Traceback" not in err
    assert leftovers(tmp_path) == []


def test_the_file_size_limit_exits_2_and_leaves_nothing(tmp_path):
    """RLIMIT_FSIZE of 2 KB: the JSON (about 20 KB) cannot be written; Python ignores SIGXFSZ,
    so the write fails with EFBIG rather than killing the process."""
    resource = pytest.importorskip("resource")

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    out = tmp_path / "out.json"
    proc = subprocess.run([sys.executable, "-m", "cba", "appraise", str(WORKED), "--format", "json", "-o", str(out)],
                          capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "out.json: cannot be written (File too large); nothing was written" in proc.stderr
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- signals
@pytest.mark.parametrize("signum, exc, status", [(signal.SIGTERM, Stopped, 143),
                                                 (signal.SIGINT, KeyboardInterrupt, 130),
                                                 (signal.SIGHUP, Stopped, 129)])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path, capsys, monkeypatch, signum, exc, status):
    real = os.fsync

    def fsync(fd):
        os.kill(os.getpid(), signum)   # arrives while the temporary file is open and written
        real(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
    with pytest.raises(exc):
        write_file("text", tmp_path / "out.txt")
    assert leftovers(tmp_path) == []
    assert main(["appraise", str(WORKED), "-o", str(tmp_path / "out.json")]) == status
    assert leftovers(tmp_path) == []
    # the handlers are the ones before the write
    assert signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None)


def test_sigterm_to_a_command_writing_leaves_no_temporary_file(tmp_path):
    """A real process: SIGTERM sent from outside while the output is being written."""
    script = (
        "import os, signal, sys, time\n"
        "import cba.core._files as f\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    sys.stderr.write('writing\\n'); sys.stderr.flush(); time.sleep(30); real(fd)\n"
        "f.os.fsync = slow\n"
        "from cba.cli._main import main\n"
        f"sys.exit(main(['appraise', {str(WORKED)!r}, '-o', {str(tmp_path / 'out.json')!r}]))\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    assert proc.stderr.readline().strip() == "writing"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    assert leftovers(tmp_path) == []


def test_python_api_to_excel_refuses_a_folder(tmp_path):
    a = cba.appraise(WORKED)
    with pytest.raises(CBAError, match="names a folder"):
        a.to_excel(f"{tmp_path}/book/")
    assert leftovers(tmp_path) == []
