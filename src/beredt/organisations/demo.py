"""Demo organisations and users (``beredt loaddemo``). Idempotent: run it as often as you like.

Region Midtjylland's psychiatry follows seed 000 (HL, the departments, KOP and crisis team
per department, the sites Randers, Horsens, Odder and Herning); Ballerup follows seed 002
(crisis team in PPR under Center for Børn og Unge); Randers is the second municipality
(follow-up of its citizens, seed 003).
"""

from __future__ import annotations

from beredt.accounts.models import User

from . import services
from .models import OrganisationKind as Kind
from .models import Role

DEMO_PASSWORD = "beredt-demo-2026"  # noqa: S105 - printed demo login, never used in production


def _user(username, first, last, *, title="", phone="", superuser=False) -> User:
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "title": title,
            "phone": phone,
            "email": f"{username}@demo.beredt.dk",
            "is_staff": superuser,
            "is_superuser": superuser,
            "is_active": True,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def load(*, stdout) -> list[tuple[str, str]]:
    e = services.ensure_organisation
    psych = e(
        name="Psykiatrien i Region Midtjylland",
        short_name="Psykiatrien RM",
        kind=Kind.REGION_PSYCHIATRY,
        region_id=1082,
        phone="7847 0000",
    )
    amk = e(name="AMK Region Midtjylland", short_name="AMK RM", kind=Kind.AMK, region_id=1082)
    psykoser = e(
        name="Afdeling for Psykoser",
        short_name="AUH Psykoser",
        parent=psych,
        kind=Kind.PSYCHIATRIC_DEPARTMENT,
        region_id=1082,
    )
    depression = e(
        name="Afdeling for Depression og Angst",
        short_name="AUH Depression og Angst",
        parent=psych,
        kind=Kind.PSYCHIATRIC_DEPARTMENT,
        region_id=1082,
    )
    e(
        name="Børne- og Ungdomspsykiatrisk Afdeling",
        short_name="BUP",
        parent=psych,
        kind=Kind.PSYCHIATRIC_DEPARTMENT,
        region_id=1082,
    )
    e(
        name="Retspsykiatrisk Afdeling",
        short_name="Retspsykiatrien",
        parent=psych,
        kind=Kind.PSYCHIATRIC_DEPARTMENT,
        region_id=1082,
    )
    vest = e(
        name="Regionspsykiatrien Vest",
        short_name="RPV",
        parent=psych,
        kind=Kind.PSYCHIATRIC_DEPARTMENT,
        region_id=1082,
    )
    randers_psych = e(
        name="Regionspsykiatrien Randers",
        short_name="RP Randers",
        parent=psych,
        kind=Kind.PSYCHIATRIC_DEPARTMENT,
        region_id=1082,
        municipality_id=730,
    )
    horsens_psych = e(
        name="Regionspsykiatrien Horsens",
        short_name="RP Horsens",
        parent=psych,
        kind=Kind.PSYCHIATRIC_DEPARTMENT,
        region_id=1082,
        municipality_id=615,
    )
    s = services.ensure_site
    site_randers = s(
        organisation=randers_psych,
        name="Randers",
        address="Skovlyvej 15",
        postcode="8930",
        municipality_id=730,
    )
    s(
        organisation=horsens_psych,
        name="Horsens",
        address="Sundvej 30",
        postcode="8700",
        municipality_id=615,
    )
    s(
        organisation=horsens_psych,
        name="Odder",
        address="Hospitalsvej 1",
        postcode="8300",
        municipality_id=727,
    )
    s(
        organisation=vest,
        name="Herning",
        address="Gl. Landevej 61",
        postcode="7400",
        municipality_id=657,
    )

    randers = e(
        name="Randers Kommune",
        kind=Kind.MUNICIPALITY,
        region_id=1082,
        municipality_id=730,
        phone="8915 1515",
    )
    randers_psych_social = e(
        name="Psykiatri og Handicap",
        parent=randers,
        kind=Kind.MUNICIPALITY_CENTRE,
        region_id=1082,
        municipality_id=730,
    )
    ballerup = e(
        name="Ballerup Kommune",
        kind=Kind.MUNICIPALITY,
        region_id=1084,
        municipality_id=151,
        phone="4477 2000",
    )
    cbu = e(
        name="Center for Børn og Unge",
        parent=ballerup,
        kind=Kind.MUNICIPALITY_CENTRE,
        region_id=1084,
        municipality_id=151,
    )
    ppr = e(
        name="PPR – kriseteam",
        parent=cbu,
        kind=Kind.MUNICIPALITY_CENTRE,
        region_id=1084,
        municipality_id=151,
    )
    red_cross = e(
        name="Røde Kors Randers",
        kind=Kind.VOLUNTEER_ORGANISATION,
        region_id=1082,
        municipality_id=730,
    )

    m = services.ensure_membership
    people = [
        ("hl", "Hanne", "Lund", "Hospitalsdirektør", psych, Role.HL, None),
        ("al", "Anders", "Lauritsen", "Ledende overlæge", psykoser, Role.AL, None),
        (
            "beredskab",
            "Bente",
            "Riis",
            "Faglig beredskabsleder",
            psych,
            Role.PREPAREDNESS_LEAD,
            None,
        ),
        (
            "kop",
            "Karen",
            "Olsen",
            "Koordinerende psykiatrisk kontaktperson",
            psykoser,
            Role.KOP,
            None,
        ),
        (
            "kop2",
            "Kasper",
            "Holm",
            "Koordinerende psykiatrisk kontaktperson",
            randers_psych,
            Role.KOP,
            site_randers,
        ),
        ("kriseteam", "Mette", "Kragh", "Psykolog", psykoser, Role.CRISIS_TEAM, None),
        ("kriseteam2", "Jonas", "Bech", "Sygeplejerske", depression, Role.CRISIS_TEAM, None),
        ("registrator", "Rikke", "Dam", "Sekretær", psykoser, Role.REGISTRAR, None),
        ("amk", "Ole", "Mikkelsen", "Vagthavende læge, AMK", amk, Role.AL, None),
        (
            "opfolgning",
            "Ida",
            "Frost",
            "Opfølgningskoordinator",
            randers_psych_social,
            Role.FOLLOWUP_COORDINATOR,
            None,
        ),
        ("ppr", "Pia", "Rasmussen", "Leder af PPR", ppr, Role.KOP, None),
        ("ppr-psykolog", "Sara", "Nørgaard", "Psykolog, PPR", ppr, Role.CRISIS_TEAM, None),
        (
            "frivillig",
            "Frederik",
            "Bang",
            "Aktivitetsleder",
            red_cross,
            Role.VOLUNTEER_COORDINATOR,
            None,
        ),
        ("laeser", "Lise", "Vang", "Konsulent", psych, Role.VIEWER, None),
        ("dpo", "Dorthe", "Poulsen", "Databeskyttelsesrådgiver", psych, Role.DPO, None),
    ]
    logins = []
    for i, (username, first, last, title, org, role, site) in enumerate(people):
        user = _user(username, first, last, title=title, phone=f"+45 2{i:03d} 1{i:03d}"[:15])
        m(user=user, organisation=org, role=role, site=site)
        logins.append((username, f"{Role(role).label} – {org.short_name or org.name}"))
    admin = _user("admin", "Ada", "Admin", title="Systemadministrator", superuser=True)
    m(user=admin, organisation=psych, role=Role.ADMINISTRATOR)
    logins.append(("admin", "Superuser / administrator"))
    stdout.write(f"organisations: {len(people) + 1} demo users")
    return logins
