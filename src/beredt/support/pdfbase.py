"""Shared set-up of the support tool's and the public site's printed material (fpdf2).

DejaVu Sans (Debian package ``fonts-dejavu-core``) covers Danish, Polish, Ukrainian and
Arabic; with ``uharfbuzz`` installed, fpdf2 shapes Arabic and lays it out right to left.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import segno
from fpdf import FPDF

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT = "DejaVu"
# fontTools logs every glyph subset at INFO level; keep the server log readable.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def font_dir() -> Path | None:
    return next((d for d in FONT_DIRS if (d / "DejaVuSans.ttf").exists()), None)


def new_pdf(*, title: str, rtl: bool = False) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 16, 18)
    pdf.set_title(title)
    pdf.set_creator("Beredt")
    folder = font_dir()
    if folder is None:  # pragma: no cover - only on a host without DejaVu
        raise RuntimeError("Install fonts-dejavu-core for printable material.")
    pdf.add_font(FONT, "", str(folder / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))
    try:
        pdf.set_text_shaping(True)
    except Exception:
        if rtl:
            raise
    pdf.add_page()
    return pdf


def heading(pdf: FPDF, text: str, *, size: int = 14, align: str = "L") -> None:
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def paragraph(pdf: FPDF, text: str, *, size: int = 10.5, align: str = "L",
              bold: bool = False) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.48, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


def output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
