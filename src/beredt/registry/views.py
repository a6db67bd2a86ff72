"""Pages: registration form (tablet first), list/search, detail with consents, duplicate
review, bulk import and the printable form. Thin: services and selectors do the work."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beredt.core import audit, cpr
from beredt.core.audit import AuditAction
from beredt.core.errors import DomainError, NotFound, add_to_form
from beredt.core.search import search_term
from beredt.core.views import bad_input
from beredt.geo import selectors as geo_selectors
from beredt.incidents.models import Incident
from beredt.incidents.selectors import incidents_visible_to

from . import imports, pdf, selectors, services
from .forms import ConsentForm, ImportForm, ReasonForm, RegistrationForm
from .models import Channel, ConsentRecord, ImportBatch, Merge, PersonRole, RegistrationPoint


def _incident(request, incident_id) -> Incident:
    incident = get_object_or_404(incidents_visible_to(request.user), pk=incident_id)
    if not selectors.can_see_registrations(request.user, incident):
        raise Http404()
    return incident


def _registration(request, registration_id):
    try:
        return selectors.registration_for(request.user, registration_id)
    except NotFound:
        raise Http404() from None


def _point(incident, value: str) -> RegistrationPoint:
    if value.startswith("new:"):
        return services.registration_point(incident=incident, kind=value[4:])
    return get_object_or_404(RegistrationPoint, pk=value, incident=incident)


# --- hooks for the shared pages ---------------------------------------------------------------

def incident_panels(request, incident) -> list[dict]:
    if not selectors.can_see_registrations(request.user, incident):
        return []
    qs = selectors.incident_registrations(request.user, incident)
    return [{"template": "registry/_incident_panel.html", "context": {
        "incident": incident, "count": qs.count(),
        "followup_wanted": qs.filter(need__in=["followup_wanted", "urgent_referral"]).count(),
        "duplicates": (selectors.pending_candidate_count(incident)
                       if selectors.sees_all(request.user, incident.pk) else None),
        "can_register": incident.is_open,
    }}]


def dashboard_panels(request) -> list[dict]:
    incidents = [i for i in incidents_visible_to(request.user).exclude(status="closed")
                 if selectors.can_see_registrations(request.user, i)]
    if not incidents:
        return []
    return [{"template": "registry/_dashboard_panel.html", "context": {
        "rows": [(i, selectors.incident_registrations(request.user, i).count())
                 for i in incidents[:10]]}}]


# --- pages ------------------------------------------------------------------------------------

@login_required
def home(request):
    incidents = [i for i in incidents_visible_to(request.user)
                 if selectors.can_see_registrations(request.user, i)]
    return render(request, "registry/home.html", {
        "rows": [(i, selectors.incident_registrations(request.user, i).count())
                 for i in incidents],
    })


@login_required
@require_http_methods(["GET", "POST"])
def registration_list(request, incident_id):
    incident = _incident(request, incident_id)
    query, moved, link_query = search_term(request)
    if moved:
        return moved
    role = request.GET.get("role", "")
    qs = selectors.incident_registrations(request.user, incident)
    if role in PersonRole:
        qs = qs.filter(role=role)
    results = selectors.search(qs, query)
    page = Paginator(results, 25).get_page(request.GET.get("page"))
    audit.record_many(action=AuditAction.SEARCH if query else AuditAction.LIST,
                      objects=list(page.object_list), fields=["full_name"])
    return render(request, "registry/list.html", {
        "incident": incident, "page_obj": page, "q": query, "role": role,
        "roles": PersonRole.choices,
        "query": "&".join(p for p in (link_query, urlencode({"role": role})) if p) + "&",
        "can_register": selectors.can_register(request.user, incident),
        "sees_all": selectors.sees_all(request.user, incident.pk),
    })


@login_required
def registration_create(request, incident_id):
    incident = _incident(request, incident_id)
    if not selectors.can_register(request.user, incident):
        messages.error(request, _("The incident is closed; no new registrations."))
        return redirect("registry:list", incident_id=incident.pk)
    relatives = [(str(r.pk), r.full_name) for r in
                 selectors.incident_registrations(request.user, incident)[:200]]
    form = RegistrationForm(
        request.POST or None, points=list(incident.registration_points.all()),
        relatives=relatives, cpr_url=reverse("registry:cpr_birth_date"),
        postcode_url=reverse("registry:postcode_municipalities"),
        initial={"point": request.GET.get("point", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reg, created = services.register_person(
                incident=incident, by=request.user, client_id=form.cleaned_data["client_id"],
                point=_point(incident, form.cleaned_data["point"]), data=form.person(),
                consents=form.consents())
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            if created:
                messages.success(request, _("%(name)s is registered.") % {"name": reg.full_name})
            return redirect(f"{reverse('registry:detail', args=[reg.pk])}?new=1")
    return render(request, "registry/form.html", {"form": form, "incident": incident},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def postcode_municipalities(request):
    code = request.GET.get("postcode", "").strip()
    links = geo_selectors.postcode_municipalities(code) if len(code) == 4 else []
    form = RegistrationForm(points=[], initial={
        "residence_municipality_code": links[0].municipality_id if links else None})
    field = form["residence_municipality_code"]
    if links:
        candidates = [(link.municipality_id, link.municipality.name) for link in links]
        others = [c for c in form.fields[field.name].choices if c[0] not in dict(candidates)]
        form.fields[field.name].choices = [*candidates, *others[1:]]
    return render(request, "registry/_municipality_field.html", {
        "field": field, "links": links, "unknown": len(code) == 4 and not links})


@login_required
@require_POST
def cpr_birth_date(request):
    raw = request.POST.get("cpr", "").strip()
    form = RegistrationForm(points=[])
    error, sex = "", ""
    if raw:
        try:
            number = cpr.parse(raw)
        except DomainError as exc:
            error = str(exc.message) if len(raw.replace("-", "")) >= 10 else ""
        else:
            form.initial["birth_date"] = number.birth_date
            sex = _("female") if number.sex == "F" else _("male")
    return render(request, "registry/_birth_date_field.html", {
        "field": form["birth_date"], "error": error, "sex": sex})


@login_required
def registration_detail(request, registration_id, revealed: str = ""):
    reg = _registration(request, registration_id)
    audit.record(action=AuditAction.VIEW, obj=reg, fields=list(reg.PERSONAL_FIELDS))
    sees_all = selectors.sees_all(request.user, reg.incident_id)
    return render(request, "registry/detail.html", {
        "reg": reg, "incident": reg.incident, "revealed": revealed,
        "consents": reg.consents.select_related("taken_by", "withdrawn_by"),
        "channels": [Channel(c).label for c in sorted(selectors.consented_channels(reg))],
        "sees_note": selectors.sees_note(request.user, reg),
        "consent_form": ConsentForm(), "reason_form": ReasonForm(),
        "merges": Merge.objects.filter(survivor=reg) if sees_all else [],
        "relatives": selectors.registrations_visible_to(request.user).filter(related_to=reg),
        "is_new": request.GET.get("new") == "1",
    })


@login_required
@require_POST
def reveal(request, registration_id):
    reg = _registration(request, registration_id)
    form = ReasonForm(request.POST)
    try:
        value = services.reveal_cpr(registration=reg, by=request.user,
                                    reason=form.data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("registry:detail", registration_id=reg.pk)
    return registration_detail(request, registration_id, revealed=value)


@login_required
@require_POST
def consent_add(request, registration_id):
    reg = _registration(request, registration_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.add_consent(registration=reg, by=request.user, data=form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The consent is recorded."))
    else:
        messages.error(request, _("Fill in the kind of consent and how it was given."))
    return redirect("registry:detail", registration_id=reg.pk)


@login_required
@require_POST
def consent_withdraw(request, registration_id, consent_id):
    reg = _registration(request, registration_id)
    consent = get_object_or_404(ConsentRecord, pk=consent_id, registration=reg)
    try:
        services.withdraw_consent(consent=consent, by=request.user,
                                  reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The consent is withdrawn. Pending contact is stopped."))
    return redirect("registry:detail", registration_id=reg.pk)


# --- duplicates ---------------------------------------------------------------------------------

@login_required
def duplicates(request, incident_id):
    incident = _incident(request, incident_id)
    if not selectors.sees_all(request.user, incident.pk):
        raise Http404()
    pairs = list(selectors.candidates_for(request.user, incident)[:100])
    shown = [r for c in pairs for r in (c.first, c.second)]
    audit.record_many(action=AuditAction.VIEW, objects=shown,
                      fields=["full_name", "birth_date", "phone", "address"])
    merges = Merge.objects.filter(survivor__incident=incident).select_related(
        "merged_by", "undone_by")[:50]
    return render(request, "registry/duplicates.html", {
        "incident": incident, "pairs": pairs, "merges": merges})


def _decide(request, candidate_id, action):
    try:
        cand = selectors.candidate_for(request.user, candidate_id)
        action(candidate=cand, by=request.user)
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return None
    return cand


@login_required
@require_POST
def candidate_merge(request, candidate_id):
    cand = _decide(request, candidate_id, services.merge)
    if cand:
        messages.success(request, _("Merged. You can undo it below."))
    return redirect(request.POST.get("next") or "registry:home")


@login_required
@require_POST
def candidate_reject(request, candidate_id):
    cand = _decide(request, candidate_id, services.reject_candidate)
    if cand:
        messages.success(request, _("Marked as two different people."))
    return redirect(request.POST.get("next") or "registry:home")


@login_required
@require_POST
def merge_undo(request, merge_id):
    record = get_object_or_404(Merge, pk=merge_id)
    _registration(request, record.survivor_id)
    try:
        services.undo_merge(merge_record=record, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The merge is undone."))
    return redirect("registry:duplicates", incident_id=record.survivor.incident_id)


# --- bulk import --------------------------------------------------------------------------------

@login_required
def import_upload(request, incident_id):
    incident = _incident(request, incident_id)
    form = ImportForm(request.POST or None, request.FILES or None,
                      points=list(incident.registration_points.all()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.check_file(
                incident=incident, by=request.user, filename=upload.name,
                point=_point(incident, form.cleaned_data["point"]), content=upload.read())
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            return redirect("registry:import_review", batch_id=batch.pk)
    return render(request, "registry/import.html", {"form": form, "incident": incident},
                  status=400 if form.is_bound and form.errors else 200)


def _batch(request, batch_id) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    _incident(request, batch.incident_id)
    return batch


@login_required
def import_review(request, batch_id):
    batch = _batch(request, batch_id)
    rows: dict[int, list] = {}
    for item in batch.report:
        rows.setdefault(item["row"], []).append(item)
    return render(request, "registry/import_review.html", {
        "batch": batch, "incident": batch.incident, "rejected": sorted(rows.items()),
        "invalid_rows": len(rows)})


@login_required
@require_POST
def import_commit(request, batch_id):
    batch = _batch(request, batch_id)
    try:
        batch = imports.commit(batch=batch, by=request.user, mode=request.POST.get("mode", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(n)s registrations imported.") % {"n": batch.imported_rows}
                         if batch.imported_rows else _("Nothing was imported."))
    return redirect("registry:import_review", batch_id=batch.pk)


# --- printable form -----------------------------------------------------------------------------

@login_required
def form_pdf(request):
    """``?lang=da|en`` ``&copies=N`` ``&incident=<uuid>``: the printable registration and
    consent form; each page has its own form number."""
    lang = request.GET.get("lang", "da")
    try:
        copies = max(1, min(int(request.GET.get("copies", "1")), 50))
    except ValueError:
        copies = 1
    incident = None
    if request.GET.get("incident"):
        try:
            incident_id = uuid.UUID(request.GET["incident"])
        except ValueError:
            return bad_input(request, code="invalid_incident", field="incident",
                             detail=_("The incident is not a valid id."))
        incident = incidents_visible_to(request.user).filter(pk=incident_id).first()
    data = pdf.registration_form(lang=lang if lang in {"da", "en"} else "da", copies=copies,
                                 incident_title=incident.title if incident else "")
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="beredt-registrering-{lang}.pdf"'
    return response
