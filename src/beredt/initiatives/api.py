"""Budget initiatives API (mounted at /api/v1/initiatives)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from beredt.accounts.models import User
from beredt.core.errors import NotFound, ValidationFailed
from beredt.organisations.models import Organisation

from . import selectors, services
from .figures import available_figures, figure_for
from .models import Milestone, ReportFormat
from .periods import Quarter
from .schemas import (
    AllocationChangeIn,
    AvailableFigureOut,
    CommitteeIn,
    CommitteeOut,
    ExplanationIn,
    InitiativeChangeIn,
    InitiativeIn,
    InitiativeOut,
    MilestoneChangeIn,
    MilestoneIn,
    MilestoneOut,
    ReadinessOut,
    RecommendationChangeIn,
    RecommendationIn,
    RecommendationOut,
    ReportOut,
    StatusIn,
    StatusOut,
    StatusVersionOut,
    YearCheckOut,
)

router = Router(tags=["initiatives"])
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _initiative(request, initiative_id):
    found = selectors.initiatives_visible_to(request.user).filter(pk=initiative_id).first()
    if found is None:
        raise NotFound(_("No such initiative."), code="unknown_initiative")
    return found


def _recommendation(request, recommendation_id):
    found = selectors.recommendations_visible_to(request.user).filter(pk=recommendation_id).first()
    if found is None:
        raise NotFound(_("No such recommendation."), code="unknown_recommendation")
    return found


def _committee(request, committee_id):
    found = selectors.committees_visible_to(request.user).filter(pk=committee_id).first()
    if found is None:
        raise NotFound(_("No such committee."), code="unknown_committee", field="committee")
    return found


def _organisation(organisation_id):
    found = Organisation.objects.filter(pk=organisation_id).first()
    if found is None:
        raise NotFound(_("No such organisation."), code="unknown_organisation",
                       field="organisation_id")
    return found


def _out(initiative):
    check = selectors.allocation_check(initiative)
    initiative.check = check
    initiative.ready = all(c.state != "unexplained" for c in check)
    return initiative


def _with_figure(status):
    status.figure = figure_for(status.recommendation, Quarter.parse(status.quarter))
    return status


# --- Committees --------------------------------------------------------------------------

@router.get("/committees", response=list[CommitteeOut], summary="Committees you can see")
def list_committees(request):
    return list(selectors.committees_visible_to(request.user))


@router.post("/committees", response={200: CommitteeOut, 201: CommitteeOut},
             summary="Add a committee to an organisation (controllers)")
def create_committee(request, payload: CommitteeIn):
    committee = services.create_committee(
        by=request.user, organisation=_organisation(payload.organisation_id), name=payload.name)
    return Status(201, committee)


# --- Initiatives -------------------------------------------------------------------------

class InitiativeFilter(Schema):
    budget_year: int | None = None
    committee: int | None = None


@router.get("/initiatives", response=list[InitiativeOut],
            summary="Initiatives you can see, with the allocation check")
def list_initiatives(request, filters: Query[InitiativeFilter]):
    qs = selectors.initiatives_visible_to(request.user)
    if filters.budget_year is not None:
        qs = qs.filter(budget_year=filters.budget_year)
    if filters.committee is not None:
        qs = qs.filter(committee_id=filters.committee)
    return [_out(i) for i in qs[:500]]


@router.post("/initiatives", response={200: InitiativeOut, 201: InitiativeOut},
             summary="Create an initiative (idempotent on id)")
def create_initiative(request, payload: InitiativeIn):
    data = payload.dict(exclude={"id", "organisation_id", "committee_id", "allocations"})
    committee = _committee(request, payload.committee_id)
    initiative, created = services.save_initiative(
        by=request.user, id=payload.id, organisation=_organisation(payload.organisation_id),
        committee=committee, allocations=payload.allocations, **data)
    return Status(201 if created else 200, _out(initiative))


@router.get("/initiatives/{initiative_id}", response=InitiativeOut, summary="One initiative")
def get_initiative(request, initiative_id: uuid.UUID):
    return _out(_initiative(request, initiative_id))


@router.patch("/initiatives/{initiative_id}", response=InitiativeOut,
              summary="Change an initiative")
def change_initiative(request, initiative_id: uuid.UUID, payload: InitiativeChangeIn):
    initiative = _initiative(request, initiative_id)
    data = payload.dict(exclude_unset=True, exclude={"committee_id"})
    committee = (_committee(request, payload.committee_id)
                 if payload.committee_id is not None else None)
    initiative, _created = services.save_initiative(by=request.user, initiative=initiative,
                                                    committee=committee, **data)
    return _out(initiative)


@router.put("/initiatives/{initiative_id}/allocations/{year}", response=YearCheckOut,
            summary="Set the allocation of a year (kroner with øre)")
def set_allocation(request, initiative_id: uuid.UUID, year: int, payload: AllocationChangeIn):
    initiative = _initiative(request, initiative_id)
    services.set_allocation(by=request.user, initiative=initiative, year=year,
                            amount=payload.amount, explanation=payload.explanation)
    return next(c for c in selectors.allocation_check(initiative) if c.year == year)


@router.put("/initiatives/{initiative_id}/explanations/{year}", response=YearCheckOut,
            summary="Explain why a year's recommendations differ from the allocation")
def explain(request, initiative_id: uuid.UUID, year: int, payload: ExplanationIn):
    initiative = _initiative(request, initiative_id)
    services.explain_difference(by=request.user, initiative=initiative, year=year,
                                explanation=payload.explanation)
    return next(c for c in selectors.allocation_check(initiative) if c.year == year)


@router.get("/initiatives/{initiative_id}/check", response=list[YearCheckOut],
            summary="The allocation check: per year the allocation against the recommendations")
def check(request, initiative_id: uuid.UUID):
    return selectors.allocation_check(_initiative(request, initiative_id))


# --- Recommendations and milestones ------------------------------------------------------

class RecommendationFilter(Schema):
    initiative: uuid.UUID | None = None


@router.get("/recommendations", response=list[RecommendationOut],
            summary="Recommendations you can see")
def list_recommendations(request, filters: Query[RecommendationFilter]):
    qs = selectors.recommendations_visible_to(request.user)
    if filters.initiative is not None:
        qs = qs.filter(initiative_id=filters.initiative)
    return list(qs[:1000])


def _responsible(responsible_id):
    if responsible_id is None:
        return None
    found = User.objects.filter(pk=responsible_id, is_active=True).first()
    if found is None:
        raise NotFound(_("No such user."), code="unknown_user", field="responsible_id")
    return found


@router.post("/initiatives/{initiative_id}/recommendations",
             response={200: RecommendationOut, 201: RecommendationOut},
             summary="Add a recommendation with its yearly amounts (idempotent on id)")
def create_recommendation(request, initiative_id: uuid.UUID, payload: RecommendationIn):
    initiative = _initiative(request, initiative_id)
    data = payload.dict(exclude={"id", "responsible_id", "amounts"})
    recommendation, created = services.save_recommendation(
        by=request.user, initiative=initiative, id=payload.id, amounts=payload.amounts,
        responsible=_responsible(payload.responsible_id), **data)
    return Status(201 if created else 200,
                  selectors.recommendations_visible_to(request.user).get(pk=recommendation.pk))


@router.patch("/recommendations/{recommendation_id}", response=RecommendationOut,
              summary="Change a recommendation")
def change_recommendation(request, recommendation_id: uuid.UUID,
                          payload: RecommendationChangeIn):
    recommendation = _recommendation(request, recommendation_id)
    data = payload.dict(exclude_unset=True, exclude={"amounts"})
    services.save_recommendation(by=request.user, recommendation=recommendation,
                                 amounts=payload.amounts, **data)
    return _recommendation(request, recommendation_id)


@router.post("/recommendations/{recommendation_id}/milestones", response={201: MilestoneOut},
             summary="Add a milestone with its planned quarter")
def add_milestone(request, recommendation_id: uuid.UUID, payload: MilestoneIn):
    milestone = services.add_milestone(by=request.user,
                                       recommendation=_recommendation(request, recommendation_id),
                                       title=payload.title,
                                       planned_quarter=payload.planned_quarter)
    return Status(201, milestone)


@router.patch("/milestones/{milestone_id}", response=MilestoneOut,
              summary="Mark a milestone done (or not done)")
def change_milestone(request, milestone_id: int, payload: MilestoneChangeIn):
    milestone = (Milestone.objects.select_related("recommendation__initiative")
                 .filter(pk=milestone_id,
                         recommendation__initiative__in=selectors.initiatives_visible_to(
                             request.user)).first())
    if milestone is None:
        raise NotFound()
    return services.set_milestone_done(by=request.user, milestone=milestone,
                                       done_on=payload.done_on)


# --- Statuses ----------------------------------------------------------------------------

class StatusFilter(Schema):
    quarter: str | None = None
    initiative: uuid.UUID | None = None


@router.get("/statuses", response=list[StatusOut],
            summary="Status reports, e.g. ?quarter=2024Q2, with the period's figure")
def list_statuses(request, filters: Query[StatusFilter]):
    quarter = Quarter.parse(filters.quarter) if filters.quarter else None
    qs = selectors.statuses_visible_to(request.user, quarter=quarter)
    if filters.initiative is not None:
        qs = qs.filter(recommendation__initiative_id=filters.initiative)
    return [_with_figure(s) for s in qs[:1000]]


@router.put("/recommendations/{recommendation_id}/statuses/{quarter}",
            response={200: StatusOut, 201: StatusOut},
            summary="The status after a quarter (201 new; 200 an edit, kept in the history)")
def put_status(request, recommendation_id: uuid.UUID, quarter: str, payload: StatusIn):
    status, created = services.report_status(
        by=request.user, recommendation=_recommendation(request, recommendation_id),
        quarter=quarter, light=payload.light, text=payload.text, next_steps=payload.next_steps)
    return Status(201 if created else 200, _with_figure(status))


@router.get("/recommendations/{recommendation_id}/statuses/{quarter}/history",
            response=list[StatusVersionOut], summary="Every version of a quarter's status")
def status_history(request, recommendation_id: uuid.UUID, quarter: str):
    recommendation = _recommendation(request, recommendation_id)
    status = recommendation.statuses.filter(quarter=str(Quarter.parse(quarter))).first()
    if status is None:
        raise NotFound()
    return list(status.history.select_related("history_user").order_by("history_date"))


@router.get("/figures", response=list[AvailableFigureOut],
            summary="Operational figures the apps offer for linking to a recommendation")
def figures(request):
    return [{"key": key, "label": str(item.get("label") or key)}
            for key, item in sorted(available_figures().items())]


# --- Committee reports -------------------------------------------------------------------

class ReportQuery(Schema):
    committee: int
    quarter: str
    format: str = "pdf"


@router.get("/report/check", response=ReadinessOut,
            summary="Can the committee's report for the quarter be generated? What is missing")
def report_check(request, q: Query[ReportQuery]):
    committee = _committee(request, q.committee)
    quarter = Quarter.parse(q.quarter)
    answer = {"committee_id": committee.pk, "quarter": str(quarter), "ready": True,
              "code": None, "detail": None, "missing": [], "unexplained": []}
    try:
        services.check_ready(committee=committee, quarter=quarter)
    except services.ReportNotReady as exc:
        answer.update(ready=False, code=exc.code, detail=str(exc.message),
                      missing=exc.missing, unexplained=exc.unexplained)
    return answer


@router.get("/report", summary="Generate the committee paper (PDF or DOCX); every call is "
            "kept as a new version", response={200: None})
def report(request, q: Query[ReportQuery]):
    committee = _committee(request, q.committee)
    if q.format not in ReportFormat.values:
        raise ValidationFailed(_("Choose PDF or DOCX."), code="bad_format", field="format")
    generated = services.generate_report(by=request.user, committee=committee,
                                         quarter=q.quarter, format=q.format)
    return _file(generated)


def _file(generated) -> HttpResponse:
    response = HttpResponse(bytes(generated.file), content_type=CONTENT_TYPES[generated.format])
    response["Content-Disposition"] = f'attachment; filename="{generated.filename}"'
    response["X-Content-Hash"] = generated.content_hash
    return response


@router.get("/reports", response=list[ReportOut],
            summary="What was reported when: every generated version")
def list_reports(request, committee: int | None = None):
    qs = selectors.reports_visible_to(request.user)
    if committee is not None:
        qs = qs.filter(committee_id=committee)
    return list(qs[:500])


@router.get("/reports/{report_id}/file", summary="A generated version's file, as it was")
def report_file(request, report_id: int):
    generated = selectors.reports_visible_to(request.user).defer(None).filter(
        pk=report_id).first()
    if generated is None:
        raise NotFound()
    return _file(generated)
