"""The staff queue: who sees self-registrations, confirming into the registry, rejecting."""

import pytest

from beredt.core.errors import Conflict, Forbidden, ValidationFailed
from beredt.incidents import services as incident_services
from beredt.incidents.models import AssignmentRole
from beredt.organisations.models import Role
from beredt.public import selectors, services
from beredt.public.models import SelfRegistration
from beredt.registry.models import ConsentKind, PointKind, Registration

from .conftest import VALID


@pytest.fixture
def item(page):
    return services.submit_self_registration(page=page, data=dict(VALID), language="ar",
                                             ip="203.0.113.1")


def test_confirm_creates_a_self_registered_registration_with_digital_consent(registrar, item):
    services.confirm_self_registration(by=registrar, self_registration_id=item.pk)
    item.refresh_from_db()
    reg = Registration.objects.get()
    assert item.status == "confirmed" and item.registration_id == reg.pk
    assert reg.point.kind == PointKind.SELF
    assert reg.full_name == "Amal Haddad" and reg.preferred_language == "ar"
    assert reg.residence_municipality_id == 730  # from postcode 8900
    assert reg.need == "followup_wanted" and reg.role == "uninjured"
    assert "Jeg gik hjem" in reg.note
    kinds = {c.kind: c for c in reg.consents.all()}
    assert set(kinds) == {ConsentKind.REGISTRATION, ConsentKind.FOLLOWUP}
    assert kinds[ConsentKind.FOLLOWUP].method == "digital"
    assert set(kinds[ConsentKind.FOLLOWUP].channels) == {"phone", "sms"}
    assert kinds[ConsentKind.FOLLOWUP].given_at == item.submitted_at
    assert item.full_name == "" and item.phone == "" and item.message == ""  # no second copy


def test_confirming_twice_is_refused(registrar, item):
    services.confirm_self_registration(by=registrar, self_registration_id=item.pk)
    with pytest.raises(Conflict):
        services.confirm_self_registration(by=registrar, self_registration_id=item.pk)
    assert Registration.objects.count() == 1


def test_reject_empties_the_personal_data(registrar, item):
    with pytest.raises(ValidationFailed):
        services.reject_self_registration(by=registrar, self_registration_id=item.pk, reason=" ")
    services.reject_self_registration(by=registrar, self_registration_id=item.pk, reason="Test")
    item.refresh_from_db()
    assert item.status == "rejected" and item.full_name == "" and item.phone == ""
    assert item.message == "" and not Registration.objects.exists()


@pytest.mark.parametrize("assignment", [AssignmentRole.CRISIS_TEAM, AssignmentRole.OBSERVER,
                                        AssignmentRole.FOLLOWUP, None])
def test_people_not_deployed_as_registrar_lead_or_kop_cannot_see_or_decide(
        make_user, orgs, kop, incident, item, assignment):
    user = make_user(roles=[(orgs.dept_a, Role.HL), (orgs.centre, Role.CRISIS_TEAM)])
    if assignment:
        incident_services.assign(by=kop, incident=incident, user=user, role=assignment)
    assert not selectors.self_registrations_visible_to(user).exists()
    with pytest.raises(Forbidden):
        services.confirm_self_registration(by=user, self_registration_id=item.pk)
    assert SelfRegistration.objects.get().status == "pending"


def test_registrar_of_another_incident_sees_nothing(make_user, orgs, kop, item):
    other, _ = incident_services.create_incident(
        by=kop, title="Andet", kind="other", municipality_code=730,
        lead_organisation_id=orgs.dept_a.pk)
    user = make_user(roles=[(orgs.centre, Role.REGISTRAR)])
    incident_services.assign(by=kop, incident=other, user=user, role=AssignmentRole.REGISTRAR)
    assert not selectors.self_registrations_visible_to(user).exists()


def test_queue_page_confirm_and_reject(client, registrar, page, item):
    second = services.submit_self_registration(
        page=page, data={**VALID, "full_name": "Spam Bot"}, language="da", ip="203.0.113.2")
    client.force_login(registrar)
    body = client.get("/self-registrations/").content.decode()
    assert "Amal Haddad" in body and "Spam Bot" in body and "العربية" in body
    client.post(f"/self-registrations/{item.pk}/", {"action": "confirm"})
    client.post(f"/self-registrations/{second.pk}/", {"action": "reject", "reason": "Spam"})
    statuses = dict(SelfRegistration.objects.values_list("pk", "status"))
    assert statuses == {item.pk: "confirmed", second.pk: "rejected"}
    assert "Amal Haddad" not in client.get("/self-registrations/").content.decode()


def test_queue_api(api_client, registrar, make_user, orgs, item):
    api = api_client(registrar)
    listed = api.get("/api/v1/public/self-registrations").json()
    assert [row["full_name"] for row in listed] == ["Amal Haddad"]
    outsider = api_client(make_user(roles=[(orgs.dept_a, Role.VIEWER)]))
    assert outsider.get("/api/v1/public/self-registrations").json() == []
    assert outsider.post(f"/api/v1/public/self-registrations/{item.pk}/confirm").status_code == 403
    confirmed = api.post(f"/api/v1/public/self-registrations/{item.pk}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["registration_id"]
    again = api.post(f"/api/v1/public/self-registrations/{item.pk}/reject",
                     {"reason": "x"}, content_type="application/json")
    assert again.status_code == 409


def test_menu_shows_the_pending_count_to_the_registrar(client, registrar, item):
    client.force_login(registrar)
    body = client.get("/support/").content.decode()
    assert '>Selvregistreringer (1)</a>' in body
