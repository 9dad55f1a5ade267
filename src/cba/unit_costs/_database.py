"""The unit cost database: lookup, search, filters, uplift, local additions.

A :class:`UnitCostDatabase` is a versioned, searchable set of unit costs.
:func:`~cba.unit_costs._datasets.default` is the GMCA Unit Cost Database v1.4
shipped with cba (converted from the official workbook, see
``unit_costs/README.md``); :func:`~cba.unit_costs._datasets.supplementary` is
cba's separate set of newer figures from other public sources. A user's own
unit costs in the tidy CSV format (:func:`from_csv`) merge on top with
:meth:`UnitCostDatabase.merge` or :meth:`UnitCostDatabase.with_local`; their rows
win on the same code. :meth:`UnitCostDatabase.value_at` re-prices one value to
another price base (:func:`~cba.unit_costs._prices.uplifted_value`).

Loading the datasets (``default``, ``supplementary``, ``load``, ``combined``)
lives in :mod:`cba.unit_costs._datasets`, which builds on this module; the
shipped datasets' names and notes (:data:`~cba.unit_costs._shipped.DATASETS`,
:func:`~cba.unit_costs._shipped.notes_csv_text`, ...) live in :mod:`cba.unit_costs._shipped`.

Examples
--------
>>> from cba.unit_costs import default
>>> db = default()
>>> db["CR1.0"].fiscal.value, db["CR1.0"].fiscal.price_year, db["CR1.0"].agency
(500.0, '2002/03', 'police')
>>> [c.code for c in db.search("jobseeker fiscal benefit")][:3]
['E&E1.0', 'E&E1.0.1', 'E&E1.0.2']
>>> round(db.value_at("CR1.0", "fiscal", "2015/16", deflator="gmca_v1_4"), 2)
673.23
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
from collections.abc import Collection, Iterable, Iterator
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._arguments import path_argument
from cba.core._errors import CBAError
from cba.core._escaping import csv_uncell
from cba.method._deflators import DEFAULT_DEFLATOR, Deflator, financial_year
from cba.method._deflators import get as get_deflator
from cba.unit_costs._agencies import canonical_agency
from cba.unit_costs._codes import code_key
from cba.unit_costs._components import components_for
from cba.unit_costs._hierarchy import check_hierarchy, children_of, fiscal_split
from cba.unit_costs._prices import uplifted_value
from cba.unit_costs._record_types import VALUE_TYPES, DataNote, UnitCost
from cba.unit_costs._shipped import DATASETS, supplementary_codes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.model._lines import ValueComponent
from cba.unit_costs._tidy_csv import read_csv_text, to_csv_text


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _words(text: str) -> list[str]:
    """Search words: lower case, apostrophes dropped, split on anything else.

    >>> _words("Job Seeker's  Allowance (JSA)")
    ['job', 'seekers', 'allowance', 'jsa']
    """
    return re.findall(r"[0-9a-z]+", re.sub(r"['\u2019]", "", text.casefold()))


@lru_cache(maxsize=8192)
def _vocabulary(text: str) -> frozenset[str]:
    """The words of a text, plus each pair of adjacent words joined (``job seekers`` -> ``jobseekers``)."""
    words = _words(text)
    return frozenset(words) | frozenset(a + b for a, b in pairwise(words))


class UnitCostDatabase:
    """A versioned, searchable set of unit costs.

    Parameters
    ----------
    costs : iterable of UnitCost
        The entries, in the order they are listed.
    name : str
        Short name (``gmca_v1_4``, ``supplementary`` or a file path).
    title, version : str
        ``GMCA Unit Cost Database``-style title (with its version) and the version.
    deflator : str, optional
        Name of the deflator series the database itself uses (its own vintage).
    notes : iterable of DataNote
        Notes from reading the source; notes on the code hierarchy are added.
    licence, attribution : str

    Examples
    --------
    >>> from cba.unit_costs import UnitCost, UnitCostValue, UnitCostDatabase
    >>> db = UnitCostDatabase([UnitCost("X1.0", "Visit", (UnitCostValue("fiscal", 100, "2019/20", transfer="no"),),
    ...                                 agency="nhs")], name="mine")
    >>> len(db), "x1.0" in db, db["X1.0"].agency
    (1, True, 'nhs')
    """

    def __init__(self, costs: Iterable[UnitCost], *, name: str = "", title: str = "", version: str = "",
                 deflator: str | None = None, notes: Iterable[DataNote] = (), licence: str = "",
                 attribution: str = "") -> None:
        self._costs: dict[str, UnitCost] = {}
        for c in costs:
            self._costs[code_key(c.code)] = c
        self.name = name
        self.title = title or name
        self.version = version
        self.deflator = deflator or None
        self.licence = licence
        self.attribution = attribution
        self.source_notes = list(notes)
        #: The database's own deflator series, when it was read from a workbook.
        self.deflator_series: Deflator | None = None

    # ---- container protocol
    def __len__(self) -> int:
        return len(self._costs)

    def __iter__(self) -> Iterator[UnitCost]:
        return iter(self._costs.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code_key(code) in self._costs

    def __getitem__(self, code: str) -> UnitCost:
        return self.lookup(code)

    def __repr__(self) -> str:
        return f"<UnitCostDatabase {self.title!r}: {len(self)} codes>"

    def get(self, code: str, default: UnitCost | None = None) -> UnitCost | None:
        """The entry for a code (any case), or ``default``."""
        return self._costs.get(code_key(code), default)

    def lookup(self, code: str) -> UnitCost:
        """The entry for a code; an unknown code raises a :class:`CBAError` with suggestions."""
        found = self.get(code)
        if found is not None:
            return found
        hint = ""
        if code in supplementary_codes() and not any(c.database == DATASETS["supplementary"]["title"] for c in self):
            hint = " It is in cba's supplementary dataset: set `unit_costs: {supplementary: true}` in the model."
        else:
            close = difflib.get_close_matches(code_key(code), list(self._costs), n=3, cutoff=0.75)
            if close:
                hint = f" Did you mean {', '.join(self._costs[k].code for k in close)}?"
        raise CBAError(f"unknown unit cost code {code!r} in {self.title}.{hint}")

    @property
    def codes(self) -> list[str]:
        """Every unit cost's code, in the database's order."""
        return [c.code for c in self]

    # ---- hierarchy
    @cached_property
    def children(self) -> dict[str, list[UnitCost]]:
        """Constituents of each entry, keyed by the parent's code key."""
        return children_of(self)

    def constituents(self, code: str) -> list[UnitCost]:
        """The constituent entries of a headline or subsidiary cost."""
        return list(self.children.get(code_key(self.lookup(code).code), []))

    def fiscal_split(self, code: str) -> list[UnitCost] | None:
        """Constituents that split an entry's fiscal value between agencies, or None."""
        return fiscal_split(self.lookup(code), self.children)

    @cached_property
    def notes(self) -> list[DataNote]:
        """Data notes: from reading the source, then on the code hierarchy."""
        return [*self.source_notes, *check_hierarchy(self)]

    def notes_for(self, code: str) -> list[DataNote]:
        """Data notes on one code."""
        key = code_key(code)
        return [n for n in self.notes if n.code and code_key(n.code) == key]

    def check(self) -> pd.DataFrame:
        """The data notes as a DataFrame (columns ``code``, ``kind``, ``message``)."""
        import pandas as pd

        return pd.DataFrame([(n.code, n.kind, n.message) for n in self.notes], columns=["code", "kind", "message"])

    # ---- search and filters
    def search(self, text: str, *, limit: int | None = None, comments: bool = False) -> list[UnitCost]:
        """Full-text search over codes, descriptions, outcome details, themes, units and agencies.

        Every word of ``text`` must start a word of the entry, ignoring case and
        apostrophes; two adjacent words also count joined, so ``jobseeker`` finds
        "Job Seeker's Allowance". Results are ranked: an exact code first, then
        entries with more of the words in the description, then headline before
        subsidiary before constituent, then database order.

        Parameters
        ----------
        text : str
            Words to look for, or a cost code.
        limit : int, optional
            Most results to return.
        comments : bool
            Also search the comment and source text.

        Examples
        --------
        >>> from cba.unit_costs import default
        >>> [c.code for c in default().search("jobseeker allowance", limit=3)]
        ['E&E1.0', 'E&E1.1', 'E&E1.2']
        """
        if not isinstance(text, str):
            raise CBAError(f"search: expected text to look for, got {text!r}")
        words = _words(text)
        exact = self.get(text.strip()) if text.strip() else None
        if not words and exact is None:
            return []
        level_rank = {"headline": 0.3, "subsidiary": 0.2, "constituent": 0.1}
        scored = []
        for order, c in enumerate(self):
            if exact is not None and c is exact:
                scored.append((-1e9, order, c))
                continue
            if exact is not None and code_key(c.code).startswith(code_key(exact.code) + "."):
                scored.append((-1e8, order, c))  # its constituents next
                continue
            desc = _vocabulary(c.description)
            other = _vocabulary(" ".join([c.code, c.outcome_detail, c.theme, c.sheet, c.unit, c.agency_level_1,
                                          c.agency_level_2, c.agency or "",
                                          *((c.comment, c.source) if comments else ())]))
            score = 0.0
            for w in words:
                if any(t.startswith(w) for t in desc):
                    score += 3
                elif any(t.startswith(w) for t in other):
                    score += 1
                else:
                    score = -1
                    break
            if score <= 0:
                continue
            scored.append((-(score + level_rank.get(c.level, 0.0)), order, c))
        scored.sort(key=lambda t: (t[0], t[1]))
        out = [c for _, _, c in scored]
        return out[:limit] if limit is not None else out

    def filter(self, *, theme: str | Iterable[str] | None = None, agency: str | Iterable[str] | None = None,
               value_type: str | Iterable[str] | None = None, rag: str | Iterable[str] | None = None,
               level: str | Iterable[str] | None = None) -> UnitCostDatabase:
        """The entries that match every given filter, as a database.

        Parameters
        ----------
        theme : str or list of str
            Theme or sheet name, or part of one, ignoring case and punctuation
            (``crime``, ``Employment & Economy``, ``employment``).
        agency : str or list of str
            Canonical agency id (``dwp``) or a workbook agency name (``HM Treasury``).
        value_type : str or list of str
            Entries carrying a value of this type (``fiscal``, ``economic``, ``social``).
        rag : str or list of str
            RAG rating(s): ``R``, ``A``, ``G``.
        level : str or list of str
            ``headline``, ``subsidiary`` or ``constituent``.

        Examples
        --------
        >>> from cba.unit_costs import default
        >>> db = default().filter(theme="employment", agency="dwp", value_type="economic")
        >>> db.codes[:3]
        ['E&E1.0', 'E&E2.0', 'E&E3.0']
        """
        def as_set(x):
            if x is None:
                return None
            if isinstance(x, str):
                return {x}
            if not isinstance(x, (list, tuple, set, frozenset)) or not all(isinstance(v, str) for v in x):
                raise CBAError(f"filter: expected a name or a list of names, got {x!r}")
            return set(x)

        themes = {_slug(t) for t in as_set(theme)} if theme is not None else None
        agencies = None
        if agency is not None:
            agencies = set()
            for a in as_set(agency):
                agencies.add(a if a in _canonical_ids() else (canonical_agency(a) or a))
        types = {t.lower() for t in as_set(value_type)} if value_type is not None else None
        for t in types or ():
            if t not in VALUE_TYPES:
                raise CBAError(f"unknown value type {t!r} (use {', '.join(VALUE_TYPES[:3])})")
        rags = {r.upper() for r in as_set(rag)} if rag is not None else None
        levels = {lv.lower() for lv in as_set(level)} if level is not None else None

        def keep(c: UnitCost) -> bool:
            if themes is not None and not any(t in _slug(c.theme) or t in _slug(c.sheet) for t in themes):
                return False
            if agencies is not None and c.agency not in agencies:
                return False
            if types is not None and not types & set(c.value_types):
                return False
            if rags is not None and c.rag not in rags:
                return False
            return levels is None or c.level in levels

        return self._subset([c for c in self if keep(c)])

    def _subset(self, costs: list[UnitCost]) -> UnitCostDatabase:
        return UnitCostDatabase(costs, name=self.name, title=self.title, version=self.version,
                                deflator=self.deflator, licence=self.licence, attribution=self.attribution,
                                notes=[n for n in self.source_notes if not n.code or n.code in {c.code for c in costs}])

    # ---- tables
    def to_frame(self) -> pd.DataFrame:
        """A pandas view: one row per code and value type (the tidy CSV columns).

        ``value`` and ``updated_value`` are floats, ``row`` an integer (or missing).
        """
        import pandas as pd

        frame = pd.read_csv(io.StringIO(self.to_csv_text()), dtype=str, keep_default_na=False)
        frame = frame.apply(lambda col: col.map(csv_uncell))
        for col in ("value", "updated_value"):
            frame[col] = pd.to_numeric(frame[col].replace("", None), errors="coerce").astype(float)
        frame["row"] = pd.to_numeric(frame["row"].replace("", None), errors="coerce").astype("Int64")
        return frame

    def to_csv_text(self) -> str:
        """The tidy CSV text (see :data:`~cba.unit_costs._tidy_csv.CSV_COLUMNS`)."""
        return to_csv_text(self)

    def uplift(self, price_base: str, deflator: str | Deflator | None = None) -> pd.DataFrame:
        """Every value at one price base.

        Parameters
        ----------
        price_base : str
            Financial year to express values in (``2024/25`` or ``2024-25``).
        deflator : str or Deflator, optional
            Series to use; default the library's default series (HM Treasury
            GDP deflators, ``hmt_2026_03``). ``gmca_v1_4`` is the workbook's own.

        Returns
        -------
        pandas.DataFrame
            :meth:`to_frame` plus ``price_base``, ``deflator``, ``factor`` and
            ``uplifted_value`` (``value * factor``).

        Raises
        ------
        CBAError
            When a price year or the price base is outside the series, naming the
            code, the year and the series' range.
        """
        d = get_deflator(deflator or DEFAULT_DEFLATOR)
        base = financial_year(price_base)
        frame = self.to_frame()
        factors = {}
        for code, year in zip(frame["code"], frame["price_year"]):
            if year and year not in factors:
                try:
                    factors[year] = d.factor(year, base)
                except CBAError as exc:
                    raise CBAError(f"unit cost {code}: {exc}") from None
        frame["price_base"] = base
        frame["deflator"] = d.name
        frame["factor"] = frame["price_year"].map(lambda y: factors.get(y, float("nan"))).astype(float)
        with np.errstate(over="ignore"):
            frame["uplifted_value"] = frame["value"] * frame["factor"]
        overflow = np.isinf(frame["uplifted_value"].to_numpy(float))
        if overflow.any():
            row = frame[overflow].iloc[0]
            raise CBAError(f"unit cost {row['code']} ({row['database']}): {row['value']:g} at {row['price_year']} "
                           f"prices is too large to compute at {base} prices")
        return frame

    def value_at(self, code: str, value_type: str, price_base: str, deflator: str | Deflator | None = None) -> float:
        """One value of one code at a price base (pounds); see :func:`uplifted_value`."""
        c = self.lookup(code)
        v = c.value(value_type)
        if v is None:
            raise CBAError(f"unit cost {c.code} has no {value_type} value "
                           f"(it has {', '.join(c.value_types) or 'none'})")
        d = get_deflator(deflator or DEFAULT_DEFLATOR)  # an unknown series: its own error, before the uplift
        return uplifted_value(c, v, price_base, d)

    def components(self, code: str, *, agency_names: Collection[str] | None = None) -> list[ValueComponent]:
        """The value components an outcome valued by this code gets.

        See :func:`~cba.unit_costs._components.components_for`.
        """
        return components_for(self.lookup(code), self, agency_names=agency_names)

    # ---- combining
    def merge(self, other: UnitCostDatabase) -> UnitCostDatabase:
        """This database with another's entries added; the other's win on the same code.

        A replaced code is replaced whole (all its value types), and a data note
        records it.
        """
        costs = dict(self._costs)
        notes = list(self.source_notes)
        for key, c in other._costs.items():
            if key in costs:
                notes.append(DataNote(c.code, "replaced", f"{c.database or other.title} replaces the entry of "
                                                          f"{costs[key].database or self.title}"))
            costs[key] = c
        notes += other.source_notes
        return UnitCostDatabase(costs.values(), name=f"{self.name}+{other.name}",
                                title=f"{self.title} + {other.title}", version=self.version,
                                deflator=self.deflator, notes=notes, licence=self.licence,
                                attribution=self.attribution)

    def with_local(self, path: str | Path, *, agency_ids: Collection[str] | None = None) -> UnitCostDatabase:
        """This database with a user's unit costs (tidy CSV) merged on top."""
        return self.merge(from_csv(path, agency_ids=agency_ids))

    # ---- readers
    @classmethod
    def from_csv(cls, path: str | Path, **kwargs: Any) -> UnitCostDatabase:
        """Read a user's tidy CSV file (see :func:`from_csv`)."""
        return from_csv(path, **kwargs)

    @classmethod
    def from_workbook(cls, path: str | Path) -> UnitCostDatabase:
        """Read an official GMCA Unit Cost Database workbook (see :func:`read_workbook`)."""
        from cba.unit_costs._workbook import read_workbook

        data = read_workbook(path)
        db = cls(data.costs, name=str(path), title=data.title, version=data.version,
                 deflator=data.deflator.name if data.deflator is not None else None,
                 notes=data.notes, licence="CC BY 4.0", attribution=f"Unit Cost Database v{data.version}, "
                 "New Economy / Greater Manchester Combined Authority, CC BY 4.0")
        # the workbook's own series travels with it; it is not registered by name, so
        # it cannot replace a shipped series of the same name
        db.deflator_series = data.deflator
        return db


def from_csv(path: str | Path, *, agency_ids: Collection[str] | None = None,
             name: str | None = None) -> UnitCostDatabase:
    """A database from a tidy CSV file (a user's own, or one written by ``cba unit-costs import``).

    Errors name the file, row and column (see :func:`~cba.unit_costs._tidy_csv.read_csv_text`).
    """
    from cba.core._files import decode_text, read_bytes

    p = path_argument(path, "unit cost CSV")
    raw = read_bytes(p, "CSV file")
    # provenance names the file and its contents, never where it sits on this computer
    named = f"{p.name} (SHA-256 {hashlib.sha256(raw).hexdigest()[:12]})"
    costs = read_csv_text(decode_text(raw, str(p)), str(p), database=named, agency_ids=agency_ids)
    titles = list(dict.fromkeys(c.database for c in costs if c.database))
    title = titles[0] if len(titles) == 1 else named
    m = re.search(r"v(\d+(?:\.\d+)+)", title)
    return UnitCostDatabase(costs, name=name or str(p), title=title, version=m.group(1) if m else "")


def _canonical_ids() -> set[str]:
    from cba.model._agencies import CANONICAL_AGENCIES

    return set(CANONICAL_AGENCIES)


__all__ = ["UnitCostDatabase", "from_csv"]
