"""The menu entry and the dashboard panel (core's hooks)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_volunteer_dashboard_shows_next_shift(scheme, make_shift, client):
    make_shift(scheme.unit, start_in_hours=20, volunteer=scheme.vol)
    client.force_login(scheme.vol.user)
    page = client.get("/").content.decode()
    assert "Mine vagter som patientstøtte" in page and "Patientstøtten A" in page
    assert 'href="/volunteers/"' in page


def test_no_menu_entry_without_a_unit(scheme, client):
    client.force_login(scheme.outsider)
    page = client.get("/").content.decode()
    assert 'href="/volunteers/"' not in page
    assert "Mine vagter som patientstøtte" not in page
