"""Real local servers for the channels: an SMTP server (aiosmtpd) and an HTTP server that
plays the SMS gateway / webhook receiver. Both bind 127.0.0.1 port 0; nothing is mocked at
the socket. Import the fixtures into a test package's conftest."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller


class Hold:
    """While held, a server keeps what it received but does not answer yet (a worker can be
    killed while it waits for the answer); :meth:`release` lets the answers go."""

    def __init__(self):
        self.open = threading.Event()
        self.open.set()
        self.waiting = 0

    def hold(self) -> None:
        self.waiting = 0
        self.open.clear()

    def release(self) -> None:
        self.open.set()


class SmtpSink:
    """Collects what the SMTP server accepted; ``reject`` holds addresses answered 550;
    ``gate`` can hold the answer to the final dot (the message is kept already)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.reject: set[str] = set()
        self.lock = threading.Lock()
        self.gate = Hold()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        if not self.gate.open.is_set():
            self.gate.waiting += 1
            while not self.gate.open.is_set():
                await asyncio.sleep(0.01)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


class _PortZeroController(Controller):
    """aiosmtpd's Controller on an OS-chosen free port."""

    def _create_server(self):
        async def create():
            server = await self.loop.create_server(
                self._factory_invoker, host=self.hostname, port=0
            )
            self.port = server.sockets[0].getsockname()[1]
            return server

        return create()


class Gateway:
    """State of the fake-free HTTP gateway: requests received, scripted answers."""

    def __init__(self):
        self.requests: list[dict] = []
        self.accepted: list[dict] = []
        self.fail_next = 0  # answer 503 this many times
        self.status = 200  # answer with this status afterwards (e.g. 400)
        self.refuse: set[str] = set()  # numbers answered 400 (a number the gateway rejects)
        self.lock = threading.Lock()
        self.gate = Hold()  # hold the answers to accepted messages
        self.status_queries: list[str] = []
        # Delivery receipts, as a real gateway sends them: after accepting a message, POST
        # {"id", "status", "reference"} to ``receipt_url`` (Bearer ``receipt_secret``);
        # numbers in ``undeliverable`` get "failed". ``receipts`` holds the answers.
        self.receipt_url = ""
        self.receipt_secret = ""
        self.undeliverable: set[str] = set()
        self.receipts: list[tuple[dict, int]] = []
        # A handset reports some time after the gateway took the message (with SQLite's
        # in-memory test database the live server shares the test's connection, so the
        # report must not overlap the sender's own writes).
        self.receipt_delay = 0.2
        self._pool = ThreadPoolExecutor(max_workers=4)

    def by_reference(self, reference: str) -> tuple[int, dict] | None:
        """The status query ``GET …?reference=R``: the accepted message with that
        reference (its number and record), or None."""
        for i, record in enumerate(self.accepted, start=1):
            if record["body"].get("reference") == reference:
                return i, record
        return None

    def texts_to(self, number: str) -> list[str]:
        return [r["body"]["text"] for r in self.accepted if r["body"].get("to") == number]

    def receipt_for(self, record: dict) -> dict:
        """The receipt the gateway reports for an accepted request."""
        failed = record["body"].get("to") in self.undeliverable
        return {
            "id": record["id"],
            "status": "failed" if failed else "delivered",
            "error": "absent subscriber" if failed else "",
            "reference": record["body"].get("reference", ""),
        }

    def send_receipt(self, payload: dict, delay: float = 0.0) -> int:
        """POST one receipt to ``receipt_url``; returns the HTTP status."""
        if delay:
            time.sleep(delay)
        request = urllib.request.Request(  # noqa: S310 - a local test URL
            self.receipt_url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.receipt_secret}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:  # unreachable: recorded, as a gateway's retry queue would
            status = 0
            payload = {**payload, "transport_error": str(exc)}
        with self.lock:
            self.receipts.append((payload, status))
        return status


def _handler(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            record = {
                "path": self.path,
                "auth": self.headers.get("Authorization"),
                "signature": self.headers.get("X-Beredt-Signature"), "raw": raw,
                "body": json.loads(raw or b"{}"),
            }
            with gateway.lock:
                gateway.requests.append(record)
                if gateway.fail_next > 0:
                    gateway.fail_next -= 1
                    status = 503
                else:
                    status = gateway.status
                if record["body"].get("to") in gateway.refuse:
                    status = 400
                if status < 300:
                    gateway.accepted.append(record)
                    record["id"] = f"gw-{len(gateway.accepted)}"
                    answer = json.dumps({"id": record["id"]}).encode()
                else:
                    answer = b'{"error": "scripted failure"}'
                held = status < 300 and not gateway.gate.open.is_set()
                gateway.gate.waiting += held
            if held:
                gateway.gate.open.wait()
            self._answer(status, answer)
            if status < 300 and gateway.receipt_url:
                gateway._pool.submit(
                    gateway.send_receipt, gateway.receipt_for(record), gateway.receipt_delay
                )

        def do_GET(self):
            """The gateway's status query by reference: 200 with the id, or 404."""
            reference = parse_qs(urlsplit(self.path).query).get("reference", [""])[0]
            with gateway.lock:
                gateway.status_queries.append(reference)
                found = gateway.by_reference(reference) if reference else None
            if found is None:
                self._answer(404, b'{"error": "unknown reference"}')
            else:
                self._answer(200, json.dumps({"id": f"gw-{found[0]}", "reference": reference,
                                              "status": "accepted"}).encode())

        def _answer(self, status: int, answer: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    return Handler


def start_smtp() -> tuple[SmtpSink, callable]:
    """Start an SMTP server on a free port; returns the sink (``.port``) and a stop function."""
    sink = SmtpSink()
    controller = _PortZeroController(sink, hostname="127.0.0.1")
    controller.start()
    sink.port = controller.port
    return sink, controller.stop


def start_gateway() -> tuple[Gateway, callable]:
    """Start the HTTP gateway on a free port; returns it (``.url``) and a stop function."""
    gateway = Gateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    server.daemon_threads = True
    server.request_queue_size = 128
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}"

    def stop():
        server.shutdown()
        server.server_close()

    return gateway, stop


@pytest.fixture
def smtp_server(settings):
    sink, stop = start_smtp()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
    yield sink
    stop()


@pytest.fixture
def sms_gateway(settings):
    gateway, stop = start_gateway()
    settings.NOTIFY_SMS_URL = f"{gateway.url}/sms"
    settings.NOTIFY_SMS_AUTH = "Bearer test-gateway-key"
    settings.NOTIFY_BACKOFF_SECONDS = 0.01
    yield gateway
    stop()
