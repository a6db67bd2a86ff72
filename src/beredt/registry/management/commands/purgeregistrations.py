"""``beredt purgeregistrations [--dry-run] [--enqueue]``: retention purge of registrations.

Anonymises the registrations of incidents closed more than ``retention_months`` ago, except
people a retention hold keeps (an active follow-up), and the other personal data kept per
incident that registers a purge hook (unhandled self-registrations). Run it daily from cron
or a worker."""

from django.core.management.base import BaseCommand

from beredt.registry import services
from beredt.registry.hooks import run_purge_hooks
from beredt.registry.tasks import purge_expired_registrations


class Command(BaseCommand):
    help = "Anonymise registrations past their incident's retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count.")
        parser.add_argument("--enqueue", action="store_true",
                            help="Enqueue the task for the worker instead of running now.")

    def handle(self, *args, dry_run: bool, enqueue: bool, **options):
        if enqueue:
            result = purge_expired_registrations.enqueue()
            self.stdout.write(f"Enqueued purge task {result.id}.")
            return
        count = services.purge_expired(dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{count} registrations {verb}.")
        for what, hooked in run_purge_hooks(dry_run=dry_run):
            self.stdout.write(f"{hooked} {what} {verb}.")
