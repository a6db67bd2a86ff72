"""Writes for organisations and memberships: keyword-only, one transaction, audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from beredt.accounts.models import User
from beredt.core import audit
from beredt.core.errors import Conflict, Forbidden

from . import selectors
from .models import Membership, Organisation, Role, Site


def _require_admin(by: User, organisation: Organisation) -> None:
    if not selectors.has_role(by, {Role.ADMINISTRATOR}, organisation):
        raise Forbidden(_("Only an administrator of the organisation may change its members."))


@transaction.atomic
def add_membership(
    *, by: User, organisation: Organisation, user: User, role: str, site: Site | None = None
) -> Membership:
    _require_admin(by, organisation)
    if site is not None and site.organisation_id != organisation.pk:
        raise Conflict(_("The site belongs to another organisation."), field="site")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organisation=organisation, role=role, site=site
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The user already has that role in the organisation."), code="duplicate_membership"
        ) from exc
    audit.record(
        action=audit.AuditAction.CREATE,
        obj=membership,
        actor=by,
        fields=["user", "organisation", "role", "site"],
    )
    return membership


@transaction.atomic
def remove_membership(*, by: User, membership: Membership) -> None:
    _require_admin(by, membership.organisation)
    audit.record(
        action=audit.AuditAction.DELETE,
        obj=membership,
        actor=by,
        fields=["user", "organisation", "role", "site"],
    )
    membership.delete()


def ensure_organisation(
    *, name: str, kind: str, parent: Organisation | None = None, **fields
) -> Organisation:
    """Create or update an organisation by (parent, name); used by demo and data loads."""
    org, _created = Organisation.objects.update_or_create(
        parent=parent, name=name, defaults={"kind": kind, **fields}
    )
    return org


def ensure_site(*, organisation: Organisation, name: str, **fields) -> Site:
    site, _created = Site.objects.update_or_create(
        organisation=organisation, name=name, defaults=fields
    )
    return site


def ensure_membership(
    *, user: User, organisation: Organisation, role: str, site: Site | None = None
) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, role=role, defaults={"site": site}
    )
    return membership
