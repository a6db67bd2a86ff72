"""open_now keeps compiled lines per process, keyed by the directory's stamp: every write,
whoever makes it, shows in the very next answer."""

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from beredt.directory import selectors
from beredt.directory.models import (
    Closure,
    Contact,
    DirectoryVersion,
    Location,
    Phone,
    Provider,
    Schedule,
    Service,
    ServiceAtLocation,
)
from beredt.directory.services import seed_uuid
from beredt.geo.models import Municipality
from beredt.organisations.models import Role

from .conftest import cph, line

pytestmark = pytest.mark.usefixtures("seeded")
SYDDJURS, RANDERS = 706, 730
TUESDAY_1PM = cph(2026, 11, 17, 13, 0)


def acute(at=TUESDAY_1PM):
    return line(selectors.open_now(SYDDJURS, at), "syddjurs-akut")


def stamp() -> int:
    return DirectoryVersion.objects.get().stamp


def test_an_unchanged_directory_is_answered_with_two_small_queries():
    selectors.open_now(SYDDJURS, TUESDAY_1PM)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.open_now(SYDDJURS, TUESDAY_1PM)
    assert len(queries) == 2  # the municipality and the stamp
    assert line(again, "syddjurs-akut").is_open


def test_a_municipality_moved_to_another_region_shows_at_once():
    assert [s.phone for s in selectors.open_now(SYDDJURS, TUESDAY_1PM).region] == [
        "7847 0470", "7847 5352"]
    Municipality.objects.filter(pk=SYDDJURS).update(region_id=1081)  # no directory write
    moved = selectors.open_now(SYDDJURS, TUESDAY_1PM)
    assert moved.region == [] and moved.municipality.region_id == 1081


def test_a_new_number_in_the_admin_shows_at_once(client, make_user):
    assert acute().phone == "5135 6476"
    client.force_login(make_user("root", superuser=True))
    phone = Phone.objects.get(service_id=seed_uuid("syddjurs-akut"))
    response = client.post(f"/admin/directory/phone/{phone.pk}/change/", {
        "service": phone.service_id, "number": "51356477", "description": "", "type": "voice",
        "rank": 0})
    assert response.status_code == 302
    assert acute().phone == "5135 6477"


def test_a_closure_through_the_api_shows_at_once(api_client, make_user, orgs):
    assert acute().is_open
    admin = make_user("closer", roles=[(orgs.kommune, Role.ADMINISTRATOR)])
    response = api_client(admin).post(
        f"/api/v1/directory/services/{seed_uuid('syddjurs-akut')}/closures",
        {"starts_at": "2026-11-17T12:30", "ends_at": "2026-11-17T14:00"},
        content_type="application/json")
    assert response.status_code == 201
    closed = acute()
    assert not closed.is_open and closed.next_open == cph(2026, 11, 17, 14, 0)


def test_new_hours_from_a_csv_import_show_at_once(api_client, make_user):
    night = line(selectors.open_now(RANDERS, cph(2026, 11, 17, 21, 30)), "randers-nat")
    assert not night.is_open
    text = ("id,kind,provider,municipality_code,name,phones,hours\n"
            f"{seed_uuid('randers-nat')},line,Randers Kommune,730,"
            "\"Randers Kommune, akuttelefon nat\",24900911,daily 21:00-08:00\n")
    response = api_client(make_user("root", superuser=True)).post(
        "/api/v1/directory/csv", data=text.encode(), content_type="text/csv")
    assert response.status_code == 200, response.content
    night = line(selectors.open_now(RANDERS, cph(2026, 11, 17, 21, 30)), "randers-nat")
    assert night.is_open and night.open_until == cph(2026, 11, 18, 8, 0)


def test_bulk_writes_that_bypass_models_show_at_once():
    assert acute().is_open
    Schedule.objects.filter(service_id=seed_uuid("syddjurs-akut")).update(opens_at="14:00")
    assert not acute().is_open
    Service.objects.filter(pk=seed_uuid("syddjurs-akut")).update(status="inactive")
    with pytest.raises(AssertionError):
        acute()


@pytest.mark.parametrize("model", [Provider, Service, Location, ServiceAtLocation, Phone,
                                   Contact, Schedule, Closure])
def test_every_directory_table_changes_the_stamp(model):
    Closure.objects.create(service_id=seed_uuid("syddjurs-akut"), starts_at=TUESDAY_1PM,
                           ends_at=cph(2026, 11, 17, 14, 0))
    before = stamp()
    model.objects.filter(pk=model.objects.first().pk).update(id=F("id"))
    assert stamp() != before


def test_inserts_and_deletes_change_the_stamp():
    before = stamp()
    phone = Phone.objects.create(service_id=seed_uuid("syddjurs-akut"), number="12345678",
                                 rank=9)
    inserted = stamp()
    phone.delete()
    assert len({before, inserted, stamp()}) == 3


def test_a_rolled_back_write_never_lends_its_stamp_to_other_data():
    """A counter would give the next write the rolled-back write's number, and the cache
    would answer with the rolled-back data."""
    with transaction.atomic():
        Phone.objects.filter(service_id=seed_uuid("syddjurs-akut")).update(number="11111111")
        assert acute().phone == "1111 1111"  # cached under the uncommitted stamp
        transaction.set_rollback(True)
    Phone.objects.filter(service_id=seed_uuid("syddjurs-akut")).update(number="22222222")
    assert acute().phone == "2222 2222"


def test_without_a_stamp_nothing_is_cached():
    DirectoryVersion.objects.all().delete()  # as after a test database flush
    assert acute().is_open
    with CaptureQueriesContext(connection) as queries:
        acute()
    assert len(queries) > 1
