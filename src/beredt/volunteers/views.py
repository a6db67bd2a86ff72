"""Pages: overview, month rota, "Mine vagter" (+ iCal feed), "Ring til patientstøtten",
the request answer page, onboarding, volunteers and invitations, partnership, the
evaluation (+ PDF), the instruction sheet. Thin: forms in, services and selectors out."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredt.accounts.models import User
from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import DomainError

from . import evaluation, forms, ical, pdf, selectors, services
from .models import ONBOARDING_ITEMS, RequestStatus, Volunteer

MINE_SHOWN = 8  # "Mine vagter" on a phone: the next shifts; the rest in the rota and feed


def _unit(request, unit_id):
    return get_object_or_404(selectors.units_visible_to(request.user), pk=unit_id)


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _month(value: str | None) -> dt.date:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def _next_url(request, fallback: str) -> str:
    nxt = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, {request.get_host()}, require_https=False):
        return nxt
    return fallback


@login_required
def home(request):
    volunteer = selectors.volunteer_of(request.user)
    units = list(selectors.units_visible_to(request.user).order_by("name"))
    if volunteer and len(units) == 1 and not selectors.can_plan(request.user, units[0]):
        return redirect("volunteers:mine")
    rows = [
        {
            "unit": unit,
            "on_duty": list(selectors.on_duty(unit)),
            "can_call": selectors.can_call(request.user, unit),
            "can_plan": selectors.can_plan(request.user, unit),
            "is_contact": selectors.is_contact_person(request.user, unit),
            "can_manage": selectors.can_manage_unit(request.user, unit),
        }
        for unit in units
    ]
    return render(request, "volunteers/home.html", {
        "rows": rows, "volunteer": volunteer,
        "can_evaluate": selectors.evaluation_units(request.user).exists(),
        "can_partner": request.user.is_superuser
        or bool(selectors.coordinator_org_ids(request.user)),
    })


# --- rota ----------------------------------------------------------------------------------
@login_required
def rota(request, unit_id):
    unit = _unit(request, unit_id)
    month = _month(request.GET.get("month"))
    can_plan = selectors.can_plan(request.user, unit)
    volunteer = selectors.volunteer_of(request.user)
    form = forms.ShiftForm(request.POST or None, unit=unit) if can_plan else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_shift(by=request.user, unit=unit, starts_at=data["starts_at"],
                                  ends_at=data["ends_at"], volunteer=data["volunteer"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The shift is planned."))
            return redirect(f"{reverse('volunteers:rota', args=[unit.pk])}?month={month:%Y-%m}")
    shifts = list(selectors.month_shifts(unit, month))
    days = [
        (day, list(group))
        for day, group in itertools.groupby(
            shifts, key=lambda s: timezone.localtime(s.starts_at).date()
        )
    ]
    prev_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return render(request, "volunteers/rota.html", {
        "unit": unit, "month": month, "days": days, "prev_month": prev_month,
        "next_month": next_month, "can_plan": can_plan, "form": form,
        "volunteers": list(unit.volunteers.filter(stopped_on__isnull=True).select_related("user"))
        if can_plan else [],
        "me": volunteer if volunteer and volunteer.unit_id == unit.pk else None,
        "gaps": sum(1 for s in shifts if s.volunteer_id is None),
        "now": timezone.now(),
    }, status=400 if form is not None and form.is_bound and form.errors else 200)


@login_required
@require_POST
def plan_month(request, unit_id):
    unit = _unit(request, unit_id)
    month = _month(request.POST.get("month"))
    try:
        n = services.plan_month(by=request.user, unit=unit, month=month)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(n)s open shifts added.") % {"n": n})
    return redirect(f"{reverse('volunteers:rota', args=[unit.pk])}?month={month:%Y-%m}")


@login_required
@require_POST
def shift_action(request, shift_id):
    shift = get_object_or_404(selectors.shifts_visible_to(request.user), pk=shift_id)
    action = request.POST.get("action")
    month = timezone.localtime(shift.starts_at)
    fallback = f"{reverse('volunteers:rota', args=[shift.unit_id])}?month={month:%Y-%m}"
    try:
        if action in {"assign", "swap"}:
            to = Volunteer.objects.filter(
                pk=request.POST.get("volunteer") or 0, unit=shift.unit
            ).first()
            if to is None:
                messages.error(request, _("Choose a volunteer."))
                return redirect(_next_url(request, fallback))
            if action == "assign":
                services.assign_shift(by=request.user, shift=shift, volunteer=to)
                messages.success(request, _("The shift is assigned."))
            else:
                services.swap_shift(by=request.user, shift=shift, to=to)
                messages.success(request, _("The shift is handed over."))
        elif action == "take":
            services.take_shift(by=request.user, shift=shift)
            messages.success(request, _("The shift is yours."))
        elif action in {"wish", "unwish"}:
            services.wish_shift(by=request.user, shift=shift, wish=action == "wish")
            messages.success(request, _("Your wish is noted.") if action == "wish"
                             else _("Your wish is withdrawn."))
        elif action == "cancel":
            _shift, late = services.cancel_shift(by=request.user, shift=shift)
            messages.success(request, _("The shift is cancelled."))
            if late:
                messages.warning(request, _("Inside the notice period: the activity leaders "
                                            "have been alerted."))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(_next_url(request, fallback))


# --- Mine vagter -----------------------------------------------------------------------------
@login_required
def mine(request):
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    upcoming = selectors.upcoming_shifts_of(request.user)
    shifts = list(upcoming[:MINE_SHOWN])
    colleagues = list(volunteer.unit.volunteers.filter(stopped_on__isnull=True)
                      .exclude(pk=volunteer.pk).select_related("user"))
    open_shifts = list(selectors.open_shifts_for(volunteer)[:MINE_SHOWN])
    wished = set(volunteer.wishes.values_list("shift_id", flat=True))
    pending = list(selectors.requests_visible_to(request.user).filter(
        shift__volunteer=volunteer, status=RequestStatus.SENT))
    return render(request, "volunteers/mine.html", {
        "volunteer": volunteer, "shifts": shifts, "colleagues": colleagues,
        "open_shifts": open_shifts, "wished": wished, "pending": pending,
        "more": max(0, upcoming.count() - len(shifts)),
        "now": timezone.now(),
        "feed_url": request.build_absolute_uri(
            reverse("volunteers:feed", kwargs={"token": ical.token_for(volunteer)})),
    })


def feed(request, token):
    volunteer = ical.volunteer_for(token)
    if volunteer is None:
        raise Http404
    shifts = volunteer.shifts.filter(
        status="planned", ends_at__gt=timezone.now() - dt.timedelta(days=30)
    ).select_related("unit", "unit__site")
    return HttpResponse(
        ical.calendar(volunteer, shifts), content_type="text/calendar; charset=utf-8"
    )


def instructions(request):
    return render(request, "volunteers/instructions.html", {"items": ONBOARDING_ITEMS})


# --- Ring til patientstøtten ---------------------------------------------------------------
@login_required
def call(request, unit_id):
    unit = _unit(request, unit_id)
    if not selectors.can_call(request.user, unit):
        raise Http404
    on_duty = list(selectors.on_duty(unit))
    nobody = "" if on_duty else services.nobody_message(unit, timezone.now())
    form = forms.CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req, _created = services.create_request(
                by=request.user, unit=unit, place=data["place"], note=data["note"],
                without_relative=data["without_relative"], needed_at=data["needed_at"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect("volunteers:request", request_id=req.pk)
    return render(request, "volunteers/call.html", {
        "unit": unit, "form": form, "on_duty": on_duty, "nobody": nobody,
        "next_shift": None if on_duty else selectors.next_covered_shift(unit),
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
def request_detail(request, request_id):
    req = get_object_or_404(selectors.requests_visible_to(request.user), pk=request_id)
    holder = req.shift.volunteer
    is_volunteer = holder is not None and holder.user_id == request.user.pk
    if request.method == "POST" and is_volunteer:
        try:
            services.answer_request(by=request.user, request=req,
                                    accept=request.POST.get("answer") == "accept")
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("volunteers:request", request_id=req.pk)
    template = "volunteers/_request_status.html" if request.htmx else "volunteers/request.html"
    return render(request, template, {"req": req, "is_volunteer": is_volunteer})


# --- onboarding and who is on shift --------------------------------------------------------
@login_required
def onboarding(request, unit_id):
    unit = _unit(request, unit_id)
    is_contact = selectors.is_contact_person(request.user, unit)
    form = forms.OnboardingForm(request.POST or None, unit=unit) if is_contact else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.sign_onboarding(by=request.user, volunteer=form.cleaned_data["volunteer"],
                                     items=form.cleaned_data["items"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The onboarding is signed."))
            return redirect("volunteers:onboarding", unit_id=unit.pk)
    signed = selectors.onboardings_visible_to(request.user).filter(volunteer__unit=unit)
    return render(request, "volunteers/onboarding.html", {
        "unit": unit, "form": form, "signed": signed, "on_duty": list(selectors.on_duty(unit)),
        "items": dict(ONBOARDING_ITEMS),
    }, status=400 if form is not None and form.is_bound and form.errors else 200)


# --- volunteers (coordinator) ----------------------------------------------------------------
@login_required
def volunteers(request, unit_id):
    unit = _unit(request, unit_id)
    if not selectors.can_plan(request.user, unit):
        raise Http404
    can_invite = selectors.can_manage_unit(request.user, unit)
    form = forms.InviteForm(request.POST or None) if can_invite else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.invite_volunteer(by=request.user, unit=unit, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The volunteer is invited."))
            return redirect("volunteers:volunteers", unit_id=unit.pk)
    people = list(selectors.volunteers_visible_to(request.user).filter(unit=unit)
                  .select_related("onboarding"))
    audit.record_many(action=AuditAction.VIEW, objects=people, fields=["name", "phone", "email"])
    return render(request, "volunteers/volunteers.html", {
        "unit": unit, "people": people, "form": form,
    }, status=400 if form is not None and form.is_bound and form.errors else 200)


@login_required
def volunteer_edit(request, volunteer_id):
    volunteer = get_object_or_404(selectors.volunteers_visible_to(request.user), pk=volunteer_id)
    if not selectors.can_plan(request.user, volunteer.unit):
        raise Http404
    form = forms.VolunteerForm(request.POST or None, initial={
        "phone": volunteer.user.phone, "training_done_on": volunteer.training_done_on,
        "availability": volunteer.availability, "stopped_on": volunteer.stopped_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_volunteer(by=request.user, volunteer=volunteer, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("volunteers:volunteers", unit_id=volunteer.unit_id)
    return render(request, "volunteers/volunteer_edit.html", {"volunteer": volunteer, "form": form})


def invitation(request, uidb64, token):
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "volunteers/invitation.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Here are your shifts."))
        return redirect("volunteers:mine")
    return render(request, "volunteers/invitation.html", {"form": form})


# --- units (coordinator) --------------------------------------------------------------------
def _coordinator_orgs(user):
    from beredt.organisations.models import Organisation, OrganisationKind

    orgs = Organisation.objects.filter(kind=OrganisationKind.VOLUNTEER_ORGANISATION)
    return orgs if user.is_superuser else orgs.filter(pk__in=selectors.coordinator_org_ids(user))


@login_required
def unit_form(request, unit_id=None):
    orgs = _coordinator_orgs(request.user)
    unit = _unit(request, unit_id) if unit_id else None
    if not orgs.exists() or (unit and not selectors.can_manage_unit(request.user, unit)):
        raise Http404
    initial = {}
    if unit:
        initial = {"organisation": unit.organisation, "site": unit.site, "name": unit.name,
                   "place": unit.place, "shift_hours": unit.shift_hours,
                   "notice_hours": unit.notice_hours,
                   "activity_leaders": list(unit.activity_leaders.all()),
                   "contact_persons": list(unit.contact_persons.all())}
    form = forms.UnitForm(request.POST or None, initial=initial, organisations=orgs)
    if unit:
        form.fields["organisation"].disabled = form.fields["site"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("name", "place", "shift_hours", "notice_hours")}
        fields.update(leaders=data["activity_leaders"], contacts=data["contact_persons"])
        try:
            if unit:
                services.update_unit(by=request.user, unit=unit, **fields)
            else:
                services.create_unit(by=request.user, organisation=data["organisation"],
                                     site=data["site"], **fields)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("volunteers:home")
    return render(request, "volunteers/unit_form.html", {"form": form, "unit": unit},
                  status=400 if form.is_bound and form.errors else 200)


# --- partnership -----------------------------------------------------------------------------
@login_required
def partnership(request):
    from .models import Partnership

    orgs = _coordinator_orgs(request.user)
    if not orgs.exists():
        raise Http404
    rows = Partnership.objects.filter(organisation__in=orgs).select_related(
        "organisation", "commissioner"
    )
    edit = rows.filter(pk=request.GET.get("edit") or 0).first()
    form = forms.PartnershipForm(request.POST or None, instance=edit, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            services.save_partnership(by=request.user, partnership=edit, **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The partnership is saved."))
            return redirect("volunteers:partnership")
    return render(request, "volunteers/partnership.html",
                  {"rows": rows, "form": form, "edit": edit},
                  status=400 if form.is_bound and form.errors else 200)


# --- evaluation ------------------------------------------------------------------------------
def _evaluation(request):
    units = selectors.evaluation_units(request.user)
    if not units.exists():
        raise Http404
    today = timezone.localdate()
    first = units.order_by("created_at").values_list("created_at", flat=True).first()
    start_default = (timezone.localtime(first).date() if first else today).replace(day=1)
    form = forms.EvaluationForm(request.GET or None, initial={
        "start": start_default,
        "end": start_default.replace(year=start_default.year + 1) - dt.timedelta(days=1),
    })
    start, end = form.initial["start"], form.initial["end"]
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    if (end - start).days > 3 * 366:
        end = start + dt.timedelta(days=3 * 366)
    org_ids = selectors.evaluation_org_ids(request.user)
    result = evaluation.evaluate(start=start, end=end,
                                 organisation_ids=None if org_ids is None else sorted(org_ids))
    return form, result, units


@login_required
def evaluation_page(request):
    form, result, units = _evaluation(request)
    return render(request, "volunteers/evaluation.html", {
        "form": form, "result": result, "charts": evaluation.charts(result), "units": units,
    })


@login_required
def evaluation_pdf(request):
    _form, result, units = _evaluation(request)
    response = HttpResponse(pdf.evaluation_pdf(result, units=list(units)),
                            content_type="application/pdf")
    name = f"patientstoette-evaluering-{result.start}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


