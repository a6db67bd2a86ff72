from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class InitiativesConfig(BeredtAppConfig):
    name = "beredt.initiatives"
    label = "initiatives"
    verbose_name = _("Budget initiatives")
    api_prefix = "/initiatives"
    url_prefix = "initiatives/"

    def load_demo(self, *, stdout):
        from .demo import load

        load(stdout=stdout)

    def nav_items(self, request):
        from django.urls import reverse

        from . import selectors

        if selectors.can_see_any(request.user):
            return [(_("Budget initiatives"), reverse("initiatives:home"))]
        return []
