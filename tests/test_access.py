"""Access scoping per role: who sees staff contacts, incidents and the audit log."""

import pytest

from beredt.core import audit
from beredt.incidents import services as incident_services
from beredt.incidents.selectors import can_manage, incidents_visible_to
from beredt.organisations import selectors
from beredt.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(make_incident):
    return make_incident(title="Brand")


ALL_ROLES = list(Role)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_members_visible_within_own_tree_only(role, make_user, orgs):
    colleague = make_user("colleague", roles=[(orgs.dept_a, Role.CRISIS_TEAM)])
    outsider = make_user("outsider", roles=[(orgs.centre, Role.REGISTRAR)])
    user = make_user("me", roles=[(orgs.dept_a, role)])
    visible = {m.user for m in selectors.members_visible_to(user)}
    assert colleague in visible
    assert outsider not in visible


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_high_in_the_tree_reaches_down(role, make_user, orgs):
    member_b = make_user("b", roles=[(orgs.dept_b, Role.CRISIS_TEAM)])
    user = make_user("top", roles=[(orgs.psych, role)])
    assert member_b in {m.user for m in selectors.members_visible_to(user)}
    assert selectors.has_role(user, {role}, orgs.dept_b)
    assert not selectors.has_role(user, {role}, orgs.centre)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_incident_visibility(role, make_user, orgs, incident):
    inside = make_user("inside", roles=[(orgs.dept_a, role)])
    above = make_user("above", roles=[(orgs.psych, role)])
    sibling = make_user("sibling", roles=[(orgs.dept_b, role)])
    municipal = make_user("municipal", roles=[(orgs.kommune, role)])
    assert incidents_visible_to(inside).filter(pk=incident.pk).exists()
    assert incidents_visible_to(above).filter(pk=incident.pk).exists()
    assert not incidents_visible_to(sibling).filter(pk=incident.pk).exists()
    assert not incidents_visible_to(municipal).filter(pk=incident.pk).exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_manage_an_incident(role, make_user, orgs, incident):
    user = make_user("u", roles=[(orgs.dept_a, role)])
    leading = role in {Role.HL, Role.AL, Role.PREPAREDNESS_LEAD, Role.KOP, Role.ADMINISTRATOR}
    assert can_manage(user, incident) is leading


def test_assignment_grants_visibility_across_organisations(make_user, orgs, incident, kop):
    helper = make_user("helper", roles=[(orgs.centre, Role.CRISIS_TEAM)])
    assert not incidents_visible_to(helper).exists()
    assignment = incident_services.assign(
        by=kop, incident=incident, user=helper, role="crisis_team"
    )
    assert incidents_visible_to(helper).filter(pk=incident.pk).exists()
    incident_services.release(by=kop, assignment=assignment)
    assert not incidents_visible_to(helper).exists()


def test_user_without_roles_sees_nothing(make_user, incident):
    nobody = make_user("nobody")
    assert not incidents_visible_to(nobody).exists()
    assert not selectors.members_visible_to(nobody).exists()
    assert not selectors.audit_events_visible_to(nobody).exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_audit_log_readers(role, make_user, orgs):
    actor = make_user("actor", roles=[(orgs.dept_a, Role.REGISTRAR)])
    foreign = make_user("foreign", roles=[(orgs.centre, Role.REGISTRAR)])
    audit.record(action="view", object_type="x", actor=actor)
    audit.record(action="view", object_type="y", actor=foreign)
    reader = make_user("reader", roles=[(orgs.psych, role)])
    events = selectors.audit_events_visible_to(reader)
    if role in {Role.ADMINISTRATOR, Role.DPO}:
        assert selectors.can_read_audit_log(reader)
        assert set(events.values_list("object_type", flat=True)) == {"x"}
    else:
        assert not selectors.can_read_audit_log(reader)
        assert not events.exists()


def test_audit_page_refused_without_role(client, make_user, orgs):
    client.force_login(make_user("kopx", roles=[(orgs.dept_a, Role.KOP)]))
    assert client.get("/audit/").status_code == 403
    client.force_login(make_user("dpo", roles=[(orgs.psych, Role.DPO)]))
    assert client.get("/audit/").status_code == 200


def test_members_api_is_scoped_and_audited(api_client, make_user, orgs):
    make_user("colleague", roles=[(orgs.dept_a, Role.CRISIS_TEAM)], phone="+4512345678")
    me = make_user("me", roles=[(orgs.dept_a, Role.KOP)])
    stranger = make_user("stranger", roles=[(orgs.centre, Role.KOP)])
    ok = api_client(me).get(f"/api/v1/organisations/{orgs.dept_a.pk}/members")
    assert ok.status_code == 200
    assert "+4512345678" in {m["phone"] for m in ok.json()}
    from beredt.core.models import AuditEvent

    assert (
        AuditEvent.objects.filter(action="view", object_type="accounts.user", actor=me).count() == 2
    )
    refused = api_client(stranger).get(f"/api/v1/organisations/{orgs.dept_a.pk}/members")
    assert refused.status_code == 404


def test_membership_changes_need_an_administrator(api_client, make_user, orgs):
    target = make_user("target")
    kop = make_user("kopy", roles=[(orgs.dept_a, Role.KOP)])
    admin = make_user("adm", roles=[(orgs.psych, Role.ADMINISTRATOR)])
    body = {"user_id": target.pk, "role": "registrar"}
    url = f"/api/v1/organisations/{orgs.dept_a.pk}/members"
    assert api_client(kop).post(url, body, content_type="application/json").status_code == 403
    created = api_client(admin).post(url, body, content_type="application/json")
    assert created.status_code == 201
    again = api_client(admin).post(url, body, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_membership"
    removed = api_client(admin).delete(f"{url}/{created.json()['id']}")
    assert removed.status_code == 204
