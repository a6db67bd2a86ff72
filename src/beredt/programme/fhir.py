"""HL7 FHIR R4 for the change programme (``fhir.resources.R4B`` validates the shapes).

* A letter (GP letter, CAVE proposal) is a ``message`` Bundle shaped like MedCom's
  CareCommunication: ``MessageHeader`` (event ``care-communication-message``, sender and
  receiver), ``Communication`` (category, topic, the text as ``payload.contentString``),
  ``Patient`` (CPR identifier), the two ``Organization``\\s and a ``Provenance`` of the
  message. Nothing is exported without the matching consent.
* A case is a ``collection`` Bundle: ``Patient``, the municipality as ``Organization``,
  ``EpisodeOfCare`` (the programme, status from the phase), ``CarePlan`` (the contract period,
  the activity plan's offers) and one ``Goal`` per goal of the latest contract.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError as PydanticError

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import ValidationFailed

from . import selectors, services
from .models import Case, Letter, LetterKind, Phase, PlanKind

CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
MEDCOM_EVENTS = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes"
MEDCOM_CATEGORIES = ("http://medcomfhir.dk/ig/terminology/CodeSystem/"
                     "medcom-careCommunication-categoryCodes")
MEDCOM_ACTIVITY = ("http://medcomfhir.dk/ig/terminology/CodeSystem/"
                   "medcom-messaging-activityCodes")
ORG_SYSTEM = "urn:beredt:organisation"
CASE_SYSTEM = "urn:beredt:programme-case"

EPISODE_STATUS = {Phase.NOT_OFFERED: "cancelled", Phase.REFERRED: "planned",
                  Phase.CONTACT: "active", Phase.CONTRACT: "active", Phase.RELAPSE: "active",
                  Phase.CLOSED: "finished"}


def _stamp(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _patient(case: Case, ref: str) -> dict:
    out = {"resourceType": "Patient", "id": ref,
           "identifier": [{"system": CPR_SYSTEM, "value": case.cpr}],
           "name": [{"text": case.full_name}], "birthDate": case.birth_date.isoformat()}
    if case.phone:
        out["telecom"] = [{"system": "phone", "value": case.phone}]
    return out


def _organisation(ref: str, name: str, pk: int | None = None) -> dict:
    out = {"resourceType": "Organization", "id": ref, "name": name or "–"}
    if pk is not None:
        out["identifier"] = [{"system": ORG_SYSTEM, "value": str(pk)}]
    return out


def validate(bundle: dict) -> dict:
    """Parse with ``fhir.resources`` (R4B); raise ``ValidationFailed`` when it refuses."""
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.model_validate(bundle) if hasattr(Bundle, "model_validate") else Bundle(**bundle)
    except PydanticError as exc:
        raise ValidationFailed(str(exc.errors()[0].get("msg", "")), code="invalid_fhir",
                               field="bundle") from None
    return bundle


def letter_bundle(letter: Letter) -> dict:
    case = letter.case
    now = _stamp(timezone.now())
    header_id, comm_id, patient_id = f"h-{letter.pk}", f"c-{letter.pk}", f"p-{case.pk}"
    sender, receiver = "sender", "receiver"
    topic = "CAVE-forslag til vagtlægesystemet" if letter.kind == LetterKind.CAVE \
        else "Orientering om akut psykiatrisk indlæggelse"
    payload = [{"contentString": letter.text}]
    if letter.kind == LetterKind.CAVE:
        payload.append({"contentString": f"Kontakt med adgang til koordinationsplanen: "
                                         f"{letter.contact_phone}"})
        payload.append({"contentString": "Patienten har accepteret CAVE-meddelelsen "
                                         f"{_stamp(letter.patient_accepted_at)}."})
    entries = [
        {"resourceType": "MessageHeader", "id": header_id,
         "eventCoding": {"system": MEDCOM_EVENTS, "code": "care-communication-message"},
         "destination": [{"endpoint": "urn:beredt:gp", "receiver": {
             "reference": f"Organization/{receiver}"}}],
         "sender": {"reference": f"Organization/{sender}"},
         "source": {"name": "Beredt", "endpoint": "urn:beredt"},
         "focus": [{"reference": f"Communication/{comm_id}"}]},
        {"resourceType": "Communication", "id": comm_id, "status": "unknown",
         "category": [{"coding": [{"system": MEDCOM_CATEGORIES, "code": "other"}]}],
         "topic": {"text": topic},
         "subject": {"reference": f"Patient/{patient_id}"},
         "sent": _stamp(letter.created_at),
         "recipient": [{"reference": f"Organization/{receiver}"}],
         "sender": {"reference": f"Organization/{sender}"},
         "payload": payload,
         "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{letter.pk}"}]},
        _patient(case, patient_id),
        _organisation(sender, case.referring_organisation.name, case.referring_organisation_id),
        _organisation(receiver, case.gp or "Egen læge"),
        {"resourceType": "Provenance", "id": f"pr-{letter.pk}",
         "target": [{"reference": f"MessageHeader/{header_id}"}],
         "occurredDateTime": now, "recorded": now,
         "activity": {"coding": [{"system": MEDCOM_ACTIVITY, "code": "new-message"}]},
         "agent": [{"who": {"reference": f"Organization/{sender}"}}]},
    ]
    return validate({
        "resourceType": "Bundle", "id": str(letter.pk), "type": "message", "timestamp": now,
        "entry": [{"fullUrl": f"urn:beredt:{e['resourceType']}/{e['id']}", "resource": e}
                  for e in entries]})


def case_bundle(case: Case) -> dict:
    patient_id, org_id, episode_id, plan_id = "patient", "municipality", "episode", "careplan"
    contract = selectors.latest_plan(case, PlanKind.CONTRACT)
    goals = contract.data.get("goals", []) if contract else []
    status = EPISODE_STATUS[Phase(case.phase)]
    episode = {"resourceType": "EpisodeOfCare", "id": episode_id, "status": status,
               "identifier": [{"system": CASE_SYSTEM, "value": str(case.pk)}],
               "type": [{"text": "Socialt forandringsforløb"}],
               "patient": {"reference": f"Patient/{patient_id}"},
               "managingOrganization": {"reference": f"Organization/{org_id}"},
               "period": {"start": _stamp(case.referred_at)}}
    if case.closed_at:
        episode["period"]["end"] = _stamp(case.closed_at)
    goal_entries = [{"resourceType": "Goal", "id": f"goal-{i}",
                     "lifecycleStatus": "completed" if case.phase == Phase.CLOSED else "active",
                     "description": {"text": text},
                     "subject": {"reference": f"Patient/{patient_id}"}}
                    for i, text in enumerate(goals, start=1)]
    careplan = {"resourceType": "CarePlan", "id": plan_id,
                "status": {"closed": "completed", "not_offered": "revoked"}.get(
                    case.phase, "active" if contract else "draft"),
                "intent": "plan", "title": "Kontrakt – socialt forandringsforløb",
                "subject": {"reference": f"Patient/{patient_id}"},
                "goal": [{"reference": f"Goal/{g['id']}"} for g in goal_entries],
                "activity": [{"detail": {"status": "in-progress", "description":
                                         f"{a.service.name} ({a.service.legal_basis})".strip()}}
                             for a in case.activities.select_related("service")]}
    if case.contract_start:
        careplan["period"] = {"start": case.contract_start.isoformat(),
                              "end": case.followup_ends.isoformat()}
    if contract:
        careplan["description"] = "; ".join(contract.data.get("actions", []))[:1000] or None
        if careplan["description"] is None:
            del careplan["description"]
    if not careplan["activity"]:
        del careplan["activity"]
    if not careplan["goal"]:
        del careplan["goal"]
    entries = [_patient(case, patient_id),
               _organisation(org_id, case.municipality.name),
               episode, careplan, *goal_entries]
    return validate({
        "resourceType": "Bundle", "id": str(case.pk), "type": "collection",
        "timestamp": _stamp(timezone.now()),
        "entry": [{"fullUrl": f"urn:beredt:{e['resourceType']}/{e['id']}", "resource": e}
                  for e in entries]})


def export_letter(*, by, letter: Letter) -> str:
    with transaction.atomic():
        services.require_letter_consent(letter.case, letter.kind)
        body = json.dumps(letter_bundle(letter), ensure_ascii=False, indent=2)
        audit.record(action=AuditAction.EXPORT, obj=letter, actor=by, fields=["text"],
                     extra={"format": "fhir"})
    return body


def export_case(*, by, case: Case) -> str:
    with transaction.atomic():
        body = json.dumps(case_bundle(case), ensure_ascii=False, indent=2)
        audit.record(action=AuditAction.EXPORT, obj=case, actor=by,
                     fields=["full_name", "cpr", "contract"], extra={"format": "fhir"})
    return body
