"""Error pages: JSON ``{"detail", "code"}`` under /api/, a Danish/English page elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

ERRORS = {
    400: (
        "bad_request",
        lambda: _("Bad request"),
        lambda: _("The request could not be understood."),
    ),
    403: ("forbidden", lambda: _("No access"), lambda: _("You do not have access to this page.")),
    404: (
        "not_found",
        lambda: _("Page not found"),
        lambda: _("The page does not exist, or you do not have access to it."),
    ),
    500: (
        "server_error",
        lambda: _("Something went wrong"),
        lambda: _("An error occurred on our side. It has been logged. Try again in a moment."),
    ),
}


def _error(request, status: int):
    code, title, message = ERRORS[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message(), "code": code}, status=status)
    return render(request, "error.html", {"title": title(), "message": message()}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def bad_input(request, *, detail: str, code: str, field: str | None = None):
    """400 for input no view should see (e.g. a NUL in a query parameter): the API's
    ``{"detail", "code", "field"}`` under /api/, the error page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"detail": detail, "code": code, **({"field": field} if field else {})}
        return JsonResponse(body, status=400)
    return render(request, "error.html", {"title": ERRORS[400][1](), "message": detail},
                  status=400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    code, title, message = ERRORS[500]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message(), "code": code}, status=500)
    # No template context processors that might fail again: a plain, safe page.
    return render(request, "error_500.html", {"title": title(), "message": message()}, status=500)


def csrf_failure(request, reason=""):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _("The form has expired. Reload the page and try again."),
                "code": "csrf_failed",
            },
            status=403,
        )
    return render(
        request,
        "error.html",
        {
            "title": _("The form has expired"),
            "message": _(
                "For your security the form could not be sent. Reload the page and try again."
            ),
        },
        status=403,
    )
