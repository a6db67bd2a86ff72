from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class GeoConfig(BeredtAppConfig):
    name = "beredt.geo"
    label = "geo"
    verbose_name = _("Reference geography")
    api_prefix = "/geo"
