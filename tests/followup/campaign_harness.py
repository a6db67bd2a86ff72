"""A campaign against real processes: local SMTP and SMS servers in this process, a fresh
database (SQLite file or PostgreSQL), and ``beredt db_worker`` subprocesses that can be
killed. Used by ``test_worker_kill.py`` and ``benchmarks/bench_campaign_10k.py``.

Run as a module inside a configured environment (``python -m tests.followup.campaign_harness
seed N`` / ``status CAMPAIGN_ID``) to seed people or read a campaign's state.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]


# --- Servers ------------------------------------------------------------------------------

class LocalServers:
    """The SMTP server (aiosmtpd) and the HTTP SMS gateway of ``tests/notify/servers.py``,
    started outside pytest, with per-address counts."""

    def __init__(self):
        import logging

        from tests.notify.servers import Gateway, SmtpSink, _handler, _PortZeroController

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.sink = SmtpSink()
        self.controller = _PortZeroController(self.sink, hostname="127.0.0.1")
        self.controller.start()
        self.gateway = Gateway()
        class Handler(_handler(self.gateway)):
            wbufsize = 65536  # headers and body in one write (keep-alive without Nagle stalls)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128  # many connections at once, like a real gateway

        self.http = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.first_at: float | None = None

    def env(self) -> dict[str, str]:
        return {"BEREDT_SMTP_HOST": "127.0.0.1", "BEREDT_SMTP_PORT": str(self.controller.port),
                "BEREDT_SMS_GATEWAY_URL": f"http://127.0.0.1:{self.http.server_address[1]}/sms"}

    def deliveries(self) -> list[tuple[str, str]]:
        """(address, idempotency key) of every message the servers accepted, copies too."""
        with self.sink.lock:
            mails = [(m["To"], m["Message-ID"]) for m in self.sink.messages]
        with self.gateway.lock:
            texts = [(r["body"]["to"], r["body"]["reference"]) for r in self.gateway.accepted]
        return mails + texts

    def received(self) -> collections.Counter:
        """Messages per address as the person sees them: the receiver drops a copy with an
        idempotency key (Message-ID, gateway reference) it already has."""
        return collections.Counter(address for address, _key in set(self.deliveries()))

    def copies(self) -> int:
        """Copies the receiver dropped (a message sent again after a worker died, with the
        same key, because nobody could know whether the first one arrived)."""
        deliveries = self.deliveries()
        return len(deliveries) - len(set(deliveries))

    def total(self) -> int:
        return len(self.sink.messages) + len(self.gateway.accepted)

    def hold(self) -> None:
        """Keep what arrives but hold the answers (see ``tests/notify/servers.Hold``)."""
        self.sink.gate.hold()
        self.gateway.gate.hold()

    def both_held(self) -> bool:
        return self.sink.gate.waiting > 0 and self.gateway.gate.waiting > 0

    def release(self) -> None:
        self.sink.gate.release()
        self.gateway.gate.release()

    def stop(self) -> None:
        self.controller.stop()
        self.http.shutdown()
        self.http.server_close()


# --- Database and processes ---------------------------------------------------------------

def fresh_database(kind: str, name: str, folder: Path) -> dict[str, str]:
    """Environment for a new, migrated database: a SQLite file in ``folder`` or the
    PostgreSQL database ``name`` on the server of ``DATABASE_URL`` (dropped first)."""
    if kind == "postgres":
        import psycopg

        url = urlparse(os.environ.get("DATABASE_URL") or "postgres://127.0.0.1:5432/postgres")
        with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        env = {"DATABASE_URL": url._replace(path=f"/{name}").geturl()}
    else:
        env = {"BEREDT_SQLITE_PATH": str(folder / f"{name}.sqlite3")}
    env["BEREDT_VAR_DIR"] = str(folder)
    manage(env, "migrate", "-v", "0", "--noinput")
    return env


def child_env(env: dict[str, str]) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BEREDT_SQLITE_PATH")}
    out.update(env)
    out["DJANGO_SETTINGS_MODULE"] = "beredt.settings"
    out.pop("PYTEST_CURRENT_TEST", None)
    return out


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "beredt.manage", *args], cwd=ROOT,
                          env=child_env(env), check=True, capture_output=True, text=True)
    return done.stdout


def harness(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "tests.followup.campaign_harness", *args],
                          cwd=ROOT, env=child_env(env), check=True, capture_output=True,
                          text=True)
    return done.stdout.strip().splitlines()[-1]


def start_worker(env: dict[str, str], log: Path, *, profile: Path | None = None,
                 queues: str = "outreach") -> subprocess.Popen:
    """A ``beredt db_worker`` for the outreach queue, or ``queues`` (under cProfile, writing
    ``profile`` when it stops, if given)."""
    handle = log.open("ab")
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    return subprocess.Popen(
        [sys.executable, *profiler, "-m", "beredt.manage", "db_worker", "--queue-name", queues,
         "--interval", "0.05", "--no-startup-delay", "--skip-checks"],
        cwd=ROOT, env=child_env(env), stdout=handle, stderr=subprocess.STDOUT)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill(process)


def wait_for(predicate, *, timeout: float, step: float = 0.01) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def temp_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="beredt-campaign-", dir=ROOT / "var"))


# --- Inside the configured environment ----------------------------------------------------

def addresses(n: int) -> list[str]:
    """Person i consents to e-mail when i is even, to SMS when odd."""
    return [f"p{i}@example.org" if i % 2 == 0 else f"+453{i:07d}" for i in range(n)]


def seed(n: int) -> tuple:
    """A KOP, an incident and ``n`` registrations with consent (bulk, for speed)."""
    import uuid

    from beredt.accounts.models import User
    from beredt.incidents import services as incident_services
    from beredt.organisations.models import Membership, Organisation, OrganisationKind, Role
    from beredt.registry import services as registry_services
    from beredt.registry.models import ConsentRecord, Registration

    org = Organisation.objects.create(name="Psykiatrien", kind=OrganisationKind.REGION_PSYCHIATRY,
                                      region_id=1082)
    kop = User.objects.create_user(username="kop", password="x-bench-password-123")
    Membership.objects.create(user=kop, organisation=org, role=Role.KOP)
    incident, _ = incident_services.create_incident(
        by=kop, title="Busulykke", kind="traffic_accident", municipality_code=730,
        lead_organisation_id=org.pk)
    point = registry_services.registration_point(incident=incident, kind="epc")
    regs, consents = [], []
    for i, address in enumerate(addresses(n)):
        email = address if "@" in address else ""
        phone = "" if email else address
        reg = Registration(client_id=uuid.uuid4(), incident=incident, point=point,
                           role="uninjured", full_name=f"Person {i}", phone=phone, email=email,
                           registered_by=kop, preferred_language=("da", "en", "uk", "de")[i % 4])
        regs.append(reg)
        consents += [
            ConsentRecord(registration=reg, kind="registration", method="digital", taken_by=kop),
            ConsentRecord(registration=reg, kind="followup_contact", method="digital",
                          taken_by=kop, channels=["email"] if email else ["sms"]),
        ]
    Registration.objects.bulk_create(regs, batch_size=1000)
    ConsentRecord.objects.bulk_create(consents, batch_size=1000)
    return kop, incident


def start(kop, incident, *, per_minute: int):
    from beredt.followup import outreach

    return outreach.start_campaign(by=kop, incident=incident, name="Opfølgning",
                                   template_key="followup-offer", channels=["email", "sms"],
                                   max_per_minute=per_minute)


def status(campaign_id: str) -> dict:
    from beredt.followup.models import Campaign

    campaign = Campaign.objects.get(pk=campaign_id)
    counts = collections.Counter(campaign.messages.values_list("status", flat=True))
    return {"campaign": campaign.status, "messages": dict(counts)}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "seed":
        kop, incident = seed(int(argv[1]))
        campaign = start(kop, incident, per_minute=int(argv[2]) if len(argv) > 2 else 600)
        print(campaign.pk)
    elif argv[0] == "status":
        print(json.dumps(status(argv[1])))
    else:
        raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
