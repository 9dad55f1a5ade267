"""The record types of a unit cost database: its entries, their values and data notes.

A :class:`UnitCost` is one coded row of a unit cost database: a description, a
unit, the agency bearing the fiscal cost and up to three values (fiscal, economic,
social), each a :class:`UnitCostValue` with its price year. A :class:`DataNote`
is something a reader of the data should know about one code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: Value types a unit cost may carry. ``total`` marks a figure that mixes fiscal,
#: economic and social parts (supplementary data only); it cannot value an outcome.
VALUE_TYPES = ("fiscal", "economic", "social", "total")

#: Transfer status of a fiscal value: all of it, part of it, none of it.
TRANSFER_STATES = ("yes", "part", "no")


@dataclass(frozen=True)
class UnitCostValue:
    """One value of a unit cost.

    Attributes
    ----------
    value_type : str
        ``fiscal``, ``economic``, ``social`` (or ``total``, supplementary data only).
    value : float
        Pounds per unit, at ``price_year`` prices.
    price_year : str or None
        Financial year of the prices (``2012/13``).
    formula : str
        The workbook formula that computed the value (``=3308/40``), if any.
    updated_value, updated_year : float or None, str or None
        The workbook's own "Updated cost/saving" (its cached formula result) and
        the price base it was updated to (the Lookups sheet's current year).
    transfer : str
        For fiscal values: ``yes`` when the whole value is a transfer payment (tax,
        social security benefits), ``part`` when part of it is (its constituents say
        which part), ``no`` otherwise; empty for other value types.
    transfer_basis : str
        Why it is flagged: the workbook's cell comment or cba's transfer list.
    note : str
        The workbook's cell comment on the value.
    health : bool
        An economic or social value of health or life, discounted on the health
        schedule (:mod:`cba.method._discounting`).
    health_basis : str
        Why it is flagged a health value (cba's list of health values, from the
        workbook's own comment on the entry).
    """

    value_type: str
    value: float
    price_year: str | None = None
    formula: str = ""
    updated_value: float | None = None
    updated_year: str | None = None
    transfer: str = ""
    transfer_basis: str = ""
    note: str = ""

    #: An economic or social value of health or life, discounted on the health schedule.
    health: bool = False
    #: Why it is a health value.
    health_basis: str = ""

    @property
    def is_transfer(self) -> bool:
        """Whether the whole value is a transfer payment."""
        return self.transfer == "yes"


@dataclass(frozen=True)
class UnitCost:
    """One coded entry of a unit cost database.

    Attributes
    ----------
    code : str
        Cost code (``E&E1.0``) or supplementary id.
    description, unit : str
        What is costed and per what (``Per claimant per year``).
    values : tuple of UnitCostValue
        At most one per value type, in the order fiscal, economic, social, total.
    theme, outcome_detail : str
        The workbook's "Outcome category" and "Outcome detail".
    agency_level_1, agency_level_2 : str
        The agency names as the source writes them.
    agency : str or None
        The canonical agency id they map to (:func:`canonical_agency`).
    level, parent : str, str or None
        Place in the code hierarchy (:func:`code_level`).
    source, source_url, rag, comment : str
        Original source, its address, RAG rating (R, A, G) and the comment.
    caveat : str
        A warning that must travel with the figure (e.g. a secondary quote).
    revision, revision_note : str
        The workbook's "New / update" and "Changes made" columns.
    database : str
        Title of the database the entry belongs to (``GMCA Unit Cost Database v1.4``).
    sheet, row : str, int or None
        Where it was read (workbook sheet and row, or CSV file and line).
    """

    code: str
    description: str = ""
    values: tuple[UnitCostValue, ...] = ()
    theme: str = ""
    outcome_detail: str = ""
    unit: str = ""
    agency_level_1: str = ""
    agency_level_2: str = ""
    agency: str | None = None
    level: str = ""
    parent: str | None = None
    source: str = ""
    source_url: str = ""
    rag: str = ""
    comment: str = ""
    caveat: str = ""
    revision: str = ""
    revision_note: str = ""
    database: str = ""
    sheet: str = ""
    row: int | None = None

    def value(self, value_type: str) -> UnitCostValue | None:
        """The value of one type, or None."""
        for v in self.values:
            if v.value_type == value_type:
                return v
        return None

    @property
    def fiscal(self) -> UnitCostValue | None:
        """The fiscal value, or None if the unit cost has none."""
        return self.value("fiscal")

    @property
    def economic(self) -> UnitCostValue | None:
        """The economic value, or None if the unit cost has none."""
        return self.value("economic")

    @property
    def social(self) -> UnitCostValue | None:
        """The social value, or None if the unit cost has none."""
        return self.value("social")

    @property
    def value_types(self) -> tuple[str, ...]:
        """The value types the unit cost has (``fiscal``, ``economic``, ``social``), in order."""
        return tuple(v.value_type for v in self.values)

    @property
    def agency_names(self) -> str:
        """The source's agency names, e.g. ``'DWP / HM Treasury'``."""
        return " / ".join(n for n in (self.agency_level_1, self.agency_level_2) if n)

    def with_value(self, new: UnitCostValue) -> UnitCost:
        """A copy with one value replaced (matched on value type)."""
        values = tuple(new if v.value_type == new.value_type else v for v in self.values)
        return replace(self, values=values)

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


@dataclass(frozen=True)
class DataNote:
    """Something a reader of the data should know about one code.

    ``kind`` is a short tag (``split_mismatch``, ``split_rounding``,
    ``blank_code``, ``unknown_agency``, ...); ``message`` says what and why.
    """

    code: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code else self.message


__all__ = ["TRANSFER_STATES", "VALUE_TYPES", "DataNote", "UnitCost", "UnitCostValue"]
