"""Registration of affected people (*berørte*), their consent, duplicates, bulk entry and
retention — the heart of Beredt (seed ``001_…``: a uniform registration practice with
documented consent, targeted at the follow-up that may happen elsewhere in the country).

Owns: ``RegistrationPoint`` (the scene, an EPC — *Evakuerings- og Pårørendecenter*, the
evacuation and relatives centre —, a psychiatric acute reception, a hotline, paper forms),
``Registration`` (one person in one incident; personal fields encrypted at rest, CPR — the
Danish personal number — as a keyed hash for look-up), ``ConsentRecord`` (registration,
follow-up contact with channels, sharing with named authorities; given by the person or a
guardian; withdrawn, never deleted), ``MatchKey`` / ``DuplicateCandidate`` / ``Merge``
(duplicate matching, review, merge and undo), ``ImportBatch`` (CSV/XLSX bulk entry).

For other apps: ``selectors.may_contact`` / ``consented_channels`` / ``may_share`` before any
contact or handover, ``selectors.person_group`` for merged people, and the hooks in
:mod:`.hooks` (withdrawal stops pending outreach; retention holds for active follow-up).
The printable form is the URL ``registry:form_pdf`` (``?lang=da|en&copies=N&incident=…``).

May import: core, accounts, geo, organisations, incidents. Never followup/support/public.
"""
