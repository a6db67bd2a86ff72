"""System checks: production must not run on the development secrets."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_production_secrets(app_configs, **kwargs):
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(checks.Error("BEREDT_SECRET_KEY is not set.", id="beredt.E001"))
    if settings.FIELD_KEYS == settings.DEV_FIELD_KEY:
        errors.append(checks.Error("BEREDT_FIELD_KEY is not set.", id="beredt.E002"))
    if settings.HASH_KEY == settings.DEV_HASH_KEY:
        errors.append(checks.Error("BEREDT_HASH_KEY is not set.", id="beredt.E003"))
    return errors
