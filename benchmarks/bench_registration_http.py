"""Sustained registrations per second over HTTP, with retries, counted at the end.

For each database (SQLite file in WAL mode, PostgreSQL): a fresh migrated database, one
incident, one registrar token per client; the production server (granian, WSGI, 2 worker
processes × 4 threads, persistent database connections as in production; ``--server
gunicorn`` for gunicorn's gthread workers) on 127.0.0.1; several client processes with keep-alive
connections POST ``/api/v1/incidents/{id}/registrations`` for a fixed time. The clients
speak HTTP/1.1 on plain sockets (:class:`_Connection`) so that the load generator takes as
little as it can of the cores it shares with the server and the database. A share of the
requests is sent again with the same ``client_id`` (a retry): it must answer 200 with the
same id. At the end the rows are counted: every acknowledged ``client_id`` must be in the
database exactly once (zero lost, zero duplicated).

The ceiling is measured in the same run, served the same way: a bare Django view that
inserts one row (no auth, no validation, no encryption, no audit, no duplicate check).

Usage: ``python benchmarks/bench_registration_http.py [--db sqlite|postgres|both]
[--seconds 10] [--clients 8] [--workers 2] [--threads 4] [--retry-share 0.1]
[--server granian|gunicorn]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

os.environ.setdefault(
    "BEREDT_BENCH_DATABASE_URL", "postgres://127.0.0.1:5432/beredt_bench_registry"
)

from _common import PG_URL, fresh_database, print_table, summary_ms  # noqa: E402

# --- the WSGI application the server serves: Beredt plus the bare ceiling view -------------------
application = None
urlpatterns: list = []


def _build_application():
    global application, urlpatterns
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredt.settings")
    django.setup()
    from django.conf import settings
    from django.http import JsonResponse
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    from beredt.core.models import AuditEvent

    @csrf_exempt
    def bare_insert(request):
        row = AuditEvent.objects.create(
            action="create", object_type="bench.bare", object_id=request.headers.get("X-Id", "")
        )
        return JsonResponse({"id": row.pk}, status=201)

    urlpatterns = [path("bare/", bare_insert), path("", include("beredt.urls"))]
    settings.ROOT_URLCONF = __name__ if __name__ != "__main__" else "bench_registration_http"
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()


if os.environ.get("BEREDT_BENCH_SERVE") == "1":
    _build_application()


# --- set-up and counting (run in a child process with Django configured) ----------------------


def _setup(clients: int) -> dict:
    import django

    django.setup()
    from beredt.accounts.models import User
    from beredt.accounts.tokens import create_token
    from beredt.incidents import services as incident_services
    from beredt.organisations.models import Membership, Organisation, OrganisationKind, Role

    org = Organisation.objects.create(
        name="Bench psykiatri", region_id=1082, kind=OrganisationKind.PSYCHIATRIC_DEPARTMENT
    )
    lead = User.objects.create_user(username="bench-kop", password="x" * 12)
    Membership.objects.create(user=lead, organisation=org, role=Role.KOP)
    incident, _ = incident_services.create_incident(
        by=lead, title="Bench", kind="fire", municipality_code=730, lead_organisation_id=org.pk
    )
    tokens = []
    for i in range(clients):
        user = User.objects.create_user(username=f"bench-reg-{i}", password="x" * 12)
        incident_services.assign(by=lead, incident=incident, user=user, role="registrar")
        tokens.append(create_token(user=user, name="bench")[1])
    return {"incident": str(incident.pk), "tokens": tokens}


def _count(incident_id: str) -> dict:
    import django

    django.setup()
    from django.db.models import Count

    from beredt.core.models import AuditEvent
    from beredt.registry.models import Registration

    rows = Registration.objects.filter(incident_id=incident_id)
    return {
        "rows": rows.count(),
        "client_ids": list(rows.values_list("client_id", flat=True)),
        "dup_client_ids": rows.values("client_id").annotate(n=Count("id")).filter(n__gt=1).count(),
        "bare_ids": list(
            AuditEvent.objects.filter(object_type="bench.bare").values_list("object_id", flat=True)
        ),
    }


# --- the load generator -----------------------------------------------------------------------

GIVEN = [
    "Anna",
    "Bo",
    "Carl",
    "Dorte",
    "Erik",
    "Fatima",
    "Gustav",
    "Hanne",
    "Ida",
    "Jonas",
    "Karen",
    "Lars",
    "Mette",
    "Niels",
    "Olga",
    "Peter",
    "Rikke",
    "Søren",
    "Tove",
    "Ulla",
    "Viggo",
    "Yasmin",
    "Ahmed",
    "Birgitte",
    "Christian",
    "Emma",
    "Freja",
    "Hans",
    "Inger",
    "Jakob",
    "Kirsten",
    "Lone",
    "Mads",
    "Nanna",
    "Oskar",
    "Pia",
    "Rasmus",
    "Sofie",
    "Thomas",
    "Aisha",
]
FAMILY = [
    "Holm",
    "Berg",
    "Dam",
    "Eg",
    "Lund",
    "Hassan",
    "Kjær",
    "Nielsen",
    "Jensen",
    "Møller",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Knudsen",
    "Mortensen",
    "Iversen",
    "Jakobsen",
    "Mikkelsen",
]
POSTCODES = ["8900", "8000", "8930", "2100", "5000", "9000", "8960", "8920"]


def _payload(rng: random.Random, n: int) -> dict:
    """A realistic registration: a name, a birth date (from the CPR number in 30 %), a
    phone, a postcode, consent to registration and to follow-up by SMS."""
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(64 * 365))
    body = {
        "client_id": str(uuid.uuid4()),
        "full_name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        "role": rng.choice(["injured", "uninjured", "relative", "witness"]),
        "phone": f"2{rng.randrange(10_000_000):07d}",
        "postcode": rng.choice(POSTCODES),
        "need": rng.choice(["none", "support_given", "followup_wanted"]),
        "consents": [
            {"kind": "registration", "method": "verbal_witnessed", "witness": "Vidne"},
            {
                "kind": "followup_contact",
                "method": "verbal_witnessed",
                "witness": "Vidne",
                "channels": ["sms"],
            },
        ],
    }
    if rng.random() < 0.3:
        serial = rng.randrange(0, 4000) if born.year < 2000 else rng.randrange(4000, 5000)
        body["cpr"] = f"{born:%d%m%y}{serial:04d}"
    else:
        body["birth_date"] = born.isoformat()
    return body


class _Connection:
    """A keep-alive HTTP/1.1 client on a plain socket.

    The load generator shares the two cores with the server and the database, so it does
    as little as it can: the request head is formatted once per client, and the answer is
    read by its status line and ``Content-Length`` (http.client's header parsing cost
    about a third of a millisecond per request here, taken from the server under test)."""

    def __init__(self, port: int, path: str, token: str):
        self.port = port
        self.head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     f"Content-Type: application/json\r\nAuthorization: Bearer {token}\r\n"
                     ).encode()
        self.sock, self.buffer = None, b""

    def post(self, body: bytes, client_id: str) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        self.sock.sendall(b"%sX-Id: %s\r\nContent-Length: %d\r\n\r\n%s"
                          % (self.head, client_id.encode(), len(body), body))
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        fields = {name.strip().lower(): value.strip()
                  for name, value in (line.split(b":", 1) for line in lines[1:])}
        if b"content-length" not in fields:
            raise OSError(f"answer without Content-Length: {head[:200]!r}")
        size = int(fields[b"content-length"])
        while len(self.buffer) < size:
            self._receive()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        if fields.get(b"connection", b"").lower() == b"close":
            self.close()
        return status, data

    def _receive(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("the server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None


def _client(args) -> dict:
    port, path, token, _incident, seconds, retry_share, seed, bare = args
    rng = random.Random(seed)
    conn = _Connection(port, path, token)
    latencies, acked, errors, retries_ok, retries_bad, n = [], [], [], 0, 0, 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        n += 1
        body = {"client_id": str(uuid.uuid4())} if bare else _payload(rng, n)
        raw = json.dumps(body).encode()
        sends = 2 if rng.random() < retry_share else 1
        first_id = None
        for attempt in range(sends):
            t0 = time.perf_counter()
            try:
                status, data = conn.post(raw, body["client_id"])
            except OSError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                continue
            latencies.append(time.perf_counter() - t0)
            if status not in (200, 201):
                errors.append(f"HTTP {status}: {data[:200]!r}")
                continue
            if bare:
                acked.append(body["client_id"])
                continue
            got = json.loads(data)["id"]
            if attempt == 0:
                first_id = got
                acked.append(body["client_id"])
                if status != 201:
                    errors.append(f"HTTP {status} on a first send")
            elif status == 200 and got == first_id:
                retries_ok += 1
            else:
                retries_bad += 1
    conn.close()
    return {
        "latencies": latencies,
        "acked": acked,
        "errors": errors,
        "retries_ok": retries_ok,
        "retries_bad": retries_bad,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict, workers: int, threads: int,
           server_kind: str = "granian") -> tuple[subprocess.Popen, int]:
    port = _free_port()
    target = "bench_registration_http:application"
    commands = {
        "granian": ["granian", "--interface", "wsgi", "--workers", str(workers),
                    "--blocking-threads", str(threads), "--host", "127.0.0.1",
                    "--port", str(port), "--no-ws", "--log-level", "warning",
                    "--working-dir", str(HERE), target],
        "gunicorn": ["gunicorn", "--chdir", str(HERE), "-w", str(workers), "-k", "gthread",
                     "--threads", str(threads), "-b", f"127.0.0.1:{port}", "--keep-alive",
                     "30", "--log-level", "warning", target],
    }
    program, *arguments = commands[server_kind]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / program), *arguments],
        env={
            **os.environ,
            **env,
            "BEREDT_BENCH_SERVE": "1",
            "BEREDT_DEBUG": "0",
            "BEREDT_SECURE": "0",
            "PYTHONPATH": str(HERE.parent / "src"),
        },
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    return server, port


def run_one(kind: str, args) -> list[dict]:
    env = fresh_database(kind)
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        setup = pool.apply(_setup, (args.clients,))
    server, port = _serve(env, args.workers, args.threads, args.server)
    rows, samples = [], []
    try:
        for label, path, bare in [
            ("bare insert (ceiling)", "/bare/", True),
            (
                "registration (full path)",
                f"/api/v1/incidents/{setup['incident']}/registrations",
                False,
            ),
        ]:
            # Warm-up: every worker thread opens its database connection.
            with ctx.Pool(args.clients) as pool:
                pool.map(
                    _client,
                    [
                        (
                            port,
                            path,
                            setup["tokens"][i],
                            setup["incident"],
                            1.0,
                            0.0,
                            1000 + i,
                            bare,
                        )
                        for i in range(args.clients)
                    ],
                )
                t0 = time.perf_counter()
                results = pool.map(
                    _client,
                    [
                        (
                            port,
                            path,
                            setup["tokens"][i],
                            setup["incident"],
                            args.seconds,
                            0.0 if bare else args.retry_share,
                            i,
                            bare,
                        )
                        for i in range(args.clients)
                    ],
                )
                elapsed = time.perf_counter() - t0
            lat = [x for r in results for x in r["latencies"]]
            acked = [c for r in results for c in r["acked"]]
            stats = summary_ms(lat)
            row = {
                "db": kind,
                "endpoint": label,
                "requests": len(lat),
                "req/s": len(lat) / elapsed,
                "creates/s": len(acked) / elapsed,
                "p50 ms": stats["p50_ms"],
                "p99 ms": stats["p99_ms"],
                "errors": sum(len(r["errors"]) for r in results),
            }
            samples += [f"{kind}, {label}: {e}"
                        for e in sorted({e for r in results for e in r["errors"]})[:5]]
            with ctx.Pool(1) as pool:
                counted = pool.apply(_count, (setup["incident"],))
            if bare:  # the bare view is not idempotent, so it gets no retries
                ids = counted["bare_ids"]
                row.update({"retries ok": "-", "retries bad": "-",
                            "lost": len(set(acked) - set(ids)),
                            "duplicated": len(ids) - len(set(ids))})
            else:
                stored = {str(c) for c in counted["client_ids"]}
                row.update(
                    {
                        "retries ok": sum(r["retries_ok"] for r in results),
                        "retries bad": sum(r["retries_bad"] for r in results),
                        "lost": len(set(acked) - stored),
                        "duplicated": counted["rows"] - len(stored) + counted["dup_client_ids"],
                    }
                )
            rows.append(row)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows, samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--server", default="granian", choices=["gunicorn", "granian"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        rows, samples = run_one(args.db, args)
        print("ROWS:" + json.dumps(rows))
        print("ERRORS:" + json.dumps(samples))
        return
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows, samples = [], []
    for kind in kinds:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--db",
                kind,
                "--seconds",
                str(args.seconds),
                "--clients",
                str(args.clients),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--retry-share",
                str(args.retry_share),
                "--server",
                args.server,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        line = [ln for ln in out.stdout.splitlines() if ln.startswith("ROWS:")]
        if not line:
            print(out.stdout[-3000:], out.stderr[-3000:])
            raise SystemExit(f"{kind} run failed")
        rows += json.loads(line[0][5:])
        samples += next(json.loads(ln[7:]) for ln in out.stdout.splitlines()
                        if ln.startswith("ERRORS:"))
    print_table(
        f"Registrations over HTTP ({args.server} {args.workers} workers × {args.threads} "
        f"threads, {args.clients} clients, {args.seconds:.0f} s, "
        f"{args.retry_share:.0%} retried; PostgreSQL {PG_URL.rsplit('/', 1)[-1]})",
        rows,
    )
    if samples:
        print("\nErrors seen (up to five kinds per endpoint):")
        for sample in samples:
            print(f"- {sample}")


if __name__ == "__main__":
    main()
