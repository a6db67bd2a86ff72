"""Writes for preparedness and activation. Every change to an incident lands in its log
(:func:`beredt.incidents.services.add_log_entry`); notifications are queued and their
delivery task enqueued in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.accounts.models import User
from beredt.core import audit
from beredt.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from beredt.incidents import selectors as incident_selectors
from beredt.incidents import services as incident_services
from beredt.incidents.models import (
    Assignment,
    AssignmentRole,
    Incident,
    IncidentLogEntry,
    IncidentStatus,
    LogKind,
)
from beredt.notify import delivery
from beredt.notify import services as notify
from beredt.notify.models import EXTERNAL_CHANNELS, Channel, Message, MessageStatus
from beredt.notify.tasks import deliver_messages
from beredt.organisations.models import Organisation, Site

from . import links, selectors
from .models import (
    ActionCard,
    ActionCardTick,
    AfterAction,
    Alarm,
    AlarmStatus,
    Callout,
    CalloutStatus,
    DeploymentSite,
    DutyRole,
    Shift,
    SiteKind,
    TrainingRecord,
)
from .tasks import escalate_alarm

ALERT_CHANNELS = [Channel.SMS, Channel.EMAIL, Channel.IN_APP]
# Requests and dispatch orders: the first channel that works, the others as fall-back.
MESSAGE_CHANNELS = [Channel.SMS, Channel.EMAIL, Channel.IN_APP]


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _require_manager(by: User, incident: Incident) -> None:
    if not incident_selectors.can_manage(by, incident):
        raise Forbidden(_("Only the incident's lead, KOP or management can do that."))


def _require_open(incident: Incident) -> None:
    if not incident.is_open:
        raise Conflict(_("The incident is closed."), code="incident_closed")


def log(incident: Incident, by: User | None, kind: str, text: str) -> IncidentLogEntry:
    return incident_services.add_log_entry(incident=incident, author=by, kind=kind, text=text)


# --- Rosters and training ------------------------------------------------------------------
@transaction.atomic
def create_shift(
    *,
    by: User,
    organisation: Organisation,
    duty_role: str,
    user: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    site: Site | None = None,
    note: str = "",
) -> Shift:
    if not selectors.can_manage_roster(by, organisation):
        raise Forbidden(_("You cannot plan shifts for %(org)s.") % {"org": organisation.name})
    if duty_role not in DutyRole:
        raise ValidationFailed(_("Unknown role."), code="invalid", field="duty_role")
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if ends_at <= starts_at:
        raise ValidationFailed(
            _("The shift must end after it starts."), code="invalid", field="ends_at"
        )
    if site is not None and site.organisation_id != organisation.pk:
        raise ValidationFailed(_("The site belongs to another organisation."), field="site_id")
    shift = Shift.objects.create(
        organisation=organisation,
        duty_role=duty_role,
        user=user,
        starts_at=starts_at,
        ends_at=ends_at,
        site=site,
        note=note[:200],
        created_by=by,
    )
    audit.record(
        action=audit.AuditAction.CREATE,
        obj=shift,
        actor=by,
        fields=["user", "duty_role", "starts_at", "ends_at"],
    )
    return shift


@transaction.atomic
def swap_shift(*, by: User, shift: Shift, to_user: User) -> Shift:
    """Hand a shift to a colleague; the roster keeps who had it."""
    if by.pk != shift.user_id and not selectors.can_manage_roster(by, shift.organisation):
        raise Forbidden(_("Only the person on the shift or the roster's manager can swap it."))
    if to_user.pk == shift.user_id:
        raise ValidationFailed(_("Choose another person."), code="same_person", field="user_id")
    shift.swapped_from_id, shift.user = shift.user_id, to_user
    shift.save(update_fields=["swapped_from", "user"])
    audit.record(
        action=audit.AuditAction.UPDATE, obj=shift, actor=by, fields=["user", "swapped_from"]
    )
    return shift


@transaction.atomic
def delete_shift(*, by: User, shift: Shift) -> None:
    if not selectors.can_manage_roster(by, shift.organisation):
        raise Forbidden(_("Only the roster's manager can delete shifts."))
    audit.record(action=audit.AuditAction.DELETE, obj=shift, actor=by, fields=["user"])
    shift.delete()


@transaction.atomic
def record_training(
    *,
    by: User,
    user: User,
    kind: str,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
    provider: str = "",
) -> TrainingRecord:
    managed = any(
        selectors.can_manage_roster(by, m.organisation_id) for m in user.memberships.all()
    )
    if not (by.is_superuser or managed):
        raise Forbidden(_("Only a manager of the person's organisation can record training."))
    if expires_on is not None and expires_on < completed_on:
        raise ValidationFailed(
            _("The training cannot expire before it is completed."),
            code="invalid",
            field="expires_on",
        )
    record = TrainingRecord.objects.create(
        user=user,
        kind=kind,
        completed_on=completed_on,
        expires_on=expires_on,
        provider=provider[:200],
        recorded_by=by,
    )
    audit.record(
        action=audit.AuditAction.CREATE,
        obj=record,
        actor=by,
        fields=["kind", "completed_on", "expires_on"],
    )
    return record


# --- Notifications -------------------------------------------------------------------------
def _send(
    callouts: list[Callout],
    *,
    subject: str,
    text: str,
    purpose: str,
    all_channels: bool,
    with_link: bool = True,
    webhook: str = "",
) -> None:
    """Queue a personal message per call-out (with its one-time link) and enqueue delivery
    in the current transaction."""
    if not callouts:
        return
    incident = callouts[0].incident
    bodies = {}
    for c in callouts:
        body = text
        if with_link:
            body = _("%(text)s\nAnswer here: %(url)s") % {"text": text, "url": links.url_for(c)}
        bodies[c.user_id] = body
    messages = notify.queue_messages(
        recipients=[c.user for c in callouts],
        channels=ALERT_CHANNELS,
        subject=subject,
        body=text,
        bodies=bodies,
        abouts={c.user_id: c.about for c in callouts},
        purpose=purpose,
        reference=f"incident:{incident.pk}",
        is_exercise=incident.is_exercise,
        all_channels=all_channels,
    )
    if webhook:
        messages.append(
            notify.queue_webhook(
                url=webhook,
                subject=subject,
                body=text,
                purpose=purpose,
                reference=f"incident:{incident.pk}",
                is_exercise=incident.is_exercise,
            )
        )
    if messages:
        deliver_messages.enqueue([m.pk for m in messages])


def _has_external_address(user: User) -> bool:
    return any(notify.address_for(user, c) for c in EXTERNAL_CHANNELS)


def _channel_names(callouts: list[Callout]) -> str:
    used = [c for c in ALERT_CHANNELS if any(notify.address_for(x.user, c) for x in callouts)]
    return ", ".join(str(Channel(c).label) for c in used) or "–"


def _with_note(text: str, note: str) -> str:
    return f"{text} {note[:300]}" if note else text


def _incident_line(incident: Incident) -> str:
    parts = [incident.get_kind_display(), incident.place or incident.municipality.name]
    return f"{incident.title} – " + ", ".join(p for p in parts if p)


# --- Alarm and escalation ------------------------------------------------------------------
@transaction.atomic
def raise_alarm(
    *, by: User, incident: Incident, organisation: Organisation, note: str = ""
) -> Alarm:
    """Alarm a department: alert the first step of its escalation chain (normally the KOP on
    duty) on every channel and start the acknowledgement timer."""
    if not selectors.can_alarm(by, organisation):
        raise Forbidden(_("You may not alarm %(org)s.") % {"org": organisation.name})
    _require_open(incident)
    if Alarm.objects.filter(
        incident=incident, organisation=organisation, status=AlarmStatus.PENDING
    ).exists():
        raise Conflict(
            _("%(org)s is already alarmed and waiting for acknowledgement.")
            % {"org": organisation.name},
            code="already_alarmed",
        )
    plan = selectors.plan_for(organisation)
    alarm = Alarm.objects.create(
        incident=incident,
        organisation=organisation,
        plan=plan,
        raised_by=by,
        note=note[:2000],
        escalation=list(plan.escalation) if plan else ["kop", "deputy_kop", "al", "hl"],
        timeout_seconds=plan.ack_timeout_seconds
        if plan
        else Alarm._meta.get_field("timeout_seconds").get_default(),
    )
    log(
        incident,
        by,
        LogKind.ALARM,
        _("%(name)s alarmed %(org)s.") % {"name": by.display_name, "org": organisation.name}
        + (f" {note}" if note else ""),
    )
    _alert_step(alarm, 0, by=by)
    return alarm


@transaction.atomic
def call_in_department(
    *, by: User, incident: Incident, organisation: Organisation, note: str = ""
) -> list[Callout]:
    """Call in everyone of a department at once (*massealarmering*) on every channel; each
    answers with their own one-time link. No escalation: it is not one person's duty."""
    if not selectors.can_alarm(by, organisation):
        raise Forbidden(_("You may not alarm %(org)s.") % {"org": organisation.name})
    _require_open(incident)
    people = list(
        User.objects.filter(is_active=True, memberships__organisation=organisation)
        .distinct()
        .order_by("id")
    )
    already = set(
        Callout.objects.filter(incident=incident, user__in=people)
        .exclude(
            status__in=[CalloutStatus.RELEASED, CalloutStatus.CANCELLED, CalloutStatus.DECLINED]
        )
        .values_list("user_id", flat=True)
    )
    callouts = Callout.objects.bulk_create(
        [
            Callout(incident=incident, user=u, duty_role=DutyRole.CRISIS_TEAM, requested_by=by)
            for u in people
            if u.pk not in already
        ]
    )
    if not callouts:
        raise Conflict(
            _("Everyone in %(org)s is already called out.") % {"org": organisation.name},
            code="already_called",
        )
    for c in callouts:
        c.incident = incident
    text = _("Call-in of %(org)s: %(incident)s. Answer if you can come.") % {
        "org": organisation.name,
        "incident": _incident_line(incident),
    }
    _send(
        callouts,
        subject=_("Call-in: %(title)s") % {"title": incident.title},
        text=_with_note(text, note),
        purpose="call_in",
        all_channels=True,
    )
    log(
        incident,
        by,
        LogKind.ALARM,
        _("%(name)s called in all %(n)s people of %(org)s.")
        % {"name": by.display_name, "n": len(callouts), "org": organisation.name},
    )
    return callouts


@transaction.atomic
def alarm_again(*, by: User, callout: Callout) -> Callout:
    """"Alarmér igen" for one person: send the call-out's message (same one-time link)
    once more on every channel, e.g. after a gateway fault or a phone turned on again."""
    callout = _lock(callout)
    incident = callout.incident
    if not (
        incident_selectors.can_manage(by, incident)
        or (callout.alarm and selectors.can_alarm(by, callout.alarm.organisation))
    ):
        raise Forbidden(_("Only the incident's lead, KOP or management can do that."))
    _require_open(incident)
    if callout.status != CalloutStatus.ALERTED:
        raise Conflict(
            _("%(name)s has already answered (%(status)s).")
            % {"name": callout.user.display_name, "status": callout.get_status_display()},
            code="already_answered",
        )
    _resend([callout], by=by)
    return callout


@transaction.atomic
def alarm_department_again(*, by: User, alarm: Alarm) -> Alarm:
    """"Alarmér igen" for a department: a pending alarm sends its message again to everyone
    of the current step who has not answered; an exhausted or cancelled alarm is raised
    anew (from the first step)."""
    alarm = Alarm.objects.select_for_update(of=("self",)).select_related(
        "incident", "organisation", "plan"
    ).get(pk=alarm.pk)
    if alarm.status != AlarmStatus.PENDING:
        if alarm.status == AlarmStatus.ACKNOWLEDGED:
            raise Conflict(_("The alarm is already acknowledged."), code="already_answered")
        return raise_alarm(
            by=by, incident=alarm.incident, organisation=alarm.organisation, note=alarm.note
        )
    if not selectors.can_alarm(by, alarm.organisation):
        raise Forbidden(_("You may not alarm %(org)s.") % {"org": alarm.organisation.name})
    _require_open(alarm.incident)
    callouts = list(
        alarm.callouts.filter(step=alarm.step, status=CalloutStatus.ALERTED).select_related(
            "user", "incident", "alarm"
        )
    )
    if not callouts:
        raise Conflict(_("Nobody is waiting to answer."), code="already_answered")
    _resend(callouts, by=by)
    return alarm


def _resend(callouts: list[Callout], *, by: User) -> None:
    incident = callouts[0].incident
    subject, text = _callout_texts(callouts[0])
    _send(
        callouts,
        subject=subject,
        text=text,
        purpose="alarm" if callouts[0].alarm_id else "call_in",
        all_channels=True,
    )
    log(
        incident,
        by,
        LogKind.ALARM,
        _("%(name)s alarmed again: %(people)s.")
        % {
            "name": by.display_name,
            "people": ", ".join(c.user.display_name for c in callouts),
        },
    )


def _alarm_text(alarm: Alarm) -> str:
    text = _("Alarm for %(org)s: %(incident)s. Acknowledge within %(min)s min.") % {
        "org": alarm.organisation.name,
        "incident": _incident_line(alarm.incident),
        "min": max(1, round(alarm.timeout_seconds / 60)),
    }
    return f"{text} {alarm.note}" if alarm.note else text


def _callout_texts(callout: Callout) -> tuple[str, str]:
    """Subject and text of a call-out's message, as first sent."""
    incident = callout.incident
    if callout.alarm_id:
        return _("Alarm: %(title)s") % {"title": incident.title}, _alarm_text(callout.alarm)
    return _("Call-out: %(title)s") % {"title": incident.title}, _(
        "You are called out: %(incident)s. Answer if you can come."
    ) % {"incident": _incident_line(incident)}


def _alert_step(alarm: Alarm, step: int, *, by: User | None) -> None:
    """Alert the people of ``step`` (skipping empty steps) and enqueue the timer; mark the
    alarm exhausted when the chain runs out."""
    incident = alarm.incident
    while step < len(alarm.escalation):
        role = alarm.escalation[step]
        label = DutyRole(role).label if role in DutyRole else role
        people = selectors.who_to_alert(alarm.organisation, role)
        if people:
            callouts = [
                Callout.objects.create(
                    incident=incident,
                    alarm=alarm,
                    user=u,
                    duty_role=role,
                    step=step,
                    requested_by=by,
                )
                for u in people
            ]
            alarm.step = step
            alarm.save(update_fields=["step"])
            _send(
                callouts,
                subject=_("Alarm: %(title)s") % {"title": incident.title},
                text=_alarm_text(alarm),
                purpose="alarm",
                all_channels=True,
                webhook=alarm.plan.webhook_url if alarm.plan and step == 0 else "",
            )
            escalate_alarm.using(
                run_after=timezone.now() + dt.timedelta(seconds=alarm.timeout_seconds)
            ).enqueue(alarm.pk, step)
            log(
                incident,
                by,
                LogKind.ESCALATION if step else LogKind.ALARM,
                _(
                    "Step %(n)s: %(people)s (%(role)s) alarmed; messages queued on "
                    "%(channels)s. Delivery is shown per person on the board."
                )
                % {
                    "n": step + 1,
                    "people": ", ".join(u.display_name for u in people),
                    "role": label,
                    "channels": _channel_names(callouts),
                },
            )
            if not any(_has_external_address(u) for u in people):
                # Nobody of the step can be reached outside the app: do not wait.
                escalate_alarm.enqueue(alarm.pk, step, unreached=True)
            return
        log(
            incident,
            None,
            LogKind.ESCALATION,
            _("Step %(n)s: nobody on duty as %(role)s for %(org)s; skipped.")
            % {"n": step + 1, "role": label, "org": alarm.organisation.name},
        )
        step += 1
    alarm.status = AlarmStatus.EXHAUSTED
    alarm.save(update_fields=["status"])
    log(
        incident,
        None,
        LogKind.ESCALATION,
        _("Nobody acknowledged the alarm of %(org)s; the escalation chain is exhausted.")
        % {"org": alarm.organisation.name},
    )
    if alarm.raised_by:
        messages = notify.queue_messages(
            recipients=[alarm.raised_by],
            channels=[Channel.IN_APP, Channel.SMS],
            subject=_("Alarm not acknowledged"),
            body=_("Nobody acknowledged the alarm of %(org)s for %(incident)s.")
            % {"org": alarm.organisation.name, "incident": incident.title},
            purpose="alarm",
            reference=f"incident:{incident.pk}",
            is_exercise=incident.is_exercise,
        )
        deliver_messages.enqueue([m.pk for m in messages])


#: An alarm handed to its channels later than this after it was raised (it waited in the
#: queue) moves its acknowledgement deadline by that much.
HAND_OVER_SLACK = dt.timedelta(seconds=1)


def handed_over_at(alarm: Alarm, step: int) -> tuple[dt.datetime | None, bool]:
    """When the first message of ``step`` was handed to a channel (None: not yet), and
    whether any of them still waits in the queue."""
    callouts = list(alarm.callouts.filter(step=step).values_list("user_id", "alerted_at"))
    if not callouts:
        return None, False
    messages = Message.objects.filter(
        purpose="alarm", reference=f"incident:{alarm.incident_id}",
        recipient_id__in=[user for user, _at in callouts],
        created_at__gte=min(at for _user, at in callouts))
    first = messages.filter(
        status__in=[MessageStatus.SENT, MessageStatus.DELIVERED]
    ).aggregate(first=Min("sent_at"))["first"]
    return first, messages.filter(status=MessageStatus.QUEUED).exists()


def _rearm(alarm: Alarm, step: int, *, at: dt.datetime, counted_from: dt.datetime) -> str:
    escalate_alarm.using(run_after=at).enqueue(alarm.pk, step, counted_from.isoformat())
    return "waiting for the hand-over"


def escalate(
    *, alarm_id: int, step: int, counted_from: str = "", unreached: bool = False
) -> str:
    """Run by the timer: if step ``step`` is still unanswered, alert the next step.

    The acknowledgement time counts from when the alarm was handed to a channel, not from
    when it was raised: a timer that fires while the step's messages still wait in the
    queue starts again; one that started well before the hand-over is moved by the delay.
    ``counted_from`` is the moment the running timer counts from (the call-outs' time when
    empty). ``unreached``: run at once because every person of the step is not reached
    (every external message failed, or no phone/e-mail) — silence, so move on without
    waiting for the hand-over or the timer."""
    with transaction.atomic():
        alarm = (
            Alarm.objects.select_for_update(of=("self",))
            .select_related("incident", "organisation", "plan", "raised_by")
            .filter(pk=alarm_id)
            .first()
        )
        if alarm is None or alarm.status != AlarmStatus.PENDING or alarm.step != step:
            return "nothing to do"
        handed, waiting = (None, False) if unreached else handed_over_at(alarm, step)
        now = timezone.now()
        if handed is None and waiting:  # nobody has the alarm yet: the time has not begun
            return _rearm(alarm, step, at=now + dt.timedelta(seconds=alarm.timeout_seconds),
                          counted_from=now)
        start = (dt.datetime.fromisoformat(counted_from) if counted_from else
                 alarm.callouts.filter(step=step).aggregate(at=Min("alerted_at"))["at"])
        late = handed is not None and start is not None and handed - start > HAND_OVER_SLACK
        if late and not unreached:
            return _rearm(alarm, step, at=now + (handed - start), counted_from=handed)
        if alarm.incident.status in (IncidentStatus.STANDING_DOWN, IncidentStatus.CLOSED):
            # Stood down elsewhere (e.g. the incident page): stop here, and say so.
            alarm.status = AlarmStatus.CANCELLED
            alarm.save(update_fields=["status"])
            log(
                alarm.incident,
                None,
                LogKind.ESCALATION,
                _("The alarm of %(org)s is stopped: the incident is %(status)s.")
                % {"org": alarm.organisation.name, "status": alarm.incident.get_status_display()},
            )
            return "incident stood down"
        waited = list(alarm.callouts.filter(step=step).select_related("user"))
        if unreached:
            reach = delivery.reach_by_about([c.about for c in waited])
            if not all(reach[c.about].not_reached for c in waited):
                return "reached after all"
            log(
                alarm.incident,
                None,
                LogKind.ESCALATION,
                _("Not reached: %(people)s; escalating at once.")
                % {"people": "; ".join(_reach_text(c, reach[c.about]) for c in waited) or "–"},
            )
        else:
            log(
                alarm.incident,
                None,
                LogKind.ESCALATION,
                _("No acknowledgement from %(people)s within %(min)s min; escalating.")
                % {
                    "people": ", ".join(c.user.display_name for c in waited) or "–",
                    "min": max(1, round(alarm.timeout_seconds / 60)),
                },
            )
        _alert_step(alarm, step + 1, by=None)
        return "escalated"


def _reach_text(callout: Callout, reach) -> str:
    failed = [f"{line.channel_label}: {line.reason}" for line in reach.lines if line.reason]
    detail = ", ".join(failed) or reach.label
    return f"{callout.user.display_name} ({detail})"


def on_delivery_outcome(messages) -> None:
    """notify's outcome hook: when the messages of an alarmed person have all failed and
    nobody of that escalation step is reached, escalate at once (a task, enqueued in the
    transaction that recorded the failure)."""
    ids = {
        int(m.about.split(":", 1)[1])
        for m in messages
        if m.status == "failed" and m.about.startswith("callout:") and m.about[8:].isdigit()
    }
    if not ids:
        return
    steps = set(
        Callout.objects.filter(
            pk__in=ids,
            alarm__isnull=False,
            status=CalloutStatus.ALERTED,
            alarm__status=AlarmStatus.PENDING,
            alarm__step=F("step"),
        ).values_list("alarm_id", "step")
    )
    for alarm_id, step in steps:
        step_callouts = list(Callout.objects.filter(alarm_id=alarm_id, step=step))
        reach = delivery.reach_by_about([c.about for c in step_callouts])
        if all(reach[c.about].not_reached for c in step_callouts):
            escalate_alarm.enqueue(alarm_id, step, unreached=True)


# --- Answers -------------------------------------------------------------------------------
def _lock(callout: Callout) -> Callout:
    return (
        Callout.objects.select_for_update(of=("self",))
        .select_related("incident", "alarm", "user")
        .get(pk=callout.pk)
    )


#: "I am coming — in about N min" (the answer page offers a few; the API takes any).
MAX_ETA_MINUTES = 600


@transaction.atomic
def respond(
    *,
    by: User,
    callout: Callout,
    accept: bool,
    via_link: bool = False,
    eta_minutes: int | None = None,
) -> Callout:
    """The person answers: acknowledge an alarm / accept a request (optionally "I am
    coming, in about N min"), or decline. Acknowledging an alarm stops its escalation."""
    callout = _lock(callout)
    if by.pk != callout.user_id:
        raise Forbidden(_("Only the person called out can answer."))
    if callout.status != CalloutStatus.ALERTED:
        raise Conflict(
            _("This call-out is already answered (%(status)s).")
            % {"status": callout.get_status_display()},
            code="already_answered",
        )
    if eta_minutes is not None and not (accept and 0 < eta_minutes <= MAX_ETA_MINUTES):
        raise ValidationFailed(
            _("Give the minutes until you arrive (1–600) with a yes."),
            code="out_of_range",
            field="eta_minutes",
        )
    now = timezone.now()
    callout.status = CalloutStatus.ACKNOWLEDGED if accept else CalloutStatus.DECLINED
    callout.responded_at = now
    callout.eta_minutes = eta_minutes
    if via_link:
        callout.link_used_at = now
    callout.save(update_fields=["status", "responded_at", "link_used_at", "eta_minutes"])
    how = _("by link") if via_link else _("in the app")
    if callout.alarm_id and accept:
        alarm = Alarm.objects.select_for_update(of=("self",)).get(pk=callout.alarm_id)
        if alarm.status == AlarmStatus.PENDING:
            alarm.status, alarm.acknowledged_at, alarm.acknowledged_by = (
                AlarmStatus.ACKNOWLEDGED,
                now,
                by,
            )
            alarm.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
            Callout.objects.filter(alarm=alarm, status=CalloutStatus.ALERTED).exclude(
                pk=callout.pk
            ).update(status=CalloutStatus.CANCELLED)
        if callout.duty_role in (DutyRole.KOP, DutyRole.DEPUTY_KOP):
            _grant(
                incident=callout.incident,
                user=by,
                role=AssignmentRole.KOP,
                granted_by=alarm.raised_by,
            )
        log(
            callout.incident,
            by,
            LogKind.RESPONSE,
            _("%(name)s acknowledged the alarm (%(role)s) %(how)s; escalation stopped.")
            % {"name": by.display_name, "role": callout.get_duty_role_display(), "how": how}
            + _eta_text(eta_minutes),
        )
    else:
        log(
            callout.incident,
            by,
            LogKind.RESPONSE,
            (
                _("%(name)s accepted (%(role)s) %(how)s.")
                if accept
                else _("%(name)s declined (%(role)s) %(how)s.")
            )
            % {"name": by.display_name, "role": callout.get_duty_role_display(), "how": how}
            + _eta_text(eta_minutes),
        )
    return callout


def _eta_text(eta_minutes: int | None) -> str:
    return " " + _("Coming in about %(n)s min.") % {"n": eta_minutes} if eta_minutes else ""


def _grant(*, incident: Incident, user: User, role: str, granted_by: User | None) -> None:
    """The acknowledging KOP becomes the incident's KOP (the grant to its data), even when
    the department alarmed is outside the lead organisation: the alarm is the mandate (so
    answering an alarm is never a break-glass self-deployment)."""
    manager = granted_by if granted_by is not None and granted_by != user and (
        incident_selectors.can_manage(granted_by, incident)) else None
    if manager is not None:
        incident_services.assign(by=manager, incident=incident, user=user, role=role)
        return
    assignment, created = Assignment.objects.get_or_create(
        incident=incident, user=user, role=role, defaults={"assigned_by": granted_by}
    )
    if not created and assignment.released_at is not None:
        assignment.released_at = None
        assignment.save(update_fields=["released_at"])
    audit.record(
        action=audit.AuditAction.CREATE,
        obj=assignment,
        actor=user,
        fields=["user", "role"],
        extra={"incident": str(incident.pk)},
    )
    log(
        incident,
        user,
        LogKind.ASSIGNMENT,
        _("%(name)s assigned as %(role)s by the alarm.")
        % {"name": user.display_name, "role": assignment.get_role_display()},
    )


def callout_for_link(token: str) -> Callout:
    """The call-out of a one-time link (the short nonce link, or an older signed one)."""
    callouts = Callout.objects.select_related("incident", "user", "alarm", "site")
    callout = None
    if token and len(token) <= 40:
        callout = callouts.filter(nonce=token, alerted_at__gte=links.valid_since()).first()
    if callout is None:
        data = links.read_signed(token)
        if data is not None:
            callout = callouts.filter(pk=data[0], nonce=data[1]).first()
    if callout is None:
        raise NotFound(_("The link is not valid or has expired."))
    return callout


def respond_by_link(*, token: str, accept: bool, eta_minutes: int | None = None) -> Callout:
    callout = callout_for_link(token)
    if callout.link_used_at is not None:
        raise Conflict(_("This link has already been used."), code="link_used")
    return respond(
        by=callout.user, callout=callout, accept=accept, via_link=True, eta_minutes=eta_minutes
    )


# --- Crisis team: request, dispatch, status --------------------------------------------------
@transaction.atomic
def request_members(
    *, by: User, incident: Incident, users: Iterable[User], note: str = ""
) -> list[Callout]:
    """The KOP asks crisis-team members to come; each accepts or declines from the phone."""
    _require_manager(by, incident)
    _require_open(incident)
    users = list(users)
    if not users:
        raise ValidationFailed(_("Choose at least one person."), code="required", field="user_ids")
    busy = set(
        Callout.objects.filter(incident=incident, user__in=users, alarm__isnull=True)
        .exclude(
            status__in=[CalloutStatus.DECLINED, CalloutStatus.RELEASED, CalloutStatus.CANCELLED]
        )
        .values_list("user_id", flat=True)
    )
    callouts = [
        Callout.objects.create(
            incident=incident, user=u, duty_role=DutyRole.CRISIS_TEAM, requested_by=by
        )
        for u in users
        if u.pk not in busy
    ]
    if not callouts:
        raise Conflict(_("Those people are already called out."), code="already_called")
    text = _("%(name)s asks you to join the crisis team: %(incident)s.") % {
        "name": by.display_name,
        "incident": _incident_line(incident),
    }
    _send(
        callouts,
        subject=_("Crisis team: %(title)s") % {"title": incident.title},
        text=_with_note(text, note),
        purpose="request",
        all_channels=False,
    )
    log(
        incident,
        by,
        LogKind.DISPATCH,
        _("Crisis team requested: %(people)s.")
        % {"people": ", ".join(c.user.display_name for c in callouts)},
    )
    return callouts


@transaction.atomic
def add_site(*, by: User, incident: Incident, kind: str, name: str, address: str) -> DeploymentSite:
    _require_manager(by, incident)
    _require_open(incident)
    if kind not in SiteKind:
        raise ValidationFailed(_("Unknown kind of site."), code="invalid", field="kind")
    if not name.strip() or not address.strip():
        raise ValidationFailed(
            _("Give the site a name and an address."),
            code="required",
            field="address" if name.strip() else "name",
        )
    site = DeploymentSite.objects.create(
        incident=incident, kind=kind, name=name.strip()[:200], address=address.strip()[:300]
    )
    log(
        incident,
        by,
        LogKind.DISPATCH,
        _("Deployment site added: %(name)s, %(address)s (%(kind)s).")
        % {"name": site.name, "address": site.address, "kind": site.get_kind_display()},
    )
    return site


@transaction.atomic
def dispatch(*, by: User, callout: Callout, site: DeploymentSite) -> Callout:
    """Send an accepted member to a site: assign them to the incident and tell them where."""
    callout = _lock(callout)
    _require_manager(by, callout.incident)
    _require_open(callout.incident)
    if site.incident_id != callout.incident_id:
        raise ValidationFailed(_("The site belongs to another incident."), field="site_id")
    if callout.status not in (
        CalloutStatus.ACKNOWLEDGED,
        CalloutStatus.EN_ROUTE,
        CalloutStatus.ON_SITE,
    ):
        raise Conflict(_("Only people who accepted can be dispatched."), code="not_accepted")
    callout.site, callout.status = site, CalloutStatus.EN_ROUTE
    callout.dispatched_at = timezone.now()
    callout.save(update_fields=["site", "status", "dispatched_at"])
    role = (
        AssignmentRole.KOP
        if callout.duty_role in (DutyRole.KOP, DutyRole.DEPUTY_KOP)
        else AssignmentRole.CRISIS_TEAM
    )
    incident_services.assign(by=by, incident=callout.incident, user=callout.user, role=role)
    text = _("Go to %(site)s, %(address)s (%(incident)s).") % {
        "site": site.name,
        "address": site.address,
        "incident": callout.incident.title,
    }
    _send(
        [callout],
        subject=_("Dispatch: %(title)s") % {"title": callout.incident.title},
        text=text,
        purpose="dispatch",
        all_channels=False,
        with_link=False,
    )
    log(
        callout.incident,
        by,
        LogKind.DISPATCH,
        _("%(name)s dispatched to %(site)s.")
        % {"name": callout.user.display_name, "site": site.name},
    )
    return callout


STATUS_STAMP = {
    CalloutStatus.EN_ROUTE: "dispatched_at",
    CalloutStatus.ON_SITE: "on_site_at",
    CalloutStatus.RELEASED: "released_at",
}


@transaction.atomic
def set_callout_status(*, by: User, callout: Callout, status: str) -> Callout:
    """En route, on site, released: set by the person themself or by the incident's lead."""
    callout = _lock(callout)
    if by.pk != callout.user_id:
        _require_manager(by, callout.incident)
    if status not in STATUS_STAMP:
        raise ValidationFailed(_("Choose en route, on site or released."), field="status")
    if (
        callout.status
        in (
            CalloutStatus.ALERTED,
            CalloutStatus.DECLINED,
            CalloutStatus.CANCELLED,
            CalloutStatus.RELEASED,
        )
        and status != CalloutStatus.RELEASED
    ):
        raise Conflict(_("The person has not accepted."), code="not_accepted")
    if callout.status == status:
        return callout
    callout.status = status
    setattr(callout, STATUS_STAMP[status], timezone.now())
    callout.save(update_fields=["status", STATUS_STAMP[status]])
    if status == CalloutStatus.RELEASED:
        for assignment in Assignment.objects.filter(
            incident=callout.incident, user=callout.user, released_at__isnull=True
        ).exclude(role="lead"):
            if incident_selectors.can_manage(by, callout.incident):
                incident_services.release(by=by, assignment=assignment)
    log(
        callout.incident,
        by,
        LogKind.DISPATCH,
        _("%(name)s: %(status)s.")
        % {"name": callout.user.display_name, "status": callout.get_status_display()},
    )
    return callout


# --- Incident status, stand-down, after-action ----------------------------------------------
@transaction.atomic
def change_status(*, by: User, incident: Incident, status: str) -> Incident:
    """Status change from the board; a stand-down also stops alarms and tells everyone."""
    if status == IncidentStatus.STANDING_DOWN:
        return stand_down(by=by, incident=incident)
    return incident_services.change_status(by=by, incident=incident, status=status)


@transaction.atomic
def stand_down(*, by: User, incident: Incident) -> Incident:
    incident = incident_services.change_status(
        by=by, incident=incident, status=IncidentStatus.STANDING_DOWN
    )
    stopped = Alarm.objects.filter(incident=incident, status=AlarmStatus.PENDING).update(
        status=AlarmStatus.CANCELLED
    )
    Callout.objects.filter(incident=incident, status=CalloutStatus.ALERTED).update(
        status=CalloutStatus.CANCELLED
    )
    active = list(
        Callout.objects.filter(
            incident=incident,
            status__in=[
                CalloutStatus.ACKNOWLEDGED,
                CalloutStatus.EN_ROUTE,
                CalloutStatus.ON_SITE,
            ],
        ).select_related("user", "incident")
    )
    _send(
        active,
        subject=_("Stand-down: %(title)s") % {"title": incident.title},
        text=_("Stand-down for %(incident)s. Thank you. Supervision for the team follows.")
        % {"incident": incident.title},
        purpose="stand_down",
        all_channels=False,
        with_link=False,
    )
    log(
        incident,
        by,
        LogKind.STATUS,
        _("Stand-down: %(alarms)s alarm(s) stopped, %(people)s person(s) told.")
        % {"alarms": stopped, "people": len(active)},
    )
    return incident


@transaction.atomic
def tick(*, by: User, incident: Incident, card: ActionCard, item: int) -> ActionCardTick:
    if not (
        incident_selectors.can_manage(by, incident)
        or incident_selectors.assignment_roles(by, incident)
        or Callout.objects.filter(incident=incident, user=by).exists()
    ):
        raise Forbidden(_("Only people working on the incident can tick action cards."))
    _require_open(incident)
    if not 0 <= item < len(card.items):
        raise ValidationFailed(_("No such item on the card."), field="item")
    existing = ActionCardTick.objects.filter(incident=incident, card=card, item=item).first()
    if existing:
        return existing
    done = ActionCardTick.objects.create(incident=incident, card=card, item=item, ticked_by=by)
    log(
        incident,
        by,
        LogKind.ACTION_CARD,
        _("%(code)s v%(v)s: “%(item)s” done.")
        % {"code": card.code, "v": card.version, "item": card.items[item]},
    )
    return done


@transaction.atomic
def add_note(
    *, by: User, incident: Incident, text: str, corrects_id: int | None = None
) -> IncidentLogEntry:
    if not (
        incident_selectors.can_manage(by, incident)
        or incident_selectors.assignment_roles(by, incident)
    ):
        raise Forbidden(_("Only people assigned to the incident can write in its log."))
    corrects = None
    if corrects_id:
        corrects = IncidentLogEntry.objects.filter(pk=corrects_id, incident=incident).first()
        if corrects is None:
            raise ValidationFailed(_("No such log entry."), code="not_found", field="corrects_id")
    return incident_services.add_log_entry(
        incident=incident, author=by, text=text, corrects=corrects
    )


AFTER_ACTION_FIELDS = [
    "supervision_at",
    "supervision_place",
    "supervisor",
    "went_well",
    "to_improve",
    "follow_up",
]


@transaction.atomic
def save_after_action(*, by: User, incident: Incident, **fields) -> AfterAction:
    _require_manager(by, incident)
    if incident.status not in (IncidentStatus.STANDING_DOWN, IncidentStatus.CLOSED):
        raise Conflict(_("The after-action comes after the stand-down."), code="not_stood_down")
    unknown = set(fields) - set(AFTER_ACTION_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), field=sorted(unknown)[0])
    if fields.get("supervision_at"):
        fields["supervision_at"] = _aware(fields["supervision_at"])
    after, _created = AfterAction.objects.update_or_create(
        incident=incident, defaults={**fields, "updated_by": by}
    )
    if fields.get("supervision_at"):
        team = list(
            Callout.objects.filter(incident=incident, dispatched_at__isnull=False).select_related(
                "user", "incident"
            )
        )
        when = timezone.localtime(after.supervision_at).strftime("%d.%m.%Y %H:%M")
        _send(
            team,
            subject=_("Supervision: %(title)s") % {"title": incident.title},
            text=_("Supervision for the crisis team after %(incident)s: %(when)s, %(place)s.")
            % {"incident": incident.title, "when": when, "place": after.supervision_place or "–"},
            purpose="supervision",
            all_channels=False,
            with_link=False,
        )
        log(
            incident,
            by,
            LogKind.NOTE,
            _("Supervision scheduled: %(when)s, %(place)s.")
            % {"when": when, "place": after.supervision_place or "–"},
        )
    log(incident, by, LogKind.NOTE, _("After-action debrief saved."))
    return after
