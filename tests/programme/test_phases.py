"""Phases: forward one at a time, phase 1's agreement, the consent and contract gates, the
timeline."""

import pytest

from beredt.core.errors import Conflict
from beredt.programme import services
from beredt.programme.models import Phase

pytestmark = pytest.mark.django_db


def _phase(api_client, user, case, **body):
    return api_client(user).post(f"/api/v1/programme/cases/{case.pk}/phase", body,
                                 content_type="application/json")


def test_full_forward_path_fills_the_timeline(api_client, prog, make_case):
    case = make_case("relapse")
    body = api_client(prog.skp).get(f"/api/v1/programme/cases/{case.pk}").json()
    assert [t["to_phase"] for t in body["timeline"]] == ["referred", "contact", "contract",
                                                          "relapse"]


@pytest.mark.parametrize(("start", "to"), [("referred", "contract"), ("contact", "relapse"),
                                           ("contract", "contact"), ("relapse", "contract")])
def test_skipping_or_going_back_is_409(api_client, prog, make_case, start, to):
    case = make_case(start)
    response = _phase(api_client, prog.skp, case, to=to)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    case.refresh_from_db()
    assert case.phase == start


def test_contract_needs_an_agreement_that_continues(api_client, prog, make_case):
    case = make_case()
    assert _phase(api_client, prog.skp, case, to="contact",
                  contact_option="nothing").status_code == 200
    response = _phase(api_client, prog.skp, case, to="contract")
    assert (response.status_code, response.json()["code"]) == (409, "contact_option_required")
    assert _phase(api_client, prog.skp, case, to="contact",
                  contact_option="acute_followup").status_code == 200
    assert _phase(api_client, prog.skp, case, to="contract").json()["phase"] == "contract"


def test_contract_needs_the_programme_consent(prog, make_case):
    case = make_case("contact")
    consent = case.consents.get(purpose="programme")
    services.withdraw_consent(by=prog.skp, case=case, side="municipality",
                              consent_id=consent.pk, reason="Trukket")
    with pytest.raises(Conflict) as err:
        services.change_phase(by=prog.skp, case=case, side="municipality", to="contract")
    assert err.value.code == "consent_missing"


def test_relapse_phase_needs_the_contract(prog, make_case):
    case = make_case("contact")
    services.change_phase(by=prog.skp, case=case, side="municipality", to="contract")
    with pytest.raises(Conflict) as err:
        services.change_phase(by=prog.skp, case=case, side="municipality", to="relapse")
    assert err.value.code == "contract_required"


def test_closed_is_not_a_phase_to_move_to(api_client, prog, make_case):
    case = make_case("relapse")
    response = _phase(api_client, prog.skp, case, to="closed")
    assert response.status_code == 422 and response.json()["field"] == "to"


def test_call_from_the_hospital_moves_referred_to_contact(api_client, prog, make_case):
    case = make_case()
    response = api_client(prog.referrer).post(
        f"/api/v1/programme/cases/{case.pk}/calls", {"number": "24900783"},
        content_type="application/json")
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.phase == Phase.CONTACT


def test_team_only_with_programme_roles_of_the_municipality(api_client, prog, make_case):
    case = make_case()
    client = api_client(prog.skp)
    ok = client.post(f"/api/v1/programme/cases/{case.pk}/team",
                     {"skp_id": prog.skp.pk, "caseworker_id": prog.caseworker.pk},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["caseworker_id"] == prog.caseworker.pk
    wrong = client.post(f"/api/v1/programme/cases/{case.pk}/team",
                        {"skp_id": prog.favrskov_skp.pk}, content_type="application/json")
    assert (wrong.status_code, wrong.json()["field"]) == (422, "skp_id")
