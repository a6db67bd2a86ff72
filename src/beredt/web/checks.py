"""Deploy check: no account may carry the demo password that ``beredt loaddemo`` prints (it is
published in the README and the docs, so anyone can log in with it)."""

from django.contrib.auth.hashers import check_password
from django.core import checks
from django.db import DatabaseError


def users_with_demo_password() -> list[str]:
    """Usernames of active users whose password is the published demo password. Checks every
    hash (each is salted), so it costs one Argon2 verification per user with a password."""
    from beredt.accounts.models import User
    from beredt.organisations.demo import DEMO_PASSWORD

    found = []
    rows = (User.objects.filter(is_active=True).exclude(password="")
            .exclude(password__startswith="!")  # noqa: S106 - unusable-password marker
            .values_list("username", "password"))
    for username, encoded in rows.iterator():
        if check_password(DEMO_PASSWORD, encoded):
            found.append(username)
    return found


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_password(app_configs, **kwargs):
    try:
        found = users_with_demo_password()
    except DatabaseError:
        # No database (or not migrated yet): nothing to check.
        return []
    if not found:
        return []
    shown = ", ".join(found[:10]) + (" …" if len(found) > 10 else "")
    return [checks.Error(
        f"{len(found)} user(s) have the published demo password: {shown}.",
        hint="Remove the demo data or set new passwords; never run `beredt loaddemo` in "
             "production.",
        id="beredt.E010",
    )]
