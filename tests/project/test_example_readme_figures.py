"""Every money figure an example's README quotes as a result is one its own commands print.

For each ``examples/**/README.md``, the test runs every ``$ cba ...`` command the README
shows (as a table and as JSON) and checks each figure in pounds in its "What the result
shows" section: it must appear in the printed output, or equal (to the precision quoted:
"£1.78 million" within £5,000) a number of the JSON results. A figure the commands cannot
print (a counterfactual, a sum at another year's prices, a figure from a published
source) is listed in :data:`NOT_PRINTED` with the reason, so that none goes stale unseen.
"""

import contextlib
import io
import json
import math
import re
import shlex

import pytest

from cba.cli._main import main

from ..conftest import REPO

RESULTS = "## What the result shows"
ALL_READMES = sorted((REPO / "examples").rglob("README.md"))
#: The READMEs whose figures are checked: those with a results section (every other one quotes no figure,
#: :func:`test_a_readme_without_a_results_section_quotes_no_figure`).
READMES = [r for r in ALL_READMES if RESULTS in r.read_text(encoding="utf-8")]
MONEY = re.compile(r"£(\d[\d,]*(?:\.\d+)?)(?:\s*(million|m\b|bn\b|billion))?")
SCALE = {None: 1.0, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}

#: Figures in a README's results that no command of it prints, by README, with the reason.
NOT_PRINTED: dict[str, dict[str, str]] = {
    "partnership/fair_chance_fund": {
        **dict.fromkeys(["£115,500", "£14,700", "£300", "£6,000", "£70,000", "£51,500", "£17,000", "£2,300"],
                        "the rate card's per-person cap worked through by hand (rungs and people), not a total"),
        **dict.fromkeys(["£842,000", "£485,700"], "payments by year: the contracts table holds totals"),
        "£1,692,700": "earned before the per-person cap: the table shows what is due after it",
    },
    "partnership/life_chances_fund_top_up": {
        **dict.fromkeys(["£711,952.50", "£1,164,842.50", "£200,138.50"],
                        "payments by year: the contracts table holds totals"),
        "£1,417,594": "earned beyond the maximum: the difference of two printed totals",
        **dict.fromkeys(["£648,355.20", "£770,620.80"], "a counterfactual (a 20% top-up share), not run"),
    },
    "partnership/rough_sleeping_sib": {
        "£693,520": "earned beyond the maximum: the difference of two printed totals",
        "£900,000": "the investor's return cap (50% of £1,800,000), a term, not a result",
    },
    "partnership/troubled_families": {
        **dict.fromkeys(["£4,000", "£13,932,000", "£14m"], "the published maximum per family and its total"),
        **dict.fromkeys(["£13,157,046", "£8,916,800", "£4,240,246"],
                        "at 2012/13 prices: the model's outputs are at its 2024/25 price base"),
    },
}


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue()


def _numbers(data):
    if isinstance(data, dict):
        for v in data.values():
            yield from _numbers(v)
    elif isinstance(data, list):
        for v in data:
            yield from _numbers(v)
    elif isinstance(data, int | float) and not isinstance(data, bool) and math.isfinite(data):
        yield float(data)


def _key(readme) -> str:
    return readme.parent.relative_to(REPO / "examples").as_posix()


def test_the_readmes_with_results_are_found():
    assert len(READMES) >= 10 and REPO / "examples" / "partnership" / "README.md" in READMES


def test_a_readme_without_a_results_section_quotes_no_figure():
    """A figure outside a results section would go unchecked: a README quoting one needs the section."""
    for readme in set(ALL_READMES) - set(READMES):
        assert not MONEY.search(readme.read_text(encoding="utf-8")), f"{readme}: figures with no {RESULTS!r}"


@pytest.mark.parametrize("readme", READMES, ids=_key)
def test_every_result_figure_in_an_example_readme_is_printed_by_its_commands(readme, monkeypatch):
    monkeypatch.chdir(REPO)
    text = readme.read_text(encoding="utf-8")
    commands = [shlex.split(line[2:])[1:] for line in text.splitlines() if line.startswith("$ cba ")]
    assert commands, f"{readme}: no command shown"
    printed, numbers = "", []
    for argv in commands:
        argv = [a for a in argv if a not in ("--format", "json")] if "json" in argv else argv
        code, out = _run(argv)
        assert code == 0, f"{readme}: cba {' '.join(argv)} failed"
        printed += out
        code, out = _run([*argv, "-f", "json"])
        assert code == 0
        numbers += list(_numbers(json.loads(out)))
    results = text.split(RESULTS, 1)[1].split("\n## ", 1)[0]
    allowed = NOT_PRINTED.get(_key(readme), {})
    stale = []
    for m in MONEY.finditer(results):
        digits, unit = m.group(1).rstrip(",."), m.group(2)
        quoted = "£" + digits + (unit if unit in ("m", "bn") else "")
        if quoted in allowed or ("£" + digits) in printed:
            continue
        scale = SCALE[unit]
        places = len(digits.split(".")[1]) if "." in digits else 0
        half = 0.5 * 10 ** -places * scale
        value = float(digits.replace(",", "")) * scale
        if not any(abs(abs(n) - value) <= half * (1 + 1e-9) for n in numbers):
            stale.append(m.group(0))
    assert not stale, f"{readme}: figures no command prints (stale, or list them in NOT_PRINTED): {stale}"
    unused = set(allowed) - {"£" + m.group(1).rstrip(",.") + (m.group(2) if m.group(2) in ("m", "bn") else "")
                             for m in MONEY.finditer(results)}
    assert not unused, f"{readme}: NOT_PRINTED lists figures the README no longer quotes: {unused}"
