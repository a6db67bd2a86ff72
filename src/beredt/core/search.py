"""Search terms that hold a CPR number never travel in a URL.

URLs end up in access logs, browser history and proxies. A search form posts its term
(:func:`search_term`); a term without a CPR number is redirected to ``?q=…`` as before (so
links and pagination work), a term with one is kept in the session under a random token
and the page is shown at ``?s=<token>``. A ``?q=`` that holds a CPR number (an old
bookmark, a typed URL) is moved into the session the same way.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.shortcuts import redirect

from .logging import CPR_PATTERN

SESSION_KEY = "beredt_searches"
KEEP = 20


def holds_cpr(term: str) -> bool:
    return bool(CPR_PATTERN.search(term or ""))


def search_term(request, *, param: str = "q"):
    """``(term, redirect_response_or_None, query_string_for_links)``."""
    posted = request.method == "POST" and param in request.POST
    term = (request.POST if posted else request.GET).get(param, "").strip()
    token = request.GET.get("s", "")
    if not posted and token and not term:
        term = request.session.get(SESSION_KEY, {}).get(token, "")
        return term, None, f"s={token}"
    if posted or holds_cpr(term):
        params = (request.POST if posted else request.GET).copy()
        for key in (param, "s", "page", "csrfmiddlewaretoken"):
            params.pop(key, None)
        if holds_cpr(term):
            token = secrets.token_urlsafe(9)
            searches = dict(list(request.session.get(SESSION_KEY, {}).items())[-(KEEP - 1):])
            searches[token] = term
            request.session[SESSION_KEY] = searches
            params["s"] = token
        elif term:
            params[param] = term
        return term, redirect(f"{request.path}?{params.urlencode()}"), ""
    return term, None, urlencode({param: term}) if term else ""
