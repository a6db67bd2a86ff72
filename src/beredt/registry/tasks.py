"""Background work of the registry (django-tasks; ``beredt db_worker`` runs it)."""

from django_tasks import task


@task()
def purge_expired_registrations() -> int:
    """Anonymise registrations past retention (see :func:`services.purge_expired`). Schedule
    it daily (cron: ``beredt purgeregistrations``, or enqueue this task)."""
    from .hooks import run_purge_hooks
    from .services import purge_expired

    count = purge_expired()
    run_purge_hooks()
    return count
