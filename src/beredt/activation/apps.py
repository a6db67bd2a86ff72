from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class ActivationConfig(BeredtAppConfig):
    name = "beredt.activation"
    label = "activation"
    verbose_name = _("Preparedness and activation")
    api_prefix = "/activation"
    url_prefix = "activation/"

    def ready(self) -> None:
        from beredt.notify.hooks import register_outcome_hook

        from .services import on_delivery_outcome

        register_outcome_hook(on_delivery_outcome)

    def load_demo(self, *, stdout):
        from .demo import load

        load(stdout=stdout)

    def nav_items(self, request):
        from django.urls import reverse

        if not request.user.is_authenticated:
            return []
        return [{"label": _("Preparedness"), "url": reverse("activation:home")}]

    def dashboard_panels(self, request):
        from . import selectors

        if not request.user.is_authenticated:
            return []
        from .views import ETA_CHOICES

        callouts = list(selectors.my_open_callouts(request.user)[:5])
        waiting = [c for c in callouts if c.status == "alerted"]
        return [
            {
                "template": "activation/_dashboard_panel.html",
                "context": {"callouts": callouts, "waiting": waiting, "etas": ETA_CHOICES},
                "first": bool(waiting),
            }
        ]

    @staticmethod
    def _latest_log(request, incident):
        from beredt.incidents import selectors as incident_selectors
        from beredt.incidents import services as incident_services

        log = list(incident_selectors.log_visible_to(request.user, incident).reverse()[:5])
        incident_services.record_log_view(incident=incident, entries=log)
        return log

    def incident_panels(self, request, incident):

        from . import selectors

        return [
            {
                "template": "activation/_incident_panel.html",
                "context": {
                    "incident": incident,
                    "alarms": list(selectors.alarms_of(incident)),
                    "callouts": list(selectors.callouts_of(incident)),
                    "log": self._latest_log(request, incident),
                },
            }
        ]
