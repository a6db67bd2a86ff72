"""Fixtures for follow-up: an incident in Randers led by the KOP, follow-up units for
Randers, Aarhus and Region Midtjylland's psychiatry, coordinators of the receivers, and
``person(...)`` to register someone with consents."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beredt.followup.models import FollowupUnit, UnitKind
from beredt.organisations.models import Organisation, OrganisationKind, Role
from beredt.registry import services as registry_services
from tests.activation.conftest import run_tasks  # noqa: F401 - fixtures
from tests.notify.servers import sms_gateway, smtp_server  # noqa: F401 - fixtures

REG = {"kind": "registration", "method": "verbal_witnessed", "witness": "Karen Olsen"}


def followup_consent(*channels):
    return {"kind": "followup_contact", "channels": list(channels), "method": "verbal_witnessed",
            "witness": "Karen Olsen"}


@pytest.fixture
def pass_time():
    """Let the pending timers fall due. A day back: on PostgreSQL the worker compares with
    now() of the test's transaction, which started when the fixtures did."""

    def advance() -> int:
        return DBTaskResult.objects.filter(status="READY").update(
            run_after=timezone.now() - dt.timedelta(days=1))

    return advance


@pytest.fixture
def incident(make_incident):
    return make_incident(place="Randers")


@pytest.fixture
def aarhus(db):
    return Organisation.objects.create(name="Aarhus Kommune", kind=OrganisationKind.MUNICIPALITY,
                                       municipality_id=751, region_id=1082)


@pytest.fixture
def units(orgs, aarhus, make_user):
    backup = make_user("backup", roles=[(orgs.kommune, Role.FOLLOWUP_COORDINATOR)],
                       phone="+45 2000 0099")
    return type("Units", (), {
        "randers": FollowupUnit.objects.create(organisation=orgs.kommune, kind=UnitKind.MUNICIPAL,
                                               municipality_id=730, backup_contact=backup),
        "aarhus": FollowupUnit.objects.create(organisation=aarhus, kind=UnitKind.MUNICIPAL,
                                              municipality_id=751),
        "region": FollowupUnit.objects.create(organisation=orgs.psych,
                                              kind=UnitKind.REGIONAL_PSYCHIATRY, region_id=1082),
        "employer": FollowupUnit.objects.create(organisation=orgs.dept_b, kind=UnitKind.EMPLOYER),
        "backup": backup,
    })


@pytest.fixture
def randers_coord(make_user, orgs):
    return make_user("randers_coord", roles=[(orgs.kommune, Role.FOLLOWUP_COORDINATOR)])


@pytest.fixture
def aarhus_coord(make_user, aarhus):
    return make_user("aarhus_coord", roles=[(aarhus, Role.FOLLOWUP_COORDINATOR)])


@pytest.fixture
def person(incident, kop):
    """``person(name, channels=("sms",), **fields)`` → a registration by the incident lead."""

    def make(full_name="Anna Holm", *, channels=("sms",), extra_consents=(), incident_=None,
             guardian="", **data):
        data.setdefault("phone", "+45 22 11 33 44")
        consents = [REG] + ([followup_consent(*channels)] if channels else [])
        if guardian:
            consents = [{**c, "given_by": "guardian", "guardian_name": guardian}
                        for c in consents]
        reg, _ = registry_services.register_person(
            incident=incident_ or incident, by=kop, client_id=uuid.uuid4(),
            data={"full_name": full_name, **data}, consents=[*consents, *extra_consents])
        return reg

    return make
