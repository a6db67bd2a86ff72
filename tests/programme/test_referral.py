"""The hospital's referral: eligibility checklist, idempotent POST /referrals, bad input."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from beredt.core import audit
from beredt.core.models import AuditEvent
from beredt.programme.models import Case, Phase, PhaseChange

from .conftest import ELIGIBLE, referral

pytestmark = pytest.mark.django_db
URL = "/api/v1/programme/referrals"


def _post(api_client, user, **overrides):
    body = {**referral(**overrides), "client_id": str(overrides.pop("client_id", uuid.uuid4()))}
    body["admitted_on"] = str(body["admitted_on"])
    return api_client(user).post(URL, body, content_type="application/json")


def test_referral_creates_a_case_with_timeline_and_consents(api_client, prog):
    response = _post(api_client, prog.referrer)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phase"] == Phase.REFERRED
    assert body["cpr_masked"] == "120492-****"
    assert body["side"] == "hospital"
    assert [t["to_phase"] for t in body["timeline"]] == ["referred"]
    assert {c["purpose"] for c in body["consents"]} == {"programme", "share_hospital",
                                                         "share_gp", "cave"}
    case = Case.objects.get()
    assert case.referring_organisation == prog.hospital
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="create").exists()


def test_cpr_is_encrypted_and_hashed(prog, make_case):
    from django.db import connection

    case = make_case()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cpr, full_name FROM programme_case WHERE id = %s",
                       [case.pk.hex if connection.vendor == "sqlite" else case.pk])
        raw_cpr, raw_name = cursor.fetchone()
    assert "1204921244" not in raw_cpr and "Line" not in raw_name
    from beredt.core.cpr import lookup_hash

    assert case.cpr_hash == lookup_hash("1204921244")


def test_retry_with_same_client_id_returns_the_first_case(api_client, prog):
    client_id = uuid.uuid4()
    first = _post(api_client, prog.referrer, client_id=client_id)
    again = _post(api_client, prog.referrer, client_id=client_id, full_name="Someone Else")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1 and PhaseChange.objects.count() == 1


def test_client_id_of_someone_elses_case_is_refused(api_client, prog):
    client_id = uuid.uuid4()
    assert _post(api_client, prog.referrer, client_id=client_id).status_code == 201
    response = _post(api_client, prog.other_referrer, client_id=client_id)
    assert response.status_code == 409
    assert response.json()["code"] == "client_id_taken"


def test_excluding_answer_records_not_offered_with_reasons(api_client, prog):
    response = _post(api_client, prog.referrer, consents=[],
                     eligibility={**ELIGIBLE, "coercion": True, "dementia": True})
    assert response.status_code == 201
    body = response.json()
    assert body["phase"] == Phase.NOT_OFFERED
    assert set(body["not_offered_reasons"]) == {"coercion", "dementia"}


@pytest.mark.parametrize(("overrides", "status", "code", "field"), [
    ({"municipality_code": 999}, 422, "unknown_municipality", "municipality_code"),
    ({"cpr": "120415-4234"}, 422, "under_age", "cpr"),
    ({"cpr": "12345"}, 422, "invalid_cpr", "cpr"),
    ({"eligibility": {"acute_admission": True}}, 422, "eligibility_incomplete",
     "eligibility.discharged_without_ward"),
    ({"consents": []}, 422, "consent_required", "consents"),
    ({"admitted_on": timezone.localdate() + dt.timedelta(days=2)}, 422, "future_date",
     "admitted_on"),
    ({"consents": [{"purpose": "programme", "method": "verbal_witnessed"}]}, 422,
     "witness_required", "consents.0.witness"),
])
def test_bad_input_is_4xx_in_danish_with_nothing_saved(api_client, prog, overrides, status,
                                                       code, field):
    response = _post(api_client, prog.referrer, **overrides)
    assert response.status_code == status, response.content
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)
    assert body["detail"] and "The " not in body["detail"]  # Danish, not the English source
    assert not Case.objects.exists()


def test_only_the_hospital_refers(api_client, prog, settings):
    response = _post(api_client, prog.skp)
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_referrer"
    assert _post(api_client, prog.outsider).status_code == 403


def test_setting_can_let_gps_refer(api_client, prog, make_user, settings):
    from beredt.organisations.models import Organisation, OrganisationKind
    from beredt.programme.models import ProgrammeMembership

    gp_org = Organisation.objects.create(name="Lægehuset", kind=OrganisationKind.GP)
    gp = make_user("gp")
    ProgrammeMembership.objects.create(user=gp, organisation=gp_org, role="referrer")
    assert _post(api_client, gp).status_code == 403
    settings.PROGRAMME_REFERRING_KINDS = ["psychiatric_department", "gp"]
    assert _post(api_client, gp).status_code == 201


def test_call_in_the_referral_moves_to_phase_one(api_client, prog):
    response = _post(api_client, prog.referrer, call={"number": "2490 0783",
                                                      "line_name": "Akuttelefon",
                                                      "agreed": "SKP ringer i morgen"})
    assert response.status_code == 201
    assert response.json()["phase"] == Phase.CONTACT
    case = Case.objects.get()
    assert case.calls.get().patient_present is True


def test_criteria_endpoint_lists_the_checklist(api_client, prog):
    rows = api_client(prog.referrer).get("/api/v1/programme/criteria").json()
    assert {r["key"] for r in rows} == set(ELIGIBLE)
    assert all(r["eligible_answer"] == ELIGIBLE[r["key"]] for r in rows)


def test_audit_module_used(prog, make_case):
    case = make_case()
    assert audit.AuditEvent.objects.filter(object_type="programme.case",
                                           object_id=str(case.pk)).exists()
