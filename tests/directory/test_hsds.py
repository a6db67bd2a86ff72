"""HSDS 3.0 export validated against Open Referral's published schemas; import of the same."""

import copy
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from beredt.directory import hsds, selectors
from beredt.directory.models import Closure, Schedule, Service
from beredt.directory.services import seed_uuid
from beredt.organisations.models import Role

from .conftest import cph

DATA = Path(__file__).parent / "data"
URL = "/api/v1/directory/hsds"


@pytest.fixture(scope="module")
def service_schema():
    schema = json.loads((DATA / "compiled_service.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture
def admin(make_user, orgs):
    return make_user("hsdsadmin", roles=[(orgs.psych, Role.ADMINISTRATOR)])


def test_schema_catches_a_broken_service(service_schema):
    # The validator is not a no-op: the spec's own example passes, a broken one does not.
    example = json.loads((DATA / "example_service_full.json").read_text())
    service_schema.validate(example)
    broken = {**example, "status": "open", "schedules": [{"freq": "DAILY"}]}
    assert len(list(service_schema.iter_errors(broken))) >= 3


def test_export_of_the_whole_seed_validates(client, seeded, service_schema):
    body = client.get(URL, {"per_page": 500}).json()
    assert body["total_items"] == Service.objects.count() == len(body["contents"])
    for service in body["contents"]:
        service_schema.validate(service)
    by_id = {s["id"]: s for s in body["contents"]}
    night = by_id[str(seed_uuid("randers-nat"))]
    assert night["organization"]["name"] == "Randers Kommune"
    assert night["phones"][0]["number"] == "2490 0911"
    rule = night["schedules"][0]
    assert rule["freq"] == "WEEKLY" and rule["opens_at"][:5] == "22:00"
    assert rule["closes_at"][:5] == "08:00" and rule["timezone"] in (1, 2)
    attrs = {a["link_type"]: a["value"] for a in night["attributes"]}
    assert attrs["beredt:kind"] == "line" and attrs["beredt:municipality_code"] == "0730"
    assert night["service_areas"][0]["name"] == "Randers Kommune"


def test_export_pages(client, seeded):
    first = client.get(URL, {"per_page": 10, "page": 1}).json()
    assert first["first_page"] and not first["last_page"] and len(first["contents"]) == 10
    last = client.get(URL, {"per_page": 10, "page": first["total_pages"]}).json()
    assert last["last_page"]


def test_export_then_import_restores_a_deleted_service(api_client, admin, seeded):
    client = api_client(admin)
    exported = client.get(URL, {"per_page": 500}).json()
    Service.objects.filter(pk=seed_uuid("randers-aften")).delete()
    response = client.post(URL, data=json.dumps(exported), content_type="application/json")
    assert response.status_code == 200, response.content
    total = len(exported["contents"])
    assert response.json() == {"created": 1, "updated": total - 1}
    restored = Service.objects.get(pk=seed_uuid("randers-aften"))
    assert [(r.byday, r.holidays) for r in restored.schedules.all()] == [
        ("MO,TU,WE,TH,FR", "skip"), ("SA,SU", "any"), ("", "only")]
    assert restored.municipality_id == 730 and restored.legal_basis == "SL §99"
    assert restored.visitation == "begge" and restored.kind == "line"


def test_import_rejects_invalid_items_and_imports_nothing(api_client, admin, seeded):
    client = api_client(admin)
    exported = client.get(URL, {"per_page": 3}).json()["contents"]
    good = copy.deepcopy(exported[0])
    good["id"] = "5d0f5d0e-0000-4000-8000-000000000001"
    good["name"] = "A new service"
    schema_broken = copy.deepcopy(exported[1])
    schema_broken["status"] = "open"
    rule_broken = copy.deepcopy(exported[2])
    rule_broken["schedules"] = [{"id": "5d0f5d0e-0000-4000-8000-000000000002", "byday": "XX",
                                 "opens_at": "09:00", "closes_at": "10:00"}]
    response = client.post(URL, data=json.dumps([good, schema_broken, rule_broken]),
                           content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} >= {(2, "status"), (3, "schedules/0")}
    assert not Service.objects.filter(name="A new service").exists()


def test_import_needs_an_administrator(api_client, make_user, orgs):
    kop = make_user("k", roles=[(orgs.dept_a, Role.KOP)])
    assert api_client(kop).post(URL, data="[]", content_type="application/json").status_code == 403
    assert api_client().post(URL, data="[]", content_type="application/json").status_code == 401


def test_import_of_the_spec_example(api_client, admin, db):
    """A foreign HSDS service without Beredt attributes needs a service area: rejected
    with a clear row error rather than half-imported."""
    example = json.loads((DATA / "example_service_full.json").read_text())
    response = api_client(admin).post(URL, data=json.dumps([example]),
                                      content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in {"municipality_code", "phones"}
    assert not Schedule.objects.exists()


def test_closures_are_exported_as_schedule_entries_and_skipped_on_import(
        api_client, admin, seeded, service_schema, django_assert_max_num_queries):
    service_id = seed_uuid("syddjurs-akut")
    Closure.objects.create(service_id=service_id, starts_at=cph(2026, 12, 24, 18, 0),
                           ends_at=cph(2026, 12, 26, 9, 0), reason="Juleferie")
    Closure.objects.create(service_id=service_id, starts_at=cph(2026, 1, 5, 12, 0),
                           ends_at=cph(2026, 1, 5, 16, 0), reason="Ended before the export")
    with django_assert_max_num_queries(12):  # no query per service
        body = hsds.export_page(selectors.services_for_hsds(), on=date(2026, 12, 1))
    for item in body["contents"]:
        service_schema.validate(item)
    exported = next(s for s in body["contents"] if s["id"] == str(service_id))
    closures = [s for s in exported["schedules"]
                if any(a["link_type"] == "beredt:closed" for a in s["attributes"])]
    assert len(closures) == 1
    closure = closures[0]
    assert "freq" not in closure and "opens_at" not in closure
    assert (closure["valid_from"], closure["valid_to"]) == ("2026-12-24", "2026-12-26")
    assert closure["attributes"][0]["value"] == (
        "2026-12-24T18:00:00+01:00/2026-12-26T09:00:00+01:00")
    assert closure["notes"] == "Juleferie"
    assert closure["description"] == (
        "Midlertidigt lukket fra 24.12.2026 18:00 til 26.12.2026 09:00. Juleferie")
    # Imported again, the closure entry is not read as an opening rule.
    response = api_client(admin).post(URL, data=json.dumps([exported]),
                                      content_type="application/json")
    assert response.status_code == 200, response.content
    assert [(r.opens_at.hour, r.closes_at.hour) for r in
            Schedule.objects.filter(service_id=service_id)] == [(12, 22)]
    assert Closure.objects.filter(service_id=service_id).count() == 2
