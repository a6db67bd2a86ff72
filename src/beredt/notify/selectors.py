from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Channel, Message

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from beredt.accounts.models import User


def inbox_of(user: User | AnonymousUser | None) -> QuerySet[Message]:
    """In-app messages of the user, newest first."""
    if not (user and user.is_authenticated):
        return Message.objects.none()
    return Message.objects.filter(recipient=user, channel=Channel.IN_APP, status="sent")


def unread_count(user: User | AnonymousUser | None) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


def delivery_log(reference: str) -> QuerySet[Message]:
    """Messages sent for one reference (e.g. ``incident:<uuid>``) with their attempts."""
    return (
        Message.objects.filter(reference=reference)
        .select_related("recipient")
        .prefetch_related("deliveries")
        .order_by("created_at", "id")
    )
