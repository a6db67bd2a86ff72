"""The acknowledgement time of an alarm counts from when it was handed to a channel, not
from when it was raised: an alarm that waited in the queue (behind a campaign, a stopped
worker) does not escalate before the first person had it (issue 25)."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beredt.activation import services
from beredt.activation.models import Alarm, AlarmStatus, Callout
from beredt.notify import services as notify
from beredt.notify.models import Message


def timers(alarm):
    return DBTaskResult.objects.filter(task_path__endswith="escalate_alarm",
                                       status="READY", args_kwargs__args__0=alarm.pk)


def raise_alarm(team, incident):
    return services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)


def test_timer_while_the_alarm_still_waits_in_the_queue_starts_again(team, incident):
    alarm = raise_alarm(team, incident)
    assert Message.objects.filter(purpose="alarm", status="queued").exists()
    before = timers(alarm).count()
    assert services.escalate(alarm_id=alarm.pk, step=0) == "waiting for the hand-over"
    assert Callout.objects.filter(alarm=alarm).count() == 1  # nobody else alerted
    assert Alarm.objects.get(pk=alarm.pk).status == AlarmStatus.PENDING
    assert timers(alarm).count() == before + 1
    newest = timers(alarm).order_by("-enqueued_at").first()
    assert newest.run_after >= timezone.now() + dt.timedelta(seconds=alarm.timeout_seconds - 5)


def test_alarm_handed_over_late_moves_the_deadline(team, incident, smtp_server, sms_gateway):
    alarm = raise_alarm(team, incident)
    # Raised ten minutes ago, handed to the channels only now (it waited in the queue).
    Callout.objects.filter(alarm=alarm).update(
        alerted_at=timezone.now() - dt.timedelta(minutes=10))
    Message.objects.filter(purpose="alarm").update(
        created_at=timezone.now() - dt.timedelta(minutes=10))
    notify.deliver(Message.objects.filter(purpose="alarm").values_list("pk", flat=True))
    assert services.escalate(alarm_id=alarm.pk, step=0) == "waiting for the hand-over"
    assert Callout.objects.filter(alarm=alarm).count() == 1
    newest = timers(alarm).order_by("-enqueued_at").first()
    assert newest.run_after >= timezone.now() + dt.timedelta(minutes=9)
    # When that later timer fires, the time has run from the hand-over: escalate.
    counted_from = newest.args_kwargs["args"][2]
    assert services.escalate(alarm_id=alarm.pk, step=0, counted_from=counted_from) == "escalated"
    assert Callout.objects.filter(alarm=alarm, step=1).exists()


def test_alarm_handed_over_at_once_escalates_on_time(team, incident, smtp_server, sms_gateway):
    alarm = raise_alarm(team, incident)
    notify.deliver(Message.objects.filter(purpose="alarm").values_list("pk", flat=True))
    assert services.escalate(alarm_id=alarm.pk, step=0) == "escalated"
    assert Callout.objects.filter(alarm=alarm, step=1).exists()


def test_alarm_no_channel_took_escalates_at_once(team, incident, settings, sms_gateway):
    alarm = raise_alarm(team, incident)
    Message.objects.filter(purpose="alarm").update(status="failed")
    assert services.escalate(alarm_id=alarm.pk, step=0) == "escalated"
