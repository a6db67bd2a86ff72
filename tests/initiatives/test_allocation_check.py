"""The allocation check: per year the recommendations' amounts against the allocation; a
difference must be explained before a report is generated."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from beredt.core.errors import ValidationFailed
from beredt.initiatives import selectors, services
from beredt.initiatives.models import Allocation

pytestmark = pytest.mark.django_db


def test_seed_figures(tryghed):
    initiative, _recs = tryghed
    check = {c.year: c for c in selectors.allocation_check(initiative)}
    assert check[2024].state == "balanced"
    assert check[2024].recommended == Decimal("3400000.00")
    assert check[2025].state == "unexplained"
    assert check[2025].difference == Decimal("400000.00")
    assert [c.year for c in selectors.unexplained(initiative)] == [2025]


def test_explanation_clears_the_check(tryghed, people):
    initiative, _recs = tryghed
    services.explain_difference(by=people.lead, initiative=initiative, year=2025,
                                explanation="Dækkes af psykiatriens egen ramme.")
    assert not selectors.unexplained(initiative)
    check = {c.year: c for c in selectors.allocation_check(initiative)}
    assert check[2025].state == "explained"


def test_blank_explanation_does_not_count(tryghed, people):
    initiative, _recs = tryghed
    services.explain_difference(by=people.lead, initiative=initiative, year=2025,
                                explanation="   ")
    assert [c.year for c in selectors.unexplained(initiative)] == [2025]


def test_year_with_amounts_and_no_allocation(tryghed, people):
    initiative, (rec8, *_rest) = tryghed
    services.save_recommendation(by=people.lead, recommendation=rec8,
                                 amounts={2026: "5000.50"})
    check = {c.year: c for c in selectors.allocation_check(initiative)}
    assert check[2026].allocated == 0
    assert check[2026].difference == Decimal("5000.50")
    services.explain_difference(by=people.lead, initiative=initiative, year=2026,
                                explanation="Forskudt betaling.")
    assert Allocation.objects.get(initiative=initiative, year=2026).amount == 0
    assert 2026 not in {c.year for c in selectors.unexplained(initiative)}


def test_changing_an_amount_reopens_the_check(tryghed, people):
    initiative, (rec8, *_rest) = tryghed
    services.set_allocation(by=people.lead, initiative=initiative, year=2025, amount="3400000")
    assert not selectors.unexplained(initiative)
    services.save_recommendation(by=people.lead, recommendation=rec8,
                                 amounts={2025: "1200000.01"})
    assert [c.difference for c in selectors.unexplained(initiative)] == [Decimal("0.01")]


@pytest.mark.parametrize("amount", ["-1", "-0.01"])
def test_negative_amounts_are_refused(tryghed, people, amount):
    initiative, (rec8, *_rest) = tryghed
    with pytest.raises(ValidationFailed) as caught:
        services.set_allocation(by=people.lead, initiative=initiative, year=2025, amount=amount)
    assert caught.value.code == "negative_amount"
    with pytest.raises(ValidationFailed) as caught:
        services.save_recommendation(by=people.lead, recommendation=rec8,
                                     amounts={2025: amount})
    assert caught.value.code == "negative_amount"
    assert selectors.allocation_check(initiative)[1].allocated == Decimal("3000000")


class TestSums(TestCase):
    """Whatever the amounts, the check's sum is their exact sum to the øre."""

    @classmethod
    def setUpTestData(cls):
        from beredt.accounts.models import User
        from beredt.initiatives.models import Committee
        from beredt.organisations.models import Organisation

        cls.org = Organisation.objects.create(name="Region", kind="region")
        cls.user = User.objects.create_superuser("root", "root@example.org", "x-password-123")
        cls.committee = Committee.objects.create(organisation=cls.org, name="Udvalg")

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2,
                                allow_nan=False, allow_infinity=False), min_size=1,
                    max_size=6),
           st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2,
                       allow_nan=False, allow_infinity=False))
    def test_sum_and_difference(self, amounts, allocation):
        initiative, _c = services.save_initiative(
            by=self.user, organisation=self.org, committee=self.committee, budget_year=2024,
            title="T", purpose="P", allocations=[{"year": 2024, "amount": allocation}])
        for n, amount in enumerate(amounts, start=1):
            services.save_recommendation(by=self.user, initiative=initiative, number=n,
                                         title=f"R{n}", amounts={2024: amount})
        (check,) = selectors.allocation_check(initiative)
        assert check.recommended == sum(amounts)
        assert check.difference == sum(amounts) - allocation
        assert (check.state == "balanced") == (sum(amounts) == allocation)
