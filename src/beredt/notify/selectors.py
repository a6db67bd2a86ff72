from django.db.models import QuerySet

from .models import Channel, Message


def inbox_of(user) -> QuerySet[Message]:
    """In-app messages of the user, newest first."""
    if not (user and user.is_authenticated):
        return Message.objects.none()
    return Message.objects.filter(recipient=user, channel=Channel.IN_APP, status="sent")


def unread_count(user) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


def delivery_log(reference: str) -> QuerySet[Message]:
    """Messages sent for one reference (e.g. ``incident:<uuid>``) with their attempts."""
    return (
        Message.objects.filter(reference=reference)
        .select_related("recipient")
        .prefetch_related("deliveries")
        .order_by("created_at", "id")
    )
