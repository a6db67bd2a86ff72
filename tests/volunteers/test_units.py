"""The coordinator: units per acute reception (with activity leaders and contact persons),
the partnership and how it was chosen, volunteer profiles."""

from __future__ import annotations

import datetime as dt

import pytest

from beredt.core.models import AuditEvent
from beredt.organisations.models import Organisation, OrganisationKind, Site
from beredt.volunteers.models import Partnership, VolunteerUnit

pytestmark = pytest.mark.django_db


def test_coordinator_creates_unit_with_people(scheme, client):
    site = Site.objects.create(organisation=scheme.orgs.dept_b, name="Akut B2")
    client.force_login(scheme.coordinator)
    answer = client.post("/volunteers/units/new/", {
        "organisation": scheme.red_cross.pk, "site": site.pk, "name": "Patientstøtten B2",
        "shift_hours": "9-13", "notice_hours": 24, "activity_leaders": [scheme.coordinator.pk],
        "contact_persons": [scheme.contact.pk]})
    assert answer.status_code == 302
    unit = VolunteerUnit.objects.get(site=site)
    assert list(unit.contact_persons.all()) == [scheme.contact]
    assert list(unit.activity_leaders.all()) == [scheme.coordinator]


def test_unit_bad_hours_and_duplicate_site(scheme, client):
    client.force_login(scheme.coordinator)
    base = {"organisation": scheme.red_cross.pk, "name": "X", "notice_hours": 48}
    answer = client.post("/volunteers/units/new/", {**base, "site": scheme.site.pk,
                                                     "shift_hours": "10-14"})
    assert answer.status_code == 400 and "allerede en enhed" in answer.content.decode()
    other = Site.objects.create(organisation=scheme.orgs.dept_b, name="Akut B3")
    answer = client.post("/volunteers/units/new/", {**base, "site": other.pk,
                                                     "shift_hours": "14-10"})
    assert answer.status_code == 400 and "start-slut-timer" in answer.content.decode()
    assert not VolunteerUnit.objects.filter(site=other).exists()


def test_leader_and_nurse_cannot_manage_units(scheme, client):
    for user in (scheme.leader, scheme.nurse):
        client.force_login(user)
        assert client.get("/volunteers/units/new/").status_code == 404
        assert client.get(f"/volunteers/units/{scheme.unit.pk}/edit/").status_code == 404


def test_edit_unit(scheme, client):
    client.force_login(scheme.coordinator)
    client.post(f"/volunteers/units/{scheme.unit.pk}/edit/", {
        "name": "Nyt navn", "shift_hours": "8-12,12-16", "notice_hours": 12,
        "activity_leaders": [], "contact_persons": [scheme.contact.pk]})
    scheme.unit.refresh_from_db()
    assert scheme.unit.name == "Nyt navn" and scheme.unit.notice_hours == 12
    assert not scheme.unit.activity_leaders.exists()


def test_partnership_recorded(scheme, client):
    client.force_login(scheme.coordinator)
    answer = client.post("/volunteers/partnership/", {
        "organisation": scheme.red_cross.pk, "commissioner": scheme.orgs.psych.pk,
        "candidates": "Røde Kors, SIND", "decided_by": "Social- og Psykiatriudvalget",
        "agreement_from": "2026-08-01", "agreement_until": "2027-07-31"})
    assert answer.status_code == 302
    assert Partnership.objects.get().decided_by == "Social- og Psykiatriudvalget"
    assert "Social- og Psykiatriudvalget" in client.get("/volunteers/partnership/").content.decode()


def test_partnership_refuses_reversed_period_and_other_kinds(scheme):
    from beredt.core.errors import DomainError
    from beredt.volunteers import services

    with pytest.raises(DomainError) as info:
        services.save_partnership(by=scheme.coordinator, organisation=scheme.red_cross,
                                  commissioner=scheme.orgs.psych,
                                  agreement_from=dt.date(2027, 1, 1),
                                  agreement_until=dt.date(2026, 1, 1))
    assert info.value.code == "period_order"
    club = Organisation.objects.create(name="Klub", kind=OrganisationKind.OTHER)
    with pytest.raises(DomainError) as info:
        services.save_partnership(by=scheme.coordinator, organisation=club,
                                  commissioner=scheme.orgs.psych,
                                  agreement_from=dt.date(2027, 1, 1))
    assert info.value.code == "not_volunteer_organisation"
    assert not Partnership.objects.exists()


def test_leader_edits_profile_audited(scheme, client):
    client.force_login(scheme.leader)
    answer = client.post(f"/volunteers/volunteers/{scheme.vol.pk}/", {
        "phone": "+4540000099", "training_done_on": "2026-11-01", "availability": "Aftener"})
    assert answer.status_code == 302
    scheme.vol.refresh_from_db()
    assert scheme.vol.user.phone == "+4540000099" and scheme.vol.availability == "Aftener"
    assert AuditEvent.objects.filter(action="update", object_type="volunteers.volunteer").exists()
    client.force_login(scheme.vol2.user)
    assert client.get(f"/volunteers/volunteers/{scheme.vol.pk}/").status_code == 404
