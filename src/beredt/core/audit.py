"""Writing to the audit log: every create/update/delete of personal data and every view,
search or export of it goes through :func:`record`.

Call it inside the transaction that does the work, so the audit row and the change are
saved together or not at all. A service that writes several different rows at once builds
them with :func:`entry` and writes them in one INSERT with :func:`save`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from .middleware import client_ip, current_request
from .models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    # Who acts: a user of AUTH_USER_MODEL (core imports no app of ours), or nobody.
    Actor = AbstractBaseUser | AnonymousUser

__all__ = ["AuditAction", "entry", "record", "record_many", "save"]


def _object_type(obj) -> str:
    return obj._meta.label_lower if isinstance(obj, models.Model) else str(obj)


def _resolve_actor(actor: Actor | None) -> Any:
    """The acting user (of AUTH_USER_MODEL, which core cannot name) or None: ``actor``, else
    the request's signed-in user."""
    if actor is None:
        request = current_request()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return actor if actor is not None and getattr(actor, "pk", None) else None


def entry(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    fields: Iterable[str] = (),
    actor: Actor | None = None,
    reason: str = "",
    extra: dict | None = None,
    request=None,
) -> AuditEvent:
    """An unsaved audit row; :func:`save` writes several of them in one INSERT."""
    request = request if request is not None else current_request()
    user = _resolve_actor(actor)
    if obj is not None:
        object_type = object_type or _object_type(obj)
        object_id = obj.pk if object_id is None else object_id
    return AuditEvent(
        action=action,
        actor=user,
        actor_username=getattr(user, "username", "") if user else "",
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        fields=sorted(set(fields)),
        ip=client_ip(request),
        reason=reason,
        extra=extra or {},
    )


def save(entries: Iterable[AuditEvent]) -> int:
    """Write audit rows made by :func:`entry` (one INSERT); returns how many."""
    rows = AuditEvent.objects.bulk_create(list(entries))
    return len(rows)


def record(**kwargs) -> AuditEvent:
    """Write one audit row (the arguments of :func:`entry`)."""
    row = entry(**kwargs)
    row.save()
    return row


def record_many(
    *,
    action: str,
    objects: Iterable[models.Model],
    fields: Iterable[str] = (),
    actor: Actor | None = None,
    extra: dict | None = None,
) -> int:
    """One audit row per object (e.g. each record on a page that was shown or exported)."""
    return save(entry(action=action, obj=obj, fields=fields, actor=actor, extra=extra)
                for obj in objects)
