"""The ``cba`` command line.

User mistakes (a missing file, invalid YAML, a rate out of range, an unknown
agency) print one message naming the field and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys

from cba._version import __version__
from cba.cli._commands import COMMAND_MODULES
from cba.core._errors import CBAError
from cba.core._signals import Stopped


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cba", description="Cost-benefit analysis of local public services "
                                     "(GMCA / New Economy method): who pays and who saves.")
    parser.add_argument("--version", action="version", version=f"cba {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"cba.cli._{name}").register(sub)
    return parser


def printable(message: str) -> str:
    r"""A message safe to print on a terminal: control characters from user text (a carriage
    return, an escape sequence) are shown escaped; line breaks between problems are kept.

    The message is bounded (:data:`MAX_LINES` lines of at most :data:`MAX_LINE` characters),
    so no input, however large, prints megabytes.

    >>> printable("scenarios.\r\x1b[2J: bad")
    'scenarios.\\r\\x1b[2J: bad'
    """
    lines = message.split("\n")
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES - 1], f"... ({len(lines) - MAX_LINES + 1:,} more lines)"]
    lines = [line if len(line) <= MAX_LINE else line[:MAX_LINE - 3] + "..." for line in lines]
    return "".join(c if c == "\n" or c.isprintable() else repr(c)[1:-1] for c in "\n".join(lines))


#: The most lines, and the longest line, of an error message printed by the command line.
MAX_LINES, MAX_LINE = 25, 2000


def main(argv: list[str] | None = None) -> int:
    from cba.outputs._textgrid import DEFAULT_WIDTH, fixed_width

    parser = build_parser()
    args = parser.parse_args(argv)
    output = getattr(args, "output", None)
    to_file = output not in (None, "-")
    try:  # text for a file is laid out to the default width, text for a terminal to its width
        with fixed_width(DEFAULT_WIDTH) if to_file else contextlib.nullcontext():
            return int(args.func(args) or 0)
    except CBAError as exc:
        print(f"cba: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Stopped as exc:  # SIGTERM or SIGHUP while writing: the temporary files are gone
        return exc.code
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the system refused a write or a read (disk full, a file-size limit, ...)
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"cba: error: {printable(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
