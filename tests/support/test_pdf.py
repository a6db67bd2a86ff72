"""Printed material, checked by extracting the PDF text with pypdf."""

import io

import pytest
from pypdf import PdfReader

from beredt.directory.services import load_seed_003
from beredt.public import services as public_services
from beredt.support import pdf


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def directory(db):
    load_seed_003()


def test_contact_sheet_lists_the_municipality_and_region_lines(directory):
    text = text_of(pdf.contact_sheet(730))
    assert "Randers" in text
    assert "2974 9020" in text and "2490 0783" in text  # Randers' lines (seed 003)
    assert "7847 0470" in text  # Regionspsykiatrien, the region's line
    assert "112" in text and "70 201 201" in text
    assert "Syddjurs" not in text


def test_contact_sheet_view(client, make_user, directory):
    client.force_login(make_user())
    response = client.get("/support/print/contact-sheet.pdf?municipality=706")
    assert response["Content-Type"] == "application/pdf"
    assert "5135 6476" in text_of(response.content)  # Syddjurs akuttelefon
    assert client.get("/support/print/contact-sheet.pdf?municipality=x").status_code == 302


def test_leaflet_has_reactions_numbers_and_qr_link_to_the_incident_page(
        client, kop, orgs, directory):
    from beredt.incidents import services as incident_services

    incident, _ = incident_services.create_incident(
        by=kop, title="Brand", kind="fire", municipality_code=730,
        lead_organisation_id=orgs.dept_a.pk)
    page = public_services.save_incident_page(by=kop, incident=incident, publish=True, data={
        "title": "Brand på havnen", "what_happened": "Brand i lagerhal.",
        "hotline_phone": "8915 1515", "hotline_hours": "kl. 8-22"})
    client.force_login(kop)
    response = client.get(f"/public-pages/leaflet.pdf?incident={incident.pk}&lang=da")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Brand på havnen" in text and "8915 1515" in text
    assert "Hjertebanken" in text and "Mareridt" in text  # body and sleep reactions
    assert "2974 9020" in text  # the incident municipality's line from the directory
    assert f"/hjaelp/da/h/{page.slug}/" in text  # the address the QR code holds
    assert any(page.images for page in reader.pages)  # the QR code


@pytest.mark.parametrize(("lang", "word"), [("ar", "الطبيعية"), ("uk", "Сон"), ("pl", "Sen"),
                                            ("en", "Sleep")])
def test_leaflet_in_other_languages(client, make_user, lang, word):
    client.force_login(make_user())
    response = client.get(f"/public-pages/leaflet.pdf?lang={lang}")
    text = text_of(response.content)
    assert word in text and f"/hjaelp/{lang}/" in text


def test_leaflet_ignores_an_incident_the_user_cannot_see(client, make_user, kop, orgs):
    from beredt.incidents import services as incident_services

    incident, _ = incident_services.create_incident(
        by=kop, title="Hemmelig", kind="fire", municipality_code=730,
        lead_organisation_id=orgs.dept_a.pk)
    public_services.save_incident_page(by=kop, incident=incident, publish=False, data={
        "title": "Hemmelig side", "what_happened": "x"})
    client.force_login(make_user())
    text = text_of(client.get(f"/public-pages/leaflet.pdf?incident={incident.pk}").content)
    assert "Hemmelig" not in text


@pytest.mark.django_db
def test_leaflet_needs_login(client):
    assert client.get("/public-pages/leaflet.pdf").status_code == 302
