"""A person on two overlapping shifts of the same duty is alarmed once, not twice."""

import datetime as dt

from django.utils import timezone

from beredt.activation import selectors, services
from beredt.activation.models import Callout, DutyRole, Shift


def test_overlapping_shifts_alarm_the_person_once(team, incident, run_tasks, sms_gateway):
    now = timezone.now()
    # The KOP's shift is on the roster twice (imported again, slightly different times).
    Shift.objects.create(organisation=team.orgs.dept_a, duty_role=DutyRole.KOP, user=team.kop,
                         starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=4))
    assert selectors.on_duty(team.orgs.dept_a, DutyRole.KOP) == [team.kop]
    alarm = services.raise_alarm(by=team.al, incident=incident, organisation=team.orgs.dept_a)
    assert Callout.objects.filter(alarm=alarm, user=team.kop).count() == 1
    run_tasks()
    assert len(sms_gateway.texts_to("+4520000001")) == 1


def test_two_people_on_duty_are_both_alarmed_in_roster_order(team, make_user):
    now = timezone.now()
    other = make_user("other")
    Shift.objects.create(organisation=team.orgs.dept_a, duty_role=DutyRole.KOP, user=other,
                         starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1))
    Shift.objects.create(organisation=team.orgs.dept_a, duty_role=DutyRole.KOP, user=team.kop,
                         starts_at=now - dt.timedelta(minutes=30),
                         ends_at=now + dt.timedelta(hours=1))
    assert selectors.on_duty(team.orgs.dept_a, DutyRole.KOP) == [team.kop, other]
