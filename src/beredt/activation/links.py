"""Signed one-time links for answering a call-out from the phone without logging in.

The token signs ``[callout id, nonce]``; the nonce is the call-out's and the link stops
working once ``link_used_at`` is set (one answer per link) or after ``MAX_AGE``."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "beredt.activation.callout"
MAX_AGE = 24 * 3600


def token_for(callout) -> str:
    return signing.dumps([callout.pk, callout.nonce], salt=SALT, compress=True)


def url_for(callout) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(
        "activation:respond", kwargs={"token": token_for(callout)}
    )


def read(token: str) -> tuple[int, str] | None:
    """``(callout id, nonce)`` or None when the signature is bad or too old."""
    try:
        pk, nonce = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(pk), str(nonce)
