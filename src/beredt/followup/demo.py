"""Demo: follow-up units (Randers, Aarhus, Region Midtjylland's psychiatry) and a handover
of the demo exercise's consenting people to Randers Kommune's follow-up. Idempotent."""

from beredt.accounts.models import User
from beredt.incidents.demo import DEMO_EXERCISE_ID
from beredt.incidents.models import Assignment, AssignmentRole, Incident
from beredt.organisations.models import Organisation, OrganisationKind

from . import services
from .models import FollowupUnit, Handover, IncidentFollowup, UnitKind


def _units(stdout) -> None:
    randers = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY,
                                          municipality_id=730).first()
    psych = Organisation.objects.filter(kind=OrganisationKind.REGION_PSYCHIATRY,
                                        region_id=1082).first()
    if randers:
        # Randers' follow-up is run by its centre for psychiatry and disability, where the
        # demo follow-up coordinator works.
        centre = Organisation.objects.filter(parent=randers, name="Psykiatri og Handicap").first()
        FollowupUnit.objects.get_or_create(
            kind=UnitKind.MUNICIPAL, municipality_id=730, is_active=True,
            defaults={"organisation": centre or randers, "contact": "8915 1515"})
    if psych:
        FollowupUnit.objects.get_or_create(
            kind=UnitKind.REGIONAL_PSYCHIATRY, region_id=1082, is_active=True,
            defaults={"organisation": psych, "contact": "7847 0000"})
    stdout.write(f"followup: {FollowupUnit.objects.count()} follow-up units")


def load(*, stdout) -> None:
    _units(stdout)
    incident = Incident.objects.filter(client_id=DEMO_EXERCISE_ID).first()
    if incident is None:
        stdout.write("followup: no demo exercise, skipped")
        return
    IncidentFollowup.objects.get_or_create(incident=incident, defaults={
        "hotline": "7847 1000", "website": "https://www.beredt.dk/ovelse"})
    if Handover.objects.filter(incident=incident).exists():
        stdout.write("followup: demo handover exists")
        return
    lead = (Assignment.objects.filter(incident=incident, released_at__isnull=True,
                                      role__in=[AssignmentRole.KOP, AssignmentRole.LEAD])
            .select_related("user").first())
    user = lead.user if lead else User.objects.filter(is_superuser=True).first()
    if user is None:
        stdout.write("followup: no KOP on the demo exercise, skipped")
        return
    services.route_incident(by=user, incident=incident)
    handovers = services.hand_over(by=user, incident=incident)
    stdout.write(f"followup: {len(handovers)} demo handovers")
