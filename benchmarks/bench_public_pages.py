"""Public site: server time and weight of each page, self-registration and confirmation.

    python benchmarks/bench_public_pages.py [--db sqlite|postgres|both] [--rounds 50]

Sets up seed 003 (directory), an incident with a published page, then through Django's
test client (the full middleware stack, no network) times GET of every public page type
in Danish and Arabic, a valid self-registration POST (each from its own IP, so the rate
limit does not interfere) and the staff confirmation into the registry. Prints the page
weight as sent (HTML + the stylesheet; no script, no fonts). Target from issue 7: every
public page under 100 kB (also asserted in tests/public/test_budget.py).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import print_table, setup_django, summary_ms

CSS = Path(__file__).resolve().parent.parent / "src/beredt/public/static/beredt/public.css"


def build():
    from beredt.accounts.models import User
    from beredt.directory.services import load_seed_003
    from beredt.incidents import services as incident_services
    from beredt.incidents.models import AssignmentRole
    from beredt.organisations.models import Membership, Organisation, OrganisationKind, Role
    from beredt.public import services

    load_seed_003()
    org = Organisation.objects.create(name="Psykiatrien", region_id=1082,
                                      kind=OrganisationKind.REGION_PSYCHIATRY)
    kop = User.objects.create_user(username="kop", password="bench-password-123")
    Membership.objects.create(user=kop, organisation=org, role=Role.KOP)
    incident, _ = incident_services.create_incident(
        by=kop, title="Brand på havnen", kind="fire", municipality_code=730,
        lead_organisation_id=org.pk)
    registrar = User.objects.create_user(username="registrar", password="bench-password-123")
    incident_services.assign(by=kop, incident=incident, user=registrar,
                             role=AssignmentRole.REGISTRAR)
    page = services.save_incident_page(by=kop, incident=incident, publish=True, data={
        "title": "Brand på havnen", "what_happened": "Brand i en lagerhal. Den er slukket.",
        "hotline_phone": "8915 1515", "hotline_hours": "Hele døgnet",
        "epc_location": "Randers Rådhus", "followup_offered": "Kriseteamet tilbyder samtaler."})
    return page, registrar


def timed(fn, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def run(kind: str, rounds: int) -> list[dict]:
    setup_django(kind)
    from django.conf import settings

    # Plain static storage: no collectstatic manifest needed for {% static %}.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    from django.test import Client
    from django.test.utils import setup_test_environment

    from beredt.public import services
    from beredt.public.models import SelfRegistration

    setup_test_environment()
    settings.PUBLIC_SELFREG_LIMIT_PER_INCIDENT = (10**6, 3600)
    page, registrar = build()
    client = Client()  # requests are made as https (SECURE_SSL_REDIRECT is on)
    css = CSS.stat().st_size
    rows = []
    for lang in ("da", "ar"):
        for name, url in [("home", f"/hjaelp/{lang}/"), ("reactions", f"/hjaelp/{lang}/reactions/"),
                          ("municipality 730", f"/hjaelp/{lang}/kommune/730/"),
                          ("incident page", f"/hjaelp/{lang}/h/{page.slug}/")]:
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)
            times = timed(lambda url=url: client.get(url, secure=True), rounds)
            rows.append({"db": kind, "page": f"{name} ({lang})", **summary_ms(times),
                         "kB_html+css": round((len(response.content) + css) / 1024, 1)})
    counter = iter(range(10**6))

    def submit():
        n = next(counter)
        ip = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        client.post(f"/hjaelp/ar/h/{page.slug}/", {
            "full_name": f"Person {n}", "phone": f"2{n:07d}", "postcode": "8900",
            "relation": "present", "consent": "1"}, secure=True, REMOTE_ADDR=ip)

    rows.append({"db": kind, "page": "self-registration POST", **summary_ms(timed(submit, rounds)),
                 "kB_html+css": None})
    pending = list(SelfRegistration.objects.filter(status="pending").values_list("pk", flat=True))
    items = iter(pending)
    confirm_times = timed(lambda: services.confirm_self_registration(
        by=registrar, self_registration_id=next(items)), min(rounds, len(pending)))
    rows.append({"db": kind, "page": "confirm into registry", **summary_ms(confirm_times),
                 "kB_html+css": None})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    if args.db == "both":
        for kind in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--db", kind, "--rounds",
                            str(args.rounds)], check=True)
        return
    rows = run(args.db, args.rounds)
    print_table(f"public pages ({args.db}); target: every page < 100 kB", rows)


if __name__ == "__main__":
    main()
