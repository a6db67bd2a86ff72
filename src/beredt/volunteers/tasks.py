"""Background work: the day-before reminders (also ``beredt sendvolunteerreminders``)."""

from django_tasks import task

from . import services


@task(queue_name="alerts")
def send_reminders() -> int:
    return services.send_reminders()
