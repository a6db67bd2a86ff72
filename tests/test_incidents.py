import datetime as dt
import uuid

import pytest

from beredt.incidents.models import Assignment, Incident
from beredt.organisations.models import Role

pytestmark = pytest.mark.django_db


def body(orgs, **extra):
    return {
        "title": "Busulykke",
        "kind": "traffic_accident",
        "municipality_code": 730,
        "lead_organisation_id": orgs.dept_a.pk,
        **extra,
    }


def post(client, data):
    return client.post("/api/v1/incidents", data, content_type="application/json")


def test_create_then_retry_returns_the_same(api_client, kop, orgs):
    client = api_client(kop)
    client_id = str(uuid.uuid4())
    first = post(client, body(orgs, client_id=client_id))
    assert first.status_code == 201
    retry = post(client, body(orgs, client_id=client_id, title="changed on retry"))
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert retry.json()["title"] == "Busulykke"
    assert Incident.objects.count() == 1
    assert Assignment.objects.get().role == "lead"


def test_client_id_of_an_invisible_incident_conflicts(api_client, kop, make_user, orgs):
    client_id = str(uuid.uuid4())
    assert post(api_client(kop), body(orgs, client_id=client_id)).status_code == 201
    other = make_user("other", roles=[(orgs.centre, Role.KOP)])
    response = post(
        api_client(other), body(orgs, client_id=client_id, lead_organisation_id=orgs.centre.pk)
    )
    assert response.status_code == 409
    assert response.json()["code"] == "client_id_taken"


def test_naive_start_time_is_copenhagen(api_client, kop, orgs):
    data = post(api_client(kop), body(orgs, started_at="2026-07-01T12:00:00")).json()
    started = dt.datetime.fromisoformat(data["started_at"])
    assert started.astimezone(dt.UTC) == dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)  # CEST


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"municipality_code": 999}, 422, "municipality_code"),
        ({"lead_organisation_id": 99999}, 422, "lead_organisation_id"),
        ({"title": ""}, 422, "title"),
        ({"municipal_crisis_level": 3}, 422, "municipal_crisis_level"),
        ({"started_at": "yesterday"}, 422, "started_at"),
    ],
)
def test_bad_input(api_client, kop, orgs, change, status, field):
    response = post(api_client(kop), body(orgs, **change))
    assert response.status_code == status
    assert response.json()["field"] == field
    assert Incident.objects.count() == 0


def test_only_leading_roles_open_incidents(api_client, make_user, orgs):
    member = make_user("team", roles=[(orgs.dept_a, Role.CRISIS_TEAM)])
    response = post(api_client(member), body(orgs))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_status_flow(api_client, kop, orgs):
    client = api_client(kop)
    incident_id = post(client, body(orgs)).json()["id"]
    url = f"/api/v1/incidents/{incident_id}/status"
    for status in ["active", "standing_down", "closed"]:
        response = client.post(url, {"status": status}, content_type="application/json")
        assert response.status_code == 200, response.json()
    assert response.json()["closed_at"] is not None
    reopened = client.post(url, {"status": "active"}, content_type="application/json")
    assert reopened.status_code == 409
    assert reopened.json()["code"] == "invalid_transition"


def test_list_and_get_are_scoped(api_client, kop, make_user, orgs):
    incident_id = post(api_client(kop), body(orgs)).json()["id"]
    stranger = make_user("stranger", roles=[(orgs.centre, Role.KOP)])
    assert api_client(stranger).get(f"/api/v1/incidents/{incident_id}").status_code == 404
    assert api_client(stranger).get("/api/v1/incidents").json()["count"] == 0
    assert api_client(kop).get("/api/v1/incidents").json()["count"] == 1


def test_assign_and_release(api_client, kop, make_user, orgs):
    client = api_client(kop)
    incident_id = post(client, body(orgs)).json()["id"]
    registrar = make_user("reg", roles=[(orgs.dept_a, Role.REGISTRAR)])
    created = client.post(
        f"/api/v1/incidents/{incident_id}/assignments",
        {"user_id": registrar.pk, "role": "registrar"},
        content_type="application/json",
    )
    assert created.status_code == 201
    released = client.post(
        f"/api/v1/incidents/{incident_id}/assignments/{created.json()['id']}/release"
    )
    assert released.json()["released_at"] is not None
    refused = api_client(registrar).post(
        f"/api/v1/incidents/{incident_id}/assignments",
        {"user_id": registrar.pk, "role": "lead"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_incident_pages(client, kop, orgs):
    client.force_login(kop)
    form = {
        "title": "Skyderi",
        "kind": "violence",
        "municipality_code": "730",
        "lead_organisation_id": str(orgs.dept_a.pk),
        "place": "Torvet",
    }
    response = client.post("/incidents/new/", form)
    assert response.status_code == 302
    assert Incident.objects.get().place == "Torvet"
    page = client.get(response.url)
    assert "Skyderi" in page.content.decode()
    listing = client.get("/incidents/").content.decode()
    assert "Skyderi" in listing


def test_incident_form_bad_input_shows_errors(client, kop):
    client.force_login(kop)
    response = client.post("/incidents/new/", {"title": "", "kind": "fire"})
    assert response.status_code == 400
    assert Incident.objects.count() == 0
    assert "Dette felt er påkrævet" in response.content.decode()


def test_assign_through_the_page(client, kop, make_user, orgs):
    registrar = make_user("reg", roles=[(orgs.dept_b, Role.REGISTRAR)], first_name="Rikke")
    outsider = make_user("out", roles=[(orgs.centre, Role.REGISTRAR)])
    client.force_login(kop)
    client.post(
        "/incidents/new/",
        {
            "title": "Brand",
            "kind": "fire",
            "municipality_code": "730",
            "lead_organisation_id": str(orgs.dept_a.pk),
        },
    )
    incident = Incident.objects.get()
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Rikke" in page  # colleagues in the region psychiatry can be chosen
    assert "(out)" not in page  # people of unrelated organisations are not offered
    client.post(f"/incidents/{incident.pk}/assign/", {"user": registrar.pk, "role": "registrar"})
    assert incident.assignments.filter(user=registrar, role="registrar").exists()
    client.post(f"/incidents/{incident.pk}/assign/", {"user": outsider.pk, "role": "registrar"})
    assert not incident.assignments.filter(user=outsider).exists()
