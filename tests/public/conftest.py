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
def incident(make_incident):
    return make_incident(title="Brand på Randers Havn", description="Brand i en lagerhal.")


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
