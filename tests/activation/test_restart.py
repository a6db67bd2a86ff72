"""A restart between the alarm and the timeout still escalates.

Real processes on a file SQLite database: the alarm is raised in one process, a
``beredt db_worker`` delivers the messages and is then killed with SIGKILL long before the
acknowledgement time runs out; the deadline then passes (its stored time is moved into the
past rather than slept through) and a new worker runs the escalation timer that was left in
the task table."""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

SETUP = textwrap.dedent("""
    import datetime as dt
    from django.utils import timezone
    from beredt.accounts.models import User
    from beredt.activation import services
    from beredt.activation.models import Plan, Shift
    from beredt.incidents import services as incident_services
    from beredt.organisations.models import Membership, Organisation

    psych = Organisation.objects.create(name="Psykiatrien", kind="region_psychiatry")
    dept = Organisation.objects.create(name="Afd. A", parent=psych,
                                       kind="psychiatric_department")
    Plan.objects.create(organisation=psych, title="Plan", ack_timeout_seconds=TIMEOUT)
    now = timezone.now()
    people = {}
    for name, phone in [("kop", "+4520000001"), ("deputy", "+4520000002")]:
        people[name] = User.objects.create_user(name, email=name + "@example.org", phone=phone)
        Membership.objects.create(user=people[name], organisation=dept, role="kop")
    for name, role in [("kop", "kop"), ("deputy", "deputy_kop")]:
        Shift.objects.create(organisation=dept, duty_role=role, user=people[name],
                             starts_at=now - dt.timedelta(hours=1),
                             ends_at=now + dt.timedelta(hours=1))
    incident, _ = incident_services.create_incident(
        by=people["kop"], title="Brand", kind="fire", municipality_code=730,
        lead_organisation_id=dept.pk)
    services.raise_alarm(by=people["kop"], incident=incident, organisation=dept)
""")

TIMEOUT = 300  # far beyond the test: the worker surely dies before it


def _env(tmp_path, smtp_server, sms_gateway) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "BEREDT_SQLITE_PATH": str(tmp_path / "beredt.sqlite3"),
            "BEREDT_HOME": str(tmp_path),
            "BEREDT_SMTP_HOST": "127.0.0.1",
            "BEREDT_SMTP_PORT": str(smtp_server.port),
            "BEREDT_SMS_GATEWAY_URL": f"{sms_gateway.url}/sms",
            "BEREDT_NOTIFY_BACKOFF_SECONDS": "0.05",
            "BEREDT_DEBUG": "0",
            "BEREDT_TESTING": "1",
            "DJANGO_SETTINGS_MODULE": "beredt.settings",
            "PYTEST_CURRENT_TEST": "",
        }
    )
    env.pop("PYTEST_CURRENT_TEST")
    return env


def _beredt(*args) -> list[str]:
    return [sys.executable, "-m", "beredt.manage", *args]


def _query(db, sql):
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _execute(db, sql, params):
    conn = sqlite3.connect(db, timeout=10)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def _wait_for(check, what: str, deadline_s: float = 60):

    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _worker(env):
    return subprocess.Popen(
        _beredt(
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "-v",
            "0",
        ),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_escalation_survives_a_worker_restart(tmp_path, smtp_server, sms_gateway):
    env = _env(tmp_path, smtp_server, sms_gateway)
    db = env["BEREDT_SQLITE_PATH"]
    subprocess.run(_beredt("migrate", "-v", "0", "--noinput"), env=env, check=True)
    timer = (
        "select status, run_after from django_tasks_database_dbtaskresult "
        "where task_path like '%escalate_alarm' order by enqueued_at"
    )
    callouts = (
        "select u.username from activation_callout c join accounts_user u "
        "on u.id = c.user_id order by c.id"
    )

    first = _worker(env)  # already polling when the alarm is raised
    try:
        subprocess.run(
            _beredt("shell", "-c", SETUP.replace("TIMEOUT", str(TIMEOUT))), env=env, check=True
        )
        _wait_for(lambda: sms_gateway.texts_to("+4520000001"), "the KOP's alarm SMS")
    finally:
        first.send_signal(signal.SIGKILL)  # a crash, not a graceful stop
        first.wait()
    [(status, run_after)] = _query(db, timer)
    assert status == "READY", "the timer must still be waiting when the worker dies"
    assert _query(db, callouts) == [("kop",)]

    assert _query(db, callouts) == [("kop",)]  # nothing escalates without a worker

    # The five minutes pass while no worker runs: move the stored deadline into the past
    # (instead of sleeping through it); the row itself is what survives the crash.
    due = dt.datetime.fromisoformat(run_after).replace(tzinfo=dt.UTC)
    assert due > dt.datetime.now(dt.UTC)
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    _execute(
        db,
        "update django_tasks_database_dbtaskresult set run_after = ? "
        "where task_path like '%escalate_alarm'",
        (past,),
    )

    second = _worker(env)
    try:
        _wait_for(lambda: len(_query(db, callouts)) == 2, "the escalation to the deputy")
        _wait_for(lambda: sms_gateway.texts_to("+4520000002"), "the deputy's alarm SMS")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert _query(db, callouts) == [("kop",), ("deputy",)]
    assert _query(db, timer)[0][0] == "SUCCESSFUL"
    from beredt.core.crypto import decrypt  # the log text is encrypted at rest

    log = [decrypt(t, context="incidents.incidentlogentry.text")
           for (t,) in _query(db, "select text from incidents_incidentlogentry order by id")]
    assert any("eskal" in t.lower() or "escalat" in t.lower() for t in log)
