"""Fixtures of the public-site tests: an incident led by the KOP with a published page."""

import pytest
from django.core.cache import cache

from beredt.incidents import services as incident_services
from beredt.incidents.models import AssignmentRole
from beredt.organisations.models import Role
from beredt.public import services


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def incident(kop, orgs):
    incident, _ = incident_services.create_incident(
        by=kop, title="Brand på Randers Havn", kind="fire", municipality_code=730,
        lead_organisation_id=orgs.dept_a.pk, description="Brand i en lagerhal.")
    return incident


@pytest.fixture
def page(kop, incident):
    return services.save_incident_page(by=kop, incident=incident, publish=True, data={
        "title": "Brand på Randers Havn",
        "what_happened": "Der er udbrudt brand i en lagerhal på havnen. Branden er slukket.",
        "what_happened_en": "A fire broke out in a warehouse at the harbour. It is out.",
        "hotline_phone": "8915 1515", "hotline_hours": "Hele døgnet",
        "epc_location": "Randers Rådhus, Laksetorvet 1",
        "followup_offered": "Kommunens kriseteam tilbyder samtaler.",
    })


@pytest.fixture
def registrar(make_user, orgs, kop, incident):
    user = make_user("registrar", roles=[(orgs.centre, Role.REGISTRAR)])
    incident_services.assign(by=kop, incident=incident, user=user, role=AssignmentRole.REGISTRAR)
    return user


VALID = {
    "full_name": "Amal Haddad", "phone": "+45 20 30 40 50", "email": "", "postcode": "8900",
    "relation": "present", "children_affected": "1", "message": "Jeg gik hjem med mine børn.",
    "consent": "1", "website": "",
}
