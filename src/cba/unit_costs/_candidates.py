"""The candidate list behind cba's supplementary unit costs, and the rules applied to it.

Built by ``scripts/build_unit_costs.py`` from a list of candidate figures (Home
Office costs of crime 2018 and of domestic abuse 2019, PSSRU 2023, NAO 2010,
Crisis 2015, HM Treasury wellbeing guidance 2021, DCLG Troubled Families 2015,
IPPR 2017), each naming its source. The rules, applied by
:func:`convert_candidates`:

* **Kept** when the figure has a source and a financial-year price year, so that
  it can be uplifted without an assumption.
* **Left out** when the price year is not stated, or is a calendar year (the
  deflator series are by financial year; converting would be an assumption cba
  will not make for the user). :data:`EXCLUDED_REASONS` says which and why.
* **Secondary quotes**: a figure read in a newspaper, blog or trade-press report
  quoting the source, not in the source itself, keeps that warning in its
  ``caveat`` column, which ``cba unit-costs show`` and every appraisal source
  string carry.
* **Totals**: a figure that adds up fiscal, economic and social costs (the Home
  Office "total economic and social cost" per offence or per victim) has value
  type ``total``, not ``economic``; a total cannot value an outcome by code, since
  its fiscal part cannot be given an agency or kept apart from public value.
"""

from __future__ import annotations

import csv
import io
import re

from cba.core._errors import CBAError
from cba.method._deflators import financial_year
from cba.unit_costs._cells import read_amount
from cba.unit_costs._record_types import UnitCost, UnitCostValue

TITLE = "cba supplementary unit costs"

#: Candidate theme -> theme name in the style of the GMCA workbook.
THEMES = {
    "crime": "CRIME",
    "health": "HEALTH",
    "social_care": "SOCIAL SERVICES",
    "housing": "HOUSING",
    "education_skills": "EDUCATION & SKILLS",
    "employment": "EMPLOYMENT & ECONOMY",
    "fire": "FIRE",
    "other": "OTHER",
}

TOTAL_COMMENT = ("A total of fiscal, economic and social costs given as one figure in the source: not an "
                 "economic value. It cannot value an outcome by code; use it for context, or split it "
                 "with the source's own breakdown in components.")

_CANDIDATE_COLUMNS = ("id", "theme", "description", "unit", "value_gbp", "price_year", "agency",
                      "value_type", "cashable", "confidence", "source_title", "source_url")


def _caveat(confidence: str) -> str:
    m = re.match(r"\s*secondary quote\s*(?:\((.*)\))?", confidence, re.I)
    if not m:
        return ""
    medium = m.group(1) or "another publication"
    return (f"Secondary quote ({medium}): the figure was read in a {medium} report quoting the source, not "
            "in the source itself; check it against the source before relying on it.")


def _is_total(row: dict) -> bool:
    return row["value_type"] == "economic" and re.search(r"\btotal\b", row["description"], re.I) is not None


def exclusion_reason(row: dict) -> str | None:
    """Why a candidate row is left out of the supplementary data (None: it is kept).

    >>> exclusion_reason({"price_year": "not stated", "source_title": "X", "value_gbp": "1"})
    'no price year stated: the figure cannot be uplifted without an assumption'
    >>> exclusion_reason({"price_year": "2019", "source_title": "X", "value_gbp": "1"})
    'price year 2019 is a calendar year: the deflator series are by financial year'
    >>> exclusion_reason({"price_year": "2015/16", "source_title": "X", "value_gbp": "1"}) is None
    True
    """
    if not row.get("source_title", "").strip():
        return "no source named"
    value = read_amount(row.get("value_gbp", ""), grouped=False)
    if not isinstance(value, float):
        return f"value {value or 'missing'}"
    year = row.get("price_year", "").strip()
    if not year or year.lower() in ("not stated", "n/a", "unknown"):
        return "no price year stated: the figure cannot be uplifted without an assumption"
    if re.fullmatch(r"\d{4}", year):
        return f"price year {year} is a calendar year: the deflator series are by financial year"
    try:
        financial_year(year)
    except CBAError:
        return f"price year {year!r} is not a financial year"
    return None


def convert_candidates(text: str, origin: str = "candidate-unit-costs.csv") -> tuple[list[UnitCost], dict[str, str]]:
    """Turn the candidate list into supplementary unit costs.

    Returns
    -------
    (costs, excluded)
        The kept rows as :class:`UnitCost` (code = the candidate id) and
        ``{id: reason}`` for the rows left out.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _CANDIDATE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CBAError(f"{origin}: missing columns {', '.join(missing)}")
    costs: list[UnitCost] = []
    excluded: dict[str, str] = {}
    for row_no, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items()}
        reason = exclusion_reason(row)
        if reason:
            excluded[row["id"]] = reason
            continue
        total = _is_total(row)
        vtype = "total" if total else row["value_type"]
        if vtype not in ("fiscal", "economic", "social", "total"):
            raise CBAError(f"{origin}, row {row_no}, column 'value_type': {row['value_type']!r} is not a value type")
        fiscal = vtype == "fiscal"
        costs.append(UnitCost(
            code=row["id"], description=row["description"],
            values=(UnitCostValue(value_type=vtype, value=float(row["value_gbp"]),
                                  price_year=financial_year(row["price_year"]),
                                  transfer="no" if fiscal else ""),),
            theme=THEMES.get(row["theme"], row["theme"].upper()), unit=row["unit"],
            agency=row["agency"] if fiscal else None, source=row["source_title"],
            source_url=row["source_url"], caveat=_caveat(row["confidence"]),
            comment=TOTAL_COMMENT if total else "", database=TITLE, sheet=origin, row=row_no,
        ))
    return costs, excluded


#: Candidate ids left out of the supplementary data, with the reason (checked by the tests).
EXCLUDED_REASONS = {
    "hmt2021-wellby": "price year 2019 is a calendar year: the deflator series are by financial year",
    "ippr2017-exclusion": "no price year stated: the figure cannot be uplifted without an assumption",
    "dclg2015-tf-family-cost": "no price year stated: the figure cannot be uplifted without an assumption",
    "dclg2015-tf-complex-cost": "no price year stated: the figure cannot be uplifted without an assumption",
}
