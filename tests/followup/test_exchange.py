"""FHIR R4 export (validated with fhir.resources R4B), CSV export and the import that
creates the same handover in another installation."""

import csv
import io
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from beredt.core.errors import Conflict, Forbidden, ValidationFailed
from beredt.core.models import AuditEvent
from beredt.followup import exchange, services
from beredt.followup.models import Handover, HandoverStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def handover(kop, incident, units, person, randers_coord):
    person("Anna Holm", postcode="8900", cpr="0101901234", email="anna@example.org",
           channels=("sms", "digital_mail"))
    person("Bo Berg", postcode="8900", email="bo@example.org", channels=("email",),
           preferred_language="en", address="Gade 2", reactions="Rystet",
           extra_consents=[{"kind": "sharing", "shared_with": "Randers Kommune",
                            "method": "verbal_witnessed", "witness": "Karen Olsen"}])
    services.route_incident(by=kop, incident=incident)
    [handover] = services.hand_over(by=kop, incident=incident)
    return handover


def people(handover):
    rows = [(json.loads(i.data), sorted(i.channels), i.fields) for i in handover.items.all()]
    return sorted(rows, key=lambda row: row[0]["full_name"])


def test_bundle_validates_and_carries_the_resources(handover, randers_coord):
    raw = exchange.export_fhir(by=randers_coord, handover=handover, side="receiver")
    bundle = Bundle.model_validate_json(raw)
    kinds = [e.resource.__resource_type__ for e in bundle.entry]
    assert kinds.count("Patient") == kinds.count("Consent") == kinds.count("Task") == 2
    assert kinds.count("Organization") == 2
    patients = [e.resource for e in bundle.entry if e.resource.__resource_type__ == "Patient"]
    anna = next(p for p in patients if p.name[0].text == "Anna Holm")
    assert anna.identifier[0].system == "urn:oid:1.2.208.176.1.2"
    assert anna.identifier[0].value == "0101901234"
    bo = next(p for p in patients if p.name[0].text == "Bo Berg")
    assert not bo.identifier  # no digital-mail consent: no CPR number travels
    tasks = [e.resource for e in bundle.entry if e.resource.__resource_type__ == "Task"]
    assert {t.intent for t in tasks} == {"order"}
    assert AuditEvent.objects.filter(action="export", extra__format="fhir").count() == 2


def test_round_trip_creates_the_same_handover(handover, randers_coord):
    raw = exchange.export_fhir(by=randers_coord, handover=handover, side="receiver")
    imported = exchange.import_fhir(by=randers_coord, raw=raw)
    assert imported.pk != handover.pk and imported.imported
    assert imported.receiver == handover.receiver
    assert imported.incident_title == handover.incident_title
    assert imported.sender_name == handover.sender_name
    assert imported.status == HandoverStatus.SENT
    assert people(imported) == people(handover)
    with pytest.raises(Conflict):
        exchange.import_fhir(by=randers_coord, raw=raw)
    # The imported handover exports to an equivalent bundle again.
    again = json.loads(exchange.export_fhir(by=randers_coord, handover=imported,
                                            side="receiver"))
    assert sum(e["resource"]["resourceType"] == "Patient" for e in again["entry"]) == 2


def test_import_only_for_own_organisation(handover, randers_coord, aarhus_coord):
    raw = exchange.export_fhir(by=randers_coord, handover=handover, side="receiver")
    with pytest.raises(Forbidden):
        exchange.import_fhir(by=aarhus_coord, raw=raw)


@pytest.mark.parametrize("mutate", [
    lambda b: b.update(type="nonsense"),
    lambda b: b.update(identifier={"system": "urn:other", "value": "x"}),
    lambda b: b["entry"][2]["resource"].update(birthDate="not a date"),
    lambda b: [e["resource"].update(intent="plan") for e in b["entry"]
               if e["resource"]["resourceType"] == "Task"],
])
def test_invalid_bundles_are_refused_without_saving(handover, randers_coord, mutate):
    data = json.loads(exchange.export_fhir(by=randers_coord, handover=handover, side="receiver"))
    mutate(data)
    before = Handover.objects.count()
    with pytest.raises(ValidationFailed):
        exchange.import_fhir(by=randers_coord, raw=json.dumps(data))
    assert Handover.objects.count() == before


def test_import_api_refuses_garbage_with_422(randers_coord, api_client, units):
    response = api_client(randers_coord).post(
        "/api/v1/followup/import", {"bundle": {"resourceType": "Patient"}},
        content_type="application/json")
    assert response.status_code == 422


def test_csv_export(handover, randers_coord, api_client):
    response = api_client(randers_coord).get(f"/api/v1/followup/handovers/{handover.pk}/csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["full_name"] for r in rows} == {"Anna Holm", "Bo Berg"}
    bo = next(r for r in rows if r["full_name"] == "Bo Berg")
    assert bo["email"] == "bo@example.org" and bo["phone"] == "" and bo["reactions"] == "Rystet"
    anna = next(r for r in rows if r["full_name"] == "Anna Holm")
    assert anna["cpr"] == "0101901234" and anna["channels"] == "digital_mail,sms"


def test_csv_export_neutralises_formulas(kop, incident, units, person, randers_coord,
                                         api_client):
    """Values typed by anybody (also the public self-registration) cannot run as formulas
    in the receiver's spreadsheet: = + - @ tab CR, also after spaces or quotes."""
    person(' =HYPERLINK("http://x.example","Klik")', postcode="8900", email="a@example.org",
           channels=("email",))
    services.route_incident(by=kop, incident=incident)
    [handover] = services.hand_over(by=kop, incident=incident)
    response = api_client(randers_coord).get(f"/api/v1/followup/handovers/{handover.pk}/csv")
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["full_name"] == """'=HYPERLINK("http://x.example","Klik")"""
    assert row["email"] == "a@example.org"
