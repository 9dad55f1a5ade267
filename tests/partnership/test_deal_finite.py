"""Issue 19, item 1: no deal creates money or prints a non-finite number.

Deal amounts that are finite but overflow once multiplied and added up give a
CBAError naming the agreement and field (Python API, every command and format,
Monte Carlo, Dask); the conservation check fails a deal that created or lost money;
gain-shares one partner pays on the same savings add up to 100% at most.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import yaml

import cba
from cba.cli._main import main
from cba.core._errors import CBAError
from cba.partnership._finite import conservation

from ..conftest import EXAMPLES

BIG = 1e308
OUTCOME = "Fewer repeat incidents"


@pytest.fixture(scope="module")
def worked():
    return cba.appraise(EXAMPLES / "worked_example.yaml")


def _op(**extra) -> dict:
    return {"payer": "nhs", "payee": "local_authority", "outcome": OUTCOME, "basis": "gross", **extra}


OVERFLOWS = {
    "a fixed payment summed over the years": (
        {"payments": [{"from": "nhs", "to": "local_authority", "amounts": [BIG, BIG]}]},
        r"partnership\.payments\[0\]\.amounts: the agreement 'Payment NHS to Local authority'"),
    "two fixed payments to one partner": (
        {"payments": [{"from": "nhs", "to": "local_authority", "amounts": [BIG]},
                      {"from": "dwp", "to": "local_authority", "amounts": [BIG]}]},
        r"partnership\.payments\[0\]\.amounts, partnership\.payments\[1\]\.amounts: received of local_authority"),
    "a price": ({"outcome_payments": [_op(price=BIG)]},
                r"partnership\.outcome_payments\[0\]\.price: the agreement 'Outcome payments for"),
    "an attachment fee": ({"outcome_payments": [_op(price=1.0, attachment_fee=BIG)]},
                          r"partnership\.outcome_payments\[0\]\.attachment_fee: "),
    "pooled contributions": (
        {"pooled_budget": {"host": "local_authority", "costs": ["Key workers"],
                           "contributions": {"nhs": [BIG], "local_authority": [BIG]}}},
        r"partnership\.pooled_budget\.contributions: the contributions, added up, are too large"),
    "a rate card's rungs": (
        {"outcome_payments": [{"payee": "local_authority", "basis": "gross",
                               "payers": [{"payer": "nhs", "share": 0.5}, {"payer": "dwp", "share": 0.5}],
                               "tariffs": [{"outcome": OUTCOME, "rungs": [{"price": BIG}, {"price": BIG}]}]}]},
        r"partnership\.outcome_payments\[0\]\.tariffs\[0\]\.rungs: the prices up the ladder add up to more than "
        r"can be computed"),
    "a top-up of a price too large to add up": (
        {"outcome_payments": [_op(price=1e306, top_up={"payer": "dwp", "share": 0.5, "award": BIG})]},
        r"partnership\.outcome_payments\[0\]\.tariffs: the deal does not add up"),
    "an investor repaid from a price too large to add up": (
        {"investments": [{"investor": "dwp", "provider": "local_authority", "commitment": BIG}],
         "outcome_payments": [_op(price=1e305)]},
        r"partnership\.outcome_payments\[0\]\.price: the deal does not add up: net_after sums to 0 but should "
        r"be 23401\.4"),
}


@pytest.mark.parametrize("case", sorted(OVERFLOWS))
def test_overflowing_deal_amounts_name_the_agreement_and_field(worked, case):
    deal, message = OVERFLOWS[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no RuntimeWarning on the way either
        with pytest.raises(CBAError, match=message):
            worked.partnership(deal)


def test_a_cap_as_large_as_a_float_is_no_cap(worked):
    """A cap of 1e308 never binds: the deal is the uncapped one (20% of the savings)."""
    capped = worked.partnership({"gain_share": [{"from": "local_authority", "to": "nhs", "share": 0.2,
                                                 "basis": "fiscal", "cap": BIG}]})
    plain = worked.partnership({"gain_share": [{"from": "local_authority", "to": "nhs", "share": 0.2,
                                                "basis": "fiscal"}]})
    assert np.array_equal(capped.positions["net_after"], plain.positions["net_after"])
    assert capped.check().empty


# ---------------------------------------------------------------- gain-shares above 100%
def _gains(*shares, basis="fiscal", **extra) -> dict:
    return {"gain_share": [{"from": "local_authority", "to": "nhs", "share": s, "basis": basis, **extra}
                           for s in shares]}


def test_gain_shares_passing_on_more_than_all_the_savings_are_refused(worked):
    with pytest.raises(CBAError, match=r"partnership\.gain_share\[1\]\.share: local_authority would pass on more "
                                       r"than all of its savings: gain_share\[0\] .* add up to 1\.2 of them"):
        worked.partnership(_gains(0.6, 0.6))


def test_gain_shares_adding_up_to_exactly_the_savings_pass(worked):
    """0.25 + 0.75 = 1: the local authority passes on all of its fiscal savings (£33,063.20 before,
    net after = -costs = -£40,000, as the key workers cost 40,000 in year 0, undiscounted)."""
    r = worked.partnership(_gains(0.25, 0.75))
    assert r.check().empty
    i = r.partner_ids.index("local_authority")
    assert r.positions["net_after"][i] == pytest.approx(-40000.0, abs=1e-6)


def test_gain_shares_in_different_years_do_not_add_up(worked):
    r = worked.partnership({"gain_share": [
        {"from": "local_authority", "to": "nhs", "share": 0.9, "basis": "fiscal", "start_year": 0, "end_year": 1},
        {"from": "local_authority", "to": "dwp", "share": 0.9, "basis": "fiscal", "start_year": 2, "end_year": 3}]})
    assert r.check().empty


def test_cashable_and_whole_shares_count_the_cashable_part(worked):
    """The local authority's savings are 50% cashable: 60% of the cashable part (0.3 of the whole)
    with 60% of the whole is 0.9 of it and passes; with 80% of the whole it is 1.1 and fails."""
    ok = {"gain_share": [{"from": "local_authority", "to": "nhs", "share": 0.6, "basis": "cashable"},
                         {"from": "local_authority", "to": "dwp", "share": 0.6, "basis": "fiscal"}]}
    assert worked.partnership(ok).check().empty
    ok["gain_share"][1]["share"] = 0.8
    with pytest.raises(CBAError, match=r"cashable savings\), gain_share\[1\] .*whole savings\)"):
        worked.partnership(ok)


# ---------------------------------------------------------------- the conservation check
def test_the_check_never_passes_a_total_that_is_not_finite(worked):
    r = worked.partnership(_gains(0.2))
    r.positions["received"] = np.array([np.inf, 0.0, 0.0])[:len(r.partner_ids)]
    assert "received" in r.check()["check"].tolist()
    r.positions["net_after"] = np.full(len(r.partner_ids), np.nan)
    assert "net_after" in r.check()["check"].tolist()


def test_the_check_scales_with_the_deals_own_money_not_the_amounts_moved(worked):
    """Moving 1e300 from one partner to another and back leaves its savings lost in the rounding:
    a tolerance relative to 1e300 would pass it, one relative to the costs and savings does not."""
    r = worked.partnership(_gains(0.2))
    pos = {k: np.asarray(v, dtype=float)[None].copy() for k, v in r.positions.items()}
    pos["net_after"] = pos["net_after"] + np.array([1e300, -1e300, 0.0])[None, :len(r.partner_ids)]
    pos["net_after"][0, 0] = (pos["net_after"][0, 0] + 1.0) - 1.0          # rounds to 1e300 exactly
    lost = conservation(r.flows, pos)
    assert [x["check"] for x in lost] == ["net_after"]


def test_a_penny_from_nowhere_is_reported(worked):
    """Half a penny is the absolute floor: a whole penny fails (the worked example's costs and savings,
    about £100,000, times 1e-9 are a ten-thousandth of a penny)."""
    r = worked.partnership(_gains(0.2))
    r.positions["net_after"] = r.positions["net_after"] + np.eye(len(r.partner_ids))[0] * 0.01
    bad = r.check()
    assert bad["check"].tolist() == ["net_after"]
    assert bad["value"].iloc[0] - bad["expected"].iloc[0] == pytest.approx(0.01)


# ---------------------------------------------------------------- every command, format and Monte Carlo
@pytest.fixture
def overflowing(tmp_path):
    data = yaml.safe_load((EXAMPLES / "worked_example.yaml").read_text())
    data["partnership"] = {"payments": [{"from": "nhs", "to": "local_authority", "amounts": [BIG, BIG]}]}
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv", "xlsx"])
def test_every_format_of_the_partnership_command_exits_2(overflowing, tmp_path, capsys, fmt):
    out = tmp_path / f"out.{fmt}"
    argv = ["partnership", str(overflowing), "--format", fmt] + (["-o", str(out)] if fmt == "xlsx" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "partnership.payments[0].amounts" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("command", [["appraise", "--format", "json"], ["report"]])
def test_other_commands_that_show_the_deal_exit_2(overflowing, tmp_path, capsys, command):
    argv = [command[0], str(overflowing), *command[1:]]
    if command[0] == "report":
        argv += ["-o", str(tmp_path / "r.html")]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and "partnership.payments[0].amounts" in err
    assert not (tmp_path / "r.html").exists()


def _mc_model():
    data = yaml.safe_load((EXAMPLES / "worked_example.yaml").read_text())
    data["partnership"] = {"payments": [{"from": "nhs", "to": "local_authority", "amounts": [1000.0, 1000.0]}]}
    return cba.Intervention.from_dict(data)


#: A multiplier of the amounts up to 1e306: most draws pay more than 1.8e308 a year.
MC_DISTS = {"partnership.payments[0].amounts": {"dist": "uniform", "low": 1.0, "high": 1e306}}


def test_monte_carlo_draws_that_overflow_name_the_agreement_and_draw():
    with pytest.raises(CBAError, match=r"partnership\.payments\[0\]\.amounts: .*too large to compute"
                                       r" \(beyond 1\.8e\+308\) \(in draw \d+ of \d+\)"):
        cba.uncertainty.montecarlo(_mc_model(), MC_DISTS, draws=200, seed=1, progress=False, workers=1)


def test_monte_carlo_gain_shares_drawn_above_the_whole_are_refused():
    data = yaml.safe_load((EXAMPLES / "worked_example.yaml").read_text())
    data["partnership"] = _gains(0.5, 0.4)
    dists = {"partnership.gain_share[0].share": {"dist": "uniform", "low": 0.4, "high": 0.7}}
    with pytest.raises(CBAError, match=r"would pass on more than all of its savings.*\(in draw \d+ of 100\)"):
        cba.uncertainty.montecarlo(cba.Intervention.from_dict(data), dists, draws=100, seed=3, progress=False,
                                   workers=1, chunk_size=100)


def test_monte_carlo_on_dask_raises_the_same_error():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client, \
            pytest.raises(CBAError, match=r"partnership\.payments\[0\]\.amounts: "):
        cba.uncertainty.montecarlo(_mc_model(), MC_DISTS, draws=200, seed=1, progress=False, client=client)
