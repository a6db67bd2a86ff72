"""The channels. One small class per channel, one error type, no database access.

A transport only talks to the outside world: it takes :class:`~beredt.notify.models.Message`
objects that are already loaded and either returns (the message was accepted, optionally
with the provider's id) or raises :class:`TransportError`. Retries, backoff, fall-over and
the delivery log live in :mod:`beredt.notify.services`, in one place.

To add a channel (e.g. digital mail / e-Boks for outreach): subclass :class:`Transport`, set
``channel``, implement ``notify`` (and ``address_for`` if the address comes from the user),
and register it in :data:`TRANSPORTS`.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.mail import EmailMessage

from .models import Channel, Message


class TransportError(Exception):
    """The channel did not take the message. ``permanent``: retrying will not help (bad
    address, rejected by the gateway); otherwise it is worth another try later."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Transport:
    channel: str = ""
    #: How many messages this channel may send at the same time.
    concurrency: int = 1

    def address_for(self, user) -> str:
        """The user's address on this channel ("" when the user has none)."""
        return ""

    def notify(self, message: Message) -> str:
        """Hand one message to the channel; return the provider's id or ""."""
        raise NotImplementedError

    def notify_many(self, messages: list[Message]) -> list[str | TransportError]:
        """Send a batch; one result per message, in order (an id or the error)."""

        def one(message: Message) -> str | TransportError:
            try:
                return self.notify(message)
            except TransportError as exc:
                return exc

        if self.concurrency <= 1 or len(messages) <= 1:
            return [one(m) for m in messages]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(messages))) as pool:
            return list(pool.map(one, messages))


def _chunks(items: list, n: int) -> list[list]:
    size = max(1, -(-len(items) // n))
    return [items[i : i + size] for i in range(0, len(items), size)]


class EmailTransport(Transport):
    """E-mail over SMTP (``EMAIL_HOST``/``EMAIL_PORT``…); a batch shares a few connections."""

    channel = Channel.EMAIL
    concurrency = 4

    def address_for(self, user) -> str:
        return user.email or ""

    def _connect(self) -> smtplib.SMTP:
        try:
            conn = smtplib.SMTP(
                settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT
            )
            if settings.EMAIL_USE_TLS:
                conn.starttls()
            if settings.EMAIL_HOST_USER:
                conn.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"SMTP connection failed: {exc}") from exc
        return conn

    @staticmethod
    def _mime(message: Message, *, message_id: str = "") -> bytes:
        """The message as MIME; ``message_id`` fixes the ``Message-ID`` header (an
        idempotency key the receiver can deduplicate on), otherwise a fresh one."""
        headers = {"X-Beredt-Reference": message.reference or str(message.pk)}
        if message_id:
            headers["Message-ID"] = message_id
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            headers=headers,
        )
        return email.message().as_bytes()

    def _send(self, conn: smtplib.SMTP, message: Message) -> str:
        if not message.address or "@" not in message.address:
            raise TransportError("no e-mail address", permanent=True)
        try:
            conn.sendmail(settings.DEFAULT_FROM_EMAIL, [message.address], self._mime(message))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            raise TransportError(
                f"recipient refused: {codes}", permanent=all(c >= 500 for c in codes)
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise TransportError(f"SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"SMTP error: {exc}") from exc
        return ""

    def notify(self, message: Message) -> str:
        return self.notify_many([message])[0]

    def _send_chunk(self, chunk: list[Message]) -> list[str | TransportError]:
        results: list[str | TransportError] = []
        conn = None
        for message in chunk:
            try:
                if conn is None:
                    conn = self._connect()
                results.append(self._send(conn, message))
            except TransportError as exc:
                results.append(exc)
                if not exc.permanent and conn is not None:  # the connection may be broken
                    _quit(conn)
                    conn = None
        if conn is not None:
            _quit(conn)
        return results

    def notify_many(self, messages):
        chunks = _chunks(messages, self.concurrency)
        if len(chunks) <= 1:
            return self._send_chunk(messages)
        with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
            return [r for part in pool.map(self._send_chunk, chunks) for r in part]


def _quit(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (OSError, smtplib.SMTPException):
        conn.close()


def post_json(url: str, payload: dict, *, headers: dict | None = None, timeout: float = 10) -> dict:
    """POST JSON; 2xx → the parsed body (or {}); errors → :class:`TransportError`.

    4xx answers are permanent (except 408 and 429); 5xx, time-outs and refused
    connections are temporary."""
    if not url:
        raise TransportError("no URL configured", permanent=True)
    request = urllib.request.Request(  # noqa: S310 - URL is configured by the operator
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Beredt", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
        raise TransportError(f"HTTP {exc.code}", permanent=permanent) from exc
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        raise TransportError(f"connection failed: {getattr(exc, 'reason', exc)}") from exc
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


class SmsTransport(Transport):
    """SMS through a generic HTTP gateway: POST ``{"to", "from", "text", "reference"}`` as
    JSON to ``NOTIFY_SMS_URL`` with ``Authorization: NOTIFY_SMS_AUTH``."""

    channel = Channel.SMS
    concurrency = 8

    def address_for(self, user) -> str:
        return "".join(user.phone.split()) if user.phone else ""

    def notify(self, message: Message) -> str:
        if not message.address:
            raise TransportError("no phone number", permanent=True)
        headers = {"Authorization": settings.NOTIFY_SMS_AUTH} if settings.NOTIFY_SMS_AUTH else {}
        data = post_json(
            settings.NOTIFY_SMS_URL,
            {
                "to": message.address,
                "from": settings.NOTIFY_SMS_SENDER,
                "text": message.body,
                "reference": str(message.pk),
            },
            headers=headers,
            timeout=settings.NOTIFY_HTTP_TIMEOUT,
        )
        return str(data.get("id", ""))[:200]


def internal_address(address: str) -> bool:
    """Loopback, private (RFC 1918, unique-local), link-local (cloud metadata at
    169.254.169.254), carrier-grade NAT, multicast, reserved or unspecified."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to; TransportError (permanent) when it resolves to
    nothing or to any internal address — unless ``NOTIFY_WEBHOOK_ALLOW_INTERNAL`` is set
    (tests with a loopback receiver, a control-room system on the internal network)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TransportError(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not getattr(settings, "NOTIFY_WEBHOOK_ALLOW_INTERNAL", False) and (
            not addresses or any(internal_address(a) for a in addresses)):
        raise TransportError(f"{host} resolves to an internal address", permanent=True)
    return addresses


def webhook_signature(body: bytes, timestamp: int) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with NOTIFY_WEBHOOK_SECRET>``."""
    secret = (settings.NOTIFY_WEBHOOK_SECRET or "").encode()
    mac = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


class _PinnedConnection(http.client.HTTPConnection):
    """An http.client connection that connects to an address checked beforehand (so a DNS
    answer that changes between the check and the connection cannot point inside), with
    the original host name for the Host header and TLS (SNI and certificate check)."""

    def __init__(self, host: str, port: int, *, address: str, tls: bool, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address, self._tls, self._connect_timeout = address, tls, timeout

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self._connect_timeout)
        if self._tls:
            self.sock = ssl.create_default_context().wrap_socket(
                self.sock, server_hostname=self.host)

    @classmethod
    def make(cls, scheme: str, host: str, port: int, address: str, timeout: float):
        return cls(host, port, address=address, tls=scheme == "https", timeout=timeout)


def post_webhook(url: str, payload: dict, *, timeout: float) -> dict:
    """POST JSON to a webhook: public addresses only (checked after resolution, and the
    connection goes to the checked address), no redirects followed, signed with
    ``X-Beredt-Signature`` (:func:`webhook_signature`)."""
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TransportError("not an http(s) URL", permanent=True)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = public_addresses(parts.hostname, port)[0]
    body = json.dumps(payload).encode()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _PinnedConnection.make(parts.scheme, parts.hostname, port, address, timeout)
    try:
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/json", "User-Agent": "Beredt",
            "X-Beredt-Signature": webhook_signature(body, int(time.time()))})
        response = connection.getresponse()
        status, raw = response.status, response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise TransportError(f"connection failed: {exc}") from exc
    finally:
        connection.close()
    if status >= 300:
        permanent = 300 <= status < 500 and status not in (408, 429)
        raise TransportError(f"HTTP {status}", permanent=permanent)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


class WebhookTransport(Transport):
    """POST the message as JSON to the address (a URL), e.g. a control-room system; see
    :func:`post_webhook` for the address check and the signature."""

    channel = Channel.WEBHOOK
    concurrency = 4

    def notify(self, message: Message) -> str:
        data = post_webhook(
            message.address,
            {
                "subject": message.subject,
                "text": message.body,
                "purpose": message.purpose,
                "reference": message.reference,
                "exercise": message.is_exercise,
                "message_id": message.pk,
            },
            timeout=settings.NOTIFY_HTTP_TIMEOUT,
        )
        return str(data.get("id", ""))[:200]


class InAppTransport(Transport):
    """The message row is the inbox entry; delivering it needs no network."""

    channel = Channel.IN_APP

    def address_for(self, user) -> str:
        return str(user.pk)

    def notify(self, message: Message) -> str:
        if message.recipient_id is None:
            raise TransportError("in-app messages need a recipient", permanent=True)
        return ""


TRANSPORTS: dict[str, type[Transport]] = {
    Channel.EMAIL: EmailTransport,
    Channel.SMS: SmsTransport,
    Channel.WEBHOOK: WebhookTransport,
    Channel.IN_APP: InAppTransport,
}


def transport_for(channel: str) -> Transport:
    try:
        return TRANSPORTS[channel]()
    except KeyError:
        raise TransportError(f"unknown channel {channel!r}", permanent=True) from None
