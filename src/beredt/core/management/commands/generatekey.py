from django.core.management.base import BaseCommand

from beredt.core.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new 'keyid:base64key' entry for BEREDT_FIELD_KEY."

    def add_arguments(self, parser):
        parser.add_argument("key_id", help="A short name for the key, e.g. 2026a.")

    def handle(self, *args, key_id, **options):
        self.stdout.write(generate_key(key_id))
