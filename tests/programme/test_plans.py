"""Crisis plan (Bilag 2) and relapse plan (Bilag 3): structured, versioned, printable;
the relapse plan is required before a case can close; outcomes; readmissions."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from beredt.programme import selectors, services
from beredt.programme.models import Phase

from .conftest import relapse_data

pytestmark = pytest.mark.django_db


def _put(api_client, user, case, kind, body):
    return api_client(user).put(f"/api/v1/programme/cases/{case.pk}/{kind}", body,
                                content_type="application/json")


def _close(api_client, user, case, outcome="close"):
    return api_client(user).post(f"/api/v1/programme/cases/{case.pk}/close",
                                 {"outcome": outcome, "note": "Slut"},
                                 content_type="application/json")


def test_crisis_plan_versions(api_client, prog, make_case):
    case = make_case("contact")
    first = _put(api_client, prog.skp, case, "crisis-plan", {"background": "Skilsmisse"})
    second = _put(api_client, prog.skp, case, "crisis-plan", {"background": "Skilsmisse",
                                                               "may_contact_again": True})
    assert (first.json()["version"], second.json()["version"]) == (1, 2)
    assert selectors.latest_plan(case, "crisis").data["may_contact_again"] is True
    empty = _put(api_client, prog.skp, case, "crisis-plan", {})
    assert (empty.status_code, empty.json()["code"]) == (422, "plan_empty")


@pytest.mark.parametrize(("body", "code"), [
    ({"good_things": ["Gå en tur"]}, "warning_signs_required"),
    ({"warning_outer": "Aflyser"}, "good_things_required"),
])
def test_relapse_plan_needs_warning_signs_and_good_things(api_client, prog, make_case, body,
                                                          code):
    case = make_case("relapse")
    response = _put(api_client, prog.skp, case, "relapse-plan", body)
    assert (response.status_code, response.json()["code"]) == (422, code)


def test_closing_needs_the_relapse_plan(api_client, prog, make_case):
    case = make_case("relapse")
    refused = _close(api_client, prog.skp, case)
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["field"]) == ("relapse_plan_required",
                                                                 "relapse_plan")
    case.refresh_from_db()
    assert case.phase == Phase.RELAPSE and case.closed_at is None
    assert _put(api_client, prog.skp, case, "relapse-plan", relapse_data()).status_code == 201
    closed = _close(api_client, prog.skp, case, "continue")
    assert closed.status_code == 200
    assert (closed.json()["phase"], closed.json()["outcome"]) == ("closed", "continue")
    again = _close(api_client, prog.skp, case)
    assert (again.status_code, again.json()["code"]) == (409, "case_closed")


def test_phase_one_closes_only_as_declined(api_client, prog, make_case):
    case = make_case("contact")
    assert _close(api_client, prog.skp, case, "close").json()["code"] == "invalid_outcome"
    assert _close(api_client, prog.skp, case, "declined").status_code == 200
    later = make_case("relapse")
    assert _close(api_client, prog.skp, later, "declined").json()["code"] == "invalid_outcome"


def test_relapse_plan_prints_bilag_3(client, prog, make_case):
    from pypdf import PdfReader

    case = make_case("relapse")
    plan, _new = services.save_plan(by=prog.skp, case=case, side="municipality",
                                    kind="relapse", data=relapse_data())
    client.force_login(prog.skp)
    response = client.get(f"/programme/cases/{case.pk}/plans/{plan.pk}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Tilbagefaldsplan" in text and "Advarselssymptomer" in text and "Gå en tur" in text


def test_plan_marked_as_given_to_the_citizen(client, prog, make_case):
    case = make_case("contract")
    plan = case.plans.get(kind="contract")
    client.force_login(prog.skp)
    client.post(f"/programme/cases/{case.pk}/plans/{plan.pk}/shared/")
    plan.refresh_from_db()
    assert plan.shared_with_citizen_at is not None


def _closed(prog, make_case, days_ago):
    case = make_case("relapse",
                     admitted_on=timezone.localdate() - dt.timedelta(days=days_ago + 60))
    services.save_plan(by=prog.skp, case=case, side="municipality", kind="relapse",
                       data=relapse_data())
    services.close(by=prog.skp, case=case, side="municipality", outcome="close")
    case.closed_at = timezone.now() - dt.timedelta(days=days_ago)
    case.save(update_fields=["closed_at"])
    return case


def test_readmissions_within_6_and_12_months(api_client, prog, make_case):
    case = _closed(prog, make_case, days_ago=400)
    assert selectors.readmitted_within(case, 6) is False
    closed_on = timezone.localdate(case.closed_at)
    response = api_client(prog.referrer).post(
        f"/api/v1/programme/cases/{case.pk}/readmissions",
        {"admitted_on": str(closed_on + dt.timedelta(days=250))},
        content_type="application/json")
    assert response.status_code == 201
    assert selectors.readmitted_within(case, 6) is False
    assert selectors.readmitted_within(case, 12) is True
    recent = _closed(prog, make_case, days_ago=10)
    assert selectors.readmitted_within(recent, 6) is None


def test_readmission_before_the_referral_is_refused(api_client, prog, make_case):
    case = make_case()
    response = api_client(prog.referrer).post(
        f"/api/v1/programme/cases/{case.pk}/readmissions",
        {"admitted_on": str(case.admitted_on)}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "before_referral")
