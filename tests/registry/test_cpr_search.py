"""Searching for a CPR number never puts it in a URL (issue 25): the forms post, the page
is shown under a session token, the API searches through POST."""

from __future__ import annotations

import pytest

from .conftest import VALID_CPR


@pytest.fixture
def signed_in(client, registrar):
    client.force_login(registrar)
    return client


def test_page_search_for_a_cpr_number_keeps_it_out_of_the_url(signed_in, incident, register):
    register(full_name="Anna Holm", cpr=VALID_CPR)
    register(full_name="Bo Berg")
    url = f"/registry/incidents/{incident.pk}/"
    form = signed_in.get(url).content.decode()
    assert 'method="post" class="filters" role="search"' in form
    moved = signed_in.post(url, {"q": "010190-1234", "role": ""})
    assert moved.status_code == 302
    location = moved.headers["Location"]
    assert "0101" not in location and "1234" not in location and "s=" in location
    html = signed_in.get(location).content.decode()
    assert "Anna Holm" in html and "Bo Berg" not in html
    assert "010190-1234" not in html.split("<main", 1)[-1].split('name="q"')[0]


def test_a_cpr_number_typed_into_the_url_is_moved_out_of_it(signed_in, incident, register):
    register(full_name="Anna Holm", cpr=VALID_CPR)
    moved = signed_in.get(f"/registry/incidents/{incident.pk}/?q=0101901234&role=")
    assert moved.status_code == 302 and "0101901234" not in moved.headers["Location"]
    assert "Anna Holm" in signed_in.get(moved.headers["Location"]).content.decode()


def test_a_name_search_still_has_a_linkable_url(signed_in, incident, register):
    register(full_name="Bo Berg")
    moved = signed_in.post(f"/registry/incidents/{incident.pk}/", {"q": "berg", "role": ""})
    assert "q=berg" in moved.headers["Location"]


def test_a_token_of_another_session_finds_nothing(signed_in, client_factory_other, incident,
                                                  register):
    register(full_name="Anna Holm", cpr=VALID_CPR)
    location = signed_in.post(f"/registry/incidents/{incident.pk}/",
                              {"q": VALID_CPR}).headers["Location"]
    html = client_factory_other.get(location).content.decode()
    assert "Anna Holm" in html  # no search term: the plain list, not the search result …
    assert 'value="0101901234"' not in html  # … and the term is not shown


@pytest.fixture
def client_factory_other(registrar):
    from django.test import Client

    other = Client()
    other.force_login(registrar)
    return other


def test_guide_search_posts(signed_in, register):
    register(full_name="Anna Holm", cpr=VALID_CPR)
    moved = signed_in.post("/support/guide/", {"q": VALID_CPR})
    assert moved.status_code == 302 and VALID_CPR not in moved.headers["Location"]
    assert "Anna Holm" in signed_in.get(moved.headers["Location"]).content.decode()


def test_api_refuses_a_cpr_number_in_the_query_and_searches_by_post(api_client, registrar,
                                                                    incident, register):
    register(full_name="Anna Holm", cpr=VALID_CPR)
    client = api_client(registrar)
    url = f"/api/v1/incidents/{incident.pk}/registrations"
    refused = client.get(url, {"q": "010190-1234"})
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["field"]) == ("cpr_in_url", "q")
    found = client.post(f"{url}/search", {"q": "0101901234"}, content_type="application/json")
    assert [r["full_name"] for r in found.json()["items"]] == ["Anna Holm"]
