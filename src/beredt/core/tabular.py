"""Spreadsheet files in and out: one place that reads uploaded CSV safely and writes CSV
that no spreadsheet program runs as a formula.

Reading (:func:`read_csv`): bare carriage returns are line ends (Mac/Excel exports), a cell
longer than :data:`MAX_CELL_CHARS` or a file the ``csv`` module cannot parse is refused with
a :class:`~beredt.core.errors.ValidationFailed` of a stable code, never a 500.
:func:`check_cells` refuses NUL and other control characters, which no
person types and which PostgreSQL cannot store in text (a batch holding one could never be
committed).

Writing (:func:`spreadsheet_safe`, :func:`csv_text`): a value that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return — also after leading spaces or quotes — is
prefixed with ``'`` (OWASP "CSV injection"), so ``=HYPERLINK(…)`` from a public
self-registration stays text in Excel and LibreOffice. Every CSV/XLSX export goes through
these two functions.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from .errors import ValidationFailed

MAX_CELL_CHARS = 10_000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_csv(text: str, *, delimiters: str = ",;\t", field: str = "file") -> list[list[str]]:
    """Rows of an uploaded CSV text (BOM removed, delimiter sniffed from the first lines)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=delimiters)
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = list(reader)
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise _too_long(reader.line_num, field) from None
        raise ValidationFailed(
            _("The CSV file could not be read (line %(line)d).") % {"line": reader.line_num},
            code="unreadable_csv", field=field) from None
    return rows


def _too_long(line: int, field: str) -> ValidationFailed:
    return ValidationFailed(
        _("A cell on line %(line)d is longer than %(n)d characters.")
        % {"line": line, "n": MAX_CELL_CHARS}, code="cell_too_long", field=field)


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))


def check_cells(rows: Iterable[Sequence], *, first_row: int = 1, field: str = "file") -> None:
    """ValidationFailed naming the first row with a cell longer than MAX_CELL_CHARS
    (``cell_too_long``) or with a NUL or another control character (``control_characters``;
    tab, line feed and carriage return are allowed). Cells that are not text are skipped."""
    for number, row in enumerate(rows, start=first_row):
        texts = [c for c in row if isinstance(c, str)]
        if any(len(c) > MAX_CELL_CHARS for c in texts):
            raise _too_long(number, field)
        if any(has_control_characters(c) for c in texts):
            raise ValidationFailed(
                _("Row %(row)d holds control characters (binary data); save the file as "
                  "text and try again.") % {"row": number},
                code="control_characters", field=field)


def spreadsheet_safe(value):
    """``value`` as a spreadsheet shows it as text: formulas get a leading ``'``."""
    if not isinstance(value, str):
        return value
    if value.lstrip(" \"'").startswith(FORMULA_TRIGGERS) or value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_text(rows: Iterable[dict], *, fieldnames: Sequence[str], **writer_options) -> str:
    """A CSV document (header + rows) with every cell passed through spreadsheet_safe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), **writer_options)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return out.getvalue()
