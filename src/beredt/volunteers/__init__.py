"""Volunteer patient supports (*frivillige patientstøtter*) in the psychiatric acute
receptions (seed ``004_…``).

A volunteer organisation (Røde Kors, SIND, Bedre Psykiatri, Håb i Psykiatrien …) is chosen as
partner (:class:`~.models.Partnership`); it recruits, trains and organises volunteers in
units (:class:`~.models.VolunteerUnit`), one per acute reception, whose activity leaders
(*aktivitetsledere*) make the month rota (:class:`~.models.VolunteerShift`). The department
names a contact person who instructs a volunteer at the first shift
(:class:`~.models.Onboarding`). Staff call the volunteer on shift to accompany a patient
(:class:`~.models.AccompanyRequest`) — never with patient data: only where and when, and
whether the patient has no relative present. Volunteers have **no care tasks**.

A volunteer is a user with no organisation membership at all (the least access Beredt
has): everything they see comes from this app's selectors — their own shifts and their
unit's rota.

Owns: partnerships, units, volunteers, shifts and wishes, accompaniment requests,
onboarding, the first-year evaluation.

May import: core, accounts, geo, organisations, notify.
"""
