from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class VolunteersConfig(BeredtAppConfig):
    name = "beredt.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteer patient supports")
    api_prefix = "/volunteers"
    url_prefix = "volunteers/"

    def load_demo(self, *, stdout):
        from .demo import load

        load(stdout=stdout)

    def nav_items(self, request):
        from django.urls import reverse

        from . import selectors

        if not request.user.is_authenticated:
            return []
        if selectors.units_visible_to(request.user).exists():
            return [{"label": _("Patient supports"), "url": reverse("volunteers:home")}]
        return []

    def dashboard_panels(self, request):
        from . import selectors

        if not request.user.is_authenticated:
            return []
        mine = list(selectors.upcoming_shifts_of(request.user)[:3])
        if not mine:
            return []
        return [{"template": "volunteers/_dashboard_panel.html", "context": {"shifts": mine}}]

    def initiative_figures(self) -> list[dict]:
        """Figures for the budget-initiatives app: each ``compute(*, start, end,
        organisation_ids)`` counts over shifts starting in [start, end] (dates, inclusive)
        of units whose volunteer organisation or acute-reception department is among
        ``organisation_ids`` (None: all)."""
        from . import evaluation

        return [
            {"key": "volunteers.shifts_planned", "label": _("Volunteer shifts planned"),
             "compute": evaluation.shifts_planned},
            {"key": "volunteers.shifts_covered", "label": _("Volunteer shifts covered"),
             "compute": evaluation.shifts_covered},
            {"key": "volunteers.accompaniments", "label": _("Patients accompanied by volunteers"),
             "compute": evaluation.accompaniments},
            {"key": "volunteers.hours", "label": _("Volunteer hours on shift"),
             "compute": evaluation.hours_covered},
        ]
