"""Self-registration behind a proxy and under load (issue 25): the client IP is the one our
proxy appended, the caps hold on the database cache, and a proof-of-work challenge is
required when many register at once — solved by the page's script, checked by the server."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from beredt.core import ratelimit
from beredt.core.middleware import client_ip
from beredt.public import challenge, services
from beredt.public.models import SelfRegistration

from .conftest import VALID


def post(client, page, *, forwarded=None, REMOTE_ADDR="10.0.0.2", **changes):
    extra = {"REMOTE_ADDR": REMOTE_ADDR}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(f"/hjaelp/da/h/{page.slug}/", {**VALID, **changes}, **extra)


@pytest.fixture
def behind_one_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_HOPS = 1


# --- client IP -----------------------------------------------------------------------------

@pytest.mark.parametrize(("hops", "forwarded", "expected"), [
    (0, "192.0.2.1, 198.51.100.7", "10.0.0.2"),
    (1, "192.0.2.1, 198.51.100.7", "198.51.100.7"),
    (2, "192.0.2.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
    (2, "198.51.100.7", "198.51.100.7"),
    (1, "", "10.0.0.2"),
])
def test_client_ip_is_the_entry_our_proxy_appended(settings, hops, forwarded, expected):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_forged_forwarded_for_does_not_escape_the_ip_limit(client, page, settings,
                                                            behind_one_proxy):
    settings.PUBLIC_SELFREG_LIMIT_PER_IP = (2, 3600)
    answers = [post(client, page, forwarded=f"192.0.2.{n}, 198.51.100.7").status_code
               for n in range(4)]
    assert answers == [302, 302, 429, 429]
    assert SelfRegistration.objects.count() == 2
    assert post(client, page, forwarded="192.0.2.1, 198.51.100.8").status_code == 302


# --- caps on the database cache ------------------------------------------------------------

@pytest.fixture
def database_cache(db):
    backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
               "LOCATION": "beredt_cache_test"}
    with override_settings(CACHES={"default": backend}):
        call_command("createcachetable", verbosity=0)
        yield caches["default"]


def test_the_cap_holds_on_the_database_cache_when_requests_interleave(database_cache,
                                                                      monkeypatch):
    """Another request runs between this request's read and write of the counter (as in
    two server threads): a read-then-write counter loses one and lets a third through."""
    original_get = type(database_cache).get
    state = {"nested": False}

    def get_with_a_request_in_between(self, key, default=None, version=None):
        value = original_get(self, key, default, version)
        if not state["nested"]:
            state["nested"] = True
            assert services._hit("race", (2, 3600))
        return value

    monkeypatch.setattr(type(database_cache), "get", get_with_a_request_in_between)
    assert services._hit("race", (2, 3600))
    monkeypatch.setattr(type(database_cache), "get", original_get)
    assert not services._hit("race", (2, 3600))
    assert not services._hit("race", (2, 3600))


def test_the_self_registration_caps_work_on_the_database_cache(client, page, settings,
                                                               database_cache):
    settings.PUBLIC_SELFREG_LIMIT_PER_INCIDENT = (3, 3600)
    settings.PUBLIC_SELFREG_CHALLENGE_AFTER = 1000
    answers = [post(client, page, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(5)]
    assert answers == [302, 302, 302, 429, 429]
    assert ratelimit.used(f"public:selfreg:incident:{page.incident_id}", seconds=3600) == 3


# --- proof of work -------------------------------------------------------------------------

@pytest.fixture
def under_load(settings):
    settings.PUBLIC_SELFREG_CHALLENGE_AFTER = 0  # always "under load"
    settings.PUBLIC_POW_BITS = 8


def _solved_form(client, page) -> dict:
    body = client.get(f"/hjaelp/da/h/{page.slug}/").content.decode()
    start = body.index('name="pow_challenge" value="') + len('name="pow_challenge" value="')
    token = body[start:body.index('"', start)]
    assert 'data-pow-challenge="' + token in body and "pow.js" in body
    return {"pow_challenge": token, "pow_solution": challenge.solve(token)}


def test_under_load_a_form_without_a_solution_is_refused_kindly(client, page, under_load):
    response = post(client, page)
    assert response.status_code == 400
    from beredt.public import content

    assert content.language("da").t("error_challenge") in response.content.decode()
    assert not SelfRegistration.objects.exists()
    # The answer carries a fresh challenge: the script solves it and the person sends again.
    assert post(client, page, **_solved_form(client, page)).status_code == 302
    assert SelfRegistration.objects.count() == 1


def test_a_solution_counts_once(client, page, under_load):
    proof = _solved_form(client, page)
    assert post(client, page, **proof).status_code == 302
    assert post(client, page, **proof, REMOTE_ADDR="198.51.100.3").status_code == 400
    assert SelfRegistration.objects.count() == 1


@pytest.mark.parametrize("tamper", ["solution", "challenge", "easier"])
def test_wrong_or_forged_solutions_are_refused(client, page, under_load, settings, tamper):
    proof = _solved_form(client, page)
    if tamper == "solution":
        proof["pow_solution"] = str(int(proof["pow_solution"]) + 1)
        while challenge._work(proof["pow_challenge"], proof["pow_solution"]) >= 8:
            proof["pow_solution"] = str(int(proof["pow_solution"]) + 1)
    elif tamper == "challenge":
        proof["pow_challenge"] = proof["pow_challenge"][:-2] + "xx"
    else:
        settings.PUBLIC_POW_BITS = 1
        easy = challenge.issue()
        settings.PUBLIC_POW_BITS = 8
        proof = {"pow_challenge": easy, "pow_solution": challenge.solve(easy)}
        if challenge._work(easy, proof["pow_solution"]) >= 8:
            pytest.skip("the easy solution happens to be hard enough")
    assert post(client, page, **proof).status_code == 400
    assert not SelfRegistration.objects.exists()


def test_without_load_no_challenge_is_needed(client, page, settings):
    settings.PUBLIC_SELFREG_CHALLENGE_AFTER = 2
    assert post(client, page, REMOTE_ADDR="198.51.100.1").status_code == 302
    assert post(client, page, REMOTE_ADDR="198.51.100.2").status_code == 302
    # Two have registered in this window: from now on the challenge is required.
    assert post(client, page, REMOTE_ADDR="198.51.100.3").status_code == 400


def test_the_api_takes_the_challenge_too(client, page, under_load):
    url = f"/api/v1/public/incidents/{page.slug}/self-registrations"
    body = {"full_name": "Olena Kovalenko", "email": "olena@example.org",
            "relation": "witness", "consent": True}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "challenge_required"
    token = client.get("/api/v1/public/challenge").json()["challenge"]
    accepted = client.post(url, {**body, "pow_challenge": token,
                                 "pow_solution": challenge.solve(token)},
                           content_type="application/json")
    assert accepted.status_code == 202, accepted.content
