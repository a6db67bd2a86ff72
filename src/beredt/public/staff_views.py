"""Staff pages of the public app (login): editing and publishing an incident's public
page, and the queue where self-registrations are confirmed or rejected."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import DomainError, add_to_form
from beredt.core.params import int_param, uuid_param
from beredt.geo import selectors as geo_selectors
from beredt.incidents import selectors as incident_selectors

from . import content, pdf, selectors, services
from .forms import IncidentPageForm, RejectForm
from .models import SelfRegistration


@login_required
@require_http_methods(["GET", "POST"])
def edit_page(request, incident_id):
    incident = get_object_or_404(incident_selectors.incidents_visible_to(request.user),
                                 pk=incident_id)
    if not selectors.can_edit_page(request.user, incident):
        messages.error(request, _("Only the incident's lead or KOP can publish its public page."))
        return redirect("incidents:detail", incident_id=incident.pk)
    page = selectors.page_of(incident)
    initial = {} if page else {"title": incident.title, "what_happened": incident.description}
    form = IncidentPageForm(request.POST or None, instance=page, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        publish = {"publish": True, "unpublish": False}.get(action)
        try:
            page = services.save_incident_page(by=request.user, incident=incident,
                                               data=form.cleaned_data, publish=publish)
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The public page is published.") if page.published
                             else _("The public page is saved (not public)."))
            return redirect("public:edit_page", incident_id=incident.pk)
    return render(request, "public/staff/edit_page.html", {
        "incident": incident, "page": page, "form": form,
        "public_url": request.build_absolute_uri(
            reverse("public:incident", kwargs={"lang": "da", "slug": page.slug})) if page else "",
    }, status=400 if form.errors else 200)


@login_required
def queue(request):
    incidents = selectors.queue_incidents_for(request.user).exclude(status="closed")
    items = selectors.pending_for(request.user)
    incident_id = uuid_param(request.GET.get("incident"))
    if incident_id:
        items = items.filter(incident_id=incident_id)
    items = list(items[:100])
    names = {lang.code: lang.name for lang in content.languages()}
    for item in items:
        item.language_name = names.get(item.language, item.language)
    audit.record_many(action=AuditAction.VIEW, objects=items,
                      fields=list(SelfRegistration.PERSONAL_FIELDS))
    return render(request, "public/staff/queue.html", {
        "items": items, "incidents": incidents, "incident_id": incident_id,
        "reject_form": RejectForm(),
    })


@login_required
@require_http_methods(["POST"])
def decide(request, item_id):
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.confirm_self_registration(by=request.user, self_registration_id=item_id)
            messages.success(request, _("Confirmed: the person is now registered for follow-up."))
        elif action == "reject":
            services.reject_self_registration(by=request.user, self_registration_id=item_id,
                                              reason=request.POST.get("reason", ""))
            messages.success(request, _("Rejected. The personal data is deleted."))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    back = reverse("public:queue")
    if request.POST.get("incident"):
        back += f"?incident={request.POST['incident']}"
    return redirect(back)


@login_required
def leaflet_pdf(request):
    """``?lang=da|en|ar|uk|pl&municipality=<code>&incident=<uuid>``: the leaflet on crisis
    reactions with the municipality's numbers and a QR code to the incident page (or to the
    public site when no incident is given)."""
    lang = request.GET.get("lang", "da")
    lang = lang if lang in content.LANGUAGES else "da"
    page = None
    code = int_param(request.GET.get("municipality"))
    municipality = code if code is not None and geo_selectors.municipality(code) else None
    incident_id = uuid_param(request.GET.get("incident"))
    if incident_id:
        incident = incident_selectors.incidents_visible_to(request.user).filter(
            pk=incident_id).first()
        page = selectors.page_of(incident) if incident else None
        if page is not None and municipality is None:
            municipality = incident.municipality_id
    path = (reverse("public:incident", kwargs={"lang": lang, "slug": page.slug}) if page
            else reverse("public:index", kwargs={"lang": lang}))
    data = pdf.leaflet(lang=lang, url=settings.BASE_URL.rstrip("/") + path,
                       municipality_code=municipality, page=page)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="beredt-leaflet-{lang}.pdf"'
    return response

