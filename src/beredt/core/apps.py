from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeredtAppConfig(AppConfig):
    """Base for Beredt's apps.

    ``api_prefix``: where the app's ``api.router`` is mounted under /api/v1/ (None: no API).
    ``url_prefix``: where the app's ``urls.urlpatterns`` are mounted (None: no pages).
    ``load_demo()``: called by ``beredt loaddemo`` in INSTALLED_APPS order; must be idempotent.

    UI hooks, so an app adds to the shared pages without editing another app's templates:
    ``nav_items(request)`` → ``[(label, url)]`` (or dicts with those keys, optionally
    ``badge`` — a count shown next to the label — and ``badge_title``) for the main menu;
    ``dashboard_panels(request)`` and ``incident_panels(request, incident)`` →
    ``[{"template": name, "context": {...}}]``, rendered in INSTALLED_APPS order (a dashboard
    panel with ``"first": True`` — e.g. an open call-out — comes before everything else).

    ``initiative_figures()`` → ``[{"key", "label", "compute"}]``: operational figures a budget
    initiative's recommendation can be linked to; ``compute(*, start, end, organisation_ids)``
    returns an ``int`` or ``Decimal`` for the period (``organisation_ids`` None: everywhere).
    """

    default_auto_field = "django.db.models.BigAutoField"
    api_prefix: str | None = None
    url_prefix: str | None = None

    def load_demo(self, *, stdout) -> None:
        return None

    def nav_items(self, request) -> list[tuple[str, str]]:
        return []

    def dashboard_panels(self, request) -> list[dict]:
        return []

    def incident_panels(self, request, incident) -> list[dict]:
        return []

    def initiative_figures(self) -> list[dict]:
        return []


def beredt_app_configs() -> list[BeredtAppConfig]:
    from django.apps import apps

    return [c for c in apps.get_app_configs() if isinstance(c, BeredtAppConfig)]


def collect(hook: str, *args) -> list:
    """Concatenate what every Beredt app's ``hook(*args)`` returns, in INSTALLED_APPS order."""
    items: list = []
    for config in beredt_app_configs():
        items.extend(getattr(config, hook)(*args))
    return items


class CoreConfig(BeredtAppConfig):
    name = "beredt.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks, dbguard  # noqa: F401  (system checks, SQLite audit guard)
        from .rows import cache_long_statements

        cache_long_statements()
