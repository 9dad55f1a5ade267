"""The terms of a social investor's agreement (cba.model._investment_terms)."""

import pytest

from cba.core._errors import ModelError
from cba.model._investment_terms import Investment

TERMS = {"name": "Edge of care SIB", "investor": "social_investor", "provider": "provider",
         "commitment": 1_000_000, "return_cap": 0.5, "surplus_share": 0.25, "price_year": "2024/25"}


def test_the_terms_and_their_defaults():
    t = Investment.from_dict(TERMS)
    assert (t.investor, t.provider, t.commitment, t.return_cap, t.surplus_share) == \
        ("social_investor", "provider", 1_000_000.0, 0.5, 0.25)
    bare = Investment(investor="social_investor", provider="provider", commitment=0)
    assert bare.name is None and bare.return_cap is None and bare.surplus_share == 0.0 and bare.price_year is None


def test_json_and_yaml_round_trips_are_exact():
    t = Investment.from_dict(TERMS)
    assert Investment.from_json(t.to_json()) == t
    assert Investment.from_yaml(t.to_yaml()) == t
    assert t.to_dict() == {**TERMS, "commitment": 1_000_000.0}


@pytest.mark.parametrize(("change", "field"), [
    ({"commitment": -1}, "commitment"),
    ({"commitment": True}, "commitment"),
    ({"return_cap": -0.5}, "return_cap"),
    ({"surplus_share": 1.2}, "surplus_share"),
    ({"investor": "Social Investor"}, "investor"),
    ({"price_year": "last year"}, "price_year"),
    ({"rate": 0.1}, "rate"),
])
def test_a_mistake_names_its_field(change, field):
    with pytest.raises(ModelError) as err:
        Investment.from_dict({**TERMS, **change})
    assert [p for p, _ in err.value.problems] == [field]


def test_every_field_says_what_it_means():
    schema = Investment.model_json_schema()
    assert all(prop.get("description") for prop in schema["properties"].values())


def test_problems_against_the_model_s_partners():
    known = {"social_investor": "Social investor", "provider": "Provider"}
    assert list(Investment.from_dict(TERMS).problems(known)) == []
    wrong = Investment.from_dict({**TERMS, "investor": "bank"})
    assert [p for p, _ in wrong.problems(known, "partnership.investment")] == ["partnership.investment.investor"]
    itself = Investment.from_dict({**TERMS, "investor": "provider"})
    assert list(itself.problems(known)) == [
        ("investment.provider", "a partner cannot invest in itself ('provider' is also the investor)")]
