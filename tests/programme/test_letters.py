"""GP letter and CAVE proposal: consent-gated, as PDF and as a MedCom CareCommunication-shaped
FHIR message; the case as a FHIR CarePlan/Goal/EpisodeOfCare bundle."""

import io
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from beredt.core.models import AuditEvent
from beredt.programme import services
from beredt.programme.models import Letter

pytestmark = pytest.mark.django_db


def _letter(api_client, user, case, **body):
    return api_client(user).post(f"/api/v1/programme/cases/{case.pk}/letters", body,
                                 content_type="application/json")


def _withdraw(prog, case, purpose):
    consent = case.consents.get(purpose=purpose, withdrawn_at__isnull=True)
    services.withdraw_consent(by=prog.referrer, case=case, side="hospital",
                              consent_id=consent.pk, reason="Ønsker det ikke")


def test_gp_letter_as_fhir_carecommunication(api_client, prog, make_case):
    case = make_case()
    response = _letter(api_client, prog.referrer, case, kind="gp_letter",
                       text="Patienten har været indlagt akut for anden gang.")
    assert response.status_code == 201
    letter_id = response.json()["id"]
    raw = api_client(prog.referrer).get(
        f"/api/v1/programme/cases/{case.pk}/letters/{letter_id}/fhir")
    assert raw.status_code == 200 and raw["Content-Type"] == "application/fhir+json"
    bundle = json.loads(raw.content)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "message"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds[0] == "MessageHeader" and "Communication" in kinds and "Provenance" in kinds
    header = bundle["entry"][0]["resource"]
    assert header["eventCoding"]["code"] == "care-communication-message"
    comm = next(e["resource"] for e in bundle["entry"]
                if e["resource"]["resourceType"] == "Communication")
    assert comm["payload"][0]["contentString"].startswith("Patienten har været")
    patient = next(e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "Patient")
    assert patient["identifier"][0] == {"system": "urn:oid:1.2.208.176.1.2",
                                        "value": "1204921244"}
    assert AuditEvent.objects.filter(object_id=letter_id, action="export").exists()


def test_withdrawn_consent_then_letter_is_409_and_nothing_saved(api_client, prog, make_case):
    case = make_case()
    _withdraw(prog, case, "share_gp")
    response = _letter(api_client, prog.referrer, case, kind="gp_letter", text="Orientering")
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("consent_missing", "consent")
    assert "samtykke" in response.json()["detail"]
    assert not Letter.objects.exists()


def test_letter_is_not_exported_after_the_consent_is_withdrawn(api_client, client, prog,
                                                              make_case):
    case = make_case()
    letter_id = _letter(api_client, prog.referrer, case, kind="gp_letter",
                        text="Orientering").json()["id"]
    _withdraw(prog, case, "share_gp")
    response = api_client(prog.referrer).get(
        f"/api/v1/programme/cases/{case.pk}/letters/{letter_id}/fhir")
    assert (response.status_code, response.json()["code"]) == (409, "consent_missing")
    client.force_login(prog.referrer)
    page = client.get(f"/programme/cases/{case.pk}/letters/{letter_id}.pdf")
    assert page.status_code == 302


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"text": "Kort tekst", "patient_accepted": True}, "invalid_phone", "contact_phone"),
    ({"text": "Kort tekst", "contact_phone": "24900911"}, "acceptance_required",
     "patient_accepted"),
    ({"text": "x" * 501, "contact_phone": "24900911", "patient_accepted": True}, "too_long",
     "text"),
])
def test_cave_needs_phone_acceptance_and_a_short_text(api_client, prog, make_case, body, code,
                                                      field):
    case = make_case()
    response = _letter(api_client, prog.referrer, case, kind="cave", **body)
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        422, code, field)


def test_cave_proposal_pdf_and_fhir(api_client, client, prog, make_case):
    from pypdf import PdfReader

    case = make_case()
    letter_id = _letter(api_client, prog.referrer, case, kind="cave",
                        text="Kendt i socialt forandringsforløb; ring til akuttelefonen.",
                        contact_phone="2490 0911", patient_accepted=True).json()["id"]
    bundle = json.loads(api_client(prog.referrer).get(
        f"/api/v1/programme/cases/{case.pk}/letters/{letter_id}/fhir").content)
    comm = next(e["resource"] for e in bundle["entry"]
                if e["resource"]["resourceType"] == "Communication")
    assert any("2490 0911" in p["contentString"] for p in comm["payload"])
    client.force_login(prog.referrer)
    pdf = client.get(f"/programme/cases/{case.pk}/letters/{letter_id}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "CAVE" in text and "2490 0911" in text
    _withdraw(prog, case, "cave")
    assert _letter(api_client, prog.referrer, case, kind="cave", text="Ny",
                   contact_phone="24900911", patient_accepted=True).status_code == 409


def test_case_fhir_bundle(api_client, prog, make_case):
    from beredt.directory.services import load_seed_003

    load_seed_003(stdout=io.StringIO())
    case = make_case("contract")
    from beredt.directory.selectors import search_services

    offer = search_services(municipality=730, kind="offer").first()
    assert api_client(prog.skp).post(f"/api/v1/programme/cases/{case.pk}/activities",
                                     {"service_id": str(offer.pk)},
                                     content_type="application/json").status_code == 201
    response = api_client(prog.skp).get(f"/api/v1/programme/cases/{case.pk}/fhir")
    assert response.status_code == 200
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    by_type = {}
    for entry in bundle["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    assert by_type["EpisodeOfCare"][0]["status"] == "active"
    assert by_type["Goal"][0]["description"]["text"] == "Sove om natten"
    careplan = by_type["CarePlan"][0]
    assert careplan["period"]["start"] == str(case.contract_start)
    assert offer.name in careplan["activity"][0]["detail"]["description"]


def test_activity_must_be_an_offer_of_the_municipality(api_client, prog, make_case):
    import uuid

    case = make_case("contract")
    response = api_client(prog.skp).post(f"/api/v1/programme/cases/{case.pk}/activities",
                                         {"service_id": str(uuid.uuid4())},
                                         content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "unknown_offer")
