"""Registers ``beredt_audit_locked()`` on each SQLite connection (see core migration 0002).

The guard is on unless :data:`AUDIT_DELETE_ALLOWED` is set, which only the test suite's
database flush does; application code has no way to turn it off per request.
"""

from django.db.backends.signals import connection_created
from django.dispatch import receiver

AUDIT_DELETE_ALLOWED = False


def _locked() -> int:
    return 0 if AUDIT_DELETE_ALLOWED else 1


@receiver(connection_created)
def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("beredt_audit_locked", 0, _locked)
