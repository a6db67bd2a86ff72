from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from beredt.accounts.models import User
from beredt.core import audit
from beredt.core.errors import NotFound

from . import selectors, services
from .models import Role

router = Router(tags=["organisations"])


class SiteOut(Schema):
    id: int
    name: str
    address: str
    postcode: str
    municipality_code: int | None


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    region_code: int | None
    municipality_code: int | None
    phone: str
    email: str


class OrganisationDetailOut(OrganisationOut):
    sites: list[SiteOut]


class MemberOut(Schema):
    id: int
    user_id: int
    username: str
    name: str
    phone: str
    email: str
    role: str
    site_id: int | None


class MembershipIn(Schema):
    user_id: int
    role: Role
    site_id: int | None = None


class MyMembershipOut(Schema):
    organisation_id: int
    organisation_name: str
    role: str
    site_id: int | None


def _org_out(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "parent_id": org.parent_id,
        "region_code": org.region_id,
        "municipality_code": org.municipality_id,
        "phone": org.phone,
        "email": org.email,
    }


def _member_out(m) -> dict:
    return {
        "id": m.pk,
        "user_id": m.user_id,
        "username": m.user.username,
        "name": m.user.display_name,
        "phone": m.user.phone,
        "email": m.user.email,
        "role": m.role,
        "site_id": m.site_id,
    }


@router.get("", response=list[OrganisationOut], summary="Organisations")
def list_organisations(request, kind: str | None = None):
    qs = selectors.organisations_visible_to(request.user)
    if kind:
        qs = qs.filter(kind=kind)
    return [_org_out(o) for o in qs]


@router.get("/mine", response=list[MyMembershipOut], summary="My roles")
def my_memberships(request):
    return [
        {
            "organisation_id": m.organisation_id,
            "organisation_name": m.organisation.name,
            "role": m.role,
            "site_id": m.site_id,
        }
        for m in selectors.memberships_of(request.user)
    ]


@router.get("/{org_id}", response=OrganisationDetailOut, summary="One organisation")
def get_organisation(request, org_id: int):
    org = get_object_or_404(selectors.organisations_visible_to(request.user), pk=org_id)
    sites = [
        {
            "id": s.pk,
            "name": s.name,
            "address": s.address,
            "postcode": s.postcode,
            "municipality_code": s.municipality_id,
        }
        for s in org.sites.all()
    ]
    return {**_org_out(org), "sites": sites}


@router.get("/{org_id}/members", response=list[MemberOut], summary="Members (staff contacts)")
def list_members(request, org_id: int):
    org = get_object_or_404(selectors.organisations_visible_to(request.user), pk=org_id)
    members = list(selectors.members_visible_to(request.user, org))
    if not members and not selectors.has_role(request.user, set(Role), org):
        raise NotFound()
    audit.record_many(
        action=audit.AuditAction.VIEW,
        objects=[m.user for m in members],
        fields=["name", "phone", "email"],
        extra={"organisation": org.pk},
    )
    return [_member_out(m) for m in members]


@router.post("/{org_id}/members", response={201: MemberOut}, summary="Give a user a role")
def add_member(request, org_id: int, payload: MembershipIn):
    org = get_object_or_404(selectors.organisations_visible_to(request.user), pk=org_id)
    user = get_object_or_404(User, pk=payload.user_id, is_active=True)
    site = org.sites.filter(pk=payload.site_id).first() if payload.site_id else None
    if payload.site_id and site is None:
        raise NotFound(code="unknown_site")
    membership = services.add_membership(
        by=request.user, organisation=org, user=user, role=payload.role, site=site
    )
    return Status(201, _member_out(membership))


@router.delete(
    "/{org_id}/members/{membership_id}", response={204: None}, summary="Remove a role from a user"
)
def remove_member(request, org_id: int, membership_id: int):
    membership = get_object_or_404(
        selectors.members_visible_to(request.user), pk=membership_id, organisation_id=org_id
    )
    services.remove_membership(by=request.user, membership=membership)
    return Status(204, None)
