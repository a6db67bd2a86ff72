"""Reads for preparedness and activation, with access scoping.

Plans and action cards are not personal data: every logged-in user may read them. Rosters,
training records, call-outs and who holds a plan's roles name staff: they are visible inside
the organisation tree (a role held in an organisation reaches every organisation below it).
Plans and action cards are managed by the preparedness leads of the organisation or above
it (HL, AL, the professional preparedness lead, an administrator) and by superusers.
"""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from beredt.accounts.models import User
from beredt.incidents import selectors as incident_selectors
from beredt.incidents.models import Incident
from beredt.organisations import selectors as org_selectors
from beredt.organisations.models import (
    LEADING_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)

from .models import (
    ANSWERED,
    REQUIRED_TRAINING,
    ActionCard,
    ActionCardTick,
    Alarm,
    Callout,
    CalloutStatus,
    DutyRole,
    Plan,
    PlanRole,
    PlanRoleHolder,
    Shift,
    TrainingRecord,
)

# Organisation roles that may create and change plans, their roles and action cards.
PLAN_MANAGER_ROLES = frozenset({Role.HL, Role.AL, Role.PREPAREDNESS_LEAD, Role.ADMINISTRATOR})

# The organisation role that stands in for a duty role when the roster has nobody on duty.
FALLBACK_ROLE = {
    DutyRole.KOP: Role.KOP,
    DutyRole.TEAM_LEAD: Role.KOP,
    DutyRole.AL: Role.AL,
    DutyRole.HL: Role.HL,
    DutyRole.PREPAREDNESS_LEAD: Role.PREPAREDNESS_LEAD,
    DutyRole.CRISIS_TEAM: Role.CRISIS_TEAM,
}


def plans_visible_to(user) -> QuerySet[Plan]:
    if not (user and user.is_authenticated and user.is_active):
        return Plan.objects.none()
    return Plan.objects.select_related("organisation").prefetch_related("activating_organisations")


def action_cards_visible_to(user) -> QuerySet[ActionCard]:
    """Every version of every card (not personal data)."""
    if not (user and user.is_authenticated and user.is_active):
        return ActionCard.objects.none()
    return ActionCard.objects.select_related("organisation", "created_by")


def can_manage_plans(user, organisation: Organisation | int) -> bool:
    """May ``user`` create and change the plans and action cards of ``organisation``?"""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return org_selectors.has_role(user, PLAN_MANAGER_ROLES, organisation)


def plan_organisations(user) -> QuerySet[Organisation]:
    """Active organisations whose plans and action cards ``user`` may manage."""
    orgs = Organisation.objects.filter(is_active=True).order_by("name")
    if not (user and user.is_authenticated and user.is_active):
        return orgs.none()
    if user.is_superuser:
        return orgs
    return orgs.filter(pk__in=org_selectors.organisation_ids_with_role(user, PLAN_MANAGER_ROLES))


def plan_roles(plan: Plan) -> QuerySet[PlanRole]:
    return plan.roles.select_related("organisation", "site").prefetch_related(
        Prefetch(
            "holdings",
            queryset=PlanRoleHolder.objects.select_related("user").order_by(
                "user__first_name", "user__last_name", "id"
            ),
        )
    )


def can_see_holders(user, plan: Plan) -> bool:
    """Who holds a role names staff: members of the plan's organisation tree (above or
    below the plan's organisation) see them."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    tree = org_selectors.descendant_ids([plan.organisation_id]) | set(
        org_selectors.ancestor_ids(plan.organisation_id)
    )
    return bool({org for org, _role in org_selectors.roles_of(user)} & tree)


def holder_candidates(role: PlanRole) -> QuerySet[User]:
    """Active members of the role's department (or the plan's organisation) and below,
    who do not hold the role yet."""
    root = role.organisation_id or role.plan.organisation_id
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=org_selectors.descendant_ids([root]),
        )
        .exclude(pk__in=role.holdings.values("user_id"))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def card_versions(card: ActionCard) -> QuerySet[ActionCard]:
    """Every version of the card, newest first (earlier versions stay readable)."""
    return (
        ActionCard.objects.filter(code=card.code)
        .select_related("organisation", "created_by")
        .order_by("-version")
    )


def current_cards(organisation: Organisation | None = None) -> QuerySet[ActionCard]:
    qs = ActionCard.objects.filter(is_current=True).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation_id__in=org_selectors.ancestor_ids(organisation.pk))
    return qs


def plan_for(organisation: Organisation) -> Plan | None:
    """The plan of the organisation, or of the nearest organisation above it."""
    for org_id in org_selectors.ancestor_ids(organisation.pk):
        plan = Plan.objects.filter(organisation_id=org_id).order_by("id").first()
        if plan is not None:
            return plan
    return None


def cards_for_incident(incident: Incident) -> QuerySet[ActionCard]:
    """Current cards of the lead organisation, of every alarmed department, and of the
    organisations above them. A card already ticked during the incident stays at the version
    that was ticked, even when a newer version has been published since."""
    org_ids: set[int] = set()
    for org_id in {
        incident.lead_organisation_id,
        *incident.alarms.values_list("organisation_id", flat=True),
    }:
        org_ids.update(org_selectors.ancestor_ids(org_id))
    ticked = ActionCard.objects.filter(ticks__incident=incident)
    return (
        ActionCard.objects.filter(
            Q(is_current=True, organisation_id__in=org_ids) | Q(pk__in=ticked.values("pk"))
        )
        .exclude(
            Q(is_current=True)
            & Q(code__in=ticked.filter(is_current=False).values("code"))
            & ~Q(pk__in=ticked.values("pk"))
        )
        .order_by("duty_role", "code", "-version")
    )


def roster_organisation_ids(user) -> set[int]:
    """Organisations whose rosters the user may see."""
    if user.is_superuser:
        return set(Organisation.objects.values_list("id", flat=True))
    return org_selectors.organisation_ids_with_role(user)


def shifts_visible_to(user) -> QuerySet[Shift]:
    if not (user and user.is_authenticated and user.is_active):
        return Shift.objects.none()
    return Shift.objects.filter(organisation_id__in=roster_organisation_ids(user)).select_related(
        "organisation", "site", "user", "swapped_from"
    )


def can_manage_roster(user, organisation: Organisation | int) -> bool:
    return org_selectors.has_role(user, LEADING_ROLES, organisation)


def on_duty(
    organisation: Organisation, duty_role: str, at: dt.datetime | None = None
) -> list[User]:
    """Who holds ``duty_role`` for ``organisation`` at ``at`` according to the roster. A
    person with overlapping shifts (a roster imported twice, a shift extended by a second
    one) appears once, so nobody is alarmed twice."""
    at = at or timezone.now()
    shifts = Shift.objects.filter(
        organisation=organisation,
        duty_role=duty_role,
        starts_at__lte=at,
        ends_at__gt=at,
        user__is_active=True,
    )
    people = [s.user for s in shifts.select_related("user").order_by("starts_at", "id")]
    first: dict[int, User] = {}
    for user in people:
        first.setdefault(user.pk, user)
    return list(first.values())


def who_to_alert(
    organisation: Organisation, duty_role: str, at: dt.datetime | None = None
) -> list[User]:
    """The roster first; without a shift, the holders of the matching organisation role
    (AL and HL are looked for in the organisation and above it, nearest first). A deputy only
    comes from the roster."""
    people = on_duty(organisation, duty_role, at)
    if people or duty_role not in FALLBACK_ROLE:
        return people
    org_ids = (
        org_selectors.ancestor_ids(organisation.pk)
        if duty_role in (DutyRole.AL, DutyRole.HL)
        else [organisation.pk]
    )
    for org_id in org_ids:
        found = list(
            User.objects.filter(
                is_active=True,
                memberships__organisation_id=org_id,
                memberships__role=FALLBACK_ROLE[duty_role],
            )
            .distinct()
            .order_by("id")
        )
        if found:
            return found
    return []


def alarm_reach(organisation: Organisation, *, everyone: bool = False) -> dict:
    """Who an alarm of ``organisation`` reaches first, for the confirmation before it is
    raised: the first step of its escalation chain with anybody on duty (or, for a call-in,
    every active member). ``{"people": [...], "role": label or ""}``."""
    if everyone:
        people = list(
            User.objects.filter(is_active=True, memberships__organisation=organisation)
            .distinct()
            .order_by("first_name", "last_name", "id")
        )
        return {"people": people, "role": ""}
    plan = plan_for(organisation)
    for role in plan.escalation if plan else ["kop", "deputy_kop", "al", "hl"]:
        people = who_to_alert(organisation, role)
        if people:
            return {"people": people, "role": DutyRole(role).label if role in DutyRole else role}
    return {"people": [], "role": ""}


def valid_training(user, kind: str, on: dt.date | None = None) -> TrainingRecord | None:
    on = on or timezone.localdate()
    return (
        TrainingRecord.objects.filter(user=user, kind=kind, completed_on__lte=on)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .order_by("-completed_on")
        .first()
    )


def training_warnings(shifts) -> dict[int, str]:
    """``{shift.pk: training kind label}`` for shifts held by someone whose required training
    is missing or has expired on the shift's first day."""
    warnings = {}
    for shift in shifts:
        kind = REQUIRED_TRAINING.get(shift.duty_role)
        if kind and valid_training(shift.user, kind, timezone.localdate(shift.starts_at)) is None:
            warnings[shift.pk] = kind.label
    return warnings


def training_visible_to(user) -> QuerySet[TrainingRecord]:
    if not (user and user.is_authenticated and user.is_active):
        return TrainingRecord.objects.none()
    qs = TrainingRecord.objects.select_related("user")
    if user.is_superuser:
        return qs
    member_ids = Membership.objects.filter(
        organisation_id__in=roster_organisation_ids(user)
    ).values("user_id")
    return qs.filter(Q(user=user) | Q(user_id__in=member_ids))


def can_alarm(user, organisation: Organisation) -> bool:
    """Who may alarm a department: a leading role in it or above it (HL, AL, preparedness
    lead, KOP, administrator); anyone on duty in AMK; members of an organisation a plan of
    the department names as activator (e.g. Social Døgnvagt, Tværgående Kriseledelse)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if org_selectors.has_role(user, LEADING_ROLES, organisation):
        return True
    held = {org for org, _role in org_selectors.roles_of(user)}
    if Organisation.objects.filter(pk__in=held, kind=OrganisationKind.AMK).exists():
        return True
    plan = plan_for(organisation)
    if plan is None:
        return False
    activators = set(plan.activating_organisations.values_list("id", flat=True))
    return bool(set(org_selectors.descendant_ids(activators)) & held)


def alarmable_organisations(user) -> QuerySet[Organisation]:
    orgs = Organisation.objects.filter(is_active=True).order_by("name")
    if user.is_superuser:
        return orgs
    return orgs.filter(pk__in=[o.pk for o in orgs if can_alarm(user, o)])


def callouts_of(incident: Incident) -> QuerySet[Callout]:
    return incident.callouts.select_related("user", "site", "alarm").order_by("alerted_at", "id")


def alarms_of(incident: Incident) -> QuerySet[Alarm]:
    return incident.alarms.select_related("organisation", "acknowledged_by", "raised_by")


def my_open_callouts(user) -> QuerySet[Callout]:
    return (
        Callout.objects.filter(user=user)
        .exclude(
            status__in=[CalloutStatus.RELEASED, CalloutStatus.CANCELLED, CalloutStatus.DECLINED]
        )
        .exclude(incident__status="closed")
        .select_related("incident", "site")
        .order_by("-alerted_at")
    )


def ticks_of(incident: Incident) -> dict[tuple[int, int], ActionCardTick]:
    return {
        (t.card_id, t.item): t
        for t in ActionCardTick.objects.filter(incident=incident).select_related("ticked_by")
    }


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def alarm_statistics(user, *, exercise: bool) -> dict:
    """Operational and exercise figures are kept apart: time from alarm to
    acknowledgement, time to the first person on site, the share of call-outs answered
    (overall and per role)."""
    incidents = incident_selectors.incidents_visible_to(user).filter(is_exercise=exercise)
    alarms = list(Alarm.objects.filter(incident__in=incidents))
    ack = [(a.acknowledged_at - a.raised_at).total_seconds() for a in alarms if a.acknowledged_at]
    first_alarm: dict = {}
    for a in alarms:
        if a.incident_id not in first_alarm or a.raised_at < first_alarm[a.incident_id]:
            first_alarm[a.incident_id] = a.raised_at
    callouts = list(
        Callout.objects.filter(incident__in=incidents).exclude(status=CalloutStatus.CANCELLED)
    )
    first_on_site: dict = {}
    for c in callouts:
        if c.on_site_at and (
            c.incident_id not in first_on_site or c.on_site_at < first_on_site[c.incident_id]
        ):
            first_on_site[c.incident_id] = c.on_site_at
    to_site = [
        (t - first_alarm[i]).total_seconds() for i, t in first_on_site.items() if i in first_alarm
    ]
    per_role = []
    for role in DutyRole:
        mine = [c for c in callouts if c.duty_role == role]
        if mine:
            answered = sum(1 for c in mine if c.status in ANSWERED or c.responded_at)
            per_role.append(
                {
                    "role": role.label,
                    "callouts": len(mine),
                    "answered": answered,
                    "share": answered / len(mine),
                }
            )
    answered_all = sum(1 for c in callouts if c.status in ANSWERED or c.responded_at)
    return {
        "incidents": incidents.count(),
        "alarms": len(alarms),
        "acknowledged": len(ack),
        "median_ack_seconds": _median(ack),
        "median_first_on_site_seconds": _median(to_site),
        "callouts": len(callouts),
        "share_answered": answered_all / len(callouts) if callouts else None,
        "per_role": per_role,
    }
