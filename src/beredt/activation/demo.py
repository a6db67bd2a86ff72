"""Demo preparedness data (``beredt loaddemo``), idempotent.

Seed 000 (Region Midtjylland's psychiatry): one plan for the region psychiatry with HL, AL,
the professional preparedness lead, a KOP and crisis-team members per department; KOP
escalation KOP → deputy → AL → HL. Seed 002 (Ballerup): the crisis-support plan of Center
for Børn og Unge with the crisis team in PPR, led by the head of the children and youth
counselling centre, activated by the cross-cutting crisis management, the centre head or
the social duty service; action card "C-BUR". Rosters for the coming week and training
records (one expired, so the roster shows its warning).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from beredt.accounts.models import User
from beredt.incidents.demo import DEMO_EXERCISE_ID
from beredt.incidents.models import Incident
from beredt.organisations import services as org_services
from beredt.organisations.demo import _user
from beredt.organisations.models import Organisation, Role
from beredt.organisations.models import OrganisationKind as Kind

from .models import (
    ActionCard,
    DeploymentSite,
    DutyRole,
    Plan,
    PlanRole,
    PlanRoleHolder,
    Shift,
    SiteKind,
    TrainingKind,
    TrainingRecord,
)

CARDS = [
    (
        "KOP-AKT",
        "KOP ved aktivering",
        DutyRole.KOP,
        "psych",
        [
            "Kvittér for alarmen og notér tidspunkt",
            "Kontakt AMK / indsatsleder: omfang, antal berørte, indsatssted",
            "Orientér afdelingsledelsen (AL)",
            "Vurdér behovet for kriseteam og udvælg medlemmer",
            "Forbered og send kriseteamet ud med adresse og mødested",
            "Fungér som ressourceperson for indsatsledelsen på stedet",
            "Sørg for registrering af berørte og samtykke til opfølgning",
            "Aftal overdragelse til opfølgning og supervision ved afslutning",
        ],
    ),
    (
        "KT-EPC",
        "Kriseteammedlem på EPC",
        DutyRole.CRISIS_TEAM,
        "psych",
        [
            "Meld ankomst til KOP og få opgave",
            "Skab ro, omsorg og en lyttende atmosfære",
            "Giv information om normale krisereaktioner",
            "Observér og vurdér krisereaktioner; henvis ved behov",
            "Sørg for at berørte bliver registreret",
            "Meld afgang til KOP",
        ],
    ),
    (
        "C-BUR",
        "Krisestøtte ved større ulykker eller andre akutte beredskabshændelser",
        DutyRole.CRISIS_TEAM,
        "cbu",
        [
            "Skab omsorg og ro og en medmenneskelig og lyttende atmosfære",
            "Rådgiv de berørte om de reaktioner, der kan opstå efterfølgende",
            "Rådgiv om, hvor der kan søges yderligere hjælp og støtte",
            "Koordinér med Region Hovedstadens kriseteam og/eller deres KOP",
            "Vurdér behov for opfølgning og information til frontlinjepersonale",
            "Gennemfør forebyggende samtaler med nærtstående",
            "Aftal efterfølgende supervision til kriseteamet",
        ],
    ),
]


def _card(code, title, role, organisation, items) -> None:
    card = ActionCard.objects.filter(code=code, is_current=True).first()
    if card is None:
        ActionCard.objects.create(
            code=code, title=title, duty_role=role, organisation=organisation, items=items
        )
    elif card.items != items or card.title != title:
        card.is_current = False
        card.save(update_fields=["is_current"])
        ActionCard.objects.create(
            code=code,
            version=card.version + 1,
            title=title,
            duty_role=role,
            organisation=organisation,
            items=items,
        )


def _plan(organisation, title, roles, **fields) -> Plan:
    plan, _c = Plan.objects.update_or_create(
        organisation=organisation, title=title, defaults=fields
    )
    for order, (duty_role, role_title, description, org) in enumerate(roles):
        PlanRole.objects.update_or_create(
            plan=plan,
            title=role_title,
            defaults={
                "duty_role": duty_role,
                "description": description,
                "organisation": org,
                "order": order,
            },
        )
    return plan


def _week_of_shifts(user, organisation, duty_role, start_hour=8) -> None:
    """Rolling 24-hour shifts from today for seven days (idempotent per start time)."""
    today = timezone.localtime().replace(hour=start_hour, minute=0, second=0, microsecond=0)
    first = today - dt.timedelta(days=1)
    for day in range(8):
        starts = first + dt.timedelta(days=day)
        Shift.objects.get_or_create(
            organisation=organisation,
            duty_role=duty_role,
            starts_at=starts,
            defaults={"user": user, "ends_at": starts + dt.timedelta(hours=24)},
        )


@transaction.atomic
def load(*, stdout) -> None:
    get = Organisation.objects.get
    psych = get(name="Psykiatrien i Region Midtjylland")
    psykoser = get(name="Afdeling for Psykoser")
    depression = get(name="Afdeling for Depression og Angst")
    cbu = get(name="Center for Børn og Unge")
    ppr = get(name="PPR – kriseteam")
    ballerup = get(name="Ballerup Kommune")
    e = org_services.ensure_organisation
    kriseledelse = e(
        name="Tværgående Kriseledelse",
        parent=ballerup,
        kind=Kind.MUNICIPALITY_CENTRE,
        region_id=1084,
        municipality_id=151,
    )
    doegnvagt = e(
        name="Social Døgnvagt",
        parent=ballerup,
        kind=Kind.MUNICIPALITY_CENTRE,
        region_id=1084,
        municipality_id=151,
    )
    m = org_services.ensure_membership
    deputy = _user(
        "kop-vikar", "Lone", "Vinther", title="Overlæge, stedfortrædende KOP", phone="+45 2099 1099"
    )
    m(user=deputy, organisation=psykoser, role=Role.KOP)
    centre_head = _user(
        "centerchef",
        "Claus",
        "Brandt",
        title="Centerchef, Børne- og Ungerådgivningen",
        phone="+45 2098 1098",
    )
    m(user=centre_head, organisation=cbu, role=Role.AL)
    night = _user(
        "doegnvagt",
        "Dorte",
        "Nielsen",
        title="Socialrådgiver, Social Døgnvagt",
        phone="+45 2097 1097",
    )
    m(user=night, organisation=doegnvagt, role=Role.VIEWER)

    psych_plan = _plan(
        psych,
        "Psykosocialt beredskab – Psykiatrien",
        [
            (
                DutyRole.HL,
                "Hospitalsledelsen (HL)",
                "Har det overordnede ansvar; uddelegerer til den psykiatriske beredskabsledelse.",
                psych,
            ),
            (
                DutyRole.AL,
                "Psykiatrisk beredskabsledelse (AL)",
                "Afdelingsledelsen (ledende overlæge og oversygeplejerske) for den alarmerede "
                "afdeling; koordinerer den samlede psykosociale indsats og yder sparring.",
                None,
            ),
            (
                DutyRole.PREPAREDNESS_LEAD,
                "Faglig beredskabsleder",
                "Understøtter planlægningen, udøver sparring, deltager i regionale og "
                "nationale møder.",
                psych,
            ),
            (
                DutyRole.KOP,
                "KOP – Afdeling for Psykoser",
                "Leder kriseteamet ved aktivering og varetager aktiveringen ved alarmering.",
                psykoser,
            ),
            (
                DutyRole.KOP,
                "KOP – Afdeling for Depression og Angst",
                "Leder kriseteamet ved aktivering og varetager aktiveringen ved alarmering.",
                depression,
            ),
            (
                DutyRole.CRISIS_TEAM,
                "Kriseteam – alle afdelinger",
                "Medarbejdere der kan sendes ud: omsorg, støttende samtaler, information om "
                "krisereaktioner, observation og vurdering.",
                None,
            ),
        ],
        summary=(
            "Psykiatriens evne til at yde psykosocial omsorg og støtte ved hændelser, der kan "
            "have psykiske konsekvenser for implicerede, pårørende eller tilskuere. Formålet "
            "er at forebygge, at en normal reaktion på en voldsom hændelse udvikler sig."
        ),
        activation_criteria=(
            "Ulykker, hvor behovet for akut psykologisk krisestøtte ikke kan "
            "dækkes via det almindelige kriseberedskab. AMK alarmerer."
        ),
        escalation=["kop", "deputy_kop", "al", "hl"],
    )

    ballerup_plan = _plan(
        cbu,
        "Indsatsplan vedr. krisestøtte – Center for Børn og Unge",
        [
            (
                DutyRole.TEAM_LEAD,
                "Centerchef for Børne- og Ungerådgivningen",
                "Leder det krisestøttende beredskab.",
                cbu,
            ),
            (
                DutyRole.CRISIS_TEAM,
                "Kriseteam i PPR",
                "Psykologer i PPR: omsorg og ro, rådgivning om reaktioner og om yderligere hjælp.",
                ppr,
            ),
            (
                DutyRole.ACTIVATOR,
                "Den Tværgående Kriseledelse",
                "Kan aktivere beredskabet.",
                kriseledelse,
            ),
            (
                DutyRole.ACTIVATOR,
                "Social Døgnvagt",
                "Kan aktivere beredskabet (alternativt).",
                doegnvagt,
            ),
        ],
        summary=(
            "Krisestøtte ved større ulykker og beredskabshændelser, når AMK ikke kan løfte "
            "opgaven alene, og ved ikke-akutte hændelser på kriseniveau 1 eller 2. "
            "Forventes at arbejde i et Evakuerings- og Pårørendecenter, på rådhuset, "
            "skoler eller i Ungerådgivningen."
        ),
        activation_criteria=(
            "Aktiveres af Den Tværgående Kriseledelse, centerchefen for "
            "Børne- og Ungerådgivningen eller Social Døgnvagt."
        ),
        escalation=["team_lead", "deputy_kop", "al"],
    )
    ballerup_plan.activating_organisations.set([kriseledelse, doegnvagt])

    orgs = {"psych": psych, "cbu": cbu}
    for code, title, role, org_key, items in CARDS:
        _card(code, title, role, orgs[org_key], items)

    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["kop", "kriseteam", "kriseteam2", "ppr", "ppr-psykolog"]
        )
    }
    holders = {
        psych_plan: {
            "Hospitalsledelsen (HL)": ["hl"],
            "Psykiatrisk beredskabsledelse (AL)": ["al"],
            "Faglig beredskabsleder": ["beredskab"],
            "KOP – Afdeling for Psykoser": ["kop", "kop-vikar"],
            "Kriseteam – alle afdelinger": ["kriseteam", "kriseteam2"],
        },
        ballerup_plan: {
            "Centerchef for Børne- og Ungerådgivningen": ["centerchef"],
            "Kriseteam i PPR": ["ppr", "ppr-psykolog"],
            "Social Døgnvagt": ["doegnvagt"],
        },
    }
    for plan, roles in holders.items():
        for title, usernames in roles.items():
            role = PlanRole.objects.get(plan=plan, title=title)
            for holder in User.objects.filter(username__in=usernames):
                PlanRoleHolder.objects.get_or_create(role=role, user=holder)

    _week_of_shifts(users["kop"], psykoser, DutyRole.KOP)
    _week_of_shifts(deputy, psykoser, DutyRole.DEPUTY_KOP)
    _week_of_shifts(users["kriseteam"], psykoser, DutyRole.CRISIS_TEAM)
    _week_of_shifts(users["kriseteam2"], depression, DutyRole.CRISIS_TEAM)
    _week_of_shifts(users["ppr"], ppr, DutyRole.TEAM_LEAD)
    _week_of_shifts(users["ppr-psykolog"], ppr, DutyRole.CRISIS_TEAM)

    today = timezone.localdate()
    for user, kind, years_ago, valid_years in [
        (users["kop"], TrainingKind.KOP, 1, 3),
        (deputy, TrainingKind.KOP, 2, 3),
        (users["kriseteam"], TrainingKind.CRISIS_TEAM, 1, 2),
        (users["kriseteam2"], TrainingKind.CRISIS_TEAM, 3, 2),  # expired: roster warns
        (users["ppr-psykolog"], TrainingKind.CRISIS_TEAM, 1, 2),
    ]:
        done = today.replace(year=today.year - years_ago)
        TrainingRecord.objects.get_or_create(
            user=user,
            kind=kind,
            completed_on=done,
            defaults={
                "expires_on": done.replace(year=done.year + valid_years),
                "provider": "Tværregional KOP-uddannelse"
                if kind == TrainingKind.KOP
                else "Psykiatrien, intern uddannelse",
            },
        )

    exercise = Incident.objects.filter(client_id=DEMO_EXERCISE_ID).first()
    if exercise is not None:
        DeploymentSite.objects.get_or_create(
            incident=exercise,
            name="EPC Randers Rådhus",
            defaults={"kind": SiteKind.EPC, "address": "Laksetorvet 1, 8900 Randers C"},
        )
    stdout.write("activation: 2 plans, 3 action cards, rosters for 7 days, training records")
