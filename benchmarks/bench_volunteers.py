"""Volunteer patient supports: the first-year evaluation, the month rota and
"Ring til patientstøtten" on the demo data (three acute receptions, seven months of rota).

    python benchmarks/bench_volunteers.py [--db sqlite|postgres|both] [--rounds 20]

Times ``evaluation.evaluate`` over the twelve months (all units), ``selectors.month_shifts``
of one unit (the rota page's query, materialised with wishes), and ``create_request`` (who
is on shift, the request row, SMS + in-app messages queued and their delivery task
enqueued; nothing is sent). No target is set by the issue; these are reference figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import print_table, setup_django, summary_ms


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def run(kind: str, rounds: int) -> list[dict]:
    setup_django(kind)
    from django.apps import apps
    from django.utils import timezone

    from beredt.accounts.models import User
    from beredt.volunteers import evaluation, selectors, services
    from beredt.volunteers.models import VolunteerShift, VolunteerUnit

    for label in ("geo", "organisations", "volunteers"):
        apps.get_app_config(label).load_demo(stdout=io.StringIO())
    unit = VolunteerUnit.objects.order_by("pk").first()
    staff = User.objects.get(username="pck-akutmodtagelse")
    now = timezone.now()
    if not selectors.on_duty(unit).exists():
        free = unit.volunteers.first()
        VolunteerShift.objects.create(unit=unit, volunteer=free, starts_at=now,
                                      ends_at=now + dt.timedelta(hours=4))
    start = VolunteerUnit.objects.order_by("created_at").first().created_at.date().replace(day=1)
    end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    month = timezone.localdate().replace(day=1)
    shifts = VolunteerShift.objects.count()
    rows = [
        {"what": f"evaluate 12 months, 3 units ({shifts} shifts)",
         **summary_ms(timed(lambda: evaluation.evaluate(start=start, end=end,
                                                        organisation_ids=None), rounds))},
        {"what": "month rota of one unit",
         **summary_ms(timed(lambda: list(selectors.month_shifts(unit, month)), rounds))},
        {"what": "create_request (call the volunteer on shift)",
         **summary_ms(timed(lambda: services.create_request(
             by=staff, unit=unit, place="Venteværelse 2", without_relative=True), rounds))},
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if args.db == "both":
        for kind in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--db", kind, "--rounds",
                            str(args.rounds)], check=True)
        return
    print_table(f"volunteer patient supports ({args.db})", run(args.db, args.rounds))


if __name__ == "__main__":
    main()
