"""Reading and writing the user's files: bounded, checked, atomic.

Reading
    :func:`read_bytes` and :func:`read_text` refuse anything but a regular file (a
    folder, a FIFO, a device such as ``/dev/zero``, a socket) before opening it for
    reading, and refuse a file larger than its limit (:mod:`cba.core._limits`) before
    reading it. :func:`load_data` reads a structured file (YAML or JSON) through
    :func:`parse_data`, the one strict parser of cba: duplicate keys are errors
    naming the key and its line, a UTF-8 byte-order mark is accepted, and nesting
    depth, YAML alias expansion and integer length are bounded.

Writing
    :func:`write_file` and :func:`write_files` write to a temporary file beside the
    target and move it into place (all outputs or none): no reader sees a half-written
    file; an existing path is refused without ``force``, even in a race (the file is
    linked into place). An output is never an input, a dangling symbolic link, a
    folder (nor a name ending in ``/``), a FIFO or a device. A failed write (disk full,
    file-size limit) is a CBAError and a signal part way leaves no temporary file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import cba.core._limits as limits
from cba.core._errors import CBAError
from cba.core._json_positions import json_long_integer
from cba.core._signals import stoppable

# ---------------------------------------------------------------- reading
_KINDS = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISCHR, "device"),
          (stat.S_ISBLK, "device"), (stat.S_ISSOCK, "socket"))


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "file" if stat.S_ISREG(mode) else "special file"


def _stat(p: Path) -> os.stat_result:
    try:
        return os.stat(p)
    except (FileNotFoundError, NotADirectoryError):
        if os.path.islink(p):
            raise CBAError(f"{p}: a symbolic link to a missing file") from None
        raise CBAError(f"{p}: no such file") from None
    except OSError as exc:
        raise CBAError(f"{p}: cannot be read ({exc.strerror or exc})") from None


def _too_large(p: Path, size: str, what: str, limit: str) -> CBAError:
    return CBAError(f"{p}: {size} bytes is too large for a {what}; {limits.exceeded(limit)}")


def read_bytes(path: str | Path, what: str = "file", limit: str = "file_bytes") -> bytes:
    """The bytes of a user's regular file, checked and bounded before it is read.

    Parameters
    ----------
    path : str or Path
    what : str
        What the file should be, for messages ("model file", "CSV file").
    limit : str
        The :mod:`cba.core._limits` entry bounding its size (default ``file_bytes``).

    Raises
    ------
    CBAError
        A missing file, a folder, FIFO, device or socket, a file over the limit or
        an unreadable file, naming the file.
    """
    p = Path(path)
    st = _stat(p)
    kind = _kind(st.st_mode)
    if kind != "file":
        raise CBAError(f"{p}: is a {kind}, not a {what}")
    most = limits.get(limit)
    if st.st_size > most:
        raise _too_large(p, f"{st.st_size:,}", what, limit)
    # O_NONBLOCK: a FIFO swapped in after the check must not block the open
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise CBAError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CBAError(f"{p}: is a {_kind(st.st_mode)}, not a {what}")
        parts, total = [], 0
        while True:  # read at most one byte past the limit: a growing file is caught too
            chunk = os.read(fd, min(1 << 20, most + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
            if total > most:
                raise _too_large(p, f"more than {most:,}", what, limit)
    except OSError as exc:
        raise CBAError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    return b"".join(parts)


def decode_text(data: bytes, where: str, encoding: str = "utf-8") -> str:
    """Bytes as text; a UTF-8 byte-order mark is dropped; bad bytes name the line."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CBAError(f"{where}, line {line}: not {encoding.replace('-sig', '').upper()} text "
                       f"(byte {data[exc.start]:#04x}); save the file as UTF-8") from None
    except LookupError:
        raise CBAError(f"unknown text encoding {encoding!r}") from None


def read_text(path: str | Path, what: str = "file", encoding: str = "utf-8", limit: str = "file_bytes") -> str:
    """Text of a user's file (see :func:`read_bytes`); a UTF-8 byte-order mark is dropped.

    Parameters
    ----------
    path : str or Path
    what : str
        What the file should be, for the message ("model file", "CSV file").
    encoding : str
        Text encoding (default UTF-8, with or without a byte-order mark).
    limit : str
        The :mod:`cba.core._limits` entry bounding its size.
    """
    return decode_text(read_bytes(path, what, limit), str(Path(path)), encoding)


# ---------------------------------------------------------------- structured files
def data_format(path: str | Path, text: str | None = None) -> str:
    """``"json"`` or ``"yaml"``: by the suffix, else by the content.

    >>> data_format("model.json"), data_format("model.yml"), data_format("model.txt", '{"a": 1}')
    ('json', 'yaml', 'json')
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml") or text is None:
        return "yaml"
    return "json" if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") else "yaml"


def load_data(path: str | Path, what: str = "file") -> Any:
    """Read a structured user file (YAML or JSON, by suffix or content) into plain data.

    The one reader of cba's structured files (model, uncertainty and programme
    files): the file is checked and bounded (:func:`read_text`), then parsed
    strictly (:func:`parse_data`). Errors name the file, and the line where there
    is one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.yaml"
    >>> _ = p.write_text("name: a\\nname: b\\n")
    >>> load_data(p, "model file")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: .../m.yaml, line 2: duplicate key 'name' (first on line 1)
    """
    p = Path(path)
    text = read_text(p, what)
    return parse_data(text, what, source=str(p), format=data_format(p, text))


def parse_data(text: str, what: str = "file", *, source: str | None = None, format: str = "yaml") -> Any:
    """Parse YAML or JSON text strictly into plain data (dicts, lists, scalars).

    Duplicate keys are errors naming the key and its line; a byte-order mark is
    accepted; nesting depth, the number of values (with each use of a YAML alias
    counted in full), and the digits of an integer are bounded (:mod:`cba.core._limits`);
    YAML tags other than the standard scalar, list and mapping tags are refused; a
    recursive YAML structure is refused. JSON's ``NaN`` and ``Infinity`` are refused.

    Parameters
    ----------
    text : str
    what : str
        What the text is, for messages.
    source : str, optional
        The file it came from, named at the start of every message.
    format : {"yaml", "json"}

    Examples
    --------
    >>> parse_data("a: 1\\nb: [x, y]\\n")
    {'a': 1, 'b': ['x', 'y']}
    >>> parse_data('{"a": 1, "a": 2}', format="json")
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: line 1: duplicate key 'a' (first on line 1)
    """
    if not isinstance(text, str):
        raise CBAError(f"expected the text of a {what}, got {type(text).__name__}")
    where = source or ""
    text = text[1:] if text.startswith("\ufeff") else text
    if format == "json":
        return _parse_json(text, where)
    if format != "yaml":
        raise CBAError(f"unknown data format {format!r}: use 'yaml' or 'json'")
    from cba.core._yaml import parse_yaml

    return parse_yaml(text, where)


def at(where: str, line: int | None = None, column: int | None = None) -> str:
    """The start of a message: ``"FILE, line L, column C: "`` with the parts known.

    >>> at("m.yaml", 3), at("", 3, 5), at("")
    ('m.yaml, line 3: ', 'line 3, column 5: ', '')
    """
    parts = [where] if where else []
    if line is not None:
        parts.append(f"line {line}" + (f", column {column}" if column is not None else ""))
    return ", ".join(parts) + ": " if parts else ""


class _DuplicateKey(Exception):
    pass


def _json_pairs(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def _json_constant(name: str):
    raise ValueError(f"{name} is not a number in JSON; give a finite number")


class _LongInteger(Exception):
    pass


def _parse_json(text: str, where: str) -> Any:
    max_digits = limits.get("integer_digits")

    def parse_int(s: str) -> int:
        if len(s) > max_digits and len(s.lstrip("+-")) > max_digits:
            raise _LongInteger(len(s.lstrip("+-")))
        return int(s)

    try:
        data = json.loads(text, object_pairs_hook=_json_pairs, parse_int=parse_int, parse_constant=_json_constant)
    except CBAError:
        raise
    except _LongInteger as exc:
        field, line = json_long_integer(text, max_digits)
        raise CBAError(f"{at(where, line)}{field + ': ' if field else ''}an integer of {exc.args[0]:,} digits is "
                       f"too long; {limits.exceeded('integer_digits')}") from None
    except _DuplicateKey as exc:
        key, line, first = _json_duplicate(text, exc.args[0])
        raise CBAError(f"{at(where, line)}duplicate key {key!r} (first on line {first})") from None
    except json.JSONDecodeError as exc:
        raise CBAError(f"{at(where, exc.lineno, exc.colno)}invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise CBAError(f"{at(where)}nested too deeply; {limits.exceeded('depth')}") from None
    except ValueError as exc:  # NaN or Infinity
        raise CBAError(f"{at(where)}invalid JSON: {exc}") from None
    check_shape(data, where)
    return data


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)


def _json_duplicate(text: str, fallback: str) -> tuple[str, int | None, int | None]:
    """The first duplicate key of a JSON text in document order, with its two lines."""
    stack: list[list] = []  # [is_object, {key: line}, expecting_key]
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok in "{[":
            stack.append([tok == "{", {}, tok == "{"])
        elif tok in "}]":
            if stack:
                stack.pop()
        elif tok == ",":
            if stack and stack[-1][0]:
                stack[-1][2] = True
        elif tok.startswith('"') and stack and stack[-1][0] and stack[-1][2]:
            key = json.loads(tok)
            line = text.count("\n", 0, m.start()) + 1
            if key in stack[-1][1]:
                return key, line, stack[-1][1][key]
            stack[-1][1][key] = line
            stack[-1][2] = False
    return fallback, None, None


def check_shape(data: Any, where: str = "") -> None:
    """Refuse data nested deeper than the ``depth`` limit or holding more than ``values`` values
    (walked without recursion, so any depth is safe to check)."""
    max_depth, max_values = limits.get("depth"), limits.get("values")
    count = 1
    todo = [(data, 1)] if isinstance(data, (dict, list)) else []
    while todo:  # containers only; their plain values are counted by length
        value, depth = todo.pop()
        if depth > max_depth:
            raise CBAError(f"{at(where)}nested more than {max_depth} levels deep; {limits.exceeded('depth')}")
        count += len(value)
        if count > max_values:
            raise CBAError(f"{at(where)}more than {max_values:,} values; {limits.exceeded('values')}")
        todo += [(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value)
                 if isinstance(v, (dict, list))]


# ---------------------------------------------------------------- writing
def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def check_output(path: str | Path, force: bool = False, inputs: Iterable[str | Path] = ()) -> Path:
    """Check that ``path`` may be written, before any work is done; return the path to write.

    Refused: one of ``inputs`` (even with ``force``), a folder, FIFO, device or other
    non-regular file, a dangling symbolic link, a missing folder, and an existing
    file without ``force``. A symbolic link to a regular file is written through
    (its target is replaced) when ``force`` is given.
    """
    text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else path
    if not isinstance(text, str):
        raise CBAError(f"output path: expected a file name (text or a path), got {type(path).__name__}")
    if text.endswith(("/", os.sep, os.altsep or os.sep)) or os.path.basename(text) in ("", ".", ".."):
        raise CBAError(f"{text}: names a folder; give a file name (for example {os.path.join(text, 'results')}.*)")
    p = Path(text)
    for i in inputs:
        if i is not None and _same_file(p, Path(i)):
            raise CBAError(f"{p}: is one of this command's input files; choose another output file")
    if os.path.islink(p):
        if not os.path.exists(p):
            raise CBAError(f"{p}: is a symbolic link to a missing file; remove it or choose another output file")
        target = Path(os.path.realpath(p))
    else:
        target = p
    if os.path.lexists(target):
        try:
            st = os.stat(target)
        except OSError as exc:
            raise CBAError(f"{p}: cannot be written ({exc.strerror or exc})") from None
        if not stat.S_ISREG(st.st_mode):
            raise CBAError(f"{p}: is a {_kind(st.st_mode)}; an output must be a regular file")
        if not force:
            raise CBAError(f"{p}: already exists; use --force (force=True in Python) to overwrite it")
    parent = target.parent
    if not parent.exists():
        raise CBAError(f"{parent}: no such folder")
    if not parent.is_dir():
        raise CBAError(f"{parent}: is not a folder")
    return target


def check_outputs(paths: Iterable[str | Path], force: bool = False,
                  inputs: Iterable[str | Path] = ()) -> list[Path]:
    """:func:`check_output` for several outputs, which must also differ from each other."""
    inputs = [i for i in inputs if i is not None]
    out: list[Path] = []
    for p in paths:  # None too is refused (check_output): the command line leaves out the screen's
        target = check_output(p, force, inputs)
        if any(_same_file(target, q) or os.path.abspath(target) == os.path.abspath(q) for q in out):
            raise CBAError(f"{p}: given for two outputs; give each output its own file")
        out.append(target)
    return out


def _as_bytes(data: str | bytes) -> bytes:
    if isinstance(data, bytes):
        return data
    if not isinstance(data, str):
        raise CBAError(f"can only write text or bytes, got {type(data).__name__}")
    return (data if data.endswith("\n") else data + "\n").encode("utf-8")


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _temporary(target: Path, payload: bytes, temps: list[str]) -> None:
    """Write ``payload`` to a new temporary file beside ``target``, its name added to ``temps``
    before it exists, so that whatever stops the write (an error, a signal) can remove it."""
    temps.append(tmp := str(target.parent / f".{target.name}.{secrets.token_hex(8)}.tmp"))
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:  # another file by that name, not ours (64 random bits: never in practice)
        temps.pop()
        raise
    try:  # the permissions a new file gets (the temporary's are private), or the replaced file's
        mode = stat.S_IMODE(os.stat(target).st_mode) if os.path.exists(target) else 0o666 & ~_UMASK
        os.fchmod(fd, mode)
    except (OSError, AttributeError):
        pass
    with os.fdopen(fd, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())


def _unlink(path: str | Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _place(tmp: str, target: Path, force: bool) -> None:
    """Move a finished temporary file to ``target``: atomically, never over a file unless ``force``."""
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if the name exists, even when another process just made it
    except FileExistsError:
        raise CBAError(f"{target}: already exists; use --force (force=True in Python) to overwrite it") from None
    except OSError:
        # no hard links here (some network or FAT file systems): claim the name, then replace it
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            raise CBAError(f"{target}: already exists; use --force (force=True in Python) to overwrite it") from None
        os.close(fd)
        os.replace(tmp, target)
        return
    _unlink(tmp)


def write_files(outputs: Sequence[tuple[str | bytes, str | Path]], force: bool = False, *,
                inputs: Iterable[str | Path] = ()) -> list[Path]:
    """Write several outputs, all or none.

    Every output is checked (:func:`check_output`), then written to a temporary
    file beside it, then moved into place. If one cannot be placed, those already
    placed by this call are removed again (without ``force``), so a failed command
    leaves no partial set of outputs.

    Parameters
    ----------
    outputs : sequence of (data, path)
        Text (UTF-8, given a final newline if it has none) or bytes.
    force : bool
        Replace existing files.
    inputs : iterable of path
        The command's input files, which are never overwritten.

    Returns
    -------
    list of Path
        The paths written, as given.
    """
    from cba.core._arguments import output_pairs

    outputs = output_pairs(outputs, force, inputs)
    targets = check_outputs([p for _, p in outputs], force, inputs)
    payloads = [_as_bytes(d) for d, _ in outputs]
    temps: list[str] = []
    placed: list[Path] = []
    with stoppable():
        try:
            for where, payload in zip(targets, payloads):
                _temporary(where, payload, temps)
            for tmp, where in zip(temps, targets):
                _place(tmp, where, force)
                placed.append(where)
        except OSError as exc:
            if not force:
                for p in placed:
                    _unlink(p)
            raise CBAError(f"{where}: cannot be written ({exc.strerror or exc}); nothing was written") from None
        except BaseException:  # a CBAError, or a signal or Ctrl-C part way: all or none
            if not force:
                for p in placed:
                    _unlink(p)
            raise
        finally:
            for tmp in temps:
                if os.path.lexists(tmp):
                    _unlink(tmp)
    return [Path(p) for _, p in outputs]


def write_file(data: str | bytes, path: str | Path, force: bool = False, *,
               inputs: Iterable[str | Path] = ()) -> Path:
    """Write text or bytes to ``path`` atomically, never over a file unless ``force`` (:func:`write_files`)."""
    return write_files([(data, path)], force, inputs=inputs)[0]


__all__ = ["at", "check_output", "check_outputs", "check_shape", "data_format", "decode_text", "load_data",
           "parse_data", "read_bytes", "read_text", "write_file", "write_files"]
