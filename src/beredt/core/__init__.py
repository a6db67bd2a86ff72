"""Core: what every other app stands on, and which depends on no other Beredt app.

Owns the append-only audit log (:mod:`beredt.core.audit`), encryption of personal data at
rest and the keyed look-up hash (:mod:`beredt.core.crypto`, :mod:`beredt.core.fields`),
CPR number handling (:mod:`beredt.core.cpr`), domain errors and the HTTP API instance with
its authentication and error format (:mod:`beredt.core.api`), the request context used to
record who did what from which IP, multi-row INSERTs for hot paths (:mod:`beredt.core.rows`),
the ``BeredtAppConfig`` hooks other apps plug in with, and the base templates and stylesheet.

May import: nothing of ours.
"""
