from django.core.management.base import BaseCommand
from django.db import transaction

from beredt.geo import reference
from beredt.geo.models import Municipality, Postcode, PostcodeMunicipality, Region


class Command(BaseCommand):
    help = "Reload regions, municipalities and postcodes from the shipped files (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = reference.load(Region, Municipality, Postcode, PostcodeMunicipality)
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))
