"""System checks: production must not run on the development secrets, nor with a cache that
each server process keeps to itself."""

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


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [checks.Warning(
            "The cache is per process: rate limits of the public self-registration are not "
            "shared between server processes.",
            hint="Set BEREDT_CACHE_URL to redis://… or db (docs/operations.md).",
            id="beredt.W001",
        )]
    return []
