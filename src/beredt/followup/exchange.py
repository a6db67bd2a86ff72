"""Exchange of a handover between installations: HL7 FHIR R4 (R4B models of
``fhir.resources``) and CSV.

The bundle is a ``collection``: the sender and receiver as ``Organization``; per person a
``Patient`` (CPR identifier ``urn:oid:1.2.208.176.1.2`` only when the consent allows digital
mail), a ``Consent`` (opt-in to follow-up contact, the receiver as actor) and a ``Task``
(intent ``order``, owner the receiver, the routing reason as description, the remaining
consented fields as ``input``). Exactly the fields in the handover package travel.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from beredt.core import audit, tabular
from beredt.core.audit import AuditAction
from beredt.core.errors import Conflict, Forbidden, ValidationFailed
from beredt.organisations.models import Organisation

from . import selectors
from .models import Handover, HandoverItem, HandoverStatus, ItemStatus

CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
HANDOVER_SYSTEM = "urn:beredt:handover"
ORG_SYSTEM = "urn:beredt:organisation"
TASK_INPUTS = ("registration_id", "role", "need", "residence", "residence_municipality",
               "interpreter_needed", "reactions")
CSV_COLUMNS = ("handover", "incident", "receiver", "person", "full_name", "cpr", "birth_date",
               "phone", "email", "address", "preferred_language", "interpreter_needed",
               "role", "need", "residence", "residence_municipality", "reactions", "channels",
               "reason", "status")


def _uuid_url(value) -> str:
    return f"urn:uuid:{value}"


def _organisation(ref: str, org: Organisation | None, name: str) -> dict:
    out = {"resourceType": "Organization", "id": ref, "name": name}
    if org is not None:
        out["identifier"] = [{"system": ORG_SYSTEM, "value": str(org.pk)}]
    return out


def bundle_dict(handover: Handover, items) -> dict:
    """The handover as a FHIR R4 Bundle (a plain dict, validated by :func:`validate`)."""
    stamp = timezone.localtime(handover.created_at).isoformat(timespec="seconds")
    entries = [
        {"fullUrl": "urn:beredt:org:sender",
         "resource": _organisation("sender", None, handover.sender_name)},
        {"fullUrl": "urn:beredt:org:receiver",
         "resource": _organisation("receiver", handover.receiver, handover.receiver.name)},
    ]
    for item in items:
        data = json.loads(item.data)
        patient = {"resourceType": "Patient", "id": str(item.pk),
                   "name": [{"text": data.get("full_name", "")}]}
        if data.get("cpr"):
            patient["identifier"] = [{"system": CPR_SYSTEM, "value": data["cpr"]}]
        if data.get("birth_date"):
            patient["birthDate"] = data["birth_date"]
        telecom = [{"system": s, "value": data[k]} for s, k in (("phone", "phone"),
                                                                ("email", "email")) if data.get(k)]
        if telecom:
            patient["telecom"] = telecom
        if data.get("address"):
            patient["address"] = [{"text": data["address"]}]
        if data.get("preferred_language"):
            patient["communication"] = [{"language": {"coding": [{
                "system": "urn:ietf:bcp:47", "code": data["preferred_language"]}]},
                "preferred": True}]
        patient_ref = {"reference": _uuid_url(item.pk)}
        consent = {
            "resourceType": "Consent", "status": "active",
            "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                  "code": "patient-privacy"}]},
            "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}],
                          "text": "Consent to follow-up contact"}],
            "patient": patient_ref, "dateTime": stamp,
            "policyRule": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]},
            "provision": {"type": "permit", "actor": [{
                "role": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                    "code": "IRCP"}]},
                "reference": {"reference": "urn:beredt:org:receiver"}}],
                "action": [{"text": c} for c in item.channels]},
        }
        inputs = [{"type": {"text": key}, "valueString": str(data[key])}
                  for key in TASK_INPUTS if key in data]
        inputs.append({"type": {"text": "channels"}, "valueString": ",".join(item.channels)})
        task = {
            "resourceType": "Task", "status": "requested", "intent": "order",
            "code": {"text": "Psychosocial follow-up after an incident"},
            "description": item.reason or handover.incident_title,
            "for": patient_ref, "authoredOn": stamp,
            "requester": {"reference": "urn:beredt:org:sender"},
            "owner": {"reference": "urn:beredt:org:receiver"},
            "input": inputs,
        }
        entries += [
            {"fullUrl": _uuid_url(item.pk), "resource": patient},
            {"fullUrl": f"urn:beredt:consent:{item.pk}", "resource": consent},
            {"fullUrl": f"urn:beredt:task:{item.pk}", "resource": task},
        ]
    return {
        "resourceType": "Bundle", "type": "collection", "timestamp": stamp,
        "identifier": {"system": HANDOVER_SYSTEM, "value": str(handover.pk)},
        "meta": {"tag": [{"system": "urn:beredt:incident", "code": "incident",
                          "display": handover.incident_title[:200]}]
                 + ([{"system": "urn:beredt:exercise", "code": "exercise"}]
                    if handover.is_exercise else [])},
        "entry": entries,
    }


def validate(data: dict):
    """Parse with ``fhir.resources.R4B`` and check the codes it does not check itself."""
    from fhir.resources.R4B.bundle import Bundle

    try:
        bundle = Bundle.model_validate(data)
    except PydanticError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationFailed(_("Not a valid FHIR R4 bundle (%(where)s).") % {"where": where},
                               code="invalid_fhir", field="bundle") from None
    if bundle.type != "collection":
        raise ValidationFailed(_("The bundle must be of type 'collection'."),
                               code="invalid_fhir", field="bundle")
    if bundle.identifier is None or bundle.identifier.system != HANDOVER_SYSTEM:
        raise ValidationFailed(_("The bundle is not a Beredt handover."), code="invalid_fhir",
                               field="bundle")
    for entry in bundle.entry or []:
        res = entry.resource
        kind = res.__resource_type__
        if kind == "Task" and (res.status not in ("requested", "received", "accepted")
                               or res.intent != "order"):
            raise ValidationFailed(_("Unexpected task status or intent."), code="invalid_fhir",
                                   field="bundle")
        if kind == "Consent" and res.status not in ("active", "inactive", "rejected"):
            raise ValidationFailed(_("Unexpected consent status."), code="invalid_fhir",
                                   field="bundle")
    return bundle


def export_fhir(*, by, handover: Handover, side: str) -> str:
    items = list(selectors.visible_items(handover, side).filter(status=ItemStatus.ACTIVE))
    data = bundle_dict(handover, items)
    validate(data)
    with transaction.atomic():
        _audit_export(by, handover, items, "fhir")
    return json.dumps(data, ensure_ascii=False, indent=1)


def _audit_export(by, handover, items, fmt: str) -> None:
    audit.record_many(action=AuditAction.EXPORT, objects=items, actor=by,
                      fields=sorted({f for i in items for f in i.fields}),
                      extra={"handover": str(handover.pk), "format": fmt})


def export_csv(*, by, handover: Handover, side: str) -> str:
    items = list(selectors.visible_items(handover, side).filter(status=ItemStatus.ACTIVE))
    rows = ({**json.loads(item.data), "handover": handover.pk,
             "incident": handover.incident_title, "receiver": handover.receiver.name,
             "person": item.pk, "channels": ",".join(item.channels), "reason": item.reason,
             "status": item.status} for item in items)
    body = tabular.csv_text(rows, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    with transaction.atomic():
        _audit_export(by, handover, items, "csv")
    return body


def _person(patient, consent, task) -> tuple[dict, list[str], str]:
    data: dict = {}
    for ident in patient.identifier or []:
        if ident.system == CPR_SYSTEM:
            data["cpr"] = ident.value
    if patient.name:
        data["full_name"] = patient.name[0].text or ""
    if patient.birthDate:
        data["birth_date"] = patient.birthDate.isoformat()
    for tel in patient.telecom or []:
        if tel.system in ("phone", "email"):
            data[tel.system] = tel.value
    if patient.address:
        data["address"] = patient.address[0].text or ""
    if patient.communication:
        data["preferred_language"] = patient.communication[0].language.coding[0].code
    channels: list[str] = []
    for inp in task.input or []:
        key = inp.type.text
        if key == "channels":
            channels = [c for c in (inp.valueString or "").split(",") if c]
        elif key == "interpreter_needed":
            data[key] = inp.valueString == "True"
        elif key == "residence_municipality":
            data[key] = int(inp.valueString) if inp.valueString.isdigit() else inp.valueString
        elif key in TASK_INPUTS:
            data[key] = inp.valueString
    if consent is None or consent.status != "active":
        channels = []
    return {k: v for k, v in data.items() if v not in ("", None)}, channels, task.description or ""


@transaction.atomic
def import_fhir(*, by, raw: str | bytes, receiver: Organisation | None = None) -> Handover:
    """Create the handover described by a bundle (from another installation). The receiver
    is the organisation named by its Beredt identifier, or ``receiver``; the importing user
    must be a follow-up coordinator there."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise ValidationFailed(_("The file is not JSON."), code="invalid_json",
                               field="bundle") from None
    if not isinstance(data, dict):
        raise ValidationFailed(_("The file is not a FHIR bundle."), code="invalid_fhir",
                               field="bundle")
    bundle = validate(data)
    by_url = {e.fullUrl: e.resource for e in bundle.entry or []}
    receiver_res = by_url.get("urn:beredt:org:receiver")
    sender_res = by_url.get("urn:beredt:org:sender")
    if receiver is None and receiver_res is not None:
        ids = [i.value for i in receiver_res.identifier or [] if i.system == ORG_SYSTEM]
        receiver = Organisation.objects.filter(pk__in=[i for i in ids if str(i).isdigit()],
                                               name=receiver_res.name).first()
    if receiver is None:
        raise ValidationFailed(_("Choose the receiving organisation."), code="required",
                               field="receiver")
    if not selectors.can_receive(by, receiver.pk):
        raise Forbidden(_("You may import handovers only for your own organisation."))
    tags = {t.system: t for t in (bundle.meta.tag if bundle.meta and bundle.meta.tag else [])}
    incident = tags.get("urn:beredt:incident")
    now = timezone.now()
    try:
        with transaction.atomic():
            handover = Handover.objects.create(
                incident=None, incident_title=(incident.display if incident else "")[:200],
                is_exercise="urn:beredt:exercise" in tags,
                sender_name=(sender_res.name if sender_res else "")[:200] or "–",
                receiver=receiver, created_by=by, created_at=now,
                receipt_due_at=now + dt.timedelta(hours=24), imported=True,
                external_id=bundle.identifier.value[:100])
    except IntegrityError:
        raise Conflict(_("This handover was imported already."), code="duplicate") from None
    items = []
    for entry in bundle.entry or []:
        if entry.resource.__resource_type__ != "Patient":
            continue
        key = entry.fullUrl.rsplit(":", 1)[-1]
        data, channels, reason = _person(entry.resource, by_url.get(f"urn:beredt:consent:{key}"),
                                         by_url.get(f"urn:beredt:task:{key}"))
        if not channels:
            continue
        items.append(HandoverItem.objects.create(
            handover=handover, data=json.dumps(data), fields=sorted(data), channels=channels,
            reason=reason[:300]))
    if not items:
        raise ValidationFailed(_("The bundle holds nobody with consent."), code="empty",
                               field="bundle")
    audit.record_many(action=AuditAction.IMPORT, objects=items, actor=by,
                      fields=sorted({f for i in items for f in i.fields}),
                      extra={"handover": str(handover.pk)})
    handover.status = HandoverStatus.SENT
    return handover
