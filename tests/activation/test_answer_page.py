"""The alarm message and the one-time answer page: Danish, short link, meeting point, and
"I am coming — in about N min"."""

import re

import pytest
from django.utils import translation

from beredt.activation import links, services
from beredt.activation.models import AlarmStatus, CalloutStatus

# English words that must never reach a Danish phone.
ENGLISH = re.compile(r"\b(Answer|Acknowledge|within|Alarm for|Call-in|Decline|here)\b")


def _path(text: str) -> str:
    return re.search(r"http://testserver(/\S+)", text).group(1)


def test_alarm_text_is_danish_also_when_the_worker_escalates(
    team, incident, run_tasks, pass_time, sms_gateway, smtp_server
):
    with translation.override("da"):
        services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    translation.activate("en")  # the worker's own language must not matter
    try:
        pass_time()
        run_tasks()
    finally:
        translation.deactivate()
    for number in ("+4520000001", "+4520000002"):  # KOP (request), deputy (worker)
        [sms] = sms_gateway.texts_to(number)
        assert "Svar her:" in sms and "Kvittér inden for" in sms
        assert not ENGLISH.search(sms), sms
    [mail] = smtp_server.to("deputy@example.org")
    assert not ENGLISH.search(mail["Subject"] + mail.get_content())


def test_link_is_short_and_the_token_is_the_nonce(team, incident, run_tasks, sms_gateway):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    run_tasks()
    [sms] = sms_gateway.texts_to("+4520000001")
    path = _path(sms)
    assert len(path) <= 40 and path == f"/activation/r/{alarm.callouts.get().nonce}/"


def test_answer_page_shows_meeting_point_and_incident_text(team, incident, client):
    incident.description = "Bus væltet ved motorvejen, 40 berørte."
    incident.save(update_fields=["description"])
    services.add_site(
        by=team.kop, incident=incident, kind="epc", name="EPC Randers", address="Rådhustorvet 1"
    )
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    url = links.url_for(alarm.callouts.get()).replace("http://testserver", "")
    html = client.get(url).content.decode()
    assert "Mødested" in html and "EPC Randers" in html and "Rådhustorvet 1" in html
    assert "40 berørte" in html
    assert "Kvittér" in html and "Kan ikke" in html and "Jeg kommer — ca. 30 min" in html


def test_answer_page_says_when_no_meeting_point_is_decided(team, incident, client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    url = links.url_for(alarm.callouts.get()).replace("http://testserver", "")
    assert "Ikke besluttet endnu" in client.get(url).content.decode()


def test_i_am_coming_in_about_n_minutes_acknowledges_with_the_time(team, incident, client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    callout = alarm.callouts.get()
    url = links.url_for(callout).replace("http://testserver", "")
    page = client.post(url, {"answer": "coming-30"}).content.decode()
    callout.refresh_from_db()
    alarm.refresh_from_db()
    assert callout.status == CalloutStatus.ACKNOWLEDGED and callout.eta_minutes == 30
    assert alarm.status == AlarmStatus.ACKNOWLEDGED
    assert "ca. 30 min" in page
    assert any("Kommer om ca. 30 min" in e.text for e in incident.log_entries.all())


@pytest.mark.parametrize("answer", ["coming-0", "coming-601", "coming-x", "coming-"])
def test_bad_minutes_are_refused_and_nothing_is_answered(team, incident, client, answer):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    url = links.url_for(alarm.callouts.get()).replace("http://testserver", "")
    page = client.post(url, {"answer": answer})
    assert page.status_code == 200 and "Angiv minutter" in page.content.decode()
    assert alarm.callouts.get().status == CalloutStatus.ALERTED


def test_api_answer_with_minutes(team, incident, api_client):
    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    callout = alarm.callouts.get()
    response = api_client(team.kop).post(
        f"/api/v1/activation/callouts/{callout.pk}/respond",
        {"accept": True, "eta_minutes": 20},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["eta_minutes"] == 20
    declined_with_minutes = services.request_members(
        by=team.kop, incident=incident, users=[team.member]
    )[0]
    refused = api_client(team.member).post(
        f"/api/v1/activation/callouts/{declined_with_minutes.pk}/respond",
        {"accept": False, "eta_minutes": 20},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["code"] == "out_of_range"


def test_an_old_signed_link_still_works(team, incident, client):
    from django.core import signing

    alarm = services.raise_alarm(by=team.kop, incident=incident, organisation=team.orgs.dept_a)
    callout = alarm.callouts.get()
    token = signing.dumps([callout.pk, callout.nonce], salt=links.SALT, compress=True)
    client.post(f"/activation/r/{token}/", {"answer": "accept"})
    assert alarm.callouts.get().status == CalloutStatus.ACKNOWLEDGED
