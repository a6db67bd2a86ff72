"""Reads with the access rules built in.

* **Hospital side** — a user with the ``referrer`` programme role in a hospital
  department (or above it) sees the cases referred by that department: the referral, the
  phase timeline, calls, letters and readmissions; the plans, hours and meetings only while
  the patient's consent to sharing with the hospital is active (:func:`sees_plans`).
* **Municipal side** — the municipality's programme staff (acute offer, SKP, authority
  caseworker, team leader) see the cases of citizens of their municipality, and work on them.
* Nobody else; a superuser sees everything. Views and endpoints audit what they show.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from beredt.core.errors import NotFound
from beredt.organisations import selectors as org_selectors
from beredt.organisations.models import Organisation

from . import conf
from .models import (
    MUNICIPAL_ROLES,
    OPEN_PHASES,
    Case,
    CaseConsent,
    ConsentPurpose,
    Phase,
    PlanKind,
    PlanVersion,
    ProgrammeMembership,
    ProgrammeRole,
    Readmission,
)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _org_ids(user, roles) -> set[int]:
    if not _active(user):
        return set()
    direct = set(ProgrammeMembership.objects.filter(user=user, role__in=list(roles))
                 .values_list("organisation_id", flat=True))
    return org_selectors.descendant_ids(direct) if direct else set()


def takes_part(user) -> bool:
    return _active(user) and (user.is_superuser
                              or ProgrammeMembership.objects.filter(user=user).exists())


def referrer_org_ids(user) -> set[int]:
    return _org_ids(user, [ProgrammeRole.REFERRER])


def referring_organisations(user) -> QuerySet[Organisation]:
    """Departments the user may refer from (hospital kinds only, unless settings add GPs)."""
    kinds = list(conf.get("PROGRAMME_REFERRING_KINDS"))
    qs = Organisation.objects.filter(kind__in=kinds, is_active=True)
    if _active(user) and user.is_superuser:
        return qs
    return qs.filter(pk__in=referrer_org_ids(user))


def municipality_codes(user, roles=MUNICIPAL_ROLES) -> set[int]:
    ids = _org_ids(user, roles)
    if not ids:
        return set()
    return set(Organisation.objects.filter(pk__in=ids, municipality__isnull=False)
               .values_list("municipality_id", flat=True))


def is_leader(user) -> bool:
    return _active(user) and (user.is_superuser
                              or bool(municipality_codes(user, [ProgrammeRole.LEADER])))


def cases_visible_to(user) -> QuerySet[Case]:
    qs = Case.objects.select_related("municipality", "referring_organisation", "skp")
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    codes, orgs = municipality_codes(user), referrer_org_ids(user)
    if not (codes or orgs):
        return qs.none()
    return qs.filter(Q(municipality_id__in=codes) | Q(referring_organisation_id__in=orgs))


def side_of(user, case: Case) -> str | None:
    """``"municipality"`` (works on the case), ``"hospital"`` (referred it) or None."""
    if not _active(user):
        return None
    if user.is_superuser or case.municipality_id in municipality_codes(user):
        return "municipality"
    if case.referring_organisation_id in referrer_org_ids(user):
        return "hospital"
    return None


def case_for(user, case_id) -> tuple[Case, str]:
    case = cases_visible_to(user).filter(pk=case_id).first()
    side = side_of(user, case) if case is not None else None
    if side is None:
        raise NotFound()
    return case, side


def active_consent(case: Case, purpose: str) -> CaseConsent | None:
    return case.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()


def sees_plans(case: Case, side: str) -> bool:
    return side == "municipality" or active_consent(
        case, ConsentPurpose.SHARE_HOSPITAL) is not None


def latest_plan(case: Case, kind: str) -> PlanVersion | None:
    return case.plans.filter(kind=kind).order_by("-version").first()


def plan_versions(case: Case, kind: str) -> QuerySet[PlanVersion]:
    return case.plans.filter(kind=kind).order_by("-version")


def staff_of(case: Case, role: str):
    """Users holding ``role`` in an organisation of the case's municipality."""
    from beredt.accounts.models import User

    org_ids = Organisation.objects.filter(municipality_id=case.municipality_id).values("pk")
    return User.objects.filter(
        is_active=True, programme_memberships__role=role,
        programme_memberships__organisation_id__in=org_ids).distinct().order_by("first_name")


def case_list(user, *, phase: str = "", municipality: int | None = None,
              mine: bool = False) -> QuerySet[Case]:
    qs = cases_visible_to(user)
    if phase == "open":
        qs = qs.filter(phase__in=OPEN_PHASES)
    elif phase:
        qs = qs.filter(phase=phase)
    if municipality:
        qs = qs.filter(municipality_id=municipality)
    if mine:
        qs = qs.filter(Q(skp=user) | Q(caseworker=user))
    return qs.order_by("-referred_at")


def phase_counts(qs: QuerySet[Case]) -> dict[str, int]:
    counts = dict.fromkeys(Phase.values, 0)
    for row in qs.order_by().values("phase").annotate(n=Count("id")):
        counts[row["phase"]] = row["n"]
    return counts


def has_relapse_plan(case: Case) -> bool:
    return case.plans.filter(kind=PlanKind.RELAPSE).exists()


# --- the leader's overview (counts only, no personal data) -------------------------------

def overview_cases(user) -> QuerySet[Case]:
    if _active(user) and user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(municipality_id__in=municipality_codes(user,
                                                                      [ProgrammeRole.LEADER]))


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def overview(user, *, months: int = 12, today: dt.date | None = None) -> dict:
    """Per month (of referral): cases referred, opened (offered), closed, hours used;
    readmissions within 6 and 12 months of the close; cases per phase now."""
    today = today or timezone.localdate()
    first = _add_months(today.replace(day=1), -(months - 1))
    qs = overview_cases(user).order_by()
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    per_month: dict = defaultdict(lambda: {"referred": 0, "not_offered": 0, "closed": 0,
                                           "minutes": 0})
    for row in (qs.filter(referred_at__gte=since)
                .annotate(month=TruncMonth("referred_at")).values("month")
                .annotate(referred=Count("id"),
                          not_offered=Count("id", filter=Q(phase=Phase.NOT_OFFERED)),
                          minutes=Sum("programme_minutes") + Sum("followup_minutes"))):
        key = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        per_month[key].update(referred=row["referred"], not_offered=row["not_offered"],
                              minutes=row["minutes"] or 0)
    for row in (qs.filter(closed_at__gte=since)
                .annotate(month=TruncMonth("closed_at")).values("month")
                .annotate(n=Count("id"))):
        key = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        per_month[key]["closed"] = row["n"]
    rows = []
    for i in range(months):
        month = _add_months(first, i)
        rows.append({"month": month, **per_month[month],
                     "hours": round(per_month[month]["minutes"] / 60, 1)})
    return {"months": rows, "phases": phase_counts(qs), "readmissions": readmission_rates(qs,
                                                                                       today),
            "hours_total": round(sum(r["minutes"] for r in rows) / 60, 1)}


def readmission_rates(qs: QuerySet[Case], today: dt.date) -> list[dict]:
    """For 6 and 12 months: of the cases closed at least that long ago (outcome not
    "declined"), how many had an acute readmission within that time of the close."""
    closed_qs = qs.filter(phase=Phase.CLOSED).exclude(outcome="declined")
    closed = list(closed_qs.values_list("pk", "closed_at"))
    by_case = defaultdict(list)
    # A subquery, not a list of every closed case's id in the statement.
    for case_id, day in Readmission.objects.filter(
            case__in=closed_qs.values("pk")).values_list("case_id", "admitted_on"):
        by_case[case_id].append(day)
    out = []
    for months in (6, 12):
        eligible = readmitted = 0
        for pk, closed_at in closed:
            closed_on = timezone.localdate(closed_at)
            limit = _add_months(closed_on, months)
            if limit > today:
                continue
            eligible += 1
            if any(closed_on <= d <= limit for d in by_case.get(pk, ())):
                readmitted += 1
        out.append({"months": months, "cases": eligible, "readmitted": readmitted,
                    "share": round(100 * readmitted / eligible) if eligible else None})
    return out


def readmitted_within(case: Case, months: int, today: dt.date | None = None) -> bool | None:
    """None while the period has not passed (or the case is not closed)."""
    if case.closed_at is None:
        return None
    closed_on = timezone.localdate(case.closed_at)
    limit = _add_months(closed_on, months)
    found = case.readmissions.filter(admitted_on__gte=closed_on, admitted_on__lte=limit).exists()
    if found:
        return True
    return None if limit > (today or timezone.localdate()) else False
