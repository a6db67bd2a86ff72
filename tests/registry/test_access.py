"""Who sees which registrations, per role (selectors, API and pages)."""

import pytest

from beredt.core.errors import Forbidden, NotFound
from beredt.incidents import services as incident_services
from beredt.incidents.models import AssignmentRole
from beredt.registry import selectors, services


@pytest.fixture
def people(register, other_registrar, other_incident, kop):
    mine = register(full_name="Anna Holm", note="Virkede forvirret")
    theirs = register(full_name="Bo Berg", by=other_registrar, incident_=other_incident)
    return mine, theirs


def test_registrar_sees_own_incident_only(registrar, people):
    mine, theirs = people
    visible = set(selectors.registrations_visible_to(registrar))
    assert mine in visible and theirs not in visible


def test_registrar_of_another_incident_is_refused(other_registrar, incident, people,
                                                  api_client):
    mine, _theirs = people
    with pytest.raises(NotFound):
        selectors.registration_for(other_registrar, mine.pk)
    client = api_client(other_registrar)
    assert client.get(f"/api/v1/registrations/{mine.pk}").status_code == 404
    listed = client.get(f"/api/v1/incidents/{incident.pk}/registrations")
    assert listed.status_code in (403, 404)
    created = client.post(f"/api/v1/incidents/{incident.pk}/registrations",
                          {"client_id": "8b1f1a8e-3f0c-4f3a-9c6b-1d2e3f4a5b6c",
                           "full_name": "X Y"}, content_type="application/json")
    assert created.status_code in (403, 404)


def test_kop_lead_sees_all_of_the_incident_and_notes(kop, registrar, people, make_user, orgs,
                                                     incident):
    mine, _theirs = people
    assert mine in selectors.registrations_visible_to(kop)
    assert selectors.sees_note(kop, mine)
    # A second registrar of the same incident sees the person but not the restricted note.
    colleague = make_user("colleague")
    incident_services.assign(by=kop, incident=incident, user=colleague,
                             role=AssignmentRole.REGISTRAR)
    assert mine in selectors.registrations_visible_to(colleague)
    assert not selectors.sees_note(colleague, mine)
    assert selectors.sees_note(registrar, mine)


@pytest.mark.parametrize("role", [AssignmentRole.CRISIS_TEAM, AssignmentRole.OBSERVER,
                                  AssignmentRole.FOLLOWUP])
def test_other_assignment_roles_see_nothing(make_user, kop, incident, people, role):
    user = make_user(f"u_{role}")
    incident_services.assign(by=kop, incident=incident, user=user, role=role)
    assert not selectors.registrations_visible_to(user).exists()


def test_organisation_role_without_deployment_sees_nothing(make_user, orgs, people):
    from beredt.organisations.models import Role

    hl = make_user("hl", roles=[(orgs.psych, Role.HL)])
    assert not selectors.registrations_visible_to(hl).exists()


def test_released_registrar_loses_access(kop, registrar, incident, people):
    assignment = incident.assignments.get(user=registrar)
    incident_services.release(by=kop, assignment=assignment)
    assert not selectors.registrations_visible_to(registrar).exists()
    with pytest.raises(Forbidden):
        services.register_person(incident=incident, by=registrar,
                                 client_id="1b1f1a8e-3f0c-4f3a-9c6b-1d2e3f4a5b6c",
                                 data={"full_name": "X Y"})


def test_superuser_sees_everything(make_user, people):
    admin = make_user("admin", superuser=True)
    assert set(people) <= set(selectors.registrations_visible_to(admin))


def test_anonymous_sees_nothing(people, api_client):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.registrations_visible_to(AnonymousUser()).exists()
    assert api_client().get(f"/api/v1/registrations/{people[0].pk}").status_code == 401


def test_note_hidden_in_api_for_other_registrar(api_client, make_user, kop, incident, people):
    mine, _ = people
    colleague = make_user("colleague2")
    incident_services.assign(by=kop, incident=incident, user=colleague,
                             role=AssignmentRole.REGISTRAR)
    assert api_client(colleague).get(f"/api/v1/registrations/{mine.pk}").json()["note"] is None
    assert api_client(kop).get(f"/api/v1/registrations/{mine.pk}").json()["note"] == \
        "Virkede forvirret"


def test_pages_refuse_other_incident(client, other_registrar, people, incident):
    mine, _ = people
    client.force_login(other_registrar)
    assert client.get(f"/registry/people/{mine.pk}/").status_code == 404
    assert client.get(f"/registry/incidents/{incident.pk}/").status_code == 404
