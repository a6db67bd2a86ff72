"""Domain errors raised by services and turned into 4xx responses by the API and views.

A service raises :class:`DomainError` (or a subclass) with a stable machine ``code`` and a
translatable message; the API answers ``{"detail": message, "code": code, "field": …}``.
"""

from django.utils.translation import gettext_lazy as _


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
    status_code = 422
    default_code = "validation_error"
    default_message = _("Some fields are not valid.")


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
