import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_page_is_a_danish_404_page(client, make_user):
    client.force_login(make_user())
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_csrf_failure_page_is_danish(make_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formularen er udløbet" in response.content.decode()


def test_server_error_on_api_is_json(client, settings):
    from beredt.core.views import server_error

    request = client.get("/api/v1/geo/regions").wsgi_request
    response = server_error(request)
    assert response.status_code == 500
    assert b'"code": "server_error"' in response.content
