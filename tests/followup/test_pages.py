"""The follow-up pages: who sees what, the actions through the UI, and the shared-page
hooks."""

import pytest
from django.test import Client

from beredt.core.models import AuditEvent
from beredt.followup import services
from beredt.followup.models import FollowupTask, HandoverStatus

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def routed(kop, incident, units, person, randers_coord):
    person("Anna Holm", postcode="8900")
    person("Ola Nordmann", residence="abroad")
    services.route_incident(by=kop, incident=incident)
    return incident


def test_sender_sees_decisions_with_rules_and_funnel(routed, kop):
    page = client_for(kop).get(f"/followup/incident/{routed.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anna Holm" in html and "Bopælskommunens opfølgning" in html
    assert "Hændelseskommunen" in html  # the flagged fallback for the person abroad
    assert "Randers" in html


def test_receiver_and_strangers_cannot_open_the_incident_page(routed, randers_coord,
                                                              make_user):
    assert client_for(randers_coord).get(f"/followup/incident/{routed.pk}/").status_code == 404
    stranger = make_user("stranger")
    assert client_for(stranger).get(f"/followup/incident/{routed.pk}/").status_code == 404


def test_hand_over_receipt_and_task_through_the_pages(routed, kop, randers_coord, aarhus_coord):
    sender = client_for(kop)
    response = sender.post(f"/followup/incident/{routed.pk}/hand-over/")
    assert response.status_code == 302
    handover = routed.handovers.get()
    receiver = client_for(randers_coord)
    assert receiver.get("/followup/").content.decode().count(str(handover.pk)) >= 1
    views_before = AuditEvent.objects.filter(action="view").count()
    page = receiver.get(f"/followup/handover/{handover.pk}/")
    assert page.status_code == 200 and "Anna Holm" in page.content.decode()
    assert "Ola Nordmann" not in page.content.decode()
    assert AuditEvent.objects.filter(action="view").count() == views_before + 1
    assert client_for(aarhus_coord).get(f"/followup/handover/{handover.pk}/").status_code == 404
    receiver.post(f"/followup/handover/{handover.pk}/receipt/")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.RECEIVED
    task = FollowupTask.objects.filter(item__handover=handover).first()
    assert receiver.get(f"/followup/task/{task.pk}/").status_code == 200
    receiver.post(f"/followup/task/{task.pk}/", {"action": "complete", "outcome": "reached"})
    task.refresh_from_db()
    assert task.outcome == "reached"
    assert client_for(aarhus_coord).get(f"/followup/task/{task.pk}/").status_code == 404
    fhir = receiver.get(f"/followup/handover/{handover.pk}/fhir/")
    assert fhir.status_code == 200 and fhir["Content-Type"] == "application/fhir+json"


def test_manual_decision_from_the_page(routed, kop, units):
    from beredt.registry.models import Registration

    ola = next(r for r in Registration.objects.filter(incident=routed)
               if r.full_name == "Ola Nordmann")
    client_for(kop).post(f"/followup/decision/{ola.pk}/", {"unit": units.aarhus.pk,
                                                           "reason": "Bor i Aarhus"})
    decision = ola.routing_decisions.get(is_current=True)
    assert decision.unit == units.aarhus and not decision.needs_manual_decision


def test_campaign_page_queues_and_shows_status(routed, kop):
    response = client_for(kop).post(f"/followup/incident/{routed.pk}/campaign/", {
        "name": "Tilbud", "template_key": "followup-offer", "channels": ["sms"],
        "max_per_minute": 600})
    assert response.status_code == 302
    campaign = routed.campaigns.get()
    assert campaign.messages.count() == 2
    page = client_for(kop).get(f"/followup/campaign/{campaign.pk}/")
    assert page.status_code == 200


def test_rules_page_lists_rules_in_order(kop):
    html = client_for(kop).get("/followup/rules/").content.decode()
    assert html.index("Barn følger værge") < html.index("Hændelseskommunen")


def test_import_page_only_for_receivers(kop, randers_coord):
    assert client_for(kop).get("/followup/handover/import/").status_code == 404
    assert client_for(randers_coord).get("/followup/handover/import/").status_code == 200


def test_panels_on_shared_pages(routed, kop, randers_coord):
    detail = client_for(kop).get(f"/incidents/{routed.pk}/").content.decode()
    assert f"/followup/incident/{routed.pk}/" in detail
    services.hand_over(by=kop, incident=routed)
    dashboard = client_for(randers_coord).get("/").content.decode()
    assert "/followup/" in dashboard


def test_menu_entry_for_senders_and_receivers_only(routed, kop, randers_coord, make_user):
    assert 'href="/followup/"' in client_for(kop).get("/").content.decode()
    assert 'href="/followup/"' in client_for(randers_coord).get("/").content.decode()
    assert 'href="/followup/"' not in client_for(make_user("stranger")).get("/").content.decode()
