"""Kill the outreach worker (SIGKILL) N times at random moments during a campaign and count,
per recipient, every copy the local SMTP server and SMS gateway received — as a mailbox or a
phone shows it, without deduplication (issue 25).

Targets: 0 duplicates (nobody got the message twice), 0 lost (nobody without the message
unless it is marked "unknown" for a person to decide), N kills done. Also printed: messages
of unknown outcome (e-mails whose final dot may have gone out) and how many of them did
arrive, and the SMS gateway status queries made by the reconciliation.

    .venv/bin/python benchmarks/bench_worker_kills.py [--db sqlite|postgres|both]
        [--people 2000] [--kills 5]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import PG_URL, print_table, run_per_database  # noqa: E402

from tests.followup import campaign_harness as h  # noqa: E402


def child(kind: str, people: int, kills: int) -> dict:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bench-kills-", dir=ROOT / "var"))
    servers = h.LocalServers()
    if kind == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
    env = h.fresh_database(kind, "beredt_bench_kills", folder)
    env.update(servers.env(), BEREDT_OUTREACH_LEASE_SECONDS="1")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "beredt.settings"
    os.environ["BEREDT_OUTREACH_LEASE_SECONDS"] = "1"
    import django

    django.setup()
    from beredt.followup.models import Campaign, OutreachMessage
    from beredt.registry.models import Registration

    kop, incident = h.seed(people)
    campaign = h.start(kop, incident, per_minute=30_000)  # 500/s: kills land mid-campaign
    log = folder / "worker.log"
    rng = random.Random(25)
    marks = sorted(rng.uniform(0.05, 0.9) * people for _ in range(kills))
    started = time.perf_counter()
    worker = h.start_worker(env, log)
    done_kills = 0
    try:
        for mark in marks:
            if not h.wait_for(lambda m=mark: servers.total() >= m, timeout=300):
                break
            time.sleep(rng.uniform(0, 0.05))  # anywhere in a round
            h.kill(worker)
            done_kills += 1
            worker = h.start_worker(env, log)

        def finished():
            return Campaign.objects.get(pk=campaign.pk).status == "done"

        h.wait_for(finished, timeout=600, step=0.2)
        elapsed = time.perf_counter() - started
    finally:
        h.stop(worker)
        servers.stop()
    copies = collections.Counter(address for address, _key in servers.deliveries())
    address_of = {r.pk: r.email or r.phone for r in Registration.objects.all()}
    status = dict(OutreachMessage.objects.filter(campaign=campaign).values_list(
        "registration_id", "status"))
    per_person = [(copies[address_of[reg]], st) for reg, st in status.items()]
    unknown = [n for n, st in per_person if st == "unknown"]
    return {
        "db": kind, "people": people, "kills": done_kills,
        "duplicates": sum(1 for n, _st in per_person if n > 1),
        "lost": sum(1 for n, st in per_person if n == 0 and st != "unknown"),
        "unknown_for_a_person": len(unknown),
        "unknown_that_arrived": sum(unknown),
        "sms_status_queries": len(servers.gateway.status_queries),
        "to_done_s": round(elapsed, 1),
        "db_status": json.dumps(collections.Counter(status.values())),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    if args.child:
        print("ROWS " + json.dumps([child(args.db, args.people, args.kills)]))
        return
    rows = run_per_database(__file__, args.db,
                            ["--people", str(args.people), "--kills", str(args.kills)])
    print_table(f"Outreach worker killed {args.kills} times during a campaign to {args.people} "
                "people (targets: 0 duplicates, 0 lost, all kills done)", rows)


if __name__ == "__main__":
    main()
