"""The registration API as written in the issue."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beredt.core.models import AuditEvent
from beredt.registry.models import DuplicateCandidate, Registration

from .conftest import VALID_CPR


def _body(**fields):
    return {"client_id": str(uuid.uuid4()), "full_name": "Anna Holm", "role": "injured",
            "consents": [{"kind": "registration", "method": "signed_paper"}], **fields}


def _url(incident):
    return f"/api/v1/incidents/{incident.pk}/registrations"


def test_create_201_then_200_on_retry(api_client, registrar, incident):
    client = api_client(registrar)
    body = _body(cpr="010190-1234", phone="22113344", postcode="8900",
                 point_kind="scene", point_name="Skadested Nord")
    first = client.post(_url(incident), body, content_type="application/json")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["cpr_masked"] == "010190-****" and "1234" not in first.content.decode()
    assert data["birth_date"] == "1990-01-01" and data["residence_municipality_code"] == 730
    assert data["point"] == "Skadested Nord" and data["point_kind"] == "scene"
    assert [c["kind"] for c in data["consents"]] == ["registration"]
    retry = client.post(_url(incident), body, content_type="application/json")
    assert retry.status_code == 200
    assert retry.json()["id"] == data["id"]
    assert Registration.objects.count() == 1


def test_create_is_a_fixed_number_of_statements(api_client, registrar, incident, register,
                                                django_capture_on_commit_callbacks):
    """The hot path: the deployment (the token was resolved moments ago), then one INSERT
    each for the registration, its consents, its match keys and all its audit rows and the
    read of the duplicate candidates — on PostgreSQL all of them one statement — and one
    upsert of the pairs found, however many people are registered already. A retry is
    answered through the unique client_id (no read before the INSERT)."""
    for _ in range(3):
        register(full_name="Anna Holm", birth_date="1984-03-01", phone="22113344")
    client = api_client(registrar)
    with django_capture_on_commit_callbacks(execute=True):  # token used, point remembered
        client.post(_url(incident), _body(full_name="Bo Berg"), content_type="application/json")
    body = _body(birth_date="1984-03-01", phone="22113344", consents=[
        {"kind": "registration", "method": "signed_paper"},
        {"kind": "followup_contact", "method": "signed_paper", "channels": ["sms"]}])
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(_url(incident), body, content_type="application/json")
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in ctx.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))]
    assert len(statements) == (3 if connection.vendor == "postgresql" else 7), \
        "\n".join(s[:80] for s in statements)
    assert sum('INSERT INTO "core_auditevent"' in s for s in statements) == 1
    assert AuditEvent.objects.filter(
        action="create", object_id__in=[response.json()["id"],
                                        *(c["id"] for c in response.json()["consents"])],
    ).count() == 3
    assert DuplicateCandidate.objects.filter(second_id=response.json()["id"]).count() == 3


@pytest.mark.parametrize(("fields", "field"), [
    ({"cpr": "999999-9999"}, "cpr"),
    ({"postcode": "0001"}, "postcode"),
    ({"consents": [{"kind": "followup_contact", "method": "digital", "channels": ["sms"]}]},
     "consents.channels"),
    ({"consents": [{"kind": "registration", "method": "digital"},
                   {"kind": "followup_contact", "method": "digital", "channels": ["email"]}]},
     "consents.channels"),
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"role": "hero"}, "role"),
])
def test_invalid_input_is_422_with_the_field(api_client, registrar, incident, fields, field):
    response = api_client(registrar).post(_url(incident), _body(**fields),
                                          content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Registration.objects.exists()


def test_list_paginated_and_searchable(api_client, registrar, incident, register):
    register(full_name="Anna Holm", cpr=VALID_CPR)
    register(full_name="Bo Berg", phone="+45 22 33 44 55")
    register(full_name="Søren Ålund", paper_form_number="BF-AAAA-BBBB")
    client = api_client(registrar)
    data = client.get(_url(incident)).json()
    assert data["count"] == 3
    names = lambda q: [r["full_name"] for r in client.get(_url(incident), {"q": q}).json()["items"]]  # noqa: E731
    assert names("holm") == ["Anna Holm"]
    assert names("soren") == ["Søren Ålund"]
    found = client.post(f"{_url(incident)}/search", {"q": "010190-1234"},
                        content_type="application/json").json()["items"]
    assert [r["full_name"] for r in found] == ["Anna Holm"]
    assert names("22334455") == ["Bo Berg"]
    assert names("BF-AAAA-BBBB") == ["Søren Ålund"]
    assert names("nobody") == []
    assert AuditEvent.objects.filter(action="search").count() >= 5


def test_read_one_is_audited(api_client, registrar, register):
    reg = register()
    response = api_client(registrar).get(f"/api/v1/registrations/{reg.pk}")
    assert response.status_code == 200
    assert response.json()["full_name"] == "Anna Holm"
    assert AuditEvent.objects.filter(action="view", object_id=str(reg.pk)).exists()


def test_consent_endpoints(api_client, registrar, register):
    reg = register(phone="22113344")
    client = api_client(registrar)
    url = f"/api/v1/registrations/{reg.pk}/consents"
    body = {"client_id": str(uuid.uuid4()), "kind": "followup_contact", "channels": ["sms"],
            "method": "verbal_witnessed", "witness": "Karen"}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert client.post(url, body, content_type="application/json").status_code == 200
    consent_id = created.json()["id"]
    bad = client.post(f"{url}/{consent_id}/withdraw", {"reason": ""},
                      content_type="application/json")
    assert bad.status_code == 422
    done = client.post(f"{url}/{consent_id}/withdraw", {"reason": "Ønsker ikke kontakt"},
                       content_type="application/json")
    assert done.status_code == 200
    assert done.json()["withdrawn_at"] and not done.json()["is_active"]
    assert client.get(f"/api/v1/registrations/{reg.pk}").json()["consented_channels"] == []


def test_reveal_cpr_needs_reason_and_is_audited(api_client, registrar, register):
    reg = register(cpr=VALID_CPR)
    client = api_client(registrar)
    url = f"/api/v1/registrations/{reg.pk}/reveal-cpr"
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    response = client.post(url, {"reason": "Opslag i e-Boks"}, content_type="application/json")
    assert response.json() == {"cpr": "010190-1234"}
    event = AuditEvent.objects.get(action="reveal", object_id=str(reg.pk))
    assert event.reason == "Opslag i e-Boks" and "1234" not in str(event.extra)


def test_incident_routes_still_work(api_client, kop, incident):
    response = api_client(kop).get(f"/api/v1/incidents/{incident.pk}")
    assert response.status_code == 200 and response.json()["id"] == str(incident.pk)
