"""Demo data: three acute receptions, a month of rota and more; idempotent."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.utils import timezone

from beredt.volunteers import selectors
from beredt.volunteers.models import Partnership, Volunteer, VolunteerShift, VolunteerUnit

pytestmark = pytest.mark.django_db


def test_demo_loads_twice(settings):
    settings.BASE_URL = "http://testserver"
    for _ in range(2):
        apps.get_app_config("organisations").load_demo(stdout=io.StringIO())
        apps.get_app_config("volunteers").load_demo(stdout=io.StringIO())
    assert VolunteerUnit.objects.count() == 3
    assert Partnership.objects.count() == 1
    count = VolunteerShift.objects.count()
    apps.get_app_config("volunteers").load_demo(stdout=io.StringIO())
    assert VolunteerShift.objects.count() == count
    month = timezone.localdate().replace(day=1)
    for unit in VolunteerUnit.objects.all():
        shifts = list(selectors.month_shifts(unit, month))
        assert len(shifts) >= 2 * 28
        assert any(s.volunteer_id is None for s in shifts)  # gaps to show in red
        assert any(s.volunteer_id for s in shifts)
    assert not Volunteer.objects.filter(user__memberships__isnull=False).exists()
