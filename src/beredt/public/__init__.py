"""Public site (no login) and self-registration for people who left without registering.

Owns: the crisis information under ``/hjaelp/<lang>/`` in Danish, English, Arabic
(right-to-left), Ukrainian and Polish — reviewed texts in ``content/<lang>/`` (normal
reactions, children, advice, when to seek help) and per-municipality help from the
directory; the public page of an incident (:class:`~beredt.public.models.IncidentPage`),
written and published by the incident's lead/KOP; self-registration from that page
(:class:`~beredt.public.models.SelfRegistration`, encrypted, honeypot + rate limits per IP
and per incident) and the staff queue that confirms it into the registry as a
"self-registration" with digital consent (:mod:`.registry_bridge`); the citizen leaflet PDF
with a QR code to the incident page. KOP = *koordinerende psykiatrisk kontaktperson*; EPC =
*evakuerings- og pårørendecenter*.

May import: core, accounts, geo, organisations, incidents, directory, registry, support.
"""
