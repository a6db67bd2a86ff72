"""The printable registration and consent form (Danish and English)."""

import io
import re

import pytest
from pypdf import PdfReader

from beredt.registry import pdf


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(bytes(data))).pages]


@pytest.mark.parametrize(("lang", "expected"), [
    ("da", ["Registrering af berørte og samtykke", "Blanketnummer", "CPR-nummer",
            "Bopælskommune", "Digital Post (e-Boks)", "Underskrift", "Vidne",
            "forældremyndighedsindehaveren"]),
    ("en", ["Registration of affected people and consent", "Form number", "CPR number",
            "Residence municipality", "Digital mail (e-Boks)", "Signature", "Witness"]),
])
def test_form_in_both_languages(lang, expected):
    text = _text(pdf.registration_form(lang=lang, numbers=["BF-ABCD-EFGH"],
                                       incident_title="Brand i Randers"))[0]
    for phrase in expected:
        assert phrase in text, phrase
    assert "BF-ABCD-EFGH" in text and "Brand i Randers" in text


def test_each_copy_has_its_own_form_number():
    pages = _text(pdf.registration_form(lang="da", copies=3))
    numbers = {re.search(r"BF-[A-Z0-9]{4}-[A-Z0-9]{4}", p).group(0) for p in pages}
    assert len(pages) == 3 and len(numbers) == 3


def test_pdf_view(client, registrar, incident):
    client.force_login(registrar)
    response = client.get("/registry/form.pdf", {"lang": "en", "copies": "2",
                                                 "incident": str(incident.pk)})
    assert response["Content-Type"] == "application/pdf"
    pages = _text(response.content)
    assert len(pages) == 2 and "Brand i Randers" in pages[0]
    assert client.get("/registry/form.pdf?lang=xx&copies=x").status_code == 200
