"""Demo registrations in the demo exercise (idempotent: fixed client ids)."""

import uuid

from beredt.accounts.models import User
from beredt.incidents.demo import DEMO_EXERCISE_ID
from beredt.incidents.models import Incident

from . import services
from .models import ConsentKind, ConsentMethod

NAMESPACE = uuid.UUID("0c8f6f0e-6a43-4c52-9a7c-3f8f0f5b7a10")
PEOPLE = [
    ("Mette Kjær Andersen", "injured", "8900", "+45 22 11 33 44", "followup_wanted",
     ["phone", "sms"]),
    ("Jonas Lund", "uninjured", "8000", "+45 31 22 45 67", "support_given", ["sms"]),
    ("Fatima Hassan", "relative", "8930", "+45 40 55 66 77", "followup_wanted", ["phone"]),
    ("Mette K. Andersen", "injured", "8900", "22113344", "none", []),
    ("Peter Holm", "witness", "2100", "", "none", []),
]


def load(*, stdout) -> None:
    incident = Incident.objects.filter(client_id=DEMO_EXERCISE_ID).first()
    registrar = User.objects.filter(username="registrator").first()
    if incident is None or registrar is None:
        stdout.write("registry: no demo exercise, skipped")
        return
    created = 0
    for i, (name, role, postcode, phone, need, channels) in enumerate(PEOPLE):
        consents = [{"kind": ConsentKind.REGISTRATION, "method": ConsentMethod.VERBAL_WITNESSED,
                     "witness": "Karen Olsen"}]
        if channels:
            consents.append({"kind": ConsentKind.FOLLOWUP, "channels": channels,
                             "method": ConsentMethod.VERBAL_WITNESSED, "witness": "Karen Olsen"})
        _reg, new = services.register_person(
            incident=incident, by=registrar, client_id=uuid.uuid5(NAMESPACE, str(i)),
            point_kind="epc", point_name="EPC Randers Rådhus",
            data={"full_name": name, "role": role, "postcode": postcode, "phone": phone,
                  "need": need, "birth_date": f"1984-03-0{i + 1 if i != 3 else 1}"},
            consents=consents)
        created += new
    stdout.write(f"registry: {created} demo registrations created")
