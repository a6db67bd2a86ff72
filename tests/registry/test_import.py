"""Bulk entry from CSV/XLSX: a report per row, then all valid rows or nothing."""

import io

import pytest
from openpyxl import Workbook

from beredt.core.errors import Conflict, ValidationFailed
from beredt.registry import imports, services
from beredt.registry.models import ImportBatch, Registration

CSV = (
    "navn;rolle;cpr;telefon;postnummer;samtykke_registrering;opfølgning_kanaler;blanketnummer\n"
    "Anna Holm;tilskadekommen;010190-1234;22113344;8900;ja;telefon,sms;BF-0001\n"
    "Bo Berg;vidne;;;8000;ja;;BF-0002\n"
    "Carl Dam;vidne;320190-1234;;;ja;;BF-0003\n"          # row 4: bad CPR
    ";pårørende;;;8900;nej;;BF-0004\n"                      # row 5: no name
    "Dorte Eg;andet;;;0001;ja;email;BF-0005\n"              # row 6: bad postcode + no e-mail
    "Erik Fro;vidne;;;;måske;;BF-0006\n"                     # row 7: bad consent answer
)


@pytest.fixture
def point(incident):
    return services.registration_point(incident=incident, kind="paper")


def _check(registrar, incident, point, content=None, name="liste.csv"):
    return imports.check_file(incident=incident, point=point, by=registrar, filename=name,
                              content=CSV.encode() if content is None else content)


def test_report_names_row_field_and_reason(registrar, incident, point):
    batch = _check(registrar, incident, point)
    assert (batch.total_rows, batch.valid_rows) == (6, 2)
    found = {(p["row"], p["field"], p["code"]) for p in batch.report}
    assert (4, "cpr", "invalid_cpr") in found
    assert (5, "full_name", "required") in found
    assert (6, "postcode", "unknown_postcode") in found
    assert (6, "channels", "channel_needs_email") in found
    assert (7, "consent_registration", "invalid_choice") in found
    assert all(p["reason"] for p in batch.report)
    assert "Carl" not in str(batch.report) and "320190" not in str(batch.report)
    assert not Registration.objects.exists()  # nothing imported before the decision


def test_valid_only_imports_valid_rows_and_keeps_report(registrar, incident, point):
    batch = imports.commit(batch=_check(registrar, incident, point), by=registrar,
                           mode="valid_only")
    assert batch.status == "imported" and batch.imported_rows == 2
    anna = Registration.objects.get(paper_form_number="BF-0001")
    assert anna.full_name == "Anna Holm" and anna.role == "injured"
    assert anna.residence_municipality_id == 730
    assert {c.kind for c in anna.consents.all()} == {"registration", "followup_contact"}
    assert anna.consents.get(kind="followup_contact").channels == ["phone", "sms"]
    assert anna.point.kind == "paper"
    assert len({p["row"] for p in batch.report}) == 4
    with pytest.raises(Conflict):
        imports.commit(batch=batch, by=registrar, mode="valid_only")
    assert Registration.objects.count() == 2


def test_all_or_nothing_with_broken_rows_imports_nothing(registrar, incident, point):
    batch = imports.commit(batch=_check(registrar, incident, point), by=registrar,
                           mode="all_or_nothing")
    assert batch.status == "discarded" and batch.imported_rows == 0
    assert not Registration.objects.exists()


def test_all_or_nothing_with_a_clean_file_imports_all(registrar, incident, point):
    clean = "\n".join(CSV.splitlines()[:3]) + "\n"
    batch = imports.commit(batch=_check(registrar, incident, point, clean.encode()),
                           by=registrar, mode="all_or_nothing")
    assert batch.imported_rows == 2 and Registration.objects.count() == 2


def test_xlsx(registrar, incident, point):
    book = Workbook()
    sheet = book.active
    sheet.append(["full_name", "role", "phone", "postcode", "consent_registration"])
    sheet.append(["Anna Holm", "injured", "22113344", "8900", "yes"])
    sheet.append(["Bo Berg", "witness", "12", "8000", "yes"])
    buffer = io.BytesIO()
    book.save(buffer)
    batch = _check(registrar, incident, point, buffer.getvalue(), "liste.xlsx")
    assert batch.valid_rows == 1
    assert [(p["row"], p["field"]) for p in batch.report] == [(3, "phone")]


def test_unreadable_files(registrar, incident, point):
    with pytest.raises(ValidationFailed) as exc:
        _check(registrar, incident, point, b"telefon;adresse\n1;2\n")
    assert exc.value.code == "missing_column"
    with pytest.raises(ValidationFailed):
        _check(registrar, incident, point, b"not a zip", "x.xlsx")
    assert not ImportBatch.objects.exists()


def test_import_pages(client, registrar, incident):
    client.force_login(registrar)
    upload = io.BytesIO(CSV.encode())
    upload.name = "liste.csv"
    response = client.post(f"/registry/incidents/{incident.pk}/import/",
                           {"point": "new:paper", "file": upload})
    assert response.status_code == 302
    review = client.get(response["Location"])
    assert review.status_code == 200
    text = review.content.decode()
    assert ("320190" not in text and "Ugyldig" in text) or "CPR" in text
    batch = ImportBatch.objects.get()
    client.post(f"/registry/imports/{batch.pk}/commit/", {"mode": "valid_only"})
    assert Registration.objects.count() == 2


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("caps", "rows", "code"), [
    # A file that unpacks to more than the cap.
    ({"MAX_XLSX_UNPACKED_BYTES": 100_000}, [["navn"]] + [[f"{n}" + "x" * 5000] for n in range(30)],
     "file_too_large"),
    # One shared string referenced by every cell: small on disk, huge once read.
    ({"MAX_XLSX_UNPACKED_BYTES": 60_000}, [["navn"]] + [["y" * 5000]] * 20, "file_too_large"),
    ({"MAX_ROWS": 10, "MAX_TRAILING_EMPTY_ROWS": 5}, [["navn"]] + [["Anna"]] * 100,
     "too_many_rows"),
    ({"MAX_CELLS": 20}, [["navn", "telefon", "rolle"]] + [["Anna", "1", "vidne"]] * 10,
     "too_many_cells"),
])
def test_xlsx_caps(monkeypatch, caps, rows, code):
    for name, value in caps.items():
        monkeypatch.setattr(imports, name, value)
    with pytest.raises(ValidationFailed) as caught:
        imports.read_rows("liste.xlsx", _xlsx(rows))
    assert caught.value.code == code


def test_xlsx_row_bomb_stops_reading_at_the_cap(monkeypatch):
    """The parse is streamed: reading stops at the first row over the cap."""
    monkeypatch.setattr(imports, "MAX_ROWS", 10)
    monkeypatch.setattr(imports, "MAX_TRAILING_EMPTY_ROWS", 0)
    seen = []
    from openpyxl.worksheet import _read_only

    original = _read_only.ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            seen.append(1)
            yield row

    monkeypatch.setattr(_read_only.ReadOnlyWorksheet, "_cells_by_row", counting)
    with pytest.raises(ValidationFailed):
        imports.read_rows("liste.xlsx", _xlsx([["navn"]] + [["Anna"]] * 500))
    assert len(seen) <= 12


def test_a_file_over_the_size_cap_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ValidationFailed) as caught:
        imports.read_rows("liste.csv", ("navn\n" + "Anna\n" * 300).encode())
    assert caught.value.code == "file_too_large"
