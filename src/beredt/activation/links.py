"""One-time links for answering a call-out from the phone without logging in.

The link is short — ``/activation/r/<nonce>/``, the call-out's 128-bit random nonce — so it
fits an SMS and never widens a phone screen. It stops working once ``link_used_at`` is set
(one answer per link) or ``MAX_AGE`` after the alert. Older signed links
(``signing.dumps([id, nonce])``) keep working until they expire."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "beredt.activation.callout"
MAX_AGE = 24 * 3600


def token_for(callout) -> str:
    return callout.nonce


def url_for(callout) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(
        "activation:respond", kwargs={"token": token_for(callout)}
    )


def read_signed(token: str) -> tuple[int, str] | None:
    """``(callout id, nonce)`` of an older signed link, or None when the signature is bad
    or too old."""
    try:
        pk, nonce = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(pk), str(nonce)


def valid_since() -> dt.datetime:
    """Links of call-outs alerted before this moment have expired."""
    return timezone.now() - dt.timedelta(seconds=MAX_AGE)
