"""The leader's overview and the figures for the budget-initiatives app."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from beredt.programme import selectors, services

from .conftest import relapse_data

pytestmark = pytest.mark.django_db


def _close(prog, case):
    services.save_plan(by=prog.skp, case=case, side="municipality", kind="relapse",
                       data=relapse_data())
    services.close(by=prog.skp, case=case, side="municipality", outcome="close")


def test_overview_counts_per_month_and_phase(api_client, prog, make_case):
    from .conftest import ELIGIBLE

    make_case()
    make_case(eligibility={**ELIGIBLE, "dementia": True}, consents=[])
    case = make_case("contract", start=timezone.localdate() - dt.timedelta(days=3))
    services.log_hours(by=prog.skp, case=case, side="municipality", date=case.contract_start,
                       minutes=90, kind="face_to_face")
    data = api_client(prog.leader).get("/api/v1/programme/overview").json()
    this_month = data["months"][-1]
    assert (this_month["referred"], this_month["not_offered"]) == (3, 1)
    assert this_month["hours"] == 1.5
    assert data["phases"]["contract"] == 1 and data["phases"]["referred"] == 1
    assert len(data["months"]) == 12


def test_overview_is_scoped_to_the_leaders_municipality(prog, make_case, make_user):
    from beredt.organisations.models import Organisation
    from beredt.programme.models import ProgrammeMembership

    make_case()
    other = make_user("favrskov_leader")
    ProgrammeMembership.objects.create(user=other, role="leader",
                                       organisation=Organisation.objects.get(
                                           name="Favrskov Kommune"))
    assert selectors.overview(other)["months"][-1]["referred"] == 0
    assert selectors.overview(prog.leader)["months"][-1]["referred"] == 1


def test_readmission_rates(prog, make_case):
    old = timezone.localdate() - dt.timedelta(days=500)
    cases = [make_case("relapse", admitted_on=old) for _ in range(2)]
    for case in cases:
        _close(prog, case)
        case.closed_at = timezone.now() - dt.timedelta(days=400)
        case.save(update_fields=["closed_at"])
    services.record_readmission(by=prog.referrer, case=cases[0], side="hospital",
                                admitted_on=timezone.localdate() - dt.timedelta(days=300))
    rates = {r["months"]: r for r in selectors.overview(prog.leader)["readmissions"]}
    assert (rates[6]["cases"], rates[6]["readmitted"]) == (2, 1)
    assert rates[12]["share"] == 50


def test_initiative_figures(prog, make_case, orgs):
    config = apps.get_app_config("programme")
    figures = {f["key"]: f for f in config.initiative_figures()}
    assert set(figures) == {"programme.cases_opened", "programme.cases_closed",
                            "programme.ata_hours"}
    from .conftest import ELIGIBLE

    today = timezone.localdate()
    make_case(eligibility={**ELIGIBLE, "coercion": True}, consents=[])
    make_case()
    case = make_case("relapse", start=today - dt.timedelta(days=5))
    services.log_hours(by=prog.skp, case=case, side="municipality", date=case.contract_start,
                       minutes=45, kind="phone")
    _close(prog, case)
    window = {"start": today - dt.timedelta(days=1), "end": today}
    opened = figures["programme.cases_opened"]["compute"]
    closed = figures["programme.cases_closed"]["compute"]
    hours = figures["programme.ata_hours"]["compute"]
    assert opened(**window, organisation_ids=None) == 2
    assert opened(**window, organisation_ids=[orgs.kommune.pk]) == 2
    assert opened(**window, organisation_ids=[orgs.dept_b.pk]) == 0
    assert opened(start=today + dt.timedelta(days=1), end=today + dt.timedelta(days=9),
                  organisation_ids=None) == 0
    assert closed(**window, organisation_ids=[orgs.dept_a.pk]) == 1
    assert hours(start=today - dt.timedelta(days=10), end=today,
                 organisation_ids=None) == Decimal("0.75")
    assert hours(**window, organisation_ids=None) == Decimal("0.00")
    assert str(figures["programme.cases_opened"]["label"])
