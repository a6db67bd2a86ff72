"""Model fields for personal data."""

from __future__ import annotations

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with AES-GCM (see :mod:`beredt.core.crypto`).

    The column holds ``v1:<keyid>:<payload>``; Python code sees the clear text. The value
    is bound to ``<app_label>.<model>.<field>``. Such a column cannot be searched or
    ordered: pair it with a keyed-hash column when exact look-up is needed.
    """

    description = "Text encrypted at rest"

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.context())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), context=self.context())

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull", "exact"}:
            raise NotImplementedError(f"EncryptedTextField does not support {lookup_name!r}")
        return super().get_lookup(lookup_name)


def encrypted_fields(model) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
