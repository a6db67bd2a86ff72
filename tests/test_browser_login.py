"""A real browser: log in as a demo user, see the dashboard in Danish, switch to English."""

import pytest
from django.core.management import call_command

from beredt.organisations.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_dashboard_danish_then_english(live_server, page, login, tmp_path):
    call_command("loaddemo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    login(page, "kop", DEMO_PASSWORD)
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Hej Karen"
    assert page.get_attribute("html", "lang") == "da"
    assert "Åbne hændelser" in page.content()
    # The demo exercise is on the dashboard, marked as an exercise.
    assert "busulykke ved Randers" in page.content()
    assert "ØVELSE" in page.content()
    page.screenshot(path=str(tmp_path / "dashboard-da.png"), full_page=True)

    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("h1") == "Hello Karen"
    assert "Open incidents" in page.content()
    assert "EXERCISE" in page.content()

    # The choice sticks on the next page.
    page.click("nav.mainnav >> text=Incidents")
    page.wait_for_selector("h1:has-text('Incidents')")
    assert page.get_attribute("html", "lang") == "en"


def test_wrong_password_stays_on_login(live_server, page, login, make_user):
    make_user("karen")
    login(page, "karen", "not-the-password")
    page.wait_for_selector(".form-errors")
    assert "korrekt brugernavn" in page.inner_text(".form-errors")
