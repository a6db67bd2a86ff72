import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db


def test_login_page_is_danish(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Log ind i Beredt" in html
    assert 'lang="da"' in html


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_login_then_dashboard(client, make_user):
    make_user("karen", first_name="Karen")
    response = client.post(
        "/accounts/login/", {"username": "karen", "password": "test-password-123"}, follow=True
    )
    assert "Hej Karen" in response.content.decode()


def test_wrong_password_shows_a_danish_error(client, make_user):
    make_user("karen")
    response = client.post("/accounts/login/", {"username": "karen", "password": "nope"})
    assert response.status_code == 200
    assert "korrekt brugernavn og adgangskode" in response.content.decode()


def test_lockout_after_repeated_failures(client, make_user, settings):
    make_user("karen")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "karen", "password": "nope"})
    locked = client.post("/accounts/login/", {"username": "karen", "password": "test-password-123"})
    assert locked.status_code == 429
    assert "For mange mislykkede login" in locked.content.decode()
    # Another user from the same address is not locked out.
    make_user("mette")
    ok = client.post("/accounts/login/", {"username": "mette", "password": "test-password-123"})
    assert ok.status_code == 302


def test_logout_needs_post(client, make_user):
    client.force_login(make_user())
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_production_hashes_passwords_with_argon2():
    # Tests add a fast hasher in front; production's first hasher is Argon2.
    production = [h for h in django_settings.PASSWORD_HASHERS if "MD5" not in h]
    assert production[0].endswith("Argon2PasswordHasher")


def test_security_headers(client):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_profile_token_create_and_revoke(client, make_user):
    user = make_user()
    client.force_login(user)
    page = client.post("/accounts/profile/tokens/", {"name": "tablet"})
    html = page.content.decode()
    assert "Kopiér den nu" in html
    token = html.split('id="new-token">')[1].split("<")[0]
    from django.test import Client

    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/accounts/me").status_code == 200
    )
    row = user.api_tokens.get()
    client.post(f"/accounts/profile/tokens/{row.pk}/revoke/")
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/accounts/me").status_code == 401
    )


def test_profile_token_without_name_is_400(client, make_user):
    client.force_login(make_user())
    assert client.post("/accounts/profile/tokens/", {"name": ""}).status_code == 400
