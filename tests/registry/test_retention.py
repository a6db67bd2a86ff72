"""Retention: anonymise past the incident's retention unless a follow-up holds the person."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from beredt.core.models import AuditEvent
from beredt.incidents.services import change_status
from beredt.registry import hooks, selectors, services
from beredt.registry.models import ConsentRecord, MatchKey

from .conftest import VALID_CPR


def _later(incident, months):
    return incident.closed_at + dt.timedelta(days=31 * months)


@pytest.fixture
def registered_then_closed(register, kop, incident):
    reg = register(cpr=VALID_CPR, phone="22113344", note="Note", reactions="Ryster",
                   consents=[{"kind": "registration", "method": "signed_paper",
                              "given_by": "guardian", "guardian_name": "Mor"}])
    change_status(by=kop, incident=incident, status="closed")
    incident.refresh_from_db()
    return reg, incident


def test_anonymise_after_retention(registered_then_closed):
    reg, incident = registered_then_closed
    assert services.purge_expired(now=_later(incident, 11)) == 0
    assert services.purge_expired(now=_later(incident, 13), dry_run=True) == 1
    assert services.purge_expired(now=_later(incident, 13)) == 1
    reg.refresh_from_db()
    assert reg.status == "anonymised" and reg.anonymised_at
    assert (reg.full_name, reg.cpr, reg.cpr_hash, reg.phone, reg.note, reg.reactions) == \
        ("", "", "", "", "", "")
    assert reg.birth_date is None
    assert not MatchKey.objects.filter(registration=reg).exists()
    assert ConsentRecord.objects.get(registration=reg).guardian_name == ""
    assert not selectors.may_contact(reg, "phone")
    assert AuditEvent.objects.filter(action="delete", object_id=str(reg.pk)).exists()
    assert services.purge_expired(now=_later(incident, 13)) == 0  # idempotent


def test_retention_is_configurable_per_incident(registered_then_closed):
    _reg, incident = registered_then_closed
    type(incident).objects.filter(pk=incident.pk).update(retention_months=24)
    assert services.purge_expired(now=_later(incident, 13)) == 0
    assert services.purge_expired(now=_later(incident, 25)) == 1


def test_active_followup_holds_the_person(registered_then_closed):
    reg, incident = registered_then_closed

    def hold(ids):
        return [reg.pk]

    hooks.register_retention_hold(hold)
    try:
        assert services.purge_expired(now=_later(incident, 13)) == 0
    finally:
        hooks.unregister_retention_hold(hold)
    assert services.purge_expired(now=_later(incident, 13)) == 1


def test_open_incident_is_never_purged(register):
    register()
    assert services.purge_expired(now=timezone.now() + dt.timedelta(days=3650)) == 0


def test_command(registered_then_closed, capsys):
    reg, incident = registered_then_closed
    type(incident).objects.filter(pk=incident.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=800))
    call_command("purgeregistrations", "--dry-run")
    assert "1 registrations would be anonymised" in capsys.readouterr().out
    call_command("purgeregistrations")
    reg.refresh_from_db()
    assert reg.status == "anonymised"
