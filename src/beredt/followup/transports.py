"""Outreach channels with a two-phase hand-over, sending many messages side by side, and the
digital-mail transport.

A campaign message must reach each person once, even when the worker is killed mid-campaign.
The sending loop in :mod:`.outreach` therefore asks a channel to *prepare* a round of
messages — each on its own *lane* (connection), everything except the last bytes that make
the receiver accept it — then commits "handing over" in the database, and only then
*completes* the round (the last bytes on every lane first, then every answer):

* SMTP (:class:`TwoPhaseEmail`, on notify's :class:`~beredt.notify.transports.EmailTransport`):
  MAIL, RCPT, DATA and the content go out, each command on all lanes before any answer is
  read; the terminating ``<CRLF>.<CRLF>`` is sent after the commit. A server that loses the
  connection before the final dot discards the message (RFC 5321 §4.1.1.4).
* SMS gateway (:class:`TwoPhaseSms`, notify's :class:`~beredt.notify.transports.SmsTransport`
  contract): the HTTP request goes out without its last body byte, which is sent after the
  commit; an incomplete request body is never processed. Keep-alive connections.
* Digital mail (:class:`DigitalMailTransport`): the MeMo file is written under a temporary
  name and renamed into the outbox after the commit (an atomic rename).

Every message carries its **idempotency key** (:attr:`Message.reference
<beredt.notify.models.Message.reference>`, ``outreach:<uuid>`` — one per campaign and
person): the SMTP ``Message-ID`` (``<uuid@beredt.outreach>``) and ``X-Beredt-Reference``
headers, the gateway's ``reference`` field, the MeMo ``messageUUID`` and file name.

A killed worker leaves either an unfinished message the receiver has thrown away (sent
again after the restart), or a "handing over" whose outcome nobody knows. Mailboxes and
phones do not deduplicate, so such a message is **reconciled**, never blindly sent again
(:meth:`TwoPhaseTransport.reconcile`):

* SMS: the gateway is asked by reference (``GET NOTIFY_SMS_URL?reference=…``): known →
  sent (with the gateway's id); 404 → it never got the message, sent again; any other
  answer → outcome unknown;
* digital mail: the outbox file exists → sent; otherwise written again;
* e-mail: SMTP cannot be asked; a message whose last bytes may have gone out is marked
  *unknown* ("uvis levering") for a person to resend or mark delivered.

Digital Post: real delivery needs an agreement with KOMBIT's Serviceplatformen (SF1601,
MeMo 1.1, OCES3 certificate). :class:`DigitalMailTransport` writes MeMo-style XML files to
``FOLLOWUP_DIGITAL_POST_OUTBOX`` for an integration to pick up; replace it by registering
another class for ``"digital_mail"`` in notify's ``TRANSPORTS`` (see :func:`register`).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import smtplib
import socket
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from beredt.notify import transports as notify_transports
from beredt.notify.models import Message
from beredt.notify.transports import EmailTransport, SmsTransport, Transport, TransportError

DIGITAL_MAIL = "digital_mail"
#: Connections per channel: messages prepared side by side in one round. More lanes, more
#: messages per round trip; at most this many are in flight when a worker dies.
LANES = 32
MEMO_NS = "https://DigitalPost.dk/MeMo-1"
REFERENCE_PREFIX = "outreach:"
#: Outcomes of :meth:`TwoPhaseTransport.reconcile`.
DELIVERED, RESEND, UNKNOWN = "delivered", "resend", "unknown"


class OutcomeUnknown(TransportError):
    """The last bytes went out but no answer came back: the receiver may or may not have
    the message. Never retried as such; the message is reconciled."""


def idempotency_uuid(message: Message) -> uuid.UUID:
    """The key of ``message.reference`` (``outreach:<uuid>``) as a UUID."""
    return uuid.UUID(message.reference.removeprefix(REFERENCE_PREFIX))


def message_id_header(message: Message) -> str:
    return f"<{idempotency_uuid(message)}@beredt.outreach>"


class Prepared:
    """A message sent up to its last bytes. :meth:`send_last` writes them, :meth:`result`
    reads the receiver's answer (the provider id, or raises :class:`TransportError`);
    ``complete()`` does both; :meth:`abort` drops the message unsent."""

    def send_last(self) -> None:
        raise NotImplementedError

    def result(self) -> str:
        raise NotImplementedError

    def complete(self) -> str:
        self.send_last()
        return self.result()

    def abort(self) -> None:
        raise NotImplementedError


class TwoPhaseTransport(Transport):
    """A channel that prepares up to :attr:`lanes` messages side by side (message *i* on
    lane *i*) and completes them together. Subclasses implement :meth:`prepare`; a channel
    whose preparation waits for answers overrides :meth:`prepare_many`."""

    lanes = 1

    def prepare(self, message: Message, lane: int = 0) -> Prepared:
        raise NotImplementedError

    def prepare_many(self, messages: list[Message]) -> list[Prepared | TransportError]:
        return [_attempt(self.prepare, message, lane) for lane, message in enumerate(messages)]

    @staticmethod
    def complete_many(prepared: list[Prepared]) -> list[str | TransportError]:
        """The last bytes on every lane, then every answer: one round trip for the round
        (the messages may belong to different channels)."""
        failed = {}
        for i, item in enumerate(prepared):
            try:
                item.send_last()
            except TransportError as exc:
                failed[i] = exc
        return [failed[i] if i in failed else _attempt(item.result)
                for i, item in enumerate(prepared)]

    def close(self) -> None:
        return None

    def reconcile(self, message: Message) -> tuple[str, str]:
        """After a worker died during the hand-over: did the receiver get ``message``?
        ``(DELIVERED, provider id)``, ``(RESEND, "")`` when it certainly did not, or
        ``(UNKNOWN, reason)`` for a person to decide."""
        return UNKNOWN, "outcome unknown (worker stopped during the hand-over)"


def _attempt(fn, *args):
    try:
        return fn(*args)
    except TransportError as exc:
        return exc


def _no_delay(sock) -> None:
    """The last bytes go out in their own small write: without TCP_NODELAY, Nagle's
    algorithm would hold them until the peer's delayed ACK (~40 ms per message)."""
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _smtp_text(raw: bytes) -> bytes:
    """CRLF line ends and dot-stuffing (RFC 5321 §4.5.2), without the final dot."""
    text = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r\n|\n|\r(?!\n)", b"\r\n", raw))
    return text if text.endswith(b"\r\n") else text + b"\r\n"


_SAFE_HEADER = re.compile(r"[\x21-\x7e]+")
_STAND_INS = {"to": b"beredt-recipient@stand-in.invalid",
              "message_id": b"<beredt-message-id@stand-in.invalid>",
              "reference": b"beredt-reference-stand-in"}


class TwoPhaseEmail(EmailTransport, TwoPhaseTransport):
    """notify's SMTP transport, split before the final dot, with :attr:`lanes` connections.

    A campaign sends the same subject and text to everyone of a language: the MIME text is
    rendered once per (subject, text) with stand-ins for the recipient, ``Message-ID`` and
    reference, which are filled in per message (plain ASCII addresses; anything else is
    rendered in full)."""

    lanes = LANES

    def __init__(self):
        self.conns: list[smtplib.SMTP | None] = [None] * self.lanes
        self.rendered: dict[tuple[str, str], bytes | None] = {}

    def close(self) -> None:
        for lane, conn in enumerate(self.conns):
            if conn is not None:
                notify_transports._quit(conn)
                self.conns[lane] = None

    def _drop(self, lane: int) -> None:
        if self.conns[lane] is not None:
            self.conns[lane].close()
            self.conns[lane] = None

    def _lane(self, lane: int) -> smtplib.SMTP:
        if self.conns[lane] is None:
            conn = self._connect()
            _no_delay(conn.sock)
            try:
                conn.ehlo_or_helo_if_needed()
            except (OSError, smtplib.SMTPException) as exc:
                conn.close()
                raise TransportError(f"SMTP error: {exc}") from exc
            self.conns[lane] = conn
        return self.conns[lane]

    def content(self, message: Message) -> bytes:
        values = {"to": message.address, "message_id": message_id_header(message),
                  "reference": message.reference}
        if all(_SAFE_HEADER.fullmatch(v) for v in values.values()):
            key = (message.subject, message.body)
            if key not in self.rendered:
                stand_in = Message(channel=message.channel, subject=message.subject,
                                   body=message.body, address=_STAND_INS["to"].decode(),
                                   reference=_STAND_INS["reference"].decode())
                self.rendered[key] = _smtp_text(self._mime(
                    stand_in, message_id=_STAND_INS["message_id"].decode()))
            head, sep, tail = self.rendered[key].partition(b"\r\n\r\n")
            if all(head.count(v) == 1 for v in _STAND_INS.values()):
                for name, value in values.items():
                    head = head.replace(_STAND_INS[name], value.encode())
                return head + sep + tail
        return _smtp_text(self._mime(message, message_id=values["message_id"]))

    def prepare(self, message: Message, lane: int = 0) -> Prepared:
        result = self.prepare_many([message])[0]
        if isinstance(result, TransportError):
            raise result
        return result

    def reconcile(self, message: Message) -> tuple[str, str]:
        return UNKNOWN, ("SMTP cannot be asked: the e-mail's final dot may have gone out "
                         "(worker stopped during the hand-over)")

    def _content_or_error(self, message: Message) -> bytes | TransportError:
        """The message's bytes, or a permanent error when its data cannot make an e-mail
        (e.g. a line break in the address): that message is skipped, the round goes on."""
        if not message.address or "@" not in message.address:
            return TransportError("no e-mail address", permanent=True)
        try:
            return self.content(message)
        except (ValueError, UnicodeError) as exc:
            return TransportError(f"skipped: the e-mail cannot be built ({exc})"[:300],
                                  permanent=True)

    def prepare_many(self, messages: list[Message]) -> list[Prepared | TransportError]:
        results: list = [None] * len(messages)
        contents = [self._content_or_error(message) for message in messages]
        for lane, content in enumerate(contents):
            if isinstance(content, TransportError):
                results[lane] = content
            elif isinstance(error := _attempt(self._lane, lane), TransportError):
                results[lane] = error
        sender = smtplib.quoteaddr(settings.DEFAULT_FROM_EMAIL)
        steps = (
            (lambda m: ("mail", f"FROM:{sender}"), (250,), "MAIL"),
            (lambda m: ("rcpt", f"TO:{smtplib.quoteaddr(m.address)}"), (250, 251),
             "recipient refused:"),
            (lambda m: ("data", ""), (354,), "DATA"),
        )
        for command, accepted, label in steps:  # one command on every lane, then the answers
            live = [lane for lane, result in enumerate(results) if result is None]
            for lane in live:
                results[lane] = self._io(
                    lane, lambda c, m=messages[lane], cmd=command: c.putcmd(*cmd(m)))
            for lane in live:
                if results[lane] is not None:
                    continue
                code = self._io(lane, lambda c: c.getreply()[0])
                if isinstance(code, TransportError):
                    results[lane] = code
                elif code not in accepted:
                    results[lane] = TransportError(f"{label} {code}", permanent=code >= 500)
                    self._io(lane, lambda c: c.rset())
        for lane, content in enumerate(contents):
            if results[lane] is None:
                error = self._io(lane, lambda c, data=content: c.send(data))
                results[lane] = error or _SmtpPrepared(self, lane)
        return results

    def _io(self, lane: int, fn):
        """``fn(connection)``; a broken connection is dropped → a temporary error."""
        try:
            return fn(self.conns[lane])
        except (OSError, smtplib.SMTPException) as exc:
            self._drop(lane)
            return TransportError(f"SMTP error: {exc}")


class _SmtpPrepared(Prepared):
    def __init__(self, transport: TwoPhaseEmail, lane: int):
        self.transport, self.lane = transport, lane

    def send_last(self) -> None:
        error = self.transport._io(self.lane, lambda c: c.send(b".\r\n"))
        if error is not None:
            raise TransportError(f"{error.message} (after the data)")

    def result(self) -> str:
        code = self.transport._io(self.lane, lambda c: c.getreply()[0])
        if isinstance(code, TransportError):  # the final dot went out: delivered or not?
            raise OutcomeUnknown(f"{code.message} (after the final dot)")
        if code != 250:
            raise TransportError(f"SMTP {code}", permanent=code >= 500)
        return ""

    def abort(self) -> None:
        # Closing without the final dot makes the server discard the message.
        self.transport._drop(self.lane)


class TwoPhaseSms(SmsTransport, TwoPhaseTransport):
    """notify's SMS gateway contract (JSON POST to ``NOTIFY_SMS_URL``) with the idempotency
    key as ``reference``; :attr:`lanes` keep-alive connections, the last body byte after the
    commit."""

    lanes = LANES

    def __init__(self):
        self.conns: list[http.client.HTTPConnection | None] = [None] * self.lanes

    def close(self) -> None:
        for lane in range(self.lanes):
            self._drop(lane)

    def _drop(self, lane: int) -> None:
        if self.conns[lane] is not None:
            self.conns[lane].close()
            self.conns[lane] = None

    def reconcile(self, message: Message) -> tuple[str, str]:
        """Ask the gateway by reference: ``GET NOTIFY_SMS_URL?reference=…`` answers 200
        with the message's ``id`` when it has it, 404 when it never got it."""
        url = settings.NOTIFY_SMS_URL
        if not urlsplit(url).hostname:
            return UNKNOWN, "no SMS gateway configured to ask"
        request = urllib.request.Request(  # noqa: S310 - URL configured by the operator
            f"{url}{'&' if '?' in url else '?'}{urlencode({'reference': message.reference})}",
            headers={"User-Agent": "Beredt", **({"Authorization": settings.NOTIFY_SMS_AUTH}
                                                 if settings.NOTIFY_SMS_AUTH else {})})
        try:
            with urllib.request.urlopen(request, timeout=settings.NOTIFY_HTTP_TIMEOUT  # noqa: S310
                                        ) as response:
                data = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return RESEND, ""
            return UNKNOWN, f"gateway status query: HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            return UNKNOWN, f"gateway status query failed: {exc}"
        provider_id = data.get("id", "") if isinstance(data, dict) else ""
        return DELIVERED, str(provider_id)[:200]

    def prepare(self, message: Message, lane: int = 0) -> Prepared:
        if not message.address:
            raise TransportError("no phone number", permanent=True)
        url = urlsplit(settings.NOTIFY_SMS_URL)
        if not url.hostname:
            raise TransportError("no SMS gateway configured", permanent=True)
        body = json.dumps({"to": message.address, "from": settings.NOTIFY_SMS_SENDER,
                           "text": message.body, "reference": message.reference}).encode()
        if self.conns[lane] is None:
            cls = (http.client.HTTPSConnection if url.scheme == "https"
                   else http.client.HTTPConnection)
            self.conns[lane] = cls(url.hostname, url.port, timeout=settings.NOTIFY_HTTP_TIMEOUT)
        conn = self.conns[lane]
        try:
            if conn.sock is None:
                conn.connect()
                _no_delay(conn.sock)
            conn.putrequest("POST", url.path or "/")
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(len(body)))
            conn.putheader("User-Agent", "Beredt")
            conn.putheader("Idempotency-Key", str(idempotency_uuid(message)))
            if settings.NOTIFY_SMS_AUTH:
                conn.putheader("Authorization", settings.NOTIFY_SMS_AUTH)
            conn.endheaders(body[:-1])
        except (OSError, http.client.HTTPException) as exc:
            self._drop(lane)
            raise TransportError(f"connection failed: {exc}") from exc
        return _HttpPrepared(self, lane, body[-1:])


class _HttpPrepared(Prepared):
    def __init__(self, transport: TwoPhaseSms, lane: int, last: bytes):
        self.transport, self.lane, self.last = transport, lane, last

    def _failed(self, exc: Exception, kind=TransportError) -> TransportError:
        self.transport._drop(self.lane)
        return kind(f"gateway error after the request: {exc}")

    def send_last(self) -> None:
        try:  # an incomplete request is never processed: safe to send again
            self.transport.conns[self.lane].send(self.last)
        except (OSError, http.client.HTTPException) as exc:
            raise self._failed(exc) from exc

    def result(self) -> str:
        try:
            response = self.transport.conns[self.lane].getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException, AttributeError) as exc:
            raise self._failed(exc, OutcomeUnknown) from exc
        if response.will_close:
            self.transport._drop(self.lane)
        if response.status >= 300:
            permanent = 400 <= response.status < 500 and response.status not in (408, 429)
            raise TransportError(f"HTTP {response.status}", permanent=permanent)
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        return str(data.get("id", ""))[:200] if isinstance(data, dict) else ""

    def abort(self) -> None:
        self.transport._drop(self.lane)


def memo_xml(message: Message, *, cpr: str, message_id: uuid.UUID) -> bytes:
    """A MeMo 1.1-style message (header, sender, recipient by CPR, one text document)."""
    now = timezone.now().isoformat(timespec="seconds")
    content = base64.b64encode(message.body.encode()).decode()
    sender_cvr = getattr(settings, "FOLLOWUP_DIGITAL_POST_SENDER_CVR", "00000000")
    sender_label = getattr(settings, "FOLLOWUP_DIGITAL_POST_SENDER_LABEL", "Beredt")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<memo:Message xmlns:memo="{MEMO_NS}" memoVersion="1.1" memoSchVersion="1.1.0">'
        "<memo:MessageHeader><memo:messageType>DIGITALPOST</memo:messageType>"
        f"<memo:messageUUID>{message_id}</memo:messageUUID>"
        f"<memo:label>{escape(message.subject[:150])}</memo:label>"
        "<memo:notification>Du har fået post</memo:notification>"
        "<memo:mandatory>false</memo:mandatory>"
        "<memo:legalNotification>false</memo:legalNotification>"
        f"<memo:Sender><memo:senderID>{escape(sender_cvr)}</memo:senderID>"
        f"<memo:idType>CVR</memo:idType><memo:label>{escape(sender_label)}</memo:label>"
        "</memo:Sender>"
        f"<memo:Recipient><memo:recipientID>{escape(cpr)}</memo:recipientID>"
        "<memo:idType>CPR</memo:idType></memo:Recipient></memo:MessageHeader>"
        f"<memo:MessageBody><memo:createdDateTime>{now}</memo:createdDateTime>"
        f"<memo:MainDocument><memo:mainDocumentID>{message_id}</memo:mainDocumentID>"
        f"<memo:label>{escape(message.subject[:150])}</memo:label>"
        "<memo:File><memo:encodingFormat>text/plain</memo:encodingFormat>"
        "<memo:filename>besked.txt</memo:filename><memo:language>da</memo:language>"
        f"<memo:content>{content}</memo:content></memo:File></memo:MainDocument>"
        "</memo:MessageBody></memo:Message>\n"
    ).encode()


def outbox() -> Path:
    folder = Path(getattr(settings, "FOLLOWUP_DIGITAL_POST_OUTBOX", "")
                  or Path(settings.BASE_DIR).parent.parent / "var" / "digital-post-outbox")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class DigitalMailTransport(TwoPhaseTransport):
    """Digital mail (e-Boks/mit.dk) as MeMo-style XML files in an outbox folder. The message
    address is the recipient's CPR number; the file name is the message's idempotency key,
    so a message written again replaces itself."""

    channel = DIGITAL_MAIL
    lanes = LANES

    def prepare(self, message: Message, lane: int = 0) -> Prepared:
        if not message.address or not message.address.isdigit() or len(message.address) != 10:
            raise TransportError("digital mail needs a CPR number", permanent=True)
        if message.reference.startswith(REFERENCE_PREFIX):
            message_id = idempotency_uuid(message)
        else:
            message_id = uuid.uuid5(uuid.NAMESPACE_URL, f"beredt:{message.reference}")
        folder = outbox()
        final = folder / f"{message_id}.xml"
        temp = folder / f".{message_id}.{os.getpid()}.tmp"
        try:
            temp.write_bytes(memo_xml(message, cpr=message.address, message_id=message_id))
        except OSError as exc:
            raise TransportError(f"outbox not writable: {exc}") from exc
        return _FilePrepared(temp, final)

    def reconcile(self, message: Message) -> tuple[str, str]:
        """The rename into the outbox is atomic: the file is there or it is not."""
        final = outbox() / f"{idempotency_uuid(message)}.xml"
        return (DELIVERED, final.name) if final.exists() else (RESEND, "")

    def notify(self, message: Message) -> str:
        return self.prepare(message).complete()


class _FilePrepared(Prepared):
    def __init__(self, temp: Path, final: Path):
        self.temp, self.final = temp, final

    def send_last(self) -> None:
        try:
            os.replace(self.temp, self.final)
        except OSError as exc:
            raise TransportError(f"outbox rename failed: {exc}") from exc

    def result(self) -> str:
        return self.final.name

    def abort(self) -> None:
        self.temp.unlink(missing_ok=True)


TWO_PHASE = {"email": TwoPhaseEmail, "sms": TwoPhaseSms, DIGITAL_MAIL: DigitalMailTransport}


def register() -> None:
    """Make ``digital_mail`` a notify channel too (an additive registration, from
    :meth:`FollowupConfig.ready`). Another installation may register its own class."""
    notify_transports.TRANSPORTS.setdefault(DIGITAL_MAIL, DigitalMailTransport)


def two_phase_for(channel: str):
    try:
        return TWO_PHASE[channel]()
    except KeyError:
        raise TransportError(f"unknown channel {channel!r}", permanent=True) from None
