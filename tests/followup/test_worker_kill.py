"""Kill the real ``beredt db_worker`` with SIGKILL in the middle of a campaign, start a new
one, and count what the local SMTP server and SMS gateway received: every person exactly
once — no duplicate, none missed. A message whose last bytes went out just before the kill
(its outcome unknown to the database) is sent again with the same idempotency key; the
receiver drops that copy, and there are at most as many as were in flight (one round).

SQLite: the migrated and seeded test database is copied to a file (``VACUUM INTO``) that the
worker processes use. PostgreSQL (when DATABASE_URL is set): the worker processes use the
test database itself."""

from __future__ import annotations

import collections
import sqlite3

import pytest
from django.db import connection

from beredt.followup.models import Campaign, OutreachMessage
from beredt.followup.transports import TwoPhaseEmail, TwoPhaseSms

from . import campaign_harness as h

PEOPLE = 400
PER_MINUTE = 12_000  # 200/s: the campaign takes ~2 s, long enough to be killed in the middle


@pytest.fixture
def servers():
    servers = h.LocalServers()
    yield servers
    servers.stop()


def database_for_workers(tmp_path, campaign_id):
    """Environment pointing the worker at this test's data, and a reader of the outcome."""
    if connection.vendor == "sqlite":
        path = tmp_path / "kill.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])

        def read():
            with sqlite3.connect(path) as db:
                status = db.execute("SELECT status FROM followup_campaign").fetchone()[0]
                rows = db.execute("SELECT status FROM followup_outreachmessage").fetchall()
            return status, collections.Counter(r[0] for r in rows)

        return {"BEREDT_SQLITE_PATH": str(path)}, read
    conf = connection.settings_dict
    auth = f"{conf['USER']}:{conf['PASSWORD']}@" if conf["USER"] else ""
    url = f"postgres://{auth}{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"

    def read():
        status = Campaign.objects.get(pk=campaign_id).status
        rows = OutreachMessage.objects.filter(campaign_id=campaign_id)
        return status, collections.Counter(rows.values_list("status", flat=True))

    return {"DATABASE_URL": url}, read


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
        assert h.wait_for(lambda: servers.total() >= PEOPLE, timeout=90), log.read_text()
        assert h.wait_for(lambda: read()[0] == "done", timeout=30, step=0.2), read()
    finally:
        h.stop(worker)
    received = servers.received()
    assert set(received) == set(h.addresses(PEOPLE))  # none missed
    assert max(received.values()) == 1  # no duplicate: one idempotency key per person
    assert servers.copies() <= TwoPhaseEmail.lanes + TwoPhaseSms.lanes  # one round in flight
    assert read()[1] == {"sent": PEOPLE}
