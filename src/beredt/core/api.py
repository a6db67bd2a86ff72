"""The HTTP API under /api/v1/ (django-ninja): authentication and the error format.

Every app that has an API declares ``api_prefix`` on its AppConfig and a ``router`` in its
``api`` module; :func:`mount_app_routers` mounts them. Authentication is a personal API
token (``Authorization: Bearer …``, see :mod:`beredt.accounts.tokens`) or the browser
session (with CSRF protection for writes). Every error is ``{"detail", "code"}`` with the
detail in the caller's language (``Accept-Language``; Danish by default).
"""

from __future__ import annotations

import importlib
import json
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from .errors import DomainError, ValidationFailed

logger = logging.getLogger(__name__)


class BearerTokenAuth(HttpBearer):
    openapi_description = "Personal API token: `beredt createtoken USERNAME`."

    def __call__(self, request):
        # As HttpBearer, but from META: building request.headers for one header costs more
        # than the rest of the authentication of a remembered token.
        scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request, token):
        user = import_string(settings.API_TOKEN_RESOLVER)(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods need the CSRF token (like Django)."""

    param_name = "sessionid"
    openapi_description = "Browser session of a logged-in user."

    def _get_key(self, request):
        # Without a session cookie there is nothing a forged request could ride on: no CSRF
        # check, so a caller with a wrong token gets 401, not a CSRF 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


MAX_JSON_DEPTH = 64


def _check_json(value) -> None:
    """DomainError for nesting deeper than MAX_JSON_DEPTH (400 ``json_too_deep``: no
    Beredt schema nests that deep; deeper input only costs CPU) or a NUL in any string
    (422 ``null_character`` naming the field: PostgreSQL cannot store it)."""
    stack: list = [(value, ())]
    while stack:
        item, path = stack.pop()
        if len(path) >= MAX_JSON_DEPTH:
            raise DomainError(_("The JSON body is nested more than %(n)d levels deep.")
                              % {"n": MAX_JSON_DEPTH}, code="json_too_deep")
        if isinstance(item, str):
            if "\x00" in item:
                raise ValidationFailed(_("The request contains a NUL character."),
                                       code="null_character",
                                       field=".".join(str(p) for p in path) or None)
        elif isinstance(item, dict):
            stack.extend((v, (*path, k)) for k, v in item.items())
            stack.extend((k, (*path, k)) for k in item)
        elif isinstance(item, list):
            stack.extend((v, (*path, n)) for n, v in enumerate(item))


def json_body(request, *, empty=None):
    """The request's JSON body, checked like every API body; DomainError (400) when it
    cannot be read, holds a NUL or nests too deep (Python's parser raises RecursionError
    at about 1,000 levels)."""
    if not request.body:
        return empty
    try:
        value = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise DomainError(_("The body is not JSON."), code="invalid_json") from None
    _check_json(value)
    return value


class JsonParser(Parser):
    """ninja's parser plus :func:`_check_json`. ninja turns every parser error into a plain
    400 ("bad_request"); the reason of a refused body reaches :func:`on_http_error` through
    the request, so it is answered with its own code."""

    def parse_body(self, request):
        value = json.loads(request.body)
        try:
            _check_json(value)
        except DomainError as exc:
            request.beredt_body_error = exc
            raise
        return value


ERROR_STATUSES = {
    400: "Unreadable body, a NUL character, JSON nested too deep or a refused input",
    401: "Not authenticated",
    403: "No access",
    404: "Not found (or not visible to the caller)",
    409: "Conflicts with the current state",
    422: "Invalid input (the field is named)",
    429: "Too many requests",
}
ERROR_SCHEMA = {
    "type": "object", "required": ["detail", "code"],
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"},
                   "field": {"type": "string", "nullable": True},
                   "errors": {"type": "array", "items": {"type": "object"}}},
}


class BeredtAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI documents the error answers every endpoint can give
    (``{"detail", "code", "field"}``, see :data:`ERROR_STATUSES`), besides the answers the
    endpoint declares."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    if status == 401 and not operation.get("security"):
                        continue
                    responses.setdefault(status, {"description": description,
                                                  "content": error})
        return schema


api = BeredtAPI(
    parser=JsonParser(),
    title="Beredt API",
    version="1",
    description=(
        "Psychosocial preparedness and crisis support. Errors are "
        '`{"detail": "…", "code": "…"}` in the language of `Accept-Language`.'
    ),
    urls_namespace="api",
    auth=[BearerTokenAuth(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request, status: int, detail: str, code: str, **extra):
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def _field_name(loc) -> str:
    # ninja locations look like ("body", "payload", "cpr") or ("query", "at").
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "payload", "form"}]
    return ".".join(parts) or ".".join(str(p) for p in loc)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors = [
        {"field": _field_name(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type")}
        for e in exc.errors
    ]
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return error(
        request,
        422,
        _("Invalid input in: %(fields)s.") % {"fields": fields},
        "validation_error",
        field=errors[0]["field"] if errors else None,
        errors=errors,
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "message_dict"):
        items = [(f, m) for f, msgs in exc.message_dict.items() for m in msgs]
    else:
        items = [("", m) for m in exc.messages]
    field, message = items[0] if items else ("", _("Invalid input."))
    return error(
        request,
        422,
        str(message),
        "validation_error",
        field=field or None,
        errors=[{"field": f, "message": str(m)} for f, m in items],
    )


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def on_out_of_range(request, exc):
    # A number too large for the database column (e.g. ?user_id=10**30) is bad input.
    return error(request, 422, _("A value is out of range."), "out_of_range")


def integrity_violation(exc: IntegrityError) -> str:
    """Which rule the database enforced: "unique", "foreign_key", "not_null", "check" or
    "" (PostgreSQL's SQLSTATE, SQLite's message)."""
    states = {"23505": "unique", "23503": "foreign_key", "23502": "not_null", "23514": "check"}
    state = getattr(exc.__cause__, "sqlstate", None)
    if state in states:
        return states[state]
    text = str(exc)
    for marker, kind in (("UNIQUE constraint", "unique"), ("FOREIGN KEY constraint", "foreign_key"),
                         ("NOT NULL constraint", "not_null"), ("CHECK constraint", "check")):
        if marker in text:
            return kind
    return ""


@api.exception_handler(IntegrityError)
def on_integrity_error(request, exc: IntegrityError):
    """A rule the database enforced that no service checked first. A retry of a create
    never gets here (services answer it from the client UUID), so this is a conflict (409)
    or bad data (422), never a 500. The database's own text can hold values: only the kind
    and the constraint's name are logged."""
    # SQLite reports an integer beyond 64 bits used as a key as "datatype mismatch".
    if "datatype mismatch" in str(exc):
        return on_out_of_range(request, exc)
    kind = integrity_violation(exc)
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    logger.warning("API request %s %s broke a %s constraint %s", request.method,
                   request.path, kind or "database", constraint or "")
    if kind == "unique":
        return error(request, 409, _("This conflicts with something saved before: it exists "
                                     "already."), "already_exists")
    return error(request, 422, _("The data breaks a rule of the database (a reference, a "
                                 "required value or an allowed value)."), "constraint_violated")


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error(
        request,
        401,
        _("Authentication required: log in or send an API token."),
        "not_authenticated",
    )


@api.exception_handler(AuthorizationError)
def on_authorization_error(request, exc):
    return error(request, 403, _("You do not have access to this."), "forbidden")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error(request, 403, str(exc) or _("You do not have access to this."), "forbidden")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, _("Not found."), "not_found")


def _ninja_details() -> dict[int, str]:
    """Our words for the errors django-ninja raises itself with English text: an unreadable
    body (400) and a failed CSRF check (403). We raise no HttpError of our own."""
    return {
        400: _("The request body could not be read: send valid JSON."),
        403: _("The CSRF check failed: reload the page and try again."),
    }


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    body_error = getattr(request, "beredt_body_error", None)
    if body_error is not None:
        return on_domain_error(request, body_error)
    detail = _ninja_details().get(exc.status_code, str(exc))
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        429: "rate_limited",
    }
    return error(request, exc.status_code, detail, codes.get(exc.status_code, "error"))


_mounted = False


def mount_app_routers() -> NinjaAPI:
    """Mount each Beredt app's ``api.router`` at its AppConfig ``api_prefix`` (once)."""
    global _mounted
    if not _mounted:
        from django.apps import apps

        from .apps import BeredtAppConfig

        # Import every router first, so a broken import leaves nothing half-mounted.
        routers = [
            (config.api_prefix, importlib.import_module(f"{config.name}.api").router)
            for config in apps.get_app_configs()
            if isinstance(config, BeredtAppConfig) and config.api_prefix is not None
        ]
        for prefix, router in routers:
            api.add_router(prefix, router)
        _mounted = True
    return api
