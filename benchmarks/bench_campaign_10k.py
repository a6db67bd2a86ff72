"""Outreach campaign to 10,000 people through a local SMTP server (aiosmtpd) and a local
HTTP SMS gateway, sent by real ``beredt db_worker`` processes.

Figures per database: time to queue the 10,000 (target < 2 s), messages per second handed
to the local servers (target ≥ 500/s), time to the last delivery; then a second campaign
whose worker is killed (SIGKILL) half-way and restarted: exactly one message per (campaign,
person) must arrive. ``duplicates`` counts people who got two different messages (must be
0); ``copies_deduped`` counts copies sent again with the same idempotency key after the kill
(outcome unknown to the database), which the receiver drops — at most one round in flight.

    .venv/bin/python benchmarks/bench_campaign_10k.py [--db sqlite|postgres|both] [--people N]
        [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import PG_URL, print_table  # noqa: E402

from tests.followup import campaign_harness as h  # noqa: E402


def run_campaign(servers, env, kop, incident, *, kill_at: float | None, people: int,
                 log: Path, profile: Path | None = None) -> dict:
    from beredt.followup import outreach

    servers.sink.messages.clear()
    servers.gateway.accepted.clear()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    campaign = h.start(kop, incident, per_minute=1_000_000)
    queued = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile.with_suffix(".queue.prof"))
    first_seen = {}

    def progress(n):
        if servers.total() and "t" not in first_seen:
            first_seen["t"] = time.perf_counter()
        return servers.total() >= n

    worker_start = time.perf_counter()
    worker = h.start_worker(env, log, profile=profile and profile.with_suffix(".worker.prof"))
    killed_at = None
    try:
        if kill_at is not None:
            h.wait_for(lambda: progress(int(people * kill_at)), timeout=600)
            h.kill(worker)
            killed_at = servers.total()
            worker = h.start_worker(env, log)
        h.wait_for(lambda: progress(people), timeout=900 if kill_at is None else 120,
                   step=0.005)
        if kill_at is not None:  # an e-mail of unknown outcome may never arrive: until done
            h.wait_for(lambda: h.status(str(campaign.pk))["campaign"] == "done", timeout=900,
                       step=0.1)
        last = time.perf_counter()
    finally:
        h.stop(worker)
    received = servers.received()
    status = h.status(str(campaign.pk))
    handed = servers.total()
    span = last - first_seen.get("t", last)
    return {
        "queue_s": round(queued, 3),
        "recipients": outreach.OutreachMessage.objects.filter(campaign=campaign).count(),
        "first_after_worker_start_s": round(first_seen.get("t", last) - worker_start, 2),
        "msgs_per_s": round(handed / span, 1) if span else None,
        "to_last_delivery_s": round(last - worker_start, 2),
        "killed_after": killed_at,
        "distinct_people": len(received),
        "duplicates": sum(v - 1 for v in received.values()),
        "copies_deduped": servers.copies(),
        "db_status": json.dumps(status["messages"]),
    }


def child(kind: str, people: int, profile: bool) -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bench-campaign-", dir=ROOT / "var"))
    servers = h.LocalServers()
    name = "beredt_bench_campaign"
    if kind == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
    env = h.fresh_database(kind, name, folder)
    env.update(servers.env(), BEREDT_OUTREACH_LEASE_SECONDS="5")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "beredt.settings"
    import django

    django.setup()
    kop, incident = h.seed(people)
    rows = []
    for label, kill_at in (("clean run", None), ("worker killed at 50 %", 0.5)):
        row = run_campaign(servers, env, kop, incident, kill_at=kill_at, people=people,
                           log=folder / "worker.log",
                           profile=folder / kind if profile and kill_at is None else None)
        rows.append({"db": kind, "run": label, **row})
    servers.stop()
    if profile:
        print(f"profiles: {folder}/{kind}.queue.prof, {folder}/{kind}.worker.prof",
              file=sys.stderr)
    print("ROWS " + json.dumps(rows))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the queueing and the clean run's worker (var/bench-…)")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    if args.child:
        child(args.db, args.people, args.profile)
        return
    rows = []
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        out = subprocess.run([sys.executable, __file__, "--db", kind, "--people",
                              str(args.people), "--child", *(["--profile"] * args.profile)],
                             cwd=ROOT, capture_output=True, text=True)
        line = next((x for x in out.stdout.splitlines() if x.startswith("ROWS ")), None)
        if line is None:
            print(out.stdout[-3000:], out.stderr[-3000:])
            raise SystemExit(f"{kind}: benchmark failed")
        rows += json.loads(line[5:])
        if args.profile:
            print(out.stderr.strip().splitlines()[-1])
    print_table(f"Outreach campaign to {args.people} people (targets: queue < 2 s, "
                "≥ 500 msgs/s, 0 duplicates, all delivered)", rows)


if __name__ == "__main__":
    main()
