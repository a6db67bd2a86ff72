"""Outreach campaigns: queue one message per consenting person, send each one exactly once.

Queueing (:func:`start_campaign`) checks consent for all of the incident's people in a few
set-based queries, writes one :class:`~.models.OutreachMessage` per person with one
``INSERT … SELECT`` per channel — the database's unique (campaign, registration) constraint
makes a second one impossible — and enqueues the sender and its watchdog in the same
transaction.

Sending (:func:`send_chunk`, run by ``beredt db_worker --queue-name outreach``) works in
short chunks — up to :data:`CHUNK` messages and at most :data:`CHUNK_SECONDS` of sending —
one task per chunk, so an alarm's task never waits long behind a campaign, even on a single
worker (alert tasks also have a higher priority):

1. claim the chunk with a claim token and a lease (``SELECT … FOR UPDATE SKIP LOCKED`` on
   PostgreSQL, so several workers can share a campaign; SQLite's write lock does the same);
2. send it in *rounds* — per channel as many messages as the channel has lanes
   (connections), never more than one second's worth of the campaign's rate limit:
   re-check consent for the round in a few set-based queries (at send time, every time),
   *prepare* every message on its lane, commit ``handing_over`` for the messages still
   claimed by us (a consent withdrawal cancels them in between) in one transaction,
   *complete* them (see :mod:`.transports`) and mark the results in one more;
3. hand the unsent rest of the chunk back when its time is up, and enqueue the next chunk
   when messages remain.

Every message carries an idempotency key, one per (campaign, person)
(:attr:`~.models.OutreachMessage.idempotency_key`). The watchdog (:func:`watch`) runs every
lease period until the campaign is finished: when the chain stopped (a killed worker), it
enqueues a new chunk. A dead worker's claimed-but-unfinished messages are sent again (the
channel threw the unfinished message away); its ``handing_over`` ones are *reconciled*
(:func:`_recover`, :meth:`~.transports.TwoPhaseTransport.reconcile`): the SMS gateway is
asked by reference, the digital-mail outbox looked at; an e-mail whose final dot may have
gone out becomes ``unknown`` ("uvis levering") and waits for a person
(:func:`resolve_unknown`) — mailboxes do not deduplicate, so it is never resent by itself.

A recipient whose data cannot be sent (a preferred language that is no language code, an
address that cannot make a message) is skipped with the reason; the campaign goes on.
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
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Length, NullIf
from django.db.models.lookups import GreaterThan
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
from .transports import (
    DELIVERED,
    REFERENCE_PREFIX,
    RESEND,
    OutcomeUnknown,
    Prepared,
    TwoPhaseTransport,
    two_phase_for,
)

CAMPAIGN_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.DIGITAL_MAIL)
CHUNK = 500
#: A chunk stops sending after this long and hands its unsent rest back: the worker is then
#: free for an alarm (alert tasks have a higher priority than the next chunk).
CHUNK_SECONDS = 0.5
MAX_ATTEMPTS = 4
#: The reason of a recipient skipped at queueing (see :func:`_queue_messages`).
SKIP_LANGUAGE = "skipped: the preferred language is not a language code (too long)"
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
    # A preferred language that is no language code (free text such as "ukrainsk/russisk",
    # longer than the column): that person is skipped with the reason, the others go on.
    bad_language = GreaterThan(Length("preferred_language"), fields["language"].max_length)
    rows = {  # column → its value, in the order of the INSERT
        "campaign": Value(campaign.pk, output_field=fields["campaign"].target_field),
        "registration": F("pk"),
        "channel": None,
        "language": Case(When(bad_language, then=Value("da")),
                         default=Coalesce(NullIf("preferred_language", Value("")), Value("da"))),
        "status": Case(When(bad_language, then=Value(MessageState.SKIPPED.value)),
                       default=Value(MessageState.PENDING.value)),
        "attempts": Value(0),
        "last_error": Case(When(bad_language, then=Value(SKIP_LANGUAGE)), default=Value("")),
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
    """A dead worker's 'handing_over' messages (past the lease) are reconciled, never sent
    again blindly (mailboxes and phones do not deduplicate): each channel says whether the
    receiver has the message (:meth:`~.transports.TwoPhaseTransport.reconcile` — the SMS
    gateway is asked by reference, the outbox looked at). Known → sent; certainly not
    received → sent again with the same key (or failed after the last attempt); otherwise
    ``unknown`` for a person to decide (:func:`resolve_unknown`). The channels are asked
    outside any transaction; the marks only apply to rows still stale."""
    now = timezone.now()
    stale = OutreachMessage.objects.filter(
        campaign=campaign, status=MessageState.HANDING_OVER, claimed_until__lt=now)
    rows = list(stale.select_related("registration").only(
        *(f.name for f in OutreachMessage._meta.concrete_fields),
        "registration__email", "registration__phone", "registration__cpr"))
    if not rows:
        return
    outcomes: dict[int, tuple[str, str]] = {}
    transports: dict = {}
    try:
        for msg in rows:
            try:
                if msg.channel not in transports:
                    transports[msg.channel] = two_phase_for(msg.channel)
                outcomes[msg.pk] = transports[msg.channel].reconcile(_letter_for(msg))
            except TransportError as exc:
                outcomes[msg.pk] = (MessageState.UNKNOWN.value, exc.message)
    finally:
        for transport in transports.values():
            transport.close()
    with transaction.atomic():
        for msg in rows:
            outcome, detail = outcomes[msg.pk]
            if outcome == DELIVERED:
                values = {"status": MessageState.SENT, "sent_at": now, "provider_id": detail,
                          "last_error": "reconciled after the worker stopped: received"}
            elif outcome == RESEND and msg.attempts >= MAX_ATTEMPTS:
                values = {"status": MessageState.FAILED,
                          "last_error": "not received after the last attempt (worker stopped)"}
            elif outcome == RESEND:
                values = {"status": MessageState.PENDING,
                          "last_error": "reconciled after the worker stopped: not received, "
                                        "sent again"}
            else:
                values = {"status": MessageState.UNKNOWN, "last_error": detail[:300]}
            OutreachMessage.objects.filter(
                pk=msg.pk, status=MessageState.HANDING_OVER, claimed_until__lt=now
            ).update(claim=None, **values)


def _letter_for(msg: OutreachMessage) -> Message:
    """The channel's view of a campaign message, enough to find it again (no text)."""
    return Message(channel=msg.channel, address=_address(msg.registration, msg.channel),
                   reference=f"{REFERENCE_PREFIX}{msg.idempotency_key}", purpose="outreach")


@transaction.atomic
def resolve_unknown(*, by, message: OutreachMessage, delivered: bool) -> OutreachMessage:
    """A person's decision on a message of unknown outcome ("uvis levering"), e.g. after
    asking the recipient: ``delivered`` marks it sent, otherwise it is sent again (with the
    same idempotency key; a finished campaign resumes for it). Audited."""
    campaign = Campaign.objects.select_for_update().get(pk=message.campaign_id)
    if not selectors.can_send(by, campaign.incident):
        from beredt.core.errors import Forbidden

        raise Forbidden(_("Only the incident's lead, KOP or follow-up coordinator may do this."))
    if campaign.status == CampaignStatus.CANCELLED and not delivered:
        raise Conflict(_("The campaign is stopped."), code="campaign_cancelled")
    decision = "delivered" if delivered else "resend"
    values = ({"status": MessageState.SENT, "sent_at": timezone.now(),
               "last_error": "outcome unknown; marked delivered by a person"} if delivered else
              {"status": MessageState.PENDING, "attempts": 0,
               "last_error": "outcome unknown; sent again on a person's decision"})
    if not OutreachMessage.objects.filter(pk=message.pk, status=MessageState.UNKNOWN
                                          ).update(claim=None, **values):
        raise Conflict(_("The message's outcome is no longer unknown."), code="not_unknown")
    audit.record(action=AuditAction.UPDATE, obj=message, actor=by, fields=["status"],
                 extra={"decision": decision, "campaign": str(campaign.pk)})
    if not delivered:
        if campaign.status == CampaignStatus.DONE:
            Campaign.objects.filter(pk=campaign.pk).update(
                status=CampaignStatus.SENDING, finished_at=None, last_progress_at=timezone.now())
            _enqueue_watch(campaign)
        _enqueue_chunk(campaign)
    message.refresh_from_db()
    return message


def chunk_size(campaign: Campaign) -> int:
    """What the rate limit lets out in :data:`CHUNK_SECONDS` (at least one message, at most
    :data:`CHUNK`): a throttled chunk is as short as an unthrottled one."""
    per_chunk = int(campaign.max_per_minute * CHUNK_SECONDS / 60)
    return max(1, min(CHUNK, per_chunk))


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
        ends = time.monotonic() + CHUNK_SECONDS
        while any(queues.values()):
            batch, room = {}, self.per_round
            for channel, queue in queues.items():
                take = min(len(queue), self._lanes(channel), room)
                if take:
                    batch[channel] = [queue.popleft() for _ in range(take)]
                    room -= take
            self._round(batch)
            if time.monotonic() > ends:  # time is up: the rest goes back for the next chunk
                self._mark([m for queue in queues.values() for m in queue], "released",
                           status=MessageState.PENDING, claim=None, claimed_until=None)
                break
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
        letter = _letter_for(msg)
        letter.subject, letter.body = self.texts[msg.language]
        letter.is_exercise = self.campaign.incident.is_exercise
        return letter

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
        if isinstance(exc, OutcomeUnknown):  # perhaps received: left for reconciliation
            self._mark(msgs, "outcome_unknown", last_error=exc.message[:300])
            return
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
                text = _("Follow-up: outreach campaign \"%(name)s\" finished.") % {
                    "name": campaign.name}
                unknown = campaign.messages.filter(status=MessageState.UNKNOWN).count()
                if unknown:
                    text += " " + _("%(n)s messages of unknown delivery await a decision.") % {
                        "n": unknown}
                add_log_entry(incident=campaign.incident, author=None, kind=LogKind.NOTE,
                              text=text)


def watch(*, campaign_id) -> str:
    """The watchdog: restart a stopped chain, re-arm itself until the campaign is done."""
    close_old_connections()
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or campaign.status != CampaignStatus.SENDING:
        return "finished"
    stalled = campaign.last_progress_at < timezone.now() - dt.timedelta(seconds=lease_seconds())
    if stalled:
        _recover(campaign)  # asks the channels: outside the transaction
    with transaction.atomic():
        if stalled:
            _enqueue_chunk(campaign)
        _enqueue_watch(campaign)
    return "restarted" if stalled else "running"
