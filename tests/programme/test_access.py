"""Who sees which case: the referring department, the citizen's municipality's programme
staff, nobody else; every view audited."""

import pytest

from beredt.core.models import AuditEvent
from beredt.programme import selectors

pytestmark = pytest.mark.django_db


def test_visibility_per_role(prog, make_case):
    case = make_case()
    for user, side in ((prog.referrer, "hospital"), (prog.skp, "municipality"),
                       (prog.caseworker, "municipality"), (prog.acute, "municipality"),
                       (prog.leader, "municipality")):
        assert selectors.cases_visible_to(user).filter(pk=case.pk).exists(), user
        assert selectors.side_of(user, case) == side
    for user in (prog.other_referrer, prog.favrskov_skp, prog.outsider):
        assert not selectors.cases_visible_to(user).exists(), user
        assert selectors.side_of(user, case) is None


def test_a_role_above_reaches_the_departments_below(prog, make_case, make_user, orgs):
    from beredt.programme.models import ProgrammeMembership

    case = make_case()
    top = make_user("top")
    ProgrammeMembership.objects.create(user=top, organisation=orgs.psych, role="referrer")
    assert selectors.side_of(top, case) == "hospital"


def test_organisation_roles_alone_give_no_access(prog, make_case, make_user, orgs):
    from beredt.organisations.models import Role

    make_case()
    kop = make_user("kop_only", roles=[(orgs.dept_a, Role.KOP)])
    coordinator = make_user("coord", roles=[(orgs.centre, Role.FOLLOWUP_COORDINATOR)])
    for user in (kop, coordinator):
        assert not selectors.cases_visible_to(user).exists()


@pytest.mark.parametrize("who", ["other_referrer", "favrskov_skp", "outsider"])
def test_outsiders_get_404_on_api_and_pages(api_client, client, prog, make_case, who):
    case = make_case()
    user = getattr(prog, who)
    assert api_client(user).get(f"/api/v1/programme/cases/{case.pk}").status_code == 404
    assert api_client(user).get("/api/v1/programme/cases").json()["count"] == 0
    client.force_login(user)
    assert client.get(f"/programme/cases/{case.pk}/").status_code == 404
    assert client.get(f"/programme/cases/{case.pk}/fhir.json").status_code == 404


def test_every_view_and_list_is_audited(api_client, client, prog, make_case):
    case = make_case()
    before = AuditEvent.objects.filter(object_id=str(case.pk)).count()
    api_client(prog.skp).get(f"/api/v1/programme/cases/{case.pk}")
    api_client(prog.skp).get("/api/v1/programme/cases")
    client.force_login(prog.referrer)
    client.get(f"/programme/cases/{case.pk}/")
    client.get("/programme/")
    rows = AuditEvent.objects.filter(object_id=str(case.pk)).order_by("id")[before:]
    assert [r.action for r in rows] == ["view", "list", "view", "list"]
    assert {r.actor_username for r in rows} == {"skp", "referrer"}


def test_hospital_sees_plans_only_with_sharing_consent(api_client, prog, make_case):
    from beredt.programme import services

    case = make_case("contract")
    consent = case.consents.get(purpose="share_hospital")
    client = api_client(prog.referrer)
    assert client.get(f"/api/v1/programme/cases/{case.pk}/plans").status_code == 200
    services.withdraw_consent(by=prog.referrer, case=case, side="hospital",
                              consent_id=consent.pk, reason="Ønsker det ikke")
    assert client.get(f"/api/v1/programme/cases/{case.pk}/plans").status_code == 404
    assert client.get(f"/api/v1/programme/cases/{case.pk}").json()["sees_plans"] is False
    assert api_client(prog.skp).get(f"/api/v1/programme/cases/{case.pk}/plans").status_code == 200


def test_hospital_cannot_work_on_the_case(api_client, prog, make_case):
    case = make_case("contact")
    response = api_client(prog.referrer).post(
        f"/api/v1/programme/cases/{case.pk}/phase", {"to": "contract"},
        content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "wrong_side"


def test_municipality_cannot_write_letters_or_readmissions(api_client, prog, make_case):
    case = make_case()
    client = api_client(prog.skp)
    letter = client.post(f"/api/v1/programme/cases/{case.pk}/letters",
                         {"kind": "gp_letter", "text": "Orientering"},
                         content_type="application/json")
    readmission = client.post(f"/api/v1/programme/cases/{case.pk}/readmissions",
                              {"admitted_on": "2026-01-01"}, content_type="application/json")
    assert (letter.status_code, readmission.status_code) == (403, 403)


def test_overview_only_for_leaders(api_client, client, prog, make_case):
    make_case()
    assert api_client(prog.leader).get("/api/v1/programme/overview").status_code == 200
    for user in (prog.skp, prog.referrer, prog.outsider):
        assert api_client(user).get("/api/v1/programme/overview").status_code == 404
    client.force_login(prog.skp)
    assert client.get("/programme/overview/").status_code == 404
