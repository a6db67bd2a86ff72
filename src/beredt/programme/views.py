"""Pages: the case list by phase, the referral form (with "who answers now"), the case page
with its timeline and panels, the plan editors, printable PDFs, FHIR downloads and the
leader's overview. Thin: services and selectors do the work; every page showing personal
data is audited."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import DomainError, NotFound
from beredt.directory import selectors as directory

from . import fhir, forms, pdf, selectors, services
from .models import (
    TIMELINE,
    ConsentPurpose,
    Criterion,
    LetterKind,
    Phase,
    PlanKind,
    ProgrammeRole,
)


def _case(request, case_id):
    try:
        return selectors.case_for(request.user, case_id)
    except NotFound:
        raise Http404() from None


def _back(case):
    return redirect("programme:case", case.pk)


def dashboard_panels(request) -> list[dict]:
    user = request.user
    if not selectors.takes_part(user):
        return []
    counts = selectors.phase_counts(selectors.cases_visible_to(user))
    return [{"template": "programme/_dashboard_panel.html", "context": {"counts": counts}}]


@login_required
def home(request):
    user = request.user
    if not selectors.takes_part(user):
        raise Http404()
    phase = request.GET.get("phase", "open")
    if phase not in (*Phase.values, "open", "all"):
        phase = "open"
    qs = selectors.case_list(user, phase="" if phase == "all" else phase,
                             mine=request.GET.get("mine") == "1")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    audit.record_many(action=AuditAction.LIST, objects=rows, fields=["full_name", "cpr"])
    is_municipal = bool(selectors.municipality_codes(user)) or user.is_superuser
    return render(request, "programme/home.html", {
        "page_obj": page, "cases": rows, "phase": phase, "phases": Phase.choices,
        "counts": selectors.phase_counts(selectors.cases_visible_to(user)),
        "can_refer": selectors.referring_organisations(user).exists(),
        "is_leader": selectors.is_leader(user), "is_municipal": is_municipal,
        "person_word": _("Citizen") if is_municipal else _("Patient"),
        "query": f"phase={phase}&", "today": timezone.localdate(),
    })


@login_required
def refer(request):
    organisations = selectors.referring_organisations(request.user)
    if not organisations.exists():
        raise Http404()
    form = forms.ReferralForm(request.POST or None, organisations=organisations,
                              initial={"client_id": uuid.uuid4()})
    client_id = request.POST.get("client_id") or str(uuid.uuid4())
    if request.method == "POST" and form.is_valid():
        try:
            case, _created = services.refer(by=request.user, client_id=uuid.UUID(client_id),
                                            data=form.data_for_service())
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError):
                forms.add_domain_error(form, exc)
            else:
                form.add_error(None, _("The form was sent twice; reload it."))
        else:
            messages.success(request, _("The referral is saved.") if case.phase != Phase.NOT_OFFERED
                             else _("Saved as not offered, with the reasons."))
            return _back(case)
    return render(request, "programme/refer.html", {"form": form, "client_id": client_id})


@login_required
def who_answers(request):
    """HTMX partial: the municipality's acute number and who answers now."""
    code = request.GET.get("municipality") or ""
    try:
        now = directory.open_now(code) if code else None
    except DomainError:
        now = None
    return render(request, "programme/_who_answers.html", {"now": now})


def _case_context(request, case, side) -> dict:
    plans_visible = selectors.sees_plans(case, side)
    ctx = {
        "case": case, "side": side, "sees_plans": plans_visible,
        "person_word": _("Citizen") if side == "municipality" else _("Patient"),
        "timeline": _timeline(case), "changes": list(case.phase_changes.select_related("by")),
        "consents": list(case.consents.all()), "calls": list(case.calls.all()),
        "letters": list(case.letters.select_related("created_by")),
        "readmissions": list(case.readmissions.all()),
        "readmitted_6": selectors.readmitted_within(case, 6),
        "readmitted_12": selectors.readmitted_within(case, 12),
        "criteria": [(c.label, case.eligibility.get(c.value), c.value in
                      case.not_offered_reasons) for c in Criterion],
        "consent_form": forms.ConsentForm(), "withdraw_form": forms.WithdrawForm(),
        "call_form": forms.CallForm(), "today": timezone.localdate(),
    }
    if side == "hospital":
        ctx["letter_form"] = forms.LetterForm()
        ctx["readmission_form"] = forms.ReadmissionForm()
        ctx["consent_gp"] = selectors.active_consent(case, ConsentPurpose.SHARE_GP)
        ctx["consent_cave"] = selectors.active_consent(case, ConsentPurpose.CAVE)
    if side == "municipality":
        ctx["phase_form"] = forms.PhaseForm(initial={"contact_option": case.contact_option})
        ctx["team_form"] = forms.TeamForm(
            initial={"skp": case.skp_id, "caseworker": case.caseworker_id},
            skps=selectors.staff_of(case, ProgrammeRole.SKP),
            caseworkers=selectors.staff_of(case, ProgrammeRole.CASEWORKER))
        ctx["hours_form"] = forms.HoursForm()
        ctx["meeting_form"] = forms.MeetingForm()
        ctx["helper_form"] = forms.HelperForm()
        offers = directory.search_services(municipality=case.municipality_id, kind="offer")
        ctx["activity_form"] = forms.ActivityForm(offers=offers)
        ctx["close_form"] = forms.CloseForm()
        ctx["letter_form"] = forms.LetterForm() if request.user.is_superuser else None
    if plans_visible:
        ctx["contract"] = selectors.latest_plan(case, PlanKind.CONTRACT)
        ctx["crisis"] = selectors.latest_plan(case, PlanKind.CRISIS)
        ctx["relapse"] = selectors.latest_plan(case, PlanKind.RELAPSE)
        ctx["hours"] = list(case.hours.select_related("worker"))
        ctx["meetings"] = list(case.meetings.all())
        ctx["helpers"] = list(case.helpers.all())
        ctx["activities"] = list(case.activities.select_related("service__provider"))
        ctx["budget"] = _budget(case)
    return ctx


def _budget(case) -> list[dict]:
    rows = []
    for label, used, budget in ((_("The 4 weeks"), case.programme_minutes,
                                 case.programme_budget),
                                (_("Follow-up (2 weeks)"), case.followup_minutes,
                                 case.followup_budget)):
        rows.append({"label": label, "used": round(used / 60, 2), "budget": budget / 60,
                     "low": round(budget * 0.5 / 60, 2), "high": round(budget * 0.8 / 60, 2),
                     "percent": min(100, round(100 * used / budget)) if budget else 0})
    return rows


def _timeline(case) -> list[dict]:
    reached = {c.to_phase: c.at for c in case.phase_changes.all()}
    out = []
    for phase in TIMELINE:
        out.append({"phase": phase, "label": Phase(phase).label, "at": reached.get(phase),
                    "current": case.phase == phase})
    return out


@login_required
def case_page(request, case_id):
    case, side = _case(request, case_id)
    audit.record(action=AuditAction.VIEW, obj=case, fields=["full_name", "cpr", "phone", "gp"])
    return render(request, "programme/case.html", _case_context(request, case, side))


def _act(request, case_id, run, success: str):
    """Run a service from a small form on the case page; errors become messages."""
    case, side = _case(request, case_id)
    try:
        run(case, side)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return _back(case)


def _form_or_error(request, form):
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        raise DomainError(errors, code="invalid")
    return form.cleaned_data


@login_required
@require_POST
def phase_action(request, case_id):
    to = request.POST.get("to", "")

    def run(case, side):
        d = _form_or_error(request, forms.PhaseForm(request.POST))
        services.change_phase(by=request.user, case=case, side=side, to=to,
                              contact_option=d["contact_option"], note=d["note"])
    return _act(request, case_id, run, _("The case is updated."))


@login_required
@require_POST
def team_action(request, case_id):
    def run(case, side):
        skp, caseworker = request.POST.get("skp") or None, request.POST.get("caseworker") or None
        services.assign(by=request.user, case=case, side=side,
                        skp_id=int(skp) if skp and skp.isdigit() else None,
                        caseworker_id=int(caseworker) if caseworker and caseworker.isdigit()
                        else None)
    return _act(request, case_id, run, _("The team is saved."))


@login_required
@require_POST
def call_action(request, case_id):
    def run(case, side):
        d = _form_or_error(request, forms.CallForm(request.POST))
        services.log_call(by=request.user, case=case, side=side, **d)
    return _act(request, case_id, run, _("The call is logged."))


@login_required
@require_POST
def consent_action(request, case_id):
    def run(case, side):
        d = _form_or_error(request, forms.ConsentForm(request.POST))
        services.add_consent(by=request.user, case=case, side=side, **d)
    return _act(request, case_id, run, _("The consent is recorded."))


@login_required
@require_POST
def withdraw_action(request, case_id, consent_id):
    def run(case, side):
        d = _form_or_error(request, forms.WithdrawForm(request.POST))
        services.withdraw_consent(by=request.user, case=case, side=side,
                                  consent_id=consent_id, reason=d["reason"])
    return _act(request, case_id, run, _("The consent is withdrawn."))


@login_required
@require_POST
def hours_action(request, case_id):
    def run(case, side):
        d = _form_or_error(request, forms.HoursForm(request.POST))
        services.log_hours(by=request.user, case=case, side=side, **d)
    return _act(request, case_id, run, _("The time is logged."))


@login_required
@require_POST
def meeting_action(request, case_id):
    def run(case, side):
        form = forms.MeetingForm(request.POST)
        _form_or_error(request, form)
        services.add_meeting(by=request.user, case=case, side=side, **form.data_for_service())
    return _act(request, case_id, run, _("The network meeting is saved."))


@login_required
@require_POST
def helper_action(request, case_id):
    def run(case, side):
        d = _form_or_error(request, forms.HelperForm(request.POST))
        services.add_helper(by=request.user, case=case, side=side, **d)
    return _act(request, case_id, run, _("Added to the network map."))


@login_required
@require_POST
def activity_action(request, case_id):
    def run(case, side):
        services.add_activity(by=request.user, case=case, side=side,
                              service_id=request.POST.get("service", ""),
                              note=request.POST.get("note", ""))
    return _act(request, case_id, run, _("Added to the activity plan."))


@login_required
@require_POST
def close_action(request, case_id):
    def run(case, side):
        d = _form_or_error(request, forms.CloseForm(request.POST))
        services.close(by=request.user, case=case, side=side, **d)
    return _act(request, case_id, run, _("The case is closed."))


@login_required
@require_POST
def letter_action(request, case_id):
    def run(case, side):
        d = _form_or_error(request, forms.LetterForm(request.POST))
        services.write_letter(by=request.user, case=case, side=side, **d)
    return _act(request, case_id, run, _("The letter is written."))


@login_required
@require_POST
def readmission_action(request, case_id):
    def run(case, side):
        d = _form_or_error(request, forms.ReadmissionForm(request.POST))
        services.record_readmission(by=request.user, case=case, side=side, **d)
    return _act(request, case_id, run, _("The readmission is recorded."))


@login_required
@require_POST
def shared_action(request, case_id, plan_id):
    def run(case, side):
        services.mark_shared(by=request.user, case=case, side=side, plan_id=plan_id)
    return _act(request, case_id, run, _("Marked as given to the citizen."))


PLAN_FORMS = {PlanKind.CONTRACT: forms.ContractForm, PlanKind.CRISIS: forms.CrisisPlanForm,
              PlanKind.RELAPSE: forms.RelapsePlanForm}


@login_required
def plan_edit(request, case_id, kind):
    case, side = _case(request, case_id)
    if kind not in PLAN_FORMS or side != "municipality":
        raise Http404()
    form_class = PLAN_FORMS[kind]
    latest = selectors.latest_plan(case, kind)
    initial = {}
    if latest is not None:
        initial = (form_class.initial_from(latest.data) if hasattr(form_class, "initial_from")
                   else latest.data)
        audit.record(action=AuditAction.VIEW, obj=latest, fields=["content"])
    elif kind == PlanKind.CONTRACT:
        initial = {"start_date": timezone.localdate()}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(by=request.user, case=case, side=side, kind=kind,
                               data=form.data_for_service())
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            messages.success(request, _("Saved as a new version."))
            return _back(case)
    return render(request, "programme/plan_edit.html", {
        "case": case, "form": form, "kind": kind, "title": PlanKind(kind).label,
        "latest": latest, "versions": selectors.plan_versions(case, kind)})


def _pdf_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


RENDERERS = {PlanKind.CONTRACT: pdf.contract_pdf, PlanKind.CRISIS: pdf.crisis_pdf,
             PlanKind.RELAPSE: pdf.relapse_pdf}


@login_required
def plan_pdf(request, case_id, plan_id):
    case, side = _case(request, case_id)
    if not selectors.sees_plans(case, side):
        raise Http404()
    plan = case.plans.filter(pk=plan_id).first()
    if plan is None:
        raise Http404()
    audit.record(action=AuditAction.EXPORT, obj=plan, fields=["content"],
                 extra={"format": "pdf"})
    return _pdf_response(RENDERERS[plan.kind](case, plan), f"{plan.kind}-v{plan.version}.pdf")


@login_required
def letter_pdf(request, case_id, letter_id):
    case, _side = _case(request, case_id)
    letter = case.letters.select_related("created_by").filter(pk=letter_id).first()
    if letter is None:
        raise Http404()
    try:
        services.require_letter_consent(case, letter.kind)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _back(case)
    audit.record(action=AuditAction.EXPORT, obj=letter, fields=["text"], extra={"format": "pdf"})
    name = "cave.pdf" if letter.kind == LetterKind.CAVE else "brev-egen-laege.pdf"
    return _pdf_response(pdf.letter_pdf(case, letter), name)


def _fhir_response(body: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def letter_fhir(request, case_id, letter_id):
    case, _side = _case(request, case_id)
    letter = case.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404()
    try:
        body = fhir.export_letter(by=request.user, letter=letter)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _back(case)
    return _fhir_response(body, f"carecommunication-{letter.pk}.json")


@login_required
def case_fhir(request, case_id):
    case, side = _case(request, case_id)
    if not selectors.sees_plans(case, side):
        raise Http404()
    return _fhir_response(fhir.export_case(by=request.user, case=case), f"forloeb-{case.pk}.json")


@login_required
def overview(request):
    if not selectors.is_leader(request.user):
        raise Http404()
    data = selectors.overview(request.user)
    return render(request, "programme/overview.html", {
        **data, "phase_rows": [(Phase(p).label, n) for p, n in data["phases"].items()],
        "max_referred": max([r["referred"] for r in data["months"]] + [1])})
