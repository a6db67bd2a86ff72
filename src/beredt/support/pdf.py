"""The one-page contact sheet of a municipality: its lines and the region's, with numbers,
hours and whether a referral is needed (from the directory)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from beredt.directory import selectors as directory

from .pdfbase import FONT, heading, new_pdf, output, paragraph


def _rows(pdf, lines) -> None:
    for line in lines:
        service = line.service
        phones = ", ".join(p.display for p in line.phones) or "–"
        pdf.set_font(FONT, "B", 10.5)
        pdf.multi_cell(0, 5, f"{service.name}  ·  {phones}", new_x="LMARGIN", new_y="NEXT")
        details = [service.provider.name]
        if line.hours:
            details.append(_("Hours: %(hours)s") % {"hours": line.hours})
        if service.get_visitation_display() and service.visitation:
            details.append(str(service.get_visitation_display()))
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.3, "  ·  ".join(details), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)


def contact_sheet(municipality_code) -> bytes:
    sheet = directory.contact_sheet(municipality_code)
    title = _("Contact sheet – %(municipality)s") % {"municipality": sheet.municipality.name}
    pdf = new_pdf(title=title)
    heading(pdf, title, size=16)
    paragraph(pdf, _("Printed %(date)s. Check the numbers in Beredt before an activation.")
              % {"date": date_format(timezone.localdate(), "j. F Y")}, size=9)
    paragraph(pdf, _("Danger to life: 112. Suicidal thoughts: Livslinien 70 201 201. "
                     "Children: Børnetelefonen 116 111."), bold=True)
    heading(pdf, _("The municipality's lines"), size=12)
    if sheet.lines:
        _rows(pdf, sheet.lines)
    else:
        paragraph(pdf, _("No lines registered in the directory."))
    heading(pdf, _("The region's lines"), size=12)
    if sheet.region_lines:
        _rows(pdf, sheet.region_lines)
    else:
        paragraph(pdf, _("No lines registered in the directory."))
    return output(pdf)
