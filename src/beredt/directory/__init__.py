"""Directory of help: offers, contact lines and "who answers now" (Open Referral HSDS 3.0).

Owns providers (HSDS *organization*), services, locations, service-at-location, phones,
contacts, opening rules (HSDS *schedule*, RRULE-style: freq, byday, opens_at/closes_at,
valid_from/valid_to, dtstart/until) and ad-hoc closures, with history of every change
(django-simple-history). Seed 003 (the contact table and Bilag 1 of the Randers cluster's
report on preventing acute psychiatric admissions) is the demo data (``seed_003.py``).
``DirectoryVersion`` holds a stamp that database triggers change on every write to these
tables; ``selectors.open_now`` keeps compiled lines per process until it changes.

May import: core, geo, organisations. Imported by followup, support and public.

Danish terms kept as they are:
- *visiteret* / *uvisiteret*: an offer only for citizens the municipality has granted it
  (by a case decision, *visitation*) / open to anyone without a decision; ``begge`` = both.
- *SL §82a*, *SL §85*, *SUL §141* …: the legal basis (serviceloven, sundhedsloven).
- *helligdag*: Danish public holiday (``holidays.Denmark``); "hverdage" = weekdays that are
  not public holidays.
- *akuttelefon*: the municipality's acute line; *lægevagten*: out-of-hours doctor.

Public selectors (for the ``public`` app and others), all without login:

``selectors.open_now(municipality_code, at=None, audience=None) -> OpenNow``
    Who answers at ``at`` (aware datetime; naive = Europe/Copenhagen; default now) for the
    municipality (official code, e.g. 730). ``audience`` is ``"citizen"``,
    ``"professional"`` or None (all). ``OpenNow.open`` = the municipality's open lines,
    nearest help first, each a ``LineStatus`` with ``name``, ``phone``, ``phone_number``,
    ``visitation``, ``audience``, ``open_until`` (None while ``always_open``);
    ``OpenNow.region`` = the region's lines answering now (24-hour lines);
    ``OpenNow.closed`` = the rest with ``next_open``, soonest first. ``as_dict()`` gives
    the API's JSON. Raises ``DomainError`` (code ``unknown_municipality`` /
    ``unknown_audience``).
``selectors.contact_sheet(municipality_code) -> ContactSheet``
    ``lines`` and ``region_lines`` (each ``SheetLine(service, phones, hours)``): the
    one-page contact sheet (two numbers per municipality plus the region's).
``selectors.search_services(municipality=, q=, visitation=, legal_basis=, kind=, audience=)``
    A queryset of services (the municipality's and its region's).

Writes live in ``services`` (``save_service``, ``import_csv``, ``add_closure``,
``load_seed_003``) and ``hsds`` (``import_hsds``, ``export_page``); editing needs
``selectors.can_edit_directory(user)`` (administrator role or superuser).
"""
