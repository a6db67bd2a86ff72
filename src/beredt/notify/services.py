"""Queue and deliver messages: retries with backoff, fall-over, the delivery log.

``queue_messages`` writes :class:`Message` rows (call it inside the caller's transaction and
enqueue :func:`beredt.notify.tasks.deliver_messages` there too, so the messages leave only if
the data that caused them is committed). ``deliver`` does the sending; it is the only place
that retries:

* a temporary :class:`~beredt.notify.transports.TransportError` is retried up to
  ``NOTIFY_MAX_ATTEMPTS`` times, waiting ``NOTIFY_BACKOFF_SECONDS × 2ⁿ`` between rounds;
* a permanent error, or temporary errors until the attempts run out, mark the message
  failed and, when it has ``fallback_channels``, queue the same text on the next channel
  the recipient has an address for, and deliver that at once.

Every try is a :class:`DeliveryAttempt` row: the delivery log of the message.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import hooks
from .models import Channel, DeliveryAttempt, DeliveryReceipt, Message, MessageStatus
from .transports import TransportError, transport_for

if TYPE_CHECKING:
    from beredt.accounts.models import User

EXERCISE_PREFIX = "ØVELSE"


def exercise_text(text: str, is_exercise: bool) -> str:
    """Exercise messages start with "ØVELSE" so nobody mistakes them for the real thing."""
    if is_exercise and not text.startswith(EXERCISE_PREFIX):
        return f"{EXERCISE_PREFIX}: {text}"
    return text


def address_for(user: User, channel: str) -> str:
    try:
        return transport_for(channel).address_for(user)
    except TransportError:
        return ""


def queue_messages(
    *,
    recipients: Iterable[User],
    channels: Iterable[str],
    subject: str,
    body: str,
    purpose: str = "",
    reference: str = "",
    is_exercise: bool = False,
    all_channels: bool = True,
    bodies: dict | None = None,
    abouts: dict | None = None,
) -> list[Message]:
    """Create queued messages for users.

    ``all_channels=True``: one message per channel the user has an address for (alarms go
    out everywhere at once). ``False``: one message on the first channel with an address;
    the others are its fall-backs, in order. ``bodies`` may give a per-user text
    (``{user.pk: text}``), e.g. with a personal acknowledgement link; ``abouts`` what each
    user's messages are about (``{user.pk: "callout:12"}``), to show their delivery there.
    """
    channels = list(channels)
    subject = exercise_text(subject, is_exercise)
    rows: list[Message] = []
    for user in recipients:
        text = exercise_text((bodies or {}).get(user.pk, body), is_exercise)
        usable = [c for c in channels if address_for(user, c)]
        if not usable:
            continue
        chosen = usable if all_channels else usable[:1]
        for channel in chosen:
            rows.append(
                Message(
                    channel=channel,
                    recipient=user,
                    address=address_for(user, channel),
                    subject=subject,
                    body=text,
                    purpose=purpose,
                    reference=reference,
                    about=(abouts or {}).get(user.pk, ""),
                    is_exercise=is_exercise,
                    fallback_channels=[] if all_channels else usable[1:],
                )
            )
    return Message.objects.bulk_create(rows)


def queue_webhook(
    *,
    url: str,
    subject: str,
    body: str,
    purpose: str = "",
    reference: str = "",
    is_exercise: bool = False,
) -> Message:
    return Message.objects.create(
        channel=Channel.WEBHOOK,
        address=url,
        subject=exercise_text(subject, is_exercise),
        body=exercise_text(body, is_exercise),
        purpose=purpose,
        reference=reference,
        is_exercise=is_exercise,
    )


def _round(batch: list[Message]) -> list[tuple[Message, str | TransportError, int]]:
    """One attempt for every message of the batch; channels run side by side."""
    groups: dict[str, list[Message]] = {}
    for message in batch:
        groups.setdefault(message.channel, []).append(message)

    def run(channel: str) -> list[tuple[Message, str | TransportError, int]]:
        messages = groups[channel]
        started = time.monotonic()
        try:
            results = transport_for(channel).notify_many(messages)
        except TransportError as exc:
            results = [exc] * len(messages)
        elapsed = int((time.monotonic() - started) * 1000 / max(1, len(messages)))
        return [(m, r, elapsed) for m, r in zip(messages, results, strict=True)]

    if len(groups) == 1:
        return run(next(iter(groups)))
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        return [row for part in pool.map(run, list(groups)) for row in part]


def deliver(message_ids: Iterable[int]) -> list[Message]:
    """Send queued messages (retries, backoff, fall-over). Returns the messages handled,
    fall-backs included. Network I/O runs in threads; database writes stay here."""
    pending = list(
        Message.objects.filter(
            pk__in=list(message_ids), status=MessageStatus.QUEUED
        ).select_related("recipient")
    )
    handled: list[Message] = list(pending)
    max_attempts = max(1, settings.NOTIFY_MAX_ATTEMPTS)
    failed: list[Message] = []
    for attempt in range(max_attempts):
        if not pending:
            break
        if attempt:
            time.sleep(settings.NOTIFY_BACKOFF_SECONDS * 2 ** (attempt - 1))
        results = _round(pending)
        now = timezone.now()
        log, retry, settled = [], [], []
        for message, result, ms in results:
            message.attempts += 1
            if isinstance(result, TransportError):
                message.last_error = result.message[:500]
                log.append(
                    DeliveryAttempt(
                        message=message,
                        ok=False,
                        permanent=result.permanent,
                        error=result.message[:500],
                        duration_ms=ms,
                    )
                )
                if result.permanent or attempt == max_attempts - 1:
                    message.status = MessageStatus.FAILED
                    failed.append(message)
                    settled.append(message)
                else:
                    retry.append(message)
            else:
                message.status, message.sent_at = MessageStatus.SENT, now
                message.provider_id = result
                log.append(DeliveryAttempt(message=message, ok=True, duration_ms=ms))
        with transaction.atomic():
            DeliveryAttempt.objects.bulk_create(log)
            Message.objects.bulk_update(
                [m for m, _r, _ms in results],
                ["attempts", "last_error", "status", "sent_at", "provider_id"],
                batch_size=500,
            )
            _apply_held_receipts([m for m, _r, _ms in results])
            hooks.outcome(settled)
        pending = retry
    fallbacks = _queue_fallbacks(failed)
    if fallbacks:
        handled.extend(deliver([m.pk for m in fallbacks]))
    return handled


def _queue_fallbacks(failed: list[Message]) -> list[Message]:
    rows = []
    for message in failed:
        if message.recipient is None:
            continue
        for i, channel in enumerate(message.fallback_channels):
            address = address_for(message.recipient, channel)
            if address:
                rows.append(
                    Message(
                        channel=channel,
                        recipient=message.recipient,
                        address=address,
                        subject=message.subject,
                        body=message.body,
                        purpose=message.purpose,
                        reference=message.reference,
                        about=message.about,
                        is_exercise=message.is_exercise,
                        fallback_channels=message.fallback_channels[i + 1 :],
                        fallback_of=message,
                    )
                )
                break
    return Message.objects.bulk_create(rows) if rows else []


def mark_read(*, user: User, message: Message) -> Message:
    if message.recipient_id != user.pk:
        from beredt.core.errors import Forbidden

        raise Forbidden("Not your message.")
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


# --- Delivery receipts ----------------------------------------------------------------------
#: Gateway words for "it reached the phone" and "it never will"; anything else (e.g.
#: "buffered", "accepted") is recorded but moves nothing.
RECEIPT_DELIVERED = {"delivered", "delivrd"}
RECEIPT_FAILED = {"failed", "undeliverable", "undeliv", "rejected", "expired"}
#: Statuses a receipt may move on from (others — e.g. one a newer sender adds — stay put
#: unless the receipt is "delivered", which is the final word).
RECEIPT_MOVES_FROM = {MessageStatus.QUEUED, MessageStatus.SENT}


@transaction.atomic
def record_receipt(
    *, channel: str, provider_id: str, status: str, error: str = "", reference: str = ""
) -> tuple[Message, bool]:
    """Apply a gateway's delivery report. Returns ``(message, changed)``; a report seen
    before (same gateway id and status) changes nothing. Raises ``NotFound`` for a message
    Beredt did not send and ``ValidationFailed`` for a report without id or status."""
    from django.utils.translation import gettext as _

    from beredt.core.errors import NotFound, ValidationFailed

    provider_id, status = (provider_id or "").strip()[:200], (status or "").strip().lower()
    if not provider_id:
        raise ValidationFailed(_("The receipt has no message id."), code="required", field="id")
    if not status or len(status) > 20:
        raise ValidationFailed(_("The receipt has no status."), code="required", field="status")
    messages = Message.objects.select_for_update().filter(channel=channel)
    message = messages.filter(provider_id=provider_id).order_by("-id").first()
    if message is None and reference.isdigit():
        message = messages.filter(pk=int(reference), provider_id__in=["", provider_id]).first()
    if message is None:
        raise NotFound(_("No message with that id."), code="unknown_message")
    _receipt, created = DeliveryReceipt.objects.get_or_create(
        channel=channel,
        provider_id=provider_id,
        status=status,
        defaults={"message": message, "error": (error or "")[:500]},
    )
    if not created or message.status == MessageStatus.QUEUED:
        # Seen before; or faster than the sender's own bookkeeping (the gateway reported
        # before ``deliver`` marked the message sent): kept, applied by ``deliver``.
        return message, False
    return message, _apply_receipt(message, status, error, provider_id)


def _apply_receipt(message: Message, status: str, error: str, provider_id: str = "") -> bool:
    now, changed = timezone.now(), False
    if status in RECEIPT_DELIVERED and message.status != MessageStatus.DELIVERED:
        message.status, message.delivered_at = MessageStatus.DELIVERED, now
        message.sent_at = message.sent_at or now
        changed = True
    elif status in RECEIPT_FAILED and message.status in RECEIPT_MOVES_FROM:
        message.status = MessageStatus.FAILED
        message.last_error = f"receipt: {error or status}"[:500]
        changed = True
    if changed:
        message.provider_id = message.provider_id or provider_id
        message.save(
            update_fields=["status", "delivered_at", "sent_at", "last_error", "provider_id"]
        )
        hooks.outcome([message])
    return changed


def _apply_held_receipts(messages: list[Message]) -> None:
    """Receipts that arrived while their message was still being handed over; called in
    the transaction that marks the messages sent ("delivered" wins over "failed")."""
    ids = [m.pk for m in messages if m.status == MessageStatus.SENT]
    if not ids:
        return
    held: dict[int, DeliveryReceipt] = {}
    for receipt in DeliveryReceipt.objects.filter(message_id__in=ids).order_by("id"):
        if receipt.message_id not in held or receipt.status in RECEIPT_DELIVERED:
            held[receipt.message_id] = receipt
    for message in messages:
        found = held.get(message.pk)
        if found is not None:
            _apply_receipt(message, found.status, found.error, found.provider_id)
