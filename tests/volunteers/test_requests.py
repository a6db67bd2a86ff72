"""'Ring til patientstøtten': the call reaches the volunteer on shift through the real local
SMS gateway with only where and when; nobody on shift is said at once with the next shift;
a CPR-like number is refused; the answer is shown."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beredt.notify.models import Message
from beredt.volunteers.models import AccompanyRequest, RequestStatus
from beredt.volunteers.textcheck import contains_cpr_like

pytestmark = pytest.mark.django_db


def _call(api, unit, **fields):
    body = {"unit_id": unit.pk, "place": "Venteværelse 2", "without_relative": True, **fields}
    return api.post("/api/v1/volunteers/requests", body, content_type="application/json")


def test_call_reaches_volunteer_by_sms(scheme, make_shift, api_client, sms_gateway, run_tasks):
    make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    answer = _call(api_client(scheme.nurse), scheme.unit, note="Ung mand, urolig")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["volunteer_name"] == "Vera" and body["status"] == "sent"
    assert body["no_care_tasks"] == "Ingen plejeopgaver"
    run_tasks()
    [text] = sms_gateway.texts_to("+4540000001")
    assert "Venteværelse 2" in text and "Ingen plejeopgaver" in text
    assert "Ung mand" not in text  # the note stays in Beredt; the SMS has where and when
    assert f"/volunteers/requests/{body['id']}/" in text
    assert Message.objects.filter(recipient=scheme.vol.user, channel="in_app").exists()
    assert not sms_gateway.texts_to("+4540000002")  # not the volunteer off shift


def test_answer_is_shown_to_staff(scheme, make_shift, api_client, client):
    make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    request_id = _call(api_client(scheme.nurse), scheme.unit).json()["id"]
    refused = api_client(scheme.vol2.user).post(
        f"/api/v1/volunteers/requests/{request_id}/answer", {"accept": True},
        content_type="application/json")
    assert refused.status_code == 404  # another volunteer does not even see it
    answer = api_client(scheme.vol.user).post(
        f"/api/v1/volunteers/requests/{request_id}/answer", {"accept": True},
        content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    again = api_client(scheme.vol.user).post(
        f"/api/v1/volunteers/requests/{request_id}/answer", {"accept": False},
        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    client.force_login(scheme.nurse)
    page = client.get(f"/volunteers/requests/{request_id}/").content.decode()
    assert "Accepteret: på vej" in page and "Ingen plejeopgaver" in page
    assert Message.objects.filter(recipient=scheme.nurse, purpose="volunteers.answer").exists()


def test_volunteer_answers_on_page(scheme, make_shift, api_client, client):
    make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    request_id = _call(api_client(scheme.nurse), scheme.unit).json()["id"]
    client.force_login(scheme.vol.user)
    mine = client.get("/volunteers/mine/").content.decode()
    assert "Du bliver kaldt" in mine
    client.post(f"/volunteers/requests/{request_id}/", {"answer": "decline"})
    assert AccompanyRequest.objects.get(pk=request_id).status == RequestStatus.DECLINED


def test_nobody_on_shift_says_so_with_next_shift(scheme, make_shift, api_client, client):
    nxt = make_shift(scheme.unit, start_in_hours=3, volunteer=scheme.vol2)
    make_shift(scheme.unit, start_in_hours=-1)  # an open shift now: nobody on it
    answer = _call(api_client(scheme.nurse), scheme.unit)
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "nobody_on_shift"
    assert "Næste vagt" in body["detail"] and "Viggo" in body["detail"]
    assert not AccompanyRequest.objects.exists() and not Message.objects.exists()
    client.force_login(scheme.nurse)
    page = client.get(f"/volunteers/units/{scheme.unit.pk}/call/").content.decode()
    assert "Ingen patientstøtte har vagt nu" in page and 'name="place"' not in page
    assert nxt.volunteer.user.first_name in page


def test_nobody_at_all(scheme, api_client):
    body = _call(api_client(scheme.nurse), scheme.unit).json()
    assert body["code"] == "nobody_on_shift" and "ikke planlagt" in body["detail"]


@pytest.mark.parametrize("field,value", [
    ("note", "Pt. 010190-1234 venter"), ("place", "Rum 3 0101901234"), ("note", "cpr 311299 1234"),
])
def test_cpr_like_number_refused(scheme, make_shift, api_client, field, value):
    make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    answer = _call(api_client(scheme.nurse), scheme.unit, **{field: value})
    assert answer.status_code == 422
    body = answer.json()
    assert (body["code"], body["field"]) == ("patient_data", field) and body["detail"]
    assert not AccompanyRequest.objects.exists() and not Message.objects.exists()


def test_call_page_refuses_cpr(scheme, make_shift, client):
    make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    client.force_login(scheme.nurse)
    answer = client.post(f"/volunteers/units/{scheme.unit.pk}/call/", {
        "place": "Venteværelset", "without_relative": "1", "note": "0101901234"})
    assert answer.status_code == 400 and "CPR-nummer" in answer.content.decode()
    answer = client.post(f"/volunteers/units/{scheme.unit.pk}/call/", {
        "place": "Venteværelset", "without_relative": "0"})
    req = AccompanyRequest.objects.get()
    assert answer.status_code == 302 and not req.without_relative


def test_request_idempotent_on_client_id(scheme, make_shift, api_client):
    make_shift(scheme.unit, start_in_hours=-1, volunteer=scheme.vol)
    api = api_client(scheme.nurse)
    key = str(uuid.uuid4())
    first = _call(api, scheme.unit, client_id=key)
    again = _call(api, scheme.unit, client_id=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert AccompanyRequest.objects.count() == 1
    assert Message.objects.filter(channel="sms").count() == 1


@given(st.dates(), st.integers(0, 9999), st.sampled_from(["", "-", " "]))
def test_any_cpr_shape_is_caught(day, serial, sep):
    text = f"patient {day:%d%m%y}{sep}{serial:04d} i rum 2"
    assert contains_cpr_like(text)


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=60))
def test_text_without_digits_passes(text):
    assert not contains_cpr_like(text)
