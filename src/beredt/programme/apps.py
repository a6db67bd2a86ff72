from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class NavItem(NamedTuple):
    label: str
    url: str


class ProgrammeConfig(BeredtAppConfig):
    name = "beredt.programme"
    label = "programme"
    verbose_name = _("Change programme")
    api_prefix = "/programme"
    url_prefix = "programme/"

    def load_demo(self, *, stdout) -> None:
        from .demo import load

        load(stdout=stdout)

    def nav_items(self, request):
        from django.urls import reverse

        from . import selectors

        if selectors.takes_part(request.user):
            return [NavItem(_("Change programme"), reverse("programme:home"))]
        return []

    def dashboard_panels(self, request):
        from . import views

        return views.dashboard_panels(request)

    def initiative_figures(self) -> list[dict]:
        """Figures for the budget-initiatives app: each ``compute(*, start, end,
        organisation_ids)`` counts from this app's data (``end`` inclusive;
        ``organisation_ids`` limits to cases of those municipalities' organisations or
        referred by those organisations; None: all)."""
        from . import figures

        return [
            {"key": "programme.cases_opened", "label": _("Change-programme cases opened"),
             "compute": figures.cases_opened},
            {"key": "programme.cases_closed", "label": _("Change-programme cases closed"),
             "compute": figures.cases_closed},
            {"key": "programme.ata_hours", "label": _("Change-programme hours used (ATA)"),
             "compute": figures.hours_used},
        ]
