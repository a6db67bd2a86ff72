"""Writing to the audit log: every create/update/delete of personal data and every view,
search or export of it goes through :func:`record`.

Call it inside the transaction that does the work, so the audit row and the change are
saved together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from .middleware import client_ip, current_request
from .models import AuditAction, AuditEvent

__all__ = ["AuditAction", "record", "record_many"]


def _object_type(obj) -> str:
    return obj._meta.label_lower if isinstance(obj, models.Model) else str(obj)


def _resolve_actor(actor):
    if actor is None:
        request = current_request()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return actor if actor is not None and getattr(actor, "pk", None) else None


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    fields: Iterable[str] = (),
    actor=None,
    reason: str = "",
    extra: dict | None = None,
    request=None,
) -> AuditEvent:
    request = request if request is not None else current_request()
    actor = _resolve_actor(actor)
    if obj is not None:
        object_type = object_type or _object_type(obj)
        object_id = obj.pk if object_id is None else object_id
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_username=getattr(actor, "username", "") if actor else "",
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        fields=sorted(set(fields)),
        ip=client_ip(request),
        reason=reason,
        extra=extra or {},
    )


def record_many(
    *,
    action: str,
    objects: Iterable[models.Model],
    fields: Iterable[str] = (),
    actor=None,
    extra: dict | None = None,
) -> int:
    """One audit row per object (e.g. each record on a page that was shown or exported)."""
    request = current_request()
    actor = _resolve_actor(actor)
    field_list = sorted(set(fields))
    rows = [
        AuditEvent(
            action=action,
            actor=actor,
            actor_username=getattr(actor, "username", "") if actor else "",
            object_type=_object_type(obj),
            object_id=str(obj.pk),
            fields=field_list,
            ip=client_ip(request),
            extra=extra or {},
        )
        for obj in objects
    ]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)
