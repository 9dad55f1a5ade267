"""The ``cba`` command line: one module per subcommand, all above every other layer.

:func:`main` is the console script. Each ``_<command>`` module defines
``register(subparsers)``; :mod:`cba.cli._commands` lists them in ``cba --help``
order. This package may import anything in ``cba``; nothing imports it.
"""

from cba.cli._main import build_parser, main

__all__ = ["build_parser", "main"]
