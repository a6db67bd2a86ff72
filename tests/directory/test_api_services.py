"""GET /api/v1/directory/services: search and filter, paginated; one service."""

import pytest

from beredt.directory.services import seed_uuid

pytestmark = pytest.mark.usefixtures("seeded")
URL = "/api/v1/directory/services"


def names(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return [s["name"] for s in response.json()["items"]]


def test_filter_by_municipality_includes_the_region(client):
    found = names(client, municipality="710", kind="line", page_size=100)
    assert "Favrskov Kommune, dagtid (Social Indsats)" in found
    assert "Regionspsykiatrien, akut (patienter)" in found
    assert not any("Randers" in n for n in found)


def test_filter_by_legal_basis_ignores_spacing_and_case(client):
    found = names(client, legal_basis="sl§82a", municipality="706")
    assert found == ["Udvidet råd og vejledning"]
    both = names(client, legal_basis="SUL §141")
    assert set(both) == {"Rusmiddelcenter Norddjurs", "Favrskov Rusmiddelcenter"}


def test_filter_by_visitation(client):
    open_offers = names(client, municipality="730", visitation="uvisiteret", kind="offer")
    assert set(open_offers) == {"Støtte/kontaktpersoner – Rådgivningstelefon",
                                "Fremskudt rådgivning"}


def test_search_text_and_phone(client):
    assert "Midtpunktet – Aktivitets og værested" in names(client, q="mestringskompetencer")
    assert names(client, q="89157103") == ["Fremskudt rådgivning"]


def test_pagination(client):
    first = client.get(URL, {"page_size": 10}).json()
    second = client.get(URL, {"page_size": 10, "page": 2}).json()
    assert first["count"] > 20 and len(first["items"]) == 10
    assert {s["id"] for s in first["items"]}.isdisjoint({s["id"] for s in second["items"]})


def test_unknown_filters_are_400(client):
    assert client.get(URL, {"visitation": "maybe"}).json()["code"] == "unknown_visitation"
    assert client.get(URL, {"municipality": "12"}).status_code == 400


def test_one_service_with_hours_and_note(client):
    body = client.get(f"{URL}/{seed_uuid('randers-aften')}").json()
    assert body["phones"] == ["2490 0783"]
    assert body["hours"] == ("MO-FR 15:00-22:00 -holidays; SA,SU 08:00-22:00; "
                             "holidays 08:00-22:00")
    assert "Weekender" in body["source_note"]
    assert client.get(f"{URL}/{seed_uuid('nope')}").status_code == 404
