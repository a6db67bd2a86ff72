"""Self-registration from the public incident page: validation, consent, honeypot, rate
limits, and that nothing reaches the registry before staff confirm it."""

import os
import subprocess
import sys
import uuid

import pytest
from django.db import connection

from beredt.core.models import AuditEvent
from beredt.public import content, services
from beredt.public.models import SelfRegistration
from beredt.registry.models import Registration

from .conftest import VALID


def post(client, page, lang="da", **changes):
    return client.post(f"/hjaelp/{lang}/h/{page.slug}/", {**VALID, **changes},
                       REMOTE_ADDR=changes.pop("ip", "203.0.113.7"))


def test_valid_form_is_stored_encrypted_and_pending(client, page):
    response = post(client, page, lang="ar")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/hjaelp/ar/h/{page.slug}/tak/"
    item = SelfRegistration.objects.get()
    assert item.status == "pending" and item.language == "ar" and item.children_affected
    assert item.full_name == "Amal Haddad" and item.postcode == "8900"
    assert item.consent_text == content.language("ar").t("consent_text")
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, phone FROM public_selfregistration")
        raw = cursor.fetchone()
    assert "Amal" not in raw[0] and "20 30" not in raw[1]  # encrypted at rest
    assert not Registration.objects.exists()  # not routed before a person confirms
    event = AuditEvent.objects.get(object_type="public.selfregistration")
    assert event.action == "create" and "Amal" not in str(event.__dict__)


def test_thanks_page_is_in_the_chosen_language(client, page):
    post(client, page, lang="uk")
    body = client.get(f"/hjaelp/uk/h/{page.slug}/tak/").content.decode()
    assert content.language("uk").t("thanks_title") in body


@pytest.mark.parametrize(("changes", "field", "key"), [
    ({"full_name": ""}, "full_name", "error_required"),
    ({"phone": "", "email": ""}, "phone", "error_contact"),
    ({"phone": "12"}, "phone", "error_phone"),
    ({"email": "not-an-address"}, "email", "error_email"),
    ({"postcode": "0000"}, "postcode", "error_postcode"),
    ({"relation": "boss"}, "relation", "error_required"),
    ({"consent": ""}, "consent", "error_consent"),
])
def test_invalid_input_is_shown_in_the_page_language_and_nothing_is_saved(
        client, page, changes, field, key):
    data = {k: v for k, v in {**VALID, **changes}.items() if v != ""}
    response = client.post(f"/hjaelp/pl/h/{page.slug}/", data)
    assert response.status_code == 400
    assert content.language("pl").t(key) in response.content.decode()
    assert not SelfRegistration.objects.exists()


def test_honeypot_answers_like_success_but_stores_nothing(client, page):
    response = post(client, page, website="http://spam.example")
    assert response.status_code == 302 and response.headers["Location"].endswith("/tak/")
    assert not SelfRegistration.objects.exists()


def test_rate_limit_per_ip(client, page, settings):
    settings.PUBLIC_SELFREG_LIMIT_PER_IP = (2, 3600)
    assert post(client, page).status_code == 302
    assert post(client, page).status_code == 302
    blocked = post(client, page)
    assert blocked.status_code == 429
    assert content.language("da").t("error_rate_limited") in blocked.content.decode()
    assert SelfRegistration.objects.count() == 2
    # Another address is not blocked.
    assert post(client, page, ip="198.51.100.9").status_code == 302


def test_rate_limit_per_incident(client, page, settings):
    settings.PUBLIC_SELFREG_LIMIT_PER_INCIDENT = (3, 3600)
    for n in range(3):
        assert post(client, page, ip=f"198.51.100.{n}").status_code == 302
    assert post(client, page, ip="198.51.100.200").status_code == 429
    assert SelfRegistration.objects.count() == 3


REDIS_URL = "redis://127.0.0.1:6379/15"


def test_rate_limit_is_shared_by_server_processes_with_redis(settings):
    """With BEREDT_CACHE_URL set (production), two attempts counted in another process count
    here too: the limit holds across gunicorn workers. Uses the machine's real Redis."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS_URL, "KEY_PREFIX": "beredt"}}
    key = f"public:selfreg:test:{uuid.uuid4()}"
    script = ("import django; django.setup(); from beredt.public import services; "
              f"print(services._hit({key!r}, (2, 60)), services._hit({key!r}, (2, 60)))")
    env = {**os.environ, "BEREDT_CACHE_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "beredt.settings"}
    other = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, timeout=60)
    assert other.stdout.split() == ["True", "True"], other.stderr
    assert services._hit(key, (2, 60)) is False


def test_closed_self_registration_shows_no_form(client, kop, page):
    services.save_incident_page(by=kop, incident=page.incident,
                                data={"self_registration_open": False})
    body = client.get(f"/hjaelp/da/h/{page.slug}/").content.decode()
    assert 'name="full_name"' not in body
    assert content.language("da").t("selfreg_closed") in body
    assert post(client, page).status_code == 409
    assert not SelfRegistration.objects.exists()


def test_api_self_registration(client, page):
    url = f"/api/v1/public/incidents/{page.slug}/self-registrations"
    body = {"full_name": "Olena Kovalenko", "email": "olena@example.org", "relation": "witness",
            "language": "uk", "consent": True}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 202, response.content
    assert SelfRegistration.objects.get().language == "uk"
    refused = client.post(url, {**body, "consent": False}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["field"] == "consent"
    several = client.post(url, {**body, "full_name": "", "email": "not-an-address",
                                "consent": False}, content_type="application/json")
    assert several.status_code == 422
    assert {(e["field"], e["code"]) for e in several.json()["errors"]} == {
        ("full_name", "required"), ("email", "email_invalid"), ("consent", "consent_missing")}
    assert SelfRegistration.objects.count() == 1
    shown = client.get(f"/api/v1/public/incidents/{page.slug}").json()
    assert shown["hotline_phone"] == "8915 1515"
    assert client.get("/api/v1/public/incidents/nope").status_code == 404
