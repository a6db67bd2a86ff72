"""Incidents (*beredskabshændelser*): what happened, where, who leads, its status, and who
is assigned to it.

An assignment is the explicit grant that lets a user work with an incident's personal data
(e.g. a registrar deployed to the EPC). Activation (alarms, rosters, dispatch) builds on this
app and registration of affected people hangs off :class:`~beredt.incidents.models.Incident`.

The incident log (:class:`~beredt.incidents.models.IncidentLogEntry`, *hændelseslog*) lives
here so that every status change and assignment made by this app is logged in the same
transaction; other apps append with :func:`~beredt.incidents.services.add_log_entry`.
Entries are never edited or deleted; a correction is a new entry pointing at the old one.

Terms: EPC — *Evakuerings- og Pårørendecenter*, the evacuation and relatives centre the
municipality sets up; AMK — *Akut Medicinsk Koordinationscenter*, the regional emergency
coordination whose duty doctor decides the regional plan's activation level;
*kriseniveau* 1/2 — the municipal crisis level for events the municipality handles alone.

May import: core, accounts, geo, organisations, notify (the break-glass notice to the leads).
"""
