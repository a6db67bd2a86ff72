"""The API under /api/v1/initiatives/: creates idempotent on the id, the allocation check,
statuses by quarter, the report as PDF/DOCX, and 4xx with a code for bad input."""

import uuid

import pytest

from beredt.initiatives.models import CommitteeReport, Initiative, StatusReport

pytestmark = pytest.mark.django_db
BASE = "/api/v1/initiatives"


def _json(client, method, path, body=None):
    return getattr(client, method)(f"{BASE}{path}", body, content_type="application/json")


def _new_initiative(client, orgs, committee, **extra):
    body = {"id": str(uuid.uuid4()), "budget_year": 2024, "title": "Frivillige patientstøtter",
            "organisation_id": orgs.dept_a.pk, "committee_id": committee.pk,
            "purpose": "1 mio. kr. i 2024 og 0,7 mio. kr. i 2025 og frem.",
            "allocations": [{"year": 2024, "amount": "1000000.00"},
                            {"year": 2025, "amount": "700000"}], **extra}
    return body, _json(client, "post", "/initiatives", body)


def test_create_is_idempotent(api_client, people, orgs, committee):
    client = api_client(people.lead)
    body, first = _new_initiative(client, orgs, committee)
    assert first.status_code == 201, first.content
    again = _json(client, "post", "/initiatives", body)
    assert again.status_code == 200
    assert Initiative.objects.count() == 1
    check = {c["year"]: c for c in first.json()["check"]}
    assert check[2025]["allocated"] == "700000.00"
    assert check[2025]["state"] == "unexplained"
    assert check[2025]["difference_text"] == "-0,7 mio. kr."
    assert first.json()["ready"] is False


def test_recommendations_statuses_and_check(api_client, people, orgs, committee):
    client = api_client(people.lead)
    body, _created = _new_initiative(client, orgs, committee)
    rec_id = str(uuid.uuid4())
    rec = {"id": rec_id, "number": 1, "title": "Model for patientstøtter",
           "amounts": {"2024": "1000000", "2025": "700000.00"}}
    created = _json(client, "post", f"/initiatives/{body['id']}/recommendations", rec)
    assert created.status_code == 201, created.content
    assert _json(client, "post", f"/initiatives/{body['id']}/recommendations",
                 rec).status_code == 200
    check = client.get(f"{BASE}/initiatives/{body['id']}/check").json()
    assert {c["state"] for c in check} == {"balanced"}
    put = _json(client, "put", f"/recommendations/{rec_id}/statuses/2024Q2",
                {"light": "green", "text": "Møder afholdt", "next_steps": "Valg"})
    assert put.status_code == 201
    edit = _json(client, "put", f"/recommendations/{rec_id}/statuses/2024Q2",
                 {"light": "yellow", "text": "Forsinket"})
    assert edit.status_code == 200
    assert StatusReport.objects.count() == 1
    history = client.get(f"{BASE}/recommendations/{rec_id}/statuses/2024Q2/history").json()
    assert [h["text"] for h in history] == ["Møder afholdt", "Forsinket"]
    listed = client.get(f"{BASE}/statuses?quarter=2024Q2").json()
    assert [s["light"] for s in listed] == ["yellow"]
    assert client.get(f"{BASE}/statuses?quarter=2024Q1").json() == []
    assert client.get(f"{BASE}/recommendations?initiative={body['id']}").json()[0][
        "amounts"] == {"2024": "1000000.00", "2025": "700000.00"}


@pytest.mark.parametrize(("path", "code"), [
    ("/statuses?quarter=2024Q5", "bad_quarter"),
    ("/statuses?quarter=Q2-2024", "bad_quarter"),
    ("/report?committee=999999&quarter=2024Q2", "unknown_committee"),
    ("/report/check?committee=999999&quarter=2024Q2", "unknown_committee"),
])
def test_bad_queries(api_client, people, path, code):
    answer = api_client(people.secretary).get(BASE + path)
    assert 400 <= answer.status_code < 500
    assert answer.json()["code"] == code
    assert answer.json()["detail"]


def test_report_bad_quarter_and_format(api_client, people, committee):
    client = api_client(people.secretary)
    bad = client.get(f"{BASE}/report?committee={committee.pk}&quarter=2024-2")
    assert bad.status_code == 422 and bad.json()["code"] == "bad_quarter"
    bad = client.get(f"{BASE}/report?committee={committee.pk}&quarter=2024Q2&format=odt")
    assert bad.status_code == 422 and bad.json()["code"] == "bad_format"


def test_negative_amounts(api_client, people, orgs, committee, tryghed):
    client = api_client(people.lead)
    initiative, (rec8, *_rest) = tryghed
    _body, answer = _new_initiative(client, orgs, committee,
                                    allocations=[{"year": 2024, "amount": "-1"}])
    assert answer.status_code == 422 and answer.json()["code"] == "negative_amount"
    assert Initiative.objects.count() == 1  # nothing half-saved
    answer = _json(client, "put", f"/initiatives/{initiative.pk}/allocations/2024",
                   {"amount": "-0.01"})
    assert answer.status_code == 422 and answer.json()["code"] == "negative_amount"
    answer = _json(client, "patch", f"/recommendations/{rec8.pk}",
                   {"amounts": {"2024": "-5"}})
    assert answer.status_code == 422 and answer.json()["field"] == "amounts.2024"


def test_report_flow(api_client, people, committee, tryghed):
    initiative, recs = tryghed
    lead, secretary = api_client(people.lead), api_client(people.secretary)
    for rec in recs[:4]:
        _json(lead, "put", f"/recommendations/{rec.pk}/statuses/2024Q2",
              {"light": "green", "text": "Ok"})
    query = f"committee={committee.pk}&quarter=2024Q2"
    check = secretary.get(f"{BASE}/report/check?{query}").json()
    assert check["ready"] is False and check["code"] == "missing_statuses"
    assert [m["recommendation_id"] for m in check["missing"]] == [str(recs[4].pk)]
    refused = secretary.get(f"{BASE}/report?{query}")
    assert refused.status_code == 409 and refused.json()["missing"][0]["heading"].startswith(
        "Anbefaling 21")
    _json(lead, "put", f"/recommendations/{recs[4].pk}/statuses/2024Q2",
          {"light": "green", "text": "Ok"})
    refused = secretary.get(f"{BASE}/report?{query}")
    assert refused.json()["code"] == "unexplained_difference"
    assert _json(lead, "put", f"/initiatives/{initiative.pk}/explanations/2025",
                 {"explanation": "Egen ramme."}).json()["state"] == "explained"
    pdf = secretary.get(f"{BASE}/report?{query}&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert bytes(pdf.content).startswith(b"%PDF")
    docx = secretary.get(f"{BASE}/report?{query}&format=docx")
    assert docx.status_code == 200 and bytes(docx.content).startswith(b"PK")
    assert pdf["X-Content-Hash"] == docx["X-Content-Hash"]
    versions = api_client(people.member).get(f"{BASE}/reports?committee={committee.pk}").json()
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["generated_by"] == "secretary"
    again = api_client(people.member).get(f"{BASE}/reports/{versions[1]['id']}/file")
    assert again.content == pdf.content
    assert api_client(people.member).get(f"{BASE}/report?{query}").status_code == 403
    assert CommitteeReport.objects.count() == 2


def test_access_over_the_api(api_client, people, tryghed):
    initiative, (rec8, *_rest) = tryghed
    assert api_client(people.outsider).get(
        f"{BASE}/initiatives/{initiative.pk}").status_code == 404
    assert api_client(people.member).get(f"{BASE}/initiatives/{initiative.pk}").status_code == 200
    answer = _json(api_client(people.member), "put",
                   f"/recommendations/{rec8.pk}/statuses/2024Q1",
                   {"light": "green", "text": "Nej"})
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert api_client().get(f"{BASE}/initiatives").status_code == 401
