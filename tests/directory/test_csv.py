"""CSV import/export for directory administrators: per-row errors, all or nothing."""

import csv
import io

import pytest

from beredt.core.models import AuditEvent
from beredt.directory.models import Schedule, Service
from beredt.directory.services import seed_uuid
from beredt.organisations.models import Role

URL = "/api/v1/directory/csv"
HEADER = ("kind,provider,municipality_code,region_code,name,legal_basis,visitation,audience,"
          "phones,hours\n")


@pytest.fixture
def admin(make_user, orgs):
    return make_user("diradmin", roles=[(orgs.kommune, Role.ADMINISTRATOR)])


def post_csv(api_client, user, text: str):
    return api_client(user).post(URL, data=text.encode(), content_type="text/csv")


def test_import_creates_services_with_hours(api_client, admin):
    text = HEADER + (
        "line,Aarhus Kommune,751,,Aarhus akuttelefon,SL §82c,uvisiteret,all,8940 2000,"
        "daily 18:00-02:00\n"
        "offer,Aarhus Kommune,751,,Værested,SL §104,visiteret,all,,MO-FR 09:00-15:00 -holidays\n")
    response = post_csv(api_client, admin, text)
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0}
    line = Service.objects.get(name="Aarhus akuttelefon")
    assert line.region_id == 1082 and [p.number for p in line.phones.all()] == ["89402000"]
    rule = line.schedules.get()
    assert (rule.opens_at.hour, rule.closes_at.hour, rule.byday) == (18, 2, "")
    assert AuditEvent.objects.filter(action="import", object_type="directory.service").exists()


def test_errors_name_row_field_and_reason_and_nothing_is_imported(api_client, admin):
    text = HEADER + (
        "line,Aarhus Kommune,751,,Fine line,,,all,8940 2000,daily 08:00-16:00\n"
        "line,Aarhus Kommune,751,,No phone,,,all,,daily 08:00-16:00\n"
        "offer,,999,,,,perhaps,press,12,XX 08:00-09:00\n")
    response = post_csv(api_client, admin, text)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    errors = {(e["row"], e["field"]) for e in body["errors"]}
    assert (3, "phones") in errors
    assert {(4, "provider"), (4, "name"), (4, "municipality_code"), (4, "visitation"),
            (4, "audience"), (4, "phones"), (4, "hours")} <= errors
    assert all(e["reason"] for e in body["errors"])
    assert not Service.objects.filter(provider__name="Aarhus Kommune").exists()


def test_unknown_columns_and_empty_files_are_rejected(api_client, admin):
    assert post_csv(api_client, admin, "name,colour\nX,red\n").json()["errors"][0] == {
        "row": 1, "field": "provider", "reason": "Kolonnen mangler."}
    assert post_csv(api_client, admin, "").status_code == 422


def test_export_then_reimport_updates_in_place(api_client, admin, seeded):
    client = api_client(admin)
    exported = client.get(URL, {"municipality": "730"})
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    night = next(r for r in rows if r["id"] == str(seed_uuid("randers-nat")))
    assert night["hours"] == "daily 22:00-08:00" and night["phones"] == "24900911"
    night["hours"] = "daily 21:00-08:00"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    before = Service.objects.count()
    response = post_csv(api_client, admin, out.getvalue())
    assert response.json() == {"created": 0, "updated": len(rows)}
    assert Service.objects.count() == before
    rule = Schedule.objects.get(service_id=seed_uuid("randers-nat"))
    assert rule.opens_at.hour == 21
    assert AuditEvent.objects.filter(action="export", object_type="directory.service").exists()


def test_a_bad_row_after_good_updates_leaves_the_good_ones_untouched(api_client, admin, seeded):
    text = ("id,kind,provider,municipality_code,name,phones,hours\n"
            f"{seed_uuid('randers-nat')},line,Randers Kommune,730,Renamed,24900911,"
            "daily 22:00-08:00\n"
            f"{seed_uuid('randers-dag')},line,Randers Kommune,730,Day,29749020,MO-FR 8-15\n")
    response = post_csv(api_client, admin, text)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "hours")]
    assert "MO-FR 8-15" in errors[0]["reason"]
    unchanged = Service.objects.get(pk=seed_uuid("randers-nat"))
    assert unchanged.name == "Randers Kommune, akuttelefon nat"


@pytest.mark.parametrize("role", [Role.KOP, Role.VIEWER])
def test_only_directory_administrators_import_and_export(api_client, make_user, orgs, role):
    user = make_user(f"u_{role}", roles=[(orgs.kommune, role)])
    assert post_csv(api_client, user, HEADER).status_code == 403
    assert api_client(user).get(URL).status_code == 403
    assert api_client().get(URL).status_code == 401


def test_superuser_may_import(api_client, make_user):
    root = make_user("root", superuser=True)
    text = HEADER + "offer,Ny udbyder,101,,Rådgivning,,,all,,\n"
    assert post_csv(api_client, root, text).json() == {"created": 1, "updated": 0}


def test_export_neutralises_formulas(api_client, admin):
    text = HEADER + ('line,Aarhus Kommune,751,,=cmd|\' /C calc\'!A0,SL §82c,uvisiteret,all,'
                     '8940 2000,daily 18:00-02:00\n')
    assert post_csv(api_client, admin, text).status_code == 200
    rows = list(csv.DictReader(io.StringIO(
        api_client(admin).get(URL).content.decode())))
    [row] = [r for r in rows if "calc" in r["name"]]
    assert row["name"] == "'=cmd|' /C calc'!A0"
