"""A session without activity for 30 minutes ends (besides the absolute 12 hours)."""

import time

import pytest

from beredt.accounts.middleware import SESSION_KEY
from beredt.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time()) - seconds
    session.save()


def login(client, make_user):
    make_user("karen")
    assert client.post("/accounts/login/",
                       {"username": "karen", "password": "test-password-123"}).status_code == 302
    assert client.get("/").status_code == 200


def test_idle_session_is_logged_out(client, make_user, settings):
    login(client, make_user)
    _age_session(client, settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action="logout").count() == 1
    page = client.get(response.url)
    assert "uden aktivitet" in page.content.decode()


def test_activity_keeps_the_session(client, make_user, settings):
    login(client, make_user)
    _age_session(client, settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/").status_code == 200
    # The request renewed the stamp: the session lives on.
    assert client.session[SESSION_KEY] >= int(time.time()) - 5


def test_default_idle_timeout_is_30_minutes(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
