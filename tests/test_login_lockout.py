"""Lock-out is no weapon: failed logins lock the username *from that client* (username +
client address behind the proxy), never the named account for everyone, and only briefly."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches Django from here


def attempt(client: Client, password: str, *, client_ip: str):
    return client.post(
        "/accounts/login/", {"username": "kop", "password": password},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip,
    )


@pytest.fixture
def behind_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_HOPS = 1  # the proxy appends the client's address


def test_attacker_cannot_lock_the_kop_out_from_another_client(make_user, settings, behind_proxy):
    make_user("kop")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        attempt(attacker, "guess", client_ip="203.0.113.66")
    assert attempt(attacker, "test-password-123", client_ip="203.0.113.66").status_code == 429
    # The KOP on the hospital network logs in as usual.
    response = attempt(Client(), "test-password-123", client_ip="192.0.2.10")
    assert response.status_code == 302


def test_failures_are_recorded_per_username_and_client(make_user, settings, behind_proxy):
    make_user("kop")
    attempt(Client(), "guess", client_ip="203.0.113.66")
    attempt(Client(), "guess", client_ip="192.0.2.10")
    assert set(AccessAttempt.objects.values_list("username", "ip_address")) == {
        ("kop", "203.0.113.66"), ("kop", "192.0.2.10"),
    }


def test_lockout_is_a_short_cool_off_not_half_an_hour(settings):
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    assert dt.timedelta(0) < cool_off <= dt.timedelta(minutes=5)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_lockout_ends_after_the_cool_off(make_user, settings, behind_proxy):
    make_user("kop")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, "guess", client_ip="203.0.113.66")
    assert attempt(attacker, "test-password-123", client_ip="203.0.113.66").status_code == 429
    from axes.helpers import get_cool_off

    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - get_cool_off()
                                 - dt.timedelta(seconds=1))
    assert attempt(attacker, "test-password-123", client_ip="203.0.113.66").status_code == 302
