"""Outreach campaigns: queue one message per consenting person, send them exactly once.

Queueing (:func:`start_campaign`) writes one :class:`~.models.OutreachMessage` per person —
the database's unique (campaign, registration) constraint makes a second one impossible —
and enqueues the sender and its watchdog in the same transaction.

Sending (:func:`send_chunk`, run by ``beredt db_worker --queue-name outreach``):

1. claim up to ``CHUNK`` waiting messages with a claim token and a lease (one UPDATE);
2. per message, in a thread per channel: re-check consent with the registry's
   :func:`~beredt.registry.selectors.may_contact` (at send time, every time), read the
   address from the registration, *prepare* it on the channel, commit ``handing_over`` only
   if the message is still claimed by us (a consent withdrawal cancels it in between), then
   *complete* it (see :mod:`.transports`) and record the result;
3. enqueue the next chunk when messages remain.

The watchdog (:func:`watch`) runs every lease period until the campaign is finished: when
the chain stopped (a killed worker), it enqueues a new chunk. Claimed-but-unfinished
messages of a dead worker are sent again (the channel threw the unfinished message away);
``handing_over`` ones are counted as sent and never sent again.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import Conflict, ValidationFailed
from beredt.incidents.models import Incident, LogKind
from beredt.incidents.services import add_log_entry
from beredt.notify.models import Message
from beredt.notify.services import exercise_text
from beredt.notify.transports import TransportError
from beredt.registry.models import (
    Channel,
    ConsentKind,
    ConsentRecord,
    Registration,
    RegistrationStatus,
)
from beredt.registry.selectors import may_contact

from . import routing, selectors
from .models import Campaign, CampaignStatus, MessageState, MessageTemplate, OutreachMessage
from .transports import two_phase_for

CAMPAIGN_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.DIGITAL_MAIL)
CHUNK = 500
THREADS = {Channel.EMAIL: 4, Channel.SMS: 8, Channel.DIGITAL_MAIL: 2}
MAX_ATTEMPTS = 4
#: Channels send side by side in threads (each with its own database connection). Tests of
#: the logic switch it off to stay inside the test transaction.
THREADED = True


def lease_seconds() -> int:
    return int(getattr(settings, "FOLLOWUP_OUTREACH_LEASE_SECONDS",
                       os.environ.get("BEREDT_OUTREACH_LEASE_SECONDS", "60")))


# --- Templates --------------------------------------------------------------------------

def template_keys() -> list[str]:
    return sorted(set(MessageTemplate.objects.values_list("key", flat=True)))


def render(campaign: Campaign, language: str, templates: dict) -> tuple[str, str]:
    """Subject and text in the person's language (English, then Danish as fall-backs)."""
    base = (language or "da").split("-")[0].lower()
    tpl = templates.get(base) or templates.get("en") or templates.get("da")
    if tpl is None:
        raise ValidationFailed(_("The template has no text."), code="no_template",
                               field="template_key")
    conf = routing.settings_for(campaign.incident)
    values = {"incident": campaign.incident.title, "hotline": conf.hotline or "–",
              "website": conf.website or "–", "sender": campaign.incident.lead_organisation.name}
    subject = tpl.subject.format_map(values)
    body = tpl.body.format_map(values)
    return (exercise_text(subject, campaign.incident.is_exercise),
            exercise_text(body, campaign.incident.is_exercise))


# --- Queueing ---------------------------------------------------------------------------

def _consented(incident: Incident, only: set | None) -> dict:
    """{registration id: channels} for the active people of the incident with an active
    consent to registration and to follow-up contact — a bulk pre-selection; the
    authoritative check (:func:`may_contact`) runs again for each message at send time."""
    regs = Registration.objects.filter(incident=incident, status=RegistrationStatus.ACTIVE)
    if only is not None:
        regs = regs.filter(pk__in=only)
    rows = dict(regs.values_list("pk", "preferred_language"))
    group = {pk: pk for pk in rows}
    for merged, root in Registration.objects.filter(merged_into_id__in=list(rows)).values_list(
            "pk", "merged_into_id"):
        group[merged] = root
    consents = ConsentRecord.objects.filter(registration_id__in=list(group),
                                            withdrawn_at__isnull=True).values_list(
        "registration_id", "kind", "channels")
    has_reg: set = set()
    channels: dict = {}
    for reg_id, kind, chans in consents.iterator(chunk_size=5000):
        root = group[reg_id]
        if kind == ConsentKind.REGISTRATION:
            has_reg.add(root)
        elif kind == ConsentKind.FOLLOWUP:
            channels.setdefault(root, set()).update(chans or [])
    return {pk: (channels[pk], rows[pk]) for pk in rows if pk in has_reg and channels.get(pk)}


@transaction.atomic
def start_campaign(*, by, incident: Incident, name: str, template_key: str, channels: list,
                   registration_ids: list | None = None, max_per_minute: int = 600) -> Campaign:
    """Queue the campaign: one message per consenting person on the first of ``channels``
    (in the given order) the person consented to."""
    if not selectors.can_send(by, incident):
        from beredt.core.errors import Forbidden

        raise Forbidden(_("Only the incident's lead, KOP or follow-up coordinator may do this."))
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Name the campaign."), code="required", field="name")
    channels = [c for c in dict.fromkeys(channels or [])]
    if not channels or any(c not in CAMPAIGN_CHANNELS for c in channels):
        raise ValidationFailed(_("Choose SMS, e-mail and/or digital mail."),
                               code="invalid_choice", field="channels")
    templates = {t.language: t for t in MessageTemplate.objects.filter(key=template_key)}
    if not templates:
        raise ValidationFailed(_("Unknown template."), code="invalid_choice",
                               field="template_key")
    if not 1 <= int(max_per_minute) <= 1_000_000:
        raise ValidationFailed(_("Give a rate between 1 and 1,000,000 per minute."),
                               code="out_of_range", field="max_per_minute")
    if not incident.is_open:
        raise Conflict(_("The incident is closed."), code="incident_closed")
    campaign = Campaign.objects.create(
        incident=incident, name=name[:200], template_key=template_key, channels=channels,
        max_per_minute=max_per_minute, created_by=by)
    only = {uuid.UUID(str(x)) for x in registration_ids} if registration_ids else None
    rows = []
    for reg_id, (allowed, language) in _consented(incident, only).items():
        channel = next((c for c in channels if c in allowed), None)
        if channel:
            rows.append(OutreachMessage(campaign=campaign, registration_id=reg_id,
                                        channel=channel, language=language or "da"))
    OutreachMessage.objects.bulk_create(rows, batch_size=2000)
    audit.record(action=AuditAction.CREATE, obj=campaign, actor=by,
                 fields=["channels", "template_key"], extra={"recipients": len(rows)})
    add_log_entry(incident=incident, author=by, kind=LogKind.NOTE, text=_(
        "Follow-up: outreach campaign \"%(name)s\" to %(n)s people queued.") % {
        "name": campaign.name, "n": len(rows)})
    _enqueue_chunk(campaign)
    _enqueue_watch(campaign)
    return campaign


@transaction.atomic
def cancel_campaign(*, by, campaign: Campaign) -> Campaign:
    if not selectors.can_send(by, campaign.incident):
        from beredt.core.errors import Forbidden

        raise Forbidden()
    campaign.messages.filter(status__in=[MessageState.PENDING, MessageState.CLAIMED]).update(
        status=MessageState.CANCELLED, last_error="campaign cancelled")
    campaign.status, campaign.finished_at = CampaignStatus.CANCELLED, timezone.now()
    campaign.save(update_fields=["status", "finished_at"])
    return campaign


def _enqueue_chunk(campaign: Campaign) -> None:
    from .tasks import send_campaign_chunk

    send_campaign_chunk.enqueue(str(campaign.pk))


def _enqueue_watch(campaign: Campaign) -> None:
    from .tasks import watch_campaign

    watch_campaign.using(
        run_after=timezone.now() + dt.timedelta(seconds=lease_seconds())
    ).enqueue(str(campaign.pk))


# --- Consent withdrawal (registry hook) ---------------------------------------------------

def cancel_pending_outreach(*, registration, kinds, channels, by) -> int:
    """Registered with the registry: a withdrawal stops this person's waiting messages in
    the same transaction. A message already claimed by a worker is stopped too: the worker
    commits "handing over" only if the message is still claimed by it."""
    from beredt.registry.selectors import person_group

    ids = [r.pk for r in person_group(registration)]
    qs = OutreachMessage.objects.filter(registration_id__in=ids, status__in=[
        MessageState.PENDING, MessageState.CLAIMED])
    if not ({ConsentKind.REGISTRATION, ConsentKind.FOLLOWUP} & set(kinds)):
        return 0
    if ConsentKind.REGISTRATION not in kinds and channels:
        qs = qs.filter(channel__in=list(channels))
    return qs.update(status=MessageState.CANCELLED, claim=None,
                     last_error="consent withdrawn")


# --- Sending ----------------------------------------------------------------------------

class _Throttle:
    """At most ``per_minute`` messages, spread evenly, shared by the threads."""

    def __init__(self, per_minute: int):
        self.gap = 60.0 / per_minute if per_minute else 0.0
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.gap:
            return
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next)
            self.next = slot + self.gap
        if slot > now:
            time.sleep(slot - now)


def _recover(campaign: Campaign) -> None:
    """Messages of a dead worker: 'handing_over' past the lease counts as sent."""
    OutreachMessage.objects.filter(
        campaign=campaign, status=MessageState.HANDING_OVER, claimed_until__lt=timezone.now()
    ).update(status=MessageState.SENT, sent_at=timezone.now(),
             last_error="outcome not confirmed (worker stopped)")


def chunk_size(campaign: Campaign) -> int:
    """A chunk must finish well within the lease, also when throttled."""
    per_lease = campaign.max_per_minute * lease_seconds() // 120
    return max(1, min(CHUNK, per_lease))


def _claim(campaign: Campaign, size: int) -> tuple[uuid.UUID, list[int]]:
    token, now = uuid.uuid4(), timezone.now()
    stale = Q(status=MessageState.CLAIMED, claimed_until__lt=now)
    ids = list(OutreachMessage.objects.filter(
        Q(status=MessageState.PENDING) | stale, campaign=campaign).order_by("id")
        .values_list("pk", flat=True)[:size])
    if not ids:
        return token, []
    with transaction.atomic():
        OutreachMessage.objects.filter(Q(status=MessageState.PENDING) | stale, pk__in=ids).update(
            status=MessageState.CLAIMED, claim=token,
            claimed_until=now + dt.timedelta(seconds=lease_seconds()))
        Campaign.objects.filter(pk=campaign.pk).update(last_progress_at=now)
    return token, list(OutreachMessage.objects.filter(claim=token, status=MessageState.CLAIMED)
                       .values_list("pk", flat=True))


def _address(registration: Registration, channel: str) -> str:
    if channel == Channel.EMAIL:
        return registration.email
    if channel == Channel.SMS:
        return "".join(registration.phone.split())
    if channel == Channel.DIGITAL_MAIL:
        return registration.cpr
    return ""


def _finish(pk: int, token, **values) -> None:
    OutreachMessage.objects.filter(pk=pk, claim=token).update(**values)


class _Ledger:
    """Group commit of the hand-over marks. A thread with a prepared message calls
    :meth:`hand_over`; whoever finds no commit running commits every waiting mark (and the
    "sent" results collected so far) in one transaction, then wakes the others. Only
    messages still claimed by this chunk are marked: a consent withdrawal in between
    cancels the message, and its thread drops the unfinished message."""

    def __init__(self, token):
        self.token = token
        self.lock = threading.Lock()
        self.commit_lock = threading.Lock()
        self.waiting: dict[int, threading.Event] = {}
        self.results: dict[int, bool] = {}
        self.sent: list[tuple[int, str]] = []

    def hand_over(self, pk: int) -> bool:
        event = threading.Event()
        with self.lock:
            self.waiting[pk] = event
        while not event.is_set():
            if self.commit_lock.acquire(blocking=False):
                try:
                    self._commit()
                finally:
                    self.commit_lock.release()
            else:
                event.wait(0.002)
        with self.lock:
            return self.results.pop(pk)

    def done(self, pk: int, provider_id: str) -> None:
        with self.lock:
            self.sent.append((pk, provider_id))

    def _commit(self) -> None:
        with self.lock:
            batch, self.waiting = self.waiting, {}
            sent, self.sent = self.sent, []
        if not batch and not sent:
            return
        now = timezone.now()
        with transaction.atomic():
            ok = set(OutreachMessage.objects.select_for_update().filter(
                pk__in=list(batch), claim=self.token, status=MessageState.CLAIMED,
            ).values_list("pk", flat=True))
            if ok:
                OutreachMessage.objects.filter(pk__in=ok).update(
                    status=MessageState.HANDING_OVER, attempts=F("attempts") + 1)
            if sent:
                OutreachMessage.objects.bulk_update(
                    [OutreachMessage(pk=pk, status=MessageState.SENT, sent_at=now,
                                     provider_id=pid, last_error="") for pk, pid in sent],
                    ["status", "sent_at", "provider_id", "last_error"], batch_size=500)
        with self.lock:
            for pk, event in batch.items():
                self.results[pk] = pk in ok
                event.set()

    def flush(self) -> None:
        with self.commit_lock:
            self._commit()


def _send_one(campaign, templates, transport, throttle, ledger: _Ledger,
              msg: OutreachMessage) -> str:
    reg = msg.registration
    if not may_contact(reg, msg.channel):  # the registry's check, at send time, every time
        _finish(msg.pk, ledger.token, status=MessageState.CANCELLED,
                last_error="no consent at send time")
        return "cancelled"
    if msg.language not in templates["_rendered"]:
        templates["_rendered"][msg.language] = render(campaign, msg.language, templates)
    subject, body = templates["_rendered"][msg.language]
    letter = Message(channel=msg.channel, address=_address(reg, msg.channel), subject=subject,
                     body=body, purpose="outreach", reference=f"outreach:{msg.pk}",
                     is_exercise=campaign.incident.is_exercise)
    throttle.wait()
    try:
        prepared = transport.prepare(letter)
    except TransportError as exc:
        return _failed(msg, ledger.token, exc)
    if not ledger.hand_over(msg.pk):  # cancelled (consent withdrawn) or taken over
        prepared.abort()
        return "cancelled"
    try:
        provider_id = prepared.complete()
    except TransportError as exc:
        return _failed(msg, ledger.token, exc, handed=True)
    ledger.done(msg.pk, provider_id)
    return "sent"


def _failed(msg, token, exc: TransportError, *, handed: bool = False) -> str:
    attempts = msg.attempts + 1  # the hand-over mark, if made, counted the same attempt
    final = exc.permanent or attempts >= MAX_ATTEMPTS
    _finish(msg.pk, token, status=MessageState.FAILED if final else MessageState.PENDING,
            attempts=attempts, last_error=exc.message[:300], claim=None)
    return "failed" if final else "retry"


def send_chunk(*, campaign_id) -> dict:
    """Claim and send one chunk of a campaign; enqueue the next chunk when work remains."""
    campaign = Campaign.objects.select_related("incident__lead_organisation").filter(
        pk=campaign_id).first()
    if campaign is None or campaign.status != CampaignStatus.SENDING:
        return {"skipped": True}
    _recover(campaign)
    token, ids = _claim(campaign, chunk_size(campaign))
    counts: dict[str, int] = {}
    if ids:
        templates: dict = {t.language: t for t in MessageTemplate.objects.filter(
            key=campaign.template_key)}
        templates["_rendered"] = {}
        throttle = _Throttle(campaign.max_per_minute)
        ledger = _Ledger(token)
        by_channel: dict[str, list[OutreachMessage]] = {}
        for msg in OutreachMessage.objects.filter(pk__in=ids).select_related("registration"):
            by_channel.setdefault(msg.channel, []).append(msg)

        def run(channel: str, messages: list) -> list[str]:
            transport = two_phase_for(channel)
            try:
                return [_send_one(campaign, templates, transport, throttle, ledger, m)
                        for m in messages]
            finally:
                transport.close()
                if threading.current_thread() is not threading.main_thread():
                    connection.close()

        jobs = []
        for channel, messages in by_channel.items():
            n = max(1, min(THREADS.get(channel, 1), len(messages)))
            jobs += [(channel, messages[i::n]) for i in range(n)]
        if THREADED:
            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                outcomes = list(pool.map(lambda job: run(*job), jobs))
        else:
            outcomes = [run(*job) for job in jobs]
        ledger.flush()
        for results in outcomes:
            for r in results:
                counts[r] = counts.get(r, 0) + 1
    _continue_or_finish(campaign)
    return counts


def _continue_or_finish(campaign: Campaign) -> None:
    with transaction.atomic():
        remaining = campaign.messages.filter(status__in=[
            MessageState.PENDING, MessageState.CLAIMED, MessageState.HANDING_OVER])
        if remaining.filter(status=MessageState.PENDING).exists() or remaining.filter(
                status=MessageState.CLAIMED, claimed_until__lt=timezone.now()).exists():
            _enqueue_chunk(campaign)
        elif not remaining.exists():
            updated = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SENDING
                                              ).update(status=CampaignStatus.DONE,
                                                       finished_at=timezone.now())
            if updated:
                add_log_entry(incident=campaign.incident, author=None, kind=LogKind.NOTE,
                              text=_("Follow-up: outreach campaign \"%(name)s\" finished.")
                              % {"name": campaign.name})


def watch(*, campaign_id) -> str:
    """The watchdog: restart a stopped chain, re-arm itself until the campaign is done."""
    close_old_connections()
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or campaign.status != CampaignStatus.SENDING:
        return "finished"
    stalled = campaign.last_progress_at < timezone.now() - dt.timedelta(seconds=lease_seconds())
    with transaction.atomic():
        if stalled:
            _recover(campaign)
            _enqueue_chunk(campaign)
        _enqueue_watch(campaign)
    return "restarted" if stalled else "running"
