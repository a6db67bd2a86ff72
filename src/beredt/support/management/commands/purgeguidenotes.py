"""Delete conversation notes of anonymised registrations; run after the registry's purge."""

from django.core.management.base import BaseCommand

from beredt.support.services import purge_guide_notes


class Command(BaseCommand):
    help = "Delete conversation-guide notes of registrations that the registry anonymised."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_guide_notes()} conversation note(s).")
