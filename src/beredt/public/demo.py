"""A published public page for the demo exercise, so the public site has an incident."""

from beredt.accounts.models import User
from beredt.incidents.demo import DEMO_EXERCISE_ID
from beredt.incidents.models import Incident

from . import services
from .models import IncidentPage


def load(*, stdout) -> None:
    incident = Incident.objects.filter(client_id=DEMO_EXERCISE_ID).first()
    if incident is None:
        stdout.write("public: no demo exercise, no public page")
        return
    if IncidentPage.objects.filter(incident=incident).exists():
        stdout.write("public: demo incident page already there")
        return
    kop = User.objects.get(username="kop")
    services.save_incident_page(by=kop, incident=incident, publish=True, data={
        "title": "Øvelse: busulykke ved Randers Regnskov",
        "what_happened": (
            "En bus med passagerer er kørt i Gudenåen ved Tørvebryggen i Randers. "
            "Politiet leder indsatsen. Der er oprettet et evakuerings- og pårørendecenter."
        ),
        "what_happened_en": (
            "A bus with passengers has driven into the river Gudenå at Tørvebryggen in "
            "Randers. The police lead the response. An evacuation and relatives centre is open."
        ),
        "hotline_phone": "8915 1515",
        "hotline_hours": "Hele døgnet de første tre dage",
        "epc_location": "Randers Rådhus, Laksetorvet 1, 8900 Randers C – åbent indtil kl. 22",
        "followup_offered": (
            "Alle, der har været involveret, og deres pårørende tilbydes en samtale med "
            "kommunens kriseteam. Egen læge kan henvise til psykolog."
        ),
        "self_registration_open": True,
    })
    stdout.write("public: demo incident page published at /hjaelp/da/h/"
                 + IncidentPage.objects.get(incident=incident).slug + "/")
