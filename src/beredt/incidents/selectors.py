"""Which incidents a user may see and what they may do with them."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from beredt.organisations import selectors as org_selectors
from beredt.organisations.models import LEADING_ROLES

from .models import INCIDENT_LEAD_ROLES, Assignment, Incident, IncidentStatus


def incidents_visible_to(user) -> QuerySet[Incident]:
    """Incidents led by an organisation where the user holds any role (or above it), and
    incidents the user is assigned to. Seeing an incident is not seeing its people: that is
    :func:`assignment_roles` / the registry's selectors."""
    qs = Incident.objects.select_related("municipality", "lead_organisation")
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser:
        return qs
    org_ids = org_selectors.organisation_ids_with_role(user)
    return qs.filter(
        Q(lead_organisation_id__in=org_ids)
        | Q(assignments__user=user, assignments__released_at__isnull=True)
    ).distinct()


def assignment_roles(user, incident: Incident) -> set[str]:
    """The roles in which ``user`` is currently deployed to ``incident``."""
    if not (user and user.is_authenticated):
        return set()
    return set(
        Assignment.objects.filter(
            incident=incident, user=user, released_at__isnull=True
        ).values_list("role", flat=True)
    )


def can_manage(user, incident: Incident) -> bool:
    """Change status, assign people: the incident's lead/KOP, or a leading role (HL, AL,
    preparedness lead, KOP, administrator) in the lead organisation or above it."""
    if user.is_superuser or assignment_roles(user, incident) & INCIDENT_LEAD_ROLES:
        return True
    return org_selectors.has_role(user, LEADING_ROLES, incident.lead_organisation_id)


def is_self_deployment(*, by, user, incident: Incident) -> bool:
    """Whether ``by`` deploying ``user`` is a self-grant on the strength of an organisation
    role (break-glass): by themselves, not a superuser, not already the incident's lead/KOP."""
    return (by.pk == user.pk and not by.is_superuser
            and not assignment_roles(by, incident) & INCIDENT_LEAD_ROLES)


def leads_of(incident: Incident) -> QuerySet[Assignment]:
    """The incident's current lead and KOP deployments."""
    return incident.assignments.filter(
        released_at__isnull=True, role__in=INCIDENT_LEAD_ROLES).select_related("user")


def break_glass_grants_visible_to(user) -> QuerySet[Assignment]:
    """Self-deployments with a reason, for the DPO's (and administrator's) overview: those by
    users of the organisations where the viewer holds an audit role; a superuser sees all."""
    from beredt.organisations.models import AUDIT_ROLES, Membership

    qs = (Assignment.objects.exclude(break_glass_reason="")
          .select_related("user", "incident", "assigned_by").order_by("-assigned_at"))
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser:
        return qs
    org_ids = org_selectors.organisation_ids_with_role(user, AUDIT_ROLES)
    if not org_ids:
        return qs.none()
    return qs.filter(user__in=Membership.objects.filter(organisation_id__in=org_ids)
                     .values("user_id"))


def sees_all_people(user, incident: Incident) -> bool:
    """Whether the user sees every affected person of the incident (lead/KOP)."""
    return bool(user.is_superuser or assignment_roles(user, incident) & INCIDENT_LEAD_ROLES)


def assignments_of(incident: Incident) -> QuerySet[Assignment]:
    return incident.assignments.select_related("user").order_by("role", "assigned_at")


def active_incidents_visible_to(user) -> QuerySet[Incident]:
    return incidents_visible_to(user).exclude(status="closed")


def log_of(incident: Incident):
    """The incident log, oldest first, with authors and the entries corrected. Unscoped: for
    services and tasks; pages and endpoints read it through :func:`log_visible_to`."""
    return incident.log_entries.select_related("author", "corrects").order_by("at", "id")


def can_read_log(user, incident: Incident) -> bool:
    """The log's free text is about people and events, so it is read like personal data:
    by the people currently deployed to the incident (any role) and by superusers. An
    organisation role without a deployment (HL, administrator, a parent organisation's KOP)
    sees nothing until it deploys itself, which is a recorded break-glass grant."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(assignment_roles(user, incident))


def log_visible_to(user, incident: Incident):
    """The incident log as :func:`log_of`, empty for those who may not read it."""
    qs = log_of(incident)
    return qs if can_read_log(user, incident) else qs.none()


def add_months(when: dt.datetime, months: int) -> dt.datetime:
    """``when`` plus whole calendar months; the 31st becomes the month's last day."""
    month = when.month - 1 + months
    year, month = when.year + month // 12, month % 12 + 1
    return when.replace(year=year, month=month,
                        day=min(when.day, calendar.monthrange(year, month)[1]))


def incidents_past_retention(*, now: dt.datetime | None = None) -> list[Incident]:
    """Closed incidents whose retention period (``retention_months`` after closing) is over:
    their personal data is to be deleted or anonymised."""
    now = now or timezone.now()
    return [
        incident
        for incident in Incident.objects.filter(status=IncidentStatus.CLOSED,
                                                closed_at__isnull=False, closed_at__lte=now)
        if add_months(incident.closed_at, incident.retention_months) <= now
    ]
