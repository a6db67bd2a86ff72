"""``beredt rebuildmatchkeys``: recompute the keyed-hash blocking keys of every registration
(run after ``rotatekeys --rehash`` when BEREDT_HASH_KEY changed)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from beredt.registry import services
from beredt.registry.models import Registration


class Command(BaseCommand):
    help = "Recompute duplicate-matching keys of all registrations."

    def handle(self, *args, **options):
        count = 0
        for reg in Registration.objects.iterator(chunk_size=500):
            with transaction.atomic():
                services.refresh_match_keys(reg)
            count += 1
        self.stdout.write(f"{count} registrations re-keyed.")
