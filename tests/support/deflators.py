"""A deflator series with no inflation, for tests that cash and real terms agree."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cba.method._deflators import Deflator, register


@contextmanager
def flat_series(name: str) -> Iterator[str]:
    """Register a series of 100.0 in every financial year 2015/16 to 2044/45 as ``name`` while
    the block runs (an ASSUMPTION of zero inflation, for tests only)."""
    import cba.method._deflators as deflators

    register(Deflator(name, {f"{y}/{str(y + 1)[2:]}": 100.0 for y in range(2015, 2045)},
                      source="ASSUMPTION: zero inflation, for tests"))
    try:
        yield name
    finally:
        deflators._REGISTRY.pop(name, None)
