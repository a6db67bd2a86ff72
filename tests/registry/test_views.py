"""The pages: tablet registration form with HTMX helpers, list/search, detail, panels."""

import uuid

import pytest

from beredt.core.models import AuditEvent
from beredt.registry.models import Registration

from .conftest import VALID_CPR


@pytest.fixture
def browser_client(client, registrar):
    client.force_login(registrar)
    return client


def _form(**fields):
    return {"client_id": str(uuid.uuid4()), "point": "new:epc", "role": "injured",
            "full_name": "Anna Holm", "residence": "municipality", "need": "followup_wanted",
            "preferred_language": "da", "consent_method": "verbal_witnessed",
            "witness": "Karen", "given_by": "person", **fields}


def test_form_creates_registration_and_is_idempotent(browser_client, incident):
    url = f"/registry/incidents/{incident.pk}/new/"
    assert browser_client.get(url).status_code == 200
    data = _form(cpr="010190-1234", phone="22113344", postcode="8900",
                 consent_registration="on", followup_channels=["sms"])
    response = browser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reg = Registration.objects.get()
    assert reg.residence_municipality_id == 730 and reg.birth_date.year == 1990
    assert {c.kind for c in reg.consents.all()} == {"registration", "followup_contact"}
    assert reg.point.kind == "epc"
    # A double tap sends the same client_id: still one person.
    assert browser_client.post(url, data).status_code == 302
    assert Registration.objects.count() == 1


def test_form_shows_errors_on_the_field(browser_client, incident):
    response = browser_client.post(f"/registry/incidents/{incident.pk}/new/",
                                   _form(cpr="320190-1234"))
    assert response.status_code == 400
    assert "has-error" in response.content.decode()
    assert not Registration.objects.exists()


def test_postcode_fills_municipality(browser_client):
    response = browser_client.get("/registry/postcode/", {"postcode": "8900"},
                                  HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'value="730" selected' in html and "Randers" in html
    unknown = browser_client.get("/registry/postcode/", {"postcode": "0001"}).content.decode()
    assert 'role="alert"' in unknown


def test_cpr_fills_birth_date(browser_client):
    html = browser_client.post("/registry/cpr/", {"cpr": "010190-1234"}).content.decode()
    assert 'value="1990-01-01"' in html
    bad = browser_client.post("/registry/cpr/", {"cpr": "320190-1234"}).content.decode()
    assert 'role="alert"' in bad


def test_list_search_and_audit(browser_client, incident, register):
    register(full_name="Anna Holm", cpr=VALID_CPR)
    register(full_name="Bo Berg")
    page = browser_client.get(f"/registry/incidents/{incident.pk}/", {"q": "berg"})
    html = page.content.decode()
    assert "Bo Berg" in html and "Anna Holm" not in html
    assert AuditEvent.objects.filter(action="search").count() == 1


def test_detail_masks_cpr_and_reveal_is_audited(browser_client, register):
    reg = register(cpr=VALID_CPR)
    html = browser_client.get(f"/registry/people/{reg.pk}/").content.decode()
    assert "010190-****" in html and "010190-1234" not in html
    assert AuditEvent.objects.filter(action="view", object_id=str(reg.pk)).exists()
    no_reason = browser_client.post(f"/registry/people/{reg.pk}/reveal/", {"reason": ""})
    assert no_reason.status_code == 302
    shown = browser_client.post(f"/registry/people/{reg.pk}/reveal/", {"reason": "Opslag"})
    assert "010190-1234" in shown.content.decode()
    assert AuditEvent.objects.filter(action="reveal", reason="Opslag").count() == 1


def test_consent_add_and_withdraw_pages(browser_client, register):
    reg = register(phone="22113344")
    browser_client.post(f"/registry/people/{reg.pk}/consents/", {
        "kind": "followup_contact", "channels": ["phone"], "method": "signed_paper",
        "given_by": "person"})
    consent = reg.consents.get(kind="followup_contact")
    browser_client.post(f"/registry/people/{reg.pk}/consents/{consent.pk}/withdraw/",
                        {"reason": "Ringede og trak tilbage"})
    consent.refresh_from_db()
    assert consent.withdrawn_reason == "Ringede og trak tilbage"


def test_incident_panel_and_dashboard(browser_client, incident, register, registrar):
    register()
    html = browser_client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f"/registry/incidents/{incident.pk}/new/" in html
    dashboard = browser_client.get("/").content.decode()
    assert f"/registry/incidents/{incident.pk}/" in dashboard
    assert browser_client.get("/registry/").status_code == 200
