import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from beredt.core.apps import collect
from beredt.incidents import selectors as incident_selectors
from beredt.organisations import selectors as org_selectors

from .forms import AuditFilterForm


@login_required
def dashboard(request):
    active = incident_selectors.active_incidents_visible_to(request.user)
    panels = collect("dashboard_panels", request)
    return render(
        request,
        "web/dashboard.html",
        {
            "active_incidents": active[:10],
            "active_count": active.count(),
            "exercise_count": active.filter(is_exercise=True).count(),
            "memberships": org_selectors.memberships_of(request.user),
            "first_panels": [p for p in panels if p.get("first")],
            "panels": [p for p in panels if not p.get("first")],
        },
    )


def _day_start(day: dt.date | None):
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
def audit_log(request):
    if not org_selectors.can_read_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    until = filters.get("until")
    qs = org_selectors.search_audit_events(
        request.user,
        q=filters.get("q", ""),
        action=filters.get("action", ""),
        object_type=filters.get("object_type", ""),
        actor=filters.get("actor", ""),
        since=_day_start(filters.get("since")),
        until=_day_start(until + dt.timedelta(days=1)) if until else None,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/audit.html",
        {
            "break_glass": incident_selectors.break_glass_grants_visible_to(request.user)[:20],
            "form": form,
            "page_obj": page,
            "query": f"{query.urlencode()}&" if query else "",
        },
    )
