"""The rota page (gaps in red, leader's assign form, volunteer's take/wish) and the
shift actions posted from it."""

from __future__ import annotations

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _rota(client, unit, shift):
    month = timezone.localtime(shift.starts_at).strftime("%Y-%m")
    return client.get(f"/volunteers/units/{unit.pk}/rota/?month={month}")


def test_gap_shown_in_red_and_leader_assigns(scheme, make_shift, client):
    gap = make_shift(scheme.unit, start_in_hours=30)
    client.force_login(scheme.leader)
    page = _rota(client, scheme.unit, gap).content.decode()
    assert f'class="slot gap" id="shift-{gap.pk}"' in page
    assert "Ingen plejeopgaver" in page
    answer = client.post(f"/volunteers/shifts/{gap.pk}/",
                         {"action": "assign", "volunteer": scheme.vol.pk})
    assert answer.status_code == 302
    gap.refresh_from_db()
    assert gap.volunteer == scheme.vol
    page = _rota(client, scheme.unit, gap).content.decode()
    assert f'class="slot gap" id="shift-{gap.pk}"' not in page


def test_volunteer_takes_from_rota(scheme, make_shift, client):
    gap = make_shift(scheme.unit, start_in_hours=30)
    client.force_login(scheme.vol.user)
    page = _rota(client, scheme.unit, gap).content.decode()
    assert 'value="take"' in page and 'value="assign"' not in page
    client.post(f"/volunteers/shifts/{gap.pk}/", {"action": "take"})
    gap.refresh_from_db()
    assert gap.volunteer == scheme.vol


def test_double_booking_refused_on_page(scheme, make_shift, client):
    make_shift(scheme.unit, start_in_hours=30, volunteer=scheme.vol)
    other = make_shift(scheme.unit, start_in_hours=31)
    client.force_login(scheme.leader)
    answer = client.post(f"/volunteers/shifts/{other.pk}/",
                         {"action": "assign", "volunteer": scheme.vol.pk}, follow=True)
    assert "har allerede en vagt" in answer.content.decode()
    other.refresh_from_db()
    assert other.volunteer is None


def test_leader_adds_shift_form_errors_in_danish(scheme, client):
    client.force_login(scheme.leader)
    answer = client.post(f"/volunteers/units/{scheme.unit.pk}/rota/", {
        "starts_at": "2030-01-01T14:00", "ends_at": "2030-01-01T10:00"})
    assert answer.status_code == 400
    assert "Vagten skal slutte efter" in answer.content.decode()


def test_plan_month_button(scheme, client):
    client.force_login(scheme.leader)
    month = timezone.localdate().strftime("%Y-%m")
    client.post(f"/volunteers/units/{scheme.unit.pk}/rota/plan-month/", {"month": month})
    assert scheme.unit.shifts.count() > 0
