"""Shared helpers for subcommands: writing output without losing or corrupting user files.

A command checks its output files before it starts work (:func:`check_outputs`:
no existing file without ``--force``, never one of its own inputs, never a folder,
FIFO, device or dangling link), and writes them only once all its work has
succeeded, all or none (:func:`write_outputs`, through :func:`cba.core._files.write_files`:
each file is written beside its target and moved into place).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeGuard

from cba.core._errors import CBAError
from cba.core._files import check_outputs as _check_outputs
from cba.core._files import write_files

#: File name endings each output format is written under.
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "table": (".txt",), "text": (".txt",), "markdown": (".md", ".markdown", ".txt"), "json": (".json",),
    "csv": (".csv",), "xlsx": (".xlsx",), "docx": (".docx",), "html": (".html", ".htm"), "yaml": (".yaml", ".yml"),
    "png": (".png",), "svg": (".svg",), "pdf": (".pdf",),
}


def _is_file(output: str | None) -> TypeGuard[str]:
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

    from cba.unit_costs._shipped import DATASETS

    found = members + [where(p) for p in settings.local]
    if settings.database not in DATASETS:
        found.append(where(settings.database))
    return found


def _suffix_list(formats: Iterable[str]) -> str:
    first: dict[str, str] = {}
    for f in formats:
        for sfx in FORMAT_SUFFIXES[f]:
            first.setdefault(sfx, f)
    return ", ".join(f"{sfx} ({f})" if f in ("table", "text") else sfx for sfx, f in first.items())


def output_format(output: str | None, requested: str | None, formats: Sequence[str], default: str | None = None,
                  option: str = "-o", inputs: Iterable[str | Path | None] = ()) -> str:
    """The format to write ``output`` in, refusing a file name that says otherwise.

    ``requested`` (``--format``) wins when given, but a file whose name ends in
    another format's suffix is refused (no JSON written under ``.csv``); without
    it the suffix chooses among ``formats``. A suffix no format writes (``.pdf``,
    ``.xls``) is refused with the list of those the command writes. A name without
    a suffix, or the screen (``None`` or ``-``), takes ``requested`` or ``default``.
    An output that is one of ``inputs`` is refused first, as such.

    >>> output_format("results.json", None, ["table", "json"]), output_format(None, None, ["table", "json"])
    ('json', 'table')
    >>> output_format("results.pdf", None, ["table", "json"])
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: -o results.pdf: cannot write a .pdf file; give a file ending in .txt (table), .json
    """
    default = default or formats[0]
    if not _is_file(output):
        return requested or default
    _check_outputs([str(output)], True, [i for i in inputs if i is not None])  # never an input, whatever its name
    suffix = Path(str(output)).suffix.lower()
    if requested:
        if suffix and suffix not in FORMAT_SUFFIXES.get(requested, ()):
            raise CBAError(f"{option} {output}: --format {requested} writes {_suffix_list([requested])} files, "
                           f"not {suffix}; give a file ending in {_suffix_list([requested])}")
        return requested
    if not suffix:
        return default
    for fmt in formats:
        if suffix in FORMAT_SUFFIXES.get(fmt, ()):
            return fmt
    raise CBAError(f"{option} {output}: cannot write a {suffix} file; give a file ending in {_suffix_list(formats)}")


def check_suffix(output: str | None, formats: Sequence[str], option: str = "-o",
                 inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse an output file whose name does not end in a suffix of ``formats``."""
    output_format(output, None, formats, option=option, inputs=inputs)


def check_outputs(outputs: Iterable[str | None], force: bool = False, inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse, before any work, outputs that could not be written (see :func:`cba.core._files.check_output`)."""
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

    from cba.core._errors import CBAError

    warnings = list(getattr(result, "warnings", []))
    if strict and warnings:
        raise CBAError("--strict: the appraisal has warnings:\n  " + "\n  ".join(warnings))
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
