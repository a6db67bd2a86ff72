from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from beredt.core.apps import beredt_app_configs


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Load the demo even though DEBUG is off (never on a production database: "
                 "the demo logins share a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo users share a published "
                "password, so loaddemo refuses to run. Use --force on a test or demo server."
            )
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
