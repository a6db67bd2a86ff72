from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class OrganisationsConfig(BeredtAppConfig):
    name = "beredt.organisations"
    label = "organisations"
    verbose_name = _("Organisations")
    api_prefix = "/organisations"
    url_prefix = "organisations/"

    def load_demo(self, *, stdout):
        from .demo import load

        self.demo_logins = load(stdout=stdout)
