"""Reads with access scoping: who sees which initiatives, what a quarter's report needs.

Controllers and project leads of an organisation see and edit the initiatives it owns (and
those of the organisations below it); a committee's secretary and members see the
committee's initiatives; only the secretary generates its reports. Superusers see all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum

from beredt.organisations.selectors import ancestor_ids, descendant_ids

from .models import (
    COMMITTEE_ROLES,
    EDITING_ROLES,
    AccessRole,
    Allocation,
    Committee,
    CommitteeReport,
    Initiative,
    InitiativeAccess,
    Recommendation,
    RecommendationAmount,
    StatusReport,
)
from .periods import Quarter


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _all(user) -> bool:
    return _active(user) and user.is_superuser


def _roles(user) -> list[tuple[str, int | None, int | None]]:
    if not _active(user):
        return []
    cache = getattr(user, "_initiative_roles", None)
    if cache is None:
        cache = list(InitiativeAccess.objects.filter(user=user)
                     .values_list("role", "organisation_id", "committee_id"))
        user._initiative_roles = cache
    return cache


def editor_org_ids(user) -> set[int]:
    return descendant_ids({org for role, org, _c in _roles(user) if role in EDITING_ROLES})


def committee_ids(user, roles=COMMITTEE_ROLES) -> set[int]:
    return {c for role, _o, c in _roles(user) if role in roles}


def can_see_any(user) -> bool:
    return _all(user) or bool(_roles(user))


def initiatives_visible_to(user) -> QuerySet[Initiative]:
    qs = Initiative.objects.select_related("organisation", "committee")
    if _all(user):
        return qs
    if not _active(user):
        return qs.none()
    return qs.filter(Q(organisation_id__in=editor_org_ids(user))
                     | Q(committee_id__in=committee_ids(user)))


def can_edit(user, initiative: Initiative) -> bool:
    return _all(user) or initiative.organisation_id in editor_org_ids(user)


def can_create_in(user, organisation_id: int) -> bool:
    return _all(user) or organisation_id in editor_org_ids(user)


def committees_visible_to(user) -> QuerySet[Committee]:
    qs = Committee.objects.select_related("organisation")
    if _all(user):
        return qs
    if not _active(user):
        return qs.none()
    orgs = editor_org_ids(user)
    # An editor reports to the committees of their organisations and of those above them.
    above = {a for role, org, _c in _roles(user) if role in EDITING_ROLES
             for a in ancestor_ids(org)}
    return qs.filter(Q(id__in=committee_ids(user)) | Q(organisation_id__in=orgs | above)
                     | Q(initiatives__organisation_id__in=orgs)).distinct()


def can_generate(user, committee: Committee) -> bool:
    return _all(user) or committee.pk in committee_ids(user, {AccessRole.SECRETARY})


def recommendations_visible_to(user) -> QuerySet[Recommendation]:
    return (Recommendation.objects.filter(initiative__in=initiatives_visible_to(user))
            .select_related("initiative__organisation", "responsible")
            .prefetch_related("amounts", "milestones"))


def statuses_visible_to(user, *, quarter: Quarter | None = None) -> QuerySet[StatusReport]:
    qs = (StatusReport.objects
          .filter(recommendation__initiative__in=initiatives_visible_to(user))
          .select_related("recommendation__initiative", "updated_by"))
    return qs.filter(quarter=str(quarter)) if quarter else qs


def reports_visible_to(user) -> QuerySet[CommitteeReport]:
    return (CommitteeReport.objects.filter(committee__in=committees_visible_to(user))
            .select_related("committee", "generated_by").defer("file"))


# --- Periods -----------------------------------------------------------------------------

def first_quarter(recommendation: Recommendation) -> Quarter:
    if recommendation.first_quarter:
        return Quarter.parse(recommendation.first_quarter)
    return Quarter(recommendation.initiative.budget_year, 1)


def expects_status(recommendation: Recommendation, quarter: Quarter) -> bool:
    if quarter < first_quarter(recommendation):
        return False
    return not (recommendation.last_quarter
                and quarter > Quarter.parse(recommendation.last_quarter))


def initiatives_for_report(committee: Committee, quarter: Quarter) -> list[Initiative]:
    """The committee's initiatives of the quarter's year and earlier that have at least one
    recommendation running in the quarter, with their recommendations prefetched."""
    qs = (Initiative.objects.filter(committee=committee, budget_year__lte=quarter.year)
          .select_related("organisation", "committee")
          .prefetch_related(
              "allocations",
              Prefetch("recommendations",
                       queryset=Recommendation.objects.select_related("responsible")
                       .prefetch_related("amounts", "milestones")),
          ).order_by("budget_year", "position", "title"))
    found = []
    for initiative in qs:
        running = [r for r in initiative.recommendations.all() if expects_status(r, quarter)]
        if running:
            initiative.running = running
            found.append(initiative)
    return found


def missing_statuses(initiatives: list[Initiative], quarter: Quarter) -> list[Recommendation]:
    running = [r for i in initiatives for r in i.running]
    have = set(StatusReport.objects.filter(recommendation__in=running, quarter=str(quarter))
               .values_list("recommendation_id", flat=True))
    return [r for r in running if r.pk not in have]


# --- The allocation check ----------------------------------------------------------------

@dataclass(frozen=True)
class YearCheck:
    year: int
    allocated: Decimal
    recommended: Decimal
    explanation: str

    @property
    def difference(self) -> Decimal:
        """Recommended minus allocated: positive when more is planned than set aside."""
        return self.recommended - self.allocated

    @property
    def state(self) -> str:
        if self.difference == 0:
            return "balanced"
        return "explained" if self.explanation.strip() else "unexplained"


def allocation_check(initiative: Initiative) -> list[YearCheck]:
    """Per year: the allocation against the sum of the recommendations' amounts."""
    allocations = {a.year: a for a in Allocation.objects.filter(initiative=initiative)}
    sums = dict(RecommendationAmount.objects.filter(recommendation__initiative=initiative)
                .values("year").annotate(total=Sum("amount")).values_list("year", "total"))
    zero = Decimal("0.00")
    return [
        YearCheck(
            year=year,
            allocated=allocations[year].amount if year in allocations else zero,
            recommended=sums.get(year) or zero,
            explanation=allocations[year].explanation if year in allocations else "",
        )
        for year in sorted(set(allocations) | set(sums))
    ]


def unexplained(initiative: Initiative) -> list[YearCheck]:
    return [c for c in allocation_check(initiative) if c.state == "unexplained"]
