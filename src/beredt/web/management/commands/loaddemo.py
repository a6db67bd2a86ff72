from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from beredt.core.apps import beredt_app_configs


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            for config in beredt_app_configs():
                config.load_demo(stdout=self.stdout)
        from beredt.organisations.demo import DEMO_PASSWORD

        logins = getattr(apps.get_app_config("organisations"), "demo_logins", [])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        width = max((len(u) for u, _ in logins), default=10)
        for username, what in logins:
            self.stdout.write(f"  {username.ljust(width)}  {what}")
