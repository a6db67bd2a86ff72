"""Fixtures of the change programme's tests: a hospital department that refers, Randers's
programme staff, someone of another municipality, and cases in each phase."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from beredt.organisations.models import Organisation, OrganisationKind
from beredt.programme import services
from beredt.programme.models import Criterion, PlanKind, ProgrammeMembership, ProgrammeRole

ELIGIBLE = {c.value: c.value in ("acute_admission", "discharged_without_ward")
            for c in Criterion}
CONSENTS = [{"purpose": p, "method": "signed_paper"}
            for p in ("programme", "share_hospital", "share_gp", "cave")]


def referral(**overrides) -> dict:
    data = {"municipality_code": 730, "full_name": "Line Bach", "cpr": "120492-1244",
            "admitted_on": timezone.localdate() - dt.timedelta(days=1),
            "eligibility": dict(ELIGIBLE), "consents": list(CONSENTS), "gp": "Lægehuset"}
    data.update(overrides)
    return data


@pytest.fixture
def prog(make_user, orgs):
    favrskov = Organisation.objects.create(name="Favrskov Kommune", municipality_id=710,
                                           region_id=1082, kind=OrganisationKind.MUNICIPALITY)

    def member(username, org, role, **fields):
        user = make_user(username, **fields)
        ProgrammeMembership.objects.create(user=user, organisation=org, role=role)
        return user

    return type("Prog", (), {
        "hospital": orgs.dept_a, "other_dept": orgs.dept_b, "municipality": orgs.centre,
        "referrer": member("referrer", orgs.dept_a, ProgrammeRole.REFERRER),
        "other_referrer": member("other_referrer", orgs.dept_b, ProgrammeRole.REFERRER),
        "skp": member("skp", orgs.centre, ProgrammeRole.SKP, first_name="Sofie"),
        "caseworker": member("caseworker", orgs.centre, ProgrammeRole.CASEWORKER),
        "acute": member("acute", orgs.centre, ProgrammeRole.ACUTE_OFFER),
        "leader": member("leader", orgs.kommune, ProgrammeRole.LEADER),
        "favrskov_skp": member("favrskov_skp", favrskov, ProgrammeRole.SKP),
        "outsider": make_user("outsider"),
    })


@pytest.fixture
def make_case(prog):
    """``make_case(phase, **referral_overrides)`` → a case moved to ``phase`` by the
    services, with a contract starting ``start`` (default: today) from phase 2 on."""

    def make(phase: str = "referred", *, start: dt.date | None = None, **overrides):
        case, _new = services.refer(by=prog.referrer, client_id=uuid.uuid4(),
                                    data=referral(**overrides))
        if phase == "referred":
            return case
        skp = prog.skp
        services.change_phase(by=skp, case=case, side="municipality", to="contact",
                              contact_option="skp_talk")
        if phase == "contact":
            return case
        services.change_phase(by=skp, case=case, side="municipality", to="contract")
        services.save_plan(by=skp, case=case, side="municipality", kind=PlanKind.CONTRACT,
                           data={"start_date": start or timezone.localdate(),
                                 "goals": ["Sove om natten"]})
        case.refresh_from_db()
        if phase == "contract":
            return case
        services.change_phase(by=skp, case=case, side="municipality", to="relapse")
        case.refresh_from_db()
        return case

    return make


def relapse_data() -> dict:
    return {"warning_inner": "Uro", "good_things": ["Gå en tur"]}
