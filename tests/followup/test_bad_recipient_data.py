"""One recipient's bad data never blocks a campaign: that person is skipped with the reason,
everybody else is queued and sent (issue 25: a preferred language longer than the field,
"ukrainsk/russisk", made every campaign of the incident fail)."""

import pytest

from beredt.followup import outreach
from beredt.followup.models import CampaignStatus, MessageState, OutreachMessage
from beredt.registry.models import Registration

pytestmark = pytest.mark.django_db


def start(kop, incident, channels):
    return outreach.start_campaign(by=kop, incident=incident, name="Opfølgning",
                                   template_key="followup-offer", channels=list(channels))


def by_name(campaign):
    return {m.registration.full_name: m for m in
            OutreachMessage.objects.filter(campaign=campaign).select_related("registration")}


def test_a_free_text_language_skips_that_person_and_the_campaign_goes_on(
        kop, incident, person, sms_gateway):
    person("Olena", phone="+45 20 00 00 01", preferred_language="ukrainsk/russisk")
    person("Anna", phone="+45 20 00 00 02", preferred_language="da")
    campaign = start(kop, incident, ("sms",))
    messages = by_name(campaign)
    assert messages["Olena"].status == MessageState.SKIPPED
    assert "language" in messages["Olena"].last_error
    assert messages["Anna"].status == MessageState.PENDING
    outreach.send_chunk(campaign_id=campaign.pk)
    assert [r["body"]["to"] for r in sms_gateway.accepted] == ["+4520000002"]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE
    assert by_name(campaign)["Olena"].status == MessageState.SKIPPED  # not sent later either


def test_an_address_that_cannot_make_an_e_mail_fails_only_that_message(
        kop, incident, person, smtp_server):
    bad = person("Bo", email="bo@example.org", channels=("email",))
    person("Cai", email="cai@example.org", channels=("email",))
    # Data from before the registration form checked it (or an import): a line break.
    Registration.objects.filter(pk=bad.pk).update(email="bo@example.org\nBcc: x@example.org")
    campaign = start(kop, incident, ("email",))
    outreach.send_chunk(campaign_id=campaign.pk)
    messages = by_name(campaign)
    assert messages["Bo"].status == MessageState.FAILED
    assert "skipped" in messages["Bo"].last_error
    assert messages["Cai"].status == MessageState.SENT
    assert [m["To"] for m in smtp_server.messages] == ["cai@example.org"]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE
