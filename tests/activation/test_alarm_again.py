""""Alarmér igen" per person and per department."""

from beredt.activation import services
from beredt.activation.models import Alarm, AlarmStatus
from beredt.incidents.models import IncidentLogEntry
from beredt.notify.models import Message


def test_alarm_person_again_resends_every_channel_with_the_same_link(
    team, incident, run_tasks, sms_gateway, client
):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    callout = alarm.callouts.get()
    run_tasks()
    client.force_login(team.hl)
    client.post(f"/activation/incidents/{incident.pk}/callouts/{callout.pk}/again/")
    run_tasks()
    first, second = sms_gateway.texts_to("+4520000001")
    assert first == second and callout.nonce in second
    assert Message.objects.filter(about=callout.about, channel="sms").count() == 2
    assert any(
        "alarmerede igen: Karen" in e.text
        for e in IncidentLogEntry.objects.filter(incident=incident)
    )


def test_alarm_again_after_an_answer_is_refused(team, incident, api_client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    callout = alarm.callouts.get()
    services.respond(by=team.kop, callout=callout, accept=True)
    response = api_client(team.hl).post(f"/api/v1/activation/callouts/{callout.pk}/alarm-again")
    assert response.status_code == 409 and response.json()["code"] == "already_answered"


def test_alarm_again_needs_the_right_to_alarm(team, incident, api_client, make_user):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    callout = alarm.callouts.get()
    response = api_client(team.member).post(
        f"/api/v1/activation/callouts/{callout.pk}/alarm-again"
    )
    assert response.status_code in (403, 404)
    assert Message.objects.filter(about=callout.about).count() == 3  # only the first round


def test_department_again_while_pending_resends_the_current_step(
    team, incident, run_tasks, sms_gateway, api_client
):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    response = api_client(team.hl).post(
        f"/api/v1/activation/incidents/{incident.pk}/alarms/{alarm.pk}/alarm-again"
    )
    assert response.status_code == 200 and response.json()["id"] == alarm.pk
    run_tasks()
    assert len(sms_gateway.texts_to("+4520000001")) == 2


def test_department_again_after_exhaustion_starts_a_new_alarm(
    team, incident, run_tasks, pass_time, client
):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    for _ in range(4):
        pass_time()
        run_tasks()
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.EXHAUSTED
    client.force_login(team.hl)
    client.post(f"/activation/incidents/{incident.pk}/alarms/{alarm.pk}/again/")
    new = Alarm.objects.filter(incident=incident).exclude(pk=alarm.pk).get()
    assert new.status == AlarmStatus.PENDING and new.callouts.get().user == team.kop
