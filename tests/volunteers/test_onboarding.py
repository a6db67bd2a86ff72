"""The department's contact person: the first-shift checklist, signed; who is on shift."""

from __future__ import annotations

import pytest

from beredt.volunteers.models import ONBOARDING_ITEMS, Onboarding

pytestmark = pytest.mark.django_db
ALL = [k for k, _l in ONBOARDING_ITEMS]


def _sign(api, volunteer, items, **extra):
    return api.post("/api/v1/volunteers/onboarding",
                    {"volunteer_id": volunteer.pk, "items": items, **extra},
                    content_type="application/json")


def test_contact_person_signs_complete_checklist(scheme, make_shift, api_client):
    first = make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    answer = _sign(api_client(scheme.contact), scheme.vol, ALL, shift_id=first.pk)
    assert answer.status_code == 201
    assert answer.json()["signed_by"] == "Connie" and answer.json()["shift_id"] == first.pk
    again = _sign(api_client(scheme.contact), scheme.vol, ALL)
    assert again.status_code == 409 and again.json()["code"] == "already_signed"


def test_incomplete_checklist_refused(scheme, api_client):
    answer = _sign(api_client(scheme.contact), scheme.vol, ALL[:-1])
    assert answer.status_code == 422 and answer.json()["code"] == "onboarding_incomplete"
    assert answer.json()["field"] == "items"
    assert not Onboarding.objects.exists()


@pytest.mark.parametrize("who", ["nurse", "leader", "coordinator"])
def test_only_contact_person_signs(scheme, api_client, who):
    answer = _sign(api_client(getattr(scheme, who)), scheme.vol, ALL)
    assert answer.status_code == 403 and answer.json()["code"] == "not_contact_person"


def test_volunteer_of_other_unit_not_found(scheme, api_client):
    assert _sign(api_client(scheme.contact), scheme.vol_b, ALL).status_code == 404


def test_onboarding_page_shows_on_duty_and_signs(scheme, make_shift, client):
    make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    client.force_login(scheme.contact)
    page = client.get(f"/volunteers/units/{scheme.unit.pk}/onboarding/").content.decode()
    assert "På vagt nu" in page and "Vera" in page and "+45 4000 0001" in page
    answer = client.post(f"/volunteers/units/{scheme.unit.pk}/onboarding/",
                         {"volunteer": scheme.vol.pk, "items": ALL[:2]})
    assert answer.status_code == 400 and "Alle punkter" in answer.content.decode()
    client.post(f"/volunteers/units/{scheme.unit.pk}/onboarding/",
                {"volunteer": scheme.vol.pk, "items": ALL})
    assert Onboarding.objects.get().signed_by == scheme.contact


def test_on_duty_api(scheme, make_shift, api_client):
    make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    make_shift(scheme.other_unit, start_in_hours=5, volunteer=scheme.vol_b)
    rows = api_client(scheme.coordinator).get(
        f"/api/v1/volunteers/on-duty?site={scheme.site.pk}").json()
    assert [r["unit_id"] for r in rows] == [scheme.unit.pk]
    assert [s["volunteer_name"] for s in rows[0]["on_duty"]] == ["Vera"]
    [other] = api_client(scheme.coordinator).get(
        f"/api/v1/volunteers/on-duty?site={scheme.other_unit.site_id}").json()
    assert other["on_duty"] == [] and other["next_shift"]["volunteer_name"] == "Bodil"
    assert "Næste vagt" in other["message"]
    assert api_client(scheme.nurse).get(
        f"/api/v1/volunteers/on-duty?site={scheme.other_unit.site_id}").json() == []
