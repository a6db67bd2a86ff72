"""The core flow in a real browser: the KOP alarms from the board, the alarmed KOP answers
from the phone link, the board shows it."""

import re

import pytest
from django.utils import timezone

from beredt.activation import links
from beredt.activation.models import Callout

# A live server needs committed data (the root conftest restores the reference data after).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_alarm_and_answer_on_phone(
    team, incident, page, login, live_server, browser, tmp_path
):
    login(page, "kop")
    page.goto(f"{live_server.url}/activation/incidents/{incident.pk}/")
    page.select_option("select[name=organisation]", str(team.orgs.dept_a.pk))
    page.fill("textarea[name=note]", "Mød på Randers Rådhus")
    page.click("form[action$='/alarm/'] button[type=submit]")
    # The first alarm of a department is confirmed on its own page (department, head count).
    page.click("form[action$='/alarm/'] button.button-danger[type=submit]")
    page.wait_for_selector(".callout-row")
    assert "Afd. A" in page.inner_text("#board-live")
    page.screenshot(path=tmp_path / "board.png", full_page=True)

    callout = Callout.objects.get(incident=incident, user=team.kop)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    mobile = phone.new_page()
    url = links.url_for(callout).replace("http://testserver", live_server.url)
    mobile.goto(url)
    mobile.screenshot(path=tmp_path / "respond.png")
    mobile.click("button[value=accept]")
    assert "msg-success" in mobile.content()
    phone.close()

    page.reload()
    row = page.locator(".callout-row").first
    assert row.get_attribute("data-status") == "acknowledged"
    assert re.search(r"kvitteret af", page.inner_text("#board-live"), re.I)
    assert (
        callout.alarm.refresh_from_db() is None and callout.alarm.acknowledged_at <= timezone.now()
    )
