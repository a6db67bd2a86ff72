"""The hour log: 32 hours in the 4 weeks, 5 in the 2 follow-up weeks; more only after a
network meeting to which the authority caseworker was invited (409 with the reason)."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beredt.core.errors import Conflict, ValidationFailed
from beredt.programme import services
from beredt.programme.models import HourEntry

pytestmark = pytest.mark.django_db


def _started(make_case, days_ago=30):
    return make_case("contract", start=timezone.localdate() - dt.timedelta(days=days_ago))


def _log(api_client, user, case, **body):
    body.setdefault("kind", "face_to_face")
    return api_client(user).post(f"/api/v1/programme/cases/{case.pk}/hours", body,
                                 content_type="application/json")


def test_hours_beyond_the_budget_need_the_meeting(api_client, prog, make_case):
    case = _started(make_case)
    start = case.contract_start
    for day in range(4):
        assert _log(api_client, prog.skp, case, date=str(start + dt.timedelta(days=day)),
                    minutes=480).status_code == 201
    refused = _log(api_client, prog.skp, case, date=str(start + dt.timedelta(days=5)),
                   minutes=30)
    assert refused.status_code == 409
    body = refused.json()
    assert (body["code"], body["field"]) == ("budget_exceeded", "minutes")
    assert "myndighedsrådgiveren" in body["detail"] and "32:00" in body["detail"]
    assert HourEntry.objects.filter(case=case).count() == 4

    no_caseworker = api_client(prog.skp).post(
        f"/api/v1/programme/cases/{case.pk}/meetings",
        {"starts_at": timezone.now().isoformat(), "place": "Rådhuset", "extra_hours": 2},
        content_type="application/json")
    assert (no_caseworker.status_code, no_caseworker.json()["code"]) == (
        409, "caseworker_not_invited")
    granted = api_client(prog.skp).post(
        f"/api/v1/programme/cases/{case.pk}/meetings",
        {"starts_at": timezone.now().isoformat(), "place": "Rådhuset", "extra_hours": 2,
         "caseworker_invited": True,
         "participants": [{"name": "Morten Dahl", "role": "Myndighedsrådgiver"}]},
        content_type="application/json")
    assert granted.status_code == 201 and granted.json()["extra_minutes"] == 120
    ok = _log(api_client, prog.skp, case, date=str(start + dt.timedelta(days=5)), minutes=30)
    assert ok.status_code == 201
    assert ok.json()["remaining_minutes"] == 300 + 120 - 30


def test_followup_period_has_its_own_five_hours(prog, make_case):
    case = _started(make_case, days_ago=35)
    day = case.programme_ends  # first day of the follow-up weeks
    entry, _new = services.log_hours(by=prog.skp, case=case, side="municipality", date=day,
                                     minutes=300, kind="phone")
    assert entry.period == "followup"
    with pytest.raises(Conflict) as err:
        services.log_hours(by=prog.skp, case=case, side="municipality", date=day, minutes=1,
                           kind="phone")
    assert err.value.code == "budget_exceeded"
    # unused programme hours do not move into the follow-up
    case.refresh_from_db()
    assert case.programme_minutes == 0


@pytest.mark.parametrize(("offset", "code"), [(-1, "before_contract"), (42, "after_followup")])
def test_dates_outside_the_programme_are_refused(prog, make_case, offset, code):
    case = _started(make_case, days_ago=50)
    with pytest.raises(ValidationFailed) as err:
        services.log_hours(by=prog.skp, case=case, side="municipality",
                           date=case.contract_start + dt.timedelta(days=offset), minutes=10,
                           kind="phone")
    assert err.value.code == code


def test_no_hours_before_the_contract(api_client, prog, make_case):
    case = make_case("contact")
    response = _log(api_client, prog.skp, case, date=str(timezone.localdate()), minutes=10)
    assert (response.status_code, response.json()["code"]) == (409, "no_contract")


def test_retry_with_client_id_logs_once(api_client, prog, make_case):
    case = _started(make_case)
    client_id = str(uuid.uuid4())
    first = _log(api_client, prog.skp, case, date=str(case.contract_start), minutes=60,
                 client_id=client_id)
    again = _log(api_client, prog.skp, case, date=str(case.contract_start), minutes=60,
                 client_id=client_id)
    assert (first.status_code, again.status_code) == (201, 200)
    case.refresh_from_db()
    assert case.programme_minutes == 60


def test_near_limit_warning(prog, make_case):
    case = _started(make_case)
    share = int(0.79 * 37 * 60)
    for day, minutes in ((0, 1000), (1, share - 1000)):
        services.log_hours(by=prog.skp, case=case, side="municipality",
                           date=case.contract_start + dt.timedelta(days=day), minutes=minutes,
                           kind="face_to_face")
    case.refresh_from_db()
    assert not case.near_limit
    services.log_hours(by=prog.skp, case=case, side="municipality", date=case.contract_start,
                       minutes=60, kind="face_to_face")
    case.refresh_from_db()
    assert case.near_limit


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(st.integers(0, 41), st.integers(1, 600)), max_size=12),
       extra=st.integers(0, 10))
def test_budget_rule_holds_for_any_sequence(prog, make_case, entries, extra):
    """Whatever is logged, the accepted minutes never exceed the budget plus what a meeting
    with the caseworker invited granted, and a refusal happens only when it would."""
    case = _started(make_case, days_ago=45)
    if extra:
        services.add_meeting(by=prog.skp, case=case, side="municipality",
                             starts_at=timezone.now(), place="Rådhuset",
                             caseworker_invited=True, extra_hours=extra)
    start, accepted = case.contract_start, {"programme": 0, "followup": 0}
    for day, minutes in entries:
        period = "programme" if day < 28 else "followup"
        budget = {"programme": 32 * 60, "followup": 5 * 60}
        after = dict(accepted)
        after[period] += minutes
        over = sum(max(0, after[p] - budget[p]) for p in budget)
        try:
            services.log_hours(by=prog.skp, case=case, side="municipality",
                               date=start + dt.timedelta(days=day), minutes=minutes,
                               kind="face_to_face")
        except Conflict:
            assert over > extra * 60
        else:
            assert over <= extra * 60
            accepted = after
    case.refresh_from_db()
    assert (case.programme_minutes, case.followup_minutes) == (accepted["programme"],
                                                               accepted["followup"])
