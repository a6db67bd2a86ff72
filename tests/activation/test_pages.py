"""Pages: board (with its HTMX fragment), incident panel, overview, plans, statistics."""

from django.urls import reverse

from beredt.activation import services


def test_board_shows_people_and_refreshes_by_htmx(team, incident, client):
    services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    client.force_login(team.kop)
    url = reverse("activation:board", kwargs={"incident_id": incident.pk})
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 5s"' in page and "Karen" in page and "<form" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="board-live"')
    assert "<html" not in fragment and "Karen" in fragment


def test_board_is_404_for_outsider(team, incident, client, make_user):
    client.force_login(make_user("udefra"))
    assert (
        client.get(reverse("activation:board", kwargs={"incident_id": incident.pk})).status_code
        == 404
    )


def test_alarm_from_board_form_asks_first_naming_department_and_head_count(
    team, incident, client
):
    client.force_login(team.kop)
    url = reverse("activation:alarm", kwargs={"incident_id": incident.pk})
    form = {"organisation": team.orgs.dept_a.pk, "note": "Kom hurtigt"}
    question = client.post(url, form).content.decode()
    assert not incident.alarms.exists()
    assert f"Alarmér {team.orgs.dept_a.name}: først 1 person?" in question
    assert "Karen" in question and 'name="confirmed" value="True"' in question
    client.post(url, {**form, "confirmed": "True"})
    assert incident.alarms.get().note == "Kom hurtigt"


def test_call_in_confirmation_counts_everyone(team, incident, client):
    client.force_login(team.kop)
    url = reverse("activation:alarm", kwargs={"incident_id": incident.pk})
    question = client.post(url, {"organisation": team.orgs.dept_a.pk, "everyone": "on"})
    members = team.orgs.dept_a.memberships.values("user").distinct().count()
    assert f"Kald alle i {team.orgs.dept_a.name} ind: {members} personer?" in (
        question.content.decode()
    )
    assert not incident.callouts.exists()


def test_incident_page_has_activation_panel(team, incident, client):
    client.force_login(team.kop)
    page = client.get(reverse("incidents:detail", kwargs={"incident_id": incident.pk}))
    assert reverse("activation:board", kwargs={"incident_id": incident.pk}) in page.content.decode()


def test_overview_plan_and_statistics_pages(team, client):
    client.force_login(team.kop)
    assert client.get(reverse("activation:home")).status_code == 200
    assert (
        client.get(reverse("activation:plan", kwargs={"plan_id": team.plan.pk})).status_code == 200
    )
    assert client.get(reverse("activation:statistics")).status_code == 200
    assert client.get(reverse("activation:training")).status_code == 200


def test_member_answers_in_app_from_overview(team, incident, client):
    [callout] = services.request_members(by=team.kop, incident=incident, users=[team.member])
    client.force_login(team.member)
    assert 'value="accept"' in client.get(reverse("activation:home")).content.decode()
    client.post(
        reverse(
            "activation:respond_in_app",
            kwargs={"incident_id": incident.pk, "callout_id": callout.pk},
        ),
        {"answer": "accept"},
    )
    callout.refresh_from_db()
    assert callout.status == "acknowledged"
