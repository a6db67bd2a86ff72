"""Preparedness and activation (*beredskab og aktivering*).

Owns the preparedness plans of organisations, their roles and who holds each role (managed
by the organisation's preparedness leads), on-call rosters (*vagtplaner*) with swaps and an
iCalendar feed per person, versioned action cards ticked off per incident,
training records (KOP and crisis-team training, with expiry), and the activation of an
incident: alarms that escalate along the plan's chain (KOP → deputy → AL → HL) until someone
acknowledges, call-outs of crisis-team members who accept or decline from the phone,
dispatch to deployment sites, the incident board, stand-down, after-action (supervision and
debrief) and alarm statistics kept apart for exercises.

Danish terms: **KOP** — *Koordinerende Psykiatrisk Kontaktperson*, leads the psychiatric crisis
team at activation (one per department); **AL** — department management (*afdelingsledelse*),
the psychiatric preparedness management; **HL** — hospital management; **AMK** — the regional
emergency coordination centre, which alarms; **EPC** — *Evakuerings- og Pårørendecenter*;
**ØVELSE** — exercise, the prefix of every message sent for an exercise.

The incident log itself is a model of ``beredt.incidents`` (so that status changes made there
are logged too); this app writes every activation step into it.

May import: ``core``, ``accounts``, ``geo``, ``organisations``, ``incidents``, ``notify``.
"""
