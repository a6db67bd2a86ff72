"""Escalation timers. ``escalate_alarm`` is enqueued with ``run_after`` in the transaction
that alerts a step; it is a row in the task table, so it survives a restart of the web
server and the worker and runs when the next worker picks it up. Alert tasks have a higher
priority than the rest (delivery highest), so a worker serving every queue takes them first."""

from django_tasks import task


@task(queue_name="alerts", priority=10)
def escalate_alarm(
    alarm_id: int, step: int, counted_from: str = "", unreached: bool = False
) -> str:
    """``counted_from``: when the running acknowledgement timer started (see
    ``services.escalate``); ``unreached``: enqueued at once (no ``run_after``) when nobody of
    the step could be reached. The texts are written in the site's language (a worker has no
    request)."""
    from django.conf import settings
    from django.utils import translation

    from . import services

    with translation.override(settings.LANGUAGE_CODE):
        return services.escalate(
            alarm_id=alarm_id, step=step, counted_from=counted_from, unreached=unreached
        )
