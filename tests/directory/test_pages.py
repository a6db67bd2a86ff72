"""The public page, the contact sheet, the staff catalogue and the CSV import page."""

import pytest
from django.urls import reverse

from beredt.directory.services import seed_uuid
from beredt.organisations.models import Role

pytestmark = pytest.mark.usefixtures("seeded")


def test_help_now_is_public_and_lists_who_answers(client):
    response = client.get(reverse("directory:help_now"),
                          {"kommune": "730", "tid": "2026-12-31T23:30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hvem kan hjælpe nu?" in html
    assert 'href="tel:+4524900911"' in html  # the night line, open
    assert "Åben til 08:00" in html
    assert "7847 0470" in html and "7847 5352" not in html  # citizens' region line only
    assert html.index("2490 0911") < html.index("7847 0470") < html.index("2974 9020")


def test_help_now_for_a_municipality_without_lines(client):
    html = client.get(reverse("directory:help_now"), {"kommune": "101"}).content.decode()
    assert "Vi har endnu ingen linjer for København" in html


def test_help_now_shows_the_holiday(client):
    html = client.get(reverse("directory:help_now"),
                      {"kommune": "730", "tid": "2026-12-25T10:00"}).content.decode()
    assert "Juledag" in html


def test_postcode_with_one_municipality_goes_straight_to_it(client):
    html = client.get(reverse("directory:help_now"), {"postnummer": "8900"}).content.decode()
    assert "Randers" in html and "2974 9020" in html


def test_postcode_spanning_municipalities_offers_the_candidates(client):
    html = client.get(reverse("directory:help_now"), {"postnummer": "2750"}).content.decode()
    assert "dækker flere kommuner" in html
    assert "?kommune=151" in html and "?kommune=165" in html


@pytest.mark.parametrize(("params", "message"), [
    ({"postnummer": "12"}, "fire cifre"), ({"postnummer": "0001"}, "kender ikke"),
    ({"kommune": "999"}, "999"), ({"kommune": "730", "tid": "nonsense"}, "nonsense"),
])
def test_help_now_bad_input_is_explained_not_a_500(client, params, message):
    response = client.get(reverse("directory:help_now"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_contact_sheet_is_public_and_printable(client):
    html = client.get(reverse("directory:sheet", args=[706])).content.decode()
    assert "8753 5000" in html and "5135 6476" in html
    assert "7847 0470" in html and "7847 5352" in html
    assert "Randers" not in html.split("<article")[1]
    assert client.get(reverse("directory:sheet", args=[999])).status_code == 404
    picked = client.get(reverse("directory:sheet_pick"), {"kommune": "710"})
    assert picked.status_code == 302 and picked.url == reverse("directory:sheet", args=[710])


def test_catalogue_needs_login(client):
    response = client.get(reverse("directory:catalogue"))
    assert response.status_code == 302 and "login" in response.url


def test_catalogue_filters(client, make_user, orgs):
    client.force_login(make_user("viewer", roles=[(orgs.centre, Role.VIEWER)]))
    html = client.get(reverse("directory:catalogue"),
                      {"municipality": "707", "legal_basis": "SL §104"}).content.decode()
    assert "AUC – aktivitet og udvikling" in html and "No 17 i Auning" in html
    assert "Dolmer Have" not in html
    assert "Importér CSV" not in html  # viewers do not edit


def test_detail_shows_the_source_note(client, make_user):
    client.force_login(make_user("reader"))
    html = client.get(reverse("directory:detail", args=[seed_uuid("norddjurs-no17")])).content
    assert "Man-ons-fre" in html.decode()


def test_import_page_for_administrators_shows_row_errors(client, make_user, orgs):
    admin = make_user("adm", roles=[(orgs.kommune, Role.ADMINISTRATOR)])
    viewer = make_user("view", roles=[(orgs.kommune, Role.VIEWER)])
    client.force_login(viewer)
    assert client.get(reverse("directory:import")).status_code == 403
    client.force_login(admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("d.csv", b"provider,name,municipality_code\nX,,730\n")
    html = client.post(reverse("directory:import"), {"file": upload}).content.decode()
    assert "<td class=\"num\">2</td><td>name</td>" in html
    good = SimpleUploadedFile("d.csv", b"provider,name,municipality_code\nX,Ny,730\n")
    response = client.post(reverse("directory:import"), {"file": good})
    assert response.status_code == 302


def test_nav_has_the_directory(client, make_user):
    client.force_login(make_user("navuser"))
    html = client.get(reverse("directory:catalogue")).content.decode()
    assert f'href="{reverse("directory:catalogue")}"' in html
