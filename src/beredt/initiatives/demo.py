"""Demo budget initiatives (``beredt loaddemo``), idempotent: seed 004, Region Hovedstaden's
follow-up on its 2024 budget initiatives to Social- og psykiatriudvalget.

1. *Tryghedspakke (Psykiatri)*: 3,4 mio. kr. in 2024 and 3 mio. kr. a year after, funding
   recommendations 8, 18, 19, 20 and 21 of the action plan with their yearly amounts — which
   add up to 3,4 mio. kr. every year, so the allocation check shows an unexplained
   difference of 400.000 kr. in 2025–2027 (the seed's own figures).
2. *Frivillige patientstøtter, herunder også til pårørende*: 1 mio. kr. in 2024 and 0,7 mio.
   kr. after, not yet distributed over the parts of the work (the seed: "Det skal afklares,
   hvordan den økonomiske ramme skal anvendes"); the difference is explained.

The statuses after Q1 2024 are the seed's text; those after Q2 2024 (and the two after Q3)
are written for the demo, so a Q3 report shows which statuses are missing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction

from beredt.organisations import services as org_services
from beredt.organisations.demo import DEMO_PASSWORD, _user
from beredt.organisations.models import OrganisationKind as Kind

from .models import (
    AccessRole,
    Allocation,
    Committee,
    Initiative,
    InitiativeAccess,
    InitiativeNote,
    Light,
    Milestone,
    Recommendation,
    RecommendationAmount,
    StatusReport,
)

NS = uuid.UUID("6f1d2c1e-4b1a-4e07-9a55-0d4b1e2f0004")
YEARS = (2024, 2025, 2026, 2027)
M = Decimal(1_000_000)
G, Y = Light.GREEN, Light.YELLOW

TRYGHED = {
    "title": "Tryghedspakke (Psykiatri)",
    "position": 1,
    "purpose": (
        "Der er i regionens budget for 2024 afsat en tryghedspakke på 3,4 mio. kr. i 2024 og "
        "3 mio. kr. årligt derefter til at følge op på handleplan om sikkerhed og tryghed i "
        "psykiatrien. Det indgår i budgetaftalen, at sikkerhedstiltagene skal vedrøre både "
        "relationen mellem medarbejder og patient, mere sikre arbejdsgange og fysisk sikkerhed "
        "i form af fx mere hensigtsmæssig indretning, brug af vagter og også metaldetektorer i "
        "retspsykiatrien, hvis det viser sig at være ønsket og bliver lovligt."),
    "description": (
        "Regionsrådet godkendte den 12. marts 2024 en handleplan for styrket sikkerhed og "
        "tryghed i Region Hovedstadens Psykiatri. Som en del heraf godkendte regionsrådet "
        "forslag om, at midlerne på 3,4 mio. kr. fra den regionale tryghedspakke udmøntes på "
        "følgende vis:"),
    "approved_on": dt.date(2024, 3, 12),
    "approved_by": "Regionsrådet",
    "allocations": {2024: Decimal("3.4") * M, 2025: 3 * M, 2026: 3 * M, 2027: 3 * M},
    "explanations": {},
    "notes": {"2024Q1": (
        "Nedenfor er status for arbejdet med de anbefalinger i handleplanen, som regionsrådet "
        "med udmøntningen af tryghedspakken har afsat midler til.")},
    "recommendations": [
        {"number": 8, "title": "Ensrettet brug af forebyggelsesinstruktører",
         "amount": Decimal("1.2") * M,
         "milestones": [("Arbejdsgruppe reviderer funktionsbeskrivelsen", "2024Q2", True),
                        ("Ansættelse af forebyggelsesinstruktører påbegyndt", "2024Q2", False)],
         "statuses": {
             "2024Q1": (G, "Region Hovedstadens Psykiatri forventes i 2. kvartal at nedsætte en "
                        "arbejdsgruppe, der reviderer funktionsbeskrivelsen for "
                        "forebyggelsesinstruktører. Ansættelsesproces af "
                        "forebyggelsesinstruktører til udvalgt matrikel forventes påbegyndt i "
                        "2. kvartal", ""),
             "2024Q2": (Y, "Arbejdsgruppen er nedsat og har revideret funktionsbeskrivelsen "
                        "for forebyggelsesinstruktører. Ansættelsesprocessen til den udvalgte "
                        "matrikel er udskudt, da stillingsopslaget afventer den reviderede "
                        "funktionsbeskrivelse.",
                        "Stillingerne slås op i 3. kvartal 2024."),
             "2024Q3": (G, "Stillingerne er slået op, og ansættelsessamtaler er afholdt.",
                        "De første forebyggelsesinstruktører starter i 4. kvartal 2024."),
         }},
        {"number": 18, "title": "Kurset ”Forebyggelse og håndtering af konflikter” gøres "
                                "obligatorisk for flere faggrupper med patientkontakt",
         "amount": 1 * M,
         "milestones": [("Forslaget beskrevet", "2024Q2", True)],
         "statuses": {
             "2024Q1": (G, "Region Hovedstadens Psykiatri beskriver I 2. kvartal 2024 "
                        "forslaget", ""),
             "2024Q2": (G, "Forslaget er beskrevet og drøftet i direktionen for Region "
                        "Hovedstadens Psykiatri.",
                        "Kurset udbydes til de nye faggrupper fra 3. kvartal 2024."),
         }},
        {"number": 19, "title": "Systematisk vedligeholdelsestræning og fælles koncept på "
                                "tværs af Region Hovedstadens Psykiatri",
         "amount": 1 * M,
         "milestones": [("Moduler til vedligeholdelseskonceptet udarbejdet", "2024Q2", True),
                        ("Konceptet udrullet på tværs af psykiatrien", "2024Q4", False)],
         "statuses": {
             "2024Q1": (G, "I 2. kvartal 2024 udarbejder Region Hovedstadens Psykiatri moduler "
                        "til det nye vedligeholdelseskoncept.", ""),
             "2024Q2": (G, "Modulerne til det nye vedligeholdelseskoncept er udarbejdet og "
                        "afprøvet på to enheder.",
                        "Udrulning på tværs af Region Hovedstadens Psykiatri i 3. og 4. "
                        "kvartal 2024."),
             "2024Q3": (G, "Udrulningen er i gang på fire af syv centre.",
                        "De sidste tre centre følger i 4. kvartal 2024."),
         }},
        {"number": 20, "title": "Uddannelse af læger i vagtfunktion",
         "amount": Decimal("0.1") * M,
         "milestones": [("Lægefaglig arbejdsgruppe nedsat", "2024Q3", False)],
         "statuses": {
             "2024Q1": (G, "Der nedsættes i 3. kvartal 2024 en lægefaglig arbejdsgruppe. Region "
                        "Hovedstadens Psykiatris afdækker kompetencebehov fx gennem interviews "
                        "af cheflæger, bagvagter, forvagter og Speciallæger i front (SIF) "
                        "vagter.", ""),
             "2024Q2": (G, "Kommissorium for den lægefaglige arbejdsgruppe er udarbejdet.",
                        "Arbejdsgruppen nedsættes i 3. kvartal 2024 og afdækker "
                        "kompetencebehovet gennem interviews."),
         }},
        {"number": 21, "title": "Grundlæggende introduktion til psykopatologi",
         "amount": Decimal("0.1") * M,
         "milestones": [("Udvikling af kurset påbegyndt", "2024Q2", True)],
         "statuses": {
             "2024Q1": (G, "Udviklingen af kurset påbegyndes i 2. kvartal 2024. Anbefalingen "
                        "skal ses i sammenhæng med de øvrige initiativer på området, og skal "
                        "koordineres med disse.", ""),
             "2024Q2": (G, "Udviklingen af kurset er påbegyndt og koordineres med de øvrige "
                        "initiativer på området.", "Kurset afprøves første gang i 4. kvartal "
                        "2024."),
         }},
    ],
}

FRIVILLIGE = {
    "title": "Frivillige patientstøtter, herunder også til pårørende",
    "position": 2,
    "purpose": (
        "Der blev med budget 2024 afsat 1 mio. kr. i 2024 og 0,7 mio. kr. i 2025 og frem til "
        "patient- og pårørendestøtte i 3 psykiatriske akutmodtagelser."),
    "description": (
        "Frivillige patientstøtter har været et succesfuldt samarbejde med Røde Kors i "
        "somatikken. Det ønskes at afprøve samme model i psykiatrien for at sikre større fokus "
        "på, at patienter og pårørende oplever en omsorgsfuld og måske mere rolig velkomst i "
        "vores psykiatriske akutmodtagelser.\n"
        "Det er med budgetaftalen for 2024 besluttet at afprøve en model for frivillige "
        "patientstøtter i de psykiatriske akutmodtagelser efter inspiration fra de somatiske "
        "akutmodtagelser i Region Hovedstaden. Der ønskes etableret patientstøtter i 3 "
        "psykiatriske akutmodtagelser. Initiativet ønskes evalueret efter det første år og skal "
        "etableres i samarbejde med en frivillig organisation. Region Hovedstadens Psykiatri og "
        "Social- og psykiatriudvalget er bedt om at tage stilling til, om Røde Kors, SIND, "
        "Bedre Psykiatri eller en anden frivillig organisation er den rette samarbejdspartner "
        "for psykiatrien."),
    "approved_on": None,
    "approved_by": "Budgetaftalen 2024",
    "allocations": {2024: 1 * M, 2025: Decimal("0.7") * M, 2026: Decimal("0.7") * M,
                    2027: Decimal("0.7") * M},
    "explanations": dict.fromkeys(YEARS, (
        "Rammen er endnu ikke fordelt på indsatsens dele: arbejdsgruppen afklarer i april-maj "
        "2024, hvordan den økonomiske ramme skal anvendes (kommissorie og økonomi).")),
    "notes": {"2024Q1": (
        "Herunder fremgår status på arbejdet med at udarbejde en model for frivillige "
        "patientstøtter, samt overblik over arbejdet fremadrettet med angivelser af "
        "tidsplanen for arbejdet.")},
    "recommendations": [
        {"title": "Erfaringer på frivillige patientstøtter (februar-marts 2024)",
         "last": "2024Q1", "milestones": [("Dialog med Region Sjælland", "2024Q1", True)],
         "statuses": {"2024Q1": (G, (
             "Somatikken\nDer er frivillige patientstøtter på akutmodtagelsen på Herlev og "
             "Gentofte Hospital. Aftalen er indgået med Røde Kors for 10 år siden. Det er "
             "hospitalets erfaring, at det tager lidt tid at køre patientstøtterne ind, men at "
             "de er glade for ordningen. Det har været vigtigt at de ikke påtager sig en "
             "plejerolle. De er i akutmodtagelsen et par gange om ugen af et par timer. "
             "Patientstøtterne er selvkørende og har ikke stor kontakt med medarbejderne, men de "
             "har en telefon på sig, så medarbejderne kan ringe til dem, og fx bede dem om at "
             "følge en patient. Ordningen anvendes primært overfor de patienter, der ikke har en "
             "pårørende med.\n"
             "Psykiatrien\nRegion Sjælland etablerede patientstøtte i den psykiatriske "
             "akutmodtagelse i Slagelse i et samarbejde med Røde Kors i starten af 2020. Der har "
             "i marts været en dialog med Region Sjælland for at høre om deres erfaringer med "
             "patientstøtte i en psykiatrisk akutmodtagelse. Røde Kors Slagelse stod for at "
             "rekruttere, oplære og organisere de frivillige i enheder med aktivitetsledere, som "
             "stod for at lave vagtplan. Afdelingen sørgede for at stille med en kontaktperson "
             "og nødvendig instruktion på stedet, når de frivillige mødte ind til første vagt. "
             "Erfaringerne fra Slagelse er, at der skal være en særlig opmærksomhed på de "
             "medarbejderressourcer, der er nødvendige i især opstarten, hvor alle frivillige er "
             "nye og skal lære stedet, opgaverne og rutinerne at kende."), "")}},
        {"title": "Valg af organisation (april-maj 2024)", "last": "2024Q2",
         "milestones": [("Møder med Røde Kors, Sind, Håb i Psykiatrien og Bedre Psykiatri",
                         "2024Q2", True)],
         "statuses": {
             "2024Q1": (G, (
                 "Der peges i budgetaftalen på, at patientstøtten skal etableres i samarbejde "
                 "med en frivillig organisation. Røde Kors har været den samarbejdspartner "
                 "omkring patientstøtte i psykiatrien, der har været brugt i andre regioner. Der "
                 "kan alternativt til Røde Kors etableres et samarbejde med Bedre Psykiatri, "
                 "SIND, Håb i Psykiatrien eller en anden organisation med frivilligheds-erfaring "
                 "og/eller erfaring med psykiatri. Der er aftalt møder med Røde Kors, Sind, Håb i "
                 "Psykiatrien og Bedre Psykiatri, der afvikles i slutningen af marts og starten "
                 "af april. Formålet med møderne er at kvalificere projektgrundlaget og "
                 "patientperspektivet. Der træffes ikke beslutninger eller aftaler om, hvem der "
                 "skal være samarbejdspartner på disse møder."), ""),
             "2024Q2": (G, "Møderne med Røde Kors, Sind, Håb i Psykiatrien og Bedre Psykiatri "
                        "er afholdt og har kvalificeret projektgrundlaget og "
                        "patientperspektivet.", "Beslutningsgrundlaget forelægges udvalget "
                        "inden sommerferien."),
         }},
        {"title": "Valg af akutmodtagelser (april-maj 2024)", "last": "2024Q2",
         "milestones": [("Besøg på 3 akutmodtagelser", "2024Q2", True)],
         "statuses": {
             "2024Q1": (G, "Der peges i budgetaftalen på, at patientstøtten skal etableres i 3 "
                        "psykiatriske akutmodtagelser. Der er indgået aftaler om besøg på 3 "
                        "akutmodtagelser for at kvalificere projektet i starten af april.", ""),
             "2024Q2": (G, "De 3 akutmodtagelser er besøgt i april og udpeget til "
                        "afprøvningen.", ""),
         }},
        {"title": "Arbejdsgruppe, kommissorie og økonomi (april-maj 2024)", "last": "2024Q2",
         "milestones": [("Arbejdsgruppe etableret", "2024Q2", True),
                        ("Kommissorie udarbejdet", "2024Q2", True),
                        ("Den økonomiske ramme fordelt", "2024Q2", False)],
         "statuses": {
             "2024Q1": (G, "- Der skal etableres en arbejdsgruppe omkring projektet\n- Det skal "
                        "afklares, hvordan den økonomiske ramme skal anvendes\n- Der skal "
                        "udarbejdes et kommissorie", ""),
             "2024Q2": (Y, "Arbejdsgruppen er etableret, og kommissoriet er udarbejdet. "
                        "Fordelingen af den økonomiske ramme er endnu ikke endelig.",
                        "Rammen fordeles, når samarbejdsorganisationen er valgt."),
         }},
        {"title": "Samarbejdet mellem afdeling og organisation (maj-juni 2024)",
         "last": "2024Q3", "milestones": [("Samarbejdsform udviklet", "2024Q3", False)],
         "statuses": {
             "2024Q1": (G, "- Udvikling af en samarbejdsform mellem afdeling og organisation.\n"
                        "I modellen i Slagelse udpegede afdelingen en kontaktperson, der "
                        "forestod den nødvendige instruktion på stedet, når de frivillige mødte "
                        "ind til første vagt. Røde Kors stod for at rekruttere, oplære og "
                        "organisere de frivillige i enheder med aktivitetsledere, som stod for "
                        "at lave vagtplan.", ""),
             "2024Q2": (G, "Et udkast til samarbejdsform efter modellen fra Slagelse er "
                        "drøftet i arbejdsgruppen.", "Udkastet tilpasses den valgte "
                        "organisation efter sommerferien."),
         }},
        {"title": "Udvælgelse af samarbejdsorganisation og drift",
         "milestones": [("Beslutningsgrundlag forelagt udvalget", "2024Q2", True),
                        ("Aftale med den valgte organisation", "2024Q3", False),
                        ("Samarbejdsform klar til drift", "2024Q3", False)],
         "statuses": {
             "2024Q1": (G, "Udvælgelse af samarbejdsorganisationen i Region Hovedstaden vil "
                        "blive behandlet i Social- og Psykiatriudvalget på baggrund af de "
                        "kvalificerende møder som Region Hovedstadens Psykiatri afholder med "
                        "Røde Kors, Sind, Håb i Psykiatrien og Bedre Psykiatri. Det forventes, "
                        "at udvalget inden sommerferien vil blive forelagt "
                        "beslutningsgrundlaget. Derefter indgås aftale med den valgte "
                        "organisation. Det forventes, at der efter sommerferien 2024 er udviklet "
                        "en samarbejdsform mellem afdelingerne og den frivillige organisation, "
                        "som er klar til drift.", ""),
             "2024Q2": (G, "Beslutningsgrundlaget er forelagt Social- og psykiatriudvalget i "
                        "juni.", "Aftale med den valgte organisation indgås i 3. kvartal "
                        "2024."),
         }},
    ],
}


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(NS, name)


def _initiative(spec, *, org, committee, by) -> Initiative:
    initiative, _created = Initiative.objects.update_or_create(
        pk=_id(spec["title"]),
        defaults={"budget_year": 2024, "organisation": org, "committee": committee,
                  "created_by": by, **{k: spec[k] for k in (
                      "title", "position", "purpose", "description", "approved_on",
                      "approved_by")}})
    for year, amount in spec["allocations"].items():
        Allocation.objects.update_or_create(initiative=initiative, year=year, defaults={
            "amount": amount, "explanation": spec["explanations"].get(year, "")})
    for quarter, text in spec["notes"].items():
        InitiativeNote.objects.update_or_create(initiative=initiative, quarter=quarter,
                                                defaults={"text": text})
    for position, item in enumerate(spec["recommendations"]):
        rec, _created = Recommendation.objects.update_or_create(
            pk=_id(f"{spec['title']}/{item['title']}"),
            defaults={"initiative": initiative, "number": item.get("number"),
                      "title": item["title"], "position": position,
                      "responsible_name": "Region Hovedstadens Psykiatri",
                      "last_quarter": item.get("last", "")})
        if "amount" in item:
            for year in YEARS:
                RecommendationAmount.objects.update_or_create(
                    recommendation=rec, year=year, defaults={"amount": item["amount"]})
        for title, quarter, done in item["milestones"]:
            Milestone.objects.update_or_create(
                recommendation=rec, title=title, defaults={
                    "planned_quarter": quarter,
                    "done_on": dt.date(int(quarter[:4]), int(quarter[-1]) * 3, 15) if done
                    else None})
        for quarter, (light, text, next_steps) in item["statuses"].items():
            StatusReport.objects.update_or_create(
                recommendation=rec, quarter=quarter,
                defaults={"light": light, "text": text, "next_steps": next_steps,
                          "updated_by": by})
    return initiative


@transaction.atomic
def load(*, stdout) -> None:
    e = org_services.ensure_organisation
    region = e(name="Region Hovedstaden", short_name="RegionH", kind=Kind.REGION,
               region_id=1084)
    psychiatry = e(name="Region Hovedstadens Psykiatri", short_name="RHP", parent=region,
                   kind=Kind.REGION_PSYCHIATRY, region_id=1084)
    committee, _created = Committee.objects.get_or_create(
        organisation=region, name="Social- og psykiatriudvalget")
    people = {
        "controller": (_user("controller", "Camilla", "Holm", title="Controller"),
                       AccessRole.CONTROLLER, region, None),
        "projektleder": (_user("projektleder", "Peter", "Lund", title="Projektleder"),
                         AccessRole.PROJECT_LEAD, psychiatry, None),
        "udvalgssekretaer": (_user("udvalgssekretaer", "Sara", "Dahl",
                                   title="Udvalgssekretær"), AccessRole.SECRETARY, None,
                             committee),
        "udvalgsmedlem": (_user("udvalgsmedlem", "Mads", "Berg", title="Udvalgsmedlem"),
                          AccessRole.MEMBER, None, committee),
    }
    for user, role, org, com in people.values():
        InitiativeAccess.objects.get_or_create(user=user, role=role, organisation=org,
                                               committee=com)
    lead = people["projektleder"][0]
    for spec in (TRYGHED, FRIVILLIGE):
        _initiative(spec, org=psychiatry, committee=committee, by=lead)
    stdout.write(f"Budget initiatives: 2 for {committee.name} (seed 004); logins "
                 f"{', '.join(people)} / {DEMO_PASSWORD}")
