"""Pages: the follow-up home (work queues, handovers to receive), an incident's routing,
handovers, funnel and campaigns, a handover (audited), a task, a campaign, the rules.
Thin: services and selectors do the work."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import DomainError, NotFound
from beredt.incidents.selectors import incidents_visible_to
from beredt.organisations import selectors as org_selectors
from beredt.registry.models import Registration

from . import exchange, outreach, selectors, services
from .forms import CampaignForm, CompleteForm, ImportForm, SettingsForm, TryForm, UnitReasonForm
from .models import (
    Campaign,
    HandoverItem,
    HandoverStatus,
    MessageState,
    RoutingRule,
    TaskStatus,
)
from .routing import settings_for


def _sender_incident(request, incident_id):
    incident = get_object_or_404(incidents_visible_to(request.user), pk=incident_id)
    if not selectors.can_send(request.user, incident):
        raise Http404()
    return incident


def _handover(request, handover_id):
    try:
        return selectors.handover_for(request.user, handover_id)
    except NotFound:
        raise Http404() from None


def _task(request, task_id):
    try:
        return selectors.task_for(request.user, task_id)
    except NotFound:
        raise Http404() from None


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


# --- hooks for the shared pages -------------------------------------------------------------

def incident_panels(request, incident) -> list[dict]:
    if not selectors.can_send(request.user, incident):
        return []
    decisions = selectors.decisions_of(incident)
    return [{"template": "followup/_incident_panel.html", "context": {
        "incident": incident,
        "routed": decisions.filter(unit__isnull=False).count(),
        "manual": decisions.filter(needs_manual_decision=True).count(),
        "handovers": incident.handovers.count(),
        "waiting": incident.handovers.filter(status=HandoverStatus.SENT).count(),
    }}]


def dashboard_panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    waiting = selectors.handovers_received_by(user).filter(status=HandoverStatus.SENT)
    counts = selectors.queue_counts(selectors.tasks_visible_to(user))
    if not (waiting.exists() or counts["open"]):
        return []
    return [{"template": "followup/_dashboard_panel.html", "context": {
        "waiting": waiting.count(), **counts}}]


# --- pages ----------------------------------------------------------------------------------

@login_required
def home(request):
    user = request.user
    tasks = selectors.tasks_visible_to(user).filter(status=TaskStatus.OPEN)
    sent_incidents = [i for i in incidents_visible_to(user).exclude(status="closed")
                      if selectors.can_send(user, i)]
    return render(request, "followup/home.html", {
        "received": selectors.handovers_received_by(user)[:50],
        "my_tasks": tasks.filter(assigned_to=user)[:100],
        "org_tasks": tasks.filter(organisation_id__in=selectors.receiver_org_ids(user))[:200]
        if not user.is_superuser else tasks[:200],
        "incidents": sent_incidents,
        "today": timezone.localdate(),
        "can_import": bool(selectors.receiver_org_ids(user)) or user.is_superuser,
    })


@login_required
def incident(request, incident_id):
    incident = _sender_incident(request, incident_id)
    decisions = list(selectors.decisions_of(incident))
    audit.record_many(action=AuditAction.LIST, objects=[d.registration for d in decisions],
                      fields=["full_name"])
    return render(request, "followup/incident.html", {
        "incident": incident, "decisions": decisions,
        "settings_form": SettingsForm(instance=settings_for(incident)),
        "unit_form": UnitReasonForm(),
        "handovers": incident.handovers.select_related("receiver").order_by("-created_at"),
        "funnel": selectors.funnel(incident),
        "steps": selectors.FUNNEL_STEPS,
        "campaigns": selectors.campaigns_of(incident),
        "campaign_form": CampaignForm(initial={"name": _("Follow-up offer"),
                                               "template_key": "followup-offer",
                                               "channels": ["sms", "email"]}),
    })


@login_required
@require_POST
def incident_settings(request, incident_id):
    incident = _sender_incident(request, incident_id)
    form = SettingsForm(request.POST, instance=settings_for(incident))
    if form.is_valid():
        try:
            services.save_settings(by=request.user, incident=incident, **form.cleaned_data)
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The follow-up settings are saved."))
    else:
        messages.error(request, _("Check the follow-up settings."))
    return redirect("followup:incident", incident.pk)


@login_required
@require_POST
def route(request, incident_id):
    incident = _sender_incident(request, incident_id)
    try:
        decisions = services.route_incident(by=request.user, incident=incident)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(n)s routing decisions made.") % {"n": len(decisions)})
    return redirect("followup:incident", incident.pk)


@login_required
@require_POST
def hand_over(request, incident_id):
    incident = _sender_incident(request, incident_id)
    try:
        handovers = services.hand_over(by=request.user, incident=incident)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(n)s handovers sent; the receivers are notified.")
                         % {"n": len(handovers)})
    return redirect("followup:incident", incident.pk)


@login_required
@require_POST
def decide(request, registration_id):
    reg = get_object_or_404(Registration, pk=registration_id)
    incident = _sender_incident(request, reg.incident_id)
    form = UnitReasonForm(request.POST)
    if form.is_valid():
        try:
            services.decide_manually(by=request.user, registration=reg,
                                     unit=form.cleaned_data["unit"],
                                     reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The receiver is decided."))
    else:
        messages.error(request, _("Choose the receiver and give the reason."))
    return redirect("followup:incident", incident.pk)


@login_required
def handover(request, handover_id):
    handover, side = _handover(request, handover_id)
    items = list(selectors.visible_items(handover, side).prefetch_related("tasks"))
    for item in items:
        item.person = json.loads(item.data)
    audit.record_many(action=AuditAction.VIEW, objects=items,
                      fields=sorted({f for i in items for f in i.fields}),
                      extra={"handover": str(handover.pk), "side": side})
    return render(request, "followup/handover.html", {
        "handover": handover, "side": side, "items": items, "unit_form": UnitReasonForm(),
        "can_receive": side == "receiver" and handover.status == HandoverStatus.SENT,
    })


@login_required
@require_POST
def receipt(request, handover_id):
    handover, _side = _handover(request, handover_id)
    try:
        services.acknowledge(by=request.user, handover=handover)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Receipt acknowledged; the follow-up tasks are created."))
    return redirect("followup:handover", handover.pk)


@login_required
def export_fhir(request, handover_id):
    handover, side = _handover(request, handover_id)
    body = exchange.export_fhir(by=request.user, handover=handover, side=side)
    response = HttpResponse(body, content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="handover-{handover.pk}.json"'
    return response


@login_required
def export_csv(request, handover_id):
    handover, side = _handover(request, handover_id)
    body = exchange.export_csv(by=request.user, handover=handover, side=side)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="handover-{handover.pk}.csv"'
    return response


@login_required
def import_bundle(request):
    if not (selectors.receiver_org_ids(request.user) or request.user.is_superuser):
        raise Http404()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            handover = exchange.import_fhir(by=request.user,
                                            raw=form.cleaned_data["bundle"].read()[:20_000_000])
        except DomainError as exc:
            form.add_error("bundle", str(exc.message))
        else:
            messages.success(request, _("The handover is imported."))
            return redirect("followup:handover", handover.pk)
    return render(request, "followup/import.html", {"form": form})


@login_required
@require_POST
def reroute(request, item_id):
    item = get_object_or_404(HandoverItem, pk=item_id)
    handover, _side = _handover(request, item.handover_id)
    form = UnitReasonForm(request.POST)
    if form.is_valid():
        try:
            services.reroute(by=request.user, item=item, unit=form.cleaned_data["unit"],
                             reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The person is handed on."))
    else:
        messages.error(request, _("Choose the receiver and give the reason."))
    try:
        selectors.handover_for(request.user, handover.pk)
    except NotFound:
        return redirect("followup:home")
    return redirect("followup:handover", handover.pk)


@login_required
def task(request, task_id):
    task = _task(request, task_id)
    person = json.loads(task.item.data)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "try":
                form = TryForm(request.POST)
                form.is_valid()
                services.record_try(by=request.user, task=task,
                                    note=form.cleaned_data.get("note", ""))
                messages.success(request, _("The attempt is recorded."))
            elif action == "assign_me":
                services.assign_task(by=request.user, task=task, user=request.user)
                messages.success(request, _("The task is yours."))
            elif action == "complete":
                form = CompleteForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Choose the outcome."))
                else:
                    services.complete_task(by=request.user, task=task, **form.cleaned_data)
                    messages.success(request, _("The outcome is recorded."))
        except DomainError as exc:
            _error(request, exc)
        return redirect("followup:task", task.pk)
    audit.record(action=AuditAction.VIEW, obj=task.item, fields=task.item.fields)
    return render(request, "followup/task.html", {
        "task": task, "person": person, "complete_form": CompleteForm(), "try_form": TryForm(),
        "can_assign": org_selectors.has_role(request.user, selectors.RECEIVER_ROLES,
                                             task.organisation_id),
    })


@login_required
@require_POST
def campaign_create(request, incident_id):
    incident = _sender_incident(request, incident_id)
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            campaign = outreach.start_campaign(by=request.user, incident=incident,
                                               **form.cleaned_data)
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The campaign is queued."))
            return redirect("followup:campaign", campaign.pk)
    else:
        messages.error(request, _("Check the campaign: name, template and channels."))
    return redirect("followup:incident", incident.pk)


@login_required
def campaign(request, campaign_id):
    campaign = get_object_or_404(Campaign.objects.select_related("incident"), pk=campaign_id)
    _sender_incident(request, campaign.incident_id)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            outreach.cancel_campaign(by=request.user, campaign=campaign)
        except DomainError as exc:
            _error(request, exc)
        return redirect("followup:campaign", campaign.pk)
    if request.method == "POST" and request.POST.get("action") in ("resend", "delivered"):
        message = get_object_or_404(campaign.messages, pk=request.POST.get("message") or 0)
        try:
            outreach.resolve_unknown(by=request.user, message=message,
                                     delivered=request.POST["action"] == "delivered")
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The message is marked delivered.")
                             if request.POST["action"] == "delivered"
                             else _("The message is queued to be sent again."))
        return redirect("followup:campaign", campaign.pk)
    rows = campaign.messages.order_by("id")[:1000]
    counts: dict = {}
    for status in campaign.messages.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return render(request, "followup/campaign.html", {
        "campaign": campaign, "rows": rows, "counts": sorted(counts.items()),
        "total": sum(counts.values()),
        "unknown": list(campaign.messages.filter(status=MessageState.UNKNOWN).order_by("id"))})


@login_required
def rules(request):
    return render(request, "followup/rules.html", {
        "rules": RoutingRule.objects.all(),
        "can_edit": request.user.is_staff and request.user.has_perm(
            "followup.change_routingrule"),
    })
