"""Writes for incidents: creation (idempotent on ``client_id``), status, assignments."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.accounts.models import User
from beredt.core import audit
from beredt.core.errors import Conflict, Forbidden, ValidationFailed
from beredt.geo.models import Municipality
from beredt.organisations import selectors as org_selectors
from beredt.organisations.models import LEADING_ROLES, Organisation

from . import selectors
from .models import (
    STATUS_TRANSITIONS,
    Assignment,
    AssignmentRole,
    Incident,
    IncidentLogEntry,
    IncidentStatus,
    LogKind,
)


def _aware(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return timezone.now()
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def create_incident(
    *,
    by: User,
    title: str,
    kind: str,
    municipality_code: int,
    lead_organisation_id: int,
    client_id: uuid.UUID | None = None,
    description: str = "",
    place: str = "",
    started_at: dt.datetime | None = None,
    regional_level: str = "",
    municipal_crisis_level: int | None = None,
    is_exercise: bool = False,
) -> tuple[Incident, bool]:
    """Open an incident and assign its creator as lead. Returns ``(incident, created)``;
    a retry with the same ``client_id`` returns the first incident, unchanged."""
    if client_id is not None:
        existing = Incident.objects.filter(client_id=client_id).first()
        if existing is not None:
            return _existing_for(by, existing), False
    if not title.strip():
        raise ValidationFailed(_("Give the incident a title."), code="required", field="title")
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        raise ValidationFailed(
            _("Unknown municipality code %(code)s.") % {"code": municipality_code},
            code="unknown_municipality", field="municipality_code",
        )
    lead = Organisation.objects.filter(pk=lead_organisation_id, is_active=True).first()
    if lead is None:
        raise ValidationFailed(_("Unknown lead organisation."), code="unknown_organisation",
                               field="lead_organisation_id")
    if not org_selectors.has_role(by, LEADING_ROLES, lead):
        raise Forbidden(_("You cannot open incidents for %(org)s.") % {"org": lead.name})
    if municipal_crisis_level not in (None, 1, 2):
        raise ValidationFailed(_("The municipal crisis level is 1 or 2."),
                               field="municipal_crisis_level")
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                client_id=client_id, title=title.strip(), kind=kind, description=description,
                place=place, municipality=municipality, started_at=_aware(started_at),
                lead_organisation=lead, regional_level=regional_level,
                municipal_crisis_level=municipal_crisis_level, is_exercise=is_exercise,
                created_by=by,
            )
            Assignment.objects.create(
                incident=incident, user=by, role=AssignmentRole.LEAD, assigned_by=by
            )
            add_log_entry(incident=incident, author=by, kind=LogKind.STATUS,
                          text=_("Incident opened (%(status)s); %(name)s is its lead.")
                          % {"status": incident.get_status_display(), "name": by.display_name})
    except IntegrityError:
        # A concurrent retry with the same client_id won the race.
        existing = Incident.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _existing_for(by, existing), False
    return incident, True


def _existing_for(by: User, incident: Incident) -> Incident:
    if not selectors.incidents_visible_to(by).filter(pk=incident.pk).exists():
        raise Conflict(_("That client_id belongs to another incident."), code="client_id_taken",
                       field="client_id")
    return incident


@transaction.atomic
def change_status(*, by: User, incident: Incident, status: str) -> Incident:
    if not selectors.can_manage(by, incident):
        raise Forbidden(_("Only the incident's lead can change its status."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if status == incident.status:
        return incident
    if status not in STATUS_TRANSITIONS[IncidentStatus(incident.status)]:
        raise Conflict(
            _("An incident cannot go from %(old)s to %(new)s.")
            % {"old": incident.get_status_display(), "new": IncidentStatus(status).label},
            code="invalid_transition", field="status",
        )
    incident.status = status
    incident.closed_at = timezone.now() if status == IncidentStatus.CLOSED else None
    incident.save(update_fields=["status", "closed_at"])
    add_log_entry(incident=incident, author=by, kind=LogKind.STATUS,
                  text=_("Status changed to %(status)s.")
                  % {"status": incident.get_status_display()})
    return incident


@transaction.atomic
def assign(*, by: User, incident: Incident, user: User, role: str, reason: str = "",
           ) -> Assignment:
    """Deploy ``user`` to the incident in ``role``. Deploying *yourself* on the strength of
    an organisation role (administrator, HL, a parent organisation's KOP — anyone who is
    not already the incident's lead/KOP) is break-glass: it needs a ``reason``, is audited
    as such, logged, and the incident's leads are told."""
    if not selectors.can_manage(by, incident):
        raise Forbidden(_("Only the incident's lead can assign people."))
    if not incident.is_open:
        raise Conflict(_("The incident is closed."), code="incident_closed")
    break_glass = selectors.is_self_deployment(by=by, user=user, incident=incident)
    reason = (reason or "").strip()[:500]
    if break_glass and not reason:
        raise ValidationFailed(
            _("You are deploying yourself to an incident you do not lead: give the reason. "
              "It is shown to the incident's lead and in the audit log."),
            code="break_glass_reason_required", field="reason",
        )
    assignment, created = Assignment.objects.get_or_create(
        incident=incident, user=user, role=role,
        defaults={"assigned_by": by, "break_glass_reason": reason if break_glass else ""},
    )
    if not created and (assignment.released_at is not None or break_glass):
        assignment.released_at = None
        assignment.assigned_by = by
        assignment.break_glass_reason = reason if break_glass else ""
        assignment.save(update_fields=["released_at", "assigned_by", "break_glass_reason"])
    audit.record(action=audit.AuditAction.BREAK_GLASS if break_glass else audit.AuditAction.CREATE,
                 obj=assignment, actor=by, fields=["user", "role"], reason=reason,
                 extra={"incident": str(incident.pk), "role": role})
    if break_glass:
        add_log_entry(incident=incident, author=by, kind=LogKind.ASSIGNMENT,
                      text=_("Break-glass: %(name)s deployed themselves as %(role)s. "
                             "Reason: %(reason)s")
                      % {"name": user.display_name, "role": assignment.get_role_display(),
                         "reason": reason})
        _tell_leads_of_break_glass(assignment)
    else:
        add_log_entry(incident=incident, author=by, kind=LogKind.ASSIGNMENT,
                      text=_("%(name)s assigned as %(role)s.")
                      % {"name": user.display_name, "role": assignment.get_role_display()})
    return assignment


def _tell_leads_of_break_glass(assignment: Assignment) -> None:
    """In-app message and e-mail to the incident's current leads/KOPs (not the person who
    deployed themselves), queued in the transaction of the grant."""
    from beredt.notify.models import Channel
    from beredt.notify.services import queue_messages
    from beredt.notify.tasks import deliver_messages

    incident = assignment.incident
    leads = [a.user for a in selectors.leads_of(incident).exclude(user=assignment.user)]
    if not leads:
        return
    messages = queue_messages(
        recipients=leads, channels=[Channel.IN_APP, Channel.EMAIL], all_channels=True,
        subject=_("Break-glass access to %(incident)s") % {"incident": incident.title},
        body=_("%(name)s deployed themselves to %(incident)s as %(role)s and can now read "
               "its people and log. Reason: %(reason)s")
        % {"name": assignment.user.display_name, "incident": incident.title,
           "role": assignment.get_role_display(), "reason": assignment.break_glass_reason},
        purpose="break_glass", reference=f"assignment:{assignment.pk}",
        is_exercise=incident.is_exercise,
    )
    if messages:
        deliver_messages.enqueue([m.pk for m in messages])


@transaction.atomic
def release(*, by: User, assignment: Assignment) -> Assignment:
    if not selectors.can_manage(by, assignment.incident):
        raise Forbidden(_("Only the incident's lead can release people."))
    if assignment.released_at is None:
        assignment.released_at = timezone.now()
        assignment.save(update_fields=["released_at"])
        audit.record(action=audit.AuditAction.UPDATE, obj=assignment, actor=by,
                     fields=["released_at"], extra={"incident": str(assignment.incident_id)})
        add_log_entry(incident=assignment.incident, author=by, kind=LogKind.ASSIGNMENT,
                      text=_("%(name)s released (%(role)s).")
                      % {"name": assignment.user.display_name,
                         "role": assignment.get_role_display()})
    return assignment


def add_log_entry(*, incident: Incident, author: User | None, text: str,
                  kind: str = LogKind.NOTE, corrects: IncidentLogEntry | None = None,
                  ) -> IncidentLogEntry:
    """Append to the incident log. Callers check permission; status changes, assignments and
    every activation step log themselves. A correction points at the entry it corrects."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write the log entry."), code="required", field="text")
    if corrects is not None and corrects.incident_id != incident.pk:
        raise ValidationFailed(_("The corrected entry belongs to another incident."),
                               code="wrong_incident", field="corrects")
    return IncidentLogEntry.objects.create(
        incident=incident, author=author, text=text[:4000],
        kind=LogKind.CORRECTION if corrects is not None else kind, corrects=corrects,
    )


def record_log_view(*, incident: Incident, entries) -> int:
    """Audit that the current user was shown ``entries`` of the incident log (one row naming
    the incident and the entry ids; never the text). Returns how many entries were shown."""
    ids = [e.pk for e in entries]
    if ids:
        audit.record(action=audit.AuditAction.VIEW, object_type="incidents.incidentlogentry",
                     object_id=str(incident.pk), fields=["text"],
                     extra={"incident": str(incident.pk), "entries": ids})
    return len(ids)
