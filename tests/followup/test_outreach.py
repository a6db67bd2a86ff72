"""Outreach campaigns through real local servers: consented channels only, one message per
person, templates per language, withdrawal stopping pending messages, retries, recovery
after a dead worker, and digital mail as MeMo XML in the outbox."""

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from beredt.core.errors import ValidationFailed
from beredt.followup import outreach
from beredt.followup.models import CampaignStatus, MessageState, OutreachMessage
from beredt.registry import hooks
from beredt.registry.models import ConsentRecord
from beredt.registry.services import withdraw_consent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_this_thread(monkeypatch):
    """Send in the test's thread and transaction (the worker's threads are exercised by
    test_worker_kill.py against a real db_worker)."""
    monkeypatch.setattr(outreach, "THREADED", False)


@pytest.fixture
def outbox(settings, tmp_path):
    settings.FOLLOWUP_DIGITAL_POST_OUTBOX = str(tmp_path / "outbox")
    return tmp_path / "outbox"


@pytest.fixture
def servers(smtp_server, sms_gateway, outbox):
    return smtp_server, sms_gateway, outbox


def start(kop, incident, channels=("email", "sms", "digital_mail"), **kw):
    return outreach.start_campaign(by=kop, incident=incident, name="Opfølgning",
                                   template_key="followup-offer", channels=list(channels), **kw)


def statuses(campaign):
    return dict(OutreachMessage.objects.filter(campaign=campaign).values_list(
        "registration__full_name", "status"))


def test_only_consented_channels_once_per_person(kop, incident, person, servers):
    smtp, gateway, outbox = servers
    person("Anna Sms", phone="+45 20 00 00 01", channels=("sms",))
    person("Bo Mail", email="bo@example.org", channels=("email",), preferred_language="en")
    person("Cai Post", cpr="0101901234", channels=("digital_mail",))
    person("Dorte Intet", channels=())
    person("Eva Begge", phone="+45 20 00 00 05", email="eva@example.org",
           channels=("sms", "email"), preferred_language="so")
    campaign = start(kop, incident, channels=("email", "sms", "digital_mail"))
    assert campaign.messages.count() == 4
    outreach.send_chunk(campaign_id=campaign.pk)
    assert set(statuses(campaign).values()) == {"sent"}
    assert sorted(m["To"] for m in smtp.messages) == ["bo@example.org", "eva@example.org"]
    assert [r["body"]["to"] for r in gateway.accepted] == ["+4520000001"]
    assert "opfølgning" in gateway.accepted[0]["body"]["text"]  # Danish by default
    bo = smtp.to("bo@example.org")[0]
    assert bo["Subject"].startswith("Follow-up offer")  # English
    assert smtp.to("eva@example.org")[0]["Subject"].startswith("Follow-up offer")  # fall-back
    [memo] = list(outbox.glob("*.xml"))
    root = ET.fromstring(memo.read_bytes())  # noqa: S314 - our own file
    ns = {"memo": "https://DigitalPost.dk/MeMo-1"}
    assert root.get("memoVersion") == "1.1"
    assert root.find(".//memo:Recipient/memo:recipientID", ns).text == "0101901234"
    assert not list(outbox.glob(".*.tmp"))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE
    outreach.send_chunk(campaign_id=campaign.pk)  # a late duplicate task sends nothing
    assert len(smtp.messages) == 2 and len(gateway.accepted) == 1


def test_selected_people_only(kop, incident, person, servers):
    chosen = person("Anna", phone="+45 20 00 00 01")
    person("Bo", phone="+45 20 00 00 02")
    campaign = start(kop, incident, channels=("sms",), registration_ids=[chosen.pk])
    assert list(campaign.messages.values_list("registration_id", flat=True)) == [chosen.pk]


def test_templates_exist_in_four_languages():
    from beredt.followup.models import MessageTemplate

    languages = set(MessageTemplate.objects.filter(key="followup-offer").values_list(
        "language", flat=True))
    assert {"da", "en"} <= languages and len(languages) >= 4


def test_bad_campaign_input_is_refused(kop, incident):
    with pytest.raises(ValidationFailed):
        start(kop, incident, channels=("fax",))
    with pytest.raises(ValidationFailed):
        outreach.start_campaign(by=kop, incident=incident, name="x", template_key="nope",
                                channels=["sms"])


def test_withdrawal_stops_pending_messages(kop, incident, person, servers):
    _smtp, gateway, _outbox = servers
    anna = person("Anna", phone="+45 20 00 00 01")
    person("Bo", phone="+45 20 00 00 02")
    campaign = start(kop, incident, channels=("sms",))
    consent = ConsentRecord.objects.get(registration=anna, kind="followup_contact")
    withdraw_consent(consent=consent, by=kop, reason="Ønsker ikke kontakt")
    assert statuses(campaign)["Anna"] == MessageState.CANCELLED
    outreach.send_chunk(campaign_id=campaign.pk)
    assert [r["body"]["to"] for r in gateway.accepted] == ["+4520000002"]


def test_consent_is_checked_again_at_send_time(kop, incident, person, servers):
    _smtp, gateway, _outbox = servers
    anna = person("Anna", phone="+45 20 00 00 01")
    campaign = start(kop, incident, channels=("sms",))
    hooks.unregister_withdrawal_hook(outreach.cancel_pending_outreach)
    try:
        consent = ConsentRecord.objects.get(registration=anna, kind="followup_contact")
        withdraw_consent(consent=consent, by=kop, reason="Trukket tilbage")
    finally:
        hooks.register_withdrawal_hook(outreach.cancel_pending_outreach)
    assert statuses(campaign)["Anna"] == MessageState.PENDING  # the hook did not run
    outreach.send_chunk(campaign_id=campaign.pk)
    assert gateway.accepted == []
    assert statuses(campaign)["Anna"] == MessageState.CANCELLED


def test_withdrawal_after_the_check_aborts_the_unfinished_message(kop, incident, person,
                                                                  servers, monkeypatch):
    """A withdrawal that lands after the send-time check but before the hand-over commit:
    the half-sent message is dropped and the SMTP server discards it."""
    smtp, _gateway, _outbox = servers
    anna = person("Anna", email="anna@example.org", channels=("email",))
    campaign = start(kop, incident, channels=("email",))
    consent = ConsentRecord.objects.get(registration=anna, kind="followup_contact")

    def check_then_withdraw(registration, channel):
        withdraw_consent(consent=consent, by=kop, reason="Lige nu")
        return True

    monkeypatch.setattr(outreach, "may_contact", check_then_withdraw)
    outreach.send_chunk(campaign_id=campaign.pk)
    assert statuses(campaign)["Anna"] == MessageState.CANCELLED
    assert smtp.messages == []


def test_temporary_failure_is_retried_permanent_is_not(kop, incident, person, servers):
    _smtp, gateway, _outbox = servers
    person("Anna", phone="+45 20 00 00 01")
    campaign = start(kop, incident, channels=("sms",))
    gateway.fail_next = 1
    outreach.send_chunk(campaign_id=campaign.pk)
    assert statuses(campaign)["Anna"] == MessageState.PENDING
    outreach.send_chunk(campaign_id=campaign.pk)
    msg = campaign.messages.get()
    assert msg.status == MessageState.SENT and msg.attempts == 2
    assert len(gateway.accepted) == 1
    person("Bo", phone="+45 20 00 00 02")
    second = start(kop, incident, channels=("sms",))
    gateway.status = 400
    outreach.send_chunk(campaign_id=second.pk)
    assert statuses(second)["Bo"] == MessageState.FAILED


def test_recovery_after_a_dead_worker(kop, incident, person, servers):
    """Claimed but unfinished: sent again (the server threw it away). Handing over: counted
    as sent, never sent again."""
    _smtp, gateway, _outbox = servers
    person("Anna", phone="+45 20 00 00 01")
    person("Bo", phone="+45 20 00 00 02")
    campaign = start(kop, incident, channels=("sms",))
    past = timezone.now() - dt.timedelta(minutes=5)
    anna, bo = sorted(campaign.messages.select_related("registration"),
                      key=lambda m: m.registration.full_name)
    OutreachMessage.objects.filter(pk=anna.pk).update(
        status=MessageState.CLAIMED, claim=uuid.uuid4(), claimed_until=past)
    OutreachMessage.objects.filter(pk=bo.pk).update(
        status=MessageState.HANDING_OVER, claim=uuid.uuid4(), claimed_until=past)
    outreach.send_chunk(campaign_id=campaign.pk)
    assert [r["body"]["to"] for r in gateway.accepted] == ["+4520000001"]
    assert set(statuses(campaign).values()) == {MessageState.SENT}


def test_one_message_per_person_is_a_database_rule(kop, incident, person):
    from django.db import IntegrityError, transaction

    person("Anna", phone="+45 20 00 00 01")
    campaign = start(kop, incident, channels=("sms",))
    msg = campaign.messages.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachMessage.objects.create(campaign=campaign, registration=msg.registration,
                                       channel="email")


def test_chunks_respect_the_throttle(kop, incident, person, settings):
    settings.FOLLOWUP_OUTREACH_LEASE_SECONDS = 60
    campaign = start(kop, incident, channels=("sms",), max_per_minute=10)
    assert outreach.chunk_size(campaign) == 5  # a chunk lasts half a lease at most
    campaign.max_per_minute = 100_000
    assert outreach.chunk_size(campaign) == outreach.CHUNK
