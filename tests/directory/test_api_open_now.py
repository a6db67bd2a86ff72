"""GET /api/v1/directory/open-now: public, structured, clear 400s."""

import pytest

pytestmark = pytest.mark.usefixtures("seeded")
URL = "/api/v1/directory/open-now"


def test_open_now_without_login_with_offset_less_time_in_copenhagen(client):
    response = client.get(URL, {"municipality": "730", "at": "2026-12-31T23:30",
                                "audience": "citizen"})
    assert response.status_code == 200
    body = response.json()
    assert body["municipality"] == {"code": 730, "name": "Randers"}
    assert body["at"] == "2026-12-31T23:30:00+01:00"
    assert [(s["phone"], s["open_until"]) for s in body["open"]] == [
        ("2490 0911", "2027-01-01T08:00:00+01:00")]
    assert [s["phone"] for s in body["region"]] == ["7847 0470"]
    assert body["region"][0]["always_open"] is True
    closed = {s["phone"]: s["next_open"] for s in body["closed"]}
    # 1 January is a holiday: the evening line opens 08:00 and the day line on Monday.
    assert closed == {"2490 0783": "2027-01-01T08:00:00+01:00",
                      "2974 9020": "2027-01-04T08:00:00+01:00"}
    assert body["open"][0]["visitation"] == "begge"


def test_time_with_offset_and_utc(client):
    utc = client.get(URL, {"municipality": "706", "at": "2026-11-17T11:00:00Z"}).json()
    offset = client.get(URL, {"municipality": "706", "at": "2026-11-17T12:00:00+01:00"}).json()
    assert utc["open"] == offset["open"]
    assert "5135 6476" in [s["phone"] for s in utc["open"]]


def test_at_defaults_to_now(client):
    body = client.get(URL, {"municipality": "706"}).json()
    assert body["at"]
    # The region's 24-hour line answers whenever the test runs.
    assert len(body["region"]) == 2


@pytest.mark.parametrize(("params", "code", "field"), [
    ({"municipality": "999", "at": "2026-11-17T10:00"}, "unknown_municipality", "municipality"),
    ({"municipality": "abc"}, "unknown_municipality", "municipality"),
    ({}, "missing_municipality", "municipality"),
    ({"municipality": "730", "at": "in the morning"}, "invalid_time", "at"),
    ({"municipality": "730", "at": "2026-13-45T10:00"}, "invalid_time", "at"),
    ({"municipality": "730", "audience": "press"}, "unknown_audience", "audience"),
])
def test_bad_input_is_a_400_with_a_clear_message(client, params, code, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["field"] == field and body["detail"]


def test_errors_in_english_on_request(client):
    body = client.get(URL, {"municipality": "999"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "Unknown municipality code 999" in body["detail"]
