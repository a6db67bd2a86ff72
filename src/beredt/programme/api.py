"""Change programme API, mounted at /api/v1/programme/. Every read of a case is audited."""


import uuid

from django.http import Http404, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.cpr import mask
from beredt.core.errors import NotFound

from . import fhir, selectors, services
from .models import ELIGIBLE_ANSWER, Case, Criterion, Phase, PlanKind
from .schemas import (
    ActivityIn,
    CallIn,
    CaseOut,
    CaseRow,
    CloseIn,
    ConsentIn,
    ConsentOut,
    ContractIn,
    CrisisPlanIn,
    CriterionOut,
    HelperIn,
    HoursIn,
    HoursOut,
    LetterIn,
    LetterOut,
    MeetingIn,
    MeetingOut,
    PhaseIn,
    PlanOut,
    ReadmissionIn,
    ReferralIn,
    RelapsePlanIn,
    TeamIn,
    WithdrawIn,
)

router = Router(tags=["programme"])


def _case(request, case_id) -> tuple[Case, str]:
    try:
        return selectors.case_for(request.user, case_id)
    except NotFound:
        raise Http404() from None


def _row(case: Case) -> dict:
    return {"id": case.pk, "full_name": case.full_name, "cpr_masked": mask(case.cpr),
            "municipality_code": case.municipality_id, "phase": case.phase,
            "referred_at": case.referred_at, "contract_start": case.contract_start,
            "programme_ends": case.programme_ends, "followup_ends": case.followup_ends,
            "used_minutes": case.used_minutes, "budget_minutes": case.total_budget,
            "near_limit": case.near_limit}


def _out(case: Case, side: str) -> dict:
    data = _row(case)
    data.update({f: getattr(case, f) for f in (
        "client_id", "birth_date", "referring_organisation_id", "admitted_on",
        "admission_number", "eligibility", "not_offered_reasons", "contact_option", "skp_id",
        "caseworker_id", "programme_minutes", "followup_minutes", "extra_minutes",
        "remaining_minutes", "outcome", "closed_at")})
    data["side"] = side
    data["timeline"] = list(case.phase_changes.all())
    data["consents"] = list(case.consents.all())
    data["sees_plans"] = selectors.sees_plans(case, side)
    return data


def _detail(request, case: Case, side: str, *, action=AuditAction.VIEW):
    audit.record(action=action, obj=case, fields=["full_name", "cpr"])
    return _out(case, side)


@router.get("/criteria", response=list[CriterionOut])
def criteria(request):
    """The eligibility checklist: each criterion and the answer that makes a citizen
    eligible."""
    return [{"key": c.value, "label": str(c.label), "eligible_answer": ELIGIBLE_ANSWER[c]}
            for c in Criterion]


@router.post("/referrals", response={200: CaseOut, 201: CaseOut})
def create_referral(request, payload: ReferralIn):
    """The hospital refers (idempotent on ``client_id``)."""
    data = payload.dict(exclude={"client_id"})
    case, created = services.refer(by=request.user, client_id=payload.client_id, data=data)
    case, side = _case(request, case.pk)
    body = _detail(request, case, side, action=AuditAction.CREATE if created
                   else AuditAction.VIEW)
    return Status(201 if created else 200, body)


@router.post("/cases", response={200: CaseOut, 201: CaseOut})
def create_case(request, payload: ReferralIn):
    """Same as ``POST /referrals``."""
    return create_referral(request, payload)


@router.get("/cases", response=list[CaseRow])
@paginate(PageNumberPagination, page_size=50)
def list_cases(request, phase: Phase | None = None, municipality: int | None = None,
               open_only: bool = Query(False, alias="open")):
    qs = selectors.case_list(request.user, phase="open" if open_only else (phase or ""),
                             municipality=municipality)
    return _AuditedRows(qs)


class _AuditedRows:
    """Paginated by ninja; the rows of the page shown are audited when sliced."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        rows = list(self.qs[key])
        audit.record_many(action=AuditAction.LIST, objects=rows, fields=["full_name", "cpr"])
        return [_row(case) for case in rows]


@router.get("/cases/{case_id}", response=CaseOut)
def get_case(request, case_id: uuid.UUID):
    case, side = _case(request, case_id)
    return _detail(request, case, side)


@router.post("/cases/{case_id}/phase", response=CaseOut)
def change_phase(request, case_id: uuid.UUID, payload: PhaseIn):
    case, side = _case(request, case_id)
    case = services.change_phase(by=request.user, case=case, side=side, to=payload.to,
                                 contact_option=payload.contact_option or "",
                                 note=payload.note)
    return _out(case, side)


@router.post("/cases/{case_id}/team", response=CaseOut)
def set_team(request, case_id: uuid.UUID, payload: TeamIn):
    case, side = _case(request, case_id)
    case = services.assign(by=request.user, case=case, side=side, skp_id=payload.skp_id,
                           caseworker_id=payload.caseworker_id)
    return _out(case, side)


@router.post("/cases/{case_id}/calls", response={201: dict})
def log_call(request, case_id: uuid.UUID, payload: CallIn):
    case, side = _case(request, case_id)
    row = services.log_call(by=request.user, case=case, side=side, **payload.dict())
    return Status(201, {"id": row.pk, "called_at": row.called_at.isoformat()})


@router.post("/cases/{case_id}/consents", response={201: ConsentOut})
def add_consent(request, case_id: uuid.UUID, payload: ConsentIn):
    case, side = _case(request, case_id)
    return Status(201, services.add_consent(by=request.user, case=case, side=side,
                                            **payload.dict()))


@router.post("/cases/{case_id}/consents/{consent_id}/withdraw", response=ConsentOut)
def withdraw_consent(request, case_id: uuid.UUID, consent_id: int, payload: WithdrawIn):
    case, side = _case(request, case_id)
    return services.withdraw_consent(by=request.user, case=case, side=side,
                                     consent_id=consent_id, reason=payload.reason)


def _plan(request, case_id, kind, payload):
    case, side = _case(request, case_id)
    plan, created = services.save_plan(by=request.user, case=case, side=side, kind=kind,
                                       data=payload.dict())
    return Status(201 if created else 200, {
        "id": plan.pk, "kind": plan.kind, "version": plan.version, "saved_at": plan.saved_at,
        "saved_by_id": plan.saved_by_id, "content": plan.data})


@router.put("/cases/{case_id}/contract", response={200: PlanOut, 201: PlanOut})
def put_contract(request, case_id: uuid.UUID, payload: ContractIn):
    """A new version of the contract (200 with the latest when nothing changed)."""
    return _plan(request, case_id, PlanKind.CONTRACT, payload)


@router.put("/cases/{case_id}/crisis-plan", response={200: PlanOut, 201: PlanOut})
def put_crisis_plan(request, case_id: uuid.UUID, payload: CrisisPlanIn):
    return _plan(request, case_id, PlanKind.CRISIS, payload)


@router.put("/cases/{case_id}/relapse-plan", response={200: PlanOut, 201: PlanOut})
def put_relapse_plan(request, case_id: uuid.UUID, payload: RelapsePlanIn):
    return _plan(request, case_id, PlanKind.RELAPSE, payload)


@router.get("/cases/{case_id}/plans", response=list[PlanOut])
def list_plans(request, case_id: uuid.UUID):
    case, side = _case(request, case_id)
    if not selectors.sees_plans(case, side):
        raise Http404()
    plans = list(case.plans.all())
    audit.record_many(action=AuditAction.VIEW, objects=plans, fields=["content"])
    return [{"id": p.pk, "kind": p.kind, "version": p.version, "saved_at": p.saved_at,
             "saved_by_id": p.saved_by_id, "content": p.data} for p in plans]


@router.post("/cases/{case_id}/hours", response={200: HoursOut, 201: HoursOut})
def log_hours(request, case_id: uuid.UUID, payload: HoursIn):
    """Log time; 409 ``budget_exceeded`` beyond 32+5 hours unless a network meeting with the
    authority caseworker invited granted more."""
    case, side = _case(request, case_id)
    entry, created = services.log_hours(by=request.user, case=case, side=side,
                                        **payload.dict())
    case.refresh_from_db()
    return Status(201 if created else 200, {
        "id": entry.pk, "date": entry.date, "minutes": entry.minutes, "kind": entry.kind,
        "period": entry.period, "worker_id": entry.worker_id, "used_minutes": case.used_minutes,
        "remaining_minutes": case.remaining_minutes, "near_limit": case.near_limit})


@router.post("/cases/{case_id}/meetings", response={200: MeetingOut, 201: MeetingOut})
def add_meeting(request, case_id: uuid.UUID, payload: MeetingIn):
    case, side = _case(request, case_id)
    data = payload.dict()
    data["participants"] = [p for p in data["participants"]]
    meeting, created = services.add_meeting(by=request.user, case=case, side=side, **data)
    return Status(201 if created else 200, {
        "id": meeting.pk, "starts_at": meeting.starts_at, "place": meeting.place,
        "participants": meeting.participant_list,
        "caseworker_invited_at": meeting.caseworker_invited_at,
        "extra_minutes": meeting.extra_minutes})


@router.post("/cases/{case_id}/helpers", response={201: dict})
def add_helper(request, case_id: uuid.UUID, payload: HelperIn):
    case, side = _case(request, case_id)
    helper = services.add_helper(by=request.user, case=case, side=side, **payload.dict())
    return Status(201, {"id": helper.pk})


@router.post("/cases/{case_id}/activities", response={201: dict})
def add_activity(request, case_id: uuid.UUID, payload: ActivityIn):
    case, side = _case(request, case_id)
    activity = services.add_activity(by=request.user, case=case, side=side,
                                     service_id=payload.service_id, note=payload.note)
    return Status(201, {"id": activity.pk, "service_id": str(activity.service_id)})


@router.post("/cases/{case_id}/close", response=CaseOut)
def close_case(request, case_id: uuid.UUID, payload: CloseIn):
    case, side = _case(request, case_id)
    case = services.close(by=request.user, case=case, side=side, outcome=payload.outcome,
                          note=payload.note)
    return _out(case, side)


@router.post("/cases/{case_id}/readmissions", response={201: dict})
def add_readmission(request, case_id: uuid.UUID, payload: ReadmissionIn):
    case, side = _case(request, case_id)
    row = services.record_readmission(by=request.user, case=case, side=side,
                                      admitted_on=payload.admitted_on)
    return Status(201, {"id": row.pk, "admitted_on": row.admitted_on.isoformat()})


@router.post("/cases/{case_id}/letters", response={201: LetterOut})
def write_letter(request, case_id: uuid.UUID, payload: LetterIn):
    """The GP letter or the CAVE proposal; 409 ``consent_missing`` without the consent."""
    case, side = _case(request, case_id)
    return Status(201, services.write_letter(by=request.user, case=case, side=side,
                                             **payload.dict()))


@router.get("/cases/{case_id}/letters/{letter_id}/fhir")
def letter_fhir(request, case_id: uuid.UUID, letter_id: uuid.UUID):
    """The letter as a MedCom CareCommunication-shaped FHIR message (consent re-checked)."""
    case, _side = _case(request, case_id)
    letter = case.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404()
    body = fhir.export_letter(by=request.user, letter=letter)
    return HttpResponse(body, content_type="application/fhir+json")


@router.get("/cases/{case_id}/fhir")
def case_fhir(request, case_id: uuid.UUID):
    """The case as a FHIR R4 collection Bundle: Patient, EpisodeOfCare, CarePlan, Goals."""
    case, side = _case(request, case_id)
    if not selectors.sees_plans(case, side):
        raise Http404()
    body = fhir.export_case(by=request.user, case=case)
    return HttpResponse(body, content_type="application/fhir+json")


@router.get("/overview")
def overview(request, months: int = Query(12, ge=1, le=36)):
    """The leader's overview: counts per month, hours, readmissions (no personal data)."""
    if not selectors.is_leader(request.user):
        raise Http404()
    data = selectors.overview(request.user, months=months)
    for row in data["months"]:
        row["month"] = row["month"].isoformat()
    return data
