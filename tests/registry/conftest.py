"""Fixtures for the registry: an incident with a lead (KOP), a deployed registrar, and a
second incident with its own registrar."""

from __future__ import annotations

import uuid

import pytest

from beredt.incidents import services as incident_services
from beredt.incidents.models import AssignmentRole
from beredt.organisations.models import Role
from beredt.registry import services

VALID_CPR = "0101901234"  # 1 Jan 1990, even last digit: F


@pytest.fixture
def other_incident(make_incident):
    return make_incident(title="Ulykke i Aarhus")


@pytest.fixture
def registrar(make_user, orgs, incident, kop):
    user = make_user("registrar", roles=[(orgs.dept_a, Role.REGISTRAR)])
    incident_services.assign(by=kop, incident=incident, user=user, role=AssignmentRole.REGISTRAR)
    return user


@pytest.fixture
def other_registrar(make_user, orgs, other_incident, kop):
    user = make_user("other_registrar", roles=[(orgs.dept_a, Role.REGISTRAR)])
    incident_services.assign(by=kop, incident=other_incident, user=user,
                             role=AssignmentRole.REGISTRAR)
    return user


REGISTRATION_CONSENT = {"kind": "registration", "method": "verbal_witnessed",
                        "witness": "Karen Olsen"}


@pytest.fixture
def register(registrar, incident):
    """``register(**fields)`` → a registration made by the registrar (consent included)."""

    def make(*, by=None, incident_=None, consents=None, client_id=None, **data):
        data.setdefault("full_name", "Anna Holm")
        reg, _created = services.register_person(
            incident=incident_ or incident, by=by or registrar,
            client_id=client_id or uuid.uuid4(), data=data,
            consents=[REGISTRATION_CONSENT] if consents is None else consents)
        return reg

    return make
