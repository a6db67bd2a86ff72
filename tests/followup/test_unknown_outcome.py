"""Messages of unknown delivery ("uvis levering"): an e-mail whose final dot may have gone
out before the worker died is never resent by itself. The campaign page shows it; a person
sends it again or marks it delivered, and the decision is audited."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from beredt.core.errors import Conflict, Forbidden
from beredt.core.models import AuditEvent
from beredt.followup import outreach
from beredt.followup.models import CampaignStatus, MessageState, OutreachMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def unknown(kop, incident, person, smtp_server):
    """A campaign of two e-mails: one sent, one whose worker died during the hand-over."""
    person("Anna", email="anna@example.org", channels=("email",))
    person("Bo", email="bo@example.org", channels=("email",))
    campaign = outreach.start_campaign(by=kop, incident=incident, name="Opfølgning",
                                       template_key="followup-offer", channels=["email"])
    _anna, bo = sorted(campaign.messages.select_related("registration"),
                      key=lambda m: m.registration.full_name)
    OutreachMessage.objects.filter(pk=bo.pk).update(
        status=MessageState.HANDING_OVER, claim=uuid.uuid4(), attempts=1,
        claimed_until=timezone.now() - dt.timedelta(minutes=5))
    outreach.send_chunk(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    bo.refresh_from_db()
    return campaign, bo


def test_unknown_e_mail_is_not_resent_and_the_campaign_finishes(unknown, smtp_server):
    campaign, bo = unknown
    assert bo.status == MessageState.UNKNOWN and "final dot" in bo.last_error
    assert [m["To"] for m in smtp_server.messages] == ["anna@example.org"]
    assert campaign.status == CampaignStatus.DONE
    log = campaign.incident.log_entries.order_by("-id").first()
    assert "1 beskeder med uvis levering venter på en afgørelse" in log.text


def test_send_again_resumes_the_campaign_with_the_same_key(unknown, kop, smtp_server,
                                                           run_tasks):
    campaign, bo = unknown
    outreach.resolve_unknown(by=kop, message=bo, delivered=False)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENDING
    run_tasks()
    bo.refresh_from_db()
    assert bo.status == MessageState.SENT
    [again] = smtp_server.to("bo@example.org")
    assert again["Message-ID"] == f"<{bo.idempotency_key}@beredt.outreach>"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE
    event = AuditEvent.objects.get(object_id=str(bo.pk), action="update")
    assert event.extra["decision"] == "resend" and event.actor == kop


def test_mark_delivered_sends_nothing(unknown, kop, smtp_server):
    _campaign, bo = unknown
    outreach.resolve_unknown(by=kop, message=bo, delivered=True)
    bo.refresh_from_db()
    assert bo.status == MessageState.SENT and bo.sent_at is not None
    assert smtp_server.to("bo@example.org") == []
    assert AuditEvent.objects.get(object_id=str(bo.pk), action="update").extra[
        "decision"] == "delivered"
    with pytest.raises(Conflict):  # decided once
        outreach.resolve_unknown(by=kop, message=bo, delivered=False)


def test_only_senders_of_the_incident_decide(unknown, make_user):
    _campaign, bo = unknown
    with pytest.raises(Forbidden):
        outreach.resolve_unknown(by=make_user("stranger"), message=bo, delivered=True)
    bo.refresh_from_db()
    assert bo.status == MessageState.UNKNOWN


def test_campaign_page_shows_unknown_messages_with_the_two_buttons(unknown, kop, make_user):
    campaign, bo = unknown
    client = Client()
    client.force_login(kop)
    html = client.get(f"/followup/campaign/{campaign.pk}/").content.decode()
    assert "Uvis levering" in html
    assert 'value="delivered"' in html and 'value="resend"' in html
    answer = client.post(f"/followup/campaign/{campaign.pk}/",
                         {"action": "delivered", "message": bo.pk})
    assert answer.status_code == 302
    bo.refresh_from_db()
    assert bo.status == MessageState.SENT
    assert 'value="resend"' not in client.get(f"/followup/campaign/{campaign.pk}/"
                                              ).content.decode()
    stranger = Client()
    stranger.force_login(make_user("stranger"))
    assert stranger.post(f"/followup/campaign/{campaign.pk}/",
                         {"action": "resend", "message": bo.pk}).status_code == 404
