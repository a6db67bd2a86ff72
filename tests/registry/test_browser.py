"""The tablet form in a real browser at 768 px: postcode completes the municipality, the CPR
number fills the birth date, saving shows the person."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from beredt.registry.models import Registration

SHOTS = Path(tempfile.gettempdir())  # screenshots to look at by hand


@pytest.mark.django_db(transaction=True)
def test_tablet_registration(page, login, live_server, registrar, incident):
    page.set_viewport_size({"width": 768, "height": 1024})
    login(page, "registrar")
    page.goto(f"{live_server.url}/registry/incidents/{incident.pk}/new/")
    page.check("input[name=role][value=injured]")
    page.fill("input[name=full_name]", "Mette Kjær Andersen")
    page.fill("input[name=cpr]", "010190-1234")
    expect(page.locator("input[name=birth_date]")).to_have_value("1990-01-01")
    page.fill("input[name=phone]", "22113344")
    page.fill("input[name=postcode]", "8900")
    expect(page.locator("select[name=residence_municipality_code]")).to_have_value("730")
    page.check("input[name=consent_registration]")
    page.check("input[name=followup_channels][value=sms]")
    page.fill("input[name=witness]", "Karen Olsen")
    page.screenshot(path=SHOTS / "registry_form_768.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.click(".registry-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Mette Kjær Andersen')", timeout=5000)
    page.screenshot(path=SHOTS / "registry_detail_768.png", full_page=True)
    reg = Registration.objects.get()
    assert reg.residence_municipality_id == 730 and reg.cpr == "0101901234"
    assert "010190-****" in page.content()
