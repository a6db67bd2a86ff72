"""/api/v1/volunteers/: units, shifts (list/create/assign/take/wish/swap/cancel with client
UUIDs), errors as {detail, code, field} in Danish, nothing half-saved."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from beredt.volunteers.models import ShiftWish, VolunteerShift

pytestmark = pytest.mark.django_db
J = "application/json"


def _at(hours: float) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def test_units(scheme, api_client):
    [unit] = api_client(scheme.vol.user).get("/api/v1/volunteers/units").json()
    assert unit["id"] == scheme.unit.pk and unit["department_id"] == scheme.orgs.dept_a.pk
    assert unit["no_care_tasks"] == "Ingen plejeopgaver"
    assert api_client(scheme.outsider).get("/api/v1/volunteers/units").json() == []
    assert api_client().get("/api/v1/volunteers/units").status_code == 401


def test_create_shift_idempotent(scheme, api_client):
    api = api_client(scheme.leader)
    body = {"client_id": str(uuid.uuid4()), "unit_id": scheme.unit.pk,
            "starts_at": _at(24), "ends_at": _at(28), "volunteer_id": scheme.vol.pk}
    first = api.post("/api/v1/volunteers/shifts", body, content_type=J)
    again = api.post("/api/v1/volunteers/shifts", body, content_type=J)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["volunteer_name"] == "Vera"
    assert VolunteerShift.objects.count() == 1


def test_create_shift_double_booked_is_409_in_danish(scheme, api_client, make_shift):
    make_shift(scheme.unit, start_in_hours=24, volunteer=scheme.vol)
    answer = api_client(scheme.leader).post("/api/v1/volunteers/shifts", {
        "unit_id": scheme.unit.pk, "starts_at": _at(25), "ends_at": _at(27),
        "volunteer_id": scheme.vol.pk}, content_type=J)
    assert answer.status_code == 409
    assert answer.json() == {"detail": "Vera har allerede en vagt på det tidspunkt.",
                             "code": "double_booking", "field": "volunteer_id"}
    assert VolunteerShift.objects.count() == 1


@pytest.mark.parametrize("start,end,code", [(28, 24, "period_order"), (24, 40, "shift_too_long")])
def test_create_shift_bad_times(scheme, api_client, start, end, code):
    answer = api_client(scheme.leader).post("/api/v1/volunteers/shifts", {
        "unit_id": scheme.unit.pk, "starts_at": _at(start), "ends_at": _at(end)}, content_type=J)
    assert answer.status_code == 422 and answer.json()["code"] == code


def test_list_shifts_scoped(scheme, api_client, make_shift):
    mine = make_shift(scheme.unit, start_in_hours=24, volunteer=scheme.vol)
    make_shift(scheme.unit, start_in_hours=48, volunteer=scheme.vol2)
    make_shift(scheme.other_unit, start_in_hours=24, volunteer=scheme.vol_b)
    api = api_client(scheme.vol.user)
    assert len(api.get("/api/v1/volunteers/shifts").json()) == 2  # own unit's rota
    assert [s["id"] for s in api.get("/api/v1/volunteers/shifts?mine=true").json()] == [mine.pk]


def test_assign_take_wish_swap_cancel(scheme, api_client, make_shift):
    gap = make_shift(scheme.unit, start_in_hours=24 * 4)
    vera, viggo, leader = (api_client(u) for u in (scheme.vol.user, scheme.vol2.user,
                                                   scheme.leader))
    assert vera.post(f"/api/v1/volunteers/shifts/{gap.pk}/wish", {"wish": True},
                     content_type=J).status_code == 200
    assert ShiftWish.objects.filter(shift=gap, volunteer=scheme.vol).exists()
    took = viggo.post(f"/api/v1/volunteers/shifts/{gap.pk}/take").json()
    assert took["volunteer_name"] == "Viggo"
    taken = vera.post(f"/api/v1/volunteers/shifts/{gap.pk}/take")
    assert taken.status_code == 409 and taken.json()["code"] == "shift_taken"
    swapped = viggo.post(f"/api/v1/volunteers/shifts/{gap.pk}/swap",
                         {"volunteer_id": scheme.vol.pk}, content_type=J).json()
    assert swapped["volunteer_name"] == "Vera" and swapped["swapped_from_id"] == scheme.vol2.pk
    assigned = leader.post(f"/api/v1/volunteers/shifts/{gap.pk}/assign",
                           {"volunteer_id": scheme.vol2.pk}, content_type=J).json()
    assert assigned["volunteer_name"] == "Viggo"
    cancelled = viggo.post(f"/api/v1/volunteers/shifts/{gap.pk}/cancel").json()
    assert cancelled == {**cancelled, "late": False}
    assert cancelled["shift"]["is_open"] is True


def test_assign_volunteer_of_other_unit_refused(scheme, api_client, make_shift):
    gap = make_shift(scheme.unit, start_in_hours=24)
    answer = api_client(scheme.leader).post(f"/api/v1/volunteers/shifts/{gap.pk}/assign",
                                            {"volunteer_id": scheme.vol_b.pk}, content_type=J)
    assert answer.status_code == 422 and answer.json()["code"] == "not_in_unit"


def test_other_unit_shift_not_found(scheme, api_client, make_shift):
    other = make_shift(scheme.other_unit, start_in_hours=24)
    assert api_client(scheme.vol.user).post(
        f"/api/v1/volunteers/shifts/{other.pk}/take").status_code == 404


def test_out_of_range_times(scheme, api_client):
    answer = api_client(scheme.leader).post("/api/v1/volunteers/shifts", {
        "unit_id": scheme.unit.pk, "starts_at": "9999-12-31T20:00:00",
        "ends_at": "9999-12-31T23:00:00"}, content_type=J)
    assert answer.status_code == 422 and answer.json()["code"] == "out_of_range"
    answer = api_client(scheme.coordinator).get(
        "/api/v1/volunteers/evaluation?from=0001-01-01&to=9999-12-31")
    assert answer.status_code == 422


def test_onboarding_checklist(scheme, api_client):
    items = api_client(scheme.vol.user).get("/api/v1/volunteers/onboarding/checklist").json()
    assert any(i["key"] == "no_care" and "ingen plejeopgaver" in i["label"] for i in items)


def test_client_id_of_other_unit_is_conflict(scheme, api_client):
    key = str(uuid.uuid4())
    body = {"client_id": key, "unit_id": scheme.unit.pk, "starts_at": _at(24), "ends_at": _at(28)}
    assert api_client(scheme.coordinator).post("/api/v1/volunteers/shifts", body,
                                               content_type=J).status_code == 201
    answer = api_client(scheme.coordinator).post(
        "/api/v1/volunteers/shifts", {**body, "unit_id": scheme.other_unit.pk}, content_type=J)
    assert answer.status_code == 409 and answer.json()["code"] == "client_id_taken"
    assert VolunteerShift.objects.count() == 1
