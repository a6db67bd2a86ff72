"""The first-year evaluation (page with charts, PDF, API) and the figures offered to the
budget-initiatives app."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone
from pypdf import PdfReader

from beredt.volunteers import evaluation
from beredt.volunteers.models import AccompanyRequest, RequestStatus, VolunteerShift

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(scheme):
    """In the past 10 days: 3 shifts at A (2 covered, 4 h each), 1 covered at B; 3 requests
    at A (2 accepted, 1 of them without relative; 1 declined)."""
    base = timezone.now() - dt.timedelta(days=10)

    def shift(unit, day, volunteer):
        start = base + dt.timedelta(days=day)
        return VolunteerShift.objects.create(unit=unit, volunteer=volunteer, starts_at=start,
                                             ends_at=start + dt.timedelta(hours=4))

    a1, a2 = shift(scheme.unit, 0, scheme.vol), shift(scheme.unit, 1, scheme.vol2)
    shift(scheme.unit, 2, None)
    shift(scheme.other_unit, 0, scheme.vol_b)
    for s, without, status in [(a1, True, RequestStatus.ACCEPTED),
                               (a2, False, RequestStatus.ACCEPTED),
                               (a2, True, RequestStatus.DECLINED)]:
        AccompanyRequest.objects.create(shift=s, asked_by=scheme.nurse, needed_at=s.starts_at,
                                        place="Rum 1", without_relative=without, status=status)
    return scheme


def _period():
    today = timezone.localdate()
    return today - dt.timedelta(days=20), today


def test_initiative_figures(history):
    figures = {f["key"]: f for f in apps.get_app_config("volunteers").initiative_figures()}
    assert set(figures) == {"volunteers.shifts_planned", "volunteers.shifts_covered",
                            "volunteers.accompaniments", "volunteers.hours"}
    start, end = _period()
    dept_a = [history.orgs.dept_a.pk]
    compute = {k: f["compute"] for k, f in figures.items()}
    assert compute["volunteers.shifts_planned"](start=start, end=end, organisation_ids=None) == 4
    assert compute["volunteers.shifts_planned"](start=start, end=end, organisation_ids=dept_a) == 3
    assert compute["volunteers.shifts_covered"](start=start, end=end, organisation_ids=dept_a) == 2
    assert compute["volunteers.accompaniments"](start=start, end=end, organisation_ids=dept_a) == 2
    hours = compute["volunteers.hours"]
    assert hours(start=start, end=end, organisation_ids=dept_a) == Decimal("8.0")
    red_cross = [history.red_cross.pk]
    assert hours(start=start, end=end, organisation_ids=red_cross) == Decimal("12.0")
    later = {"start": end + dt.timedelta(days=1), "end": end + dt.timedelta(days=30),
             "organisation_ids": None}
    assert compute["volunteers.shifts_planned"](**later) == 0
    coming = VolunteerShift.objects.create(
        unit=history.unit, volunteer=history.vol, starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=4))
    assert compute["volunteers.shifts_planned"](**later) == 1  # planned: the coming ones too
    assert compute["volunteers.shifts_covered"](**later) == 0  # covered: what has happened
    assert coming.pk
    assert all(str(f["label"]) for f in figures.values())


def test_evaluate_shares(history):
    start, end = _period()
    result = evaluation.evaluate(start=start, end=end, organisation_ids=[history.orgs.dept_a.pk])
    assert (result.planned, result.covered, result.coverage_pct) == (3, 2, 67)
    assert (result.accompaniments, result.without_relative) == (2, 1)
    assert result.without_relative_pct == 50
    assert (result.requests, result.declined) == (3, 1)
    assert result.started == 0 and result.active_at_end == 2
    assert sum(m.planned for m in result.months) == 3


def test_evaluation_page_and_pdf(history, client):
    client.force_login(history.hl)
    start, end = _period()
    page = client.get(f"/volunteers/evaluation/?start={start}&end={end}").content.decode()
    assert "<svg" in page and 'class="bar-b"' in page
    assert "3 (75 %)" in page  # HL of the region psychiatry: both departments' units
    assert ',' not in page[page.find("<svg"):page.find("</svg>")]  # SVG numbers not localised
    answer = client.get(f"/volunteers/evaluation.pdf?start={start}&end={end}")
    assert answer["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(answer.content)).pages[0].extract_text()
    assert "Dækkede vagter" in text and "3 (75 %)" in text


def test_evaluation_refused_to_volunteer_and_nurse(history, client, api_client):
    for user in (history.vol.user, history.outsider):
        client.force_login(user)
        assert client.get("/volunteers/evaluation/").status_code == 404
    answer = api_client(history.vol.user).get(
        "/api/v1/volunteers/evaluation?from=2026-01-01&to=2026-12-31")
    assert answer.status_code == 404


def test_evaluation_api(history, api_client):
    start, end = _period()
    body = api_client(history.coordinator).get(
        f"/api/v1/volunteers/evaluation?from={start}&to={end}").json()
    assert body["planned"] == 4 and body["covered"] == 3 and body["hours"] == 12.0
    bad = api_client(history.coordinator).get(
        f"/api/v1/volunteers/evaluation?from={end}&to={start}")
    assert bad.status_code == 422 and bad.json()["code"] == "period_order"
