"""Cache-Control: no-store on every answer that may hold personal data (issue 25)."""

import pytest


@pytest.fixture
def signed_in(client, kop):
    client.force_login(kop)
    return client


@pytest.mark.parametrize("url", ["/", "/registry/", "/incidents/", "/support/guide/?q=Anna",
                                 "/registry/form.pdf"])
def test_staff_pages_are_not_stored(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "no-store"


def test_api_answers_and_exports_are_not_stored(api_client, make_user, orgs):
    from beredt.organisations.models import Role

    admin = make_user("diradmin", roles=[(orgs.kommune, Role.ADMINISTRATOR)])
    client = api_client(admin)
    for url in ("/api/v1/directory/csv", "/api/v1/incidents", "/api/v1/accounts/me"):
        response = client.get(url)
        assert response.status_code < 500, url
        assert response["Cache-Control"] == "no-store", url


def test_public_pages_keep_their_own_caching(client, db):
    response = client.get("/hjaelp/da/")
    assert "public" in response["Cache-Control"]
