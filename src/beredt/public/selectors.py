"""Reads of the public app, with the access rules built in.

Public side: only published pages of incidents that are not closed are shown.
Staff side: a self-registration is personal data of the same kind as a registration, so
it follows the registry's rule: it is visible to the people deployed to its incident (active
assignment) as lead, KOP or registrar — they can also confirm it into the registry — and to
superusers. Organisation roles without a deployment see nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from beredt.incidents import selectors as incident_selectors
from beredt.incidents.models import Incident, IncidentStatus
from beredt.registry.selectors import REGISTRY_ROLES

from .models import IncidentPage, SelfRegistration, SelfRegistrationStatus


def published_pages() -> QuerySet[IncidentPage]:
    return (IncidentPage.objects.filter(published=True)
            .exclude(incident__status=IncidentStatus.CLOSED)
            .select_related("incident", "incident__municipality")
            .order_by("-incident__started_at"))


def published_page(slug: str) -> IncidentPage | None:
    return published_pages().filter(slug=slug).first()


def accepts_self_registration(page: IncidentPage) -> bool:
    return bool(page.published and page.self_registration_open
                and page.incident.status != IncidentStatus.CLOSED)


def can_edit_page(user, incident: Incident) -> bool:
    return bool(user and user.is_authenticated and incident_selectors.can_manage(user, incident))


def page_of(incident: Incident) -> IncidentPage | None:
    return IncidentPage.objects.filter(incident=incident).first()


def queue_incidents_for(user) -> QuerySet[Incident]:
    """Incidents whose self-registrations ``user`` may see and decide."""
    qs = Incident.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(assignments__user=user, assignments__released_at__isnull=True,
                     assignments__role__in=REGISTRY_ROLES).distinct()


def self_registrations_visible_to(user) -> QuerySet[SelfRegistration]:
    return SelfRegistration.objects.filter(
        incident_id__in=queue_incidents_for(user).values("pk")
    ).select_related("incident")


def pending_for(user, incident: Incident | None = None) -> QuerySet[SelfRegistration]:
    qs = self_registrations_visible_to(user).filter(status=SelfRegistrationStatus.PENDING)
    if incident is not None:
        qs = qs.filter(incident=incident)
    return qs.order_by("submitted_at")


def pending_count(user) -> int:
    return pending_for(user).count()
