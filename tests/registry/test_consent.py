"""Consent: kinds, channels, how given, guardians; withdrawal stops pending outreach."""

import datetime as dt

import pytest
from django.utils import timezone

from beredt.core.errors import Conflict, ValidationFailed
from beredt.registry import hooks, selectors, services
from beredt.registry.models import ConsentRecord

from .conftest import VALID_CPR

FOLLOWUP = {"kind": "followup_contact", "channels": ["phone", "sms"], "method": "signed_paper"}


def test_followup_consent_gives_channels(register, registrar):
    reg = register(phone="22113344")
    assert selectors.consented_channels(reg) == set()
    consent = services.add_consent(registration=reg, by=registrar, data=FOLLOWUP)
    assert consent.taken_by == registrar and consent.is_active
    assert selectors.consented_channels(reg) == {"phone", "sms"}
    assert selectors.may_contact(reg, "sms") and not selectors.may_contact(reg, "email")


def test_followup_needs_registration_consent_first(register, registrar):
    reg = register(phone="22113344", consents=[])
    with pytest.raises(ValidationFailed) as exc:
        services.add_consent(registration=reg, by=registrar, data=FOLLOWUP)
    assert exc.value.code == "registration_consent_required"


@pytest.mark.parametrize(("data", "field", "code"), [
    ({**FOLLOWUP, "channels": []}, "channels", "channels_required"),
    ({**FOLLOWUP, "channels": ["email"]}, "channels", "channel_needs_email"),
    ({**FOLLOWUP, "channels": ["digital_mail"]}, "channels", "channel_needs_cpr"),
    ({**FOLLOWUP, "channels": ["pigeon"]}, "channels", "invalid_choice"),
    ({"kind": "sharing", "method": "digital"}, "shared_with", "required"),
    ({"kind": "sharing", "method": "digital", "shared_with": "Aarhus Kommune",
      "channels": ["sms"]}, "channels", "channels_not_allowed"),
    ({**FOLLOWUP, "method": "verbal_witnessed"}, "witness", "required"),
    ({**FOLLOWUP, "method": "telepathy"}, "method", "invalid_choice"),
    ({**FOLLOWUP, "given_by": "guardian"}, "guardian_name", "required"),
])
def test_invalid_consent_combinations(register, registrar, data, field, code):
    reg = register(phone="22113344")
    with pytest.raises(ValidationFailed) as exc:
        services.add_consent(registration=reg, by=registrar, data=data)
    assert (exc.value.field, exc.value.code) == (field, code)


def test_digital_mail_with_cpr_and_sharing(register, registrar):
    reg = register(cpr=VALID_CPR)
    services.add_consent(registration=reg, by=registrar,
                         data={**FOLLOWUP, "channels": ["digital_mail"]})
    services.add_consent(registration=reg, by=registrar, data={
        "kind": "sharing", "method": "digital", "shared_with": "Aarhus Kommune, Region Midt"})
    assert selectors.may_contact(reg, "digital_mail")
    assert selectors.may_share(reg, "aarhus kommune")
    assert not selectors.may_share(reg, "Politiet")


def test_minor_needs_a_guardian(register, registrar):
    birth = timezone.localdate() - dt.timedelta(days=365 * 10)
    with pytest.raises(ValidationFailed) as exc:
        register(birth_date=birth)
    assert exc.value.field == "consents.given_by"
    reg = register(birth_date=birth, consents=[{
        "kind": "registration", "method": "signed_paper", "given_by": "guardian",
        "guardian_name": "Mor Holm"}])
    consent = reg.consents.get()
    assert consent.given_by == "guardian" and consent.guardian_name == "Mor Holm"
    assert reg.is_minor


def test_second_active_consent_of_same_kind_conflicts(register, registrar):
    reg = register(phone="22113344")
    services.add_consent(registration=reg, by=registrar, data=FOLLOWUP)
    with pytest.raises(Conflict):
        services.add_consent(registration=reg, by=registrar, data=FOLLOWUP)


def test_withdrawal_records_time_reason_and_who(register, registrar):
    reg = register(phone="22113344")
    consent = services.add_consent(registration=reg, by=registrar, data=FOLLOWUP)
    with pytest.raises(ValidationFailed):
        services.withdraw_consent(consent=consent, by=registrar, reason=" ")
    done = services.withdraw_consent(consent=consent, by=registrar, reason="Ringede selv")
    assert done.withdrawn_at and done.withdrawn_reason == "Ringede selv"
    assert done.withdrawn_by == registrar
    assert selectors.consented_channels(reg) == set()
    # Registration consent stays; a new follow-up consent can be given later.
    assert reg.consents.filter(kind="registration", withdrawn_at__isnull=True).exists()
    again = services.withdraw_consent(consent=consent, by=registrar, reason="igen")
    assert again.withdrawn_reason == "Ringede selv"


def test_withdrawing_registration_consent_withdraws_everything(register, registrar):
    reg = register(phone="22113344")
    services.add_consent(registration=reg, by=registrar, data=FOLLOWUP)
    services.withdraw_consent(consent=reg.consents.get(kind="registration"), by=registrar,
                              reason="Ønsker ikke at være registreret")
    assert not ConsentRecord.objects.filter(registration=reg, withdrawn_at__isnull=True).exists()
    assert not selectors.may_contact(reg, "phone")


class PendingOutreach:
    """A stand-in for the follow-up app's queue: pending items per registration."""

    def __init__(self):
        self.items = []

    def add(self, registration, channel):
        self.items.append({"registration": registration.pk, "channel": channel,
                           "status": "pending"})

    def cancel(self, *, registration, kinds, channels, by):
        for item in self.items:
            if item["registration"] == registration.pk and item["channel"] in channels:
                item["status"] = "cancelled"

    def send_due(self):
        from beredt.registry.models import Registration

        sent = []
        for item in self.items:
            reg = Registration.objects.get(pk=item["registration"])
            if item["status"] == "pending" and selectors.may_contact(reg, item["channel"]):
                item["status"] = "sent"
                sent.append(item)
        return sent


@pytest.fixture
def outreach():
    queue = PendingOutreach()
    hooks.register_withdrawal_hook(queue.cancel)
    yield queue
    hooks.unregister_withdrawal_hook(queue.cancel)


def test_withdrawal_stops_pending_outreach_at_once(register, registrar, outreach):
    reg = register(phone="22113344")
    other = register(full_name="Bo Berg", phone="22998877")
    consent = services.add_consent(registration=reg, by=registrar, data=FOLLOWUP)
    services.add_consent(registration=other, by=registrar, data=FOLLOWUP)
    outreach.add(reg, "sms")
    outreach.add(other, "sms")
    services.withdraw_consent(consent=consent, by=registrar, reason="Vil ikke kontaktes")
    assert [i["status"] for i in outreach.items] == ["cancelled", "pending"]
    assert [i["registration"] for i in outreach.send_due()] == [other.pk]


def test_may_contact_is_checked_at_send_time_even_without_hook(register, registrar):
    queue = PendingOutreach()
    reg = register(phone="22113344")
    consent = services.add_consent(registration=reg, by=registrar, data=FOLLOWUP)
    queue.add(reg, "phone")
    services.withdraw_consent(consent=consent, by=registrar, reason="Nej tak")
    assert queue.send_due() == []
