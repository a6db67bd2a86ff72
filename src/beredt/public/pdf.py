"""The leaflet on crisis reactions for citizens, in any of the five public languages:
normal reactions (from the reviewed text), where to get help in the municipality (from the
directory), the incident's information line and a QR code to its public page."""

from __future__ import annotations

from beredt.support.pdfbase import heading, new_pdf, output, paragraph, qr_png

from . import content, help


def reaction_sections(lang: str) -> list[tuple[str, list[str]]]:
    """The headed bullet lists of the reviewed 'reactions' text."""
    text = (content.CONTENT_DIR / lang / "reactions.md").read_text(encoding="utf-8")
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif line.startswith("- ") and sections:
            sections[-1][1].append(line[2:].strip())
    return [s for s in sections if s[1]]


def leaflet(*, lang: str, url: str, municipality_code: int | None = None,
            page=None) -> bytes:
    lang_obj = content.language(lang)
    ui = lang_obj.ui
    rtl = lang_obj.direction == "rtl"
    align = "R" if rtl else "L"
    pdf = new_pdf(title=ui["site_name"], rtl=rtl)
    heading(pdf, ui["site_name"], size=17, align=align)
    if page is not None:
        paragraph(pdf, page.title, size=12, bold=True, align=align)
    paragraph(pdf, ui["intro"], align=align)
    paragraph(pdf, ui["emergency"], bold=True, align=align)
    reactions = lang_obj.reactions_topic
    heading(pdf, reactions.title, size=13, align=align)
    for title, items in reaction_sections(lang):
        paragraph(pdf, title, bold=True, align=align)
        paragraph(pdf, " · ".join(items), size=9.5, align=align)
    heading(pdf, ui["help_heading"], size=13, align=align)
    if page is not None and page.hotline_phone:
        paragraph(pdf, f"{ui['hotline']}: {page.hotline_phone}  {page.hotline_hours}".strip(),
                  bold=True, align=align)
    if page is not None and page.epc_location:
        paragraph(pdf, f"{ui['epc']}: {page.epc_location}", align=align)
    lines = help.contact_lines(municipality_code) if municipality_code else None
    if lines:
        name, rows = lines
        paragraph(pdf, ui["help_page_title"].format(municipality=name), bold=True, align=align)
        for service, phone, hours in rows[:12]:
            paragraph(pdf, "  ".join(x for x in (service, phone, hours) if x), size=9.5,
                      align=align)
    paragraph(pdf, lang_obj.get_help_topic.summary, size=9.5, align=align)
    if page is not None and page.self_registration_open:
        paragraph(pdf, ui["selfreg_heading"], bold=True, align=align)
        paragraph(pdf, ui["selfreg_intro"], size=9.5, align=align)
    if pdf.get_y() > 230:
        pdf.add_page()
    y = pdf.get_y() + 2
    pdf.image(qr_png(url), x=pdf.l_margin, y=y, w=38, h=38)
    pdf.set_xy(pdf.l_margin + 42, y + 14)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 4.5, url, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(y + 42)
    paragraph(pdf, lang_obj.review, size=7.5, align=align)
    return output(pdf)
