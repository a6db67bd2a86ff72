"""One demo exercise, so the board and the dashboard have something to show."""

import uuid

from beredt.accounts.models import User
from beredt.organisations.models import Organisation

from . import services
from .models import AssignmentRole, IncidentKind

DEMO_EXERCISE_ID = uuid.UUID("5b7e3c52-0d6f-4d63-9a55-7f1f5d1e2a01")


def load(*, stdout) -> None:
    kop = User.objects.get(username="kop")
    lead = Organisation.objects.get(name="Afdeling for Psykoser")
    incident, created = services.create_incident(
        by=kop,
        client_id=DEMO_EXERCISE_ID,
        title="Øvelse: busulykke ved Randers Regnskov",
        kind=IncidentKind.TRAFFIC_ACCIDENT,
        municipality_code=730,
        lead_organisation_id=lead.pk,
        place="Tørvebryggen, Randers C",
        description="Årlig øvelse: bus med 40 passagerer kørt i Gudenåen. EPC på Randers Rådhus.",
        regional_level="Varsling",
        is_exercise=True,
    )
    if created:
        services.assign(
            by=kop,
            incident=incident,
            user=User.objects.get(username="registrator"),
            role=AssignmentRole.REGISTRAR,
        )
        services.assign(
            by=kop,
            incident=incident,
            user=User.objects.get(username="kriseteam"),
            role=AssignmentRole.CRISIS_TEAM,
        )
    stdout.write(f"incidents: demo exercise {'created' if created else 'already there'}")
