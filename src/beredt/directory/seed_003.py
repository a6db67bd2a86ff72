"""Seed 003 transcribed: the contact table (Leverance 2) and Bilag 1.

Source: ``/work/shared/seeds/003_f258e07f07d07136.txt`` — the report of "laboratorie 14"
(forebyggelse af akutte psykiatriske indlæggelser, Randersklyngen): "Kontakten til
kommunerne/region er følgende" and "Bilag 1 Tilbud på psykiatriområdet i Syddjurs,
Norddjurs, Randers og Favrskov Kommuner". Danish text is kept as written, spelling
included ("deppression", "Brude isolation"). The PDF's columns were extracted as flowing
text; where the column a text belongs to, or its meaning, is unclear, a ``note`` says so
and the choice made. ``hours`` uses the compact notation of :mod:`beredt.directory.hours`.

Interpretations that apply throughout (also in docs/directory.md):
- "hverdage" (weekdays) excludes Danish public holidays: such rules carry ``-holidays``.
- Lines said to be open every day / around the clock also answer on public holidays.
- A number given for a contact table entry is a *line* (``kind="line"``, answers "who
  answers now"); Bilag 1 rows are *offers* (``kind="offer"``).
"""

NORDDJURS, SYDDJURS, FAVRSKOV, RANDERS = 707, 706, 710, 730
REGION_MIDT = 1082

PROVIDERS = [
    {"key": "norddjurs", "name": "Norddjurs Kommune", "municipality": NORDDJURS},
    {"key": "syddjurs", "name": "Syddjurs Kommune", "municipality": SYDDJURS,
     "email": "syddjurs@syddjurs.dk"},
    {"key": "randers", "name": "Randers Kommune", "municipality": RANDERS},
    {"key": "favrskov", "name": "Favrskov Kommune", "municipality": FAVRSKOV},
    {"key": "regionspsykiatrien", "name": "Regionspsykiatrien (Region Midtjylland)",
     "region": REGION_MIDT},
]

# --- Contact table: "to telefonnumre i hver kommune samt et i regionen" ----------------------
# Column header of the day numbers: "Dagtid (alle henvendelser visiteret/uvisteret)"
# → visitation "begge"; the acute column states "Alle" (both) or "Visiteret".
LINES = [
    {"key": "norddjurs-dag", "provider": "norddjurs", "municipality": NORDDJURS, "rank": 10,
     "name": "Norddjurs Kommune, dagtid (myndighedsafdelingen)",
     "phones": ["89591010"], "visitation": "begge",
     "period": "Mandag – fredag kl. 9-10. Der kan indtales besked på telefonsvaren",
     "description": "8959 1010 – spørg efter myndighedsafdelingen. Der kan indtales besked "
                    "på telefonsvaren.",
     "hours": "MO-FR 09:00-10:00 -holidays"},
    {"key": "norddjurs-akut", "provider": "norddjurs", "municipality": NORDDJURS, "rank": 20,
     "name": "Norddjurs Kommune, akuttelefon", "phones": ["22617812"], "visitation": "begge",
     "period": "døgnåben", "hours": "daily 00:00-23:59"},
    {"key": "syddjurs-dag", "provider": "syddjurs", "municipality": SYDDJURS, "rank": 10,
     "name": "Syddjurs Kommune, dagtid", "phones": ["87535000"], "visitation": "begge",
     "period": "Mandag - tirsdag: 8.30 - 15. Onsdag: Lukket. Torsdag: 8.30 - 17.00. "
               "Fredag: 8.30 - 12.00",
     "hours": "MO,TU 08:30-15:00 -holidays; TH 08:30-17:00 -holidays; "
              "FR 08:30-12:00 -holidays"},
    {"key": "syddjurs-akut", "provider": "syddjurs", "municipality": SYDDJURS, "rank": 20,
     "name": "Syddjurs Kommune, akuttelefonen", "phones": ["51356476"], "visitation": "begge",
     "legal_basis": "SL §82c", "period": "kl. 12 – 22", "hours": "daily 12:00-22:00",
     "note": "Kontakttabellen siger kl. 12–22; Bilag 1 siger i periodekolonnen '12 -22 Alle "
             "dage' men i kontaktkolonnen 'Alle dage 20 -22 Tlf. 51356476'. Vi følger "
             "kontakttabellen og periodekolonnen (12–22)."},
    {"key": "randers-dag", "provider": "randers", "municipality": RANDERS, "rank": 10,
     "name": "Randers Kommune, dagtid", "phones": ["29749020"], "visitation": "begge",
     "period": "Hverdage kl. 8.00 – 15.00", "hours": "MO-FR 08:00-15:00 -holidays"},
    {"key": "randers-aften", "provider": "randers", "municipality": RANDERS, "rank": 20,
     "name": "Randers Kommune, akuttelefon aften og weekend", "phones": ["24900783"],
     "visitation": "begge", "legal_basis": "SL §99",
     "period": "Alle hverdag kl. 15.00 – 22.00. Weekender kl. 8.00 - 22.00",
     "hours": "MO-FR 15:00-22:00 -holidays; SA,SU 08:00-22:00; holidays 08:00-22:00",
     "note": "I tabellen står 'Weekender kl. 8.00 - 22.00' efter 'Alle'; vi læser det som "
             "2490 0783's weekendtid. Bilag 1 (Støtte/kontaktpersoner, Rådgivningstelefon) "
             "giver '8-22 weekender og helligdage', derfor også 8–22 på helligdage."},
    {"key": "randers-nat", "provider": "randers", "municipality": RANDERS, "rank": 30,
     "name": "Randers Kommune, akuttelefon nat", "phones": ["24900911"], "visitation": "begge",
     "legal_basis": "SL §99", "period": "Alle dage kl. 22.00 – 8.00.",
     "hours": "daily 22:00-08:00"},
    {"key": "favrskov-dag", "provider": "favrskov", "municipality": FAVRSKOV, "rank": 10,
     "name": "Favrskov Kommune, dagtid (Social Indsats)", "phones": ["89642017"],
     "visitation": "begge",
     "period": "Mandag – onsdag kl. 9-15. Torsdag kl. 14-18. Fredag kl. 9-12",
     "hours": "MO-WE 09:00-15:00 -holidays; TH 14:00-18:00 -holidays; "
              "FR 09:00-12:00 -holidays",
     "note": "Tabellens overskrift siger 'alle henvendelser visiteret/uvisiteret'; Bilag 1 "
             "opfører samme nummer under Social Indsats som 'Uvisiteres'."},
    {"key": "region-patienter", "provider": "regionspsykiatrien", "region": REGION_MIDT,
     "rank": 50, "name": "Regionspsykiatrien, akut (patienter)", "phones": ["78470470"],
     "visitation": "begge", "audience": "citizen", "period": "Hele døgnet",
     "hours": "daily 00:00-23:59"},
    {"key": "region-laeger", "provider": "regionspsykiatrien", "region": REGION_MIDT,
     "rank": 51, "name": "Regionspsykiatrien, akut (praktiserende læger og speciallæger)",
     "phones": ["78475352"], "visitation": "begge", "audience": "professional",
     "period": "Hele døgnet", "hours": "daily 00:00-23:59",
     "note": "Den løse tekst '784) 75352' under tabellen er en PDF-rest af samme nummer."},
]

# --- Bilag 1 ----------------------------------------------------------------------------------
# Syddjurs' table has the columns Indsatsen/navn, Periode, Målgruppe, Antal deltagere,
# Indhold, Effekten, Visitation/Kontakt; no separate visitation column, so visitation is
# only set where the text says so ("Uvisiteret", "Individuel visitation").
SOCIALCENTER = {"contacts": [{"name": "Socialcenter", "email": "syddjurs@syddjurs.dk"}],
                "phones": ["87535000"]}

OFFERS = [
    # Syddjurs Kommune
    {"key": "syddjurs-82a", "municipality": SYDDJURS, "provider": "syddjurs",
     "legal_basis": "SL §82a", "name": "Udvidet råd og vejledning", "period": "hverdage",
     "target_group": "Ad hoc psykosociale problemer", "capacity": "Ad hoc",
     "description": "Praktisk råd og vejledning og ad hoc støtte til kortere varende forløb. "
                    "Myndighed varetager",
     "effect": "Problemløsning af konkrete afgrænsede problemer", **SOCIALCENTER},
    {"key": "syddjurs-82b", "municipality": SYDDJURS, "provider": "syddjurs",
     "legal_basis": "SL §82b", "name": "Gruppe tilbud",
     "target_group": "Angst, stres deppression m.m.", "capacity": "5-8",
     "description": "Gruppe orienteret terapi inkl. mindfulness",
     "effect": "Længerevarende forløb", "phones": ["24865368"],
     "contacts": [{"email": "rak@syddjurs.dk"}],
     "note": "Ingen periode angivet."},
    {"key": "syddjurs-82c", "municipality": SYDDJURS, "provider": "syddjurs",
     "legal_basis": "SL §82c", "name": "Akuttelefonen", "period": "12 -22 Alle dage",
     "target_group": "Borgere +18 år der har akutte psykosociale problemer",
     "visitation": "uvisiteret",
     "description": "Råd og vejledning i forhold til håndtering af krise",
     "effect": "Håndtering af problemer. Bliver koblet til relevant hjælpesystem.",
     "phones": ["51356476"], "hours": "daily 12:00-22:00",
     "note": "Skrevet 'Sl§82 c'. 'Uvisiteret' står i kolonnen Antal deltagere. Kontaktkolonnen "
             "siger 'Alle dage 20 -22 Tlf. 51356476' i modstrid med perioden 12–22; vi "
             "følger perioden og kontakttabellen."},
    {"key": "syddjurs-99", "municipality": SYDDJURS, "provider": "syddjurs",
     "legal_basis": "SL §99", "name": "Støtte kontaktperson", "period": "Ad hoc hverdage",
     "target_group": "Borgere der ikke selv opsøger hjælp ved psykosocialproblemer",
     "visitation": "uvisiteret", "description": "Råd og vejledning , praktisk hjælp",
     "effect": "Kontakt med system", "phones": ["40150152"],
     "contacts": [{"email": "skp@syddjurs.dk"}],
     "note": "Skrevet '§99 støtte kontaktperson' uden lov; SL (serviceloven) antaget."},
    {"key": "syddjurs-vaeresteder", "municipality": SYDDJURS, "provider": "syddjurs",
     "name": "Væresteder – frivillig støtte", "period": "Ad hoc",
     "target_group": "Alle borgere", "capacity": "Ad hoc",
     "description": "Gratis fællesspisning 6 steder i kommunen",
     "effect": "Brude isolation. Praktisk støtte. Besøgsvenner",
     "phones": ["30515056"], "contacts": [{"email": "psej@syddjurs.dk"}],
     "note": "Kontakt anført som 'Kontakt: 30515056 psej@syddjurs.dk facebook :Nye veje'."},
    {"key": "syddjurs-rusmidler", "municipality": SYDDJURS, "provider": "syddjurs",
     "name": "Rusmidler", "period": "Ad hoc",
     "target_group": "Borgere med rusmiddel problem", "capacity": "Ad hoc",
     "description": "Behandling. Unge tilbud", "phones": ["87910220"],
     "note": "Webadressen står som 'rusmiddelcentersyddjurs.dk' (uden punktum efter "
             "rusmiddelcenter); den er ikke overført som link."},
    {"key": "syddjurs-bostotte", "municipality": SYDDJURS, "provider": "syddjurs",
     "legal_basis": "SL §85", "name": "Bostøtte", "period": "fast",
     "target_group": "Borgere +18 år Der har svære psykosociale problemer",
     "capacity": "Ad hoc", "visitation": "visiteret",
     "description": "Træning. Kompensation. vejledning",
     "effect": "Håndtering af nødvendige gøremål for bevarelse af hjem, socialt liv og aktivitet",
     **SOCIALCENTER, "note": "'Individuel visitation' står i kolonnen Antal deltagere."},
    {"key": "syddjurs-mentorlab", "municipality": SYDDJURS, "provider": "syddjurs",
     "legal_basis": "LAB §31b", "name": "mentorLAB", "period": "fast",
     "target_group": "Borgere +18 år Der har svære psykosociale problemer og samtidigt har "
                     "en sag i Jobcenteret",
     "capacity": "Ad hoc", "visitation": "visiteret",
     "description": "Træning. Kompensation. Vejledning I forhold til job og uddannelse",
     "effect": "Håndtering af opgaver møntet mod job eller uddannelse", **SOCIALCENTER,
     "note": "Skrevet 'mentorLAB 31b'; læst som lov om aktiv beskæftigelsesindsats §31b."},
    {"key": "syddjurs-kollegiet", "municipality": SYDDJURS, "provider": "syddjurs",
     "name": "Botilbuddet Kollegiet", "period": "2-3 år",
     "target_group": "Unge 18-25 år Autisme spektre forstyrrelser", "capacity": "7",
     "description": "Træning. Kompensation. Vejledning i praktiske og sociale færdigheder",
     "effect": "Får kompetencer til at kunne bo selvstændigt eller i mindre indgribende "
               "foranstaltning", **SOCIALCENTER, "note": "Ingen lovhjemmel angivet."},
    {"key": "syddjurs-lige-om-hjoernet", "municipality": SYDDJURS, "provider": "syddjurs",
     "name": "”Lige om hjørnet” Beskæftigelses tilbud", "period": "hverdage",
     "target_group": "Unge 18-30 år Minus skolegang. Psykosociale eller/og "
                     "neuropsykiatriske diagnoser.",
     "capacity": "6 -10",
     "description": "Træning. Kompensation. Vejledning i praktiske og sociale færdigheder "
                    "samt understøttelse af uddannelse og job/træning",
     "effect": "Opøvelse af kompetencer rettet mod job/uddannelse. Folkeskolens "
               "afgangsprøve, Fremmøde stabilitet, Sociale kompetencer m.m.",
     "note": "Ingen kontakt angivet."},
    {"key": "syddjurs-midtpunktet", "municipality": SYDDJURS, "provider": "syddjurs",
     "legal_basis": "SL §104", "name": "Midtpunktet – Aktivitets og værested",
     "period": "Hverdage",
     "target_group": "18 år + Svære psykosociale problemer. Ofte på førtidspension",
     "capacity": "Ad hoc",
     "description": "Træning. Kompensation. Vejledning igennem praktiske, kreative, fysiske "
                    "og sociale aktiviteter.",
     "effect": "Stabilisering og styrkelse af mestringskompetencer. Netværksskabelse,. "
               "Opøvelse af sociale, praktiske og kreative kompetencer", **SOCIALCENTER},

    # Norddjurs Kommune: no contact column filled in; the Målgruppe column is empty and the
    # text after the visitation falls in Indhold.
    {"key": "norddjurs-dolmer-85", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §85", "name": "Dolmer Have", "period": "0-24 alle dage",
     "visitation": "visiteret", "description": "Vagttelefon/tryghedsopkald",
     "hours": "daily 00:00-23:59"},
    {"key": "norddjurs-dolmer-107", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §107", "name": "Dolmer Have (midlertidigt botilbud)",
     "period": "0-24 alle dage", "visitation": "visiteret",
     "description": "Midlertidig botilbud", "hours": "daily 00:00-23:59",
     "note": "Visitation skrevet 'Visiteret (hurtig sagsbehandling)'."},
    {"key": "norddjurs-glesborg", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §85", "name": "Glesborg Bofællesskab",
     "period": "8-16 (-19) + lør. 9-15", "visitation": "visiteret",
     "hours": "MO-FR 08:00-16:00 -holidays; SA 09:00-15:00",
     "note": "Dagene for 8-16 er ikke angivet; hverdage antaget. '(-19)' er uklart (måske "
             "til kl. 19 nogle dage) og er ikke lagt ind som åbningstid."},
    {"key": "norddjurs-t68", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §85", "name": "Bostøtte T-68 Grenå", "period": "8-16 hverdage",
     "visitation": "visiteret", "hours": "MO-FR 08:00-16:00 -holidays"},
    {"key": "norddjurs-auning", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §85", "name": "Bostøtte Auning/Allingåbro", "period": "8-16 hverdage",
     "visitation": "visiteret", "hours": "MO-FR 08:00-16:00 -holidays"},
    {"key": "norddjurs-udsatte", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §85, §99", "name": "Socialt udsatteteam", "period": "8-22 hverdage",
     "visitation": "begge", "description": "Skiftende arbejdstider",
     "hours": "MO-FR 08:00-22:00 -holidays",
     "note": "Skrevet 'SL-§85/99'; visitation 'Visiteret og uvisiteret'."},
    {"key": "norddjurs-auc", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §104", "name": "AUC – aktivitet og udvikling",
     "period": "9-15 hverdage (tirs. 9-12.30)", "visitation": "visiteret",
     "hours": "MO,WE-FR 09:00-15:00 -holidays; TU 09:00-12:30 -holidays"},
    {"key": "norddjurs-no17", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §104", "name": "No 17 i Auning aktivitet og udvikling",
     "period": "Man-ons-fre 9-15", "visitation": "visiteret",
     "hours": "MO,WE,FR 09:00-15:00 -holidays",
     "note": "'Man-ons-fre' læst som mandag, onsdag og fredag (ikke mandag–fredag)."},
    {"key": "norddjurs-sft", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §85 (§82a)", "name": "SFT", "period": "1 x uge/9 mnd",
     "visitation": "begge", "description": "Gruppeforløb",
     "note": "Visitation skrevet 'Visiteret/uvisiteret'. Ugedag og tidspunkt ikke angivet."},
    {"key": "norddjurs-rusmiddel", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SUL §141, SL §101", "name": "Rusmiddelcenter Norddjurs",
     "period": "9-16 (18) hverdage", "visitation": "visiteret",
     "description": "Grenå og Allingåbro", "hours": "MO-FR 09:00-16:00 -holidays",
     "locations": ["Grenå", "Allingåbro"],
     "note": "Visitation skrevet 'Visiteret ingen ventetid'. '(18)' er uklart (måske til kl. "
             "18 nogle dage) og er ikke lagt ind. 'Grenå og Allingåbro' står i Indhold; "
             "vi læser det som adresser (locations)."},
    {"key": "norddjurs-neuropaed", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §85", "name": "Neuropæd team", "period": "8-16 hverdage",
     "visitation": "visiteret", "hours": "MO-FR 08:00-16:00 -holidays"},
    {"key": "norddjurs-sociorehab", "municipality": NORDDJURS, "provider": "norddjurs",
     "legal_basis": "SL §83, §85", "name": "Tværgående sociorehabteam",
     "period": "8-16 hverdage", "visitation": "visiteret",
     "description": "Til borgere, hvor der er et behov for både sundhedsmæssigt og "
                    "socialpædagogisk indsats",
     "effect": "Max. 3 måneder", "hours": "MO-FR 08:00-16:00 -holidays",
     "note": "Visitation skrevet 'Hurtig visitation'. 'Max. 3 måneder' står i kolonnen "
             "Effekten men er snarere forløbets længde."},

    # Randers Kommune
    {"key": "randers-vaeresteder", "municipality": RANDERS, "provider": "randers",
     "legal_basis": "SL §104", "name": "Væresteder og aktivitetscentre",
     "visitation": "visiteret", "note": "Ingen periode eller kontakt angivet."},
    {"key": "randers-bostottecentre", "municipality": RANDERS, "provider": "randers",
     "legal_basis": "SL §85", "name": "Bostøttecentre Infanterivej, Nørrebrogade, "
                                     "Sjællandsgade",
     "period": "8-21 (de tre tilbud dækkes af en fælles medarbejder i weekend)",
     "visitation": "visiteret",
     "description": "Borgerne har en del udfordringer, der gør, at de ikke kan bo i egen "
                    "bolig pt.",
     "hours": "daily 08:00-21:00",
     "locations": ["Infanterivej", "Nørrebrogade", "Sjællandsgade"],
     "note": "Én række i kilden med fire centre; delt i to, fordi Solsorten har andre tider. "
             "Weekenddækning med fælles medarbejder tolket som åbent 8-21 alle dage."},
    {"key": "randers-solsorten", "municipality": RANDERS, "provider": "randers",
     "legal_basis": "SL §85", "name": "Bostøttecenter Solsorten",
     "period": "8-22 (weekend 14-22)", "visitation": "visiteret",
     "description": "Borgerne har en del udfordringer, der gør, at de ikke kan bo i egen "
                    "bolig pt.",
     "hours": "MO-FR 08:00-22:00; SA,SU 14:00-22:00", "locations": ["Solsorten"]},
    {"key": "randers-bostotte", "municipality": RANDERS, "provider": "randers",
     "legal_basis": "SL §85", "name": "Bostøtte", "period": "Individuelt",
     "visitation": "visiteret", "description": "Borgerne skal gennem fremskudt rådgivning"},
    {"key": "randers-vestre-tvaervej", "municipality": RANDERS, "provider": "randers",
     "legal_basis": "SL §85", "name": "Botilbud Vestre Tværvej", "visitation": "visiteret"},
    {"key": "randers-paderuphus", "municipality": RANDERS, "provider": "randers",
     "legal_basis": "SL §107", "name": "Paderuphus", "visitation": "visiteret",
     "target_group": "Unge mellem 18 og 30 år",
     "note": "'Unge mellem 18 og 30 år' står i kolonnen Indhold; læst som målgruppe."},
    {"key": "randers-skp", "municipality": RANDERS, "provider": "randers",
     "legal_basis": "SL §99", "name": "Støtte/kontaktpersoner – Rådgivningstelefon",
     "period": "15-22 hverdage, 8-22 weekender og helligdage, 22-08 alle dage",
     "visitation": "uvisiteret", "phones": ["24900783", "24900911"],
     "hours": "MO-FR 15:00-22:00 -holidays; SA,SU 08:00-22:00; holidays 08:00-22:00; "
              "daily 22:00-08:00",
     "note": "De to numre deler perioden: 2490 0783 kl. 15/8–22 og 2490 0911 kl. 22–08 "
             "(jf. kontakttabellen, hvor de er oprettet som to linjer)."},
    {"key": "randers-fremskudt", "municipality": RANDERS, "provider": "randers",
     "legal_basis": "SL §82", "name": "Fremskudt rådgivning",
     "period": "Tirs 12-16 (fremmøde), Tirs 10-11.30 (telefon), Tors 12-15 (fremmøde), "
               "Tors 10-11.30 (telefon)",
     "visitation": "uvisiteret", "phones": ["89157103"],
     "contacts": [{"email": "fremskudtpsykiatri@randers.dk"}],
     "hours": "TU 10:00-11:30 (telefon); TU 12:00-16:00 (fremmøde); "
              "TH 10:00-11:30 (telefon); TH 12:00-15:00 (fremmøde)",
     "note": "Helligdage ikke nævnt; tiderne gælder også helligdage, indtil kommunen oplyser "
             "andet."},

    # Favrskov Kommune
    {"key": "favrskov-akut", "municipality": FAVRSKOV, "provider": "favrskov",
     "name": "Akuttelefon (kun for visiterede borgere)", "visitation": "visiteret",
     "note": "Kontakttabellen: akuttelefon 'Kun for visiterede borgere', 'Visiteret' — "
             "intet nummer og ingen tider angivet, derfor ikke oprettet som linje."},
    {"key": "favrskov-raadgivning", "municipality": FAVRSKOV, "provider": "favrskov",
     "name": "Handicap- og Psykiatrirådgivningen",
     "period": "Telefontid alle dage 9.00-10.00 - undtaget onsdag",
     "visitation": "visiteret", "description": "Myndighedsafdelingen",
     "phones": ["89644326"],
     "contacts": [{"email": "socialindsats@favrskov.dk"}, {"email": "jees@favrskov.dk"}],
     "hours": "MO,TU,TH,FR 09:00-10:00 -holidays",
     "note": "'alle dage … undtaget onsdag' læst som hverdage undtagen onsdag (en "
             "myndighedsafdeling); kilden kan også betyde også lørdag og søndag."},
    {"key": "favrskov-socialindsats", "municipality": FAVRSKOV, "provider": "favrskov",
     "legal_basis": "SL §82a, §82b, §82d", "name": "Social Indsats",
     "period": "Man-onsdag 9.00-15.00, Torsdag 14.00-18.00, Fredag 9.00-12.00",
     "visitation": "uvisiteret", "phones": ["89642017"],
     "contacts": [{"email": "socialindsats@favrskov.dk"}],
     "hours": "MO-WE 09:00-15:00 -holidays; TH 14:00-18:00 -holidays; "
              "FR 09:00-12:00 -holidays",
     "note": "Skrevet 'SL§821, 82b, 82d'; '821' læst som §82a."},
    {"key": "favrskov-laer", "municipality": FAVRSKOV, "provider": "favrskov",
     "legal_basis": "SL §104", "name": "LÆR/Væresteder", "period": "Varierende åbningstider",
     "visitation": "uvisiteret", "description": "Gruppeforløb og Væresteder",
     "phones": ["89642637"], "contacts": [{"email": "mlil@favrskov.dk"}]},
    {"key": "favrskov-stu", "municipality": FAVRSKOV, "provider": "favrskov",
     "name": "STU", "period": "Man-torsdag 8.00-14.30, Fredag 8.00-12.45",
     "phones": ["89642581", "89642582"], "contacts": [{"email": "sude@favrskov.dk"}],
     "hours": "MO-TH 08:00-14:30 -holidays; FR 08:00-12:45 -holidays",
     "note": "STU: særligt tilrettelagt ungdomsuddannelse. Visitation ikke angivet."},
    {"key": "favrskov-rusmiddel", "municipality": FAVRSKOV, "provider": "favrskov",
     "legal_basis": "SUL §141, §142, SL §101", "name": "Favrskov Rusmiddelcenter",
     "period": "Hverdage", "phones": ["23492443"], "contacts": [{"email": "sude@favrskov.dk"}],
     "note": "Skrevet 'SUL141 og 142, SL§101'. Samme e-mail som STU i kilden."},
    {"key": "favrskov-bostotte-psyk", "municipality": FAVRSKOV, "provider": "favrskov",
     "legal_basis": "SL §85", "name": "Bostøtte Psykiatri", "period": "Hverdage",
     "visitation": "visiteret", "phones": ["86960183"],
     "contacts": [{"email": "jmr@favrskov.dk"}]},
    {"key": "favrskov-bostotte-adhd", "municipality": FAVRSKOV, "provider": "favrskov",
     "legal_basis": "SL §85", "name": "Bostøtte ADHD/Asperger og Bostøtte Carma",
     "period": "Hverdage", "visitation": "visiteret", "phones": ["89642626"],
     "contacts": [{"email": "kabr@favrskov.dk"}]},
    {"key": "favrskov-jagtvej", "municipality": FAVRSKOV, "provider": "favrskov",
     "legal_basis": "SL §85", "name": "Boligerne Jagtvej", "period": "Dagtimer",
     "visitation": "visiteret", "phones": ["86960182"],
     "contacts": [{"email": "jmr@favrskov.dk"}]},
    {"key": "favrskov-harebakken", "municipality": FAVRSKOV, "provider": "favrskov",
     "legal_basis": "SL §85, §107", "name": "Harebakken",
     "period": "Døgntilbud + akutpladser", "visitation": "visiteret", "phones": ["89642630"],
     "contacts": [{"email": "anks@favrskov.dk"}],
     "note": "Døgntilbud: ikke lagt ind som telefontid, da kilden ikke siger, at nummeret "
             "besvares hele døgnet."},
    {"key": "favrskov-carma", "municipality": FAVRSKOV, "provider": "favrskov",
     "legal_basis": "SL §107", "name": "Carma", "period": "Dagtimer",
     "visitation": "visiteret", "phones": ["23479298"],
     "contacts": [{"email": "kabr@favrskov.dk"}]},
]
