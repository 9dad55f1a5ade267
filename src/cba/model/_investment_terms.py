"""A social impact bond's investment agreement: the social investor's terms.

In a social impact bond an investor pays a provider's costs up front and is repaid from
the outcome payments the provider earns. :class:`Investment` states the terms as the
investment agreement does: who invests, in which provider, how much capital it
commits, and how the outcome payments are shared between the two.

The waterfall (:func:`cba.partnership._investor.investor_flows` computes it):

1. **Drawdown.** The provider's costs fall due ahead of its outcome payments. Each
   year the provider pays its costs first from the outcome payments it has kept and
   not yet spent; the investor funds the rest, out of what is left of its
   ``commitment``. Costs beyond the commitment are the provider's own.
2. **Repayment.** Every outcome payment the provider receives goes, in order, to
   repay the capital drawn and not yet repaid; then to the investor's return, until
   the return paid comes to ``return_cap`` times the capital drawn so far (no limit
   when ``return_cap`` is none: every pound after the capital goes to the investor);
   then ``surplus_share`` of what is left to the investor; the rest stays with the
   provider.

So an investor in a contract that achieves nothing loses exactly the capital it has
drawn, and one whose contract succeeds receives at most its capital times
``1 + return_cap``, plus its share of any surplus. Money is in pounds at the model's
price base unless a ``price_year`` is given; amounts are undiscounted.

Several investors in one provider are one syndicate, repaid pari passu: the waterfall
runs on their combined commitment and each takes its part in proportion to its own, so
their ``return_cap`` and ``surplus_share`` must agree.

The checks that need the whole model (a partner that does not exist) are made by
:meth:`Investment.problems`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pydantic import Field

from cba.model._base import AgencyId, FinancialYear, Name, NonNegative, Rate, _Model


class Investment(_Model):
    """A social investor's agreement to fund a provider against its outcome payments.

    The investor draws its ``commitment`` to pay the provider's costs as they fall due,
    in the years the provider's kept outcome payments do not cover them. The outcome
    payments the provider receives repay the capital drawn, then pay the investor a
    return of at most ``return_cap`` times the capital drawn, then a ``surplus_share``
    of what remains; the provider keeps the rest. See :mod:`cba.model._investment_terms`
    for the waterfall year by year.

    Examples
    --------
    >>> Investment(investor="social_investor", provider="provider", commitment=1_000_000,
    ...            return_cap=0.5).surplus_share
    0.0
    """

    name: Name | None = Field(None, description="Name of the agreement, shown in tables.")
    investor: AgencyId = Field(description="Partner that invests the capital (a social investor, declared "
                               "under `agencies`).")
    provider: AgencyId = Field(description="Partner whose costs the capital covers and who receives the "
                               "outcome payments that repay it.")
    commitment: NonNegative = Field(description="Capital the investor commits: the most it draws over the "
                                    "contract (pounds at the price base, undiscounted).")
    return_cap: NonNegative | None = Field(None, description="The most the investor may receive beyond its "
                                           "capital, as a multiple of the capital drawn (0.5: capital plus "
                                           "50%); none means no cap, every pound after the capital goes to "
                                           "the investor.")
    surplus_share: Rate = Field(0.0, description="Share of the outcome payments left after repaying the "
                                "capital and the capped return that also goes to the investor. A fraction "
                                "in [0, 1].")
    price_year: FinancialYear | None = Field(None, description="Price year of `commitment`; none means the "
                                             "price base.")

    def problems(self, known: Mapping[str, str], prefix: str = "investment") -> Iterator[tuple[str, str]]:
        """Yield ``(path, message)`` for every term the model cannot satisfy.

        Parameters
        ----------
        known : mapping of str to str
            Every agency id the model may use, with its display name.
        prefix : str
            The agreement's path in the model file, put in front of every field.

        Examples
        --------
        >>> terms = Investment(investor="provider", provider="provider", commitment=0)
        >>> list(terms.problems({"provider": "Provider"}))
        [('investment.provider', "a partner cannot invest in itself ('provider' is also the investor)")]
        """
        for field in ("investor", "provider"):
            agency = getattr(self, field)
            if agency not in known:
                yield f"{prefix}.{field}", (f"unknown partner {agency!r}; use one of {', '.join(sorted(known))} "
                                            "or declare it under 'agencies'")
        if self.investor == self.provider:
            yield f"{prefix}.provider", (f"a partner cannot invest in itself ({self.provider!r} is also the "
                                         "investor)")
