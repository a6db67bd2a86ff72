import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beredt.activation.models import DutyRole, Plan, Shift
from beredt.organisations.models import Role
from tests.notify.servers import sms_gateway, smtp_server  # noqa: F401 - fixtures


@pytest.fixture
def run_tasks(monkeypatch):
    """Run every due task with django-tasks-db's own worker (``db_worker --batch``). The
    worker's connection recycling is switched off: it would close the test transaction."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> list[DBTaskResult]:
        before = set(DBTaskResult.objects.exclude(status="READY").values_list("pk", flat=True))
        call_command(
            "db_worker",
            batch=True,
            queue_name="*",
            startup_delay=False,
            reload=False,
            interval=0,
            verbosity=0,
        )
        return list(DBTaskResult.objects.exclude(pk__in=before).exclude(status="READY"))

    return run


@pytest.fixture
def pass_time():
    """Let the pending timers fall due: move their ``run_after`` into the past, as if the
    acknowledgement time had run out."""

    def advance() -> int:
        return DBTaskResult.objects.filter(status="READY").update(
            run_after=timezone.now() - dt.timedelta(seconds=1)
        )

    return advance


@pytest.fixture
def team(make_user, orgs, settings, smtp_server, sms_gateway):  # noqa: F811
    """Afd. A with a plan, KOP and deputy on the roster, AL in the department, HL above.
    The channels point at the local SMTP server and SMS gateway."""
    settings.BASE_URL = "http://testserver"
    now = timezone.now()
    people = {
        "kop": make_user(
            "kop", roles=[(orgs.dept_a, Role.KOP)], phone="+45 2000 0001", first_name="Karen"
        ),
        "deputy": make_user(
            "deputy", roles=[(orgs.dept_a, Role.KOP)], phone="+45 2000 0002", first_name="Lone"
        ),
        "al": make_user("al", roles=[(orgs.dept_a, Role.AL)], phone="+45 2000 0003"),
        "hl": make_user("hl", roles=[(orgs.psych, Role.HL)], phone="+45 2000 0004"),
        "member": make_user(
            "member", roles=[(orgs.dept_a, Role.CRISIS_TEAM)], phone="+45 2000 0005"
        ),
        "amk": make_user("amk"),
    }
    for role, user in [(DutyRole.KOP, people["kop"]), (DutyRole.DEPUTY_KOP, people["deputy"])]:
        Shift.objects.create(
            organisation=orgs.dept_a,
            duty_role=role,
            user=user,
            starts_at=now - dt.timedelta(hours=2),
            ends_at=now + dt.timedelta(hours=10),
        )
    plan = Plan.objects.create(
        organisation=orgs.psych, title="Psykosocialt beredskab", ack_timeout_seconds=300
    )
    return type("Team", (), {**people, "plan": plan, "orgs": orgs})


@pytest.fixture
def incident(team, make_incident):
    return make_incident(by=team.kop, lead=team.orgs.dept_a, title="Busulykke",
                         kind="traffic_accident", place="Randers")


@pytest.fixture
def exercise(team, make_incident):
    return make_incident(by=team.kop, lead=team.orgs.dept_a, title="Øvelse bus",
                         kind="traffic_accident", is_exercise=True)


@pytest.fixture
def planners(make_user, orgs):
    """People around the region psychiatry's plan: its preparedness leads (HL above, the
    professional preparedness lead), a KOP and a crisis-team member of Afd. A (who may not
    manage plans), AL of Afd. B (manages only Afd. B), someone of the municipality, and a
    superuser. The plan has one role, the KOP of Afd. A."""
    from beredt.activation.models import PlanRole

    people = {
        "hl": make_user("hl", roles=[(orgs.psych, Role.HL)], first_name="Hanne"),
        "lead": make_user(
            "lead", roles=[(orgs.psych, Role.PREPAREDNESS_LEAD)], first_name="Birgit"
        ),
        "kop": make_user("kop", roles=[(orgs.dept_a, Role.KOP)], first_name="Karen"),
        "member": make_user("member", roles=[(orgs.dept_a, Role.CRISIS_TEAM)], first_name="Mette"),
        "al_b": make_user("al_b", roles=[(orgs.dept_b, Role.AL)], first_name="Anders"),
        "outsider": make_user(
            "outsider", roles=[(orgs.kommune, Role.CRISIS_TEAM)], first_name="Ole"
        ),
        "root": make_user("root", superuser=True),
    }
    plan = Plan.objects.create(organisation=orgs.psych, title="Psykosocialt beredskab")
    role = PlanRole.objects.create(
        plan=plan, duty_role=DutyRole.KOP, title="KOP Afd. A", organisation=orgs.dept_a
    )
    return type("Planners", (), {**people, "plan": plan, "role": role, "orgs": orgs})
