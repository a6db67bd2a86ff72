"""Follow-up tasks: work queues per organisation and per worker, overdue, outcomes,
reminders, and the per-incident funnel."""

import datetime as dt

import pytest
from django.utils import timezone

from beredt.core.errors import Forbidden, ValidationFailed
from beredt.followup import selectors, services
from beredt.followup.models import FollowupTask, TaskKind, TaskStatus
from beredt.notify.models import Message
from beredt.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(kop, incident, units, person, randers_coord):
    anna = person("Anna Holm", postcode="8900")
    bo = person("Bo Berg", postcode="8000")
    person("Cai Dahl", postcode="8900", channels=())
    services.route_incident(by=kop, incident=incident)
    handovers = services.hand_over(by=kop, incident=incident)
    randers = next(h for h in handovers if h.receiver == units.randers.organisation)
    services.acknowledge(by=randers_coord, handover=randers)
    return randers, anna, bo


@pytest.fixture
def worker(make_user, orgs):
    return make_user("worker", roles=[(orgs.centre, Role.CRISIS_TEAM)])


def first_contact(handover):
    return FollowupTask.objects.get(item__handover=handover, kind=TaskKind.FIRST_CONTACT)


def test_queues_per_organisation_and_worker(received, randers_coord, aarhus_coord, worker,
                                            api_client):
    handover, _anna, _bo = received
    org_queue = api_client(randers_coord).get("/api/v1/followup/tasks").json()
    assert len(org_queue) == 2
    assert api_client(aarhus_coord).get("/api/v1/followup/tasks").json() == []
    assert api_client(worker).get("/api/v1/followup/tasks").json() == []
    task = first_contact(handover)
    services.assign_task(by=randers_coord, task=task, user=worker)
    mine = api_client(worker).get("/api/v1/followup/tasks?mine=true").json()
    assert [t["id"] for t in mine] == [task.pk]


def test_assignment_needs_a_member_of_the_organisation(received, randers_coord, aarhus_coord):
    handover, _anna, _bo = received
    with pytest.raises(ValidationFailed):
        services.assign_task(by=randers_coord, task=first_contact(handover), user=aarhus_coord)
    with pytest.raises(Forbidden):
        services.assign_task(by=aarhus_coord, task=first_contact(handover), user=aarhus_coord)


def test_overdue_is_flagged(received, randers_coord):
    handover, _anna, _bo = received
    task = first_contact(handover)
    assert not task.is_overdue
    FollowupTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate()
                                                   - dt.timedelta(days=1))
    task.refresh_from_db()
    assert task.is_overdue
    counts = selectors.queue_counts(selectors.tasks_visible_to(randers_coord))
    assert counts == {"open": 2, "overdue": 1}


def test_not_reached_needs_k_tries(received, randers_coord):
    handover, _anna, _bo = received
    task = first_contact(handover)
    with pytest.raises(ValidationFailed) as err:
        services.complete_task(by=randers_coord, task=task, outcome="not_reached")
    assert err.value.code == "too_few_tries"
    services.record_try(by=randers_coord, task=task, note="Telefonsvarer")
    services.record_try(by=randers_coord, task=task)
    task = services.complete_task(by=randers_coord, task=task, outcome="not_reached")
    assert task.status == TaskStatus.DONE and task.tries == 3
    assert "Telefonsvarer" in task.notes


def test_referral_is_named(received, randers_coord):
    handover, _anna, _bo = received
    task = first_contact(handover)
    with pytest.raises(ValidationFailed):
        services.complete_task(by=randers_coord, task=task, outcome="referred")
    task = services.complete_task(by=randers_coord, task=task, outcome="referred",
                                  referral="gp")
    assert task.referral == "gp"


def test_declined_closes_the_other_tasks(received, randers_coord):
    handover, _anna, _bo = received
    services.complete_task(by=randers_coord, task=first_contact(handover), outcome="declined")
    assert not FollowupTask.objects.filter(item__handover=handover, status="open").exists()


def test_reminder_reaches_the_assigned_worker(received, randers_coord, worker, run_tasks,
                                              pass_time, smtp_server, sms_gateway):
    handover, _anna, _bo = received
    task = first_contact(handover)
    services.assign_task(by=randers_coord, task=task, user=worker)
    pass_time()
    run_tasks()
    assert Message.objects.filter(recipient=worker, purpose="followup_task").exists()


def test_funnel_by_municipality(received, incident, randers_coord):
    handover, _anna, _bo = received
    services.record_try(by=randers_coord, task=first_contact(handover))
    rows = {r["municipality"]: r for r in selectors.funnel(incident)}
    randers = rows["Randers"]
    assert (randers["registered"], randers["consented"], randers["routed"],
            randers["received"], randers["contacted"], randers["outcome"]) == (2, 1, 1, 1, 1, 0)
    aarhus = rows["Aarhus"]
    assert (aarhus["registered"], aarhus["routed"], aarhus["received"]) == (1, 1, 0)
    assert rows["total"]["registered"] == 3
