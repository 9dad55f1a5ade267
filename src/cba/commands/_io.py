"""Shared helpers for subcommands: writing output without losing user files."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import CBAError


def write_output(text: str | bytes, output: str | None, force: bool = False) -> None:
    """Print ``text``, or write it to ``output`` (never over an existing file unless ``force``)."""
    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    path = Path(output)
    if path.exists() and not force:
        raise CBAError(f"{path}: already exists; use --force to overwrite it")
    if not path.parent.exists():
        raise CBAError(f"{path.parent}: no such folder")
    try:
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise CBAError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    print(f"wrote {path}", file=sys.stderr)


def add_output_arguments(parser) -> None:
    parser.add_argument("-o", "--output", help="write to this file instead of the screen")
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
