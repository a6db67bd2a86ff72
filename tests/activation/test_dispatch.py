"""Crisis-team requests, answers from the phone, dispatch to sites, status per person."""

import pytest

from beredt.activation import links, services
from beredt.activation.models import CalloutStatus
from beredt.core.errors import Conflict, Forbidden
from beredt.incidents.models import Assignment


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_request_accept_dispatch_on_site_release(
    team, incident, api_client, client, run_tasks, sms_gateway
):
    kop = api_client(team.kop)
    base = f"/api/v1/activation/incidents/{incident.pk}"
    response = _post(kop, f"{base}/requests", {"user_ids": [team.member.pk], "note": "EPC"})
    assert response.status_code == 201
    callout_id = response.json()[0]["id"]
    run_tasks()
    [sms] = sms_gateway.texts_to("+4520000005")  # first working channel only
    url = sms.split("http://testserver")[1].strip()
    client.post(url, {"answer": "accept"})
    site = _post(
        kop,
        f"{base}/sites",
        {"kind": "epc", "name": "EPC Rådhuset", "address": "Laksetorvet 1, Randers"},
    ).json()
    dispatched = _post(
        kop, f"/api/v1/activation/callouts/{callout_id}/dispatch", {"site_id": site["id"]}
    )
    assert dispatched.status_code == 200 and dispatched.json()["status"] == "en_route"
    assert Assignment.objects.filter(
        incident=incident, user=team.member, role="crisis_team", released_at__isnull=True
    ).exists()
    run_tasks()
    assert any("Laksetorvet 1" in t for t in sms_gateway.texts_to("+4520000005"))
    member = api_client(team.member)
    on_site = _post(
        member, f"/api/v1/activation/callouts/{callout_id}/status", {"status": "on_site"}
    )
    assert on_site.json()["on_site_at"]
    released = _post(
        kop, f"/api/v1/activation/callouts/{callout_id}/status", {"status": "released"}
    )
    assert released.json()["status"] == "released"
    assert not Assignment.objects.filter(
        incident=incident, user=team.member, released_at__isnull=True
    ).exists()
    log = [e["text"] for e in kop.get(f"{base}/log").json()]
    assert any("dispatched" in t or "sendt" in t.lower() or "EPC Rådhuset" in t for t in log)
    assert len(log) >= 7  # opened, request, answer, site, assignment, dispatch, on site, …


def test_declined_member_cannot_be_dispatched(team, incident):
    [callout] = services.request_members(by=team.kop, incident=incident, users=[team.member])
    services.respond(by=team.member, callout=callout, accept=False)
    site = services.add_site(
        by=team.kop, incident=incident, kind="school", name="Skolen", address="Skolevej 1"
    )
    with pytest.raises(Conflict):
        services.dispatch(by=team.kop, callout=callout, site=site)
    callout.refresh_from_db()
    assert callout.status == CalloutStatus.DECLINED


def test_only_the_person_answers_their_callout(team, incident, api_client):
    [callout] = services.request_members(by=team.kop, incident=incident, users=[team.member])
    response = _post(
        api_client(team.al), f"/api/v1/activation/callouts/{callout.pk}/respond", {"accept": True}
    )
    assert response.status_code == 403


def test_crisis_team_member_cannot_request_or_add_sites(team, incident, api_client):
    base = f"/api/v1/activation/incidents/{incident.pk}"
    services.request_members(by=team.kop, incident=incident, users=[team.member])
    member = api_client(team.member)
    assert _post(member, f"{base}/requests", {"user_ids": [team.kop.pk]}).status_code in (403, 404)
    assert _post(
        member, f"{base}/sites", {"kind": "epc", "name": "x", "address": "y"}
    ).status_code in (403, 404)


def test_outsider_sees_nothing(team, incident, api_client, make_user):
    outsider = api_client(make_user("udefra"))
    assert outsider.get(f"/api/v1/activation/incidents/{incident.pk}/callouts").status_code == 404
    assert outsider.get(f"/api/v1/activation/incidents/{incident.pk}/log").status_code == 404


def test_request_twice_does_not_double_call(team, incident):
    services.request_members(by=team.kop, incident=incident, users=[team.member])
    with pytest.raises(Conflict):
        services.request_members(by=team.kop, incident=incident, users=[team.member])


def test_expired_link_is_refused(team, incident, client, monkeypatch):
    [callout] = services.request_members(by=team.kop, incident=incident, users=[team.member])
    url = links.url_for(callout).replace("http://testserver", "")
    monkeypatch.setattr(links, "MAX_AGE", -1)
    assert client.post(url, {"answer": "accept"}).status_code == 404
    callout.refresh_from_db()
    assert callout.status == CalloutStatus.ALERTED


def test_viewer_cannot_alarm(team, incident, make_user):
    from beredt.organisations.models import Role

    viewer = make_user("viewer", roles=[(team.orgs.dept_a, Role.VIEWER)])
    with pytest.raises(Forbidden):
        services.raise_alarm(by=viewer, incident=incident, organisation=team.orgs.dept_a)
