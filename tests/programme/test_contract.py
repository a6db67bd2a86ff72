"""The contract: goals required, deadlines 4 + 2 weeks, versions, printable PDF."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from beredt.programme.models import PlanVersion

pytestmark = pytest.mark.django_db


def _put(api_client, user, case, **body):
    body.setdefault("start_date", str(timezone.localdate()))
    return api_client(user).put(f"/api/v1/programme/cases/{case.pk}/contract", body,
                                content_type="application/json")


def test_contract_without_goals_is_refused_and_not_saved(api_client, prog, make_case):
    case = make_case("contact")
    api_client(prog.skp).post(f"/api/v1/programme/cases/{case.pk}/phase", {"to": "contract"},
                              content_type="application/json")
    response = _put(api_client, prog.skp, case, goals=["  "], actions=["Møde"])
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("goals_required", "goals")
    assert not PlanVersion.objects.exists()
    case.refresh_from_db()
    assert case.contract_start is None


def test_deadlines_are_computed_from_the_start(api_client, prog, make_case):
    start = timezone.localdate() - dt.timedelta(days=3)
    case = make_case("contract", start=start)
    body = api_client(prog.skp).get(f"/api/v1/programme/cases/{case.pk}").json()
    assert body["programme_ends"] == str(start + dt.timedelta(weeks=4))
    assert body["followup_ends"] == str(start + dt.timedelta(weeks=6))
    assert body["budget_minutes"] == (32 + 5) * 60


def test_settings_change_the_budget(api_client, prog, make_case, settings):
    settings.PROGRAMME_ATA_HOURS, settings.PROGRAMME_FOLLOWUP_HOURS = 20, 2
    case = make_case("contract")
    assert api_client(prog.skp).get(
        f"/api/v1/programme/cases/{case.pk}").json()["budget_minutes"] == 22 * 60


def test_every_change_is_a_new_version_and_same_content_is_not(api_client, prog, make_case):
    case = make_case("contract")
    same = _put(api_client, prog.skp, case, goals=["Sove om natten"])
    assert same.status_code == 200 and same.json()["version"] == 1
    changed = _put(api_client, prog.skp, case, goals=["Sove om natten", "Spise"],
                   priorities=["Søvn", "Mad"], responsibilities=[{"who": "SKP",
                                                                  "what": "Ringer"}])
    assert changed.status_code == 201 and changed.json()["version"] == 2
    assert changed.json()["content"]["priorities"] == ["Søvn", "Mad"]
    assert case.plans.filter(kind="contract").count() == 2


def test_contract_only_in_the_contract_phases(api_client, prog, make_case):
    case = make_case("contact")
    response = _put(api_client, prog.skp, case, goals=["Mål"])
    assert (response.status_code, response.json()["code"]) == (409, "wrong_phase")


def test_start_date_fixed_once_hours_are_logged(api_client, prog, make_case):
    from beredt.programme import services

    start = timezone.localdate() - dt.timedelta(days=2)
    case = make_case("contract", start=start)
    services.log_hours(by=prog.skp, case=case, side="municipality", date=start, minutes=30,
                       kind="face_to_face")
    response = _put(api_client, prog.skp, case, start_date=str(start - dt.timedelta(days=1)),
                    goals=["Sove om natten"])
    assert (response.status_code, response.json()["code"]) == (409, "start_fixed")


def test_printable_contract_has_the_signatures_and_deadlines(client, prog, make_case):
    from pypdf import PdfReader

    start = dt.date(2026, 11, 2)
    case = make_case("contract", start=start)
    plan = case.plans.get(kind="contract")
    client.force_login(prog.skp)
    response = client.get(f"/programme/cases/{case.pk}/plans/{plan.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kontrakt" in text and "Sove om natten" in text
    assert "Borger – dato og underskrift" in text
    assert "02-11-2026 – 29-11-2026" in text and "13-12-2026" in text
