"""Writes: routing, handover with receipt and escalation, re-routing, tasks.

Campaigns are in :mod:`.outreach`, the FHIR/CSV exchange in :mod:`.exchange`. Every function
takes keyword arguments, runs in one transaction, audits personal data and raises
:mod:`beredt.core.errors` domain errors.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from beredt.incidents.models import Assignment, AssignmentRole, Incident, LogKind
from beredt.incidents.services import add_log_entry
from beredt.notify import services as notify
from beredt.notify.models import Channel as NotifyChannel
from beredt.notify.tasks import deliver_messages
from beredt.organisations.models import Organisation, Role
from beredt.organisations.selectors import ancestor_ids, users_with_role
from beredt.registry import selectors as registry
from beredt.registry.models import Channel, Registration, RegistrationStatus

from . import routing, selectors
from .models import (
    FollowupTask,
    FollowupUnit,
    Handover,
    HandoverItem,
    HandoverStatus,
    IncidentFollowup,
    ItemStatus,
    Outcome,
    PersonRouting,
    Referral,
    RoutingDecision,
    TaskKind,
    TaskStatus,
    UnitKind,
)

NOTIFY_CHANNELS = [NotifyChannel.IN_APP, NotifyChannel.EMAIL, NotifyChannel.SMS]
MAX_TRIES = 3  # "not reached" needs at least this many contact attempts


def _require_sender(by, incident: Incident) -> None:
    if not selectors.can_send(by, incident):
        raise Forbidden(_("Only the incident's lead, KOP or follow-up coordinator may do this."))


# --- Settings and routing ---------------------------------------------------------------

def save_settings(*, by, incident: Incident, **values) -> IncidentFollowup:
    _require_sender(by, incident)
    conf, _created = IncidentFollowup.objects.get_or_create(incident=incident)
    for name in ("first_contact_days", "check_weeks", "regional_team_took_part", "hotline",
                 "website"):
        if name in values:
            setattr(conf, name, values[name])
    if not 0 < int(conf.first_contact_days) <= 60:
        raise ValidationFailed(_("First contact must be within 1 to 60 days."),
                               code="out_of_range", field="first_contact_days")
    conf.save()
    audit.record(action=AuditAction.UPDATE, obj=conf, actor=by, fields=sorted(values))
    return conf


def followup_people(incident: Incident) -> list[Registration]:
    """Active registrations of the incident with a consent to follow-up contact now."""
    regs = (Registration.objects.filter(incident=incident, status=RegistrationStatus.ACTIVE)
            .select_related("residence_municipality__region", "related_to__residence_municipality",
                            "incident__municipality"))
    return [r for r in regs if registry.consented_channels(r)]


def _save_decisions(registration: Registration, proposals, *, by=None) -> list[RoutingDecision]:
    RoutingDecision.objects.filter(registration=registration, is_current=True).update(
        is_current=False)
    return [RoutingDecision.objects.create(
        registration=registration, incident_id=registration.incident_id, unit=p.unit,
        rule=p.rule, rule_name=p.rule_name[:120], explanation=p.explanation,
        needs_manual_decision=p.needs_manual_decision, decided_by=by) for p in proposals]


@transaction.atomic
def route_incident(*, by, incident: Incident) -> list[RoutingDecision]:
    """(Re)decide receivers for every consenting person not handed over yet."""
    _require_sender(by, incident)
    handed = set(HandoverItem.objects.filter(
        registration__incident=incident, status=ItemStatus.ACTIVE,
    ).values_list("registration_id", flat=True))
    out = []
    for reg in followup_people(incident):
        if reg.pk in handed:
            continue
        out += _save_decisions(reg, routing.propose(reg))
    return out


@transaction.atomic
def set_person_routing(*, by, registration: Registration, employer: Organisation | None = None,
                       ignore_guardian: bool = False) -> list[RoutingDecision]:
    _require_sender(by, registration.incident)
    PersonRouting.objects.update_or_create(registration=registration, defaults={
        "employer": employer, "ignore_guardian": ignore_guardian})
    audit.record(action=AuditAction.UPDATE, obj=registration, actor=by,
                 fields=["followup_routing"])
    return _save_decisions(registration, routing.propose(registration))


@transaction.atomic
def decide_manually(*, by, registration: Registration, unit: FollowupUnit,
                    reason: str) -> RoutingDecision:
    """A person's decision overrides the rules (e.g. a flagged 'abroad' case)."""
    _require_sender(by, registration.incident)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for the decision."), code="required",
                               field="reason")
    decision = _save_decisions(registration, [routing.Proposal(
        unit, None, _("Manual decision"), reason[:500], False)], by=by)[0]
    audit.record(action=AuditAction.UPDATE, obj=registration, actor=by,
                 fields=["followup_receiver"], reason=reason[:500])
    return decision


# --- The handover package ---------------------------------------------------------------

def package(registration: Registration, receiver: Organisation) -> tuple[dict, list, list]:
    """The fields of one person the consent allows to hand to ``receiver``:

    * identity and what routes the follow-up (name, birth date, role, residence
      municipality, language, need) — covered by the consent to follow-up contact;
    * phone only for phone/SMS, e-mail only for e-mail, CPR only for digital mail;
    * address and observed crisis reactions only when a sharing consent names the receiver.

    Returns ``(data, fields, channels)``; ``channels`` empty means: nothing may be handed.
    """
    channels = sorted(registry.consented_channels(registration))
    if not channels:
        return {}, [], []
    r = registration
    data = {
        "registration_id": str(r.pk), "full_name": r.full_name,
        "birth_date": r.birth_date.isoformat() if r.birth_date else "",
        "role": r.role, "need": r.need, "preferred_language": r.preferred_language,
        "interpreter_needed": r.interpreter_needed, "residence": r.residence,
        "residence_municipality": r.residence_municipality_id or "",
    }
    if Channel.PHONE in channels or Channel.SMS in channels:
        data["phone"] = r.phone
    if Channel.EMAIL in channels:
        data["email"] = r.email
    if Channel.DIGITAL_MAIL in channels:
        data["cpr"] = r.cpr
    if registry.may_share(r, receiver.name):
        data["address"] = r.address
        data["reactions"] = r.reactions
    data = {k: v for k, v in data.items() if v not in ("", None)}
    return data, sorted(data), channels


def _notify_receiver(handover: Handover, *, text: str) -> None:
    users = list(users_with_role(Role.FOLLOWUP_COORDINATOR, handover.receiver))
    if handover.unit and handover.unit.backup_contact and handover.unit.backup_contact not in users:
        users.append(handover.unit.backup_contact)
    if not users:
        return
    messages = notify.queue_messages(
        recipients=users, channels=NOTIFY_CHANNELS, all_channels=False,
        subject=_("Follow-up handover to receive"), body=text, purpose="handover",
        reference=f"handover:{handover.pk}", is_exercise=handover.is_exercise)
    if messages:
        deliver_messages.enqueue([m.pk for m in messages])


def _receipt_text(handover: Handover, count: int) -> str:
    # No personal data in notifications: only the incident and the number of people.
    return _("%(n)s people from %(incident)s are handed to %(org)s for follow-up. "
             "Acknowledge receipt in Beredt by %(due)s.") % {
        "n": count, "incident": handover.incident_title, "org": handover.receiver.name,
        "due": timezone.localtime(handover.receipt_due_at).strftime("%d-%m-%Y %H:%M")}


def _schedule_receipt_check(handover: Handover) -> None:
    from .tasks import check_receipt

    check_receipt.using(run_after=handover.receipt_due_at).enqueue(str(handover.pk))


def _new_handover(*, by, incident: Incident, unit: FollowupUnit) -> Handover:
    now = timezone.now()
    return Handover.objects.create(
        incident=incident, incident_title=incident.title, is_exercise=incident.is_exercise,
        sender_name=incident.lead_organisation.name, receiver=unit.organisation, unit=unit,
        created_by=by, created_at=now,
        receipt_due_at=now + dt.timedelta(hours=unit.receipt_hours))


def _add_item(handover: Handover, reg: Registration, decision: RoutingDecision | None
              ) -> HandoverItem | None:
    data, fields, channels = package(reg, handover.receiver)
    if not channels:
        return None
    return HandoverItem.objects.create(
        handover=handover, registration=reg, decision=decision, data=json.dumps(data),
        fields=fields, channels=channels,
        reason=(decision.explanation[:300] if decision else ""))


@transaction.atomic
def hand_over(*, by, incident: Incident) -> list[Handover]:
    """Hand every routed, not yet handed-over person to their receivers: one package per
    receiving organisation, the receiver notified and the receipt timer started."""
    _require_sender(by, incident)
    if not incident.is_open and not incident.closed_at:
        raise Conflict(_("The incident is closed."), code="incident_closed")
    handed = set(HandoverItem.objects.filter(
        handover__incident=incident, status=ItemStatus.ACTIVE).values_list(
        "registration_id", "handover__receiver_id"))
    pending = [d for d in selectors.decisions_of(incident).filter(
        unit__isnull=False, needs_manual_decision=False)
        if (d.registration_id, d.unit.organisation_id) not in handed]
    groups: dict[int, list[RoutingDecision]] = {}
    for d in pending:
        groups.setdefault(d.unit_id, []).append(d)
    out = []
    for decisions in groups.values():
        handover = _new_handover(by=by, incident=incident, unit=decisions[0].unit)
        items = [i for d in decisions if (i := _add_item(handover, d.registration, d))]
        if not items:
            handover.delete()
            continue
        audit.record_many(action=AuditAction.EXPORT, objects=[i.registration for i in items],
                          actor=by, fields=sorted({f for i in items for f in i.fields}),
                          extra={"handover": str(handover.pk),
                                 "receiver": handover.receiver_id})
        _notify_receiver(handover, text=_receipt_text(handover, len(items)))
        _schedule_receipt_check(handover)
        add_log_entry(incident=incident, author=by, kind=LogKind.NOTE, text=_(
            "Follow-up: %(n)s people handed over to %(org)s; receipt due %(due)s.") % {
            "n": len(items), "org": handover.receiver.name,
            "due": timezone.localtime(handover.receipt_due_at).strftime("%d-%m-%Y %H:%M")})
        out.append(handover)
    return out


def _kop_users(incident: Incident):
    return [a.user for a in Assignment.objects.filter(
        incident=incident, released_at__isnull=True,
        role__in=[AssignmentRole.KOP, AssignmentRole.LEAD]).select_related("user")]


@transaction.atomic
def acknowledge(*, by, handover: Handover) -> Handover:
    """The receiver acknowledges receipt; the follow-up tasks are created."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if not selectors.can_receive(by, handover.receiver_id):
        raise Forbidden(_("Only the receiving organisation acknowledges receipt."))
    if handover.status == HandoverStatus.WITHDRAWN:
        raise Conflict(_("The handover was withdrawn."), code="withdrawn")
    if handover.status == HandoverStatus.RECEIVED:
        return handover
    handover.status, handover.received_at, handover.received_by = (
        HandoverStatus.RECEIVED, timezone.now(), by)
    handover.save(update_fields=["status", "received_at", "received_by"])
    audit.record(action=AuditAction.UPDATE, obj=handover, actor=by, fields=["received_at"])
    for item in handover.items.filter(status=ItemStatus.ACTIVE):
        _create_standard_tasks(item)
    if handover.incident_id:
        add_log_entry(incident=handover.incident, author=by, kind=LogKind.RESPONSE, text=_(
            "Follow-up: %(org)s acknowledged receipt of the handover.") % {
            "org": handover.receiver.name})
    return handover


def _create_standard_tasks(item: HandoverItem) -> None:
    handover = item.handover
    conf = (routing.settings_for(handover.incident) if handover.incident_id
            else IncidentFollowup())
    start = timezone.localdate(handover.received_at or timezone.now())
    event = (timezone.localdate(handover.incident.started_at) if handover.incident_id
             else start)
    tasks = [(TaskKind.FIRST_CONTACT, _("First contact"),
              start + dt.timedelta(days=conf.first_contact_days))]
    check_day = max(event + dt.timedelta(weeks=conf.check_weeks), start)
    if handover.unit and handover.unit.kind == UnitKind.REGIONAL_PSYCHIATRY:
        tasks = [(TaskKind.CRISIS_THERAPY, _("Offer crisis therapy"), check_day)]
    else:
        tasks.append((TaskKind.CHECK, _("Check after %(w)s weeks") % {"w": conf.check_weeks},
                      check_day))
    for kind, title, due in tasks:
        FollowupTask.objects.get_or_create(item=item, kind=kind, defaults={
            "organisation": handover.receiver, "title": title, "due_on": due})


def check_receipt(*, handover_id) -> str:
    """Run by the timer at the receipt deadline: escalate when nobody acknowledged."""
    with transaction.atomic():
        handover = (Handover.objects.select_for_update(of=("self",))
                    .select_related("incident", "unit", "receiver")
                    .filter(pk=handover_id).first())
        if handover is None or handover.status != HandoverStatus.SENT:
            return "nothing to do"
        if handover.escalated_at is not None:
            return "already escalated"
        handover.escalated_at = timezone.now()
        handover.save(update_fields=["escalated_at"])
        people = _kop_users(handover.incident) if handover.incident_id else []
        backup = handover.unit.backup_contact if handover.unit else None
        if backup and backup not in people:
            people.append(backup)
        text = _("No receipt: %(org)s has not acknowledged the follow-up handover from "
                 "%(incident)s. Call the receiver.") % {
            "org": handover.receiver.name, "incident": handover.incident_title}
        if people:
            messages = notify.queue_messages(
                recipients=people, channels=NOTIFY_CHANNELS, all_channels=True,
                subject=_("Follow-up handover not received"), body=text,
                purpose="handover_escalation", reference=f"handover:{handover.pk}",
                is_exercise=handover.is_exercise)
            if messages:
                deliver_messages.enqueue([m.pk for m in messages])
        if handover.incident_id:
            add_log_entry(incident=handover.incident, author=None, kind=LogKind.ESCALATION,
                          text=text + " " + _("Alerted: %(people)s.") % {
                              "people": ", ".join(u.display_name for u in people) or "–"})
        return "escalated"


@transaction.atomic
def reroute(*, by, item: HandoverItem, unit: FollowupUnit, reason: str) -> HandoverItem:
    """Hand a person on (moved, wrong municipality): the first receiver loses the person,
    the new receiver gets a fresh package and a receipt timer."""
    item = HandoverItem.objects.select_for_update(of=("self",)).select_related(
        "handover__incident", "registration").get(pk=item.pk)
    handover = item.handover
    allowed = (selectors.can_receive(by, handover.receiver_id)
               or (handover.incident_id and selectors.can_send(by, handover.incident)))
    if not allowed:
        raise Forbidden(_("Only the sender or the receiver may hand the person on."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for handing the person on."),
                               code="required", field="reason")
    if item.status != ItemStatus.ACTIVE:
        raise Conflict(_("The person is no longer handed to this receiver."), code="withdrawn")
    if unit.organisation_id == handover.receiver_id:
        raise ValidationFailed(_("Choose another receiver."), code="same_receiver",
                               field="unit")
    if item.registration is None or handover.incident_id is None:
        raise Conflict(_("An imported person is handed on by the original sender."),
                       code="imported")
    decision = _save_decisions(item.registration, [routing.Proposal(
        unit, None, _("Handed on"), reason[:500], False)], by=by)[0]
    new_handover = _new_handover(by=by, incident=handover.incident, unit=unit)
    new_item = _add_item(new_handover, item.registration, decision)
    if new_item is None:
        raise Conflict(_("The person's consent no longer allows a handover."),
                       code="no_consent")
    item.status, item.withdrawn_at = ItemStatus.WITHDRAWN, timezone.now()
    item.withdrawn_reason, item.rerouted_to = reason[:300], new_item
    item.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "rerouted_to"])
    item.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.CANCELLED)
    if not handover.items.filter(status=ItemStatus.ACTIVE).exists():
        handover.status = HandoverStatus.WITHDRAWN
        handover.save(update_fields=["status"])
    audit.record(action=AuditAction.EXPORT, obj=item.registration, actor=by,
                 fields=new_item.fields, reason=reason[:500],
                 extra={"handover": str(new_handover.pk), "withdrawn_from": str(handover.pk)})
    _notify_receiver(new_handover, text=_receipt_text(new_handover, 1))
    _schedule_receipt_check(new_handover)
    add_log_entry(incident=handover.incident, author=by, kind=LogKind.NOTE, text=_(
        "Follow-up: a person was handed on from %(a)s to %(b)s.") % {
        "a": handover.receiver.name, "b": unit.organisation.name})
    return new_item


# --- Tasks ------------------------------------------------------------------------------

def _require_task_access(by, task: FollowupTask) -> None:
    if task.assigned_to_id != by.pk and not selectors.can_receive(by, task.organisation_id):
        raise Forbidden(_("Not a task of your organisation."))


@transaction.atomic
def add_task(*, by, item: HandoverItem, title: str, due_on: dt.date) -> FollowupTask:
    if not selectors.can_receive(by, item.handover.receiver_id):
        raise Forbidden(_("Not a person handed to your organisation."))
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("Describe the task."), code="required", field="title")
    return FollowupTask.objects.create(item=item, organisation=item.handover.receiver,
                                       kind=TaskKind.CUSTOM, title=title[:200], due_on=due_on)


@transaction.atomic
def assign_task(*, by, task: FollowupTask, user) -> FollowupTask:
    if not selectors.can_receive(by, task.organisation_id):
        raise Forbidden(_("Only the organisation's coordinators assign tasks."))
    if user is not None and not any(
            task.organisation_id in ancestor_ids(org_id)
            for org_id in user.memberships.values_list("organisation_id", flat=True)):
        raise ValidationFailed(_("The worker is not a member of the organisation."),
                               code="not_member", field="assigned_to")
    task.assigned_to = user
    task.save(update_fields=["assigned_to"])
    if user is not None:
        from .tasks import remind_task

        due = timezone.make_aware(dt.datetime.combine(task.due_on, dt.time(8, 0)))
        remind_task.using(run_after=max(due, timezone.now())).enqueue(task.pk)
    return task


@transaction.atomic
def record_try(*, by, task: FollowupTask, note: str = "") -> FollowupTask:
    """One contact attempt that did not reach the person."""
    _require_task_access(by, task)
    task = FollowupTask.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise Conflict(_("The task is closed."), code="closed")
    task.tries += 1
    if note.strip():
        task.notes = (task.notes + "\n" if task.notes else "") + note.strip()
    task.save(update_fields=["tries", "notes"])
    audit.record(action=AuditAction.UPDATE, obj=task, actor=by, fields=["tries", "notes"])
    return task


@transaction.atomic
def complete_task(*, by, task: FollowupTask, outcome: str, referral: str = "",
                  referral_service=None, note: str = "") -> FollowupTask:
    _require_task_access(by, task)
    task = FollowupTask.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise Conflict(_("The task is closed."), code="closed")
    if outcome not in Outcome:
        raise ValidationFailed(_("Choose the outcome."), code="invalid_choice", field="outcome")
    if outcome == Outcome.NOT_REACHED and task.tries + 1 < MAX_TRIES:
        raise ValidationFailed(_("'Not reached' needs at least %(k)s tries.") % {"k": MAX_TRIES},
                               code="too_few_tries", field="outcome")
    if outcome == Outcome.REFERRED and referral not in Referral:
        raise ValidationFailed(_("Say where the person was referred."), code="required",
                               field="referral")
    if outcome == Outcome.NOT_REACHED:
        task.tries += 1
    task.outcome, task.status = outcome, TaskStatus.DONE
    task.referral = referral if outcome == Outcome.REFERRED else ""
    task.referral_service = referral_service if outcome == Outcome.REFERRED else None
    task.completed_at, task.completed_by = timezone.now(), by
    if note.strip():
        task.notes = (task.notes + "\n" if task.notes else "") + note.strip()
    task.save()
    audit.record(action=AuditAction.UPDATE, obj=task, actor=by,
                 fields=["outcome", "referral", "notes"])
    if outcome == Outcome.DECLINED:
        task.item.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.CANCELLED)
    return task


def remind(*, task_id: int) -> str:
    task = FollowupTask.objects.select_related("assigned_to").filter(pk=task_id).first()
    if task is None or task.status != TaskStatus.OPEN or task.assigned_to is None:
        return "nothing to do"
    with transaction.atomic():
        messages = notify.queue_messages(
            recipients=[task.assigned_to], channels=[NotifyChannel.IN_APP],
            subject=_("Follow-up task due"),
            body=_("A follow-up task is due %(due)s: %(title)s.") % {
                "due": task.due_on.strftime("%d-%m-%Y"), "title": task.title},
            purpose="followup_task", reference=f"task:{task.pk}")
        if messages:
            deliver_messages.enqueue([m.pk for m in messages])
    return "reminded"


def unit_or_404(unit_id) -> FollowupUnit:
    unit = FollowupUnit.objects.select_related("organisation").filter(
        pk=unit_id, is_active=True).first()
    if unit is None:
        raise NotFound(_("Unknown follow-up unit."), code="unknown_unit")
    return unit
