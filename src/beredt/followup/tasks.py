"""Background work (django-tasks, database backend). Every task is a row written in the
transaction that caused it, so timers survive restarts of the web server and the worker.

* ``check_receipt`` — at a handover's receipt deadline: escalate to the sender's KOP and the
  receiver's backup contact when nobody acknowledged (queue ``alerts``).
* ``remind_task`` — on a follow-up task's due date: remind the assigned worker.
* ``send_campaign_chunk`` / ``watch_campaign`` — outreach (queue ``outreach``), see
  :mod:`beredt.followup.outreach`.
"""

from django_tasks import task


@task(queue_name="alerts", priority=10)
def check_receipt(handover_id: str) -> str:
    from . import services

    return services.check_receipt(handover_id=handover_id)


@task()
def remind_task(task_id: int) -> str:
    from . import services

    return services.remind(task_id=task_id)


@task(queue_name="outreach")
def send_campaign_chunk(campaign_id: str) -> dict:
    from . import outreach

    return outreach.send_chunk(campaign_id=campaign_id)


@task(queue_name="outreach")
def watch_campaign(campaign_id: str) -> str:
    from . import outreach

    return outreach.watch(campaign_id=campaign_id)
