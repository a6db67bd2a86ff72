"""Reads with the access rules built in.

* **Sender side** — an incident's lead/KOP and people deployed to it as follow-up
  coordinator (assignment role ``followup``) route its people, hand them over, run campaigns
  and see the funnel (:func:`can_send`).
* **Receiver side** — a follow-up coordinator or administrator of the receiving
  organisation (or above it) sees the handovers made to it, from the moment of handover, and
  only the people still handed to it (:func:`handovers_received_by`). Withdrawn handovers
  and re-routed people disappear from the receiver's view.
* Tasks: the receiving organisation's coordinators see its queue; a worker sees the tasks
  assigned to them.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from beredt.core.errors import NotFound
from beredt.incidents.models import INCIDENT_LEAD_ROLES, Assignment, AssignmentRole
from beredt.organisations import selectors as org_selectors
from beredt.organisations.models import Role
from beredt.registry.selectors import consented_channels_of

from .models import (
    Campaign,
    FollowupTask,
    Handover,
    HandoverItem,
    HandoverStatus,
    ItemStatus,
    RoutingDecision,
    TaskStatus,
)

SENDER_ROLES = frozenset({*INCIDENT_LEAD_ROLES, AssignmentRole.FOLLOWUP})
RECEIVER_ROLES = frozenset({Role.FOLLOWUP_COORDINATOR, Role.ADMINISTRATOR})


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_send(user, incident) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or Assignment.objects.filter(
        incident=incident, user=user, released_at__isnull=True, role__in=SENDER_ROLES).exists()


def sender_incident_ids(user):
    return Assignment.objects.filter(user=user, released_at__isnull=True,
                                     role__in=SENDER_ROLES).values("incident_id")


def receiver_org_ids(user) -> set[int]:
    if not _active(user):
        return set()
    return org_selectors.organisation_ids_with_role(user, RECEIVER_ROLES)


def can_receive(user, organisation_id: int) -> bool:
    return _active(user) and org_selectors.has_role(user, RECEIVER_ROLES, organisation_id)


def handovers_received_by(user) -> QuerySet[Handover]:
    qs = Handover.objects.select_related("receiver", "incident").exclude(
        status=HandoverStatus.WITHDRAWN)
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(receiver_id__in=receiver_org_ids(user))


def handovers_sent_by(user) -> QuerySet[Handover]:
    qs = Handover.objects.select_related("receiver", "incident")
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(incident_id__in=sender_incident_ids(user))


def handover_for(user, handover_id) -> tuple[Handover, str]:
    """The handover and the side the user sees it from ("receiver" or "sender")."""
    found = handovers_received_by(user).filter(pk=handover_id).first()
    if found is not None:
        return found, "receiver"
    found = handovers_sent_by(user).filter(pk=handover_id).first()
    if found is not None:
        return found, "sender"
    raise NotFound()


def visible_items(handover: Handover, side: str) -> QuerySet[HandoverItem]:
    qs = handover.items.select_related("registration").order_by("id")
    return qs.filter(status=ItemStatus.ACTIVE) if side == "receiver" else qs


def decisions_of(incident) -> QuerySet[RoutingDecision]:
    return (RoutingDecision.objects.filter(incident=incident, is_current=True)
            .select_related("unit__organisation", "rule", "registration"))


def tasks_visible_to(user) -> QuerySet[FollowupTask]:
    qs = FollowupTask.objects.select_related("item__handover", "organisation", "assigned_to")
    if not _active(user):
        return qs.none()
    qs = qs.filter(item__status=ItemStatus.ACTIVE).exclude(
        item__handover__status=HandoverStatus.WITHDRAWN)
    if user.is_superuser:
        return qs
    return qs.filter(Q(organisation_id__in=receiver_org_ids(user)) | Q(assigned_to=user))


def task_for(user, task_id) -> FollowupTask:
    task = tasks_visible_to(user).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    return task


def queue_counts(qs: QuerySet[FollowupTask]) -> dict:
    today = timezone.localdate()
    return qs.filter(status=TaskStatus.OPEN).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))


def campaigns_of(incident) -> QuerySet[Campaign]:
    return Campaign.objects.filter(incident=incident).annotate(
        total=Count("messages"),
        sent=Count("messages", filter=Q(messages__status__in=["sent", "handing_over"])),
        failed=Count("messages", filter=Q(messages__status="failed")),
        cancelled=Count("messages", filter=Q(messages__status="cancelled")),
    )


def retention_hold(registration_ids) -> list:
    """Registry retention hook: keep people whose follow-up tasks are still open."""
    return list(FollowupTask.objects.filter(
        status=TaskStatus.OPEN, item__status=ItemStatus.ACTIVE,
        item__registration_id__in=list(registration_ids),
    ).values_list("item__registration_id", flat=True))


FUNNEL_STEPS = ("registered", "consented", "routed", "received", "contacted", "outcome")


def funnel(incident) -> list[dict]:
    """Per residence municipality: registered → consented → routed → received → contacted →
    outcome (counts of people; no personal data)."""
    from beredt.registry.models import Registration, RegistrationStatus

    regs = list(Registration.objects.filter(incident=incident, status=RegistrationStatus.ACTIVE)
                .select_related("residence_municipality"))
    routed = set(RoutingDecision.objects.filter(incident=incident, is_current=True,
                                                unit__isnull=False)
                 .values_list("registration_id", flat=True))
    items = HandoverItem.objects.filter(registration__incident=incident, status=ItemStatus.ACTIVE)
    received = set(items.filter(handover__status=HandoverStatus.RECEIVED)
                   .values_list("registration_id", flat=True))
    tasks = FollowupTask.objects.filter(item__in=items)
    contacted = set(tasks.filter(Q(tries__gt=0) | ~Q(outcome="")).values_list(
        "item__registration_id", flat=True))
    outcome = set(tasks.exclude(outcome="").values_list("item__registration_id", flat=True))
    consented = consented_channels_of([reg.pk for reg in regs])
    rows: dict = {}
    for reg in regs:
        key = reg.residence_municipality.name if reg.residence_municipality else "–"
        row = rows.setdefault(key, {"municipality": key, **dict.fromkeys(FUNNEL_STEPS, 0)})
        row["registered"] += 1
        if consented.get(reg.pk):
            row["consented"] += 1
        for step, ids in (("routed", routed), ("received", received), ("contacted", contacted),
                          ("outcome", outcome)):
            if reg.pk in ids:
                row[step] += 1
    total = {"municipality": "total", **{s: sum(r[s] for r in rows.values())
                                          for s in FUNNEL_STEPS}}
    return [*sorted(rows.values(), key=lambda r: r["municipality"]), total]
