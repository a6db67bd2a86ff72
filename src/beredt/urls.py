"""URL configuration: each app's pages at its AppConfig ``url_prefix``, the API at /api/v1/."""

import importlib

from django.apps import apps
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path

from beredt.core.api import mount_app_routers
from beredt.core.apps import BeredtAppConfig


def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("api/v1/", mount_app_routers().urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

for config in apps.get_app_configs():
    if isinstance(config, BeredtAppConfig) and config.url_prefix is not None:
        module = importlib.import_module(f"{config.name}.urls")
        urlpatterns.append(path(config.url_prefix, include(module)))

admin.site.site_header = "Beredt"
admin.site.site_title = "Beredt"

handler400 = "beredt.core.views.bad_request"
handler403 = "beredt.core.views.permission_denied"
handler404 = "beredt.core.views.page_not_found"
handler500 = "beredt.core.views.server_error"
