"""Handover with receipt: consent scope of the package, receiver-only visibility with audit,
acknowledgement creating tasks, escalation when no receipt comes, and re-routing."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from beredt.core.errors import Forbidden
from beredt.core.models import AuditEvent
from beredt.followup import services
from beredt.followup.models import (
    FollowupTask,
    Handover,
    HandoverItem,
    HandoverStatus,
    ItemStatus,
    TaskKind,
)
from beredt.incidents.models import IncidentLogEntry
from beredt.notify.models import Message
from beredt.registry.services import add_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed(kop, incident, units, person, randers_coord):
    """Two people living in Randers handed over to Randers Kommune."""
    people = [
        person("Anna Holm", postcode="8900", email="anna@example.org", address="Torvet 1",
               reactions="Rystet"),
        person("Bo Berg", postcode="8900", email="bo@example.org", channels=("email",),
               address="Gade 2", reactions="Grådlabil",
               extra_consents=[{"kind": "sharing", "shared_with": "Randers Kommune",
                                "method": "verbal_witnessed", "witness": "Karen Olsen"}]),
        person("Uden Samtykke", postcode="8900", channels=()),
    ]
    services.route_incident(by=kop, incident=incident)
    [handover] = services.hand_over(by=kop, incident=incident)
    return handover, people


def data_of(handover, reg):
    return json.loads(HandoverItem.objects.get(handover=handover, registration=reg).data)


def test_package_holds_exactly_what_consent_allows(handed):
    handover, (anna, bo, nobody) = handed
    assert handover.items.count() == 2
    assert not HandoverItem.objects.filter(registration=nobody).exists()
    anna_data = data_of(handover, anna)
    assert anna_data["phone"] and "email" not in anna_data  # SMS only: phone, no e-mail
    assert "address" not in anna_data and "reactions" not in anna_data  # no sharing consent
    assert "cpr" not in anna_data
    bo_data = data_of(handover, bo)
    assert bo_data["email"] == "bo@example.org" and "phone" not in bo_data
    assert bo_data["reactions"] == "Grådlabil" and bo_data["address"] == "Gade 2"


def test_receiver_is_notified_without_personal_data(handed, randers_coord):
    handover, _people = handed
    [message] = Message.objects.filter(reference=f"handover:{handover.pk}",
                                       recipient=randers_coord)
    # The count of people and the incident, as words of their own (the body also holds a
    # date, so a bare "2" would be found in any year of this century).
    count = handover.items.count()
    assert count == 2
    assert re.match(rf"{count} \w+ \w+ {re.escape(handover.incident_title)} ", message.body)
    assert "Anna" not in message.body and "Bo " not in message.body


def test_receiver_sees_only_its_handovers_and_every_view_is_audited(
        handed, randers_coord, aarhus_coord, api_client):
    handover, _people = handed
    url = f"/api/v1/followup/handovers/{handover.pk}"
    assert api_client(aarhus_coord).get(url).status_code == 404
    before = AuditEvent.objects.filter(action="view").count()
    response = api_client(randers_coord).get(url)
    assert response.status_code == 200
    assert {i["data"]["full_name"] for i in response.json()["items"]} == {"Anna Holm", "Bo Berg"}
    assert AuditEvent.objects.filter(action="view").count() == before + 2
    listed = api_client(aarhus_coord).get("/api/v1/followup/handovers").json()
    assert listed == []


def test_receiver_sees_nothing_before_the_handover(kop, incident, units, person, randers_coord,
                                                   api_client):
    person("Anna Holm", postcode="8900")
    services.route_incident(by=kop, incident=incident)
    assert api_client(randers_coord).get("/api/v1/followup/handovers").json() == []


def test_acknowledge_creates_tasks_and_logs(handed, randers_coord, incident):
    handover, _people = handed
    services.acknowledge(by=randers_coord, handover=handover)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.RECEIVED
    tasks = FollowupTask.objects.filter(item__handover=handover)
    first = tasks.filter(kind=TaskKind.FIRST_CONTACT)
    assert first.count() == 2
    assert first[0].due_on == timezone.localdate() + dt.timedelta(days=3)
    checks = tasks.filter(kind=TaskKind.CHECK)
    assert checks.count() == 2
    assert checks[0].due_on == timezone.localdate(incident.started_at) + dt.timedelta(weeks=8)
    assert any("Randers Kommune" in e.text  # the text is encrypted: compared in Python
               for e in IncidentLogEntry.objects.filter(incident=incident, kind="response"))


def test_only_the_receiver_acknowledges(handed, aarhus_coord, kop):
    handover, _people = handed
    for user in (aarhus_coord, kop):
        with pytest.raises(Forbidden):
            services.acknowledge(by=user, handover=handover)


def test_no_receipt_escalates_to_kop_and_backup(handed, run_tasks, pass_time, incident, kop,
                                                 units, smtp_server, sms_gateway):
    handover, _people = handed
    run_tasks()  # the notifications; the receipt timer is not due yet
    handover.refresh_from_db()
    assert handover.escalated_at is None
    pass_time()
    results = run_tasks()
    handover.refresh_from_db()
    assert handover.escalated_at is not None, [(r.task_path, r.status, r.exception_class_path,
                                                r.traceback) for r in results]
    alerted = set(Message.objects.filter(purpose="handover_escalation").values_list(
        "recipient__username", flat=True))
    assert alerted == {"kop", "backup"}
    assert any("Randers Kommune" in e.text
               for e in IncidentLogEntry.objects.filter(incident=incident, kind="escalation"))


def test_receipt_in_time_stops_the_escalation(handed, run_tasks, pass_time, randers_coord,
                                              smtp_server, sms_gateway):
    handover, _people = handed
    services.acknowledge(by=randers_coord, handover=handover)
    pass_time()
    run_tasks()
    handover.refresh_from_db()
    assert handover.escalated_at is None
    assert not Message.objects.filter(purpose="handover_escalation").exists()


def test_reroute_withdraws_from_first_receiver(handed, randers_coord, aarhus_coord, units,
                                               api_client):
    handover, (anna, _bo, _n) = handed
    services.acknowledge(by=randers_coord, handover=handover)
    item = HandoverItem.objects.get(handover=handover, registration=anna)
    response = api_client(randers_coord).post(
        f"/api/v1/followup/items/{item.pk}/reroute",
        {"unit_id": units.aarhus.pk, "reason": "Flyttet til Aarhus"},
        content_type="application/json")
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert not item.tasks.filter(status="open").exists()
    seen = api_client(randers_coord).get(f"/api/v1/followup/handovers/{handover.pk}").json()
    assert [i["data"]["full_name"] for i in seen["items"]] == ["Bo Berg"]
    new = Handover.objects.get(receiver=units.aarhus.organisation)
    assert new.status == HandoverStatus.SENT
    got = api_client(aarhus_coord).get(f"/api/v1/followup/handovers/{new.pk}").json()
    assert [i["data"]["full_name"] for i in got["items"]] == ["Anna Holm"]


def test_reroute_of_the_last_person_withdraws_the_handover(kop, incident, units, person,
                                                           randers_coord, api_client):
    anna = person("Anna Holm", postcode="8900")
    services.route_incident(by=kop, incident=incident)
    [handover] = services.hand_over(by=kop, incident=incident)
    item = handover.items.get(registration=anna)
    services.reroute(by=kop, item=item, unit=units.aarhus, reason="Forkert kommune")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.WITHDRAWN
    assert api_client(randers_coord).get(
        f"/api/v1/followup/handovers/{handover.pk}").status_code == 404


def test_a_person_is_handed_over_once(handed, kop, incident):
    assert services.hand_over(by=kop, incident=incident) == []


def test_later_consent_joins_a_new_handover(handed, kop, incident):
    handover, (_a, _b, nobody) = handed
    add_consent(registration=nobody, by=kop, data={
        "kind": "followup_contact", "channels": ["phone"], "method": "verbal_witnessed",
        "witness": "Karen Olsen"})
    services.route_incident(by=kop, incident=incident)
    [second] = services.hand_over(by=kop, incident=incident)
    assert second.pk != handover.pk
    assert [i.registration_id for i in second.items.all()] == [nobody.pk]
