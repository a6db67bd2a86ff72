"""Escalation timers. ``escalate_alarm`` is enqueued with ``run_after`` in the transaction
that alerts a step; it is a row in the task table, so it survives a restart of the web
server and the worker and runs when the next worker picks it up."""

from django_tasks import task


@task(queue_name="alerts")
def escalate_alarm(alarm_id: int, step: int) -> str:
    from . import services

    return services.escalate(alarm_id=alarm_id, step=step)
