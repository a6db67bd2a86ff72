"""The open call-out comes first on the overview, with its answer buttons; the inbox shows
its unread count in the menu."""

from django.urls import reverse

from beredt.activation import services


def test_open_callout_is_first_on_the_dashboard_with_answer_buttons(team, incident, client):
    services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    client.force_login(team.kop)
    html = client.get(reverse("dashboard")).content.decode()
    panel = html.index("Du er kaldt ud — svar nu")
    assert panel < html.index("Åbne hændelser")
    assert 'value="accept"' in html and 'value="coming-15"' in html and "Kan ikke" in html


def test_answering_from_the_dashboard_returns_to_it(team, incident, client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    callout = alarm.callouts.get()
    client.force_login(team.kop)
    response = client.post(
        reverse(
            "activation:respond_in_app",
            kwargs={"incident_id": incident.pk, "callout_id": callout.pk},
        ),
        {"answer": "coming-15", "next": reverse("dashboard")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    callout.refresh_from_db()
    assert callout.status == "acknowledged" and callout.eta_minutes == 15


def test_next_to_another_site_is_ignored(team, incident, client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    client.force_login(team.kop)
    response = client.post(
        reverse(
            "activation:respond_in_app",
            kwargs={"incident_id": incident.pk, "callout_id": alarm.callouts.get().pk},
        ),
        {"answer": "accept", "next": "//evil.example/"},
    )
    assert response["Location"].startswith("/activation/incidents/")


def test_menu_shows_unread_inbox_count(team, incident, client, run_tasks):
    client.force_login(team.kop)
    assert 'class="nav-count"' not in client.get(reverse("dashboard")).content.decode()
    services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    html = client.get(reverse("dashboard")).content.decode()
    assert 'class="nav-count"' in html
