"""Reads with access scoping built in.

Who sees what:

* the volunteer organisation's **coordinator** (role ``volunteer_coordinator`` in the
  organisation or above it): its units, volunteers' profiles, rota, requests, evaluation;
* a unit's **activity leaders**: that unit's rota and its volunteers' profiles;
* the department's **contact persons** and the **acute-reception staff** (any role in the
  department that owns the site, or above it): the unit's rota (who is on shift) and the
  accompaniment requests; leading roles (HL, AL, …) also the evaluation;
* a **volunteer** (no membership at all): their own unit's rota and their own shifts,
  requests and onboarding — nothing else in Beredt.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from beredt.organisations.models import LEADING_ROLES, Role
from beredt.organisations.selectors import organisation_ids_with_role

from .models import (
    AccompanyRequest,
    Onboarding,
    ShiftStatus,
    Volunteer,
    VolunteerShift,
    VolunteerUnit,
)


def _is_all_seeing(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def volunteer_of(user) -> Volunteer | None:
    """The user's active volunteer profile, or None."""
    if not _signed_in(user):
        return None
    return (
        Volunteer.objects.select_related("unit", "unit__site", "user")
        .filter(user=user, stopped_on__isnull=True)
        .first()
    )


def coordinator_org_ids(user) -> set[int]:
    return organisation_ids_with_role(user, [Role.VOLUNTEER_COORDINATOR])


def _unit_reach(user, prefix: str = "") -> Q:
    """Units (at ``prefix``) the user works with other than as a volunteer: coordinator,
    acute-reception staff, activity leader, contact person."""
    return (
        Q(**{f"{prefix}organisation_id__in": coordinator_org_ids(user)})
        | Q(**{f"{prefix}site__organisation_id__in": organisation_ids_with_role(user)})
        | Q(**{f"{prefix}activity_leaders": user})
        | Q(**{f"{prefix}contact_persons": user})
    )


def units_visible_to(user) -> QuerySet[VolunteerUnit]:
    qs = VolunteerUnit.objects.select_related("organisation", "site", "site__organisation")
    if _is_all_seeing(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(
        _unit_reach(user) | Q(volunteers__user=user, volunteers__stopped_on__isnull=True)
    ).distinct()


def can_manage_unit(user, unit: VolunteerUnit) -> bool:
    """The coordinator: edit the unit, invite volunteers, edit profiles."""
    return _is_all_seeing(user) or unit.organisation_id in coordinator_org_ids(user)


def can_plan(user, unit: VolunteerUnit) -> bool:
    """Activity leaders (and the coordinator) make the rota."""
    if can_manage_unit(user, unit):
        return True
    return unit.activity_leaders.filter(pk=user.pk).exists() if _signed_in(user) else False


def is_contact_person(user, unit: VolunteerUnit) -> bool:
    if _is_all_seeing(user):
        return True
    return _signed_in(user) and unit.contact_persons.filter(pk=user.pk).exists()


def can_call(user, unit: VolunteerUnit) -> bool:
    """Acute-reception staff (any role in the site's department or above) and the contact
    persons may call the volunteer on shift."""
    if _is_all_seeing(user) or is_contact_person(user, unit):
        return True
    return unit.site.organisation_id in organisation_ids_with_role(user)


def evaluation_org_ids(user) -> set[int] | None:
    """Organisations whose units' evaluation the user may read (None: all)."""
    if _is_all_seeing(user):
        return None
    return coordinator_org_ids(user) | organisation_ids_with_role(user, LEADING_ROLES)


def evaluation_units(user) -> QuerySet[VolunteerUnit]:
    org_ids = evaluation_org_ids(user)
    qs = VolunteerUnit.objects.select_related("organisation", "site")
    if org_ids is None:
        return qs
    return qs.filter(Q(organisation_id__in=org_ids) | Q(site__organisation_id__in=org_ids))


def volunteers_visible_to(user) -> QuerySet[Volunteer]:
    """Profiles (contact data, training, availability): the coordinator, the unit's
    activity leaders, and the volunteer themself."""
    qs = Volunteer.objects.select_related("user", "unit")
    if _is_all_seeing(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(
        Q(unit__organisation_id__in=coordinator_org_ids(user))
        | Q(unit__activity_leaders=user)
        | Q(user=user)
    ).distinct()


def shifts_visible_to(user) -> QuerySet[VolunteerShift]:
    """The rota of every unit the user sees (a volunteer: their own unit's)."""
    return VolunteerShift.objects.filter(
        unit__in=units_visible_to(user).values("pk")
    ).select_related("unit", "unit__site", "volunteer", "volunteer__user")


def month_shifts(unit: VolunteerUnit, month: dt.date) -> QuerySet[VolunteerShift]:
    start = timezone.make_aware(dt.datetime(month.year, month.month, 1))
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end = timezone.make_aware(dt.datetime(nxt.year, nxt.month, 1))
    return (
        VolunteerShift.objects.filter(
            unit=unit, status=ShiftStatus.PLANNED, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("volunteer", "volunteer__user", "swapped_from__user")
        .prefetch_related("wishes__volunteer__user")
    )


def upcoming_shifts_of(user) -> QuerySet[VolunteerShift]:
    """The user's own planned shifts that have not ended."""
    if not _signed_in(user):
        return VolunteerShift.objects.none()
    return VolunteerShift.objects.filter(
        volunteer__user=user, status=ShiftStatus.PLANNED, ends_at__gt=timezone.now()
    ).select_related("unit", "unit__site")


def open_shifts_for(volunteer: Volunteer) -> QuerySet[VolunteerShift]:
    return VolunteerShift.objects.filter(
        unit=volunteer.unit,
        status=ShiftStatus.PLANNED,
        volunteer__isnull=True,
        starts_at__gt=timezone.now(),
    ).prefetch_related("wishes")


def on_duty(unit: VolunteerUnit, at: dt.datetime | None = None) -> QuerySet[VolunteerShift]:
    at = at or timezone.now()
    return VolunteerShift.objects.filter(
        unit=unit,
        status=ShiftStatus.PLANNED,
        volunteer__isnull=False,
        volunteer__stopped_on__isnull=True,
        starts_at__lte=at,
        ends_at__gt=at,
    ).select_related("volunteer", "volunteer__user")


def next_covered_shift(unit: VolunteerUnit, after: dt.datetime | None = None):
    after = after or timezone.now()
    return (
        VolunteerShift.objects.filter(
            unit=unit, status=ShiftStatus.PLANNED, volunteer__isnull=False, starts_at__gt=after
        )
        .order_by("starts_at")
        .first()
    )


def requests_visible_to(user) -> QuerySet[AccompanyRequest]:
    qs = AccompanyRequest.objects.select_related(
        "shift", "shift__unit", "shift__volunteer__user", "asked_by"
    )
    if _is_all_seeing(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(
        _unit_reach(user, "shift__unit__") | Q(shift__volunteer__user=user)
    ).distinct()


def onboardings_visible_to(user) -> QuerySet[Onboarding]:
    qs = Onboarding.objects.select_related("volunteer__user", "volunteer__unit", "signed_by")
    if _is_all_seeing(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(
        Q(volunteer__unit__organisation_id__in=coordinator_org_ids(user))
        | Q(volunteer__unit__activity_leaders=user)
        | Q(volunteer__unit__contact_persons=user)
        | Q(volunteer__user=user)
    ).distinct()
