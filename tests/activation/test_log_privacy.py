"""The incident log's free text is personal data: read only by people deployed to the
incident, every view audited, the text encrypted at rest (also rows written before)."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from beredt.core.models import AuditEvent
from beredt.incidents import selectors as incident_selectors
from beredt.incidents import services as incident_services
from beredt.incidents.models import IncidentLogEntry

SECRET = "Mor til to børn på Skovvej 3 græder"


@pytest.fixture
def note(team, incident):
    return incident_services.add_log_entry(incident=incident, author=team.kop, text=SECRET)


def raw_text(entry) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM incidents_incidentlogentry WHERE id = %s", [entry.pk])
        return cursor.fetchone()[0]


def test_text_is_encrypted_at_rest(note):
    assert raw_text(note).startswith("v1:")
    assert SECRET not in raw_text(note)
    assert IncidentLogEntry.objects.get(pk=note.pk).text == SECRET


@pytest.mark.parametrize("who", ["hl", "al", "deputy", "member"])
def test_organisation_roles_without_deployment_do_not_read_the_log(team, incident, note,
                                                                   client, api_client, who):
    user = getattr(team, who)
    assert not incident_selectors.can_read_log(user, incident)
    assert not incident_selectors.log_visible_to(user, incident).exists()
    response = api_client(user).get(f"/api/v1/activation/incidents/{incident.pk}/log")
    assert response.status_code in (403, 404)
    client.force_login(user)
    for url in (f"/activation/incidents/{incident.pk}/", f"/incidents/{incident.pk}/"):
        page = client.get(url)
        assert SECRET not in page.content.decode()


def test_deployed_people_read_it_and_each_view_is_audited(team, incident, note, client,
                                                          api_client):
    incident_services.assign(by=team.kop, incident=incident, user=team.member,
                             role="crisis_team")
    assert incident_selectors.can_read_log(team.member, incident)
    before = AuditEvent.objects.filter(action="view",
                                       object_type="incidents.incidentlogentry").count()
    response = api_client(team.member).get(f"/api/v1/activation/incidents/{incident.pk}/log")
    assert response.status_code == 200
    assert SECRET in [e["text"] for e in response.json()]
    client.force_login(team.member)
    assert SECRET in client.get(f"/activation/incidents/{incident.pk}/").content.decode()
    assert SECRET in client.get(f"/incidents/{incident.pk}/").content.decode()
    events = AuditEvent.objects.filter(action="view", object_type="incidents.incidentlogentry")
    assert events.count() == before + 3
    last = events.order_by("-id").first()
    assert last.actor == team.member and note.pk in last.extra["entries"]
    assert SECRET not in str(last.extra)


def test_board_refresh_is_not_a_new_audited_view(team, incident, note, client):
    client.force_login(team.kop)
    client.get(f"/activation/incidents/{incident.pk}/")
    count = AuditEvent.objects.filter(object_type="incidents.incidentlogentry").count()
    client.get(f"/activation/incidents/{incident.pk}/", HTTP_HX_REQUEST="true")
    assert AuditEvent.objects.filter(object_type="incidents.incidentlogentry").count() == count


def test_migration_encrypts_rows_written_before(note):
    migration = importlib.import_module(
        "beredt.incidents.migrations.0004_encrypt_incident_log_text")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE incidents_incidentlogentry SET text = %s WHERE id = %s",
                       [SECRET, note.pk])
    old_apps = MigrationLoader(connection).project_state(
        ("incidents", "0003_incident_log")).apps
    editor = SimpleNamespace(connection=connection)  # the functions only need its alias
    migration.encrypt_existing(old_apps, editor)
    migration.encrypt_existing(old_apps, editor)  # idempotent
    assert raw_text(note).startswith("v1:")
    assert IncidentLogEntry.objects.get(pk=note.pk).text == SECRET
    migration.decrypt_existing(old_apps, editor)
    assert raw_text(note) == SECRET
