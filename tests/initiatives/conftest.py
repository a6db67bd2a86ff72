"""Fixtures of the budget initiatives: a committee of the region psychiatry (``orgs.psych``),
one user per role, and an initiative built like the seed's tryghedspakke."""

from decimal import Decimal

import pytest

from beredt.initiatives import services
from beredt.initiatives.models import AccessRole, Committee, InitiativeAccess


@pytest.fixture
def committee(orgs):
    return Committee.objects.create(organisation=orgs.psych, name="Social- og psykiatriudvalget")


@pytest.fixture
def people(make_user, orgs, committee):
    def grant(name, role, *, organisation=None, com=None):
        user = make_user(name)
        InitiativeAccess.objects.create(user=user, role=role, organisation=organisation,
                                        committee=com)
        return user

    return type("People", (), {
        "controller": grant("controller", AccessRole.CONTROLLER, organisation=orgs.psych),
        "lead": grant("lead", AccessRole.PROJECT_LEAD, organisation=orgs.dept_a),
        "secretary": grant("secretary", AccessRole.SECRETARY, com=committee),
        "member": grant("member", AccessRole.MEMBER, com=committee),
        "outsider": grant("outsider", AccessRole.CONTROLLER, organisation=orgs.kommune),
        "nobody": make_user("nobody"),
    })


def make_initiative(*, by, organisation, committee, allocations, recommendations,
                    budget_year=2024, title="Tryghedspakke (Psykiatri)"):
    """``recommendations``: ``[(number, {year: amount})]``."""
    initiative, _created = services.save_initiative(
        by=by, organisation=organisation, committee=committee, budget_year=budget_year,
        title=title, purpose="Afsat i budgettet.",
        allocations=[{"year": y, "amount": a} for y, a in allocations.items()])
    recs = [services.save_recommendation(by=by, initiative=initiative, number=number,
                                         title=f"Anbefaling nr. {number}", amounts=amounts)[0]
            for number, amounts in recommendations]
    return initiative, recs


@pytest.fixture
def tryghed(people, orgs, committee):
    """The seed's figures: 3,4 mio. kr. in 2024 and 3 mio. kr. in 2025, recommendations 8,
    18, 19, 20, 21 with 1,2 + 1 + 1 + 0,1 + 0,1 mio. kr. every year."""
    per_year = [(8, "1200000"), (18, "1000000"), (19, "1000000"), (20, "100000"),
                (21, "100000")]
    return make_initiative(
        by=people.lead, organisation=orgs.dept_a, committee=committee,
        allocations={2024: Decimal("3400000"), 2025: Decimal("3000000")},
        recommendations=[(n, {2024: a, 2025: a}) for n, a in per_year])
