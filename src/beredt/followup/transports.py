"""Outreach channels with a two-phase hand-over, and the digital-mail transport.

A campaign message must reach each person once, even when the worker is killed mid-campaign.
The sending loop in :mod:`.outreach` therefore asks a channel to *prepare* a message —
everything except the last bytes that make the receiver accept it — then commits "handing
over" in the database, and only then *completes* the message:

* SMTP (:class:`TwoPhaseEmail`, on notify's :class:`~beredt.notify.transports.EmailTransport`):
  MAIL, RCPT, DATA and the content go out; the terminating ``<CRLF>.<CRLF>`` is sent after
  the commit. A server that loses the connection before the final dot discards the message
  (RFC 5321 §4.1.1.4).
* SMS gateway (:class:`TwoPhaseSms`, notify's :class:`~beredt.notify.transports.SmsTransport`
  contract): the HTTP request goes out without its last body byte, which is sent after the
  commit; an incomplete request body is never processed.
* Digital mail (:class:`DigitalMailTransport`): the MeMo file is written under a temporary
  name and renamed into the outbox after the commit (an atomic rename).

A killed worker thus leaves either an unfinished message the receiver has thrown away (sent
again after the restart) or a committed "handing over" (never sent again). The only gap is
the moment between the commit and the last write: the message may then be lost, never
duplicated.

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
import threading
import uuid
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from beredt.notify import transports as notify_transports
from beredt.notify.models import Message
from beredt.notify.transports import EmailTransport, SmsTransport, Transport, TransportError

DIGITAL_MAIL = "digital_mail"
MEMO_NS = "https://DigitalPost.dk/MeMo-1"


class Prepared:
    """A message sent up to its last bytes. ``complete()`` finishes it (returns the provider
    id or raises :class:`TransportError`); ``abort()`` drops it unsent."""

    def complete(self) -> str:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


def _no_delay(sock) -> None:
    """The last bytes go out in their own small write: without TCP_NODELAY, Nagle's
    algorithm would hold them until the peer's delayed ACK (~40 ms per message)."""
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _Local(threading.local):
    smtp: smtplib.SMTP | None = None
    http: http.client.HTTPConnection | None = None


class TwoPhaseEmail(EmailTransport):
    """notify's SMTP transport, split before the final dot. One connection per thread."""

    def __init__(self):
        self.local = _Local()

    def close(self) -> None:
        if self.local.smtp is not None:
            notify_transports._quit(self.local.smtp)
            self.local.smtp = None

    def _drop(self) -> None:
        if self.local.smtp is not None:
            self.local.smtp.close()
            self.local.smtp = None

    def prepare(self, message: Message) -> Prepared:
        if not message.address or "@" not in message.address:
            raise TransportError("no e-mail address", permanent=True)
        if self.local.smtp is None:
            self.local.smtp = self._connect()
            _no_delay(self.local.smtp.sock)
        conn = self.local.smtp
        try:
            conn.ehlo_or_helo_if_needed()
            code, _resp = conn.mail(settings.DEFAULT_FROM_EMAIL)
            if code != 250:
                raise TransportError(f"MAIL {code}", permanent=code >= 500)
            code, _resp = conn.rcpt(message.address)
            if code not in (250, 251):
                conn.rset()
                raise TransportError(f"recipient refused: {code}", permanent=code >= 500)
            conn.putcmd("data")
            code, _resp = conn.getreply()
            if code != 354:
                raise TransportError(f"DATA {code}", permanent=code >= 500)
            content = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r\n|\n|\r(?!\n)", b"\r\n",
                                                              self._mime(message)))
            if not content.endswith(b"\r\n"):
                content += b"\r\n"
            conn.send(content)
        except TransportError:
            raise
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise TransportError(f"SMTP error: {exc}") from exc
        return _SmtpPrepared(self)


class _SmtpPrepared(Prepared):
    def __init__(self, transport: TwoPhaseEmail):
        self.transport = transport

    def complete(self) -> str:
        conn = self.transport.local.smtp
        try:
            conn.send(b".\r\n")
            code, _resp = conn.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            self.transport._drop()
            raise TransportError(f"SMTP error after the data: {exc}") from exc
        if code != 250:
            raise TransportError(f"SMTP {code}", permanent=code >= 500)
        return ""

    def abort(self) -> None:
        # Closing without the final dot makes the server discard the message.
        self.transport._drop()


class TwoPhaseSms(SmsTransport):
    """notify's SMS gateway contract (JSON POST to ``NOTIFY_SMS_URL``), keep-alive
    connection per thread, last body byte after the commit."""

    def __init__(self):
        self.local = _Local()

    def close(self) -> None:
        if self.local.http is not None:
            self.local.http.close()
            self.local.http = None

    def prepare(self, message: Message) -> Prepared:
        if not message.address:
            raise TransportError("no phone number", permanent=True)
        url = urlsplit(settings.NOTIFY_SMS_URL)
        if not url.hostname:
            raise TransportError("no SMS gateway configured", permanent=True)
        body = json.dumps({"to": message.address, "from": settings.NOTIFY_SMS_SENDER,
                           "text": message.body, "reference": message.reference}).encode()
        if self.local.http is None:
            cls = (http.client.HTTPSConnection if url.scheme == "https"
                   else http.client.HTTPConnection)
            self.local.http = cls(url.hostname, url.port, timeout=settings.NOTIFY_HTTP_TIMEOUT)
        conn = self.local.http
        try:
            if conn.sock is None:
                conn.connect()
                _no_delay(conn.sock)
            conn.putrequest("POST", url.path or "/")
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(len(body)))
            conn.putheader("User-Agent", "Beredt")
            if settings.NOTIFY_SMS_AUTH:
                conn.putheader("Authorization", settings.NOTIFY_SMS_AUTH)
            conn.endheaders(body[:-1])
        except OSError as exc:
            self.close()
            raise TransportError(f"connection failed: {exc}") from exc
        return _HttpPrepared(self, body[-1:])


class _HttpPrepared(Prepared):
    def __init__(self, transport: TwoPhaseSms, last: bytes):
        self.transport, self.last = transport, last

    def complete(self) -> str:
        conn = self.transport.local.http
        try:
            conn.send(self.last)
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.transport.close()
            raise TransportError(f"gateway error after the request: {exc}") from exc
        if response.will_close:
            self.transport.close()
        if response.status >= 300:
            permanent = 400 <= response.status < 500 and response.status not in (408, 429)
            raise TransportError(f"HTTP {response.status}", permanent=permanent)
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        return str(data.get("id", ""))[:200] if isinstance(data, dict) else ""

    def abort(self) -> None:
        self.transport.close()


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


class DigitalMailTransport(Transport):
    """Digital mail (e-Boks/mit.dk) as MeMo-style XML files in an outbox folder. The message
    address is the recipient's CPR number; the file name is the message id."""

    channel = DIGITAL_MAIL

    def prepare(self, message: Message) -> Prepared:
        if not message.address or not message.address.isdigit() or len(message.address) != 10:
            raise TransportError("digital mail needs a CPR number", permanent=True)
        message_id = uuid.uuid5(uuid.NAMESPACE_URL, f"beredt:{message.reference}")
        folder = outbox()
        final = folder / f"{message_id}.xml"
        temp = folder / f".{message_id}.{os.getpid()}.tmp"
        try:
            temp.write_bytes(memo_xml(message, cpr=message.address, message_id=message_id))
        except OSError as exc:
            raise TransportError(f"outbox not writable: {exc}") from exc
        return _FilePrepared(temp, final)

    def notify(self, message: Message) -> str:
        return self.prepare(message).complete()

    def close(self) -> None:
        return None


class _FilePrepared(Prepared):
    def __init__(self, temp: Path, final: Path):
        self.temp, self.final = temp, final

    def complete(self) -> str:
        try:
            os.replace(self.temp, self.final)
        except OSError as exc:
            raise TransportError(f"outbox rename failed: {exc}") from exc
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
