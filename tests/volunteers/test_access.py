"""Who sees what: a volunteer sees only their own shifts and their unit's rota — no
registration, no other unit, no other volunteer's profile."""

from __future__ import annotations

import uuid

import pytest

from beredt.incidents import services as incident_services
from beredt.registry import services as registry_services
from beredt.volunteers import selectors

pytestmark = pytest.mark.django_db


def _registration(kop, orgs):
    incident, _ = incident_services.create_incident(
        by=kop, title="Brand", kind="fire", municipality_code=730,
        lead_organisation_id=orgs.dept_a.pk)
    reg, _ = registry_services.register_person(
        incident=incident, by=kop, client_id=uuid.uuid4(), data={"full_name": "Anna Holm"},
        consents=[{"kind": "registration", "method": "verbal_witnessed", "witness": "K"}])
    return incident, reg


def test_volunteer_is_refused_a_registration(scheme, kop, api_client, client):
    incident, reg = _registration(kop, scheme.orgs)
    assert api_client(kop).get(f"/api/v1/registrations/{reg.pk}").status_code == 200
    volunteer = scheme.vol.user
    assert not volunteer.memberships.exists()
    assert api_client(volunteer).get(f"/api/v1/registrations/{reg.pk}").status_code == 404
    listing = api_client(volunteer).get(f"/api/v1/incidents/{incident.pk}/registrations")
    assert listing.status_code in (403, 404)
    client.force_login(volunteer)
    assert client.get(f"/registry/incidents/{incident.pk}/").status_code in (403, 404)


def test_volunteer_sees_own_unit_only(scheme, make_shift):
    mine = make_shift(scheme.unit, start_in_hours=24, volunteer=scheme.vol2)
    other = make_shift(scheme.other_unit, start_in_hours=24, volunteer=scheme.vol_b)
    user = scheme.vol.user
    assert list(selectors.units_visible_to(user)) == [scheme.unit]
    shifts = set(selectors.shifts_visible_to(user))
    assert mine in shifts and other not in shifts
    assert set(selectors.volunteers_visible_to(user)) == {scheme.vol}


@pytest.mark.parametrize("who,sees_a,sees_b", [
    ("coordinator", True, True), ("leader", True, False), ("contact", True, False),
    ("nurse", True, False), ("nurse_b", False, True), ("hl", True, True),
    ("outsider", False, False),
])
def test_unit_visibility_per_role(scheme, who, sees_a, sees_b):
    units = set(selectors.units_visible_to(getattr(scheme, who)))
    assert (scheme.unit in units) is sees_a
    assert (scheme.other_unit in units) is sees_b


def test_profiles_only_for_coordinator_and_leaders(scheme):
    assert scheme.vol in selectors.volunteers_visible_to(scheme.coordinator)
    assert scheme.vol in selectors.volunteers_visible_to(scheme.leader)
    assert scheme.vol_b not in selectors.volunteers_visible_to(scheme.leader)
    for who in ("nurse", "contact", "outsider"):
        assert not selectors.volunteers_visible_to(getattr(scheme, who)).exists()


def test_volunteer_pages_refused(scheme, client):
    client.force_login(scheme.vol.user)
    assert client.get(f"/volunteers/units/{scheme.other_unit.pk}/rota/").status_code == 404
    assert client.get(f"/volunteers/units/{scheme.unit.pk}/volunteers/").status_code == 404
    assert client.get(f"/volunteers/units/{scheme.unit.pk}/call/").status_code == 404
    assert client.get(f"/volunteers/units/{scheme.unit.pk}/rota/").status_code == 200


def test_volunteer_cannot_plan_or_call(scheme, api_client):
    api = api_client(scheme.vol.user)
    answer = api.post("/api/v1/volunteers/shifts", {
        "unit_id": scheme.unit.pk, "starts_at": "2030-01-01T10:00:00+01:00",
        "ends_at": "2030-01-01T14:00:00+01:00"}, content_type="application/json")
    assert answer.status_code == 403 and answer.json()["code"] == "not_planner"
    answer = api.post("/api/v1/volunteers/requests", {
        "unit_id": scheme.unit.pk, "place": "Venteværelset", "without_relative": True},
        content_type="application/json")
    assert answer.status_code == 403 and answer.json()["code"] == "not_staff"
