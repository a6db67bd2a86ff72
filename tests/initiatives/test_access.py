"""Who sees and edits what: controllers and project leads per organisation (and below),
committee secretaries and members per committee, nobody else."""

import pytest

from beredt.core.errors import Forbidden
from beredt.initiatives import selectors, services

pytestmark = pytest.mark.django_db


def test_visibility_per_role(tryghed, people):
    initiative, _recs = tryghed
    for user in (people.controller, people.lead, people.secretary, people.member):
        assert selectors.initiatives_visible_to(user).filter(pk=initiative.pk).exists(), user
    for user in (people.outsider, people.nobody):
        assert not selectors.initiatives_visible_to(user).exists(), user
    assert not selectors.can_see_any(people.nobody)


def test_who_edits(tryghed, people):
    initiative, (rec8, *_rest) = tryghed
    assert selectors.can_edit(people.controller, initiative)  # above the owner
    assert selectors.can_edit(people.lead, initiative)
    for user in (people.secretary, people.member, people.outsider, people.nobody):
        assert not selectors.can_edit(user, initiative)
        with pytest.raises(Forbidden):
            services.report_status(by=user, recommendation=rec8, quarter="2024Q1",
                                   light="green", text="Nej")
        with pytest.raises(Forbidden):
            services.set_allocation(by=user, initiative=initiative, year=2024, amount="1")
        with pytest.raises(Forbidden):
            services.explain_difference(by=user, initiative=initiative, year=2025,
                                        explanation="Nej")


def test_project_lead_cannot_create_in_a_sibling(people, orgs, committee):
    with pytest.raises(Forbidden):
        services.save_initiative(by=people.lead, organisation=orgs.dept_b, committee=committee,
                                 budget_year=2024, title="T", purpose="P")


def test_member_of_another_committee_sees_nothing(tryghed, people, orgs, make_user):
    from beredt.initiatives.models import AccessRole, Committee, InitiativeAccess

    other = Committee.objects.create(organisation=orgs.kommune, name="Socialudvalget")
    user = make_user("other-member")
    InitiativeAccess.objects.create(user=user, role=AccessRole.MEMBER, committee=other)
    assert not selectors.initiatives_visible_to(user).exists()
    assert list(selectors.committees_visible_to(user)) == [other]


def test_reports_visible_to_committee_only(tryghed, people, committee):
    initiative, recs = tryghed
    services.explain_difference(by=people.lead, initiative=initiative, year=2025,
                                explanation="Forklaret.")
    for rec in recs:
        services.report_status(by=people.lead, recommendation=rec, quarter="2024Q1",
                               light="green", text="Ok")
    generated = services.generate_report(by=people.secretary, committee=committee,
                                         quarter="2024Q1", format="pdf")
    assert selectors.reports_visible_to(people.member).filter(pk=generated.pk).exists()
    assert not selectors.reports_visible_to(people.outsider).exists()
    assert not selectors.reports_visible_to(people.nobody).exists()
