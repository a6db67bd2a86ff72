"""Open-now for every municipality with a directory of 10,000 services / 30,000 rules.

    python benchmarks/bench_directory_open_now.py [--db sqlite|postgres|both]
        [--services 10000] [--rounds 3]

Builds a synthetic directory (seed 003 plus generated services spread over the 98
municipalities, three opening rules each, a mix of day, evening, night, weekend,
24-hour and holiday rules; every region gets two 24-hour lines), then times
``directory.selectors.open_now`` for every municipality at several moments (weekday
morning, evening, night, a public holiday). Target: p95 under 10 ms per query.
Besides wall-clock time it prints this process's CPU time per query (``cpu_*``): on a busy
machine the wall clock includes waiting for a CPU; PostgreSQL's own work is not in it.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import print_table, setup_django, summary_ms

RULE_SETS = [
    "MO-FR 08:00-15:00 -holidays; SA,SU 10:00-14:00; holidays 10:00-14:00",
    "MO-FR 15:00-22:00 -holidays; SA,SU 08:00-22:00; daily 22:00-08:00",
    "MO,TU 08:30-15:00 -holidays; TH 08:30-17:00 -holidays; FR 08:30-12:00 -holidays",
    "MO-WE 09:00-15:00; TH 14:00-18:00; FR 09:00-12:00",
    "daily 00:00-23:59; SA 10:00-12:00; SU 10:00-12:00",
    "daily 12:00-22:00; MO 08:00-09:00; holidays 08:00-12:00",
]


def varied(rng: random.Random, rules: list[dict]) -> list[dict]:
    """The pattern with its hours shifted by up to ±2 hours in quarter hours, so that few
    services share identical rules (as in real data)."""
    shift = timedelta(minutes=15 * rng.randint(-8, 8))
    out = []
    for rule in rules:
        if rule["opens_at"] == dtime(0) and rule["closes_at"] == dtime(23, 59):
            out.append(rule)
            continue
        base = datetime(2000, 1, 3)
        out.append({**rule, "opens_at": (datetime.combine(base, rule["opens_at"]) + shift).time(),
                    "closes_at": (datetime.combine(base, rule["closes_at"]) + shift).time()})
    return out


def build(n_services: int) -> tuple[int, int]:
    from django.db import transaction

    from beredt.directory.hours import parse_hours
    from beredt.directory.models import Phone, Provider, Schedule, Service
    from beredt.directory.services import load_seed_003
    from beredt.geo.models import Municipality, Region

    load_seed_003()
    rng = random.Random(3)
    municipalities = list(Municipality.objects.values_list("code", "region_id"))
    parsed = [parse_hours(text) for text in RULE_SETS]
    with transaction.atomic():
        providers = {code: Provider.objects.get_or_create(name=f"Kommune {code}")[0]
                     for code, _region in municipalities}
        for region in Region.objects.all():
            provider = Provider.objects.get_or_create(name=f"Region {region.code}")[0]
            for i in range(2):
                svc = Service.objects.create(provider=provider, kind="line", region=region,
                                             name=f"Regionslinje {region.code}-{i}", rank=50 + i)
                Phone.objects.create(service=svc, number=f"7{region.code:04d}{i:03d}")
                Schedule.objects.create(service=svc, **parse_hours("daily 00:00-23:59")[0])
        services, phones, rules = [], [], []
        for i in range(n_services):
            code, region = municipalities[i % len(municipalities)]
            svc = Service(provider=providers[code], kind="line",
                          municipality_id=code, region_id=region, name=f"Tilbud {i}",
                          rank=rng.randint(1, 99))
            services.append(svc)
            phones.append(Phone(service=svc, number=f"{20000000 + i}"))
            chosen = varied(rng, parsed[rng.randrange(len(parsed))])
            for position, rule in enumerate((chosen * 3)[:3]):
                rules.append(Schedule(service=svc, position=position, **rule))
        Service.objects.bulk_create(services, batch_size=2000)
        Phone.objects.bulk_create(phones, batch_size=2000)
        Schedule.objects.bulk_create(rules, batch_size=2000)
    return Service.objects.count(), Schedule.objects.count()


def run(kind: str, n_services: int, rounds: int) -> list[dict]:
    setup_django(kind)
    from django.db import connection

    from beredt.directory.hours import TZ
    from beredt.directory.selectors import open_now
    from beredt.geo.models import Municipality

    started = time.perf_counter()
    services, rules = build(n_services)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    codes = list(Municipality.objects.values_list("code", flat=True))
    moments = {
        "weekday 10:00": datetime(2026, 11, 17, 10, 0, tzinfo=TZ),
        "weekday 19:00": datetime(2026, 11, 17, 19, 0, tzinfo=TZ),
        "night 03:00": datetime(2026, 11, 18, 3, 0, tzinfo=TZ),
        "holiday 25 Dec": datetime(2026, 12, 25, 11, 0, tzinfo=TZ),
    }
    for code in codes[:5]:  # warm up connections and caches
        open_now(code, moments["weekday 10:00"])
    rows = []
    all_times: list[float] = []
    all_cpu: list[float] = []  # this process's CPU time: shows how busy the machine was
    lines_seen = 0
    for label, at in moments.items():
        times, cpu = [], []
        for _round in range(rounds):
            for code in codes:
                t0, c0 = time.perf_counter(), time.process_time()
                result = open_now(code, at)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                lines_seen += len(result.open) + len(result.region) + len(result.closed)
        all_times.extend(times)
        all_cpu.extend(cpu)
        rows.append({"db": kind, "moment": label, **summary_ms(times),
                     "cpu_p50_ms": summary_ms(cpu)["p50_ms"],
                     "cpu_p95_ms": summary_ms(cpu)["p95_ms"]})
    rows.append({"db": kind, "moment": "all", **summary_ms(all_times),
                 "cpu_p50_ms": summary_ms(all_cpu)["p50_ms"],
                 "cpu_p95_ms": summary_ms(all_cpu)["p95_ms"]})
    print(f"\n{kind}: {services} services, {rules} schedule rules, built in {built:.1f} s; "
          f"{len(codes)} municipalities; {lines_seen // max(len(all_times), 1)} lines per "
          "answer on average")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.db == "both":
        # One Django set-up per process: run each database in its own child process.
        for kind in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--db", kind, "--services",
                            str(args.services), "--rounds", str(args.rounds)], check=True)
        return
    rows = run(args.db, args.services, args.rounds)
    print_table(f"directory open_now per query ({args.db}); target p95 < 10 ms", rows)


if __name__ == "__main__":
    main()
