"""Background delivery: ``deliver_messages.enqueue(ids)`` inside the transaction that queued
the messages; ``beredt db_worker --queue-name alerts,default`` sends them."""

from django_tasks import task

from . import services


@task(queue_name="alerts", priority=20)  # before anything else, escalation timers too
def deliver_messages(message_ids: list[int]) -> int:
    """Send queued messages; returns how many ended up sent (fall-backs included)."""
    return sum(1 for m in services.deliver(message_ids) if m.status == "sent")
