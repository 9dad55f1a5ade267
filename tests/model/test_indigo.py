"""Reading and writing the INDIGO data standard (cba.model._indigo, _indigo_write).

The fixtures in tests/data/indigo/ were written by hand from the Government Outcomes Lab's
INDIGO impact bond dataset; tests/data/indigo/README.md says where each figure was read.
"""

import copy
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba.core._limits as limits
from cba.core._errors import CBAError
from cba.core._files import parse_data
from cba.model._deal_terms import Partnership
from cba.model._indigo import GENERIC_PAYEE, indigo_from_dict, read_indigo
from cba.model._indigo_write import to_indigo, unwritten
from cba.model._investment_terms import Investment
from cba.model._outcome_terms import OutcomePayment, Payer, Rung, Tariff
from cba.model._settings import Agency

from ..conftest import REPO

FIXTURES = REPO / "tests" / "data" / "indigo"
GM = FIXTURES / "gm_rough_sleeping.json"
SKILL_MILL = FIXTURES / "skill_mill.json"
NORFOLK = FIXTURES / "stronger_families_norfolk.json"

# Greater Manchester Entrenched Rough Sleeping SIB (INDIGO-POJ-0154): price per outcome metric 1 to 22
GM_PRICES = [600, 1500, 1500, 2600, 2500, 1800, 100, 100, 100, 200, 600, 100, 1100, 120, 2600, 500, 400, 800,
             1900, 1800, 2400, 2200]
# The Skill Mill (INDIGO-POJ-0195): price per outcome metric 1 to 6
SKILL_MILL_PRICES = [4390, 1310, 8240, 9340, 430, 320]


def data_of(path):
    return json.loads(path.read_text(encoding="utf-8"))


def problems_at(project, prefix):
    return [(p, m) for p, m in project.problems if p.startswith(prefix)]


# ---------------------------------------------------------------- the published projects
def test_greater_manchester_reproduces_its_published_prices_and_maximum():
    project = read_indigo(GM)
    assert (project.id, project.currency, project.maximum) == ("INDIGO-POJ-0154", "GBP", 2_629_000)
    card = project.payment.tariffs
    assert len(card) == 22 and len(project.metrics) == 22
    assert [t.price for t in card] == GM_PRICES and (min(GM_PRICES), max(GM_PRICES)) == (100, 2600)
    assert [t.outcome for t in card] == [f"outcomemetric{i}" for i in range(1, 23)]
    assert card[1].name == "Accommodation: 3 months in accommodation"
    assert project.payment.cap == 2_629_000 and project.payment.basis == "gross"
    # MHCLG committed the whole maximum; GMCA states none, so it pays after it, in order
    assert project.payment.split == "in_order"
    assert [(p.payer, p.maximum) for p in project.payers] == [("indigo_org_0088", 2_629_000), ("indigo_org_0256", None)]
    assert {a.id: a.name for a in project.agencies}["indigo_org_0088"].startswith("Ministry of Housing")


def test_greater_manchester_outcomes_achieved_are_worth_more_than_its_maximum():
    project = read_indigo(GM)
    worth = sum(m.price * m.achieved for m in project.metrics)
    assert worth == 3_324_020
    note = dict(project.problems)["results"]
    assert note.startswith("note:") and "£3,324,020" in note and "£2,629,000" in note and "£695,020" in note
    # the pricings' maxima are 300 times each price (the 300 people targeted): a rate card under one maximum
    assert all(m.maximum_price == m.price * 300 for m in project.metrics)
    assert "£7,656,000" in dict(project.problems)["outcome_pricings"]


def test_the_skill_mill_reproduces_its_published_prices_and_maximum():
    project = read_indigo(SKILL_MILL)
    assert (project.id, project.name, project.maximum) == ("INDIGO-POJ-0195", "The Skill Mill", 3_241_776)
    assert [t.price for t in project.payment.tariffs] == SKILL_MILL_PRICES
    assert [m.price for m in project.metrics] == SKILL_MILL_PRICES
    assert [m.target for m in project.metrics] == [252, 252, 212, 240, 179, 252]
    assert project.payment.cap == 3_241_776


def test_the_skill_mill_payers_sum_exactly_to_its_maximum_and_share_it_pro_rata():
    project = read_indigo(SKILL_MILL)
    maxima = [p.maximum for p in project.payers]
    assert maxima == [230_400] * 7 + [1_418_976, 210_000]
    assert sum(maxima) == project.maximum == 3_241_776
    assert problems_at(project, "outcome_payment_commitments") == []
    assert not [m for _, m in project.problems if not m.startswith("note:")]
    payment = project.payment
    assert payment.split == "shares"
    assert sum(p.share for p in payment.payers) == pytest.approx(1, abs=1e-15)
    for p in payment.payers:       # each payer reaches its maximum exactly at the contract maximum
        assert p.share * payment.cap == pytest.approx(p.maximum, rel=1e-15)
    names = {a.id: a.name for a in project.agencies}
    assert names["indigo_org_0171"] == "Department for Culture, Media and Sport (DCMS)"
    assert names["indigo_org_1209"] == "West Sussex Council"


def test_the_skill_mill_investors_are_read_as_investment_terms():
    project = read_indigo(SKILL_MILL)
    assert [(i.name, i.investor, i.commitment) for i in project.investments] == [
        ("investment1", "indigo_org_0008", 362_500), ("investment2", "indigo_org_0381", 362_500),
        ("investment3", "indigo_org_0132", 175_000), ("investment4", "indigo_org_0133", 100_000)]
    assert sum(i.commitment for i in project.investments) == project.total_investment == 1_000_000
    # the provider is the project's one service provider, and is paid for the outcomes
    assert {i.provider for i in project.investments} == {project.payment.payee} == {"indigo_org_1116"}
    assert all(i.return_cap is None and i.surplus_share == 0 for i in project.investments)
    assert "return_cap is left unset" in dict(project.problems)["investments"]


def test_norfolk_payers_that_do_not_sum_to_the_maximum_are_reported_with_both_figures():
    project = read_indigo(NORFOLK)
    assert [p.maximum for p in project.payers] == [1_617_248, 7_958_997]
    assert project.maximum == 8_629_679.5
    [(path, message)] = problems_at(project, "outcome_payment_commitments")
    assert path == "outcome_payment_commitments"
    assert "£9,576,245" in message and "£8,629,679.50" in message and "£946,565.50 more" in message
    assert not message.startswith("note:")
    # no shares can be derived: in order, each up to its maximum
    assert all(p.share is None for p in project.payers)


def test_norfolk_has_no_rate_card_and_says_why():
    project = read_indigo(NORFOLK)
    assert project.payment is None
    found = dict(project.problems)
    assert "has no price" in found["outcome_metrics[0]"]
    assert "no rate card" in found["outcome_pricings"]
    assert "14 of 14 investments state no amount" in found["investments"] and "£2,100,000" in found["investments"]
    # an interim result is progress, not outcomes achieved
    assert project.metrics[0].achieved is None


# ---------------------------------------------------------------- choices where the standard is silent
def test_the_payee_is_the_single_service_provider_else_a_generic_one():
    assert read_indigo(SKILL_MILL).payment.payee == "indigo_org_1116"
    gm = read_indigo(GM)
    assert gm.payment.payee == GENERIC_PAYEE.id and GENERIC_PAYEE in gm.agencies
    assert "4 organisations" in dict(gm.problems)["service_provisions"]
    chosen = read_indigo(GM, payee="gm_homes")
    assert chosen.payment.payee == "gm_homes" and Agency(id="gm_homes", name="Gm homes") in chosen.agencies
    assert "service_provisions" not in dict(chosen.problems)


def test_the_recipient_of_outcome_payments_is_the_payee_first():
    data = data_of(SKILL_MILL)
    data["outcome_payments"] = [{"recipient_organisation_id": {"value": "INDIGO-ORG-9999"}}]
    assert indigo_from_dict(data).payment.payee == "indigo_org_9999"


def test_the_api_answer_reads_as_the_project_data():
    data = data_of(SKILL_MILL)
    wrapped = {"project": {"id": data.pop("id"), "data": data}}
    assert indigo_from_dict(wrapped).payment == read_indigo(SKILL_MILL).payment
    assert indigo_from_dict(wrapped).id == "INDIGO-POJ-0195"


def test_a_price_may_be_text_that_is_only_a_number():
    data = data_of(SKILL_MILL)
    data["outcome_pricings"][0]["price_per_unit"]["amount"]["value"] = " 4390 "
    assert indigo_from_dict(data).payment.tariffs[0].price == 4390


@pytest.mark.parametrize("change, where, words", [
    (lambda d: d["outcome_pricings"].append(
        {"outcome_metric_id": {"value": "nowhere"}, "price_per_unit": {"amount": {"value": 5}}}),
     "outcome_pricings[6].outcome_metric_id", "not an outcome metric"),
    (lambda d: d["outcome_pricings"].append(
        {"outcome_metric_id": {"value": "outcomemetric1"}, "price_per_unit": {"amount": {"value": 5}}}),
     "outcome_pricings[6].outcome_metric_id", "priced twice"),
    (lambda d: d["overall_project_finance"].pop("maximum_potential_outcome_payment_v2"),
     "overall_project_finance.maximum_potential_outcome_payment_v2", "no maximum"),
    (lambda d: d.pop("outcome_payment_commitments"), "outcome_payment_commitments", "no outcome payer"),
    (lambda d: d["outcome_pricings"][2].update(currency={"value": "USD"}), "outcome_pricings[2].currency", "USD"),
    (lambda d: d["outcome_payment_commitments"][0].pop("maximum_potential_outcome_payment"),
     "outcome_payment_commitments[0].maximum_potential_outcome_payment", "states no maximum"),
    (lambda d: d["investments"][0]["investment_commitment"].update(
        amount={"min": {"value": 300000}, "max": {"value": 400000}}),
     "investments[0].investment_commitment.amount", "the commitment is its top, £400,000"),
    (lambda d: d["investments"].pop(), "overall_project_finance.total_investment_commitment", "£100,000 less"),
])
def test_what_does_not_add_up_is_reported(change, where, words):
    data = data_of(SKILL_MILL)
    change(data)
    found = dict(indigo_from_dict(data).problems)
    assert words in found[where]


def test_a_missing_maximum_leaves_no_cap_and_no_shares():
    data = data_of(SKILL_MILL)
    data.pop("overall_project_finance")
    project = indigo_from_dict(data)
    assert project.payment.cap is None and project.payment.split == "in_order"


# ---------------------------------------------------------------- mistakes name the file and the field
def write(tmp_path, text, name="project.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, words", [
    ("not json at all", "invalid JSON"),
    ("[1, 2]", "JSON object (a mapping), got a list"),
    ('"a project"', "JSON object (a mapping), got str"),
])
def test_a_file_that_is_not_a_project_is_a_mistake(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(CBAError) as err:
        read_indigo(path)
    assert str(err.value).startswith(str(path)) and words in str(err.value)


def _price(value):
    def change(d):
        d["outcome_pricings"][3]["price_per_unit"]["amount"]["value"] = value
    return change


@pytest.mark.parametrize("change, field, words", [
    (_price("six hundred"), "outcome_pricings[3].price_per_unit.amount", "expected a number, got text"),
    (_price("£9,340"), "outcome_pricings[3].price_per_unit.amount", "no currency symbols, commas"),
    (_price("1,000"), "outcome_pricings[3].price_per_unit.amount", "expected a number"),
    (_price(True), "outcome_pricings[3].price_per_unit.amount", "got true (a yes/no value)"),
    (_price(-5), "outcome_pricings[3].price_per_unit.amount", "must be zero or more"),
    (_price([1]), "outcome_pricings[3].price_per_unit.amount", "expected a number, got a list"),
    (lambda d: d["outcome_pricings"][3]["price_per_unit"].update(amount=[600]),
     "outcome_pricings[3].price_per_unit.amount", "expected a value, got a list"),
    (lambda d: d["outcome_pricings"][3].update(price_per_unit=7), "outcome_pricings[3].price_per_unit",
     "expected an object"),
    (lambda d: d["outcome_metrics"][1].pop("id"), "outcome_metrics[1].id", "missing: every outcome metric needs"),
    (lambda d: d["outcome_metrics"][1].update(id="outcomemetric1"), "outcome_metrics[1].id", "earlier outcome metric"),
    (lambda d: d["outcome_pricings"][0].pop("outcome_metric_id"), "outcome_pricings[0].outcome_metric_id",
     "missing"),
    (lambda d: d["outcome_payment_commitments"][2].pop("organisation_id"),
     "outcome_payment_commitments[2].organisation_id", "missing"),
    (lambda d: d["outcome_payment_commitments"][2]["maximum_potential_outcome_payment"]["amount"].update(
        value="a lot"), "outcome_payment_commitments[2].maximum_potential_outcome_payment.amount", "got text"),
    (lambda d: d["investments"][1]["investment_commitment"]["amount"]["exact"].update(value=False),
     "investments[1].investment_commitment.amount.exact", "yes/no"),
    (lambda d: d["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["amount"].update(value="3.2m"),
     "overall_project_finance.maximum_potential_outcome_payment_v2.amount", "got text"),
    (lambda d: d.update(outcome_pricings={"a": 1}), "outcome_pricings", "expected a list"),
    (lambda d: d["outcome_metrics"].append("a metric"), "outcome_metrics[6]", "expected an object"),
    (lambda d: d["outcome_metrics"][0].update(id=7), "outcome_metrics[0].id", "expected text"),
])
def test_a_malformed_field_is_a_mistake_naming_the_file_and_the_field(tmp_path, change, field, words):
    data = data_of(SKILL_MILL)
    change(data)
    path = write(tmp_path, json.dumps(data))
    with pytest.raises(CBAError) as err:
        read_indigo(path)
    assert str(err.value).startswith(f"{path}: {field}: ") and words in str(err.value)


def test_a_field_the_standard_types_as_text_is_reported_not_refused():
    data = data_of(GM)
    data["results"][0]["outcomes_achieved"]["value"] = "most of them"
    data["outcome_pricings"][1]["maximum_price_if_all_targets_achieved"]["amount"]["value"] = "£450,000"
    project = indigo_from_dict(data, "gm.json")
    found = dict(project.problems)
    assert "not used" in found["results[0].outcomes_achieved"]
    assert "not used" in found["outcome_pricings[1].maximum_price_if_all_targets_achieved.amount"]
    assert project.metrics[0].achieved is None and project.metrics[1].maximum_price is None


def test_reading_is_bounded(tmp_path):
    with limits.override(file_bytes=1000), pytest.raises(CBAError) as err:
        read_indigo(SKILL_MILL)
    assert "too large" in str(err.value) and "CBA_MAX_FILE_BYTES" in str(err.value)
    with pytest.raises(CBAError, match="is a folder"):
        read_indigo(tmp_path)
    with pytest.raises(CBAError, match="no such file"):
        read_indigo(tmp_path / "missing.json")


def test_nan_and_duplicate_keys_are_refused(tmp_path):
    for text in ('{"name": {"value": "a"}, "name": {"value": "b"}}', '{"overall_project_finance": NaN}'):
        with pytest.raises(CBAError) as err:
            read_indigo(write(tmp_path, text))
        assert str(err.value).startswith(str(tmp_path))


# ---------------------------------------------------------------- the deal section
@pytest.mark.parametrize("fixture", [GM, SKILL_MILL, NORFOLK])
def test_the_deal_section_is_valid_model_input(fixture):
    project = read_indigo(fixture)
    deal = project.deal()
    terms = Partnership.from_dict(deal["partnership"])
    assert terms.outcome_payments == ([project.payment] if project.payment else [])
    declared = {a["id"] for a in deal["agencies"]}
    if project.payment:
        assert set(project.payment.payer_ids) | {project.payment.payee} <= declared
    assert {i.investor for i in project.investments} <= declared


# ---------------------------------------------------------------- writing back
@pytest.mark.parametrize("fixture", [GM, SKILL_MILL])
def test_read_write_read_round_trips_the_terms_exactly(fixture, tmp_path):
    first = read_indigo(fixture)
    fragment = to_indigo(first.payment, first.investments, first.agencies, organisation_ids=first.organisation_ids,
                         project_id=first.id)
    path = write(tmp_path, json.dumps(fragment, indent=2))
    again = read_indigo(path)
    assert again.payment == first.payment
    assert again.investments == first.investments
    assert again.agencies == first.agencies
    assert again.payers == first.payers and again.maximum == first.maximum and again.id == first.id
    assert all(again.organisation_ids[k] == v for k, v in first.organisation_ids.items())
    assert "notes" not in fragment["overall_project_finance"]        # nothing the standard cannot hold
    # and the written organisations are the INDIGO ones
    assert {c["organisation_id"]["value"] for c in fragment["outcome_payment_commitments"]} <= set(
        first.organisation_ids.values())


def test_the_fragment_is_in_the_standards_shape():
    project = read_indigo(SKILL_MILL)
    fragment = to_indigo(project.payment, project.investments, project.agencies,
                         organisation_ids=project.organisation_ids)
    assert fragment["outcome_pricings"][3] == {"outcome_metric_id": {"value": "outcomemetric4"},
                                               "currency": {"value": "GBP"},
                                               "price_per_unit": {"amount": {"value": 9340.0}}}
    assert fragment["outcome_payment_commitments"][7] == {
        "organisation_id": {"value": "INDIGO-ORG-0171"},
        "maximum_potential_outcome_payment": {"currency": {"value": "GBP"}, "amount": {"value": 1418976.0}}}
    assert fragment["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["amount"] == {
        "value": 3241776.0}
    assert fragment["investments"][0]["investment_commitment"]["amount"] == {"exact": {"value": 362500.0}}


def test_terms_the_standard_cannot_hold_are_noted_not_lost():
    payment = OutcomePayment(payers=[Payer(payer="council", share=0.5, maximum=100.0),
                                     Payer(payer="fund", share=0.5, maximum=300.0)],
                             payee="provider", tariffs=[Tariff(outcome="Into work", price=50.0)],
                             basis="net", cap=400.0, payment_lag=1, threshold=0.2,
                             top_up={"payer": "lcf", "share": 0.2, "award": 50.0})
    investment = Investment(investor="investor", provider="provider", commitment=90.0, return_cap=0.5)
    missing = dict(unwritten(payment, [investment]))
    assert missing == {"basis": "net", "threshold": "0.2", "payment_lag": "1", "payers[0].share": "0.5",
                       "payers[1].share": "0.5", "top_up.share": "0.2", "investments[0].return_cap": "0.5"}
    fragment = to_indigo(payment, [investment])
    notes = fragment["overall_project_finance"]["notes"]
    assert "basis: net" in notes and "payment_lag: 1" in notes and "investments[0].return_cap: 0.5" in notes
    # the top-up payer is an outcome payer up to its award
    assert fragment["outcome_payment_commitments"][2]["organisation_id"] == {"value": "lcf"}
    back = indigo_from_dict(fragment)
    assert [t.price for t in back.payment.tariffs] == [50.0] and back.payment.basis == "gross"


def test_canonical_agencies_round_trip_as_themselves():
    payment = OutcomePayment(payer="local_authority", payee="provider", outcome="Into work", price=500.0,
                             basis="gross", cap=1000.0)
    back = indigo_from_dict(to_indigo(payment, agencies=[Agency(id="provider", name="Provider")]))
    assert [p.payer for p in back.payers] == ["local_authority"]
    assert back.payment.payee == "provider" and [a.id for a in back.agencies] == ["provider"]


@pytest.mark.parametrize("tariff, words", [
    (Tariff(outcome="Into work", price=[500.0, 400.0]), "tariffs[0].price: a price by year of intake"),
    (Tariff(outcome="Into work", rungs=[Rung(price=100.0), Rung(price=200.0, lag=1)]), "tariffs[0].rungs: a ladder"),
])
def test_what_one_price_per_metric_cannot_say_is_refused(tariff, words):
    payment = OutcomePayment(payer="dclg", payee="provider", tariffs=[tariff], basis="gross")
    with pytest.raises(CBAError, match=re.escape(words)):
        to_indigo(payment)


_amounts = st.integers(0, 10**9).map(lambda n: n / 100)


@settings(max_examples=60, deadline=None)
@given(prices=st.lists(_amounts, min_size=1, max_size=6), maxima=st.lists(_amounts, min_size=1, max_size=5),
       pro_rata=st.booleans(), extra=st.integers(1, 10**6), commitments=st.lists(_amounts, max_size=3))
def test_round_trip_of_generated_terms_is_exact(prices, maxima, pro_rata, extra, commitments):
    total = sum(maxima)
    pro_rata = pro_rata and total > 0
    cap = total if pro_rata else total + extra
    payers = [Payer(payer=f"payer_{i}", maximum=m, share=(m / total if pro_rata else None))
              for i, m in enumerate(maxima)]
    payment = OutcomePayment(name="Generated", payers=payers, split="shares" if pro_rata else "in_order",
                             payee="provider", basis="gross", cap=cap,
                             tariffs=[Tariff(name=f"Outcome {i}", outcome=f"metric_{i}", price=p)
                                      for i, p in enumerate(prices)])
    investments = [Investment(name=f"investment{i}", investor=f"investor_{i}", provider="provider", commitment=c)
                   for i, c in enumerate(commitments)]
    assert unwritten(payment, investments) == []
    text = json.dumps(to_indigo(payment, investments))
    back = indigo_from_dict(parse_data(text, format="json"))
    assert back.payment == payment and back.investments == investments


def test_writing_does_not_change_the_terms():
    project = read_indigo(SKILL_MILL)
    before = copy.deepcopy(project.payment.to_dict())
    to_indigo(project.payment, project.investments, project.agencies)
    assert project.payment.to_dict() == before
