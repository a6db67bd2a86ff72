"""Exercises: same flows, "ØVELSE" on every message, own statistics."""

from beredt.activation import selectors, services


def test_exercise_messages_are_prefixed_on_every_channel(
    team, exercise, run_tasks, smtp_server, sms_gateway
):
    services.raise_alarm(by=team.kop, incident=exercise, organisation=team.orgs.dept_a)
    run_tasks()
    [sms] = sms_gateway.texts_to("+4520000001")
    assert sms.startswith("ØVELSE: ")
    [mail] = smtp_server.to("kop@example.org")
    assert mail["Subject"].startswith("ØVELSE")
    assert mail.get_content().startswith("ØVELSE")
    assert team.kop.messages.get(channel="in_app").body.startswith("ØVELSE")


def test_real_incident_messages_are_not_prefixed(team, incident, run_tasks, sms_gateway):
    services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    assert not sms_gateway.texts_to("+4520000001")[0].startswith("ØVELSE")


def test_statistics_keep_exercises_apart(team, incident, exercise, api_client):
    alarm = services.raise_alarm(by=team.kop, incident=exercise, organisation=team.orgs.dept_a)
    services.respond(by=team.kop, callout=alarm.callouts.get(), accept=True)
    [member] = services.request_members(by=team.kop, incident=exercise, users=[team.member])
    services.respond(by=team.member, callout=member, accept=True)
    site = services.add_site(
        by=team.kop, incident=exercise, kind="scene", name="Skadested", address="Vej 1"
    )
    services.dispatch(by=team.kop, callout=member, site=site)
    services.set_callout_status(by=team.member, callout=member, status="on_site")
    services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)

    ex = selectors.alarm_statistics(team.kop, exercise=True)
    real = selectors.alarm_statistics(team.kop, exercise=False)
    assert (ex["incidents"], ex["alarms"], ex["acknowledged"]) == (1, 1, 1)
    assert ex["median_ack_seconds"] is not None and ex["median_first_on_site_seconds"] is not None
    assert ex["share_answered"] == 1.0
    assert (real["incidents"], real["alarms"], real["acknowledged"]) == (1, 1, 0)
    assert real["share_answered"] == 0.0 and real["median_first_on_site_seconds"] is None
    api = api_client(team.kop).get("/api/v1/activation/statistics?exercise=true").json()
    assert api["alarms"] == 1 and api["acknowledged"] == 1


def test_exercise_banner_on_board_and_answer_page(team, exercise, client):
    from beredt.activation import links

    alarm = services.raise_alarm(by=team.kop, incident=exercise, organisation=team.orgs.dept_a)
    client.force_login(team.kop)
    assert "banner-exercise" in client.get(f"/activation/incidents/{exercise.pk}/").content.decode()
    client.logout()
    url = links.url_for(alarm.callouts.get()).replace("http://testserver", "")
    assert "banner-exercise" in client.get(url).content.decode()
