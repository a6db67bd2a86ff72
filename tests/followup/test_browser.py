"""The receiver's flow in a real browser on a tablet: the handover, the receipt, the task."""

import pytest

from beredt.followup import services

pytestmark = pytest.mark.browser


def test_receiver_acknowledges_and_records_an_outcome(transactional_db,
                                                      live_server, page, login, tmp_path, kop,
                                                      incident, units, person, randers_coord):
    person("Anna Holm", postcode="8900", email="anna@example.org", channels=("sms", "email"))
    services.route_incident(by=kop, incident=incident)
    [handover] = services.hand_over(by=kop, incident=incident)
    page.set_viewport_size({"width": 768, "height": 1024})
    login(page, "randers_coord")
    page.goto(f"{live_server.url}/followup/")
    page.click(f"a[href='/followup/handover/{handover.pk}/']")
    assert "Anna Holm" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "followup-handover.png"), full_page=True)
    page.click("text=Kvittér for modtagelsen")
    page.wait_for_selector("text=Modtagelsen er kvitteret")
    page.click("text=Første kontakt")
    page.select_option("select[name=outcome]", "reached")
    page.click("text=Registrér resultatet")
    page.wait_for_selector("text=Resultatet er registreret")
    page.screenshot(path=str(tmp_path / "followup-task.png"), full_page=True)
    box = page.locator("main").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 768


def test_sender_page_on_a_tablet(transactional_db, live_server, page, login,
                                 tmp_path, kop, incident, units, person):
    person("Anna Holm", postcode="8900")
    person("Ola Nordmann", residence="abroad")
    services.route_incident(by=kop, incident=incident)
    page.set_viewport_size({"width": 768, "height": 1024})
    login(page, "kop")
    page.goto(f"{live_server.url}/followup/incident/{incident.pk}/")
    assert "Manuel afgørelse" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "followup-incident.png"), full_page=True)


def test_unknown_delivery_is_decided_on_a_phone(transactional_db, live_server, page, login,
                                                 tmp_path, kop, incident, person, smtp_server):
    """The "Uvis levering" card of a campaign on a 390 px phone: mark delivered."""
    import datetime as dt
    import uuid

    from django.utils import timezone

    from beredt.followup import outreach
    from beredt.followup.models import MessageState, OutreachMessage

    person("Anna Holm", email="anna@example.org", channels=("email",))
    campaign = outreach.start_campaign(by=kop, incident=incident, name="Opfølgning",
                                       template_key="followup-offer", channels=["email"])
    OutreachMessage.objects.filter(campaign=campaign).update(
        status=MessageState.HANDING_OVER, claim=uuid.uuid4(), attempts=1,
        claimed_until=timezone.now() - dt.timedelta(minutes=5))
    outreach.send_chunk(campaign_id=campaign.pk)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "kop")
    page.goto(f"{live_server.url}/followup/campaign/{campaign.pk}/")
    assert "Uvis levering: afgør" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "followup-unknown.png"), full_page=True)
    page.click("text=Markér leveret")
    page.wait_for_selector("text=Beskeden er markeret som leveret")
    assert campaign.messages.get().status == MessageState.SENT
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
