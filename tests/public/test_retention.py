"""Retention of self-registrations nobody handled: emptied with the registry's purge once the
incident's retention period is over, and not a day before."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from beredt.core.models import AuditEvent
from beredt.incidents.models import IncidentStatus
from beredt.public import services
from beredt.public.models import SelfRegistration, SelfRegistrationStatus

from .conftest import VALID

pytestmark = pytest.mark.django_db


def _close(incident, *, months_ago: int, retention: int = 12):
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = timezone.now() - dt.timedelta(days=31 * months_ago)
    incident.retention_months = retention
    incident.save()


def _submit(page, **changes):
    return services.submit_self_registration(page=page, data={**VALID, **changes},
                                             language="da", ip=None)


def test_pending_self_registration_is_emptied_after_retention(page, incident, registrar):
    waiting = _submit(page)
    handled = _submit(page, full_name="Bo Berg", phone="+45 30 30 30 30")
    services.reject_self_registration(by=registrar, self_registration_id=handled.pk,
                                      reason="Dublet")
    _close(incident, months_ago=13)

    out = io.StringIO()
    call_command("purgeregistrations", stdout=out)

    assert "1 self-registrations anonymised." in out.getvalue()
    waiting.refresh_from_db()
    assert waiting.status == SelfRegistrationStatus.EXPIRED
    assert (waiting.full_name, waiting.phone, waiting.message, waiting.postcode) == ("",) * 4
    # The rejected one was emptied when it was rejected and keeps its decision.
    assert SelfRegistration.objects.get(pk=handled.pk).status == SelfRegistrationStatus.REJECTED
    event = AuditEvent.objects.filter(object_id=str(waiting.pk), action="delete").get()
    assert "full_name" in event.fields


def test_nothing_is_emptied_before_the_retention_period_ends(page, incident):
    waiting = _submit(page)
    _close(incident, months_ago=11)

    assert services.purge_expired_self_registrations() == ("self-registrations", 0)
    waiting.refresh_from_db()
    assert waiting.status == SelfRegistrationStatus.PENDING
    assert waiting.full_name == VALID["full_name"]


def test_open_incident_is_never_purged_and_dry_run_only_counts(page, incident):
    waiting = _submit(page)
    assert services.purge_expired_self_registrations(
        now=timezone.now() + dt.timedelta(days=3650)) == ("self-registrations", 0)

    _close(incident, months_ago=24)
    assert services.purge_expired_self_registrations(dry_run=True) == ("self-registrations", 1)
    waiting.refresh_from_db()
    assert waiting.full_name == VALID["full_name"]
