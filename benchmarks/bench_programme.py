"""Change programme: the municipal case list and the leader's overview with 10,000 cases.

    python benchmarks/bench_programme.py [--db sqlite|postgres|both] [--cases 10000] [--rounds 20]

Builds ``--cases`` cases of Randers (730) spread over 24 months and every phase (one
municipality: the worst case for a Randers user, who sees them all), with hour totals and
readmissions, then through Django's test client (full middleware stack, no network) times
the case list page (first and a far page, open cases and one phase), the API's list, and the
leader's overview page and API. Each list page writes its 50 audit rows, as in production.
Target from issue 16: p95 per page printed (no fixed figure in the issue).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import print_table, setup_django, summary_ms
from bench_public_pages import timed  # the same timing loop

PHASES = ("not_offered", "referred", "contact", "contract", "relapse", "closed")


def build(count: int):
    from django.utils import timezone

    from beredt.accounts.models import User
    from beredt.core.cpr import lookup_hash
    from beredt.organisations.models import Organisation, OrganisationKind
    from beredt.programme.models import Case, ProgrammeMembership, Readmission

    hospital = Organisation.objects.create(name="Regionspsykiatrien Randers", region_id=1082,
                                           kind=OrganisationKind.PSYCHIATRIC_DEPARTMENT)
    kommune = Organisation.objects.create(name="Randers Kommune", municipality_id=730,
                                          region_id=1082, kind=OrganisationKind.MUNICIPALITY)
    referrer = User.objects.create_user(username="referrer", password="bench-password-123")
    skp = User.objects.create_user(username="skp", password="bench-password-123")
    leader = User.objects.create_user(username="leader", password="bench-password-123")
    ProgrammeMembership.objects.create(user=referrer, organisation=hospital, role="referrer")
    ProgrammeMembership.objects.create(user=skp, organisation=kommune, role="skp")
    ProgrammeMembership.objects.create(user=leader, organisation=kommune, role="leader")
    now = timezone.now()
    cases = []
    for i in range(count):
        phase = PHASES[i % len(PHASES)]
        referred = now - dt.timedelta(hours=i * 1.7)
        start = referred.date() + dt.timedelta(days=3) if phase in (
            "contract", "relapse", "closed") else None
        number = f"{(i % 28) + 1:02d}{(i % 12) + 1:02d}8{i % 10}{i % 10000:04d}"
        cases.append(Case(
            client_id=uuid.uuid4(), full_name=f"Borger {i}", cpr=number,
            cpr_hash=lookup_hash(number), birth_date=dt.date(1980 + i % 10, i % 12 + 1,
                                                             i % 28 + 1),
            municipality_id=730, referring_organisation=hospital, referred_by=referrer,
            referred_at=referred, admitted_on=referred.date(), phase=phase,
            eligibility={}, contract_start=start,
            programme_minutes=(i * 37) % 1920 if start else 0,
            followup_minutes=(i * 11) % 300 if phase == "closed" else 0,
            outcome="close" if phase == "closed" else "",
            closed_at=referred + dt.timedelta(days=45) if phase == "closed" else None))
    Case.objects.bulk_create(cases, batch_size=500)
    closed = list(Case.objects.filter(phase="closed").values_list("pk", "closed_at")[::4])
    Readmission.objects.bulk_create([
        Readmission(case_id=pk, admitted_on=(at + dt.timedelta(days=90)).date(),
                    recorded_by=referrer) for pk, at in closed])
    return skp, leader


def run(kind: str, count: int, rounds: int) -> list[dict]:
    setup_django(kind)
    from django.conf import settings

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    t0 = time.perf_counter()
    skp, leader = build(count)
    built = time.perf_counter() - t0
    staff, boss = Client(), Client()
    staff.force_login(skp)
    boss.force_login(leader)
    far = count // 6 // 50  # a far page of one phase
    pages = [
        ("case list, open, page 1", staff, "/programme/"),
        ("case list, open, page 40", staff, "/programme/?phase=open&page=40"),
        (f"case list, contract, page {far}", staff, f"/programme/?phase=contract&page={far}"),
        ("API cases, page 1", staff, "/api/v1/programme/cases"),
        ("API cases, page 100", staff, "/api/v1/programme/cases?page=100"),
        ("leader's overview page", boss, "/programme/overview/"),
        ("API overview", boss, "/api/v1/programme/overview"),
    ]
    rows = []
    for name, client, url in pages:
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)
        times = timed(lambda c=client, u=url: c.get(u, secure=True), rounds)
        rows.append({"db": kind, "cases": count, "page": name, **summary_ms(times)})
    print(f"({kind}: {count} cases built in {built:.1f} s)")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if args.db == "both":
        for kind in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--db", kind, "--cases", str(args.cases),
                            "--rounds", str(args.rounds)], check=True)
        return
    rows = run(args.db, args.cases, args.rounds)
    print_table(f"change programme ({args.db}): p95 per page", rows)


if __name__ == "__main__":
    main()
