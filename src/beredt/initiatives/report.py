"""The quarterly committee paper in the seed's layout, built from the data.

:func:`build_content` collects what is reported (JSON-serialisable, no timestamps, so the
same data gives the same hash); :func:`render` writes it as PDF (fpdf2, DejaVu fonts) or as
an editable Word document (python-docx). The paper is always in Danish.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors
from .figures import available_figures, figure_for
from .models import Light
from .periods import Quarter, kroner

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
LABEL_WIDTH = 44  # mm, the left column of the seed's two-column layout


def _amount_line(recommendation) -> str | None:
    amounts = {a.year: a.amount for a in recommendation.amounts.all()}
    if not amounts:
        return None
    values = set(amounts.values())
    if len(values) == 1:
        money = _("%(amount)s a year") % {"amount": kroner(values.pop())}
    else:
        money = ", ".join(_("%(amount)s in %(year)s") % {"amount": kroner(v), "year": y}
                          for y, v in sorted(amounts.items()))
    line = _("%(money)s for ”%(title)s”") % {"money": money, "title": recommendation.title}
    if recommendation.number is not None:
        line += " " + _("(recommendation %(number)s)") % {"number": recommendation.number}
    return line


def _figure(recommendation, quarter, figures):
    found = figure_for(recommendation, quarter, figures=figures)
    if found is None:
        return None
    value = found["value"]
    return {"key": found["key"], "label": found["label"],
            "value": None if value is None else str(value)}


def _status(recommendation, quarter: Quarter, statuses: dict, figures: dict) -> dict:
    status = statuses.get(recommendation.pk)
    milestones = [{"title": m.title, "planned_quarter": m.planned_quarter, "done": m.is_done}
                  for m in recommendation.milestones.all()]
    return {
        "id": str(recommendation.pk),
        "number": recommendation.number,
        "heading": recommendation.heading,
        "responsible": recommendation.responsible_label,
        "light": status.light if status else None,
        "light_label": str(Light(status.light).label) if status else "",
        "text": status.text if status else "",
        "next_steps": status.next_steps if status else "",
        "figure": _figure(recommendation, quarter, figures),
        "milestones": milestones,
    }


def build_content(*, committee, quarter: Quarter, initiatives) -> dict:
    from .models import InitiativeNote, StatusReport

    figures = available_figures()
    running = [r for i in initiatives for r in i.running]
    statuses = {s.recommendation_id: s for s in
                StatusReport.objects.filter(recommendation__in=running, quarter=str(quarter))}
    notes = dict(InitiativeNote.objects.filter(initiative__in=initiatives, quarter=str(quarter))
                 .values_list("initiative_id", "text"))
    with translation.override("da"):
        years = sorted({i.budget_year for i in initiatives})
        items = []
        for position, initiative in enumerate(initiatives, start=1):
            lines = [line for r in initiative.recommendations.all()
                     if (line := _amount_line(r))]
            items.append({
                "id": str(initiative.pk),
                "position": position,
                "title": initiative.title,
                "budget_year": initiative.budget_year,
                "organisation": initiative.organisation.name,
                "purpose": initiative.purpose,
                "description": initiative.description,
                "approved": _approval(initiative),
                "recommendation_lines": lines,
                "economy": [{"year": c.year, "allocated": str(c.allocated),
                             "recommended": str(c.recommended),
                             "difference": str(c.difference), "explanation": c.explanation}
                            for c in selectors.allocation_check(initiative)],
                "note": notes.get(initiative.pk, ""),
                "recommendations": [_status(r, quarter, statuses, figures)
                                    for r in initiative.running],
            })
        return {
            "title": _("Follow-up on budget initiatives %(years)s to %(committee)s") % {
                "years": ", ".join(map(str, years)), "committee": committee.name},
            "committee": committee.name,
            "committee_id": committee.pk,
            "quarter": str(quarter),
            "status_label": _("Status of the initiative after quarter %(number)s")
            % {"number": quarter.number},
            "initiatives": items,
        }


def _approval(initiative) -> str:
    if not (initiative.approved_on or initiative.approved_by):
        return ""
    if not initiative.approved_on:
        return _("Approved by %(body)s.") % {"body": initiative.approved_by}
    day = date_format(initiative.approved_on, "j. F Y")
    if not initiative.approved_by:
        return _("Approved on %(date)s.") % {"date": day}
    return _("Approved by %(body)s on %(date)s.") % {"body": initiative.approved_by,
                                                     "date": day}


def economy_lines(item: dict) -> list[str]:
    """One line per year (allocation, recommendations, difference), then each explanation
    once with the years it covers."""
    lines, explained = [], {}
    for row in item["economy"]:
        difference = Decimal(row["difference"])
        line = _("%(year)s: allocated %(allocated)s, recommendations %(recommended)s") % {
            "year": row["year"], "allocated": kroner(Decimal(row["allocated"])),
            "recommended": kroner(Decimal(row["recommended"]))}
        if difference:
            line += " – " + _("difference %(difference)s") % {"difference": kroner(difference)}
            if row["explanation"]:
                explained.setdefault(row["explanation"], []).append(str(row["year"]))
        lines.append(line)
    for text, years in explained.items():
        lines.append(_("Explanation (%(years)s): %(text)s") % {"years": ", ".join(years),
                                                               "text": text})
    return lines


def status_lines(rec: dict) -> list[tuple[str, str]]:
    """``(style, text)`` for one recommendation's status: b = bold, '' = normal."""
    lines = [("b", rec["heading"]), ("", rec["text"])]
    if rec["next_steps"]:
        lines.append(("", _("Next: %(text)s") % {"text": rec["next_steps"]}))
    meta = [_("Status: %(light)s") % {"light": rec["light_label"]}]
    if rec["responsible"]:
        meta.append(_("Responsible: %(name)s") % {"name": rec["responsible"]})
    if rec["milestones"]:
        done = sum(1 for m in rec["milestones"] if m["done"])
        meta.append(_("Milestones: %(done)s of %(total)s done")
                    % {"done": done, "total": len(rec["milestones"])})
    figure = rec["figure"]
    if figure:
        value = figure["value"] if figure["value"] is not None else _("not available")
        meta.append(f"{figure['label']}: {value}")
    lines.append(("i", " · ".join(meta)))
    return lines


def render(content: dict, *, format: str) -> bytes:
    with translation.override("da"):
        return _render_docx(content) if format == "docx" else _render_pdf(content)


# --- PDF ---------------------------------------------------------------------------------

def _pdf():
    import logging

    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    folder = next((d for d in FONT_DIRS if (d / "DejaVuSans.ttf").exists()), None)
    if folder is None:  # pragma: no cover - only on a host without DejaVu
        raise RuntimeError("Install fonts-dejavu-core for the committee paper.")
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"),
                        ("I", "DejaVuSans-Oblique.ttf")):
        pdf.add_font("DejaVu", style, str(folder / name))
    return pdf


def _pdf_row(pdf, label: str, blocks: list[tuple[str, str]]) -> None:
    """A label in the left column, its text blocks in the right column."""
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(LABEL_WIDTH - 4, 5, label, align="L", new_x="LMARGIN", new_y="NEXT")
    label_bottom, label_page = pdf.get_y(), pdf.page
    pdf.set_xy(pdf.l_margin + LABEL_WIDTH, top)
    width = pdf.w - pdf.r_margin - pdf.l_margin - LABEL_WIDTH
    for style, text in blocks:
        if not text:
            continue
        pdf.set_x(pdf.l_margin + LABEL_WIDTH)
        size = 9 if style == "i" else 10
        pdf.set_font("DejaVu", style.upper(), size)
        pdf.multi_cell(width, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4 if style == "i" else 1.5)
    if pdf.page == label_page:
        pdf.set_y(max(pdf.get_y(), label_bottom))
    pdf.ln(2)


def _render_pdf(content: dict) -> bytes:
    pdf = _pdf()
    pdf.set_title(content["title"])
    pdf.set_creator("Beredt")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 7, content["title"], align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for item in content["initiatives"]:
        if pdf.get_y() > pdf.h - 70:
            pdf.add_page()
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 6, f"{item['position']}. {item['title']}", align="L",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        _pdf_row(pdf, _("Budget initiative"), [("", item["purpose"])])
        description = [("", item["description"])]
        description += [("", f"- {line}") for line in item["recommendation_lines"]]
        if item["approved"]:
            description.append(("i", item["approved"]))
        _pdf_row(pdf, _("Description of the effort"), description)
        _pdf_row(pdf, _("Finances"), [("", line) for line in economy_lines(item)])
        blocks = [("", item["note"])]
        for rec in item["recommendations"]:
            blocks += status_lines(rec)
        _pdf_row(pdf, content["status_label"], blocks)
        pdf.ln(4)
    return bytes(pdf.output())


# --- DOCX --------------------------------------------------------------------------------

def _render_docx(content: dict) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    document.core_properties.title = content["title"]
    document.core_properties.author = "Beredt"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(content["title"], level=1)
    for item in content["initiatives"]:
        document.add_heading(f"{item['position']}. {item['title']}", level=2)
        table = document.add_table(rows=0, cols=2)
        description = [("", item["description"])]
        description += [("", f"- {line}") for line in item["recommendation_lines"]]
        if item["approved"]:
            description.append(("i", item["approved"]))
        blocks = [("", item["note"])]
        for rec in item["recommendations"]:
            blocks += status_lines(rec)
        rows = [(_("Budget initiative"), [("", item["purpose"])]),
                (_("Description of the effort"), description),
                (_("Finances"), [("", line) for line in economy_lines(item)]),
                (content["status_label"], blocks)]
        for label, parts in rows:
            left, right = table.add_row().cells
            left.width, right.width = Cm(4.4), Cm(12.6)
            left.paragraphs[0].add_run(label).bold = True
            first = True
            for style, text in parts:
                if not text:
                    continue
                paragraph = right.paragraphs[0] if first else right.add_paragraph()
                first = False
                run = paragraph.add_run(text)
                run.bold = style == "b"
                run.italic = style == "i"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
