"""Registering a person: validation, derived fields, residence, idempotency, durability."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beredt.core.errors import Conflict, Forbidden, ValidationFailed
from beredt.core.models import AuditEvent
from beredt.registry import services
from beredt.registry.models import MatchKey, Registration

from .conftest import VALID_CPR


def test_cpr_gives_birth_date_sex_and_hash(register):
    reg = register(cpr="010190-1234", full_name="Anna  Holm")
    assert reg.birth_date == dt.date(1990, 1, 1)
    assert reg.sex == "F"
    assert reg.full_name == "Anna Holm"
    assert reg.cpr == VALID_CPR
    assert len(reg.cpr_hash) == 64
    # Encrypted at rest: the column holds no clear CPR number or name.
    with connection.cursor() as cur:
        cur.execute("SELECT cpr, full_name FROM registry_registration WHERE id = %s",
                    [reg.pk.hex if connection.vendor == "sqlite" else reg.pk])
        raw_cpr, raw_name = cur.fetchone()
    assert VALID_CPR not in raw_cpr and raw_cpr.startswith("v1:")
    assert "Holm" not in raw_name


@pytest.mark.parametrize("bad", ["123", "320190-1234", "01019012345", "abcdefghij"])
def test_bad_cpr_names_the_field_and_saves_nothing(register, bad):
    with pytest.raises(ValidationFailed) as exc:
        register(cpr=bad)
    assert exc.value.field == "cpr"
    assert exc.value.code == "invalid_cpr"
    assert not Registration.objects.exists()


def test_birth_date_must_match_cpr(register):
    with pytest.raises(ValidationFailed) as exc:
        register(cpr=VALID_CPR, birth_date="1991-01-01")
    assert exc.value.field == "birth_date"


def test_postcode_gives_residence_municipality(register):
    reg = register(postcode="8900")
    assert reg.residence == "municipality"
    assert reg.residence_municipality_id == 730
    assert reg.municipality_overridden is False


def test_municipality_can_be_overridden(register):
    reg = register(postcode="8900", residence_municipality_code=751)
    assert reg.residence_municipality_id == 751
    assert reg.municipality_overridden is True


@pytest.mark.parametrize("postcode", ["0000", "89", "abcd"])
def test_bad_postcode_is_refused(register, postcode):
    with pytest.raises(ValidationFailed) as exc:
        register(postcode=postcode)
    assert exc.value.field == "postcode"
    assert exc.value.code == "unknown_postcode"


def test_abroad_and_unknown_residence(register):
    assert register(residence="abroad").residence_municipality_id is None
    assert register(residence="unknown").residence == "unknown"
    with pytest.raises(ValidationFailed) as exc:
        register(residence="abroad", postcode="8900")
    assert exc.value.field == "postcode"


@pytest.mark.parametrize(("field", "value"), [
    ("phone", "12"), ("email", "not-an-email"), ("role", "hero"), ("need", "lots"),
    ("full_name", "  "), ("birth_date", "2999-01-01"),
])
def test_bad_fields_are_named(register, field, value):
    with pytest.raises(ValidationFailed) as exc:
        register(**{field: value})
    assert exc.value.field == field


def test_relation_to_another_registration(register):
    parent = register(full_name="Mor Holm")
    child = register(full_name="Barn Holm", relation="child_of", related_to_id=parent.pk)
    assert child.related_to == parent
    with pytest.raises(ValidationFailed) as exc:
        register(full_name="X", relation="child_of")
    assert exc.value.field == "relation"


def test_retry_with_same_client_id_returns_first_record(register, registrar, incident):
    client_id = uuid.uuid4()
    first = register(client_id=client_id, full_name="Anna Holm")
    again, created = services.register_person(
        incident=incident, by=registrar, client_id=client_id, data={"full_name": "Changed"})
    assert created is False
    assert again.pk == first.pk and again.full_name == "Anna Holm"
    assert Registration.objects.count() == 1
    creates = AuditEvent.objects.filter(action="create", object_type="registry.registration")
    assert creates.count() == 1


def test_client_id_of_another_incident_conflicts(register, kop, other_incident):
    client_id = uuid.uuid4()
    register(client_id=client_id)
    with pytest.raises(Conflict):
        services.register_person(incident=other_incident, by=kop, client_id=client_id,
                                 data={"full_name": "Anna Holm"})


def test_not_deployed_user_cannot_register(make_user, incident):
    stranger = make_user("stranger")
    with pytest.raises(Forbidden):
        services.register_person(incident=incident, by=stranger, client_id=uuid.uuid4(),
                                 data={"full_name": "A B"})


def test_closed_incident_refuses_new_registrations(register, kop, incident):
    from beredt.incidents.services import change_status

    change_status(by=kop, incident=incident, status="closed")
    with pytest.raises(Conflict):
        register()


def test_bad_consent_rolls_back_the_whole_registration(register):
    with pytest.raises(ValidationFailed) as exc:
        register(consents=[{"kind": "registration", "method": "verbal_witnessed"}])
    assert exc.value.field == "consents.witness"
    assert not Registration.objects.exists()


def test_audit_and_match_keys_written_with_the_registration(register):
    reg = register(cpr=VALID_CPR, phone="22 11 33 44", postcode="8900")
    event = AuditEvent.objects.get(action="create", object_id=str(reg.pk))
    assert "cpr" in event.fields and "full_name" in event.fields
    assert VALID_CPR not in str(event.extra) + str(event.fields)
    assert MatchKey.objects.filter(registration=reg).count() >= 4


def test_retry_is_found_by_the_unique_client_id(register, registrar, incident):
    """No read before the INSERT: a retry (and a retry racing the first request) hits the
    unique client_id, and the service answers with the registration made the first time."""
    client_id = uuid.uuid4()
    winner = register(client_id=client_id)
    with CaptureQueriesContext(connection) as ctx:
        again, created = services.register_person(incident=incident, by=registrar,
                                                  client_id=client_id, data={"full_name": "A B"})
    assert (again.pk, created) == (winner.pk, False)
    sql = [q["sql"] for q in ctx.captured_queries]
    insert = next(i for i, q in enumerate(sql) if 'INSERT INTO "registry_registration"' in q)
    assert not any('FROM "registry_registration"' in q for q in sql[:insert])
    assert Registration.objects.filter(client_id=client_id).count() == 1


def test_retry_after_closing_or_with_invalid_data_returns_the_first(register, registrar,
                                                                    incident, kop):
    """Where a new registration would be refused, a retry still gets the one it made."""
    from beredt.incidents.services import change_status

    client_id = uuid.uuid4()
    first = register(client_id=client_id)
    again, created = services.register_person(incident=incident, by=registrar,
                                              client_id=client_id, data={"full_name": ""})
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(ValidationFailed):
        register(full_name="")  # a new client_id with the same data is refused
    change_status(by=kop, incident=incident, status="closed")
    again, created = services.register_person(incident=incident, by=registrar,
                                              client_id=client_id, data={"full_name": "A B"})
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(Conflict):
        register()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("sqlite" in __import__("os").environ.get("DATABASE_URL", "sqlite"),
                    reason="SQLite's in-memory test database cannot run concurrent writers; "
                           "this runs on PostgreSQL (DATABASE_URL), the race path is covered "
                           "above on both")
def test_concurrent_retries_create_exactly_one(kop, orgs, make_user):
    from beredt.incidents import services as incident_services

    incident, _ = incident_services.create_incident(
        by=kop, title="Samtidig", kind="fire", municipality_code=730,
        lead_organisation_id=orgs.dept_a.pk)
    client_id = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(4)

    def attempt():
        try:
            barrier.wait()
            reg, created = services.register_person(
                incident=incident, by=kop, client_id=client_id,
                data={"full_name": "Samtidig Person", "phone": "22334455"})
            results.append((reg.pk, created))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Registration.objects.filter(client_id=client_id).count() == 1
