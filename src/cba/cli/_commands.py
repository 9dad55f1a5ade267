"""Subcommands of the ``cba`` command line, one module each.

Each module defines ``register(subparsers)`` that adds its parser and sets
``func`` to a function taking the parsed arguments and returning an exit status.
"""

#: Modules providing subcommands, in the order they appear in ``cba --help``.
COMMAND_MODULES = ["appraise", "compare", "init", "schema", "unit_costs", "report", "uncertainty", "partnership",
                   "indigo", "portfolio"]
