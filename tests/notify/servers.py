"""Real local servers for the channels: an SMTP server (aiosmtpd) and an HTTP server that
plays the SMS gateway / webhook receiver. Both bind 127.0.0.1 port 0; nothing is mocked at
the socket. Import the fixtures into a test package's conftest."""

from __future__ import annotations

import email
import email.policy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


class SmtpSink:
    """Collects what the SMTP server accepted; ``reject`` holds addresses answered 550."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.reject: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
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
        self.lock = threading.Lock()

    def texts_to(self, number: str) -> list[str]:
        return [r["body"]["text"] for r in self.accepted if r["body"].get("to") == number]


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
                if status < 300:
                    gateway.accepted.append(record)
                    answer = json.dumps({"id": f"gw-{len(gateway.accepted)}"}).encode()
                else:
                    answer = b'{"error": "scripted failure"}'
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
