"""Personal API tokens: ``bt_<random>``; stored as a SHA-256 digest (the token is 256 bits
of randomness, so a plain digest is as safe as a slow hash and keeps each request fast)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from .models import ApiToken, User

TOKEN_PREFIX = "bt_"  # noqa: S105 - a public prefix, not a secret
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the token (shown only now)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=name, prefix=token[:10], digest=_digest(token))
    return row, token


def revoke_token(*, token_row: ApiToken) -> None:
    ApiToken.objects.filter(pk=token_row.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def user_for_token(token: str) -> User | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = next(iter(
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .order_by()[:1]  # the digest is unique: no ORDER BY
    ), None)
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
