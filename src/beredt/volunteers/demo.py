"""Demo data (``beredt loaddemo``), idempotent: Region Hovedstadens Psykiatri with three
psychiatric acute receptions, Røde Kors as the chosen partner (seed ``004_…``), a unit per
acute reception with an activity leader and the department's contact person, volunteers,
and the rota from five months back to the end of next month (a few gaps left open), with
accompaniments in the past months for the evaluation.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from beredt.organisations import services as org_services
from beredt.organisations.demo import _user
from beredt.organisations.models import OrganisationKind as Kind
from beredt.organisations.models import Role

from . import services
from .models import (
    ONBOARDING_ITEMS,
    AccompanyRequest,
    Onboarding,
    Partnership,
    RequestStatus,
    Volunteer,
    VolunteerShift,
    VolunteerUnit,
)

RECEPTIONS = [
    ("pck", "Psykiatrisk Center København", "Psykiatrisk Akutmodtagelse Bispebjerg",
     "Bispebjerg Bakke 23, 2400 København NV", "Birgitte", "Holm", "Jonas", "Lind"),
    ("pcg", "Psykiatrisk Center Glostrup", "Psykiatrisk Akutmodtagelse Glostrup",
     "Nordre Ringvej 29-67, 2600 Glostrup", "Camilla", "Berg", "Mads", "Riis"),
    ("pcn", "Psykiatrisk Center Nordsjælland", "Psykiatrisk Akutmodtagelse Hillerød",
     "Dyrehavevej 48, 3400 Hillerød", "Dorte", "Kjær", "Nikolaj", "Friis"),
]
VOLUNTEERS = [
    ("Anna", "Møller"), ("Bent", "Larsen"), ("Inge", "Dahl"), ("Omar", "Haddad"),
    ("Karin", "Skov"), ("Peter", "Juul"), ("Sofie", "Krogh"), ("Hans", "Bech"),
    ("Ida", "Lund"), ("Erik", "Thomsen"), ("Maja", "Winther"), ("Ali", "Yilmaz"),
]


def _month(day: dt.date, delta: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def load(*, stdout) -> None:
    e = org_services.ensure_organisation
    region_h = e(name="Region Hovedstadens Psykiatri", short_name="RHP",
                 kind=Kind.REGION_PSYCHIATRY, region_id=1084)
    red_cross = e(name="Røde Kors Hovedstaden", short_name="Røde Kors",
                  kind=Kind.VOLUNTEER_ORGANISATION, region_id=1084)
    today = timezone.localdate()
    first_month = _month(today, -5)
    coordinator = _user("rk-koordinator", "Rikke", "Kofoed", title="Frivilligkoordinator",
                        phone="+45 3100 0001")
    org_services.ensure_membership(user=coordinator, organisation=red_cross,
                                   role=Role.VOLUNTEER_COORDINATOR)
    lead = _user("rhp-projektleder", "Pia", "Nørgaard", title="Projektleder, frivillighed",
                 phone="+45 3100 0002")
    org_services.ensure_membership(user=lead, organisation=region_h, role=Role.PREPAREDNESS_LEAD)
    Partnership.objects.update_or_create(
        organisation=red_cross, commissioner=region_h,
        defaults={
            "candidates": "Røde Kors, SIND, Bedre Psykiatri, Håb i Psykiatrien",
            "meetings": "Kvalificerende møder med Røde Kors, Sind, Håb i Psykiatrien og Bedre "
                        "Psykiatri i slutningen af marts og starten af april 2024.",
            "decided_by": "Social- og Psykiatriudvalget",
            "decided_on": dt.date(2024, 6, 18),
            "decision": "Røde Kors vælges: erfaring med patientstøtte i akutmodtagelser "
                        "(Herlev, Gentofte, Slagelse) og med at rekruttere, oplære og "
                        "organisere frivillige i enheder med aktivitetsledere.",
            "agreement_from": first_month,
            "agreement_until": dt.date(first_month.year + 1, first_month.month, 1)
            - dt.timedelta(days=1),
        },
    )
    volunteer_names = iter(VOLUNTEERS)
    created_shifts = 0
    for n, (code, dept_name, site_name, address, c_first, c_last, l_first, l_last) in enumerate(
        RECEPTIONS
    ):
        dept = e(name=dept_name, short_name=dept_name.replace("Psykiatrisk Center", "PC"),
                 parent=region_h, kind=Kind.PSYCHIATRIC_DEPARTMENT, region_id=1084)
        site = org_services.ensure_site(organisation=dept, name=site_name, address=address)
        unit, _created = VolunteerUnit.objects.update_or_create(
            organisation=red_cross, site=site,
            defaults={"name": f"Patientstøtten {site_name.split()[-1]}",
                      "place": "Modtagelsens skranke", "shift_hours": "10-14,16-20",
                      "notice_hours": 48},
        )
        VolunteerUnit.objects.filter(pk=unit.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(first_month, dt.time(8))))
        leader = _user(f"rk-aktivitetsleder-{code}", l_first, l_last, title="Aktivitetsleder",
                       phone=f"+45 3200 00{n}1")
        contact = _user(f"{code}-kontaktperson", c_first, c_last,
                        title="Sygeplejerske, kontaktperson",
                        phone=f"+45 3300 00{n}1")
        staff = _user(f"{code}-akutmodtagelse", "Personale", site_name.split()[-1],
                      title="Sygeplejerske, akutmodtagelsen", phone=f"+45 3300 00{n}2")
        for person in (contact, staff):
            org_services.ensure_membership(user=person, organisation=dept, role=Role.VIEWER,
                                           site=site)
        org_services.ensure_membership(user=leader, organisation=red_cross, role=Role.VIEWER)
        unit.activity_leaders.add(leader)
        unit.contact_persons.add(contact)
        people = []
        for i in range(4):
            first, last = next(volunteer_names)
            user = _user(f"frivillig-{first.lower()}", first, last, title="Frivillig patientstøtte",
                         phone=f"+45 4{n}00 00{i}0")
            user.memberships.all().delete()  # a volunteer holds no membership at all
            started = first_month + dt.timedelta(days=7 * i)
            volunteer, _c = Volunteer.objects.update_or_create(
                user=user, defaults={"unit": unit, "started_on": started,
                                     "training_done_on": started - dt.timedelta(days=10),
                                     "availability": ["Hverdage", "Aftener", "Weekender",
                                                      "Efter aftale"][i]},
            )
            people.append(volunteer)
            if i < 3:
                Onboarding.objects.get_or_create(
                    volunteer=volunteer,
                    defaults={"items": [k for k, _l in ONBOARDING_ITEMS], "signed_by": contact},
                )
        if not unit.shifts.exists():
            created_shifts += _rota(unit, people, leader, staff, first_month, today)
    logins = [("rk-koordinator", "Frivilligkoordinator – Røde Kors"),
              ("rk-aktivitetsleder-pck", "Aktivitetsleder – Bispebjerg"),
              ("pck-kontaktperson", "Kontaktperson – Bispebjerg"),
              ("pck-akutmodtagelse", "Akutmodtagelsen – Bispebjerg (Ring til patientstøtten)"),
              ("frivillig-anna", "Frivillig patientstøtte – Bispebjerg"),
              ("rhp-projektleder", "Projektleder – evaluering")]
    from django.apps import apps

    config = apps.get_app_config("organisations")
    known = {u for u, _w in getattr(config, "demo_logins", [])}
    config.demo_logins = [*getattr(config, "demo_logins", []),
                          *[row for row in logins if row[0] not in known]]
    stdout.write(f"volunteers: 3 acute receptions, {created_shifts} shifts")


def _rota(unit, people, leader, staff, first_month, today) -> int:
    """Open shifts for every month, then the volunteers in turn, with a gap now and then."""
    months = [_month(first_month, i) for i in range(7)]
    for month in months:
        services.plan_month(by=leader, unit=unit, month=month)
    shifts = list(unit.shifts.order_by("starts_at"))
    turn = itertools.cycle(people)
    now = timezone.now()
    to_update = []
    for i, shift in enumerate(shifts):
        volunteer = next(turn)
        if i % 9 == 4 or shift.starts_at.date() < volunteer.started_on:
            continue  # a gap, shown in red
        shift.volunteer = volunteer
        to_update.append(shift)
    VolunteerShift.objects.bulk_update(to_update, ["volunteer"])
    # Accompaniments in the past: about one in three covered shifts had one.
    rows = []
    for i, shift in enumerate(s for s in to_update if s.ends_at < now):
        if i % 3:
            continue
        rows.append(AccompanyRequest(
            shift=shift, asked_by=staff, needed_at=shift.starts_at + dt.timedelta(hours=1),
            place=["Venteværelset", "Skranken", "Undersøgelsesrum 2"][i % 3],
            without_relative=i % 4 != 0,
            status=RequestStatus.DECLINED if i % 10 == 9 else RequestStatus.ACCEPTED,
            answered_at=shift.starts_at + dt.timedelta(hours=1, minutes=2),
        ))
    AccompanyRequest.objects.bulk_create(rows)
    # Someone is on shift right now at every reception (demo of "Ring til patientstøtten").
    covered_now = unit.shifts.filter(starts_at__lte=now, ends_at__gt=now, volunteer__isnull=False)
    if not covered_now.exists():
        current = unit.shifts.filter(starts_at__lte=now, ends_at__gt=now).first()
        if current is not None:
            current.volunteer = people[0]
            current.save(update_fields=["volunteer"])
        else:
            free = next((p for p in people if not p.shifts.filter(
                starts_at__lt=now + dt.timedelta(hours=3), ends_at__gt=now - dt.timedelta(hours=1)
            ).exists()), None)
            if free is not None:
                VolunteerShift.objects.create(unit=unit, volunteer=free,
                                              starts_at=now - dt.timedelta(hours=1),
                                              ends_at=now + dt.timedelta(hours=3))
    return unit.shifts.count()
