"""The social change programme (*socialt forandringsforløb*, seed 003).

Citizens discharged from the acute department after a second acute psychiatric admission,
without the psychiatric department, are offered a short structured programme in their
municipality. The hospital refers (``Referral`` = a :class:`~.models.Case` in phase
*referred*) after calling the municipality *with* the citizen; phase 1 *contact* (nothing
more / the acute offer follows up / the support contact person's clarifying talk), phase 2
*contract* (4 weeks + 2 weeks follow-up, 32 face-to-face hours + 5 follow-up hours, more only
after a network meeting to which the authority caseworker was invited), phase 3 *relapse
plan* (Bilag 3), then *closed* with an outcome. The crisis plan follows Bilag 2.

Owns cases, consents per purpose, the phase timeline, plan versions (contract, crisis plan,
relapse plan), hour entries, network meetings and the network map, the activity plan (offers
of the directory), letters (GP letter, CAVE proposal) and readmissions.

May import: core, accounts, geo, organisations, directory, notify.

Danish terms kept as they are:
- *SKP* (støtte-kontakt-person): the support contact person who runs the programme.
- *myndighedsrådgiver*: the authority caseworker, who grants hours.
- *akuttilbud*: the municipality's acute offer; *ATA*: face-to-face time.
- *CAVE-meddelelse*: a short note in the out-of-hours doctors' system.
- Municipal screens say *borger* (citizen), regional screens *patient*.
"""
