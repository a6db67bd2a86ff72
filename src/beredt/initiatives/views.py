"""Pages: the initiatives overview, an initiative (allocation check, recommendations,
milestones, statuses), forms, a quarter's status, and a committee's page (the read-only
timeline for members, report generation for the secretary, the version history).
Thin: services and selectors do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredt.core.errors import DomainError
from beredt.organisations.models import Organisation

from . import selectors, services
from .figures import figure_for
from .forms import (
    AllocationForm,
    ExplanationForm,
    InitiativeForm,
    MilestoneForm,
    NoteForm,
    RecommendationForm,
    ReportForm,
    StatusForm,
)
from .models import Milestone
from .periods import Quarter, kroner

TIMELINE_MAX = 12


def _initiative(request, pk):
    found = selectors.initiatives_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404()
    return found


def _recommendation(request, pk):
    found = selectors.recommendations_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404()
    return found


def _committee(request, pk):
    found = selectors.committees_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404()
    return found


def _editable(request, initiative):
    if not selectors.can_edit(request.user, initiative):
        raise Http404()
    return initiative


def _form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def _quarter(value) -> Quarter | None:
    try:
        return Quarter.parse(value)
    except DomainError:
        return None


def _timeline(first_year: int, statuses) -> list[Quarter]:
    """From the budget year's first quarter to the quarter after the latest status."""
    first = Quarter(first_year, 1)
    last = max((Quarter.parse(s.quarter) for s in statuses), default=first).next()
    quarters = [first]
    while quarters[-1] < last:
        quarters.append(quarters[-1].next())
    return quarters[-TIMELINE_MAX:]


def _rows(recommendations, quarters):
    """Per recommendation: its status in each quarter and its milestone progress."""
    rows = []
    for rec in recommendations:
        by_quarter = {s.quarter: s for s in rec.statuses.all()}
        milestones = list(rec.milestones.all())
        latest = max(by_quarter.values(), key=lambda s: s.quarter, default=None)
        open_quarters = [q for q in quarters
                         if str(q) not in by_quarter and selectors.expects_status(rec, q)]
        rows.append({
            "rec": rec,
            "next_quarter": open_quarters[0] if open_quarters else None,
            "cells": [(q, by_quarter.get(str(q)), selectors.expects_status(rec, q))
                      for q in quarters],
            "milestones": milestones,
            "done": sum(1 for m in milestones if m.is_done),
            "latest": latest,
            "amounts": [(a.year, kroner(a.amount)) for a in rec.amounts.all()],
        })
    return rows


# --- pages ----------------------------------------------------------------------------------

@login_required
def home(request):
    if not selectors.can_see_any(request.user):
        raise Http404()
    initiatives = list(selectors.initiatives_visible_to(request.user))
    for i in initiatives:
        i.gaps = selectors.unexplained(i)
        i.editable = selectors.can_edit(request.user, i)
    return render(request, "initiatives/home.html", {
        "initiatives": initiatives,
        "committees": selectors.committees_visible_to(request.user),
        "can_create": request.user.is_superuser or bool(selectors.editor_org_ids(request.user)),
    })


def _initiative_form(request, data=None, initial=None):
    orgs = Organisation.objects.filter(is_active=True)
    if not request.user.is_superuser:
        orgs = orgs.filter(pk__in=selectors.editor_org_ids(request.user))
    return InitiativeForm(data, initial=initial, organisations=orgs,
                          committees=selectors.committees_visible_to(request.user))


@login_required
def initiative_edit(request, pk=None):
    initiative = _editable(request, _initiative(request, pk)) if pk else None
    initial = None
    if initiative:
        initial = {f: getattr(initiative, f) for f in services.INITIATIVE_FIELDS}
        initial.update(organisation=initiative.organisation, committee=initiative.committee)
    elif not (request.user.is_superuser or selectors.editor_org_ids(request.user)):
        raise Http404()
    form = _initiative_form(request, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved, _created = services.save_initiative(
                by=request.user, initiative=initiative, organisation=data.pop("organisation"),
                committee=data.pop("committee"), **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The initiative is saved."))
            return redirect("initiatives:initiative", pk=saved.pk)
    return render(request, "initiatives/form.html", {
        "form": form, "title": initiative.title if initiative else _("New budget initiative"),
        "back": initiative})


@login_required
def initiative(request, pk):
    initiative = _initiative(request, pk)
    recommendations = list(initiative.recommendations.select_related("responsible")
                           .prefetch_related("amounts", "milestones", "statuses"))
    quarters = _timeline(initiative.budget_year,
                         [s for r in recommendations for s in r.statuses.all()])
    check = selectors.allocation_check(initiative)
    return render(request, "initiatives/initiative.html", {
        "initiative": initiative,
        "editable": selectors.can_edit(request.user, initiative),
        "check": [(c, kroner(c.allocated), kroner(c.recommended), kroner(c.difference),
                   ExplanationForm(initial={"year": c.year, "explanation": c.explanation},
                                   prefix=f"y{c.year}"))
                  for c in check],
        "rows": _rows(recommendations, quarters),
        "quarters": quarters,
        "current": quarters[-1],
        "allocation_form": AllocationForm(initial={"year": initiative.budget_year}),
    })


@login_required
@require_POST
def allocation(request, pk):
    initiative = _editable(request, _initiative(request, pk))
    form = AllocationForm(request.POST)
    if form.is_valid():
        try:
            services.set_allocation(by=request.user, initiative=initiative,
                                    year=form.cleaned_data["year"],
                                    amount=form.cleaned_data["amount"])
            messages.success(request, _("The allocation is saved."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Give the year and the amount."))
    return redirect("initiatives:initiative", pk=initiative.pk)


@login_required
@require_POST
def explain(request, pk, year):
    initiative = _editable(request, _initiative(request, pk))
    form = ExplanationForm(request.POST, prefix=f"y{year}")
    if form.is_valid():
        try:
            services.explain_difference(by=request.user, initiative=initiative, year=year,
                                        explanation=form.cleaned_data["explanation"])
            messages.success(request, _("The explanation is saved."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
    return redirect("initiatives:initiative", pk=initiative.pk)


def _years(initiative) -> list[int]:
    years = set(initiative.allocations.values_list("year", flat=True))
    years |= set(range(initiative.budget_year, initiative.budget_year + 4))
    return sorted(years)


@login_required
def recommendation_edit(request, pk, rec_pk=None):
    initiative = _editable(request, _initiative(request, pk))
    rec = _recommendation(request, rec_pk) if rec_pk else None
    if rec is not None and rec.initiative_id != initiative.pk:
        raise Http404()
    initial = None
    if rec:
        initial = {f: getattr(rec, f) for f in ("number", "title", "position",
                                                "responsible_name", "figure_key",
                                                "first_quarter", "last_quarter")}
        initial.update({f"amount_{a.year}": a.amount for a in rec.amounts.all()})
    form = RecommendationForm(request.POST or None, initial=initial, years=_years(initiative))
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if not k.startswith("amount_")}
        try:
            services.save_recommendation(by=request.user, initiative=initiative,
                                         recommendation=rec, amounts=form.amounts(), **values)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The recommendation is saved."))
            return redirect("initiatives:initiative", pk=initiative.pk)
    return render(request, "initiatives/form.html", {
        "form": form, "title": rec.heading if rec else _("New recommendation"),
        "back": initiative})


@login_required
def status(request, rec_pk, quarter):
    rec = _recommendation(request, rec_pk)
    period = _quarter(quarter)
    if period is None:
        raise Http404()
    initiative = rec.initiative
    editable = selectors.can_edit(request.user, initiative)
    current = rec.statuses.filter(quarter=str(period)).first()
    initial = ({"light": current.light, "text": current.text,
                "next_steps": current.next_steps} if current else None)
    form = StatusForm(request.POST or None, initial=initial)
    milestone_form = MilestoneForm(initial={"planned_quarter": str(period.next())})
    if request.method == "POST":
        if not editable:
            raise Http404()
        if form.is_valid():
            try:
                services.report_status(by=request.user, recommendation=rec, quarter=period,
                                       **form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The status is saved."))
                return redirect("initiatives:initiative", pk=initiative.pk)
    return render(request, "initiatives/status.html", {
        "rec": rec, "initiative": initiative, "quarter": period, "form": form,
        "editable": editable, "current": current,
        "history": current.history.select_related("history_user").order_by("-history_date")
        if current else [],
        "figure": figure_for(rec, period),
        "expected": selectors.expects_status(rec, period),
        "previous": period.previous(), "next": period.next(),
        "milestones": rec.milestones.all(), "milestone_form": milestone_form,
    })


@login_required
@require_POST
def milestone_add(request, rec_pk):
    rec = _recommendation(request, rec_pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.add_milestone(by=request.user, recommendation=rec, **form.cleaned_data)
            messages.success(request, _("The milestone is added."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
    return redirect(_safe_next(request, rec))


def _safe_next(request, rec):
    target = request.POST.get("next", "")
    if target.startswith("/initiatives/") and "//" not in target:
        return target
    return f"/initiatives/{rec.initiative_id}/"


@login_required
@require_POST
def milestone_done(request, milestone_pk):
    milestone = Milestone.objects.select_related("recommendation").filter(
        pk=milestone_pk,
        recommendation__initiative__in=selectors.initiatives_visible_to(request.user)).first()
    if milestone is None:
        raise Http404()
    try:
        services.set_milestone_done(
            by=request.user, milestone=milestone,
            done_on=None if milestone.is_done else timezone.localdate())
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(_safe_next(request, milestone.recommendation))


@login_required
def note(request, pk, quarter):
    initiative = _editable(request, _initiative(request, pk))
    period = _quarter(quarter)
    if period is None:
        raise Http404()
    existing = initiative.notes.filter(quarter=str(period)).first()
    form = NoteForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        services.save_note(by=request.user, initiative=initiative, quarter=period,
                           text=form.cleaned_data["text"])
        messages.success(request, _("The introduction is saved."))
        return redirect("initiatives:initiative", pk=initiative.pk)
    return render(request, "initiatives/form.html", {
        "form": form, "back": initiative,
        "title": _("Introduction to the status after %(quarter)s") % {"quarter": period.label}})


@login_required
def committee(request, pk):
    """The committee's page: every member reads the timeline; the secretary generates."""
    committee = _committee(request, pk)
    initiatives = list(selectors.initiatives_visible_to(request.user).filter(committee=committee)
                       .prefetch_related("recommendations__statuses",
                                         "recommendations__milestones",
                                         "recommendations__amounts"))
    blocks = []
    for i in initiatives:
        recs = list(i.recommendations.all())
        quarters = _timeline(i.budget_year, [s for r in recs for s in r.statuses.all()])
        blocks.append({"initiative": i, "quarters": quarters, "rows": _rows(recs, quarters),
                       "gaps": selectors.unexplained(i)})
    can_generate = selectors.can_generate(request.user, committee)
    form = ReportForm(request.GET or None,
                      initial={"quarter": str(Quarter.of(timezone.localdate()).previous()),
                               "format": "pdf"})
    readiness = None
    if request.GET and form.is_valid():
        try:
            services.check_ready(committee=committee,
                                 quarter=Quarter.parse(form.cleaned_data["quarter"]))
            readiness = {"ready": True}
        except services.ReportNotReady as exc:
            readiness = {"ready": False, "detail": exc.message, "code": exc.code,
                         "missing": exc.missing, "unexplained": exc.unexplained}
    return render(request, "initiatives/committee.html", {
        "committee": committee, "blocks": blocks, "can_generate": can_generate,
        "form": form, "readiness": readiness,
        "reports": selectors.reports_visible_to(request.user).filter(committee=committee)[:100],
    })


@login_required
@require_POST
def generate(request, pk):
    committee = _committee(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a quarter (e.g. 2024Q2) and a format."))
        return redirect("initiatives:committee", pk=committee.pk)
    try:
        generated = services.generate_report(by=request.user, committee=committee,
                                             **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(f"/initiatives/committee/{committee.pk}/?quarter="
                        f"{form.cleaned_data['quarter']}&format={form.cleaned_data['format']}")
    messages.success(request, _("Version %(version)s of the report is kept.")
                     % {"version": generated.version})
    return redirect("initiatives:committee", pk=committee.pk)


@login_required
def report_file(request, report_pk):
    from .api import CONTENT_TYPES

    generated = selectors.reports_visible_to(request.user).defer(None).filter(
        pk=report_pk).first()
    if generated is None:
        raise Http404()
    response = HttpResponse(bytes(generated.file), content_type=CONTENT_TYPES[generated.format])
    response["Content-Disposition"] = f'attachment; filename="{generated.filename}"'
    return response
