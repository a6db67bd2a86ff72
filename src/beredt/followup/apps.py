from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class NavItem(NamedTuple):
    """``(label, url)`` as core documents it, with the attribute names its menu reads."""

    label: str
    url: str


class FollowupConfig(BeredtAppConfig):
    name = "beredt.followup"
    label = "followup"
    verbose_name = _("Follow-up")
    api_prefix = "/followup"
    url_prefix = "followup/"

    def ready(self) -> None:
        from beredt.registry.hooks import register_retention_hold, register_withdrawal_hook

        from . import outreach, transports
        from .selectors import retention_hold

        register_withdrawal_hook(outreach.cancel_pending_outreach)
        register_retention_hold(retention_hold)
        transports.register()

    def load_demo(self, *, stdout):
        from .demo import load

        load(stdout=stdout)

    def nav_items(self, request):
        from django.urls import reverse

        from . import selectors

        user = request.user
        if user.is_authenticated and (user.is_superuser or selectors.receiver_org_ids(user)
                                      or selectors.sender_incident_ids(user).exists()):
            return [NavItem(_("Follow-up"), reverse("followup:home"))]
        return []

    def dashboard_panels(self, request):
        from . import views

        return views.dashboard_panels(request)

    def incident_panels(self, request, incident):
        from . import views

        return views.incident_panels(request, incident)
