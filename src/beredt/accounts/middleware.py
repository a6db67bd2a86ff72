"""Idle logout: a browser session without a request for ``SESSION_IDLE_TIMEOUT`` seconds
(30 minutes by default) ends, besides the absolute limit of ``SESSION_COOKIE_AGE`` (12 h).
API calls with a token have no session and are not affected."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

SESSION_KEY = "beredt_last_seen"
# The stamp is written at most this often, so an active session is not saved on every request.
STAMP_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            if last is not None and now - int(last) > timeout:
                logout(request)
                messages.info(request, _("You were logged out after %(minutes)s minutes without "
                                         "activity.") % {"minutes": timeout // 60})
            elif last is None or now - int(last) >= STAMP_EVERY_SECONDS:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
