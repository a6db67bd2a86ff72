"""Alarm a department of 200 people on e-mail and SMS at once (issue 4).

Against local servers (aiosmtpd SMTP, an HTTP SMS gateway, both on 127.0.0.1 port 0): the
call-in service writes the call-outs and 400 messages (+200 in-app) and enqueues delivery in
one transaction; django-tasks-db's worker code runs the delivery task. Reported: time to
write the alarm, and time from the alarm until the servers accepted the last message.
Target: under 5 s on a 2-core machine.

    .venv/bin/python benchmarks/bench_alarm_200.py [--db sqlite|postgres|both] [--people 200]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def run(kind: str, people: int) -> dict:
    from _common import setup_django

    from tests.notify.servers import start_gateway, start_smtp

    sink, stop_smtp = start_smtp()
    gateway, stop_gateway = start_gateway()
    os.environ.update(
        {
            "BEREDT_SMTP_HOST": "127.0.0.1",
            "BEREDT_SMTP_PORT": str(sink.port),
            "BEREDT_SMS_GATEWAY_URL": f"{gateway.url}/sms",
            "BEREDT_SMS_GATEWAY_AUTH": "Bearer bench",
        }
    )
    setup_django(kind)
    from django.core.management import call_command

    from beredt.accounts.models import User
    from beredt.activation import services
    from beredt.incidents import services as incident_services
    from beredt.organisations.models import Membership, Organisation

    dept = Organisation.objects.create(name="Afdeling 200", kind="psychiatric_department")
    lead = User.objects.create_user("lead", email="lead@example.org")
    Membership.objects.create(user=lead, organisation=dept, role="kop")
    users = User.objects.bulk_create(
        [
            User(username=f"m{i:03d}", email=f"m{i:03d}@example.org", phone=f"+4530{i:06d}")
            for i in range(people - 1)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=dept, role="crisis_team") for u in users]
    )
    incident, _ = incident_services.create_incident(
        by=lead,
        title="Brand på plejehjem",
        kind="fire",
        municipality_code=151,
        lead_organisation_id=dept.pk,
    )
    lead.phone = "+4529999999"
    lead.save()

    from django.urls import reverse

    reverse("activation:home")  # load the URLconf once, as a running server has
    started = time.perf_counter()
    callouts = services.call_in_department(by=lead, incident=incident, organisation=dept)
    written = time.perf_counter()
    call_command(
        "db_worker",
        batch=True,
        queue_name="*",
        startup_delay=False,
        reload=False,
        interval=0,
        verbosity=0,
    )
    while len(sink.messages) < people or len(gateway.accepted) < people:
        if time.perf_counter() - started > 120:
            break
        time.sleep(0.005)
    done = time.perf_counter()
    stop_smtp()
    stop_gateway()
    return {
        "db": kind,
        "people": len(callouts),
        "emails": len(sink.messages),
        "sms": len(gateway.accepted),
        "alarm_write_s": written - started,
        "until_last_accepted_s": done - started,
        "target_s": 5.0,
        "ok": done - started < 5.0 and len(sink.messages) == people,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import json

        print("RESULT " + json.dumps(run(args.db, args.people)))
        return
    from _common import print_table

    rows = []
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        # One process per database: Django is configured once per process.
        out = subprocess.run(
            [sys.executable, __file__, "--db", kind, "--people", str(args.people), "--child"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        import json

        rows.append(json.loads(out.split("RESULT ", 1)[1]))
    print_table(f"Alarm {args.people} people on e-mail + SMS", rows)


if __name__ == "__main__":
    main()
