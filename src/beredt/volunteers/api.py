"""Volunteer patient supports API (mounted at /api/v1/volunteers)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from beredt.core.errors import NotFound, ValidationFailed

from . import evaluation, selectors, services
from .models import NO_CARE_TASKS, Volunteer
from .schemas import (
    EARLIEST,
    LATEST,
    AnswerIn,
    CancelOut,
    ChecklistItemOut,
    EvaluationOut,
    OnboardingIn,
    OnboardingOut,
    OnDutyOut,
    RequestIn,
    RequestOut,
    ShiftIn,
    ShiftOut,
    UnitOut,
    VolunteerRef,
    WishIn,
    checklist,
)

router = Router(tags=["volunteers"])


def _aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    if value is None:
        return None
    value = timezone.make_aware(value) if timezone.is_naive(value) else value
    if not EARLIEST <= value < LATEST:
        raise ValidationFailed(_("The time is out of range."), code="out_of_range", field=field)
    return value


def _date(value: dt.date | None, field: str) -> dt.date | None:
    if value is not None and not EARLIEST.date() <= value < LATEST.date():
        raise ValidationFailed(_("The date is out of range."), code="out_of_range", field=field)
    return value


def _unit(request, unit_id: int):
    return get_object_or_404(selectors.units_visible_to(request.user), pk=unit_id)


def _shift(request, shift_id: int):
    return get_object_or_404(selectors.shifts_visible_to(request.user), pk=shift_id)


def _volunteer_in(unit, volunteer_id: int | None) -> Volunteer | None:
    if volunteer_id is None:
        return None
    volunteer = Volunteer.objects.select_related("user").filter(pk=volunteer_id, unit=unit).first()
    if volunteer is None:
        raise ValidationFailed(_("The volunteer is not active in this unit."),
                               code="not_in_unit", field="volunteer_id")
    return volunteer


@router.get("/units", response=list[UnitOut], summary="Units the caller sees")
def list_units(request):
    return list(selectors.units_visible_to(request.user).order_by("name"))


@router.get("/shifts", response=list[ShiftOut],
            summary="The rota of the caller's units (a volunteer: their own unit's)")
def list_shifts(request, unit_id: int | None = None, mine: bool = False,
                start: dt.date | None = Query(None, alias="from"),  # noqa: B008
                end: dt.date | None = Query(None, alias="to")):  # noqa: B008
    qs = selectors.shifts_visible_to(request.user).filter(status="planned")
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if mine:
        qs = qs.filter(volunteer__user=request.user)
    start = _date(start, "from") or timezone.localdate()
    end = _date(end, "to") or start + dt.timedelta(days=31)
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time(0)))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0)))
    return list(qs.filter(starts_at__gte=lo, starts_at__lt=hi)[:1000])


@router.post("/shifts", response={200: ShiftOut, 201: ShiftOut},
             summary="Plan a shift (activity leaders; idempotent on client_id)")
def create_shift(request, payload: ShiftIn):
    unit = _unit(request, payload.unit_id)
    shift, created = services.create_shift(
        by=request.user, unit=unit, starts_at=_aware(payload.starts_at, "starts_at"),
        ends_at=_aware(payload.ends_at, "ends_at"),
        volunteer=_volunteer_in(unit, payload.volunteer_id), client_id=payload.client_id,
    )
    return Status(201 if created else 200, shift)


@router.post("/shifts/{shift_id}/assign", response=ShiftOut, summary="Assign a volunteer")
def assign_shift(request, shift_id: int, payload: VolunteerRef):
    shift = _shift(request, shift_id)
    return services.assign_shift(by=request.user, shift=shift,
                                 volunteer=_volunteer_in(shift.unit, payload.volunteer_id))


@router.post("/shifts/{shift_id}/take", response=ShiftOut,
             summary="Take an open shift (the unit's volunteers)")
def take_shift(request, shift_id: int):
    return services.take_shift(by=request.user, shift=_shift(request, shift_id))


@router.post("/shifts/{shift_id}/wish", response=ShiftOut,
             summary="State or withdraw a wish for an open shift")
def wish_shift(request, shift_id: int, payload: WishIn):
    shift = _shift(request, shift_id)
    services.wish_shift(by=request.user, shift=shift, wish=payload.wish)
    return shift


@router.post("/shifts/{shift_id}/swap", response=ShiftOut,
             summary="Hand the shift to another volunteer of the unit")
def swap_shift(request, shift_id: int, payload: VolunteerRef):
    shift = _shift(request, shift_id)
    return services.swap_shift(by=request.user, shift=shift,
                               to=_volunteer_in(shift.unit, payload.volunteer_id))


@router.post("/shifts/{shift_id}/cancel", response=CancelOut,
             summary="Cancel (the holder: the shift opens again; a leader: it is removed)")
def cancel_shift(request, shift_id: int):
    shift, late = services.cancel_shift(by=request.user, shift=_shift(request, shift_id))
    return {"shift": shift, "late": late}


@router.get("/on-duty", response=list[OnDutyOut], summary="Who is on shift now, per unit")
def on_duty(request, site: int | None = None):
    units = selectors.units_visible_to(request.user)
    if site is not None:
        units = units.filter(site_id=site)
    now = timezone.now()
    rows = []
    for unit in units.order_by("name"):
        shifts = list(selectors.on_duty(unit, now))
        rows.append({
            "unit_id": unit.pk, "unit": unit.name, "site_id": unit.site_id, "on_duty": shifts,
            "next_shift": None if shifts else selectors.next_covered_shift(unit, now),
            "message": "" if shifts else services.nobody_message(unit, now),
            "no_care_tasks": str(NO_CARE_TASKS),
        })
    return rows


@router.get("/requests", response=list[RequestOut], summary="Accompaniment requests")
def list_requests(request, unit_id: int | None = None):
    qs = selectors.requests_visible_to(request.user)
    if unit_id is not None:
        qs = qs.filter(shift__unit_id=unit_id)
    return list(qs[:200])


@router.post("/requests", response={200: RequestOut, 201: RequestOut},
             summary="Call the patient support on shift (no patient data; idempotent)")
def create_request(request, payload: RequestIn):
    unit = _unit(request, payload.unit_id)
    req, created = services.create_request(
        by=request.user, unit=unit, place=payload.place,
        needed_at=_aware(payload.needed_at, "needed_at"),
        without_relative=payload.without_relative, note=payload.note,
        client_id=payload.client_id,
    )
    return Status(201 if created else 200, req)


@router.get("/requests/{request_id}", response=RequestOut, summary="One request and its answer")
def get_request(request, request_id: uuid.UUID):
    return get_object_or_404(selectors.requests_visible_to(request.user), pk=request_id)


@router.post("/requests/{request_id}/answer", response=RequestOut,
             summary="The volunteer on shift answers")
def answer_request(request, request_id: uuid.UUID, payload: AnswerIn):
    req = get_object_or_404(selectors.requests_visible_to(request.user), pk=request_id)
    return services.answer_request(by=request.user, request=req, accept=payload.accept)


@router.get("/onboarding/checklist", response=list[ChecklistItemOut],
            summary="The first-shift checklist")
def onboarding_checklist(request):
    return checklist()


@router.get("/onboarding", response=list[OnboardingOut], summary="Signed onboardings")
def list_onboarding(request, unit_id: int | None = None):
    qs = selectors.onboardings_visible_to(request.user)
    if unit_id is not None:
        qs = qs.filter(volunteer__unit_id=unit_id)
    return list(qs[:500])


@router.post("/onboarding", response={201: OnboardingOut},
             summary="The contact person signs the first-shift checklist")
def sign_onboarding(request, payload: OnboardingIn):
    volunteer = Volunteer.objects.filter(
        pk=payload.volunteer_id, unit__in=selectors.units_visible_to(request.user).values("pk")
    ).select_related("unit", "user").first()
    if volunteer is None:
        raise NotFound()
    shift = None
    if payload.shift_id is not None:
        shift = volunteer.shifts.filter(pk=payload.shift_id).first()
        if shift is None:
            raise ValidationFailed(_("That is not the volunteer's shift."), code="invalid",
                                   field="shift_id")
    onboarding = services.sign_onboarding(by=request.user, volunteer=volunteer,
                                          items=payload.items, shift=shift)
    return Status(201, onboarding)


@router.get("/evaluation", response=EvaluationOut,
            summary="First-year evaluation figures (coordinators and leading roles)")
def get_evaluation(request, start: dt.date = Query(..., alias="from"),  # noqa: B008
                   end: dt.date = Query(..., alias="to")):  # noqa: B008
    _date(start, "from")
    _date(end, "to")
    if end < start:
        raise ValidationFailed(_("The period cannot end before it starts."),
                               code="period_order", field="to")
    org_ids = selectors.evaluation_org_ids(request.user)
    if org_ids is not None and not org_ids:
        raise NotFound()
    result = evaluation.evaluate(start=start, end=end,
                                 organisation_ids=None if org_ids is None else sorted(org_ids))
    return {**result.__dict__, "coverage_pct": result.coverage_pct,
            "without_relative_pct": result.without_relative_pct,
            "months": [m.__dict__ for m in result.months]}
