"""The pages: overview, initiative (check, timeline), forms, status with history, the
committee page (members read; the secretary checks, generates and downloads)."""

import pytest
from django.test import Client

from beredt.initiatives import services
from beredt.initiatives.models import CommitteeReport, StatusReport

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_overview_and_initiative(tryghed, people):
    initiative, _recs = tryghed
    page = _client(people.member).get("/initiatives/")
    assert page.status_code == 200
    assert "Tryghedspakke (Psykiatri)" in page.content.decode()
    assert "Nyt budgetinitiativ" not in page.content.decode()
    detail = _client(people.lead).get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "Forskel ikke forklaret" in detail and "400.000 kr." in detail
    assert "Gem forklaring" in detail
    member_view = _client(people.member).get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "Gem forklaring" not in member_view
    assert _client(people.outsider).get(f"/initiatives/{initiative.pk}/").status_code == 404
    assert _client(people.nobody).get("/initiatives/").status_code == 404


def test_status_form_edits_with_history(tryghed, people):
    _i, (rec8, *_rest) = tryghed
    url = f"/initiatives/recommendation/{rec8.pk}/status/2024Q2/"
    client = _client(people.lead)
    assert client.post(url, {"light": "green", "text": "Første"}).status_code == 302
    assert client.post(url, {"light": "red", "text": "Anden"}).status_code == 302
    assert StatusReport.objects.get().text == "Anden"
    page = client.get(url).content.decode()
    assert "Historik" in page and "Første" in page
    assert _client(people.member).post(url, {"light": "green", "text": "X"}).status_code == 404
    assert client.get(f"/initiatives/recommendation/{rec8.pk}/status/2024Q9/").status_code == 404


def test_explain_and_allocation_forms(tryghed, people):
    initiative, _recs = tryghed
    client = _client(people.lead)
    client.post(f"/initiatives/{initiative.pk}/explain/2025/",
                {"y2025-year": 2025, "y2025-explanation": "Egen ramme."})
    assert initiative.allocations.get(year=2025).explanation == "Egen ramme."
    page = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "Forskel forklaret" in page
    client.post(f"/initiatives/{initiative.pk}/allocation/", {"year": 2026, "amount": "-5"})
    assert not initiative.allocations.filter(year=2026).exists()


def test_new_initiative_and_recommendation_forms(people, orgs, committee):
    client = _client(people.lead)
    answer = client.post("/initiatives/new/", {
        "budget_year": 2024, "position": 2, "title": "Frivillige patientstøtter",
        "organisation": orgs.dept_a.pk, "committee": committee.pk, "purpose": "1 mio. kr."})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    pk = answer["Location"].strip("/").split("/")[-1]
    answer = client.post(f"/initiatives/{pk}/recommendation/", {
        "title": "Valg af organisation", "position": 0, "amount_2024": "1.000.000"})
    assert answer.status_code == 200 and "Angiv beløbet" in answer.content.decode()
    answer = client.post(f"/initiatives/{pk}/recommendation/", {
        "title": "Valg af organisation", "position": 0, "amount_2024": "1000000"})
    assert answer.status_code == 302


def test_committee_page(tryghed, people, committee):
    initiative, recs = tryghed
    url = f"/initiatives/committee/{committee.pk}/"
    member = _client(people.member).get(url).content.decode()
    assert "Tryghedspakke (Psykiatri)" in member and "Dan rapporten" not in member
    secretary = _client(people.secretary)
    page = secretary.get(url, {"quarter": "2024Q2", "format": "pdf"}).content.decode()
    assert "Disse anbefalinger har ingen status for kvartalet" in page
    assert page.count("/initiatives/recommendation/") >= len(recs)
    services.explain_difference(by=people.lead, initiative=initiative, year=2025,
                                explanation="Egen ramme.")
    for rec in recs:
        services.report_status(by=people.lead, recommendation=rec, quarter="2024Q2",
                               light="green", text="Ok")
    page = secretary.get(url, {"quarter": "2024Q2", "format": "pdf"}).content.decode()
    assert "Dan rapporten" in page
    assert secretary.post(f"{url}generate/", {"quarter": "2024Q2",
                                              "format": "pdf"}).status_code == 302
    generated = CommitteeReport.objects.get()
    download = _client(people.member).get(f"/initiatives/report/{generated.pk}/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert _client(people.member).post(f"{url}generate/", {
        "quarter": "2024Q2", "format": "pdf"}).status_code == 302
    assert CommitteeReport.objects.count() == 1  # the member was refused
