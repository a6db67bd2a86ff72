"""Fixtures for the volunteer patient supports: Afd. A's acute reception with a Røde Kors
unit (coordinator, activity leader, the department's contact person, a nurse of the
acute reception) and two volunteers; a second unit elsewhere that they must not see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from beredt.accounts.models import User
from beredt.organisations.models import Organisation, OrganisationKind, Role, Site
from beredt.volunteers.models import Volunteer, VolunteerShift, VolunteerUnit
from tests.activation.conftest import run_tasks  # noqa: F401 - fixture
from tests.notify.servers import sms_gateway, smtp_server  # noqa: F401 - fixtures


def _volunteer(unit, username, phone, first_name) -> Volunteer:
    user = User.objects.create_user(username=username, password="test-password-123",
                                    email=f"{username}@example.org", phone=phone,
                                    first_name=first_name)
    return Volunteer.objects.create(user=user, unit=unit,
                                    started_on=timezone.localdate() - dt.timedelta(days=30))


@pytest.fixture
def scheme(make_user, orgs, settings):
    settings.BASE_URL = "http://testserver"
    red_cross = Organisation.objects.create(
        name="Røde Kors", kind=OrganisationKind.VOLUNTEER_ORGANISATION, region_id=1082)
    site = Site.objects.create(organisation=orgs.dept_a, name="Akutmodtagelsen")
    other_site = Site.objects.create(organisation=orgs.dept_b, name="Akutmodtagelsen B")
    unit = VolunteerUnit.objects.create(organisation=red_cross, site=site, name="Patientstøtten A",
                                        place="Skranken", notice_hours=48)
    other_unit = VolunteerUnit.objects.create(organisation=red_cross, site=other_site,
                                              name="Patientstøtten B")
    people = {
        "coordinator": make_user("coordinator", roles=[(red_cross, Role.VOLUNTEER_COORDINATOR)]),
        "leader": make_user("leader", phone="+45 3000 0001", first_name="Lars"),
        "contact": make_user("contact", roles=[(orgs.dept_a, Role.CRISIS_TEAM)],
                             first_name="Connie"),
        "nurse": make_user("nurse", roles=[(orgs.dept_a, Role.VIEWER)], first_name="Nina"),
        "nurse_b": make_user("nurse_b", roles=[(orgs.dept_b, Role.VIEWER)]),
        "outsider": make_user("outsider", roles=[(orgs.kommune, Role.CRISIS_TEAM)]),
        "hl": make_user("hl", roles=[(orgs.psych, Role.HL)]),
    }
    unit.activity_leaders.add(people["leader"])
    unit.contact_persons.add(people["contact"])
    vol = _volunteer(unit, "vera", "+45 4000 0001", "Vera")
    vol2 = _volunteer(unit, "viggo", "+45 4000 0002", "Viggo")
    vol_b = _volunteer(other_unit, "bodil", "+45 4000 0003", "Bodil")
    return type("Scheme", (), {**people, "orgs": orgs, "red_cross": red_cross, "site": site,
                               "unit": unit, "other_unit": other_unit, "vol": vol, "vol2": vol2,
                               "vol_b": vol_b})


@pytest.fixture
def make_shift():
    def make(unit, *, start_in_hours: float, hours: float = 4, volunteer=None) -> VolunteerShift:
        starts = timezone.now() + dt.timedelta(hours=start_in_hours)
        return VolunteerShift.objects.create(unit=unit, volunteer=volunteer, starts_at=starts,
                                             ends_at=starts + dt.timedelta(hours=hours))

    return make
