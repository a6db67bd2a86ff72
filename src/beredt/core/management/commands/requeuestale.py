"""Put tasks back in the queue whose worker died while running them.

django-tasks-db marks a task RUNNING when a worker claims it; if that worker is killed
(power cut, OOM, deploy), the row stays RUNNING and nobody picks it up again. Beredt's tasks
are idempotent (alarms, escalation steps and outreach messages are claimed per recipient),
so running such a task again is safe. Run this before starting workers (``make demo`` does)
and every few minutes from cron or a systemd timer (docs/operations.md).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Requeue tasks left RUNNING by a worker that died (older than --older-than seconds)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=600,
            help="Seconds a task may run before it is considered abandoned (default 600).",
        )

    def handle(self, *args, older_than: int, **options):
        cutoff = timezone.now() - timedelta(seconds=older_than)
        count = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).update(status=TaskResultStatus.READY, started_at=None)
        self.stdout.write(f"Requeued {count} abandoned task(s).")
