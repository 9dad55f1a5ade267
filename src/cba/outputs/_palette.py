"""One palette for every chart: each concept and each agency keeps its colour; and captions.

A board reads several charts side by side (who pays and who saves, benefits by
year, costs by agency, the deal's charts), so a colour must mean the same thing
in all of them. Concepts (costs, the three kinds of fiscal saving, economic and
social value) take Okabe and Ito's colours, chosen to stay distinguishable with
common colour-vision deficiencies (Okabe, M. and Ito, K., "Color Universal
Design", 2008); agencies take Paul Tol's "muted" scheme (Tol, P., "Colour
Schemes", SRON/EPS/TN/09-002, 2021), so that no agency is drawn in a concept's
colour. A canonical agency (:data:`cba.model._agencies.CANONICAL_AGENCIES`) has the
same colour in every model; declared agencies take the remaining colours in the
order the model lists them.

:data:`CAPTIONS` and :data:`DEAL_CAPTIONS` say in words what each chart draws;
the report and the workbook print them under the charts. Nothing here imports
matplotlib.

Examples
--------
>>> COLOURS["transfer"] != COLOURS["cashable"] != COLOURS["non_cashable"]
True
>>> agency_colours(["nhs", "youth_offending", "local_authority"])
{'nhs': '#44AA99', 'youth_offending': '#6699CC', 'local_authority': '#332288'}
"""

from __future__ import annotations

from collections.abc import Iterable

#: Colour of each concept a chart draws.
COLOURS = {
    "cost": "#D55E00",          # vermillion: money put in
    "cashable": "#0072B2",      # blue: fiscal savings that free budget
    "non_cashable": "#56B4E9",  # sky blue: fiscal savings that do not
    "transfer": "#CC79A7",      # reddish purple: transfer payments (fiscal, not public value)
    "fiscal": "#0072B2",        # fiscal savings as a whole (the cumulative chart)
    "economic": "#E69F00",      # orange
    "social": "#009E73",        # bluish green
    "net": "#000000",           # net positions
    "payback": "#000000",       # the payback point
    "neutral": "#6B7B8C",       # a distribution of one metric (no concept)
}

#: What each concept is called in legends, the same in every chart.
LABELS = {
    "cost": "Costs borne",
    "cashable": "Fiscal savings: cashable",
    "non_cashable": "Fiscal savings: non-cashable",
    "transfer": "Fiscal: transfer payments",
    "economic": "Economic benefits",
    "social": "Social benefits",
}

#: What each chart of :mod:`cba.outputs.charts._appraisal` draws, in words: its caption in the report and the workbook.
CAPTIONS = {
    "agencies": "Who pays and who saves, present values: the costs each agency bears (below the axis) and "
                "the fiscal savings it banks (above it), split into cashable savings, non-cashable savings "
                "and transfer payments. The diamond marks each agency's net position (savings minus costs), "
                "also written above its column.",
    "cumulative": "Cumulative present value of costs and of fiscal benefits (transfers included), at the end "
                  "of each year. The payback point, when there is one, is the end of the first year in which "
                  "cumulative fiscal benefits reach cumulative costs (ringed, with a dashed line).",
    "benefits": "Benefits in each year, real terms at the price base (undiscounted), stacked by kind: fiscal "
                "savings (cashable, non-cashable and transfer payments), economic and social value. "
                "Dis-benefits are drawn below the axis.",
    "costs": "Costs in each year, real terms at the price base (undiscounted) after the optimism-bias "
             "uplift, stacked by the agency that bears them.",
}

#: What the chart of cumulative benefits by who benefits shows (the report's "Who benefits" section).
ACCOUNTS_CAPTION = ("Cumulative present value of the benefits to each account, at the end of each year: taxpayers "
                    "through each agency (fiscal savings), participants, others and society (solid lines), and "
                    "of the costs (dashed, below the axis). A transfer is a gain to taxpayers and the same loss "
                    "to participants.")

#: What each chart of a deal shows, in words (the caption in the report and the workbook).
DEAL_CAPTIONS = {
    "deal_positions": "Each partner's net position (what it gets back minus what it puts in), present values: "
                      "without the deal (pale, hatched) and with the deal (solid), each partner in its own "
                      "colour. A deal moves money between partners; the total does not change.",
    "deal_flows": "The payments between partners under the deal, present values: one bar per agreement and "
                  "payer (a partner's contributions to a pooled budget another partner hosts included), in the "
                  "payer's colour, labelled payer → payee, the agreement and its kind.",
}

#: The colour of each canonical agency, in every model.
CANONICAL_AGENCY_COLOURS = {
    "local_authority": "#332288",   # indigo
    "nhs": "#44AA99",               # teal
    "dwp": "#882255",               # wine
    "hmrc": "#999933",              # olive
    "police": "#117733",            # green
    "criminal_justice": "#AA4499",  # purple
    "fire": "#CC6677",              # rose
    "education": "#DDCC77",         # sand
    "housing": "#88CCEE",           # cyan
    "other": "#777777",             # grey
}
#: Colours for declared agencies, taken in the order the model lists them.
AGENCY_COLOURS = ("#6699CC", "#997700", "#EE99AA", "#004488", "#994455", "#66CCEE", "#BBBBBB",
                  "#222255", "#225555", "#666633")


def agency_colours(agencies: Iterable[str]) -> dict[str, str]:
    """The colour of each agency id: canonical ones fixed, others in order of appearance.

    Parameters
    ----------
    agencies : iterable of str
        Agency ids in the model's order (all of them, so that an agency has the same
        colour in every chart of the model).

    Returns
    -------
    dict of str to str
        Agency id -> hex colour.
    """
    out: dict[str, str] = {}
    k = 0
    for a in agencies:
        if a in out:
            continue
        if a in CANONICAL_AGENCY_COLOURS:
            out[a] = CANONICAL_AGENCY_COLOURS[a]
        else:
            out[a] = AGENCY_COLOURS[k % len(AGENCY_COLOURS)]
            k += 1
    return out


def model_agencies(appraisal) -> list[str]:
    """Every agency of an appraisal, with the partners of its deal: the order colours follow."""
    agencies = list(appraisal.compiled.agencies)
    terms = getattr(appraisal.intervention, "partnership", None)
    if terms is not None:
        agencies += [p for p in terms.partners() if p not in agencies]
    return agencies
