"""Kill the real ``beredt db_worker`` with SIGKILL in the middle of a campaign, start a new
one, and count per person what the local SMTP server and SMS gateway received — every copy,
as a mailbox or a phone shows it: nobody gets a message twice, and nobody is missed without
it showing. A message whose last bytes went out before the kill (its outcome unknown to the
database) is reconciled, not sent again: the SMS gateway is asked by reference; an e-mail
becomes "unknown" ("uvis levering") for a person to decide.

SQLite: the migrated and seeded test database is copied to a file (``VACUUM INTO``) that the
worker processes use. PostgreSQL (when DATABASE_URL is set): the worker processes use the
test database itself."""

from __future__ import annotations

import collections
import sqlite3
import uuid

import pytest
from django.db import connection

from beredt.followup.models import Campaign, OutreachMessage
from beredt.followup.transports import TwoPhaseEmail
from beredt.registry.models import Registration

from . import campaign_harness as h

PEOPLE = 400
PER_MINUTE = 12_000  # 200/s: the campaign takes ~2 s, long enough to be killed in the middle


@pytest.fixture
def servers():
    servers = h.LocalServers()
    yield servers
    servers.stop()


def database_for_workers(tmp_path, campaign_id):
    """Environment pointing the worker at this test's data, and a reader of the outcome:
    the campaign's status, the messages per status and each person's message status."""
    if connection.vendor == "sqlite":
        path = tmp_path / "kill.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])

        def read():
            with sqlite3.connect(path) as db:
                status = db.execute("SELECT status FROM followup_campaign").fetchone()[0]
                rows = db.execute("SELECT registration_id, status "
                                  "FROM followup_outreachmessage").fetchall()
            return (status, collections.Counter(r[1] for r in rows),
                    {uuid.UUID(r[0]): r[1] for r in rows})

        return {"BEREDT_SQLITE_PATH": str(path)}, read
    conf = connection.settings_dict
    auth = f"{conf['USER']}:{conf['PASSWORD']}@" if conf["USER"] else ""
    url = f"postgres://{auth}{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"

    def read():
        status = Campaign.objects.get(pk=campaign_id).status
        rows = dict(OutreachMessage.objects.filter(campaign_id=campaign_id).values_list(
            "registration_id", "status"))
        return status, collections.Counter(rows.values()), rows

    return {"DATABASE_URL": url}, read


def outcome_per_person(servers, people_status: dict) -> dict[str, tuple[int, str]]:
    """Address → (copies the person received, the message's status in the database)."""
    copies = collections.Counter(address for address, _key in servers.deliveries())
    address_of = {reg.pk: reg.email or reg.phone for reg in Registration.objects.all()}
    return {address_of[reg_id]: (copies[address_of[reg_id]], status)
            for reg_id, status in people_status.items()}


def assert_nobody_twice_nobody_lost(outcome: dict, people: int) -> None:
    assert len(outcome) == people
    twice = [a for a, (n, _s) in outcome.items() if n > 1]
    assert twice == [], f"{len(twice)} people got the message twice"
    for address, (n, status) in outcome.items():
        # sent means received; not received is only allowed when a person is asked to decide
        assert (status, n) in {("sent", 1), ("unknown", 1), ("unknown", 0)}, (address, status)
        assert status == "sent" or "@" in address  # SMS are reconciled with the gateway


def test_killed_worker_sends_every_message_exactly_once(transactional_db, servers, tmp_path,
                                                        settings):
    # The campaign (and its watchdog) is started here, the workers run in other processes:
    # the same short lease on both sides, so recovery after the kill takes seconds.
    settings.FOLLOWUP_OUTREACH_LEASE_SECONDS = 1
    kop, incident = h.seed(PEOPLE)
    campaign = h.start(kop, incident, per_minute=PER_MINUTE)
    db_env, read = database_for_workers(tmp_path, campaign.pk)
    env = {**db_env, **servers.env(), "BEREDT_OUTREACH_LEASE_SECONDS": "1",
           "BEREDT_VAR_DIR": str(tmp_path)}
    log = tmp_path / "worker.log"
    worker = h.start_worker(env, log)
    try:
        assert h.wait_for(lambda: servers.total() >= PEOPLE // 4, timeout=60), log.read_text()
        h.kill(worker)
        assert servers.total() < PEOPLE, "the worker finished before it could be killed"
        worker = h.start_worker(env, log)
        assert h.wait_for(lambda: read()[0] == "done", timeout=90, step=0.2), log.read_text()
    finally:
        h.stop(worker)
    assert_nobody_twice_nobody_lost(outcome_per_person(servers, read()[2]), PEOPLE)
    assert servers.copies() == 0  # nothing sent again with the same key either
    counts = read()[1]
    assert counts["sent"] + counts["unknown"] == PEOPLE
    assert counts["unknown"] <= TwoPhaseEmail.lanes  # at most one round in flight


KILLS = 3


def test_worker_killed_while_the_receivers_answer_sends_nothing_twice(
        transactional_db, servers, tmp_path, settings):
    """The servers hold their answers to the last bytes (the messages are theirs already)
    and the worker is killed while waiting, three times: the worst moment, every time. On
    restart the SMS gateway is asked by reference (it has them: sent, not resent); the
    e-mails are "unknown" for a person — none is in a mailbox twice, none is lost."""
    settings.FOLLOWUP_OUTREACH_LEASE_SECONDS = 1
    people = 160
    kop, incident = h.seed(people)
    campaign = h.start(kop, incident, per_minute=PER_MINUTE)
    db_env, read = database_for_workers(tmp_path, campaign.pk)
    env = {**db_env, **servers.env(), "BEREDT_OUTREACH_LEASE_SECONDS": "1",
           "BEREDT_VAR_DIR": str(tmp_path)}
    log = tmp_path / "worker.log"
    worker = None
    try:
        for _ in range(KILLS):
            servers.hold()
            worker = h.start_worker(env, log)
            assert h.wait_for(servers.both_held, timeout=60), log.read_text()
            h.kill(worker)
            servers.release()
        worker = h.start_worker(env, log)
        assert h.wait_for(lambda: read()[0] == "done", timeout=90, step=0.2), log.read_text()
    finally:
        servers.release()
        if worker is not None:
            h.stop(worker)
    outcome = outcome_per_person(servers, read()[2])
    assert_nobody_twice_nobody_lost(outcome, people)
    unknown = [a for a, (_n, status) in outcome.items() if status == "unknown"]
    assert KILLS <= len(unknown) <= KILLS * TwoPhaseEmail.lanes  # the e-mails held each time
    assert all(outcome[a][0] == 1 for a in unknown)  # they did arrive: a person confirms
    assert len(servers.gateway.status_queries) >= KILLS  # the held texts were looked up
    assert all(n == 1 for n, _s in outcome.values())  # everybody has the message, once
