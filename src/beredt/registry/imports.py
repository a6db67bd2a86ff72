"""Bulk entry of paper registration lists from CSV or XLSX.

Two steps, so nothing is ever dropped silently:

1. :func:`check_file` parses the file, validates every row exactly like the registration
   form (:func:`services.clean_person`, :func:`services.clean_consent`) and stores the
   rows (encrypted) with a report ``[{"row", "field", "code", "reason"}]`` — row numbers as
   the spreadsheet shows them (the header is row 1). The report holds no personal values.
2. :func:`commit` imports either every valid row (mode ``valid_only``; the rejected rows
   stay listed in the report) or nothing unless all rows are valid (``all_or_nothing``).
   Each row gets a client id derived from the batch and the row number, so committing twice
   cannot duplicate anybody.

Columns (Danish or English headers, any order; only the name is required):
``full_name|navn``, ``role|rolle``, ``cpr``, ``birth_date|fødselsdato``, ``phone|telefon``,
``email|e-mail``, ``address|adresse``, ``postcode|postnummer``, ``need|behov``,
``paper_form_number|blanketnummer``, ``consent_registration|samtykke_registrering``
(ja/nej, yes/no), ``followup_channels|opfølgning_kanaler`` (e.g. ``phone,sms``),
``guardian_name|værge``.
"""

from __future__ import annotations

import io
import json
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.core import audit, tabular
from beredt.core.audit import AuditAction
from beredt.core.errors import Conflict, Forbidden, ValidationFailed

from . import selectors, services
from .models import ConsentGiver, ConsentKind, ConsentMethod, ImportBatch, ImportStatus

MAX_ROWS = 5000
# Caps against decompression and row bombs (a 103 KB XLSX once became a 140 MB row).
MAX_FILE_BYTES = 10_000_000
MAX_XLSX_UNPACKED_BYTES = 20_000_000
MAX_CELLS = MAX_ROWS * 40
MAX_TRAILING_EMPTY_ROWS = 1000
HEADERS = {
    "full_name": "full_name", "navn": "full_name", "name": "full_name",
    "role": "role", "rolle": "role", "cpr": "cpr", "cpr_nummer": "cpr",
    "birth_date": "birth_date", "fødselsdato": "birth_date",
    "phone": "phone", "telefon": "phone", "email": "email", "e_mail": "email",
    "address": "address", "adresse": "address", "postcode": "postcode",
    "postnummer": "postcode", "need": "need", "behov": "need",
    "paper_form_number": "paper_form_number", "blanketnummer": "paper_form_number",
    "consent_registration": "consent_registration",
    "samtykke_registrering": "consent_registration",
    "followup_channels": "followup_channels", "opfølgning_kanaler": "followup_channels",
    "guardian_name": "guardian_name", "værge": "guardian_name",
    "preferred_language": "preferred_language", "sprog": "preferred_language",
}
YES = {"ja", "j", "yes", "y", "x", "1", "true"}
NO = {"", "nej", "n", "no", "0", "false"}
# Danish words people write on paper lists, mapped to the codes.
ROLE_WORDS = {"tilskadekommen": "injured", "involveret": "uninjured", "pårørende": "relative",
              "vidne": "witness", "personale": "staff", "andet": "other"}
CHANNEL_WORDS = {"telefon": "phone", "mail": "email", "e-mail": "email", "eboks": "digital_mail",
                 "e-boks": "digital_mail", "digital post": "digital_mail"}


def _header_key(value) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _xlsx_table(content: bytes) -> list[list]:
    """The first sheet's rows, streamed (openpyxl read-only) and stopped at the caps: a
    small file that unpacks to hundreds of megabytes, or holds a million rows, is refused
    before it is read."""
    import zipfile

    from openpyxl import load_workbook

    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, ValueError):
        unpacked = None
    if unpacked is not None and unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _unpacks_too_big()
    table, cells, chars = [], 0, 0
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            for number, values in enumerate(book.active.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS + 1 + MAX_TRAILING_EMPTY_ROWS:
                    raise _too_many_rows()
                row = list(values)
                while row and row[-1] in (None, ""):
                    row.pop()
                cells += len(row)
                chars += sum(len(str(c)) for c in row if c is not None)
                if chars > MAX_XLSX_UNPACKED_BYTES:
                    raise _unpacks_too_big()
                if cells > MAX_CELLS:
                    raise ValidationFailed(_("The file has more than %(n)s cells.")
                                           % {"n": MAX_CELLS}, code="too_many_cells",
                                           field="file")
                table.append(row)
        finally:
            book.close()
    except ValidationFailed:
        raise
    except Exception as exc:
        raise ValidationFailed(_("The XLSX file could not be read."), code="unreadable",
                               field="file") from exc
    return table


def _unpacks_too_big() -> ValidationFailed:
    return ValidationFailed(_("The XLSX file unpacks to more than %(mb)d MB.")
                            % {"mb": MAX_XLSX_UNPACKED_BYTES // 1_000_000},
                            code="file_too_large", field="file")


def _too_many_rows() -> ValidationFailed:
    return ValidationFailed(_("At most %(n)s rows per file.") % {"n": MAX_ROWS},
                            code="too_many_rows", field="file")


def read_rows(filename: str, content: bytes) -> list[dict]:
    """Rows as dicts keyed by our field names; raises ValidationFailed for an unreadable,
    oversized or binary file or a missing name column."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationFailed(_("The file is larger than %(mb)d MB.")
                               % {"mb": MAX_FILE_BYTES // 1_000_000},
                               code="file_too_large", field="file")
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_table(content)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        table = tabular.read_csv(text, delimiters=";,\t")
    tabular.check_cells(table)
    while table and not any(str(c or "").strip() for c in table[-1]):
        table.pop()
    if not table:
        raise ValidationFailed(_("The file is empty."), code="empty", field="file")
    header = [HEADERS.get(_header_key(h), "") for h in table[0]]
    if "full_name" not in header:
        raise ValidationFailed(_("The file needs a column with the name (navn/full_name)."),
                               code="missing_column", field="file")
    if len(table) - 1 > MAX_ROWS:
        raise _too_many_rows()
    rows = []
    for values in table[1:]:
        row = {}
        for key, value in zip(header, values, strict=False):
            if key:
                if key == "birth_date" and hasattr(value, "isoformat"):
                    value = (value.date() if hasattr(value, "date") else value).isoformat()
                row[key] = "" if value is None else str(value).strip()
        rows.append(row)
    return rows


def _row_to_input(row: dict) -> tuple[dict, list[dict]]:
    data = dict(row)
    role = data.get("role", "").lower()
    data["role"] = ROLE_WORDS.get(role, role)
    data["residence"] = "municipality" if data.get("postcode") else "unknown"
    consents = []
    answer = data.pop("consent_registration", "").lower()
    channels_text = data.pop("followup_channels", "")
    guardian = data.pop("guardian_name", "")
    base = {"method": ConsentMethod.SIGNED_PAPER,
            "given_by": ConsentGiver.GUARDIAN if guardian else ConsentGiver.PERSON,
            "guardian_name": guardian, "paper_form_number": data.get("paper_form_number", "")}
    if answer in YES:
        consents.append({**base, "kind": ConsentKind.REGISTRATION})
    channels = [CHANNEL_WORDS.get(c.strip().lower(), c.strip().lower())
                for c in channels_text.replace(";", ",").split(",") if c.strip()]
    if channels:
        consents.append({**base, "kind": ConsentKind.FOLLOWUP, "channels": channels})
    return data, consents


def _problems_of(row: dict) -> list[services.Problem]:
    answer = row.get("consent_registration", "").strip().lower()
    problems = []
    if answer not in YES | NO:
        problems.append(services.Problem("consent_registration", "invalid_choice",
                                         _("Write ja or nej.")))
    data, consents = _row_to_input(row)
    cleaned, person_problems = services.clean_person(data)
    problems += person_problems
    if consents and consents[0]["kind"] != ConsentKind.REGISTRATION:
        problems.append(services.Problem("followup_channels", "registration_consent_required",
                                         _("Consent to registration comes first.")))
    for consent in consents:
        _c, consent_problems = services.clean_consent(consent, person=cleaned)
        problems += consent_problems
    return problems


def check_file(*, incident, point, by, filename: str, content: bytes) -> ImportBatch:
    if not selectors.can_register(by, incident):
        raise Forbidden(_("You are not deployed to register people in this incident."))
    rows = read_rows(filename, content)
    report, valid = [], 0
    for number, row in enumerate(rows, start=2):
        problems = _problems_of(row)
        if not any(v for v in row.values()):
            problems = [services.Problem("", "empty_row", _("The row is empty."))]
        valid += not problems
        report += [{"row": number, "field": p.field, "code": p.code, "reason": p.reason}
                   for p in problems]
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            incident=incident, point=point, filename=filename[:200], rows=json.dumps(rows),
            report=report, total_rows=len(rows), valid_rows=valid, uploaded_by=by)
        audit.record(action=AuditAction.IMPORT, obj=batch, actor=by,
                     extra={"rows": len(rows), "valid": valid, "step": "checked"})
    return batch


def commit(*, batch: ImportBatch, by, mode: str) -> ImportBatch:
    """``mode``: ``valid_only`` or ``all_or_nothing``."""
    if mode not in {"valid_only", "all_or_nothing"}:
        raise ValidationFailed(_("Choose how to import."), code="invalid_choice", field="mode")
    if not selectors.can_register(by, batch.incident):
        raise Forbidden(_("You are not deployed to register people in this incident."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.VALIDATED:
            raise Conflict(_("This file has already been decided on."), code="already_decided")
        bad_rows = {item["row"] for item in batch.report}
        batch.mode, batch.decided_at = mode, timezone.now()
        if mode == "all_or_nothing" and bad_rows:
            batch.status, batch.imported_rows = ImportStatus.DISCARDED, 0
        else:
            imported = 0
            for number, row in enumerate(json.loads(batch.rows), start=2):
                if number in bad_rows:
                    continue
                data, consents = _row_to_input(row)
                _reg, created = services.register_person(
                    incident=batch.incident, by=by, point=batch.point, data=data,
                    consents=consents, client_id=uuid.uuid5(batch.pk, str(number)))
                imported += created
            batch.status, batch.imported_rows = ImportStatus.IMPORTED, imported
        batch.rows = "[]"  # the decided rows are registrations now (or discarded)
        batch.save()
        audit.record(action=AuditAction.IMPORT, obj=batch, actor=by,
                     extra={"mode": mode, "imported": batch.imported_rows, "step": "decided"})
    return batch
