"""Writes: committees, initiatives, allocations and explanations, recommendations with
their yearly amounts, milestones, quarterly statuses and generated committee reports.

Keyword-only arguments, one transaction each; access and rules are checked here and broken
ones raise :mod:`beredt.core.errors` domain errors with a stable ``code``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from beredt.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from beredt.organisations.models import Organisation

from . import report, selectors
from .figures import available_figures
from .models import (
    AccessRole,
    Allocation,
    Committee,
    CommitteeReport,
    Initiative,
    InitiativeAccess,
    InitiativeNote,
    Light,
    Milestone,
    Recommendation,
    RecommendationAmount,
    ReportFormat,
    StatusReport,
)
from .periods import MAX_YEAR, MIN_YEAR, Quarter, parse_amount

INITIATIVE_FIELDS = ("budget_year", "position", "title", "purpose", "description",
                     "approved_on", "approved_by")


class ReportNotReady(Conflict):
    """A report was asked for while statuses are missing or a difference is unexplained;
    ``missing`` and ``unexplained`` say which."""

    default_code = "report_not_ready"

    def __init__(self, message, *, code, missing=(), unexplained=()):
        super().__init__(message, code=code)
        self.missing = list(missing)
        self.unexplained = list(unexplained)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "missing": self.missing, "unexplained": self.unexplained}


def _require_edit(by, initiative: Initiative) -> None:
    if not selectors.can_edit(by, initiative):
        raise Forbidden(_("Only the initiative's controller or project lead may change it."))


def _year(value, *, field: str = "year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(_("Give a year between 2000 and 2100."), code="bad_year",
                               field=field)
    return year


def _text(value, *, field: str, required: bool = True, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(_("This field is required."), code="required", field=field)
    if max_length and len(text) > max_length:
        raise ValidationFailed(_("The text is too long."), code="too_long", field=field)
    return text


# --- Access and committees ---------------------------------------------------------------

@transaction.atomic
def grant(*, by, user, role: str, organisation: Organisation | None = None,
          committee: Committee | None = None) -> InitiativeAccess:
    """Give ``user`` a role. Controllers grant roles in their organisations and for the
    committees of those organisations."""
    if role not in AccessRole.values:
        raise ValidationFailed(_("Unknown role."), code="bad_role", field="role")
    scope_org = committee.organisation_id if committee else getattr(organisation, "pk", None)
    if scope_org is None or not selectors.can_create_in(by, scope_org):
        raise Forbidden(_("You may only grant roles in your own organisations."))
    access, _created = InitiativeAccess.objects.get_or_create(
        user=user, role=role,
        organisation=None if role in {AccessRole.SECRETARY, AccessRole.MEMBER} else organisation,
        committee=committee if role in {AccessRole.SECRETARY, AccessRole.MEMBER} else None,
    )
    return access


@transaction.atomic
def create_committee(*, by, organisation: Organisation, name: str) -> Committee:
    if not selectors.can_create_in(by, organisation.pk):
        raise Forbidden(_("You may only add committees to your own organisations."))
    committee, _created = Committee.objects.get_or_create(
        organisation=organisation, name=_text(name, field="name", max_length=200))
    return committee


# --- Initiatives and allocations ---------------------------------------------------------

def _clean_initiative(values: dict) -> dict:
    data = {k: values[k] for k in INITIATIVE_FIELDS if k in values}
    if "budget_year" in data:
        data["budget_year"] = _year(data["budget_year"], field="budget_year")
    for name, required, limit in (("title", True, 200), ("purpose", True, None),
                                  ("description", False, None), ("approved_by", False, 200)):
        if name in data:
            data[name] = _text(data[name], field=name, required=required, max_length=limit)
    if "position" in data:
        data["position"] = max(1, min(int(data["position"] or 1), 999))
    return data


@transaction.atomic
def save_initiative(*, by, initiative: Initiative | None = None, id: uuid.UUID | None = None,
                    organisation: Organisation | None = None,
                    committee: Committee | None = None, allocations=(),
                    **values) -> tuple[Initiative, bool]:
    """Create (idempotent on ``id``) or update an initiative, with ``allocations``
    (``{year, amount[, explanation]}`` items). Returns (initiative, created)."""
    if initiative is None and id is not None:
        initiative = Initiative.objects.filter(pk=id).first()
        if initiative is not None and not selectors.can_edit(by, initiative):
            raise Conflict(_("This id is already used."), code="id_taken", field="id")
    created = initiative is None
    if created:
        if organisation is None or committee is None:
            raise ValidationFailed(_("Give the owning organisation and the committee."),
                                   code="required", field="organisation_id"
                                   if organisation is None else "committee_id")
        if not selectors.can_create_in(by, organisation.pk):
            raise Forbidden(_("You may only add initiatives to your own organisations."))
        for name in ("budget_year", "title", "purpose"):
            if name not in values:
                raise ValidationFailed(_("This field is required."), code="required",
                                       field=name)
        initiative = Initiative(pk=id or uuid.uuid4(), created_by=by)
    else:
        _require_edit(by, initiative)
        if organisation is not None and not selectors.can_create_in(by, organisation.pk):
            raise Forbidden(_("You may only add initiatives to your own organisations."))
    for name, value in _clean_initiative(values).items():
        setattr(initiative, name, value)
    if organisation is not None:
        initiative.organisation = organisation
    if committee is not None:
        initiative.committee = committee
    initiative.save(force_insert=created)
    for item in allocations or ():
        item = item if isinstance(item, dict) else item.dict()
        set_allocation(by=by, initiative=initiative, year=item["year"], amount=item["amount"],
                       explanation=item.get("explanation"))
    return initiative, created


@transaction.atomic
def set_allocation(*, by, initiative: Initiative, year, amount,
                   explanation: str | None = None) -> Allocation:
    _require_edit(by, initiative)
    year = _year(year)
    allocation, _created = Allocation.objects.get_or_create(
        initiative=initiative, year=year, defaults={"amount": parse_amount(amount)})
    allocation.amount = parse_amount(amount)
    if explanation is not None:
        allocation.explanation = explanation.strip()
    allocation.save()
    return allocation


@transaction.atomic
def explain_difference(*, by, initiative: Initiative, year, explanation: str) -> Allocation:
    """Why the recommendations' amounts for ``year`` differ from the allocation (a year
    with amounts but no allocation gets an allocation of 0 kr. carrying the reason)."""
    _require_edit(by, initiative)
    year = _year(year)
    allocation, _created = Allocation.objects.get_or_create(
        initiative=initiative, year=year, defaults={"amount": 0})
    allocation.explanation = _text(explanation, field="explanation", required=False)
    allocation.save(update_fields=["explanation"])
    return allocation


# --- Recommendations and milestones ------------------------------------------------------

def _clean_quarter(value, field) -> str:
    return str(Quarter.parse(value, field=field)) if value else ""


@transaction.atomic
def save_recommendation(*, by, initiative: Initiative | None = None,
                        recommendation: Recommendation | None = None,
                        id: uuid.UUID | None = None, amounts: dict | None = None,
                        **values) -> tuple[Recommendation, bool]:
    """Create (idempotent on ``id``) or update a recommendation; ``amounts`` is
    ``{year: kroner}`` and replaces the yearly amounts given."""
    if recommendation is None and id is not None:
        recommendation = Recommendation.objects.filter(pk=id).first()
    created = recommendation is None
    if created:
        if initiative is None:
            raise NotFound()
        recommendation = Recommendation(pk=id or uuid.uuid4(), initiative=initiative)
        if "title" not in values:
            raise ValidationFailed(_("This field is required."), code="required", field="title")
    _require_edit(by, recommendation.initiative)
    if initiative is not None and recommendation.initiative_id != initiative.pk:
        raise Conflict(_("This id is already used."), code="id_taken", field="id")
    if "number" in values:
        number = values["number"]
        if number is not None and not 1 <= int(number) <= 9999:
            raise ValidationFailed(_("The number must be between 1 and 9999."),
                                   code="bad_number", field="number")
        clash = Recommendation.objects.filter(initiative=recommendation.initiative,
                                              number=number).exclude(pk=recommendation.pk)
        if number is not None and clash.exists():
            raise Conflict(_("The initiative already has a recommendation with this number."),
                           code="duplicate_number", field="number")
        recommendation.number = number
    if "title" in values:
        recommendation.title = _text(values["title"], field="title", max_length=300)
    if "position" in values:
        recommendation.position = max(0, min(int(values["position"] or 0), 999))
    if "responsible" in values:
        recommendation.responsible = values["responsible"]
    if "responsible_name" in values:
        recommendation.responsible_name = _text(values["responsible_name"], required=False,
                                                field="responsible_name", max_length=200)
    if "figure_key" in values:
        key = (values["figure_key"] or "").strip()
        if key and key not in available_figures():
            raise ValidationFailed(_("No app offers this figure."), code="unknown_figure",
                                   field="figure_key")
        recommendation.figure_key = key
    for name in ("first_quarter", "last_quarter"):
        if name in values:
            setattr(recommendation, name, _clean_quarter(values[name], name))
    if (recommendation.first_quarter and recommendation.last_quarter
            and recommendation.last_quarter < recommendation.first_quarter):
        raise ValidationFailed(_("The last quarter comes before the first."),
                               code="bad_period", field="last_quarter")
    recommendation.save(force_insert=created)
    for year, amount in (amounts or {}).items():
        field = f"amounts.{year}"
        RecommendationAmount.objects.update_or_create(
            recommendation=recommendation, year=_year(year, field=field),
            defaults={"amount": parse_amount(amount, field=field)})
    return recommendation, created


@transaction.atomic
def add_milestone(*, by, recommendation: Recommendation, title: str,
                  planned_quarter) -> Milestone:
    _require_edit(by, recommendation.initiative)
    return Milestone.objects.create(
        recommendation=recommendation, title=_text(title, field="title", max_length=300),
        planned_quarter=str(Quarter.parse(planned_quarter, field="planned_quarter")))


@transaction.atomic
def set_milestone_done(*, by, milestone: Milestone, done_on: dt.date | None) -> Milestone:
    _require_edit(by, milestone.recommendation.initiative)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


# --- Statuses ----------------------------------------------------------------------------

@transaction.atomic
def report_status(*, by, recommendation: Recommendation, quarter, light: str, text: str,
                  next_steps: str = "") -> tuple[StatusReport, bool]:
    """The status after ``quarter``. A second report for the same quarter updates the
    first; its history keeps what was there. Returns (status, created)."""
    _require_edit(by, recommendation.initiative)
    quarter = Quarter.parse(quarter)
    if not selectors.expects_status(recommendation, quarter):
        raise ValidationFailed(_("The recommendation does not run in this quarter."),
                               code="quarter_outside_period", field="quarter")
    if light not in Light.values:
        raise ValidationFailed(_("Choose green, yellow or red."), code="bad_light",
                               field="light")
    values = {"light": light, "text": _text(text, field="text"),
              "next_steps": _text(next_steps, field="next_steps", required=False),
              "updated_by": by}
    status = (StatusReport.objects.select_for_update()
              .filter(recommendation=recommendation, quarter=str(quarter)).first())
    created = status is None
    if created:
        status = StatusReport(recommendation=recommendation, quarter=str(quarter))
    for name, value in values.items():
        setattr(status, name, value)
    status._history_user = by  # simple-history: who wrote this version
    status.save()
    return status, created


@transaction.atomic
def save_note(*, by, initiative: Initiative, quarter, text: str) -> InitiativeNote | None:
    """The initiative's introduction to its status after ``quarter`` (blank: removed)."""
    _require_edit(by, initiative)
    quarter = str(Quarter.parse(quarter))
    text = (text or "").strip()
    if not text:
        InitiativeNote.objects.filter(initiative=initiative, quarter=quarter).delete()
        return None
    note, _created = InitiativeNote.objects.update_or_create(
        initiative=initiative, quarter=quarter, defaults={"text": text})
    return note


# --- Committee reports -------------------------------------------------------------------

def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_ready(*, committee: Committee, quarter: Quarter) -> list:
    """The initiatives of the report, or :class:`ReportNotReady` naming what is missing."""
    initiatives = selectors.initiatives_for_report(committee, quarter)
    if not initiatives:
        raise ReportNotReady(_("The committee has no initiatives running in %(quarter)s.")
                             % {"quarter": quarter.label}, code="nothing_to_report")
    missing = selectors.missing_statuses(initiatives, quarter)
    if missing:
        names = "; ".join(f"{r.initiative.title}: {r.heading}" for r in missing)
        raise ReportNotReady(
            _("Status is missing for %(quarter)s: %(names)s.")
            % {"quarter": quarter.label, "names": names}, code="missing_statuses",
            missing=[{"recommendation_id": str(r.pk), "initiative": r.initiative.title,
                      "heading": r.heading} for r in missing])
    gaps = [(i, c) for i in initiatives for c in selectors.unexplained(i)]
    if gaps:
        names = "; ".join(f"{i.title} {c.year}" for i, c in gaps)
        raise ReportNotReady(
            _("The recommendations do not add up to the allocation and the difference is not "
              "explained: %(names)s.") % {"names": names}, code="unexplained_difference",
            unexplained=[{"initiative_id": str(i.pk), "initiative": i.title, "year": c.year,
                          "difference": str(c.difference)} for i, c in gaps])
    return initiatives


@transaction.atomic
def generate_report(*, by, committee: Committee, quarter, format: str) -> CommitteeReport:
    """Write the committee paper for ``quarter`` and keep it as the next version."""
    quarter = Quarter.parse(quarter)
    if format not in ReportFormat.values:
        raise ValidationFailed(_("Choose PDF or DOCX."), code="bad_format", field="format")
    if not selectors.can_generate(by, committee):
        raise Forbidden(_("Only the committee's secretary may generate its reports."))
    Committee.objects.select_for_update().filter(pk=committee.pk).first()  # one version at a time
    initiatives = check_ready(committee=committee, quarter=quarter)
    content = report.build_content(committee=committee, quarter=quarter,
                                   initiatives=initiatives)
    file = report.render(content, format=format)
    last = (CommitteeReport.objects.filter(committee=committee, quarter=str(quarter))
            .aggregate(m=Max("version"))["m"]) or 0
    return CommitteeReport.objects.create(
        committee=committee, quarter=str(quarter), version=last + 1, format=format,
        content=content, content_hash=content_hash(content), file=file, generated_by=by)
