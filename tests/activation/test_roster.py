"""Rosters: who is on duty, swaps, permissions, training warnings, the iCalendar feed."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from beredt.activation import ical, selectors, services
from beredt.activation.models import DutyRole, Shift, TrainingRecord
from beredt.core.errors import Forbidden, ValidationFailed
from beredt.organisations.models import Role


def _shift(org, role, user, start_h, end_h):
    now = timezone.now()
    return Shift.objects.create(
        organisation=org,
        duty_role=role,
        user=user,
        starts_at=now + dt.timedelta(hours=start_h),
        ends_at=now + dt.timedelta(hours=end_h),
    )


def test_on_duty_follows_the_clock(team):
    later = _shift(team.orgs.dept_a, DutyRole.KOP, team.al, 10, 20)
    assert selectors.on_duty(team.orgs.dept_a, DutyRole.KOP) == [team.kop]
    assert selectors.on_duty(
        team.orgs.dept_a, DutyRole.KOP, at=later.starts_at + dt.timedelta(minutes=1)
    ) == [team.al]


def test_without_shift_the_organisation_role_is_used(team):
    Shift.objects.all().delete()
    assert selectors.who_to_alert(team.orgs.dept_a, DutyRole.KOP) == [team.kop, team.deputy]
    assert selectors.who_to_alert(team.orgs.dept_a, DutyRole.DEPUTY_KOP) == []
    assert selectors.who_to_alert(team.orgs.dept_a, DutyRole.HL) == [team.hl]  # from above


def test_kop_plans_own_department_but_not_another(team, api_client):
    client = api_client(team.kop)
    now = timezone.now()
    body = {
        "duty_role": "crisis_team",
        "user_id": team.member.pk,
        "starts_at": now.isoformat(),
        "ends_at": (now + dt.timedelta(hours=8)).isoformat(),
    }
    ok = client.post(
        "/api/v1/activation/shifts",
        {**body, "organisation_id": team.orgs.dept_a.pk},
        content_type="application/json",
    )
    assert ok.status_code == 201
    other = client.post(
        "/api/v1/activation/shifts",
        {**body, "organisation_id": team.orgs.dept_b.pk},
        content_type="application/json",
    )
    assert other.status_code == 403


def test_shift_must_end_after_start(team):
    now = timezone.now()
    with pytest.raises(ValidationFailed):
        services.create_shift(
            by=team.kop,
            organisation=team.orgs.dept_a,
            duty_role=DutyRole.KOP,
            user=team.kop,
            starts_at=now,
            ends_at=now,
        )
    assert Shift.objects.count() == 2


def test_swap_keeps_who_had_it(team, api_client):
    shift = Shift.objects.get(user=team.kop)
    response = api_client(team.kop).post(
        f"/api/v1/activation/shifts/{shift.pk}/swap",
        {"user_id": team.al.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    shift.refresh_from_db()
    assert (shift.user, shift.swapped_from) == (team.al, team.kop)
    assert selectors.on_duty(team.orgs.dept_a, DutyRole.KOP) == [team.al]


def test_colleague_cannot_swap_someone_elses_shift(team):
    shift = Shift.objects.get(user=team.kop)
    with pytest.raises(Forbidden):
        services.swap_shift(by=team.member, shift=shift, to_user=team.member)


def test_roster_warns_when_untrained_person_is_on_duty(team, client):
    today = timezone.localdate()
    TrainingRecord.objects.create(
        user=team.deputy,
        kind="kop",
        completed_on=today.replace(year=today.year - 4),
        expires_on=today.replace(year=today.year - 1),
    )
    TrainingRecord.objects.create(user=team.kop, kind="kop", completed_on=today)
    shifts = list(Shift.objects.all())
    warnings = selectors.training_warnings(shifts)
    assert set(warnings) == {Shift.objects.get(user=team.deputy).pk}
    client.force_login(team.kop)
    page = client.get(reverse("activation:roster")).content.decode()
    assert page.count("training-warning") == 1


def test_roster_hidden_outside_organisation(team, make_user, api_client):
    other = make_user("andet", roles=[(team.orgs.centre, Role.KOP)])
    assert api_client(other).get("/api/v1/activation/shifts").json()["items"] == []
    assert len(api_client(team.hl).get("/api/v1/activation/shifts").json()["items"]) == 2


def test_icalendar_feed_is_valid_and_personal(team, client):
    _shift(team.orgs.dept_a, DutyRole.KOP, team.kop, 24, 48)
    url = reverse("activation:feed", kwargs={"token": ical.token_for(team.kop)})
    response = client.get(url)  # no login: calendar apps use the signed token
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    starts = sorted(e.decoded("dtstart") for e in events)
    mine = sorted(s.starts_at.replace(microsecond=0) for s in Shift.objects.filter(user=team.kop))
    assert starts == mine
    assert all("KOP" in str(e["summary"]) for e in events)
    assert len({str(e["uid"]) for e in events}) == 2


def test_icalendar_feed_with_bad_token_is_404(team, client):
    assert client.get(reverse("activation:feed", kwargs={"token": "nope"})).status_code == 404


def test_training_api_and_expiry_check(team, api_client):
    client = api_client(team.kop)
    bad = client.post(
        "/api/v1/activation/training",
        {
            "user_id": team.member.pk,
            "kind": "crisis_team",
            "completed_on": "2026-01-10",
            "expires_on": "2025-01-10",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "expires_on"
    ok = client.post(
        "/api/v1/activation/training",
        {
            "user_id": team.member.pk,
            "kind": "crisis_team",
            "completed_on": "2026-01-10",
            "expires_on": "2028-01-10",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert selectors.valid_training(team.member, "crisis_team") is not None
