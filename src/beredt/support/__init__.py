"""Support tool for crisis staff (*støtteværktøj*, seed 001): what to do, say and print.

Owns: the crisis conversation guide of seed 003, appendix 2 (*kriseplan for akut tilbud*:
three phases with questions) as an interactive form that is saved as an encrypted
:class:`~beredt.support.models.GuideNote` on a registry registration; checklists by role
(and the activation app's action cards when it has some for the user's organisations);
reference texts (normal reactions, whom to refer to, front-line staff); self-tests by role
whose results are kept per person (:class:`~beredt.support.models.QuizAttempt`, the
training record of rarely activated staff); printable material (contact sheet PDF, the
shared PDF set-up in :mod:`.pdfbase`) and the safe Markdown renderer (:mod:`.markdown`)
also used by the public site. Texts live in ``content/<da|en>/`` so professionals can
correct them.

May import: core, geo, organisations, incidents, activation (action cards, read only),
directory (contact sheet), registry (registrations the guide is saved on). Never public.
"""
