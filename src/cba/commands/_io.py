"""Shared helpers for subcommands: writing output without losing or corrupting user files.

A command checks its output files before it starts work (:func:`check_outputs`:
no existing file without ``--force``, never one of its own inputs, never a folder,
FIFO, device or dangling link), and writes them only once all its work has
succeeded, all or none (:func:`write_outputs`, through :func:`cba.files.write_files`:
each file is written beside its target and moved into place).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..files import check_outputs as _check_outputs
from ..files import write_files


def _is_file(output: str | None) -> bool:
    return output is not None and output != "-"


def model_inputs(intervention) -> list[Path]:
    """The files a model reads besides itself: its unit cost database and local CSVs
    (for a programme, every intervention's file and unit cost files)."""
    members = [Path(f) for m in (getattr(intervention, "_programme", None) or []) for f in m.get("inputs", ())]
    settings = getattr(intervention, "unit_costs", None)
    if settings is None:
        return members
    base = getattr(intervention, "_base_dir", None)

    def where(p: str) -> Path:
        path = Path(p)
        return path if path.is_absolute() or base is None else Path(base) / path

    from ..unit_costs.database import DATASETS

    found = members + [where(p) for p in settings.local]
    if settings.database not in DATASETS:
        found.append(where(settings.database))
    return found


def check_outputs(outputs: Iterable[str | None], force: bool = False, inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse, before any work, outputs that could not be written (see :func:`cba.files.check_output`)."""
    _check_outputs([o for o in outputs if _is_file(o)], force, [i for i in inputs if i is not None])


def write_outputs(items: Sequence[tuple[str | bytes, str | None]], force: bool = False,
                  inputs: Iterable[str | Path | None] = ()) -> None:
    """Write every file output all or none, then print the rest to the screen.

    Parameters
    ----------
    items : sequence of (data, output)
        ``output`` None or ``-`` means the screen.
    force : bool
        Replace existing files.
    inputs : iterable of path
        The command's input files, never overwritten.
    """
    files = [(data, out) for data, out in items if _is_file(out)]
    if files:
        written = write_files(files, force, inputs=[i for i in inputs if i is not None])
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
    for data, out in items:
        if not _is_file(out):
            if isinstance(data, bytes):
                sys.stdout.buffer.write(data)
            else:
                sys.stdout.write(data if data.endswith("\n") else data + "\n")


def write_output(text: str | bytes, output: str | None, force: bool = False,
                 inputs: Iterable[str | Path | None] = ()) -> None:
    """Print ``text``, or write it to ``output`` (never over an existing file unless ``force``,
    never over one of ``inputs``)."""
    write_outputs([(text, output)], force, inputs)


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
