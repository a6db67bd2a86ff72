"""Outreach campaigns: queue one message per consenting person, send each one exactly once.

Queueing (:func:`start_campaign`) checks consent for all of the incident's people in a few
set-based queries, writes one :class:`~.models.OutreachMessage` per person with one
``INSERT … SELECT`` per channel — the database's unique (campaign, registration) constraint
makes a second one impossible — and enqueues the sender and its watchdog in the same
transaction.

Sending (:func:`send_chunk`, run by ``beredt db_worker --queue-name outreach``) works in
chunks of up to :data:`CHUNK` messages, one task per chunk:

1. claim the chunk with a claim token and a lease (``SELECT … FOR UPDATE SKIP LOCKED`` on
   PostgreSQL, so several workers can share a campaign; SQLite's write lock does the same);
2. send it in *rounds* — per channel as many messages as the channel has lanes
   (connections), never more than one second's worth of the campaign's rate limit:
   re-check consent for the round in a few set-based queries (at send time, every time),
   *prepare* every message on its lane, commit ``handing_over`` for the messages still
   claimed by us (a consent withdrawal cancels them in between) in one transaction,
   *complete* them (see :mod:`.transports`) and mark the results in one more;
3. enqueue the next chunk when messages remain.

Every message carries an idempotency key, one per (campaign, person)
(:attr:`~.models.OutreachMessage.idempotency_key`). The watchdog (:func:`watch`) runs every
lease period until the campaign is finished: when the chain stopped (a killed worker), it
enqueues a new chunk. A dead worker's claimed-but-unfinished messages are sent again (the
channel threw the unfinished message away); its ``handing_over`` ones — delivered or not,
nobody can know — are sent again with the same key, for the receiver to deduplicate.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import time
import uuid

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
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
from beredt.registry.models import Channel, ConsentKind, Registration, RegistrationStatus

from . import routing, selectors
from .models import Campaign, CampaignStatus, MessageState, MessageTemplate, OutreachMessage
from .transports import REFERENCE_PREFIX, Prepared, TwoPhaseTransport, two_phase_for

CAMPAIGN_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.DIGITAL_MAIL)
CHUNK = 1000
MAX_ATTEMPTS = 4
#: Registrations per INSERT … SELECT when queueing (SQLite allows 32,766 parameters).
INSERT_SLICE = 10_000


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
    people = Registration.objects.filter(incident=incident, status=RegistrationStatus.ACTIVE)
    if registration_ids:
        people = people.filter(pk__in={uuid.UUID(str(x)) for x in registration_ids})
    by_channel: dict[str, list] = {channel: [] for channel in channels}
    for reg_id, allowed in selectors.consented_channels_of(people).items():  # again at sending
        channel = next((c for c in channels if c in allowed), None)
        if channel:
            by_channel[channel].append(reg_id)
    recipients = _queue_messages(campaign, by_channel)
    audit.record(action=AuditAction.CREATE, obj=campaign, actor=by,
                 fields=["channels", "template_key"], extra={"recipients": recipients})
    add_log_entry(incident=incident, author=by, kind=LogKind.NOTE, text=_(
        "Follow-up: outreach campaign \"%(name)s\" to %(n)s people queued.") % {
        "name": campaign.name, "n": recipients})
    _enqueue_chunk(campaign)
    _enqueue_watch(campaign)
    return campaign


def _queue_messages(campaign: Campaign, by_channel: dict[str, list]) -> int:
    """Write the campaign's messages set-based: per channel one ``INSERT … SELECT`` from the
    chosen registrations (their language included), :data:`INSERT_SLICE` ids at a time — no
    model instance, no parameters per person and column. Returns the number of messages."""
    fields = {f.name: f for f in OutreachMessage._meta.concrete_fields}
    quote = connection.ops.quote_name
    rows = {  # column → its value, in the order of the INSERT
        "campaign": Value(campaign.pk, output_field=fields["campaign"].target_field),
        "registration": F("pk"),
        "channel": None,
        "language": Coalesce(NullIf("preferred_language", Value("")), Value("da")),
        "status": Value(MessageState.PENDING.value),
        "attempts": Value(0),
        "last_error": Value(""),
        "provider_id": Value(""),
    }
    head = "INSERT INTO {} ({}) ".format(
        quote(OutreachMessage._meta.db_table),
        ", ".join(quote(fields[name].column) for name in rows))
    total = 0
    with connection.cursor() as cursor:
        for channel, ids in by_channel.items():
            values = {f"_{name}": expr if expr is not None else Value(channel)
                      for name, expr in rows.items()}
            for start in range(0, len(ids), INSERT_SLICE):
                select = (Registration.objects.filter(pk__in=ids[start:start + INSERT_SLICE])
                          .order_by().annotate(**values).values_list(*values))
                sql, params = select.query.sql_with_params()
                cursor.execute(head + sql, params)
                total += cursor.rowcount
    return total


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
    """At most ``per_minute`` messages, spread evenly."""

    def __init__(self, per_minute: int):
        self.gap = 60.0 / per_minute if per_minute else 0.0
        self.next = time.monotonic()

    def wait(self) -> None:
        if not self.gap:
            return
        now = time.monotonic()
        slot = max(now, self.next)
        self.next = slot + self.gap
        if slot > now:
            time.sleep(slot - now)


def _recover(campaign: Campaign) -> None:
    """A dead worker's 'handing_over' messages (past the lease): delivered or not, nobody
    can know — send them again with the same idempotency key (the receiver deduplicates),
    unless they have used up their attempts."""
    stale = OutreachMessage.objects.filter(
        campaign=campaign, status=MessageState.HANDING_OVER, claimed_until__lt=timezone.now())
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=MessageState.FAILED, claim=None,
        last_error="outcome unknown after the last attempt (worker stopped)")
    stale.update(status=MessageState.PENDING, claim=None,
                 last_error="outcome unknown (worker stopped): sent again with the same key")


def chunk_size(campaign: Campaign) -> int:
    """A chunk must finish well within the lease, also when throttled."""
    per_lease = campaign.max_per_minute * lease_seconds() // 120
    return max(1, min(CHUNK, per_lease))


def _lease_end() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=lease_seconds())


@contextlib.contextmanager
def _marks():
    """The transaction of a claim or of a round's marks. On PostgreSQL it commits without
    waiting for the WAL flush (``synchronous_commit`` off for this transaction only; still
    atomic and in order): a database crash can forget the last moments of marks, and the
    messages concerned are then sent again with the same idempotency key — never lost,
    deduplicated by the receiver. A kill of the worker loses nothing committed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def _claim(campaign: Campaign, size: int) -> tuple[uuid.UUID, list[OutreachMessage]]:
    """Claim up to ``size`` waiting messages (or a dead worker's unfinished ones) for this
    chunk, skipping rows another worker is claiming right now."""
    token, now = uuid.uuid4(), timezone.now()
    waiting = OutreachMessage.objects.filter(
        Q(status=MessageState.PENDING) | Q(status=MessageState.CLAIMED, claimed_until__lt=now),
        campaign=campaign).order_by("id")
    with _marks():
        if connection.features.has_select_for_update_skip_locked:
            waiting = waiting.select_for_update(skip_locked=True)
        ids = list(waiting.values_list("pk", flat=True)[:size])
        if not ids:
            return token, []
        OutreachMessage.objects.filter(pk__in=ids).update(
            status=MessageState.CLAIMED, claim=token, claimed_until=_lease_end())
        Campaign.objects.filter(pk=campaign.pk).update(last_progress_at=now)
    messages = OutreachMessage.objects.filter(pk__in=ids).select_related("registration").only(
        *(f.name for f in OutreachMessage._meta.concrete_fields),
        "registration__email", "registration__phone", "registration__cpr")
    return token, list(messages)


def _address(registration: Registration, channel: str) -> str:
    if channel == Channel.EMAIL:
        return registration.email
    if channel == Channel.SMS:
        return "".join(registration.phone.split())
    if channel == Channel.DIGITAL_MAIL:
        return registration.cpr
    return ""


class _Chunk:
    """Sends one claimed chunk round by round (see the module docstring)."""

    def __init__(self, campaign: Campaign, token: uuid.UUID):
        self.campaign, self.token = campaign, token
        self.templates = {t.language: t for t in MessageTemplate.objects.filter(
            key=campaign.template_key)}
        self.texts: dict[str, tuple[str, str]] = {}
        self.throttle = _Throttle(campaign.max_per_minute)
        self.per_round = max(1, campaign.max_per_minute // 60)  # one second's worth
        self.transports: dict = {}
        self.counts: collections.Counter = collections.Counter()
        self.renewed = time.monotonic()

    def close(self) -> None:
        for transport in self.transports.values():
            transport.close()

    def _transport(self, channel: str):
        if channel not in self.transports:
            self.transports[channel] = two_phase_for(channel)
        return self.transports[channel]

    def _lanes(self, channel: str) -> int:
        try:
            return self._transport(channel).lanes
        except TransportError:  # an unknown channel: its messages fail in the round
            return 1

    def send(self, messages: list[OutreachMessage]) -> dict:
        """Check consent for the chunk, then send it in rounds of up to one message per lane
        of each channel, at most one second's worth of the rate limit."""
        allowed = selectors.consented_channels_of(  # the registry's rule, at send time
            m.registration_id for m in messages)
        refused = [m for m in messages if m.channel not in allowed.get(m.registration_id, ())]
        self._mark(refused, "cancelled", status=MessageState.CANCELLED,
                   last_error="no consent at send time")
        queues: dict[str, collections.deque] = {}
        for msg in messages:
            if msg not in refused:
                queues.setdefault(msg.channel, collections.deque()).append(msg)
        while any(queues.values()):
            batch, room = {}, self.per_round
            for channel, queue in queues.items():
                take = min(len(queue), self._lanes(channel), room)
                if take:
                    batch[channel] = [queue.popleft() for _ in range(take)]
                    room -= take
            self._round(batch)
        return dict(self.counts)

    def _round(self, batch: dict[str, list[OutreachMessage]]) -> None:
        prepared: list[tuple[OutreachMessage, Prepared]] = []
        for channel, msgs in batch.items():
            try:
                transport = self._transport(channel)
            except TransportError as exc:
                self._failed(msgs, exc)
                continue
            letters = []
            for msg in msgs:
                self.throttle.wait()
                letters.append(self._letter(msg))
            for msg, result in zip(msgs, transport.prepare_many(letters), strict=True):
                if isinstance(result, TransportError):
                    self._failed([msg], result)
                else:
                    prepared.append((msg, result))
        handed = self._hand_over([msg.pk for msg, _item in prepared])
        for msg, item in prepared:
            if msg.pk not in handed:  # cancelled (consent withdrawn) or taken over
                item.abort()
                self.counts["cancelled"] += 1
        prepared = [(msg, item) for msg, item in prepared if msg.pk in handed]
        sent: list[tuple[OutreachMessage, str]] = []
        results = TwoPhaseTransport.complete_many([item for _msg, item in prepared])
        for (msg, _item), result in zip(prepared, results, strict=True):
            if isinstance(result, TransportError):
                self._failed([msg], result, handed=True)
            else:
                sent.append((msg, result))
        self._sent(sent)

    def _letter(self, msg: OutreachMessage) -> Message:
        if msg.language not in self.texts:
            self.texts[msg.language] = render(self.campaign, msg.language, self.templates)
        subject, body = self.texts[msg.language]
        return Message(channel=msg.channel, address=_address(msg.registration, msg.channel),
                       subject=subject, body=body, purpose="outreach",
                       reference=f"{REFERENCE_PREFIX}{msg.idempotency_key}",
                       is_exercise=self.campaign.incident.is_exercise)

    def _hand_over(self, pks: list[int]) -> set[int]:
        """Commit 'handing over' for the messages still claimed by this chunk; renew the
        lease of the rest of the chunk every third of a lease."""
        if not pks:
            return set()
        renew = time.monotonic() - self.renewed > lease_seconds() / 3
        with _marks():
            ok = set(OutreachMessage.objects.select_for_update().filter(
                pk__in=pks, claim=self.token, status=MessageState.CLAIMED,
            ).values_list("pk", flat=True))
            if ok:
                OutreachMessage.objects.filter(pk__in=ok).update(
                    status=MessageState.HANDING_OVER, attempts=F("attempts") + 1,
                    claimed_until=_lease_end())
            if renew:
                OutreachMessage.objects.filter(claim=self.token, status=MessageState.CLAIMED
                                               ).update(claimed_until=_lease_end())
                Campaign.objects.filter(pk=self.campaign.pk).update(
                    last_progress_at=timezone.now())
                self.renewed = time.monotonic()
        return ok

    def _sent(self, sent: list[tuple[OutreachMessage, str]]) -> None:
        """Mark the round sent, each with its provider id: one statement, executed for many
        rows (``bulk_update`` spends longer building its CASE than the database running
        it)."""
        if not sent:
            return
        quote = connection.ops.quote_name
        fields = {f.name: f for f in OutreachMessage._meta.concrete_fields}
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from the model
            quote(OutreachMessage._meta.db_table),
            ", ".join(f"{quote(fields[name].column)} = %s"
                      for name in ("status", "sent_at", "provider_id", "last_error")),
            quote(fields["id"].column))
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with _marks(), connection.cursor() as cursor:
            cursor.executemany(sql, [(MessageState.SENT.value, now, provider_id, "", msg.pk)
                                     for msg, provider_id in sent])
        self.counts["sent"] += len(sent)

    def _failed(self, msgs: list[OutreachMessage], exc: TransportError, *,
                handed: bool = False) -> None:
        for msg in msgs:
            attempts = msg.attempts + 1  # the hand-over mark, if made, counted the same one
            final = exc.permanent or attempts >= MAX_ATTEMPTS
            self._mark([msg], "failed" if final else "retry",
                       status=MessageState.FAILED if final else MessageState.PENDING,
                       attempts=attempts, last_error=exc.message[:300], claim=None)

    def _mark(self, msgs: list[OutreachMessage], outcome: str, **values) -> None:
        if msgs:
            OutreachMessage.objects.filter(pk__in=[m.pk for m in msgs], claim=self.token
                                           ).update(**values)
            self.counts[outcome] += len(msgs)


def send_chunk(*, campaign_id) -> dict:
    """Claim and send one chunk of a campaign; enqueue the next chunk when work remains."""
    campaign = Campaign.objects.select_related("incident__lead_organisation").filter(
        pk=campaign_id).first()
    if campaign is None or campaign.status != CampaignStatus.SENDING:
        return {"skipped": True}
    _recover(campaign)
    token, messages = _claim(campaign, chunk_size(campaign))
    counts: dict = {}
    if messages:
        chunk = _Chunk(campaign, token)
        try:
            counts = chunk.send(messages)
        finally:
            chunk.close()
    _continue_or_finish(campaign)
    return counts


def _continue_or_finish(campaign: Campaign) -> None:
    with transaction.atomic():
        remaining = campaign.messages.filter(status__in=[
            MessageState.PENDING, MessageState.CLAIMED, MessageState.HANDING_OVER])
        if remaining.filter(status=MessageState.PENDING).exists() or remaining.filter(
                status__in=[MessageState.CLAIMED, MessageState.HANDING_OVER],
                claimed_until__lt=timezone.now()).exists():
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
