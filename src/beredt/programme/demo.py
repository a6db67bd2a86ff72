"""Demo: Randers's programme staff, the hospital's referrer and a Randers case in each phase
(idempotent: fixed client ids; a case made before is left as it is)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from beredt.accounts.models import User
from beredt.organisations.demo import DEMO_PASSWORD
from beredt.organisations.models import Organisation

from . import services
from .models import Criterion, PlanKind, ProgrammeMembership, ProgrammeRole

NAMESPACE = uuid.UUID("7d4c1f0a-93f5-4a7e-9d0b-5a3c2e1f6b21")
STAFF = [
    ("akutafdeling", "Anne", "Krogh", "Sygeplejerske, Akutafdelingen", "hospital",
     ProgrammeRole.REFERRER),
    ("akuttilbud", "Bo", "Skov", "Medarbejder, akuttilbuddet", "municipality",
     ProgrammeRole.ACUTE_OFFER),
    ("skp", "Sofie", "Kjær", "Støtte-kontakt-person", "municipality", ProgrammeRole.SKP),
    ("myndighed", "Morten", "Dahl", "Myndighedsrådgiver", "municipality",
     ProgrammeRole.CASEWORKER),
    ("teamleder", "Tina", "Lund", "Teamleder, Psykiatri og Handicap", "municipality",
     ProgrammeRole.LEADER),
]
ELIGIBLE = {c.value: c.value in ("acute_admission", "discharged_without_ward")
            for c in Criterion}
CASES = [
    ("not_offered", "Henrik Mølgaard", "0311791235", {**ELIGIBLE, "already_in_treatment": True}),
    ("referred", "Line Bach", "1204921244", ELIGIBLE),
    ("contact", "Kasper Vinther", "2307881233", ELIGIBLE),
    ("contract", "Maria Holt", "0509951246", ELIGIBLE),
    ("relapse", "Jens Kirk", "1702831237", ELIGIBLE),
    ("closed", "Camilla Friis", "2811901248", ELIGIBLE),
]


def _user(username, first, last, title) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={
        "first_name": first, "last_name": last, "title": title,
        "email": f"{username}@demo.beredt.dk"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load(*, stdout) -> None:
    hospital = Organisation.objects.filter(name="Regionspsykiatrien Randers").first()
    municipality = Organisation.objects.filter(name="Psykiatri og Handicap",
                                               municipality_id=730).first()
    if hospital is None or municipality is None:
        stdout.write("programme: no demo organisations, skipped")
        return
    users = {}
    for username, first, last, title, where, role in STAFF:
        users[username] = user = _user(username, first, last, title)
        ProgrammeMembership.objects.get_or_create(
            user=user, role=role, organisation=hospital if where == "hospital" else municipality)
    made = 0
    for i, (phase, name, number, eligibility) in enumerate(CASES):
        case, created = services.refer(
            by=users["akutafdeling"], client_id=uuid.uuid5(NAMESPACE, phase), data={
                "municipality_code": 730, "full_name": name, "cpr": number,
                "phone": f"+45 40 1{i} 22 3{i}", "gp": "Lægehuset Randers Nord, Torvegade 4",
                "admitted_on": timezone.localdate() - dt.timedelta(days=70 - i),
                "admission_number": 2, "eligibility": eligibility,
                "note": "Ensomhed, økonomi og manglende netværk efter skilsmisse.",
                "consents": [{"purpose": p, "method": "verbal_witnessed", "witness": "Anne Krogh"}
                             for p in ("programme", "share_hospital", "share_gp", "cave")]})
        if created:
            made += 1
            _advance(case, phase, users)
    stdout.write(f"programme: {len(STAFF)} demo staff, {made} demo cases created")


def _advance(case, phase: str, users) -> None:
    order = ["referred", "contact", "contract", "relapse", "closed"]
    if phase not in order or phase == "referred":
        return
    today = timezone.localdate()
    skp, hospital = users["skp"], users["akutafdeling"]
    services.log_call(by=hospital, case=case, side="hospital", number="24900783",
                      line_name="Randers Kommune, akuttelefon aften og weekend",
                      agreed="SKP ringer i morgen kl. 10 og aftaler møde på afdelingen.")
    services.assign(by=skp, case=case, side="municipality", skp_id=skp.pk,
                    caseworker_id=users["myndighed"].pk)
    services.change_phase(by=skp, case=case, side="municipality", to="contact",
                          contact_option="skp_talk")
    services.save_plan(by=skp, case=case, side="municipality", kind=PlanKind.CRISIS, data={
        "wants_from_talk": "Ro på og en plan for de næste dage.",
        "background": "Skilsmisse, alene i lejligheden, ikke sovet i tre døgn.",
        "wish": "At kunne klare sig selv uden at blive indlagt igen.",
        "phase1_safety": "Sidder hjemme, alene. Telefonen er hendes egen.",
        "phase2_health": "Søsteren bor i Aarhus; naboen kan kontaktes.",
        "phase3_ending": "Ringer til søsteren i aften; SKP ringer i morgen.",
        "may_contact_again": True})
    if phase == "contact":
        return
    weeks_ago = {"contract": 1, "relapse": 4, "closed": 7}[phase]
    start = today - dt.timedelta(weeks=weeks_ago)
    services.change_phase(by=skp, case=case, side="municipality", to="contract")
    services.save_plan(by=skp, case=case, side="municipality", kind=PlanKind.CONTRACT, data={
        "start_date": start, "goals": ["Sove mindst 6 timer om natten",
                                       "Genoptage kontakten til søsteren",
                                       "Styr på økonomien og e-Boks"],
        "actions": ["Faste ugentlige møder med SKP", "Besøg på værestedet to gange om ugen",
                    "Tid hos egen læge til afklaring"],
        "expectations": "Borgeren møder op eller melder afbud; SKP ringer dagen før.",
        "responsibilities": [{"who": "Borger", "what": "Holder aftalerne"},
                             {"who": "SKP", "what": "Ringer og følger op"}],
        "priorities": ["Søvn", "Økonomi", "Netværk"],
        "other_helpers": "Rusmiddelcenter ved behov; jobcenteret orienteres.",
        "consent_note": "Samtykke til samarbejde med egen læge og jobcenter.",
        "signed_citizen_on": start.isoformat(), "signed_skp_on": start.isoformat()})
    for day, minutes in ((0, 120), (2, 90), (4, 150)):
        services.log_hours(by=skp, case=case, side="municipality",
                           date=min(start + dt.timedelta(days=day), today), minutes=minutes,
                           kind="face_to_face", note="Samtale og praktisk hjælp")
    services.add_meeting(by=skp, case=case, side="municipality",
                         starts_at=timezone.now() - dt.timedelta(days=2), place="Rådhuset",
                         participants=[{"name": "Sofie Kjær", "role": "SKP"},
                                       {"name": "Morten Dahl", "role": "Myndighedsrådgiver"}],
                         caseworker_invited=True, minutes_text="Status på forløbet.",
                         decisions="4 ekstra timer bevilget.", extra_hours=4)
    services.add_helper(by=skp, case=case, side="municipality", kind="family",
                        name="Søster", relation="Bor i Aarhus", phone="+45 20 30 40 50")
    if phase == "contract":
        return
    services.change_phase(by=skp, case=case, side="municipality", to="relapse")
    services.save_plan(by=skp, case=case, side="municipality", kind=PlanKind.RELAPSE, data={
        "changed": "Sover bedre, har overblik over regningerne.",
        "keep_using": "Fast døgnrytme og ugeplan på køleskabet.",
        "warning_inner": "Uro i kroppen, tankemylder om natten.",
        "warning_outer": "Aflyser aftaler, svarer ikke telefonen.",
        "high_risk": "Weekender alene; når der kommer rykkere.",
        "good_things": ["Ringe til søsteren", "Gå en tur", "Ringe til akuttelefonen"]})
    if phase == "closed":
        services.close(by=skp, case=case, side="municipality", outcome="close",
                       note="Målene er nået.")
