"""Alarm latency during a 10,000-person outreach campaign (issue 25: an alarm raised during a
campaign reached the KOP after 29 s when one worker served every queue).

Real ``beredt db_worker`` processes, a local SMTP server and SMS gateway. While the campaign
is sending, five departments are alarmed one after another (``raise_alarm``: the KOP on
every channel); measured is the time from the alarm's commit until the gateway accepted the
KOP's SMS. Two set-ups: one worker for every queue (``--queue-name '*'``: alert tasks go
first, campaign chunks stop after half a second) and the deployment's two workers (``alerts``
and ``default,outreach``). Target: under ~1 s behind the campaign, even with one worker.

    .venv/bin/python benchmarks/bench_alarm_during_campaign.py [--db sqlite|postgres|both]
        [--people 10000] [--alarms 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import PG_URL, print_table, run_per_database, summary_ms  # noqa: E402

from tests.followup import campaign_harness as h  # noqa: E402

SETUPS = {"one worker, every queue": ["*"],
          "alerts worker + campaign worker": ["alerts", "default,outreach"]}


def departments(n: int):
    from beredt.accounts.models import User
    from beredt.organisations.models import Membership, Organisation

    parent = Organisation.objects.get(name="Psykiatrien")
    out = []
    for i in range(n):
        dept = Organisation.objects.create(name=f"Afdeling {i}", kind="psychiatric_department",
                                           parent=parent, region_id=1082)
        kop = User.objects.create_user(f"kop{i}", email=f"kop{i}@example.org",
                                       phone=f"+4571{i:06d}")
        Membership.objects.create(user=kop, organisation=dept, role="kop")
        out.append((dept, kop))
    return out


def child(kind: str, people: int, alarms: int) -> list[dict]:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bench-alarm-campaign-", dir=ROOT / "var"))
    servers = h.LocalServers()
    if kind == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
    env = h.fresh_database(kind, "beredt_bench_alarm_campaign", folder)
    env.update(servers.env(), BEREDT_OUTREACH_LEASE_SECONDS="5")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "beredt.settings"
    import django

    django.setup()
    from beredt.accounts.models import User
    from beredt.activation import services
    from beredt.activation.models import Alarm

    lead, incident = h.seed(people)
    lead.phone = "+4529999999"
    lead.save()
    rows = []
    depts = departments(alarms)
    for label, queues in SETUPS.items():
        Alarm.objects.all().update(status="cancelled")
        servers.sink.messages.clear()
        servers.gateway.accepted.clear()
        h.start(lead, incident, per_minute=1_000_000)
        workers = [h.start_worker(env, folder / "worker.log", queues=q) for q in queues]
        latencies, during = [], []
        try:
            h.wait_for(lambda: servers.total() >= 500, timeout=300)
            for dept, kop in depts:
                by = User.objects.get(pk=lead.pk)
                raised = time.perf_counter()
                services.raise_alarm(by=by, incident=incident, organisation=dept)

                def arrived(phone=kop.phone):
                    with servers.gateway.lock:
                        return any(r["body"]["to"] == phone for r in servers.gateway.accepted)

                ok = h.wait_for(arrived, timeout=120, step=0.005)
                latencies.append(time.perf_counter() - raised if ok else float("inf"))
                during.append(servers.total())
                time.sleep(0.3)
            h.wait_for(lambda: servers.total() >= people + 2 * alarms, timeout=600, step=0.05)
        finally:
            for worker in workers:
                h.stop(worker)
        figures = summary_ms(latencies)
        rows.append({"db": kind, "setup": label, "campaign": people, "alarms": len(latencies),
                     "delivered_when_alarmed": f"{min(during)}–{max(during)}",
                     "p50_ms": figures["p50_ms"], "max_ms": max(latencies) * 1000,
                     "target_ms": 1000, "ok": max(latencies) < 1.0})
    servers.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--alarms", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    if args.child:
        print("ROWS " + json.dumps(child(args.db, args.people, args.alarms)))
        return
    rows = run_per_database(__file__, args.db,
                            ["--people", str(args.people), "--alarms", str(args.alarms)])
    print_table(f"Alarm latency (alarm committed → KOP's SMS accepted) during a campaign to "
                f"{args.people} people", rows)


if __name__ == "__main__":
    main()
