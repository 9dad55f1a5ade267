"""Price bases: financial-year labels and GDP deflator series.

All money in an appraisal is in real terms at one price base. An amount quoted at
another price year is converted with a GDP deflator index ``I``::

    real = amount * I[price_base] / I[price_year]

References
----------
.. [1] HM Treasury, "GDP deflators at market prices, and money GDP", March 2026
   (Quarterly National Accounts). https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast, overload

import numpy as np

from cba.core._arguments import instance_argument, kind_of, path_argument, text_argument
from cba.core._errors import CBAError
from cba.core._numbers import numbers, whole

_FY = re.compile(r"^\s*(\d{4})\s*[/\-]\s*(\d{2}|\d{4})\s*$")


def financial_year(label: str | int) -> str:
    """Normalise a financial-year label to the ``YYYY/YY`` form.

    Accepts ``2024/25``, ``2024-25``, ``2024/2025`` and ``2024-2025``.

    >>> financial_year("2024-25")
    '2024/25'
    >>> financial_year("1999/2000")
    '1999/00'
    """
    if isinstance(label, bool) or not isinstance(label, (str, int)):
        raise CBAError(f"financial_year: expected a financial year label such as '2024/25', got {kind_of(label)}")
    return _financial_year(label)


@functools.lru_cache(maxsize=1024)   # pure, and called for every price of every model compiled
def _financial_year(label: str | int) -> str:
    text = str(label)
    m = _FY.match(text)
    if not m:
        raise CBAError(f"not a financial year label: {text!r} (expected e.g. '2024/25')")
    start = int(m.group(1))
    end = m.group(2)
    end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if len(end) == 2 and end_full < start:  # 1999/00
        end_full += 100
    if end_full != start + 1:
        raise CBAError(f"not a financial year label: {text!r} (the years must be consecutive)")
    return f"{start}/{(start + 1) % 100:02d}"


def year_start(label: str) -> int:
    """Calendar year in which a financial year starts (``'2024/25'`` -> 2024)."""
    return int(financial_year(label)[:4])


def year_label(start: int) -> str:
    """Financial-year label starting in calendar year ``start`` (2024 -> '2024/25')."""
    start = whole(start, "year_label: start", maximum=9998)
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class Deflator:
    """A named GDP deflator index by financial year.

    Parameters
    ----------
    name : str
        Identifier used in models (``deflator: hmt_2026_03``).
    index : mapping of str to float
        Index values by financial-year label; labels are normalised.
    vintage : str
        Publication the series comes from.
    base : str
        Financial year at which the index is 100 (informative).
    forecast : set of str
        Labels whose values are forecasts rather than outturn.
    source : str
        Citation.

    Examples
    --------
    >>> d = Deflator.default()
    >>> round(float(d.uplift(49, "2022/23", "2024-25")), 4)
    53.6695
    """

    name: str
    index: Mapping[str, float]
    vintage: str = ""
    base: str = ""
    forecast: frozenset[str] = field(default_factory=frozenset)
    source: str = ""

    def __post_init__(self) -> None:
        text_argument(self.name, "Deflator: name")
        for label in ("vintage", "base", "source"):
            text_argument(getattr(self, label), f"Deflator {self.name}: {label}")
        instance_argument(self.index, Mapping, f"Deflator {self.name}: index", "a mapping of financial years to "
                                                                                "index values")
        if not self.index:
            raise CBAError(f"deflator {self.name}: the index has no years")
        if isinstance(self.forecast, (str, bytes)) or not isinstance(self.forecast, (set, frozenset, list, tuple)):
            raise CBAError(f"deflator {self.name}: forecast: expected a set of financial years, "
                           f"got {kind_of(self.forecast)}")
        norm = {financial_year(k): _index_value(self.name, k, v) for k, v in self.index.items()}
        for k, v in norm.items():
            if not np.isfinite(v) or v <= 0:
                raise CBAError(f"deflator {self.name}: index for {k} must be a positive number, got {v}")
        object.__setattr__(self, "index", dict(sorted(norm.items())))
        object.__setattr__(self, "forecast", frozenset(financial_year(k) for k in self.forecast))

    @property
    def first_year(self) -> str:
        """The earliest financial year of the index (``YYYY/YY``)."""
        return next(iter(self.index))

    @property
    def last_year(self) -> str:
        """The latest financial year of the index (``YYYY/YY``)."""
        return next(reversed(cast("dict[str, float]", self.index)))  # a dict: see __post_init__

    def value(self, year: str) -> float:
        """Index value for a financial year; a clear error outside the series."""
        label = financial_year(year)
        try:
            return self.index[label]
        except KeyError:
            raise CBAError(
                f"price year {label} is not in the deflator series {self.name!r} "
                f"(it covers {self.first_year} to {self.last_year})"
            ) from None

    def factor(self, from_year: str | None, to_year: str) -> float:
        """Multiplier taking an amount at ``from_year`` prices to ``to_year`` prices.

        ``from_year`` None means the amount is already at ``to_year`` prices.
        """
        if from_year is None or financial_year(from_year) == financial_year(to_year):
            self.value(to_year)
            return 1.0
        return self.value(to_year) / self.value(from_year)

    @overload
    def uplift(self, amount: float, from_year: str | None, to_year: str) -> float: ...
    @overload
    def uplift(self, amount: np.ndarray | Sequence[float], from_year: str | None, to_year: str) -> np.ndarray: ...

    def uplift(self, amount: float | np.ndarray | Sequence[float], from_year: str | None,
               to_year: str) -> float | np.ndarray:
        """Convert ``amount`` (scalar or array, pounds) from ``from_year`` to ``to_year`` prices."""
        return np.multiply(numbers(amount, "Deflator.uplift: amount"), self.factor(from_year, to_year))

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None, **meta: Any) -> Deflator:
        """Read a series from a CSV with columns ``financial_year,index[,status]``.

        The file is read within the size limit (:func:`cba.core._files.read_text`); every
        index must be a finite number above 0.
        """
        import io
        import math

        from cba.core._files import read_text

        path = path_argument(path, "Deflator.from_csv: path")
        if name is not None:
            text_argument(name, "Deflator.from_csv: name")
        index: dict[str, float] = {}
        forecast = set()
        text = read_text(path, "deflator CSV file")
        try:
            rows = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            raise CBAError(f"{path}: not valid CSV ({exc})") from None
        for row_no, row in enumerate(rows, start=2):
            try:
                label = financial_year(row["financial_year"])
                value = float(row["index"])
            except (KeyError, TypeError, ValueError, CBAError) as exc:
                raise CBAError(f"{path}, row {row_no}: {exc}") from None
            if not (math.isfinite(value) and value > 0):
                raise CBAError(f"{path}, row {row_no}, column 'index': must be a finite number above 0, "
                               f"got {row['index']!r}")
            index[label] = value
            if (row.get("status") or "").strip().lower().startswith("forecast"):
                forecast.add(label)
        return cls(name=name or path.stem, index=index, forecast=frozenset(forecast), **meta)

    @classmethod
    def default(cls) -> Deflator:
        """The current HM Treasury GDP deflator series shipped with the library."""
        return get(DEFAULT_DEFLATOR)


def _index_value(name: str, year: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise CBAError(f"deflator {name}: index for {year} must be a positive number, got {kind_of(value)}")
    try:
        return float(value)
    except OverflowError:
        raise CBAError(f"deflator {name}: index for {year} must be a positive number, got one too large") from None


DEFAULT_DEFLATOR = "hmt_2026_03"

_REGISTRY: dict[str, Deflator] = {}
_LOADERS: dict[str, Callable[[], Deflator]] = {}


def data_dir() -> Path:
    """Folder of the shipped ``unit_costs`` data (installed copy or source tree)."""
    from importlib import resources

    installed = Path(str(resources.files("cba"))) / "_data" / "unit_costs"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "unit_costs"


def _hmt_2026_03() -> Deflator:
    return Deflator.from_csv(
        data_dir() / "deflators" / "hmt_gdp_deflator_2026-03.csv",
        name="hmt_2026_03",
        vintage="HM Treasury GDP deflators, March 2026 (QNA; forecasts from OBR Spring Statement 3 March 2026)",
        base="2024/25",
        source="HM Treasury, GDP deflators at market prices, and money GDP, March 2026; ONS series L8GG",
    )


_LOADERS["hmt_2026_03"] = _hmt_2026_03


def _gmca_v1_4() -> Deflator:
    return Deflator.from_csv(
        data_dir() / "deflators" / "gmca_v1_4_lookups.csv",
        name="gmca_v1_4",
        vintage="GMCA Unit Cost Database v1.4 Lookups sheet: GDP deflators at market prices, and money GDP: "
                "March 2015 (Budget 2015); 2014/15 onwards are forecasts",
        base="1989/90",
        source="New Economy / GMCA, Unit Cost Database v1.4 (March 2015, CC BY 4.0), sheet Lookups; "
               "HM Treasury GDP deflators, 19 March 2015",
    )


#: The GDP series embedded in the GMCA Unit Cost Database v1.4 (1989/90 = 100,
#: chained from annual % changes; 1989/90 to 2019/20). It reproduces the
#: workbook's own "Updated cost/saving" columns.
_LOADERS["gmca_v1_4"] = _gmca_v1_4


def register(deflator: Deflator) -> None:
    """Make a series available to models by name."""
    _REGISTRY[deflator.name] = deflator


def register_loader(name: str, loader) -> None:
    """Register a function that builds a series lazily on first use."""
    _LOADERS[name] = loader


def available() -> list[str]:
    """Names of the series models may use."""
    return sorted(set(_REGISTRY) | set(_LOADERS))


def get(name: str | Deflator) -> Deflator:
    """Look up a registered series by name."""
    if isinstance(name, Deflator):
        return name
    if name not in _REGISTRY:
        loader = _LOADERS.get(name)
        if loader is None:
            raise CBAError(f"unknown deflator series {name!r} (available: {', '.join(available())})")
        _REGISTRY[name] = loader()
    return _REGISTRY[name]
