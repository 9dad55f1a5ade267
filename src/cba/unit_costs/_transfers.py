"""Which fiscal values are transfer payments.

A transfer payment (tax, social security benefits) is a real saving to the agency
that stops paying it, but moves money between people rather than freeing
resources, so public value leaves it out (HM Treasury Green Book; the GM CBA
guidance). The GMCA Unit Cost Database v1.4 flags transfers in two ways, and cba
reads both:

1. A cell comment on the fiscal value (column H) saying the value, or a named
   amount of it, "should be excluded, as it is a transfer payment" (12 headline
   entries: E&E1.0, E&E2.0, E&E3.0 and E&S5.0 to E&S13.0). Where the comment names
   an amount (E&E1.0: "the £9,234 fiscal benefit to DWP"), the constituent with
   that fiscal value is the transfer and the headline is a part transfer; where it
   names none, the whole fiscal value is.
2. Entries whose fiscal value is itself a benefit or tax payment but carry no such
   comment: :data:`FURTHER_TRANSFERS`, a list kept by cba per database version,
   each with its reason taken from the entry's own description or comment.

A headline split into constituents is a transfer when all of them are, and a part
transfer when some are.
"""

from __future__ import annotations

import re

_TRANSFER_WORDS = re.compile(r"transfer payment", re.I)
_AMOUNT = re.compile(r"£\s*([0-9][0-9,]*(?:\.[0-9]+)?)")
_PUBLIC_VALUE = re.compile(r"public value is\s*£\s*([0-9][0-9,]*(?:\.[0-9]+)?)"
                           r"(?:\s*\((\d{4}\s*/\s*\d{2}) prices\))?", re.I)


def _money(text: str) -> float:
    return float(text.replace(",", ""))


def _codes(prefix: str, first: int, last: int) -> list[str]:
    return [f"{prefix}.{i}" for i in range(first, last + 1)]


_BENEFIT_RATE = "weekly rate of a social security benefit (a payment to the claimant)"
_V1_4: dict[str, str] = {
    # the DWP benefit-payment constituents the headline comments exclude from public value
    **{c: "benefit payments to a claimant who stays out of work; the headline's cell comment "
          "excludes this amount from public value as a transfer payment"
       for c in ("E&E1.0.1", "E&E2.0.1", "E&E3.0.1")},
    # benefit rates
    **{c: f"Jobseeker's Allowance: {_BENEFIT_RATE}" for c in _codes("E&E1", 1, 5)},
    **{c: f"Employment and Support Allowance: {_BENEFIT_RATE}" for c in _codes("E&E2", 1, 4)},
    "E&E2.7": "Incapacity Benefit: first-order fiscal benefit of a claimant entering work, i.e. benefit "
              "no longer paid net of in-work tax credits (its comment)",
    **{c: f"Incapacity Benefit: {_BENEFIT_RATE}" for c in ("E&E2.8", "E&E2.9")},
    **{c: f"Income Support: {_BENEFIT_RATE}" for c in _codes("E&E3", 1, 8)},
    **{c: f"Personal Independence Payment: {_BENEFIT_RATE}" for c in _codes("E&E5", 0, 3)},
    **{c: f"Disability Living Allowance for Children: {_BENEFIT_RATE}" for c in _codes("E&E6", 0, 4)},
    **{c: f"Disability Living Allowance: {_BENEFIT_RATE}" for c in _codes("E&E7", 0, 4)},
    **{c: f"Attendance Allowance: {_BENEFIT_RATE}" for c in ("E&E8.0", "E&E8.1")},
    "E&E9.0": f"Carer's Allowance: {_BENEFIT_RATE}",
    # NEETs: the comments say the fiscal values are benefit payments and foregone tax
    "E&E10.0": "NEET cost to the Exchequer: benefit payments (DWP) and tax credits (HMRC), per its comment",
    "E&E10.0.1": "worklessness and housing benefit payments (its comment)",
    "E&E10.0.2": "Working Tax Credit and Child Tax Credit payments (its comment)",
    "E&E10.1": "NEET cost to the Exchequer: benefit payments and child tax credits, per its comment",
    "E&E10.2": "future benefit payments (DWP) and foregone tax and National Insurance (HMRC), per its comment",
    "E&E10.2.1": "foregone tax and National Insurance receipts (its comment)",
    "E&E10.2.2": "benefit payments in future spells of worklessness (its comment)",
    "E&E10.3": "future benefit payments (DWP) and foregone tax and National Insurance (HMRC), per its comment",
    "E&E10.3.1": "foregone tax and National Insurance receipts (its comment)",
    "E&E10.3.2": "benefit payments in future spells of worklessness (its comment)",
    "E&E10.4": "lifetime welfare payments and lost tax and National Insurance contributions (its description)",
    # Housing Benefit awards
    **{c: "Housing Benefit: average weekly award (a payment to the claimant)" for c in _codes("HO7", 0, 7)},
}

#: Database version -> {code: reason}: fiscal values cba treats as transfer payments
#: beyond those the workbook's cell comments flag. Codes are version-specific
#: (entries are renumbered between versions), so a workbook of another version gets
#: only its cell comments.
FURTHER_TRANSFERS: dict[str, dict[str, str]] = {"1.4": _V1_4}


def parse_transfer_comment(text: str | None) -> tuple[bool, float | None, float | None, str | None]:
    """Read a cell comment on a fiscal value.

    Returns
    -------
    (is_transfer, amount, public_value, public_value_year)
        ``is_transfer`` when the comment calls (part of) the value a transfer
        payment; ``amount`` the pounds it names as the transfer (None: the whole
        value); ``public_value`` and its price year when the comment states the
        total public value.

    Examples
    --------
    >>> parse_transfer_comment("When calculating total public value, the £9,234 fiscal benefit to "
    ...     "DWP should be excluded, as it is a transfer payment.  Total public value is £14,610 "
    ...     "(2012/13 prices).")
    (True, 9234.0, 14610.0, '2012/13')
    >>> parse_transfer_comment("the fiscal benefit to HMT should be excluded, as it is a transfer "
    ...     "payment.  Total public value is £443 (2010/11 prices).")
    (True, None, 443.0, '2010/11')
    >>> parse_transfer_comment("See the source.")
    (False, None, None, None)
    """
    if not text or not _TRANSFER_WORDS.search(text):
        return False, None, None, None
    amount = None
    for sentence in re.split(r"(?<=\.)\s+", text):
        if _TRANSFER_WORDS.search(sentence):
            found = _AMOUNT.findall(sentence)
            amount = _money(found[0]) if found else None
            break
    pv = _PUBLIC_VALUE.search(text)
    public_value = _money(pv.group(1)) if pv else None
    year = pv.group(2).replace(" ", "") if pv and pv.group(2) else None
    return True, amount, public_value, year
