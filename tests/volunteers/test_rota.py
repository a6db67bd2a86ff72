"""The month rota: leader assigns, volunteers wish or take open shifts, swaps, no double
booking (service and database), cancel with notice, reminders the day before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from beredt.core.errors import DomainError
from beredt.notify.models import Message
from beredt.volunteers import services
from beredt.volunteers.models import ShiftStatus, ShiftWish, VolunteerShift

pytestmark = pytest.mark.django_db


def _code(call) -> str:
    with pytest.raises(DomainError) as info:
        call()
    return info.value.code


def test_leader_plans_the_month_once(scheme):
    month = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).replace(day=1)
    first = services.plan_month(by=scheme.leader, unit=scheme.unit, month=month)
    assert first > 0 and first % 2 == 0  # two usual shifts a day
    assert services.plan_month(by=scheme.leader, unit=scheme.unit, month=month) == 0
    assert _code(lambda: services.plan_month(by=scheme.vol.user, unit=scheme.unit,
                                             month=month)) == "not_planner"


def test_double_booking_refused_by_service(scheme, make_shift):
    make_shift(scheme.unit, start_in_hours=24, volunteer=scheme.vol)
    overlapping = make_shift(scheme.unit, start_in_hours=26)
    code = _code(lambda: services.assign_shift(by=scheme.leader, shift=overlapping,
                                               volunteer=scheme.vol))
    assert code == "double_booking"
    overlapping.refresh_from_db()
    assert overlapping.volunteer is None
    starts = timezone.now() + dt.timedelta(hours=25)
    assert _code(lambda: services.create_shift(
        by=scheme.leader, unit=scheme.unit, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2), volunteer=scheme.vol)) == "double_booking"
    assert VolunteerShift.objects.count() == 2


def test_double_booking_refused_by_database(scheme, make_shift):
    first = make_shift(scheme.unit, start_in_hours=24, volunteer=scheme.vol)
    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerShift.objects.create(unit=scheme.other_unit, volunteer=scheme.vol,
                                      starts_at=first.starts_at, ends_at=first.ends_at)


def test_open_shift_taken_once(scheme, make_shift):
    shift = make_shift(scheme.unit, start_in_hours=30)
    services.take_shift(by=scheme.vol.user, shift=shift)
    stale = VolunteerShift.objects.get(pk=shift.pk)
    stale.volunteer = None  # the second volunteer's page still showed it open
    assert _code(lambda: services.take_shift(by=scheme.vol2.user, shift=stale)) == "shift_taken"
    shift.refresh_from_db()
    assert shift.volunteer == scheme.vol


def test_wish_then_leader_assigns(scheme, make_shift):
    shift = make_shift(scheme.unit, start_in_hours=50)
    services.wish_shift(by=scheme.vol.user, shift=shift)
    services.wish_shift(by=scheme.vol.user, shift=shift)  # idempotent
    assert ShiftWish.objects.filter(shift=shift).count() == 1
    services.assign_shift(by=scheme.leader, shift=shift, volunteer=scheme.vol)
    assert not ShiftWish.objects.filter(shift=shift).exists()
    assert Message.objects.filter(recipient=scheme.vol.user, purpose="volunteers.assigned").exists()


def test_volunteer_of_other_unit_cannot_take(scheme, make_shift):
    shift = make_shift(scheme.unit, start_in_hours=30)
    assert _code(lambda: services.take_shift(by=scheme.vol_b.user, shift=shift)) == "not_volunteer"
    assert _code(lambda: services.assign_shift(by=scheme.leader, shift=shift,
                                               volunteer=scheme.vol_b)) == "not_in_unit"


def test_swap_to_colleague(scheme, make_shift):
    shift = make_shift(scheme.unit, start_in_hours=72, volunteer=scheme.vol)
    services.swap_shift(by=scheme.vol.user, shift=shift, to=scheme.vol2)
    shift.refresh_from_db()
    assert shift.volunteer == scheme.vol2 and shift.swapped_from == scheme.vol
    assert _code(lambda: services.swap_shift(by=scheme.vol.user, shift=shift,
                                             to=scheme.vol)) == "forbidden"


def test_cancel_inside_notice_alerts_leader(scheme, make_shift):
    shift = make_shift(scheme.unit, start_in_hours=5, volunteer=scheme.vol)
    _shift, late = services.cancel_shift(by=scheme.vol.user, shift=shift)
    shift.refresh_from_db()
    assert late and shift.volunteer is None and shift.status == ShiftStatus.PLANNED
    alert = Message.objects.get(recipient=scheme.leader, channel="sms")
    assert alert.purpose == "volunteers.late_cancellation" and "Vera" in alert.body


def test_cancel_in_good_time_is_quiet(scheme, make_shift):
    shift = make_shift(scheme.unit, start_in_hours=24 * 5, volunteer=scheme.vol)
    _shift, late = services.cancel_shift(by=scheme.vol.user, shift=shift)
    assert not late
    assert not Message.objects.filter(recipient=scheme.leader).exists()


def test_leader_removes_shift(scheme, make_shift):
    shift = make_shift(scheme.unit, start_in_hours=24 * 5, volunteer=scheme.vol)
    services.cancel_shift(by=scheme.leader, shift=shift)
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CANCELLED
    assert _code(lambda: services.cancel_shift(by=scheme.vol2.user, shift=shift)) in {
        "shift_cancelled", "forbidden"}


def test_reminders_the_day_before_once(scheme):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    starts = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10)))
    shift = VolunteerShift.objects.create(unit=scheme.unit, volunteer=scheme.vol,
                                          starts_at=starts, ends_at=starts + dt.timedelta(hours=4))
    later = starts + dt.timedelta(days=2)
    VolunteerShift.objects.create(unit=scheme.unit, volunteer=scheme.vol2, starts_at=later,
                                  ends_at=later + dt.timedelta(hours=4))
    call_command("sendvolunteerreminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("sendvolunteerreminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = Message.objects.filter(purpose="volunteers.reminder")
    assert {m.recipient for m in reminders} == {scheme.vol.user}
    assert reminders.filter(channel="sms").count() == 1
    assert "Skranken" in reminders.first().body
    shift.refresh_from_db()
    assert shift.reminded_at is not None


def test_reminder_task_runs_on_the_worker(scheme, run_tasks):
    from beredt.volunteers import tasks

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    starts = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(16)))
    VolunteerShift.objects.create(unit=scheme.unit, volunteer=scheme.vol, starts_at=starts,
                                  ends_at=starts + dt.timedelta(hours=4))
    tasks.send_reminders.enqueue()
    results = run_tasks()
    assert any(r.task_path.endswith("send_reminders") and r.status == "SUCCESSFUL"
               for r in results)
    assert Message.objects.filter(purpose="volunteers.reminder").exists()
