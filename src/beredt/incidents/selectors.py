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


def sees_all_people(user, incident: Incident) -> bool:
    """Whether the user sees every affected person of the incident (lead/KOP)."""
    return bool(user.is_superuser or assignment_roles(user, incident) & INCIDENT_LEAD_ROLES)


def assignments_of(incident: Incident) -> QuerySet[Assignment]:
    return incident.assignments.select_related("user").order_by("role", "assigned_at")


def active_incidents_visible_to(user) -> QuerySet[Incident]:
    return incidents_visible_to(user).exclude(status="closed")


def log_of(incident: Incident):
    """The incident log, oldest first, with authors and the entries corrected."""
    return incident.log_entries.select_related("author", "corrects").order_by("at", "id")


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
