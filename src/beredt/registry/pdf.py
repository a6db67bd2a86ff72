"""The printable registration and consent form (fpdf2), Danish or English.

The layout follows the digital form section by section, so a paper form can be typed in
later in the same order. Every page carries its own form number (``BF-XXXX-XXXX``), which
is entered as "paper form number" and links the registration and its consents to the signed
paper. The texts are here rather than in the translation catalogue because the language of
the form is chosen per print, not per user.
"""

from __future__ import annotations

import secrets

from fpdf import FPDF

from .models import Channel, Need, PersonRole

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

TEXT = {
    "da": {
        "title": "Registrering af berørte og samtykke",
        "form_no": "Blanketnummer",
        "incident": "Hændelse",
        "point": "Registreringssted",
        "s1": "1. Rolle i hændelsen",
        "roles": {"injured": "Tilskadekommen", "uninjured": "Involveret, ikke tilskadekommen",
                  "relative": "Pårørende", "witness": "Vidne", "staff": "Personale/indsatsmandskab",
                  "other": "Andet"},
        "s2": "2. Personen",
        "name": "Fulde navn", "cpr": "CPR-nummer (frivilligt)",
        "birth": "Fødselsdato (hvis intet CPR-nummer)", "phone": "Telefon", "email": "E-mail",
        "address": "Adresse", "postcode": "Postnummer og by", "municipality": "Bopælskommune",
        "language": "Foretrukket sprog", "interpreter": "Behov for tolk",
        "relation": "Barn af / pårørende til (navn)",
        "s3": "3. Krisereaktioner og behov",
        "needs": {"none": "Ingen", "support_given": "Krisestøtte givet",
                  "followup_wanted": "Ønsker opfølgning", "urgent_referral": "Akut henvisning"},
        "reactions": "Observerede krisereaktioner",
        "s4": "4. Samtykke",
        "c1": "Jeg giver samtykke til, at mine oplysninger registreres i forbindelse med "
              "hændelsen.",
        "c2": "Jeg giver samtykke til, at min bopælskommune/-region kontakter mig med tilbud om "
              "opfølgning via:",
        "channels": {"phone": "Telefon", "sms": "SMS", "email": "E-mail",
                     "digital_mail": "Digital Post (e-Boks)"},
        "c3": "Jeg giver samtykke til, at oplysningerne deles med disse myndigheder:",
        "withdraw": "Samtykket kan til enhver tid trækkes tilbage ved henvendelse til "
                    "registreringsstedet eller myndigheden.",
        "method": "Samtykket er givet:", "signed": "Underskrevet", "verbal": "Mundtligt med vidne",
        "minor": "For personer under 18 år giver forældremyndighedsindehaveren samtykket.",
        "guardian": "Værgens navn", "signature": "Underskrift", "date": "Dato",
        "witness": "Vidne (navn)", "taken_by": "Registreret af (navn og organisation)",
        "yes": "Ja", "no": "Nej",
    },
    "en": {
        "title": "Registration of affected people and consent",
        "form_no": "Form number",
        "incident": "Incident",
        "point": "Registration point",
        "s1": "1. Role in the event",
        "roles": {"injured": "Injured", "uninjured": "Involved, uninjured",
                  "relative": "Relative", "witness": "Witness", "staff": "Staff/responder",
                  "other": "Other"},
        "s2": "2. The person",
        "name": "Full name", "cpr": "CPR number (optional)",
        "birth": "Birth date (if no CPR number)", "phone": "Phone", "email": "E-mail",
        "address": "Address", "postcode": "Postcode and town",
        "municipality": "Residence municipality", "language": "Preferred language",
        "interpreter": "Interpreter needed", "relation": "Child of / relative of (name)",
        "s3": "3. Crisis reactions and need",
        "needs": {"none": "None", "support_given": "Support given",
                  "followup_wanted": "Follow-up wanted", "urgent_referral": "Urgent referral"},
        "reactions": "Observed crisis reactions",
        "s4": "4. Consent",
        "c1": "I consent to my information being registered in connection with the incident.",
        "c2": "I consent to my residence municipality/region contacting me with an offer of "
              "follow-up through:",
        "channels": {"phone": "Phone", "sms": "SMS", "email": "E-mail",
                     "digital_mail": "Digital mail (e-Boks)"},
        "c3": "I consent to the information being shared with these authorities:",
        "withdraw": "The consent can be withdrawn at any time by contacting the registration "
                    "point or the authority.",
        "method": "The consent was given:", "signed": "Signed", "verbal": "Verbally, with a "
        "witness",
        "minor": "For people under 18 the holder of parental responsibility gives the consent.",
        "guardian": "Guardian's name", "signature": "Signature", "date": "Date",
        "witness": "Witness (name)", "taken_by": "Registered by (name and organisation)",
        "yes": "Yes", "no": "No",
    },
}


def new_form_number() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"BF-{code[:4]}-{code[4:]}"


class _Form(FPDF):
    def box(self, label: str, width: float, height: float = 11) -> None:
        x, y = self.get_x(), self.get_y()
        self.set_font("Helvetica", "", 7)
        self.rect(x, y, width, height)
        self.set_xy(x + 1, y + 0.8)
        self.cell(width - 2, 3, label)
        self.set_xy(x + width, y)

    def check(self, label: str, width: float) -> None:
        x, y = self.get_x(), self.get_y()
        self.rect(x, y + 1, 4, 4)
        self.set_xy(x + 5.5, y)
        self.set_font("Helvetica", "", 9)
        self.cell(width - 5.5, 6, label)
        self.set_xy(x + width, y)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 11)
        self.set_fill_color(230, 236, 242)
        self.cell(0, 7, text, fill=True, new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)


def registration_form(*, lang: str = "da", copies: int = 1, incident_title: str = "",
                      numbers: list[str] | None = None) -> bytearray:
    t = TEXT[lang]
    pdf = _Form(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(14, 12, 14)
    numbers = numbers or [new_form_number() for _ in range(copies)]
    full = 210 - 28
    for number in numbers:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 15)
        pdf.cell(full - 55, 9, t["title"])
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(55, 9, f"{t['form_no']}: {number}", align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.box(f"{t['incident']}: {incident_title}" if incident_title else t["incident"],
                full / 2, 9)
        pdf.box(t["point"], full / 2, 9)
        pdf.ln(9)
        pdf.heading(t["s1"])
        for i, role in enumerate(PersonRole.values):
            pdf.check(t["roles"][role], full / 3)
            if i % 3 == 2:
                pdf.ln(6.5)
        pdf.heading(t["s2"])
        rows = [[(t["name"], full)], [(t["cpr"], full / 2), (t["birth"], full / 2)],
                [(t["phone"], full / 2), (t["email"], full / 2)], [(t["address"], full)],
                [(t["postcode"], full / 2), (t["municipality"], full / 2)],
                [(t["language"], full / 3), (t["interpreter"] + f"  {t['yes']} / {t['no']}",
                                             full / 3), (t["relation"], full / 3)]]
        for row in rows:
            for label, width in row:
                pdf.box(label, width)
            pdf.ln(11)
        pdf.heading(t["s3"])
        for need in Need.values:
            pdf.check(t["needs"][need], full / 4)
        pdf.ln(7)
        pdf.box(t["reactions"], full, 14)
        pdf.ln(14)
        pdf.heading(t["s4"])
        pdf.set_font("Helvetica", "", 9)
        pdf.check("", 7)
        pdf.multi_cell(full - 7, 5, t["c1"], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.check("", 7)
        pdf.multi_cell(full - 7, 5, t["c2"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(pdf.l_margin + 7)
        for channel in Channel.values:
            pdf.check(t["channels"][channel], (full - 7) / 4)
        pdf.ln(7)
        pdf.check("", 7)
        pdf.multi_cell(full - 7, 5, t["c3"], new_x="LMARGIN", new_y="NEXT")
        pdf.box("", full, 8)
        pdf.ln(9)
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(40, 6, t["method"])
        pdf.check(t["signed"], 40)
        pdf.check(t["verbal"], 60)
        pdf.ln(7)
        pdf.set_font("Helvetica", "I", 8)
        pdf.multi_cell(full, 4, f"{t['minor']} {t['withdraw']}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.box(t["signature"], full / 2, 13)
        pdf.box(t["date"], full / 4, 13)
        pdf.box(t["guardian"], full / 4, 13)
        pdf.ln(13)
        pdf.box(t["witness"], full / 2, 11)
        pdf.box(t["taken_by"], full / 2, 11)
        pdf.set_xy(pdf.l_margin, 287)
        pdf.set_font("Helvetica", "", 7)
        pdf.cell(full, 4, f"Beredt  |  {t['form_no']} {number}", align="C")
    return pdf.output()
