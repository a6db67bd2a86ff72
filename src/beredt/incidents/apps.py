from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class IncidentsConfig(BeredtAppConfig):
    name = "beredt.incidents"
    label = "incidents"
    verbose_name = _("Incidents")
    api_prefix = "/incidents"
    url_prefix = "incidents/"

    def load_demo(self, *, stdout):
        from .demo import load

        load(stdout=stdout)
