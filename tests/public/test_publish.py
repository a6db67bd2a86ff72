"""Who may write and publish an incident's public page."""

import pytest

from beredt.core.errors import Conflict, Forbidden, ValidationFailed
from beredt.core.models import AuditEvent
from beredt.incidents import services as incident_services
from beredt.organisations.models import Role
from beredt.public import services
from beredt.public.models import IncidentPage

DATA = {"title": "Skud i centrum", "what_happened": "Politiet efterforsker en skudepisode."}


def test_lead_publishes_and_it_is_audited(kop, incident):
    page = services.save_incident_page(by=kop, incident=incident, data=DATA, publish=True)
    assert page.published and page.published_at and page.slug.startswith("brand-paa-randers-havn")
    assert AuditEvent.objects.filter(object_type="public.incidentpage",
                                     object_id=str(page.pk)).exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CRISIS_TEAM, Role.REGISTRAR])
def test_other_roles_cannot_publish(make_user, orgs, incident, role):
    user = make_user(roles=[(orgs.dept_a, role)])
    with pytest.raises(Forbidden):
        services.save_incident_page(by=user, incident=incident, data=DATA, publish=True)
    assert not IncidentPage.objects.exists()


def test_department_management_above_the_lead_organisation_may_publish(make_user, orgs, incident):
    hl = make_user(roles=[(orgs.psych, Role.HL)])
    assert services.save_incident_page(by=hl, incident=incident, data=DATA, publish=True).published


def test_text_is_required(kop, incident):
    with pytest.raises(ValidationFailed) as exc:
        services.save_incident_page(by=kop, incident=incident, data={"title": "x"})
    assert exc.value.field == "what_happened"
    assert not IncidentPage.objects.exists()


def test_closed_incident_cannot_be_published(kop, incident):
    incident_services.change_status(by=kop, incident=incident, status="standing_down")
    incident_services.change_status(by=kop, incident=incident, status="closed")
    with pytest.raises(Conflict):
        services.save_incident_page(by=kop, incident=incident, data=DATA, publish=True)


def test_staff_edit_view(client, kop, incident):
    client.force_login(kop)
    url = f"/public-pages/{incident.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {**DATA, "action": "publish", "self_registration_open": "on"})
    assert response.status_code == 302
    page = IncidentPage.objects.get(incident=incident)
    assert page.published and page.self_registration_open
    assert client.get(f"/hjaelp/da/h/{page.slug}/").status_code == 200


def test_staff_edit_view_refuses_a_viewer(client, make_user, orgs, incident):
    viewer = make_user(roles=[(orgs.dept_a, Role.VIEWER)])
    client.force_login(viewer)
    response = client.post(f"/public-pages/{incident.pk}/", {**DATA, "action": "publish"})
    assert response.status_code == 302 and not IncidentPage.objects.exists()
