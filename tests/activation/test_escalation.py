"""Alarm, acknowledgement and escalation, with the real task queue and real channels."""

import re

from beredt.activation import links, services
from beredt.activation.models import Alarm, AlarmStatus, Callout, CalloutStatus
from beredt.incidents.models import IncidentLogEntry


def _link(text: str) -> str:
    return re.search(r"http://testserver(/activation/r/[^/\s]+/)", text).group(1)


def test_alarm_alerts_kop_on_duty_on_every_channel(
    team, incident, run_tasks, smtp_server, sms_gateway
):
    alarm = services.raise_alarm(
        by=team.kop, incident=incident, organisation=team.orgs.dept_a, note="40 berørte"
    )
    [callout] = alarm.callouts.all()
    assert callout.user == team.kop and callout.duty_role == "kop"
    run_tasks()
    [sms] = sms_gateway.texts_to("+4520000001")
    assert "Busulykke" in sms and "40 berørte" in sms
    token = _link(sms).split("/")[-2]
    assert token == callout.nonce
    [mail] = smtp_server.to("kop@example.org")
    assert mail["Subject"] == "Alarm: Busulykke"
    assert team.kop.messages.filter(channel="in_app", status="sent").count() == 1
    assert IncidentLogEntry.objects.filter(incident=incident, kind="alarm").count() == 2


def test_escalates_to_deputy_then_al_then_hl_after_timeout(
    team, incident, run_tasks, pass_time, sms_gateway
):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()  # deliveries only: the timer is not due yet
    assert Callout.objects.filter(alarm=alarm).count() == 1
    for expected in ["deputy", "al", "hl"]:
        pass_time()
        run_tasks()
        latest = Callout.objects.filter(alarm=alarm).order_by("-id").first()
        assert latest.user == getattr(team, expected)
    assert [c.step for c in Callout.objects.filter(alarm=alarm)] == [0, 1, 2, 3]
    assert len(sms_gateway.texts_to("+4520000004")) == 1  # HL alerted by SMS
    escalations = IncidentLogEntry.objects.filter(incident=incident, kind="escalation")
    assert sum("eskalerer" in e.text for e in escalations) == 3  # text encrypted: in Python
    pass_time()
    run_tasks()
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.EXHAUSTED
    assert any("udtømt" in e.text for e in escalations.all())


def test_acknowledgement_by_link_stops_escalation(
    team, incident, run_tasks, pass_time, client, sms_gateway
):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    url = _link(sms_gateway.texts_to("+4520000001")[0])
    page = client.get(url)  # opening the link (or a link preview) does not answer
    assert page.status_code == 200 and 'value="accept"' in page.content.decode()
    assert Alarm.objects.get(pk=alarm.pk).status == AlarmStatus.PENDING
    client.post(url, {"answer": "accept"})
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.ACKNOWLEDGED and alarm.acknowledged_by == team.kop
    pass_time()
    results = run_tasks()
    assert [r.return_value for r in results if r.task_path.endswith("escalate_alarm")] == [
        "nothing to do"
    ]
    assert Callout.objects.filter(alarm=alarm).count() == 1
    assert any("eskaleringen er stoppet" in e.text for e in IncidentLogEntry.objects.filter(
        incident=incident, kind="response"))


def test_link_is_one_time(team, incident, client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    url = links.url_for(alarm.callouts.get()).replace("http://testserver", "")
    client.post(url, {"answer": "accept"})
    again = client.post(url, {"answer": "decline"})
    html = again.content.decode()
    assert "msg-warning" in html and 'value="accept"' not in html
    assert alarm.callouts.get().status == CalloutStatus.ACKNOWLEDGED


def test_tampered_link_is_rejected(team, incident, client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    url = links.url_for(alarm.callouts.get()).replace("http://testserver", "")
    assert client.post(url[:-3] + "xx/", {"answer": "accept"}).status_code == 404
    assert alarm.callouts.get().status == CalloutStatus.ALERTED


def test_deputy_can_acknowledge_after_escalation_and_kop_link_then_says_answered(
    team, incident, run_tasks, pass_time, api_client
):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    pass_time()
    run_tasks()
    deputy_callout = alarm.callouts.get(user=team.deputy)
    response = api_client(team.deputy).post(
        f"/api/v1/activation/callouts/{deputy_callout.pk}/respond",
        {"accept": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    alarm.refresh_from_db()
    assert alarm.acknowledged_by == team.deputy
    assert alarm.callouts.get(user=team.kop).status == CalloutStatus.CANCELLED


def test_step_without_anyone_on_duty_is_skipped_and_logged(team, incident, run_tasks, pass_time):
    from beredt.activation.models import Shift

    Shift.objects.filter(duty_role="deputy_kop").delete()
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    pass_time()
    run_tasks()
    assert alarm.callouts.order_by("-id").first().user == team.al
    assert any("sprunget over" in e.text
               for e in IncidentLogEntry.objects.filter(incident=incident))


def test_second_alarm_while_pending_is_a_conflict(team, incident, api_client):
    client = api_client(team.kop)
    url = f"/api/v1/activation/incidents/{incident.pk}/alarms"
    body = {"organisation_id": team.orgs.dept_a.pk}
    assert client.post(url, body, content_type="application/json").status_code == 201
    second = client.post(url, body, content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "already_alarmed"


def test_stand_down_cancels_escalation(team, incident, run_tasks, pass_time, api_client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    response = api_client(team.kop).post(
        f"/api/v1/activation/incidents/{incident.pk}/status",
        {"status": "standing_down"},
        content_type="application/json",
    )
    assert response.status_code == 200
    pass_time()
    run_tasks()
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CANCELLED
    assert alarm.callouts.count() == 1


def test_stand_down_on_the_incident_page_also_stops_escalation(
    team, incident, client, run_tasks, pass_time
):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    client.force_login(team.kop)
    client.post(f"/incidents/{incident.pk}/status/", {"status": "standing_down"})
    pass_time()
    run_tasks()
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CANCELLED and alarm.callouts.count() == 1
    assert IncidentLogEntry.objects.filter(incident=incident, kind="escalation").exists()


def test_kop_of_another_department_gets_the_incident_by_acknowledging(team, incident, make_user):
    from beredt.activation.models import Shift
    from beredt.incidents.selectors import incidents_visible_to
    from beredt.organisations.models import Role

    other_kop = make_user("kop_b", roles=[(team.orgs.dept_b, Role.KOP)], phone="+45 2000 0009")
    shift = Shift.objects.get(user=team.kop)
    Shift.objects.create(
        organisation=team.orgs.dept_b,
        duty_role="kop",
        user=other_kop,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
    )
    assert not incidents_visible_to(other_kop).filter(pk=incident.pk).exists()
    alarm = services.raise_alarm(by=team.hl, incident=incident, organisation=team.orgs.dept_b)
    services.respond(by=other_kop, callout=alarm.callouts.get(), accept=True)
    assert incidents_visible_to(other_kop).filter(pk=incident.pk).exists()
    assert incident.assignments.filter(user=other_kop, role="kop").exists()
