"""Malformed input that used to end in a 500 (issue 25): each is a 4xx with a stable code.

The import cases also check the service layer, since a NUL that reached a stored batch
made it impossible to commit on PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from beredt.core.errors import ValidationFailed
from beredt.organisations.models import Role
from beredt.registry import imports
from beredt.registry.models import ImportBatch

HEADER = "navn;telefon;samtykke_registrering\n"


@pytest.fixture
def client_of():
    def make(user) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def registrar(make_user, orgs, kop):
    from beredt.incidents import services as incident_services
    from beredt.incidents.models import AssignmentRole

    incident, _ = incident_services.create_incident(
        by=kop, title="Brand", kind="fire", municipality_code=730,
        lead_organisation_id=orgs.dept_a.pk)
    user = make_user("registrar", roles=[(orgs.dept_a, Role.REGISTRAR)])
    incident_services.assign(by=kop, incident=incident, user=user,
                             role=AssignmentRole.REGISTRAR)
    user.incident = incident
    return user


def _upload(client, incident, content: bytes, name="liste.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/registry/incidents/{incident.pk}/import/", {
        "point": "new:paper", "file": SimpleUploadedFile(name, content)})


# --- CSV imports ---------------------------------------------------------------------------

def test_bare_carriage_returns_are_line_ends(registrar):
    rows = imports.read_rows("liste.csv", (HEADER + "Anna Holm;22113344;ja\rBo Berg;;ja\r")
                             .encode())
    assert [r["full_name"] for r in rows] == ["Anna Holm", "Bo Berg"]


def test_registry_import_of_a_cr_file_is_no_server_error(registrar, client_of):
    content = b"navn;telefon\nAnna\rHolm\x85;2211\r\"x\"y\"\n"
    response = _upload(client_of(registrar), registrar.incident, content)
    assert response.status_code < 500


@pytest.mark.parametrize("size", [20_000, 200_000])
def test_a_cell_over_the_limit_is_refused(registrar, client_of, size):
    content = (HEADER + "A" * size + ";1;ja\n").encode()
    with pytest.raises(ValidationFailed) as caught:
        imports.read_rows("liste.csv", content)
    assert caught.value.code == "cell_too_long"
    response = _upload(client_of(registrar), registrar.incident, content)
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("cell", ["Anna\x00Holm", "Bo\x1bBerg", "\x7f"])
def test_nul_and_control_characters_are_refused_before_a_batch_is_stored(registrar, cell):
    with pytest.raises(ValidationFailed) as caught:
        imports.check_file(incident=registrar.incident, point=None, by=registrar,
                           filename="liste.csv", content=(HEADER + cell + ";1;ja\n").encode())
    assert caught.value.code == "control_characters"
    assert "2" in str(caught.value.message)  # names the row
    assert not ImportBatch.objects.exists()


@pytest.fixture
def dir_admin(make_user, orgs):
    return make_user("diradmin", roles=[(orgs.kommune, Role.ADMINISTRATOR)])


DIR_HEADER = "kind,provider,municipality_code,region_code,name\n"


@pytest.mark.parametrize(("body", "code"), [
    (DIR_HEADER + "line,Aarhus Kommune,751,,A\x00B\n", "control_characters"),
    (DIR_HEADER + "line,Aarhus Kommune,751,," + "x" * 200_000 + "\n", "cell_too_long"),
    (DIR_HEADER + "line,Aarhus Kommune,751,," + "x" * 20_000 + "\n", "cell_too_long"),
])
def test_directory_csv_import_refuses_with_a_code(api_client, dir_admin, body, code):
    client = api_client(dir_admin)
    client.raise_request_exception = False
    response = client.post("/api/v1/directory/csv", data=body.encode(), content_type="text/csv")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code


def test_directory_csv_with_bare_carriage_returns_imports(api_client, dir_admin):
    body = (DIR_HEADER.replace("\n", ",phones\r")
            + "line,Aarhus Kommune,751,,Aarhus akuttelefon,8940 2000\r")
    client = api_client(dir_admin)
    client.raise_request_exception = False
    response = client.post("/api/v1/directory/csv", data=body.encode(), content_type="text/csv")
    assert response.status_code == 200, response.content


def test_directory_csv_page_shows_a_cell_over_the_limit(dir_admin, client_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (DIR_HEADER + "line,Aarhus Kommune,751,," + "x" * 200_000 + "\n").encode()
    response = client_of(dir_admin).post("/directory/import/", {
        "file": SimpleUploadedFile("d.csv", body)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


# --- JSON ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("depth", "code"), [(50_000, "invalid_json"), (200, "json_too_deep")])
def test_deeply_nested_hsds_json(api_client, dir_admin, depth, code):
    client = api_client(dir_admin)
    client.raise_request_exception = False
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/directory/hsds", data=body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code


def test_nul_in_a_json_body_is_refused(api_client, registrar):
    client = api_client(registrar)
    client.raise_request_exception = False
    body = json.dumps({"full_name": "Anna\u0000Holm", "client_id":
                       "6f1c1d1e-0000-4000-8000-000000000001"})
    response = client.post(f"/api/v1/incidents/{registrar.incident.pk}/registrations",
                           data=body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert (response.json()["code"], response.json()["field"]) == ("null_character", "full_name")


def test_deep_json_body_on_any_endpoint(api_client, registrar):
    client = api_client(registrar)
    client.raise_request_exception = False
    body = '{"full_name": ' + "[" * 100 + "]" * 100 + "}"
    response = client.post(f"/api/v1/incidents/{registrar.incident.pk}/registrations",
                           data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"


# --- query parameters ----------------------------------------------------------------------

def test_form_pdf_with_a_malformed_incident(registrar, client_of):
    response = client_of(registrar).get("/registry/form.pdf?incident=abc")
    assert response.status_code == 400


@pytest.mark.parametrize("url", [
    "/registry/postcode/?postcode=89%0000",
    "/support/guide/?q=An%00na",
    "/api/v1/geo/postcodes/8900?x=%00",
])
def test_nul_in_a_query_parameter(registrar, client_of, url):
    response = client_of(registrar).get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["code"] == "null_character"
        assert response.json()["field"] == "x"


def test_nul_in_an_api_search(api_client, registrar):
    client = api_client(registrar)
    client.raise_request_exception = False
    response = client.get(f"/api/v1/incidents/{registrar.incident.pk}/registrations?q=a%00")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("null_character", "q")


# --- the same class of bug elsewhere -------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/self-registrations/?incident=abc",
    "/public-pages/leaflet.pdf?incident=abc&municipality=%C2%B2",
    "/support/print/contact-sheet.pdf?municipality=%C2%B2",
    "/support/print/contact-sheet.pdf?municipality=99999999999999999999999",
    "/activation/roster/?organisation=%C2%B2",
    "/hjaelp/da/kommune/?kommune=%C2%B2",
])
def test_malformed_ids_in_query_strings(kop, client_of, url):
    response = client_of(kop).get(url)
    assert response.status_code < 500
