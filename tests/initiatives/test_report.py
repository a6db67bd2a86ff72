"""The committee paper: refused with a list of what is missing, written in the seed's
layout as PDF and DOCX, every version kept with its content hash."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from beredt.core.errors import Forbidden, ValidationFailed
from beredt.initiatives import services
from beredt.initiatives.models import CommitteeReport
from beredt.initiatives.periods import Quarter

pytestmark = pytest.mark.django_db


def _all_statuses(recs, by, quarter="2024Q2"):
    for rec in recs:
        services.report_status(by=by, recommendation=rec, quarter=quarter, light="green",
                               text=f"Status for {rec.title}", next_steps="Næste trin")


def _explain(initiative, by):
    services.explain_difference(by=by, initiative=initiative, year=2025,
                                explanation="Dækkes af psykiatriens egen ramme.")


def test_missing_statuses_are_listed(tryghed, people, committee):
    initiative, recs = tryghed
    _explain(initiative, people.lead)
    _all_statuses(recs[:3], people.lead)
    with pytest.raises(services.ReportNotReady) as caught:
        services.generate_report(by=people.secretary, committee=committee, quarter="2024Q2",
                                 format="pdf")
    assert caught.value.code == "missing_statuses"
    assert [m["recommendation_id"] for m in caught.value.missing] == [str(r.pk) for r in recs[3:]]
    assert "Anbefaling 20" in str(caught.value.message)
    assert not CommitteeReport.objects.exists()


def test_unexplained_difference_blocks_the_report(tryghed, people, committee):
    _initiative, recs = tryghed
    _all_statuses(recs, people.lead)
    with pytest.raises(services.ReportNotReady) as caught:
        services.generate_report(by=people.secretary, committee=committee, quarter="2024Q2",
                                 format="pdf")
    assert caught.value.code == "unexplained_difference"
    assert [u["year"] for u in caught.value.unexplained] == [2025]


def test_nothing_to_report(committee, people):
    with pytest.raises(services.ReportNotReady) as caught:
        services.check_ready(committee=committee, quarter=Quarter(2024, 2))
    assert caught.value.code == "nothing_to_report"


def test_only_the_secretary_generates(tryghed, people, committee):
    initiative, recs = tryghed
    _explain(initiative, people.lead)
    _all_statuses(recs, people.lead)
    for user in (people.controller, people.lead, people.member, people.outsider):
        with pytest.raises(Forbidden):
            services.generate_report(by=user, committee=committee, quarter="2024Q2",
                                     format="pdf")
    with pytest.raises(ValidationFailed) as caught:
        services.generate_report(by=people.secretary, committee=committee, quarter="2024Q2",
                                 format="odt")
    assert caught.value.code == "bad_format"


def test_pdf_in_the_seed_layout_and_versions(tryghed, people, committee):
    initiative, recs = tryghed
    _explain(initiative, people.lead)
    _all_statuses(recs, people.lead)
    services.save_note(by=people.lead, initiative=initiative, quarter="2024Q2",
                       text="Nedenfor er status for arbejdet.")
    first = services.generate_report(by=people.secretary, committee=committee,
                                     quarter="2024Q2", format="pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(first.file))).pages)
    flat = " ".join(text.split())
    for expected in ("Opfølgning på budgetinitiativer 2024 til Social- og psykiatriudvalget",
                     "1. Tryghedspakke (Psykiatri)", "Budgetinitiativ",
                     "Beskrivelse af indsatsen", "Status for initiativet efter 2. kvartal",
                     "Anbefaling 8:", "Anbefaling 21:", "1,2 mio. kr. årligt",
                     "100.000 kr. årligt", "forskel 400.000 kr.",
                     "Dækkes af psykiatriens egen ramme.", "Nedenfor er status for arbejdet."):
        assert expected in flat, expected
    assert first.version == 1 and first.generated_by == people.secretary
    again = services.generate_report(by=people.secretary, committee=committee,
                                     quarter="2024Q2", format="docx")
    assert again.version == 2 and again.content_hash == first.content_hash
    services.report_status(by=people.lead, recommendation=recs[0], quarter="2024Q2",
                           light="red", text="Forsinket")
    changed = services.generate_report(by=people.secretary, committee=committee,
                                       quarter="2024Q2", format="pdf")
    assert changed.version == 3 and changed.content_hash != first.content_hash
    assert changed.content["initiatives"][0]["recommendations"][0]["light"] == "red"


def test_docx_is_editable_word(tryghed, people, committee):
    initiative, recs = tryghed
    _explain(initiative, people.lead)
    _all_statuses(recs, people.lead)
    generated = services.generate_report(by=people.secretary, committee=committee,
                                         quarter="2024Q2", format="docx")
    document = Document(io.BytesIO(bytes(generated.file)))
    headings = [p.text for p in document.paragraphs]
    assert headings[0].startswith("Opfølgning på budgetinitiativer 2024")
    assert "1. Tryghedspakke (Psykiatri)" in headings
    labels = [row.cells[0].text for row in document.tables[0].rows]
    assert labels == ["Budgetinitiativ", "Beskrivelse af indsatsen", "Økonomi",
                      "Status for initiativet efter 2. kvartal"]
    assert "Anbefaling 19:" in document.tables[0].rows[3].cells[1].text
