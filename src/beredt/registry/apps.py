from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class RegistryConfig(BeredtAppConfig):
    name = "beredt.registry"
    label = "registry"
    verbose_name = _("Registration")
    # Full paths are declared in api.py: /incidents/{id}/registrations, /registrations/{id}.
    api_prefix = "/"
    url_prefix = "registry/"

    def load_demo(self, *, stdout):
        from .demo import load

        load(stdout=stdout)

    def nav_items(self, request):
        from django.urls import reverse

        return [(_("Registration"), reverse("registry:home"))]

    def dashboard_panels(self, request):
        from . import views

        return views.dashboard_panels(request)

    def incident_panels(self, request, incident):
        from . import views

        return views.incident_panels(request, incident)
