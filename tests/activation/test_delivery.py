"""Delivery truth per person and channel: the board, the alarm page and the API show what
really happened, and a person nobody could reach is silence for the escalation."""

from beredt.activation import services
from beredt.activation.models import AlarmStatus, Callout
from beredt.incidents.models import IncidentLogEntry
from beredt.notify.models import Message


def _fail_everything_for(user, smtp_server, sms_gateway):
    smtp_server.reject.add(user.email)
    sms_gateway.refuse.add("".join(user.phone.split()))


def test_failed_sms_and_email_is_not_reached_and_escalates_without_waiting(
    team, incident, run_tasks, smtp_server, sms_gateway, client
):
    _fail_everything_for(team.kop, smtp_server, sms_gateway)
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()  # no time passes: the acknowledgement timer of step 1 is not due
    kop_messages = Message.objects.filter(about=f"callout:{alarm.callouts.get(step=0).pk}")
    assert {m.channel: m.status for m in kop_messages} == {
        "sms": "failed",
        "email": "failed",
        "in_app": "sent",
    }
    deputy = Callout.objects.get(alarm=alarm, step=1)
    assert deputy.user == team.deputy
    assert sms_gateway.texts_to("+4520000002")  # the deputy's phone got it
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.PENDING and alarm.step == 1
    assert any(
        "Ikke nået" in e.text
        for e in IncidentLogEntry.objects.filter(incident=incident, kind="escalation")
    )

    client.force_login(team.hl)
    html = client.get(f"/activation/incidents/{incident.pk}/").content.decode()
    rows = html.split('class="callout-row')[1:]
    assert "unreached" in rows[0].split(">")[0] and "Karen" in rows[0]  # red, on top
    assert "Ikke nået" in rows[0] and "Mislykkedes" in rows[0]
    assert "mailserveren afviste adressen" in rows[0]
    assert "SMS-gatewayen afviste beskeden" in rows[0]
    assert "unreached" not in rows[1].split(">")[0]


def test_one_reached_person_of_the_step_means_waiting_for_the_timer(
    team, incident, run_tasks, smtp_server, sms_gateway, make_user
):
    import datetime as dt

    from django.utils import timezone

    from beredt.activation.models import Shift
    from beredt.organisations.models import Role

    second = make_user("kop2", roles=[(team.orgs.dept_a, Role.KOP)], phone="+45 2000 0010")
    Shift.objects.create(
        organisation=team.orgs.dept_a,
        duty_role="kop",
        user=second,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    _fail_everything_for(team.kop, smtp_server, sms_gateway)
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    assert not Callout.objects.filter(alarm=alarm, step=1).exists()


def test_person_without_phone_or_email_escalates_at_once(team, incident, run_tasks):
    type(team.kop).objects.filter(pk=team.kop.pk).update(phone="", email="")
    alarm = services.raise_alarm(by=team.hl, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    assert Callout.objects.filter(alarm=alarm, step=1, user=team.deputy).exists()


def test_api_lists_delivery_per_channel(team, incident, run_tasks, smtp_server, api_client):
    smtp_server.reject.add(team.kop.email)
    services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    response = api_client(team.hl).get(f"/api/v1/activation/incidents/{incident.pk}/callouts")
    [kop] = [c for c in response.json() if c["username"] == "kop"]
    by_channel = {d["channel"]: d for d in kop["delivery"]}
    assert by_channel["sms"]["status"] == "sent" and by_channel["sms"]["reason"] == ""
    assert by_channel["email"]["status"] == "failed"
    assert by_channel["email"]["reason"] == "mailserveren afviste adressen"
    assert kop["reach"] == "sent"


def test_alarm_page_shows_each_person_of_each_step(
    team, incident, run_tasks, smtp_server, sms_gateway, client
):
    _fail_everything_for(team.kop, smtp_server, sms_gateway)
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    client.force_login(team.hl)
    page = client.get(f"/activation/incidents/{incident.pk}/alarms/{alarm.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Karen" in html and "Lone" in html
    assert html.index("Karen") < html.index("Lone") and "Ikke nået" in html
    live = client.get(
        f"/activation/incidents/{incident.pk}/alarms/{alarm.pk}/", headers={"HX-Request": "1"}
    )
    assert live.content.decode().startswith('<div id="alarm-live"')
