"""The crisis conversation guide saved as a note on a registration."""

import pytest

from beredt.core.errors import NotFound, ValidationFailed
from beredt.core.models import AuditEvent
from beredt.incidents import services as incident_services
from beredt.incidents.models import AssignmentRole
from beredt.organisations.models import Role
from beredt.support import selectors, services
from beredt.support.models import GuideNote

DATA = {"crisis-asked": ["name", "sleep", "bogus"], "crisis-notes": "Har ikke sovet i to døgn.",
        "health-asked": ["family"], "plan": "Søsteren henter ham.", "contact_again": "yes"}


def test_registrar_saves_a_note_encrypted_and_audited(registrar, registration):
    note = services.save_guide_note(by=registrar, registration_id=registration.pk, data=DATA)
    data = selectors.note_content(note)
    assert data["phases"]["crisis"]["asked"] == ["name", "sleep"]  # unknown ids dropped
    assert data["contact_again"] == "yes" and data["plan"] == "Søsteren henter ham."
    with connection_cursor() as cursor:
        cursor.execute("SELECT content FROM support_guidenote")
        assert "sovet" not in cursor.fetchone()[0]
    assert AuditEvent.objects.filter(object_type="support.guidenote", action="create").exists()
    summary = selectors.guide_summary(data, "da")
    assert "Hvordan har du sovet de sidste døgn?" in summary[0]["asked"]


def connection_cursor():
    from django.db import connection

    return connection.cursor()


def test_empty_note_is_refused(registrar, registration):
    with pytest.raises(ValidationFailed):
        services.save_guide_note(by=registrar, registration_id=registration.pk,
                                 data={"contact_again": ""})
    assert not GuideNote.objects.exists()


def test_crisis_team_member_cannot_save_on_a_registration(make_user, orgs, kop, incident,
                                                          registration):
    member = make_user(roles=[(orgs.centre, Role.CRISIS_TEAM)])
    incident_services.assign(by=kop, incident=incident, user=member,
                             role=AssignmentRole.CRISIS_TEAM)
    with pytest.raises(NotFound):
        services.save_guide_note(by=member, registration_id=registration.pk, data=DATA)


def test_note_visible_to_author_and_lead_not_to_other_registrar(make_user, orgs, kop, incident,
                                                                registrar, registration):
    note = services.save_guide_note(by=registrar, registration_id=registration.pk, data=DATA)
    other = make_user(roles=[(orgs.centre, Role.REGISTRAR)])
    incident_services.assign(by=kop, incident=incident, user=other, role=AssignmentRole.REGISTRAR)
    assert note in selectors.guide_notes_visible_to(registrar)
    assert note in selectors.guide_notes_visible_to(kop)  # lead of the incident
    assert note not in selectors.guide_notes_visible_to(other)


def test_guide_pages(client, registrar, registration):
    client.force_login(registrar)
    page = client.get("/support/guide/").content.decode()
    assert "Fase 1: Krisen" in page and "Fase 3: Afslutning" in page
    found = client.get("/support/guide/?q=Jens").content.decode()
    assert f"/support/guide/{registration.pk}/" in found
    response = client.post(f"/support/guide/{registration.pk}/", DATA)
    note = GuideNote.objects.get()
    assert response.headers["Location"] == f"/support/notes/{note.pk}/"
    shown = client.get(f"/support/notes/{note.pk}/").content.decode()
    assert "Har ikke sovet i to døgn." in shown and "Jens Jensen" in shown


def test_purge_removes_notes_of_anonymised_registrations(registrar, registration):
    services.save_guide_note(by=registrar, registration_id=registration.pk, data=DATA)
    assert services.purge_guide_notes() == 0
    type(registration).objects.filter(pk=registration.pk).update(status="anonymised")
    assert services.purge_guide_notes() == 1
    assert not GuideNote.objects.exists()
