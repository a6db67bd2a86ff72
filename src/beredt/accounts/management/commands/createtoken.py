from django.core.management.base import BaseCommand, CommandError

from beredt.accounts.models import User
from beredt.accounts.tokens import create_token


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (last line of output)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active.")
        row, token = create_token(user=user, name=name)
        self.stdout.write(f"Token {row.prefix}… for {username}; it is shown only once:")
        self.stdout.write(token)
