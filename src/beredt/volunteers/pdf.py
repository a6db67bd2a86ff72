"""The first-year evaluation as a PDF (fpdf2), with the same bar charts as the page drawn
as rectangles. DejaVu Sans (``fonts-dejavu-core``, ``make fonts``) for the Danish letters;
``support`` has its own set-up for the printed material, which this app may not import."""

from __future__ import annotations

from pathlib import Path

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from .evaluation import Evaluation, charts

FONT_FILES = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
COLOURS = {"bar-a": (159, 179, 200), "bar-b": (29, 79, 145)}


def _document(title: str) -> FPDF:
    folder = next((d for d in FONT_FILES if (d / "DejaVuSans.ttf").exists()), None)
    if folder is None:  # pragma: no cover - only on a host without DejaVu
        raise RuntimeError("Install fonts-dejavu-core for PDFs.")
    doc = FPDF(format="A4")
    doc.set_title(title)
    doc.set_creator("Beredt")
    doc.set_margins(18, 16, 18)
    doc.set_auto_page_break(auto=True, margin=15)
    doc.add_font("DejaVu", "", str(folder / "DejaVuSans.ttf"))
    doc.add_font("DejaVu", "B", str(folder / "DejaVuSans-Bold.ttf"))
    doc.add_page()
    return doc


def _line(doc: FPDF, text: str, *, size: float = 10, bold: bool = False) -> None:
    doc.set_font("DejaVu", "B" if bold else "", size)
    doc.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def evaluation_pdf(result: Evaluation, *, units) -> bytes:
    title = _("Volunteer patient supports – evaluation")
    doc = _document(title)
    _line(doc, title, size=15, bold=True)
    _line(doc, f"{formats.date_format(result.start, 'j. F Y')} – "
               f"{formats.date_format(result.end, 'j. F Y')}")
    _line(doc, ", ".join(f"{u.name} ({u.site.name})" for u in units), size=9)
    doc.ln(3)
    facts = [
        (_("Shifts planned"), result.planned),
        (_("Shifts covered"), f"{result.covered} ({result.coverage_pct} %)"),
        (_("Hours on shift"), result.hours),
        (_("Accompaniments"), result.accompaniments),
        (_("Of these, patients without relative present"),
         f"{result.without_relative} ({result.without_relative_pct} %)"),
        (_("Requests declined"), result.declined),
        (_("Late cancellations"), result.late_cancellations),
        (_("Volunteers started"), result.started),
        (_("Volunteers stopped"), result.stopped),
        (_("Active volunteers at the end"), result.active_at_end),
    ]
    doc.set_font("DejaVu", "", 10)
    for label, value in facts:
        doc.cell(110, 6, label, border="B")
        doc.cell(0, 6, str(value), border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    for chart in charts(result):
        doc.ln(4)
        _line(doc, chart.title, size=11, bold=True)
        scale = (doc.w - doc.l_margin - doc.r_margin) / chart.width
        top = doc.get_y()
        if top + chart.height * scale > doc.h - 20:
            doc.add_page()
            top = doc.get_y()
        for bar in chart.bars:
            doc.set_fill_color(*COLOURS[bar.css])
            doc.rect(doc.l_margin + bar.x * scale, top + bar.y * scale,
                     bar.width * scale, max(bar.height * scale, 0.01), style="F")
        doc.set_font("DejaVu", "", 6.5)
        for x, label in chart.labels:
            doc.text(doc.l_margin + x * scale - 3, top + (chart.baseline + 9) * scale, label)
        doc.text(doc.l_margin, top + 5 * scale, f"max {chart.max_value}")
        doc.set_y(top + chart.height * scale + 2)
        doc.set_font("DejaVu", "", 8)
        doc.cell(0, 4, "  ".join(f"■ {label}" for label, _css in chart.legend),
                 new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    _line(doc, _("Volunteers have no care tasks. Made by Beredt %(when)s.")
          % {"when": formats.date_format(timezone.localtime(), "j. F Y H:i")}, size=8)
    return bytes(doc.output())
