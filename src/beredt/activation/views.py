"""Pages: overview, roster (+ iCalendar feed), training, the incident board with its
actions, answering a call-out by link, statistics (plans and action cards:
:mod:`.plan_views`). Thin: forms in, services out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredt.core.errors import DomainError, add_to_form
from beredt.core.params import int_param
from beredt.incidents import selectors as incident_selectors
from beredt.incidents import services as incident_services
from beredt.incidents.models import STATUS_TRANSITIONS, IncidentStatus
from beredt.notify import delivery

from . import forms, ical, selectors, services
from .models import ActionCard, AfterAction, Callout, CalloutStatus, DutyRole, Shift


@login_required
def home(request):
    org_ids = selectors.roster_organisation_ids(request.user)
    now = timezone.now()
    on_duty = (
        selectors.shifts_visible_to(request.user)
        .filter(starts_at__lte=now, ends_at__gt=now)
        .order_by("organisation__name")
    )
    return render(
        request,
        "activation/home.html",
        {
            "callouts": selectors.my_open_callouts(request.user),
            "on_duty": on_duty,
            "plans": selectors.plans_visible_to(request.user).filter(organisation_id__in=org_ids)
            if not request.user.is_superuser
            else selectors.plans_visible_to(request.user),
            "all_plans": selectors.plans_visible_to(request.user),
            "can_create_plan": selectors.plan_organisations(request.user).exists(),
        },
    )


# --- Roster --------------------------------------------------------------------------------
@login_required
def roster(request):
    now = timezone.now()
    shifts = selectors.shifts_visible_to(request.user).filter(ends_at__gt=now)
    org = int_param(request.GET.get("organisation"))
    if org is not None:
        shifts = shifts.filter(organisation_id=org)
    shifts = list(shifts[:200])
    form = forms.ShiftForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_shift(
                by=request.user,
                organisation=data["organisation"],
                duty_role=data["duty_role"],
                user=data["user"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                note=data["note"],
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The shift is planned."))
            return redirect("activation:roster")
    return render(
        request,
        "activation/roster.html",
        {
            "shifts": shifts,
            "warnings": selectors.training_warnings(shifts),
            "now": now,
            "form": form,
            "can_plan": form.fields["organisation"].queryset.exists(),
            "organisations": selectors.roster_organisation_ids(request.user),
            "feed_url": request.build_absolute_uri(
                reverse("activation:feed", kwargs={"token": ical.token_for(request.user)})
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def shift_swap(request, shift_id):
    shift = get_object_or_404(selectors.shifts_visible_to(request.user), pk=shift_id)
    form = forms.SwapForm(request.POST or None, shift=shift)
    if request.method == "POST" and form.is_valid():
        try:
            services.swap_shift(by=request.user, shift=shift, to_user=form.cleaned_data["user"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The shift is handed over."))
            return redirect("activation:roster")
    return render(request, "activation/swap.html", {"shift": shift, "form": form})


@login_required
@require_POST
def shift_delete(request, shift_id):
    shift = get_object_or_404(selectors.shifts_visible_to(request.user), pk=shift_id)
    try:
        services.delete_shift(by=request.user, shift=shift)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The shift is deleted."))
    return redirect("activation:roster")


def roster_feed(request, token):
    """The person's shifts as iCalendar; the signed token is the credential (calendar apps
    cannot log in)."""
    user = ical.user_for(token)
    if user is None:
        raise Http404
    shifts = Shift.objects.filter(
        user=user, ends_at__gt=timezone.now() - timezone.timedelta(days=30)
    ).select_related("organisation", "site")
    return HttpResponse(ical.calendar(user, shifts), content_type="text/calendar; charset=utf-8")


@login_required
def training(request):
    form = forms.TrainingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_training(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("activation:training")
    today = timezone.localdate()
    return render(
        request,
        "activation/training.html",
        {
            "records": selectors.training_visible_to(request.user),
            "today": today,
            "form": form,
            "can_record": form.fields["user"].queryset.exists(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Incident board ------------------------------------------------------------------------
def _incident(request, incident_id):
    return get_object_or_404(incident_selectors.incidents_visible_to(request.user), pk=incident_id)


def _shown_log(request, incident):
    """The log as the user may read it; a page load (not the 10-second refresh) is audited."""
    log = list(incident_selectors.log_visible_to(request.user, incident))
    if not request.headers.get("HX-Request"):
        incident_services.record_log_view(incident=incident, entries=log)
    return log


def _with_delivery(callouts: list[Callout], now) -> list[Callout]:
    """Each call-out with its delivery per channel (``c.reach``); people not reached who
    have not answered first."""
    reach = delivery.reach_by_about([c.about for c in callouts])
    for c in callouts:
        c.elapsed_minutes = int((now - c.alerted_at).total_seconds() // 60)
        c.reach = reach[c.about]
        c.unreached = c.reach.not_reached and c.status == CalloutStatus.ALERTED
    return sorted(callouts, key=lambda c: not c.unreached)


def _board_context(request, incident):
    now = timezone.now()
    callouts = _with_delivery(list(selectors.callouts_of(incident)), now)
    return {
        "incident": incident,
        "callouts": callouts,
        "now": now,
        "alarms": selectors.alarms_of(incident),
        "sites": incident.deployment_sites.prefetch_related(
            Prefetch("callouts", queryset=Callout.objects.select_related("user"))
        ),
        "log": _shown_log(request, incident),
        "log_readable": incident_selectors.can_read_log(request.user, incident),
        "can_manage": incident_selectors.can_manage(request.user, incident),
        "elapsed_minutes": int((now - incident.started_at).total_seconds() // 60),
        "unreached": sum(1 for c in callouts if c.unreached),
        "can_alarm_again": can_alarm_again(request.user, incident),
    }


def can_alarm_again(user, incident) -> bool:
    return incident.is_open and (
        incident_selectors.can_manage(user, incident)
        or selectors.alarmable_organisations(user).exists()
    )


@login_required
def board(request, incident_id):
    incident = _incident(request, incident_id)
    context = _board_context(request, incident)
    if request.headers.get("HX-Request"):
        return render(request, "activation/_board.html", context)
    can_manage = context["can_manage"]
    ticks = selectors.ticks_of(incident)
    card_rows = [
        {
            "card": card,
            "items": [(i, text, ticks.get((card.pk, i))) for i, text in enumerate(card.items)],
        }
        for card in selectors.cards_for_incident(incident)
    ]
    after = AfterAction.objects.filter(incident=incident).first()
    context.update(
        {
            "alarm_form": forms.AlarmForm(
                organisations=selectors.alarmable_organisations(request.user)
            ),
            "request_form": forms.RequestForm(incident=incident),
            "site_form": forms.SiteForm(),
            "log_form": forms.LogForm(),
            "after_form": forms.AfterActionForm(
                initial={f: getattr(after, f) for f in services.AFTER_ACTION_FIELDS}
                if after
                else None
            ),
            "after": after,
            "card_rows": card_rows,
            "next_statuses": [
                (s, IncidentStatus(s).label)
                for s in IncidentStatus.values
                if s in STATUS_TRANSITIONS[IncidentStatus(incident.status)]
            ]
            if can_manage
            else [],
            "dispatch_statuses": [
                CalloutStatus.EN_ROUTE,
                CalloutStatus.ON_SITE,
                CalloutStatus.RELEASED,
            ],
            "duty_roles": DutyRole,
            "etas": ETA_CHOICES,
        }
    )
    return render(request, "activation/board.html", context)


def _act(request, incident_id, action, success):
    """Run ``action(incident)`` for a board form; errors become a message. Back to the
    board, or to the page named by ``next`` (a path of this site)."""
    incident = _incident(request, incident_id)
    try:
        action(incident)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("activation:board", incident_id=incident.pk)


def _invalid(request, incident_id, form):
    errors = "; ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
        for f, e in form.errors.items()
    )
    messages.error(request, errors)
    return redirect("activation:board", incident_id=incident_id)


@login_required
@require_POST
def board_alarm(request, incident_id):
    form = forms.AlarmForm(
        request.POST, organisations=selectors.alarmable_organisations(request.user)
    )
    if not form.is_valid():
        return _invalid(request, incident_id, form)
    if not form.cleaned_data["confirmed"]:
        # First the question: which department, how many people.
        incident = _incident(request, incident_id)
        data = form.cleaned_data
        return render(
            request,
            "activation/alarm_confirm.html",
            {
                "incident": incident,
                "organisation": data["organisation"],
                "reach": selectors.alarm_reach(data["organisation"], everyone=data["everyone"]),
                "data": data,
            },
        )
    action = services.call_in_department if form.cleaned_data["everyone"] else services.raise_alarm
    return _act(
        request,
        incident_id,
        lambda i: action(
            by=request.user,
            incident=i,
            organisation=form.cleaned_data["organisation"],
            note=form.cleaned_data["note"],
        ),
        _("The department is alarmed."),
    )


@login_required
def alarm_detail(request, incident_id, alarm_id):
    """One alarm: who was alerted at each step and how far each message got (live)."""
    incident = _incident(request, incident_id)
    alarm = get_object_or_404(selectors.alarms_of(incident), pk=alarm_id)
    now = timezone.now()
    callouts = _with_delivery(
        list(alarm.callouts.select_related("user", "site").order_by("step", "id")), now
    )
    context = {
        "incident": incident,
        "alarm": alarm,
        "callouts": callouts,
        "now": now,
        "unreached": sum(1 for c in callouts if c.unreached),
        "can_alarm_again": can_alarm_again(request.user, incident),
    }
    if request.headers.get("HX-Request"):
        return render(request, "activation/_alarm_live.html", context)
    return render(request, "activation/alarm.html", context)


@login_required
@require_POST
def alarm_again(request, incident_id, alarm_id):
    def run(incident):
        alarm = get_object_or_404(incident.alarms, pk=alarm_id)
        services.alarm_department_again(by=request.user, alarm=alarm)

    return _act(request, incident_id, run, _("The department is alarmed again."))


@login_required
@require_POST
def callout_again(request, incident_id, callout_id):
    def run(incident):
        callout = get_object_or_404(incident.callouts, pk=callout_id)
        services.alarm_again(by=request.user, callout=callout)

    return _act(request, incident_id, run, _("The person is alarmed again."))


@login_required
@require_POST
def board_request(request, incident_id):
    incident = _incident(request, incident_id)
    form = forms.RequestForm(request.POST, incident=incident)
    if not form.is_valid():
        return _invalid(request, incident_id, form)
    return _act(
        request,
        incident_id,
        lambda i: services.request_members(
            by=request.user,
            incident=i,
            users=form.cleaned_data["users"],
            note=form.cleaned_data["note"],
        ),
        _("The crisis team members are asked."),
    )


@login_required
@require_POST
def board_site(request, incident_id):
    form = forms.SiteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, incident_id, form)
    return _act(
        request,
        incident_id,
        lambda i: services.add_site(by=request.user, incident=i, **form.cleaned_data),
        _("The site is added."),
    )


@login_required
@require_POST
def board_dispatch(request, incident_id, callout_id):
    def run(incident):
        callout = get_object_or_404(incident.callouts, pk=callout_id)
        site = get_object_or_404(incident.deployment_sites,
                                 pk=int_param(request.POST.get("site")) or 0)
        services.dispatch(by=request.user, callout=callout, site=site)

    return _act(request, incident_id, run, _("Dispatched."))


@login_required
@require_POST
def board_callout_status(request, incident_id, callout_id):
    def run(incident):
        callout = get_object_or_404(incident.callouts, pk=callout_id)
        services.set_callout_status(
            by=request.user, callout=callout, status=request.POST.get("status", "")
        )

    return _act(request, incident_id, run, _("The status is changed."))


@login_required
@require_POST
def board_respond(request, incident_id, callout_id):
    def run(incident):
        callout = get_object_or_404(incident.callouts, pk=callout_id, user=request.user)
        accept, eta = _answer(request)
        services.respond(by=request.user, callout=callout, accept=accept, eta_minutes=eta)

    return _act(request, incident_id, run, _("Your answer is registered."))


@login_required
@require_POST
def board_log(request, incident_id):
    form = forms.LogForm(request.POST)
    if not form.is_valid():
        return _invalid(request, incident_id, form)
    return _act(
        request,
        incident_id,
        lambda i: services.add_note(
            by=request.user,
            incident=i,
            text=form.cleaned_data["text"],
            corrects_id=form.cleaned_data["corrects_id"],
        ),
        _("The log entry is added."),
    )


@login_required
@require_POST
def board_tick(request, incident_id):
    def run(incident):
        card = get_object_or_404(ActionCard, pk=int_param(request.POST.get("card")) or 0)
        item = int_param(request.POST.get("item"), maximum=10_000)
        services.tick(by=request.user, incident=incident, card=card,
                      item=-1 if item is None else item)

    return _act(request, incident_id, run, _("Ticked off."))


@login_required
@require_POST
def board_status(request, incident_id):
    return _act(
        request,
        incident_id,
        lambda i: services.change_status(
            by=request.user, incident=i, status=request.POST.get("status", "")
        ),
        _("The status is changed."),
    )


@login_required
@require_POST
def board_after_action(request, incident_id):
    form = forms.AfterActionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, incident_id, form)
    return _act(
        request,
        incident_id,
        lambda i: services.save_after_action(by=request.user, incident=i, **form.cleaned_data),
        _("The after-action is saved."),
    )


# --- Answer by link ------------------------------------------------------------------------
def respond_by_link(request, token):
    """Opened from the SMS/e-mail: no login; the signed one-time token is the credential.
    GET shows the question (link previews must not answer); POST answers."""
    try:
        callout = services.callout_for_link(token)
    except DomainError:
        return render(request, "activation/respond.html", {"invalid": True}, status=404)
    done = None
    if request.method == "POST":
        try:
            accept, eta = _answer(request)
            callout = services.respond_by_link(token=token, accept=accept, eta_minutes=eta)
            done = True
        except DomainError as exc:
            messages.error(request, str(exc.message))
    return render(
        request,
        "activation/respond.html",
        {
            "callout": callout,
            "incident": callout.incident,
            "sites": [callout.site]
            if callout.site
            else list(callout.incident.deployment_sites.all()),
            "etas": ETA_CHOICES,
            "done": done,
            "used": callout.link_used_at is not None or callout.status != CalloutStatus.ALERTED,
        },
    )


#: The "I am coming — in about N min" buttons on the answer page and the dashboard.
ETA_CHOICES = (15, 30, 60)


def _answer(request) -> tuple[bool, int | None]:
    """``answer=accept|decline|coming-<minutes>`` ("I am coming — in about N min")."""
    answer = request.POST.get("answer", "")
    if answer.startswith("coming-"):
        eta = answer.removeprefix("coming-")
        if not eta.isdigit() or len(eta) > 4:
            from beredt.core.errors import ValidationFailed

            raise ValidationFailed(
                _("Give the minutes until you arrive (1–600) with a yes."),
                code="out_of_range",
                field="eta_minutes",
            )
        return True, int(eta)
    return answer == "accept", None


@login_required
def statistics(request):
    return render(
        request,
        "activation/statistics.html",
        {
            "operational": selectors.alarm_statistics(request.user, exercise=False),
            "exercise": selectors.alarm_statistics(request.user, exercise=True),
        },
    )
