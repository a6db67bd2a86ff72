from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class WebConfig(BeredtAppConfig):
    name = "beredt.web"
    label = "web"
    verbose_name = _("Web")
    url_prefix = ""

    def ready(self) -> None:
        from . import checks  # noqa: F401  (deploy check: no demo passwords)
