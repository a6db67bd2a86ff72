import uuid

import pytest

from beredt.incidents import services as incident_services
from beredt.incidents.models import AssignmentRole
from beredt.organisations.models import Role
from beredt.registry import services as registry_services


@pytest.fixture
def incident(make_incident):
    return make_incident(title="Busulykke", kind="traffic_accident")


@pytest.fixture
def registrar(make_user, orgs, kop, incident):
    user = make_user("registrar", roles=[(orgs.centre, Role.REGISTRAR)])
    incident_services.assign(by=kop, incident=incident, user=user, role=AssignmentRole.REGISTRAR)
    return user


@pytest.fixture
def registration(registrar, incident):
    reg, _ = registry_services.register_person(
        incident=incident, by=registrar, client_id=uuid.uuid4(),
        data={"full_name": "Jens Jensen", "phone": "20304050", "role": "witness"})
    return reg
