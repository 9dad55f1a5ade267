"""The library's version: the one place it is written (``pyproject.toml`` reads it).

Kept as a constant so that ``import cba`` and ``cba --version`` need not query the
installed package's metadata.
"""

#: The installed version of cba, the one ``cba --version`` prints.
__version__ = "0.1.0"
