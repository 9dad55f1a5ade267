"""Reading and writing the user's files: clear errors, nothing overwritten by accident."""

from __future__ import annotations

from pathlib import Path

from .errors import CBAError


def read_text(path: str | Path, what: str = "file", encoding: str = "utf-8") -> str:
    """Text of a user's file; a missing, unreadable or folder path is a :class:`CBAError`.

    Parameters
    ----------
    path : str or Path
    what : str
        What the file should be, for the message ("model file", "CSV file").
    encoding : str
        Text encoding (``utf-8-sig`` accepts a spreadsheet's byte-order mark).
    """
    p = Path(path)
    if not p.exists():
        raise CBAError(f"{p}: no such file")
    if p.is_dir():
        raise CBAError(f"{p}: is a folder, not a {what}")
    try:
        return p.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as exc:
        raise CBAError(f"{p}: cannot be read ({exc})") from None


def write_file(data: str | bytes, path: str | Path, force: bool = False) -> Path:
    """Write text or bytes to ``path``; refuse to replace an existing file unless ``force``.

    Text gains a final newline if it has none.
    """
    path = Path(path)
    if path.exists() and not force:
        raise CBAError(f"{path}: already exists; use --force (force=True in Python) to overwrite it")
    if not path.parent.exists():
        raise CBAError(f"{path.parent}: no such folder")
    if path.is_dir():
        raise CBAError(f"{path}: is a folder")
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data if data.endswith("\n") else data + "\n", encoding="utf-8")
    except OSError as exc:
        raise CBAError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return path
