"""Remind volunteers of tomorrow's shifts (once per shift). Run daily by cron or a worker:
``beredt sendvolunteerreminders`` (``--enqueue`` puts it on the task queue instead)."""

from django.core.management.base import BaseCommand

from beredt.volunteers import services, tasks


class Command(BaseCommand):
    help = "Send the day-before reminders of volunteer shifts."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it on the task queue.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            tasks.send_reminders.enqueue()
            self.stdout.write("Enqueued.")
            return
        count = services.send_reminders()
        self.stdout.write(f"{count} reminder(s) queued.")
