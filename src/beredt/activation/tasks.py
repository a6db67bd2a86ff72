"""Escalation timers. ``escalate_alarm`` is enqueued with ``run_after`` in the transaction
that alerts a step; it is a row in the task table, so it survives a restart of the web
server and the worker and runs when the next worker picks it up."""

from django_tasks import task


@task(queue_name="alerts")
def escalate_alarm(alarm_id: int, step: int, unreached: bool = False) -> str:
    """``unreached``: enqueued at once (no ``run_after``) when nobody of the step could be
    reached; the texts are written in the site's language (a worker has no request)."""
    from django.conf import settings
    from django.utils import translation

    from . import services

    with translation.override(settings.LANGUAGE_CODE):
        return services.escalate(alarm_id=alarm_id, step=step, unreached=unreached)
