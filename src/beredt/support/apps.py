from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class SupportConfig(BeredtAppConfig):
    name = "beredt.support"
    label = "support"
    verbose_name = _("Support tool")
    url_prefix = "support/"

    def nav_items(self, request):
        from django.urls import reverse

        if not request.user.is_authenticated:
            return []
        # The menu template reads .label and .url.
        return [{"label": _("Support tool"), "url": reverse("support:home")}]

    def incident_panels(self, request, incident):
        return [{"template": "support/_incident_panel.html", "context": {"incident": incident}}]
