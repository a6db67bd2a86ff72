"""Ad-hoc closures through the API: administrators only; open-now respects them."""

import pytest

from beredt.core.models import AuditEvent
from beredt.directory import selectors
from beredt.directory.services import seed_uuid
from beredt.organisations.models import Role

from .conftest import cph, line

pytestmark = pytest.mark.usefixtures("seeded")


def url(key: str) -> str:
    return f"/api/v1/directory/services/{seed_uuid(key)}/closures"


def test_closure_moves_next_open_and_is_audited(api_client, make_user, orgs):
    admin = make_user("closer", roles=[(orgs.kommune, Role.ADMINISTRATOR)])
    response = api_client(admin).post(url("syddjurs-akut"), {
        "starts_at": "2026-11-17T12:00", "ends_at": "2026-11-17T16:00",
        "reason": "Personalemøde"}, content_type="application/json")
    assert response.status_code == 201, response.content
    status = line(selectors.open_now(706, cph(2026, 11, 17, 13, 0)), "syddjurs-akut")
    assert not status.is_open and status.next_open == cph(2026, 11, 17, 16, 0)
    before = line(selectors.open_now(706, cph(2026, 11, 17, 11, 0)), "syddjurs-akut")
    assert before.next_open == cph(2026, 11, 17, 16, 0)
    assert AuditEvent.objects.filter(action="create", object_type="directory.closure",
                                     actor=admin).exists()


def test_closure_must_end_after_it_starts(api_client, make_user, orgs):
    admin = make_user("closer2", roles=[(orgs.kommune, Role.ADMINISTRATOR)])
    response = api_client(admin).post(url("syddjurs-akut"), {
        "starts_at": "2026-11-17T16:00", "ends_at": "2026-11-17T12:00"},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "ends_at"


def test_only_administrators_close_lines(api_client, make_user, orgs):
    kop = make_user("kopper", roles=[(orgs.dept_a, Role.KOP)])
    body = {"starts_at": "2026-11-17T12:00", "ends_at": "2026-11-17T16:00"}
    assert api_client(kop).post(url("syddjurs-akut"), body,
                                content_type="application/json").status_code == 403
