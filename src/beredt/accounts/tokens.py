"""Personal API tokens: ``bt_<random>``; stored as a SHA-256 digest (the token is 256 bits
of randomness, so a plain digest is as safe as a slow hash and keeps each request fast).

A resolved token is remembered in the process for ``TOKEN_CACHE_SECONDS`` (5 s), so a
burst of API calls (a tablet registering people, an import client) costs one lookup, not
one per request. Revoking a token or changing a user clears the memory of the process that
made the change at once; other server processes follow within those seconds. Access to
people (deployment, incident status) is never cached: it is checked on every request.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import threading
import time
from datetime import timedelta

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import ApiToken, User

TOKEN_PREFIX = "bt_"  # noqa: S105 - a public prefix, not a secret
LAST_USED_RESOLUTION = timedelta(minutes=5)
TOKEN_CACHE_SECONDS = 5.0

_resolved: dict[str, tuple[float, User]] = {}  # digest → (expires, user as loaded)
_resolved_lock = threading.Lock()


def forget_resolved_tokens() -> None:
    """Forget every remembered token of this process (after a revocation or user change)."""
    with _resolved_lock:
        _resolved.clear()


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
@receiver(post_save, sender=ApiToken)
@receiver(post_delete, sender=ApiToken)
def _forget_on_change(**kwargs) -> None:
    forget_resolved_tokens()


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
    forget_resolved_tokens()


def user_for_token(token: str) -> User | None:
    """The active user of an unrevoked token, else ``None``. Each call gets its own copy
    of the user, so nothing one request caches on it reaches another."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(token)
    hit = _resolved.get(digest)
    if hit is not None and hit[0] > time.monotonic():
        return copy.copy(hit[1])
    user = _load(digest)
    if user is not None:
        with _resolved_lock:
            if len(_resolved) > 10_000:
                _resolved.clear()
            _resolved[digest] = (time.monotonic() + TOKEN_CACHE_SECONDS, copy.copy(user))
    return user


def _load(digest: str) -> User | None:
    row = next(iter(
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
        .order_by()[:1]  # the digest is unique: no ORDER BY
    ), None)
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
