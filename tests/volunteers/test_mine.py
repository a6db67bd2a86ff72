"""'Mine vagter', the iCal feed, the instruction sheet and the invitation of a volunteer as
a user with no membership."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from beredt.accounts.models import User
from beredt.core.models import AuditEvent
from beredt.volunteers import ical, services
from beredt.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_mine_lists_own_and_open_shifts(scheme, make_shift, client):
    own = make_shift(scheme.unit, start_in_hours=30, volunteer=scheme.vol)
    colleague = make_shift(scheme.unit, start_in_hours=60, volunteer=scheme.vol2)
    gap = make_shift(scheme.unit, start_in_hours=80)
    client.force_login(scheme.vol.user)
    page = client.get("/volunteers/mine/").content.decode()
    assert f'/volunteers/shifts/{own.pk}/' in page and f'/volunteers/shifts/{gap.pk}/' in page
    assert f'/volunteers/shifts/{colleague.pk}/' not in page
    assert "Ingen plejeopgaver" in page and "Viggo" in page  # swap with a colleague
    assert client.get("/volunteers/").status_code == 302  # a volunteer lands on Mine vagter


def test_mine_is_for_volunteers(scheme, client):
    client.force_login(scheme.nurse)
    assert client.get("/volunteers/mine/").status_code == 404


def test_cancel_from_mine_inside_notice(scheme, make_shift, client):
    shift = make_shift(scheme.unit, start_in_hours=3, volunteer=scheme.vol)
    client.force_login(scheme.vol.user)
    answer = client.post(f"/volunteers/shifts/{shift.pk}/", {"action": "cancel",
                                                             "next": "/volunteers/mine/"},
                         follow=True)
    assert "aktivitetslederne har fået besked" in answer.content.decode()
    shift.refresh_from_db()
    assert shift.volunteer is None


def test_ical_feed(scheme, make_shift, client):
    own = make_shift(scheme.unit, start_in_hours=30, volunteer=scheme.vol)
    make_shift(scheme.unit, start_in_hours=60, volunteer=scheme.vol2)
    answer = client.get(f"/volunteers/feed/{ical.token_for(scheme.vol)}.ics")
    assert answer["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart") == own.starts_at.replace(microsecond=0)
    assert "Ingen plejeopgaver" in str(events[0]["description"])
    assert str(events[0]["location"]) == "Skranken"


def test_ical_feed_refuses_bad_or_roster_token(scheme, client):
    from beredt.activation import ical as roster_ical

    assert client.get("/volunteers/feed/nonsense.ics").status_code == 404
    roster_token = roster_ical.token_for(scheme.vol.user)
    assert client.get(f"/volunteers/feed/{roster_token}.ics").status_code == 404


def test_instruction_sheet(client):
    page = client.get("/volunteers/instructions/").content.decode()
    assert "Ingen plejeopgaver" in page and "Tavshedspligt" in page


def test_invite_volunteer_by_email(scheme, client, smtp_server, run_tasks):
    client.force_login(scheme.coordinator)
    answer = client.post(f"/volunteers/units/{scheme.unit.pk}/volunteers/", {
        "first_name": "Ulla", "last_name": "Ny", "email": "Ulla@Example.org",
        "phone": "+4540000009", "started_on": timezone.localdate().isoformat()})
    assert answer.status_code == 302
    user = User.objects.get(username="ulla@example.org")
    assert not user.has_usable_password() and not user.memberships.exists()
    assert Volunteer.objects.get(user=user).unit == scheme.unit
    assert AuditEvent.objects.filter(object_type="volunteers.volunteer", action="create").exists()
    run_tasks()
    [mail] = smtp_server.to("ulla@example.org")
    link = re.search(r"http://testserver(/volunteers/invitation/\S+/)", mail.get_content()).group(1)
    client.logout()
    answer = client.post(link, {"new_password1": "en-lang-Kode-2026", "new_password2":
                                "en-lang-Kode-2026"})
    assert answer.status_code == 302 and answer["Location"] == "/volunteers/mine/"
    user.refresh_from_db()
    assert user.check_password("en-lang-Kode-2026")
    assert client.get(link).status_code == 400  # used once


def test_invite_refused_for_leader_and_duplicate(scheme):
    from beredt.core.errors import DomainError

    with pytest.raises(DomainError) as info:
        services.invite_volunteer(by=scheme.leader, unit=scheme.unit, first_name="A",
                                  last_name="B", email="a@example.org",
                                  started_on=timezone.localdate())
    assert info.value.code == "forbidden"
    with pytest.raises(DomainError) as info:
        services.invite_volunteer(by=scheme.coordinator, unit=scheme.unit, first_name="V",
                                  last_name="V", email="vera", started_on=timezone.localdate())
    assert info.value.code == "user_exists"


def test_profiles_page_audited(scheme, client):
    client.force_login(scheme.leader)
    page = client.get(f"/volunteers/units/{scheme.unit.pk}/volunteers/").content.decode()
    assert "Vera" in page and "Bodil" not in page
    assert 'name="email"' not in page  # only the coordinator invites
    assert AuditEvent.objects.filter(action="view", object_type="volunteers.volunteer").count() == 2
