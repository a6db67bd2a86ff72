"""The API's authentication, error format and language."""

import pytest
from django.core.management import call_command
from django.test import Client

from beredt.accounts.models import ApiToken
from beredt.accounts.tokens import revoke_token

pytestmark = pytest.mark.django_db


def test_openapi_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/geo/municipalities" in paths
    assert "/api/v1/incidents" in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_no_credentials_is_401_in_danish(client):
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert "Log ind" in body["detail"]


def test_error_language_follows_accept_language(client):
    response = client.get("/api/v1/accounts/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"].startswith("Authentication required")


def test_bearer_token(api_client, make_user):
    user = make_user("karen", first_name="Karen", last_name="Olsen")
    response = api_client(user).get("/api/v1/accounts/me")
    assert response.status_code == 200
    assert response.json()["username"] == "karen"
    assert response.json()["name"] == "Karen Olsen"


def test_token_is_stored_hashed(make_user):
    from beredt.accounts.tokens import create_token

    row, token = create_token(user=make_user())
    assert token not in {row.digest, row.prefix}
    assert ApiToken.objects.filter(digest__contains=token).count() == 0


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer bt_forged", "Basic abc", "Bearer "])
def test_bad_tokens_are_refused(header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/accounts/me")
    assert response.status_code == 401


def test_revoked_token_and_inactive_user_are_refused(make_user):
    from beredt.accounts.tokens import create_token

    user = make_user()
    row, token = create_token(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/accounts/me").status_code == 200
    revoke_token(token_row=row)
    assert client.get("/api/v1/accounts/me").status_code == 401
    _row2, token2 = create_token(user=user)
    user.is_active = False
    user.save()
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token2}").get("/api/v1/accounts/me").status_code == 401
    )


def test_createtoken_prints_a_working_token_last(make_user, capsys):
    make_user("kop")
    call_command("createtoken", "kop")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/accounts/me")
    assert response.json()["username"] == "kop"


def test_createtoken_unknown_user_fails():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("createtoken", "nobody")


def test_session_auth_needs_csrf_for_writes(make_user, orgs):
    from beredt.organisations.models import Role

    user = make_user("lead", roles=[(orgs.dept_a, Role.KOP)])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/accounts/me").status_code == 200
    body = {
        "title": "x",
        "kind": "fire",
        "municipality_code": 730,
        "lead_organisation_id": orgs.dept_a.pk,
    }
    response = client.post("/api/v1/incidents", body, content_type="application/json")
    assert response.status_code == 401 or response.status_code == 403
    client.get("/accounts/profile/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/incidents", body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201


def test_validation_error_names_the_field(api_client, kop, orgs):
    response = api_client(kop).post(
        "/api/v1/incidents",
        {
            "title": "x",
            "kind": "meteor",
            "municipality_code": 730,
            "lead_organisation_id": orgs.dept_a.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["field"] == "kind"
    assert "kind" in body["detail"]


def test_malformed_json_is_4xx_not_500(api_client, kop):
    response = api_client(kop).post(
        "/api/v1/incidents", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert "code" in response.json()


def test_superuser_can_use_every_read_endpoint(api_client, make_user, orgs):
    admin = make_user("root", superuser=True)
    client = api_client(admin)
    for path in [
        "/api/v1/accounts/me",
        "/api/v1/organisations",
        f"/api/v1/organisations/{orgs.psych.pk}",
        f"/api/v1/organisations/{orgs.psych.pk}/members",
        "/api/v1/incidents",
    ]:
        assert client.get(path).status_code == 200, path


def test_a_resolved_token_is_remembered_briefly(make_user, monkeypatch, django_assert_num_queries):
    """One token lookup per burst of calls; a change made by another process (here a bare
    UPDATE, which sends no signal) takes effect when the few seconds are over."""
    from beredt.accounts import tokens

    user = make_user()
    row, token = tokens.create_token(user=user)
    assert tokens.user_for_token(token) == user
    with django_assert_num_queries(0):
        first, second = tokens.user_for_token(token), tokens.user_for_token(token)
    assert first == user and first is not second  # a copy per request
    first.note_from_one_request = "x"
    assert not hasattr(tokens.user_for_token(token), "note_from_one_request")

    ApiToken.objects.filter(pk=row.pk).update(revoked_at=row.created_at)
    assert tokens.user_for_token(token) == user
    now = tokens.time.monotonic()
    monkeypatch.setattr(tokens.time, "monotonic", lambda: now + tokens.TOKEN_CACHE_SECONDS + 1)
    assert tokens.user_for_token(token) is None


def test_changes_in_this_process_end_a_remembered_token_at_once(make_user):
    from beredt.accounts import tokens

    user = make_user()
    _row, token = tokens.create_token(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/accounts/me").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_a_wrong_token_on_a_write_is_401_not_a_csrf_error():
    response = Client(HTTP_AUTHORIZATION="Bearer bt_wrong", enforce_csrf_checks=True).post(
        "/api/v1/incidents", "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_unreadable_body_is_400_in_the_callers_language(api_client, make_user):
    client = api_client(make_user())
    response = client.post("/api/v1/incidents", "{not json", content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert response.json() == {"detail": "Forespørgslens indhold kunne ikke læses: send "
                               "gyldig JSON.", "code": "bad_request"}
