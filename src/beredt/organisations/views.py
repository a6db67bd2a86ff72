from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from beredt.core import audit

from . import selectors


@login_required
def organisation_list(request):
    orgs = list(selectors.organisations_visible_to(request.user))
    children = defaultdict(list)
    ids = {o.pk for o in orgs}
    for org in orgs:
        children[org.parent_id if org.parent_id in ids else None].append(org)

    def tree(parent_id):
        return [{"org": o, "children": tree(o.pk)} for o in children.get(parent_id, [])]

    mine = {m.organisation_id for m in selectors.memberships_of(request.user)}
    return render(request, "organisations/list.html", {"tree": tree(None), "mine": mine})


@login_required
def organisation_detail(request, org_id: int):
    org = get_object_or_404(selectors.organisations_visible_to(request.user), pk=org_id)
    members = list(selectors.members_visible_to(request.user, org))
    if members:
        audit.record_many(
            action=audit.AuditAction.VIEW,
            objects=[m.user for m in members],
            fields=["name", "phone", "email"],
            extra={"organisation": org.pk},
        )
    return render(
        request,
        "organisations/detail.html",
        {
            "org": org,
            "sites": org.sites.select_related("municipality"),
            "children": org.children.filter(is_active=True),
            "members": members,
        },
    )
