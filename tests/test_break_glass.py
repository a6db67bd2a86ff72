"""Deploying yourself to an incident you do not lead (administrator, HL, a parent
organisation's KOP) is break-glass: it needs a reason, is audited as such, logged, told to the
incident's lead and listed for the DPO."""

import pytest

from beredt.core.errors import ValidationFailed
from beredt.core.models import AuditEvent
from beredt.incidents import services
from beredt.incidents.models import Assignment
from beredt.notify.models import Message
from beredt.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, orgs):
    return type("People", (), {
        "kop": make_user("kop", roles=[(orgs.dept_a, Role.KOP)], first_name="Karen"),
        "hl": make_user("hl", roles=[(orgs.psych, Role.HL)], first_name="Hanne"),
        "admin": make_user("admin", roles=[(orgs.psych, Role.ADMINISTRATOR)]),
        "dpo": make_user("dpo", roles=[(orgs.psych, Role.DPO)]),
        "other_dpo": make_user("otherdpo", roles=[(orgs.kommune, Role.DPO)]),
        "member": make_user("member", roles=[(orgs.dept_a, Role.CRISIS_TEAM)]),
        "orgs": orgs,
    })


@pytest.fixture
def incident(people):
    incident, _ = services.create_incident(
        by=people.kop, title="Brand", kind="fire", municipality_code=730,
        lead_organisation_id=people.orgs.dept_a.pk)
    return incident


@pytest.mark.parametrize("who", ["hl", "admin"])
def test_self_deployment_without_a_reason_is_refused(people, incident, who):
    user = getattr(people, who)
    with pytest.raises(ValidationFailed) as error:
        services.assign(by=user, incident=incident, user=user, role="lead")
    assert error.value.code == "break_glass_reason_required"
    assert not Assignment.objects.filter(incident=incident, user=user).exists()


def test_self_deployment_with_a_reason_is_break_glass(people, incident, client):
    services.assign(by=people.hl, incident=incident, user=people.hl, role="lead",
                    reason="KOP syg, jeg overtager")
    grant = Assignment.objects.get(incident=incident, user=people.hl)
    assert grant.is_break_glass and grant.break_glass_reason == "KOP syg, jeg overtager"
    event = AuditEvent.objects.get(action="break_glass")
    assert event.actor == people.hl and event.reason == "KOP syg, jeg overtager"
    assert event.extra["incident"] == str(incident.pk)
    # The incident's lead is told (in-app and e-mail), not the person themselves.
    told = Message.objects.filter(purpose="break_glass")
    assert {m.recipient for m in told} == {people.kop}
    assert "KOP syg" in told.first().body
    # ...and sees it on the incident page and in the log.
    client.force_login(people.kop)
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "nødadgang" in html.lower() and "KOP syg, jeg overtager" in html


def test_the_api_needs_the_reason_too(people, incident, api_client):
    url = f"/api/v1/incidents/{incident.pk}/assignments"
    api = api_client(people.admin)
    refused = api.post(url, {"user_id": people.admin.pk, "role": "observer"},
                       content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "break_glass_reason_required"
    assert refused.json()["field"] == "reason"
    ok = api.post(url, {"user_id": people.admin.pk, "role": "observer", "reason": "Tilsyn"},
                  content_type="application/json")
    assert ok.status_code == 201 and ok.json()["break_glass_reason"] == "Tilsyn"


def test_the_lead_assigning_others_or_itself_is_not_break_glass(people, incident):
    services.assign(by=people.kop, incident=incident, user=people.member, role="crisis_team")
    services.assign(by=people.kop, incident=incident, user=people.kop, role="registrar")
    assert not Assignment.objects.exclude(break_glass_reason="").exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_the_dpo_sees_the_grants_of_their_organisations(people, incident, client):
    services.assign(by=people.hl, incident=incident, user=people.hl, role="lead",
                    reason="Overtager ledelsen")
    client.force_login(people.dpo)
    html = client.get("/audit/").content.decode()
    assert "Overtager ledelsen" in html
    client.force_login(people.other_dpo)
    html = client.get("/audit/").content.decode()
    assert "Overtager ledelsen" not in html
