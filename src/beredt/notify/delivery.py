"""Delivery status as people read it: one line per channel with a reason in the user's
language, and whether a person was reached at all.

A person's messages on the external channels (SMS, e-mail) sum up as *delivered* (a
gateway reported one delivered), *sent* (a server or gateway accepted one), *being sent*,
or *not reached*: every external message failed, or the person has no phone number or
e-mail address. The
in-app message alone does not count: at 3 a.m. nobody watches the inbox.

Statuses this module does not know (e.g. ``unknown`` — handed over, outcome not known) are
shown with their own label and count as "still open", never as reached or failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import EXTERNAL_CHANNELS, Channel, Message, MessageStatus

NOT_REACHED = "not_reached"
NO_CHANNEL = "no_channel"
PENDING = "pending"
SENT = "sent"
DELIVERED = "delivered"

REACH_LABELS = {
    NOT_REACHED: gettext_lazy("Not reached"),
    NO_CHANNEL: gettext_lazy("Not reached: no phone or e-mail"),
    PENDING: gettext_lazy("Being sent"),
    SENT: gettext_lazy("Sent"),
    DELIVERED: gettext_lazy("Delivered"),
}

# (start of the transport's error text, reason shown). First match wins.
_REASONS = [
    ("no phone number", gettext_lazy("no phone number")),
    ("no e-mail address", gettext_lazy("no e-mail address")),
    ("no URL configured", gettext_lazy("no SMS gateway is set up")),
    ("SMTP connection failed", gettext_lazy("the mail server could not be reached")),
    ("recipient refused", gettext_lazy("the mail server refused the address")),
    ("SMTP 5", gettext_lazy("the mail server refused the message")),
    ("SMTP", gettext_lazy("the mail server did not take the message")),
    ("connection failed", gettext_lazy("the SMS gateway could not be reached")),
    ("HTTP 401", gettext_lazy("the SMS gateway refused Beredt's key")),
    ("HTTP 403", gettext_lazy("the SMS gateway refused Beredt's key")),
    ("HTTP 4", gettext_lazy("the SMS gateway refused the message")),
    ("HTTP 5", gettext_lazy("the SMS gateway has a fault")),
    ("receipt:", gettext_lazy("the phone network could not deliver it")),
    ("in-app messages need a recipient", gettext_lazy("no user account")),
]


def reason(message: Message) -> str:
    """Why a message failed, in the active language ("" when it did not fail)."""
    if message.status != MessageStatus.FAILED:
        return ""
    error = message.last_error or ""
    for start, text in _REASONS:
        if error.startswith(start):
            if start == "receipt:" and error[len(start) :].strip():
                return f"{text} ({error[len(start) :].strip()[:80]})"
            return str(text)
    return _("not delivered")


def status_label(status: str) -> str:
    try:
        return str(MessageStatus(status).label)
    except ValueError:
        return status


@dataclass
class ChannelLine:
    channel: str
    channel_label: str
    status: str
    status_label: str
    reason: str
    at: object = None


@dataclass
class Reach:
    """Where one person's messages about one thing (e.g. a call-out) stand."""

    state: str
    lines: list[ChannelLine] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(REACH_LABELS[self.state])

    @property
    def not_reached(self) -> bool:
        return self.state in (NOT_REACHED, NO_CHANNEL)


def reach_of(messages: list[Message]) -> Reach:
    """Sum up the messages of one person about one thing (the newest per channel wins)."""
    newest: dict[str, Message] = {}
    for m in sorted(messages, key=lambda m: (m.created_at, m.pk or 0)):
        newest[m.channel] = m
    lines = [
        ChannelLine(
            channel=m.channel,
            channel_label=str(Channel(m.channel).label) if m.channel in Channel else m.channel,
            status=m.status,
            status_label=status_label(m.status),
            reason=reason(m),
            at=m.delivered_at or m.sent_at,
        )
        for m in newest.values()
    ]
    external = [m for m in newest.values() if m.channel in EXTERNAL_CHANNELS]
    if not external:
        state = NO_CHANNEL
    elif any(m.status == MessageStatus.DELIVERED for m in external):
        state = DELIVERED
    elif any(m.status == MessageStatus.SENT for m in external):
        state = SENT
    elif all(m.status == MessageStatus.FAILED for m in external):
        state = NOT_REACHED
    else:
        state = PENDING
    order: dict[str, int] = {Channel.SMS: 0, Channel.EMAIL: 1, Channel.IN_APP: 2}
    lines.sort(key=lambda line: order.get(line.channel, 9))
    return Reach(state=state, lines=lines)


def reach_by_about(abouts: list[str]) -> dict[str, Reach]:
    """``{about: Reach}`` for many things at once (one query)."""
    grouped: dict[str, list[Message]] = {a: [] for a in abouts}
    if abouts:
        for m in Message.objects.filter(about__in=abouts).only(
            "id", "about", "channel", "status", "last_error", "created_at", "sent_at",
            "delivered_at",
        ):
            grouped[m.about].append(m)
    return {a: reach_of(ms) for a, ms in grouped.items()}
