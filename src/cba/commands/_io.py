"""Shared helpers for subcommands: writing output without losing user files."""

from __future__ import annotations

import sys

from ..files import write_file


def write_output(text: str | bytes, output: str | None, force: bool = False) -> None:
    """Print ``text``, or write it to ``output`` (never over an existing file unless ``force``)."""
    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    path = write_file(text, output, force)
    print(f"wrote {path}", file=sys.stderr)


def add_output_arguments(parser) -> None:
    parser.add_argument("-o", "--output", help="write to this file instead of the screen")
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")


def check_warnings(result, strict: bool) -> None:
    """Print an appraisal's warnings to standard error; with ``strict`` they are an error."""
    import sys

    from ..errors import CBAError

    warnings = list(getattr(result, "warnings", []))
    if strict and warnings:
        raise CBAError("--strict: the appraisal has warnings:\n  " + "\n  ".join(warnings))
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
