"""Reads with access scoping built in. Every view and endpoint asks these functions what a
user may see; nothing else decides it.

The organisation tree matters: a role held in an organisation reaches down into every
organisation below it (HL of a region psychiatry sees what its departments see).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from beredt.accounts.models import User
from beredt.core.models import AuditEvent

from .models import AUDIT_ROLES, Membership, Organisation, Role


def _is_all_seeing(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """The given organisations and every organisation below them."""
    found = set(root_ids)
    frontier = set(found)
    while frontier:
        children = set(
            Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found
        found |= children
    return found


def ancestor_ids(org_id: int) -> list[int]:
    """``org_id`` and its parents up to the root, nearest first."""
    chain: list[int] = []
    current: int | None = org_id
    while current is not None and current not in chain:
        chain.append(current)
        current = (
            Organisation.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        )
    return chain


def roles_of(user) -> set[tuple[int, str]]:
    """``{(organisation_id, role)}`` held directly by ``user``."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    return set(Membership.objects.filter(user=user).values_list("organisation_id", "role"))


def organisation_ids_with_role(user, roles: Iterable[str] | None = None) -> set[int]:
    """Organisations where ``user`` holds one of ``roles`` (any role if None), with all
    organisations below them."""
    wanted = set(roles) if roles is not None else None
    direct = {org for org, role in roles_of(user) if wanted is None or role in wanted}
    return descendant_ids(direct)


def has_role(user, roles: Iterable[str], organisation: Organisation | int | None = None) -> bool:
    """Does ``user`` hold one of ``roles`` in ``organisation`` or above it (or anywhere)?"""
    if _is_all_seeing(user):
        return True
    wanted = set(roles)
    held = {(org, role) for org, role in roles_of(user) if role in wanted}
    if organisation is None:
        return bool(held)
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return any(org in {o for o, _ in held} for org in ancestor_ids(org_id))


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Organisations are not personal data: any logged-in user sees the active ones."""
    if not (user and user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    qs = Organisation.objects.select_related("parent", "region", "municipality")
    return qs if _is_all_seeing(user) else qs.filter(is_active=True)


def members_visible_to(user, organisation: Organisation | None = None) -> QuerySet[Membership]:
    """Staff names and phone numbers: visible to members of the same organisation or of an
    organisation above it."""
    qs = Membership.objects.select_related("user", "organisation", "site")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if _is_all_seeing(user):
        return qs
    return qs.filter(organisation_id__in=organisation_ids_with_role(user))


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation", "site")


def users_with_role(role: str, organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__role=role, memberships__organisation=organisation
    ).distinct()


def can_read_audit_log(user) -> bool:
    return has_role(user, AUDIT_ROLES)


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """Superusers see the whole log; an administrator or DPO sees what was done by the
    users of the organisations where they hold that role (and below)."""
    if _is_all_seeing(user):
        return AuditEvent.objects.all()
    org_ids = organisation_ids_with_role(user, AUDIT_ROLES)
    if not org_ids:
        return AuditEvent.objects.none()
    user_ids = Membership.objects.filter(organisation_id__in=org_ids).values("user_id")
    return AuditEvent.objects.filter(actor_id__in=user_ids)


def search_audit_events(
    user,
    *,
    q: str = "",
    action: str = "",
    object_type: str = "",
    actor: str = "",
    since=None,
    until=None,
) -> QuerySet[AuditEvent]:
    qs = audit_events_visible_to(user)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_username__icontains=actor)
    if q:
        qs = qs.filter(object_id=q) if q.isdigit() else qs.filter(object_type__icontains=q)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs


__all__ = [
    "Role",
    "ancestor_ids",
    "audit_events_visible_to",
    "can_read_audit_log",
    "descendant_ids",
    "has_role",
    "members_visible_to",
    "memberships_of",
    "organisation_ids_with_role",
    "organisations_visible_to",
    "roles_of",
    "search_audit_events",
    "users_with_role",
]
