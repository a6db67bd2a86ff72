"""Demo: follow-up units (Randers, Aarhus, Region Midtjylland's psychiatry) and a handover
of the demo exercise's consenting people to Randers Kommune's follow-up. Idempotent."""

from beredt.accounts.models import User
from beredt.incidents.models import Assignment, AssignmentRole, Incident
from beredt.organisations.models import Organisation, OrganisationKind

from . import services
from .models import FollowupUnit, Handover, IncidentFollowup, UnitKind

DEMO_INCIDENT = "5b7e3c52-0d6f-4d63-9a55-7f1f5d1e2a01"


def _units(stdout) -> None:
    randers = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY,
                                          municipality_id=730).first()
    psych = Organisation.objects.filter(kind=OrganisationKind.REGION_PSYCHIATRY,
                                        region_id=1082).first()
    if randers:
        FollowupUnit.objects.get_or_create(
            kind=UnitKind.MUNICIPAL, municipality_id=730, is_active=True,
            defaults={"organisation": randers, "contact": "8915 1515"})
    if psych:
        FollowupUnit.objects.get_or_create(
            kind=UnitKind.REGIONAL_PSYCHIATRY, region_id=1082, is_active=True,
            defaults={"organisation": psych, "contact": "7847 0000"})
    stdout.write(f"followup: {FollowupUnit.objects.count()} follow-up units")


def load(*, stdout) -> None:
    _units(stdout)
    incident = Incident.objects.filter(pk=DEMO_INCIDENT).first()
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
