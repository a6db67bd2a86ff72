"""Printable contract, crisis plan, relapse plan and letters (fpdf2, DejaVu Sans).

Danish only: the documents are given to the citizen and the GP in Danish. Every print is a
version: its number and date are on the page. The citizen's copy is the same document.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF

from . import conf
from .models import Case, Letter, LetterKind, PlanVersion

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT = "DejaVu"

CRISIS_QUESTIONS = [
    ("Samtale i akuttilbuddet", [
        ("wants_from_talk", "Hvad vil borgeren have ud af samtalen"),
        ("background", "Hvad er baggrunden for borgerens krise"),
        ("wish", "Hvad er borgerens ønske"),
        ("hinders", "Hvad forhindrer borgeren i at komme igennem krisen"),
        ("vulnerability", "Den aktuelle sårbarhed"),
        ("shared_focus", "Hvad er vores fælles fokus for problemstillingen"),
        ("zoom_in", "Zoom ind på problemet"),
        ("plan", "Lav en plan"),
    ]),
    ("Fase 1 Krisen – skabe tryghed, relation og alliance", [
        ("phase1_safety", "Hvem, hvor, alene? Første gang? Søvn? Har jeg forstået dig rigtigt?"),
    ]),
    ("Fase 2 Helbred og følelser – afdækning af borgerens situation", [
        ("phase2_health", "Hvornår begyndte det? Sker det ofte? Hvad plejer du at gøre? "
                          "Familie, netværk, naboer? Hvem ved, at du har det dårligt?"),
    ]),
    ("Fase 3 Afslutning når tryghed og ro er etableret", [
        ("phase3_ending", "Ved du hvad du skal nu? I morgen? Kan du være alene, eller skal "
                          "nogen kontaktes?"),
    ]),
]

RELAPSE_QUESTIONS = [
    ("Resultater til nu", [
        ("changed", "Hvad har du ændret fra starten af forløbet og til nu?"),
        ("keep_using", "Hvordan kan du fortsat anvende disse færdigheder i dagligdagen?"),
        ("hold_on", "Hvordan kan du planlægge at holde fast i forandringer?"),
        ("obstacles", "Hvilke hindringer vil der opstå?"),
        ("tackle", "Hvordan kan du tackle disse hindringer?"),
    ]),
    ("Advarselssymptomer – de tidlige tegn på tilbagefald", [
        ("warning_inner", "Indre (som jeg kan mærke/være opmærksom på)"),
        ("warning_outer", "Ydre (som jeg og andre kan være opmærksomme på)"),
    ]),
    ("Højrisikosituationer", [
        ("high_risk", "Hvilke mulige højrisikosituationer er der for mig i forhold til "
                      "tilbagefald"),
    ]),
]


def _font_dir() -> Path:
    folder = next((d for d in FONT_DIRS if (d / "DejaVuSans.ttf").exists()), None)
    if folder is None:  # pragma: no cover - only on a host without DejaVu
        raise RuntimeError("Install fonts-dejavu-core for printable material.")
    return folder


class _Doc:
    def __init__(self, title: str, case: Case, footer: str):
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.set_margins(18, 16, 18)
        pdf.set_title(title)
        pdf.set_creator("Beredt")
        folder = _font_dir()
        pdf.add_font(FONT, "", str(folder / "DejaVuSans.ttf"))
        pdf.add_font(FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))
        pdf.add_page()
        self.pdf = pdf
        self.footer = footer
        pdf.set_font(FONT, "B", 15)
        pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        self.facts([("Borger", case.full_name), ("Fødselsdato",
                                                 case.birth_date.strftime("%d-%m-%Y")),
                    ("Kommune", case.municipality.name)])

    def facts(self, rows):
        pdf = self.pdf
        for label, value in rows:
            pdf.set_font(FONT, "B", 9.5)
            pdf.cell(45, 5.5, label)
            pdf.set_font(FONT, "", 9.5)
            pdf.multi_cell(0, 5.5, str(value or "–"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def heading(self, text: str):
        self.pdf.ln(1.5)
        self.pdf.set_font(FONT, "B", 11.5)
        self.pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    def question(self, label: str, answer: str):
        pdf = self.pdf
        if label:
            pdf.set_font(FONT, "B", 9.5)
            pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, answer or "–", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.2)

    def items(self, values, numbered: bool = True):
        pdf = self.pdf
        pdf.set_font(FONT, "", 10)
        if not values:
            pdf.multi_cell(0, 5, "–", new_x="LMARGIN", new_y="NEXT")
        for i, value in enumerate(values, start=1):
            pdf.multi_cell(0, 5, f"{i}. {value}" if numbered else f"• {value}",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def signatures(self, who: list[str]):
        pdf = self.pdf
        pdf.ln(8)
        width = (pdf.w - pdf.l_margin - pdf.r_margin - 10) / len(who)
        y = pdf.get_y() + 10
        if y > pdf.h - 40:
            pdf.add_page()
            y = pdf.get_y() + 10
        for i, label in enumerate(who):
            x = pdf.l_margin + i * (width + 10)
            pdf.line(x, y, x + width, y)
            pdf.set_xy(x, y + 1)
            pdf.set_font(FONT, "", 8.5)
            pdf.cell(width, 4.5, f"{label} – dato og underskrift")
        pdf.set_y(y + 8)

    def output(self) -> bytes:
        pdf = self.pdf
        pdf.ln(4)
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 4, self.footer, new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())


def _version_line(plan: PlanVersion) -> str:
    return (f"Version {plan.version}, gemt {plan.saved_at.astimezone().strftime('%d-%m-%Y %H:%M')}"
            " · Borgeren får en kopi af planen.")


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).strftime("%d-%m-%Y")
    except (TypeError, ValueError):
        return text or ""


def contract_pdf(case: Case, plan: PlanVersion) -> bytes:
    data = plan.data
    start = dt.date.fromisoformat(data["start_date"])
    doc = _Doc("Kontrakt – socialt forandringsforløb", case, _version_line(plan))
    weeks, follow_weeks = conf.get("PROGRAMME_WEEKS"), conf.get("PROGRAMME_FOLLOWUP_WEEKS")
    ends = start + dt.timedelta(weeks=weeks)
    follow = ends + dt.timedelta(weeks=follow_weeks)
    doc.facts([
        ("Varighed", f"{start:%d-%m-%Y} – {ends - dt.timedelta(days=1):%d-%m-%Y} "
                     f"({weeks} uger), opfølgning til "
                     f"{follow - dt.timedelta(days=1):%d-%m-%Y} ({follow_weeks} uger)"),
        ("Ressource", f"{conf.get('PROGRAMME_ATA_HOURS')} ATA-timer over {weeks} uger + "
                      f"{conf.get('PROGRAMME_FOLLOWUP_HOURS')} opfølgningstimer over "
                      f"{follow_weeks} uger"),
        ("Støtte-kontakt-person", case.skp.get_full_name() if case.skp else ""),
    ])
    doc.heading("Mål")
    doc.items(data.get("goals", []))
    doc.heading("Handlinger")
    doc.items(data.get("actions", []))
    doc.heading("Forventninger")
    doc.question("", data.get("expectations", ""))
    doc.heading("Hvem gør hvad")
    doc.items([f"{r['who']}: {r['what']}" for r in data.get("responsibilities", [])],
              numbered=False)
    doc.heading("Prioritering – foretaget af borgeren")
    doc.items(data.get("priorities", []))
    doc.heading("Aftaler med andre hjælpere")
    doc.question("", data.get("other_helpers", ""))
    doc.heading("Samtykke")
    doc.question("", data.get("consent_note", ""))
    doc.facts([("Underskrevet af borger", _date(data.get("signed_citizen_on", ""))),
               ("Underskrevet af SKP", _date(data.get("signed_skp_on", "")))])
    doc.signatures(["Borger", "Støtte-kontakt-person"])
    return doc.output()


def _questions_pdf(title: str, case: Case, plan: PlanVersion, sections) -> _Doc:
    doc = _Doc(title, case, _version_line(plan))
    data = plan.data
    for heading, questions in sections:
        doc.heading(heading)
        for key, label in questions:
            doc.question(label, data.get(key, ""))
    return doc


def crisis_pdf(case: Case, plan: PlanVersion) -> bytes:
    doc = _questions_pdf("Kriseplan (bilag 2)", case, plan, CRISIS_QUESTIONS)
    doc.heading("Afslutning på samtalen")
    doc.question("Må en af mine kollegaer kontakte dig igen?",
                 "Ja" if plan.data.get("may_contact_again") else "Nej")
    return doc.output()


def relapse_pdf(case: Case, plan: PlanVersion) -> bytes:
    doc = _questions_pdf("Tilbagefaldsplan (bilag 3)", case, plan, RELAPSE_QUESTIONS)
    doc.heading("Det gode at gøre i fremtiden")
    doc.items(plan.data.get("good_things", []))
    doc.signatures(["Borger", "Støtte-kontakt-person"])
    return doc.output()


def letter_pdf(case: Case, letter: Letter) -> bytes:
    title = ("Forslag til CAVE-meddelelse i vagtlægesystemet" if letter.kind == LetterKind.CAVE
             else "Korrespondancebrev til egen læge")
    doc = _Doc(title, case, f"Skrevet {letter.created_at.astimezone():%d-%m-%Y %H:%M} af "
                            f"{letter.created_by.get_full_name() or letter.created_by.username}, "
                            f"{case.referring_organisation.name}.")
    doc.facts([("Til", case.gp or "Egen læge"), ("Fra", case.referring_organisation.name),
               ("Indlagt", case.admitted_on.strftime("%d-%m-%Y"))])
    doc.heading("Forslag til CAVE-tekst" if letter.kind == LetterKind.CAVE else "Orientering")
    doc.question("", letter.text)
    if letter.kind == LetterKind.CAVE:
        doc.facts([("Telefon med adgang til koordinationsplanen", letter.contact_phone),
                   ("Accepteret af patienten",
                    letter.patient_accepted_at.astimezone().strftime("%d-%m-%Y %H:%M")
                    if letter.patient_accepted_at else "Nej")])
    return doc.output()
