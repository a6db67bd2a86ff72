"""Background work of the registry (django-tasks; ``beredt db_worker`` runs it)."""

from django_tasks import task


@task()
def purge_expired_registrations() -> int:
    """Anonymise registrations past retention (see :func:`services.purge_expired`). Schedule
    it daily (cron: ``beredt purgeregistrations``, or enqueue this task)."""
    from .services import purge_expired

    return purge_expired()
