"""Keeps the current request reachable for the audit log (user and client IP)."""

from __future__ import annotations

import contextvars

_current_request: contextvars.ContextVar = contextvars.ContextVar("beredt_request", default=None)


def current_request():
    return _current_request.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


class RejectNulInQueryMiddleware:
    """A NUL character in the path or a query parameter is answered 400 (code
    ``null_character``) before any view runs: no person types one, and PostgreSQL cannot
    compare text with it (a search or look-up would fail with a 500). Form fields are
    covered by Django's own ProhibitNullCharactersValidator, JSON bodies by
    :class:`beredt.core.api.JsonParser`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            field = next((key for key, values in request.GET.lists()
                          if "\x00" in key or any("\x00" in v for v in values)), None)
            if field is not None or "\x00" in request.path:
                from django.utils.translation import gettext as _

                from .views import bad_input

                return bad_input(request, code="null_character", field=field,
                                 detail=_("The request contains a NUL character."))
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on everything that may hold personal data: every page
    and export for a signed-in user, every API answer, every answer to a POST. Neither the
    browser's cache nor a proxy keeps a copy (a shared tablet at the EPC, the back button
    after logout). Answers that set their own Cache-Control (the public pages, which are
    the same for everybody) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and (
                request.method not in ("GET", "HEAD") or request.path.startswith("/api/")
                or getattr(getattr(request, "user", None), "is_authenticated", False)):
            response["Cache-Control"] = "no-store"
        return response


def client_ip(request) -> str | None:
    """The client's address. With ``TRUSTED_PROXY_HOPS`` = N > 0 (N reverse proxies in
    front of Beredt, each appending the address it saw to ``X-Forwarded-For``), the N-th
    entry from the right: the one our outermost proxy wrote. Entries to the left of it
    come from the client and are ignored — a client can put anything there. With 0 (the
    default), ``REMOTE_ADDR``."""
    from django.conf import settings

    if request is None:
        return None
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops > 0 and forwarded:
        entries = [e.strip() for e in forwarded.split(",")]
        return entries[max(0, len(entries) - hops)] or None
    return request.META.get("REMOTE_ADDR") or None
