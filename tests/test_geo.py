import pytest
from django.core.management import call_command

from beredt.geo.models import Municipality, Postcode, PostcodeMunicipality, Region

pytestmark = pytest.mark.django_db


def test_reference_counts():
    assert Region.objects.count() == 5
    assert Municipality.objects.count() == 98
    # 1,121 postcodes in PostNord's file; Christiansø's (3740 is shared, so none is lost)
    assert Postcode.objects.count() == 1121
    assert set(Region.objects.values_list("code", flat=True)) == {1081, 1082, 1083, 1084, 1085}


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        (101, "København", 1084),
        (151, "Ballerup", 1084),
        (730, "Randers", 1082),
        (706, "Syddjurs", 1082),
        (707, "Norddjurs", 1082),
        (710, "Favrskov", 1082),
        (851, "Aalborg", 1081),
        (461, "Odense", 1083),
        (259, "Køge", 1085),
    ],
)
def test_known_municipalities(code, name, region):
    m = Municipality.objects.get(code=code)
    assert (m.name, m.region_id) == (name, region)


def test_every_region_has_municipalities():
    counts = {r.code: r.municipalities.count() for r in Region.objects.all()}
    assert counts == {1081: 11, 1082: 19, 1083: 22, 1084: 29, 1085: 17}


def test_loadgeo_is_idempotent():
    before = PostcodeMunicipality.objects.count()
    call_command("loadgeo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert PostcodeMunicipality.objects.count() == before
    assert Municipality.objects.count() == 98


def test_api_municipalities(client):
    response = client.get("/api/v1/geo/municipalities")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == 98
    randers = next(m for m in data if m["code"] == 730)
    assert randers == {
        "code": 730,
        "name": "Randers",
        "region_code": 1082,
        "region_name": "Region Midtjylland",
    }


def test_api_municipalities_filter_by_region(client):
    data = client.get("/api/v1/geo/municipalities?region=1081").json()
    assert {m["region_code"] for m in data} == {1081}
    assert len(data) == 11


def test_api_postcode_single_municipality(client):
    data = client.get("/api/v1/geo/postcodes/8930").json()
    assert data["name"] == "Randers NØ"
    assert [m["code"] for m in data["municipalities"]] == [730]
    assert data["primary_certain"] is True


def test_api_postcode_spanning_municipalities_primary_first(client):
    data = client.get("/api/v1/geo/postcodes/2750").json()
    codes = [m["code"] for m in data["municipalities"]]
    assert codes[0] == 151
    assert sorted(codes) == [151, 165, 240]
    assert [m["primary"] for m in data["municipalities"]] == [True, False, False]


def test_api_postcode_five_municipalities(client):
    data = client.get("/api/v1/geo/postcodes/3500").json()
    assert sorted(m["code"] for m in data["municipalities"]) == [151, 159, 173, 190, 240]


def test_api_unknown_postcode_is_404_with_code(client):
    response = client.get("/api/v1/geo/postcodes/0001")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_postcode"
    assert "0001" in response.json()["detail"]


@pytest.mark.parametrize("bad", ["abc", "12345", "12a4"])
def test_api_malformed_postcode_is_422(client, bad):
    response = client.get(f"/api/v1/geo/postcodes/{bad}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_postcode"
    assert response.json()["field"] == "postcode"
