"""Domain errors raised by services and turned into 4xx responses by the API and views.

A service raises :class:`DomainError` (or a subclass) with a stable machine ``code`` and a
translatable message; the API answers ``{"detail": message, "code": code, "field": …}``.
A service that checks several things raises one :class:`ValidationFailed` carrying every
problem (``errors=[DomainError(…), …]``; the API adds them as ``errors``), and a view puts
any of them on its form with :func:`add_to_form`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django import forms


class DomainError(Exception):
    status_code = 400
    default_code = "invalid"
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.field = field
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        body = {"detail": str(self.message), "code": self.code}
        if self.field:
            body["field"] = self.field
        return body


class ValidationFailed(DomainError):
    """One or more invalid fields. ``errors`` holds every problem found (each a
    :class:`DomainError` with its own code and field); without ``message``/``code``/
    ``field`` the first problem's are used, so a caller that reads one error sees it."""

    status_code = 422
    default_code = "validation_error"
    default_message = _("Some fields are not valid.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None,
                 errors: Iterable[DomainError] = ()):
        self.errors = list(errors)
        first = self.errors[0] if self.errors else None
        if first is not None and message is None and code is None and field is None:
            message, code, field = first.message, first.code, first.field
        super().__init__(message, code=code, field=field)
        if not self.errors:
            self.errors = [DomainError(self.message, code=self.code, field=self.field)]

    def as_dict(self) -> dict:
        body = super().as_dict()
        if all(isinstance(e, DomainError) for e in self.errors):
            body["errors"] = [{"field": e.field, "code": e.code, "message": str(e.message)}
                              for e in self.errors]
        return body


class NotFound(DomainError):
    status_code = 404
    default_code = "not_found"
    default_message = _("Not found.")


class Forbidden(DomainError):
    status_code = 403
    default_code = "forbidden"
    default_message = _("You do not have access to this.")


class Conflict(DomainError):
    status_code = 409
    default_code = "conflict"
    default_message = _("The request conflicts with the current state.")


def _form_field(form: forms.BaseForm, name: str | None) -> str | None:
    """The form field a service's ``field`` names: as it is, its last dotted part
    (``payload.full_name``) or without ``_id`` (``organisation_id``); None for the form."""
    last = (name or "").split(".")[-1]
    for candidate in (name, last, last.removesuffix("_id")):
        if candidate and candidate in form.fields:
            return candidate
    return None


def add_to_form(form: forms.BaseForm, exc: DomainError) -> None:
    """Put a service's error on the form: every problem of a :class:`ValidationFailed`,
    each on the field it names (see :func:`_form_field`) or on the form as a whole."""
    problems = [e for e in getattr(exc, "errors", ()) if isinstance(e, DomainError)]
    for problem in problems or [exc]:
        form.add_error(_form_field(form, problem.field), str(problem.message))
