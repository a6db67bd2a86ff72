from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from beredt.core.apps import collect
from beredt.core.errors import DomainError, add_to_form

from . import selectors, services
from .forms import AssignForm, IncidentForm
from .models import STATUS_TRANSITIONS, IncidentStatus

# What the button that moves an incident to a status says.
STATUS_ACTIONS = {
    IncidentStatus.ALERTED: gettext_lazy("Alerted"),
    IncidentStatus.ACTIVE: gettext_lazy("Activate"),
    IncidentStatus.STANDING_DOWN: gettext_lazy("Stand down"),
    IncidentStatus.CLOSED: gettext_lazy("Close incident"),
}


@login_required
def incident_list(request):
    qs = selectors.incidents_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in IncidentStatus:
        qs = qs.filter(status=status)
    elif status != "all":
        qs = qs.exclude(status=IncidentStatus.CLOSED)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": IncidentStatus.choices,
            "query": f"status={status}&" if status else "",
            "can_create": IncidentForm(user=request.user)
            .fields["lead_organisation_id"]
            .queryset.exists(),
        },
    )


@login_required
def incident_create(request):
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            incident, _created = services.create_incident(by=request.user, **form.service_kwargs())
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The incident is opened. You are its lead."))
            return redirect("incidents:detail", incident_id=incident.pk)
    return render(
        request,
        "incidents/form.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _incident_for(request, incident_id):
    return get_object_or_404(selectors.incidents_visible_to(request.user), pk=incident_id)


@login_required
def incident_detail(request, incident_id):
    incident = _incident_for(request, incident_id)
    can_manage = selectors.can_manage(request.user, incident)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "assignments": selectors.assignments_of(incident),
            "can_manage": can_manage,
            "next_statuses": [
                (s, STATUS_ACTIONS[s])
                for s in IncidentStatus.values
                if s in STATUS_TRANSITIONS[IncidentStatus(incident.status)]
            ]
            if can_manage
            else [],
            "assign_form": AssignForm(manager=request.user, incident=incident),
            "panels": collect("incident_panels", request, incident),
        },
    )


@login_required
@require_POST
def incident_status(request, incident_id):
    incident = _incident_for(request, incident_id)
    try:
        services.change_status(
            by=request.user, incident=incident, status=request.POST.get("status", "")
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", _("Unknown status."))))
    else:
        messages.success(request, _("The status is changed."))
    return redirect("incidents:detail", incident_id=incident.pk)


@login_required
@require_POST
def incident_assign(request, incident_id):
    incident = _incident_for(request, incident_id)
    form = AssignForm(request.POST, manager=request.user, incident=incident)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.assign(
                by=request.user, incident=incident, user=user, role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("%(name)s is assigned.") % {"name": user.display_name})
    else:
        messages.error(request, _("Choose a person and a role."))
    return redirect("incidents:detail", incident_id=incident.pk)


@login_required
@require_POST
def assignment_release(request, incident_id, assignment_id):
    incident = _incident_for(request, incident_id)
    assignment = get_object_or_404(incident.assignments, pk=assignment_id)
    try:
        services.release(by=request.user, assignment=assignment)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Released from the incident."))
    return redirect("incidents:detail", incident_id=incident.pk)
