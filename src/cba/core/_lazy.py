"""Names a package exports from its modules, imported on first use (PEP 562).

A package ``__init__`` that must stay light (``cba.core``, ``cba.outputs`` and its
subpackages) lists its public names with the private module that defines each, and
takes its module ``__getattr__`` and ``__dir__`` from :func:`lazy_exports`, so that
``import cba.outputs.charts`` loads no matplotlib until a chart is asked for.

Examples
--------
>>> getattr_, dir_ = lazy_exports("cba.core", {"CBAError": "_errors"})
>>> getattr_("CBAError").__name__
'CBAError'
>>> getattr_("nope")
Traceback (most recent call last):
...
AttributeError: module 'cba.core' has no attribute 'nope'
>>> lazy_exports("cba.outputs", {"charts": ""})[0]("charts").__name__
'cba.outputs.charts'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, whose name ``n`` is defined in
    its module ``where[n]``: a name relative to the package (``"_appraisal"``), a whole
    name from another package it re-exports (``"cba.core._files"``), or ``""`` when ``n``
    is itself a subpackage (``cba.outputs.charts``)."""
    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if not module:
            return importlib.import_module(f"{package}.{name}")
        whole = module if module.startswith("cba.") else f"{package}.{module}"
        return getattr(importlib.import_module(whole), name)

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__
